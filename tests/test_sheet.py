"""The one-page sheet: one letter page with the key messages, key figures, the map and its credit, and the pôle's
local paragraph printed as typed (stored with bound parameters, never interpreted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ess_impact import errors
from ess_impact.output import reports
from ess_impact.store import db, notes

EXE = str(Path(sys.executable).with_name("ess-impact"))
NOTE = "Nouveau : la coop <b>Le Marché</b> ouvre en 2025.\r\nContact : *Marie* [lien](http://x) '); DROP TABLE mrc; --"


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.replace("\u00a0", " ").split())


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_notes_are_cleaned_stored_and_removed(tmp_path):
    with db.connect(tmp_path / "n.duckdb") as con:
        stored = notes.put(con, "mrc", "54", "fr", NOTE + "\x00\x07", "admin@example.org")
        assert stored == NOTE.replace("\r\n", "\n")
        assert notes.get(con, "mrc", "54", "fr") == stored
        assert notes.get(con, "mrc", "54", "en") is None
        assert con.execute("SELECT count(*) FROM mrc").fetchone()[0] == 104
        with pytest.raises(errors.Invalid):
            notes.put(con, "mrc", "54", "fr", "x" * (notes.MAX_CHARS + 1), "admin@example.org")
        assert notes.put(con, "mrc", "54", "fr", "  \n ", "admin@example.org") is None
        assert notes.get(con, "mrc", "54", "fr") is None


def test_cli_sheet_is_one_letter_page_with_messages_map_credit_and_note(demo_db, tmp_path):
    with db.connect(demo_db) as con:
        notes.put(con, "mrc", "54", "fr", NOTE, "admin@example.org")
        data = reports.report_data(con, reports.territory("mrc", "54"), 2024, "fr")
    try:
        out = subprocess.run([EXE, "report", "--mrc", "54", "--format", "sheet", "--db", str(demo_db),
                              "--out", str(tmp_path / "fiche.pdf"), "--org-name", "Pôle de la Montérégie"],
                             capture_output=True, text=True, timeout=240)
    finally:
        with db.connect(demo_db) as con:
            notes.put(con, "mrc", "54", "fr", "", "admin@example.org")
    assert out.returncode == 0, out.stderr
    sheet = tmp_path / "fiche.pdf"
    assert pages(sheet) == 1
    info = subprocess.run(["pdfinfo", str(sheet)], capture_output=True, text=True).stdout
    assert "612 x 792 pts" in info  # letter, portrait
    text = pdf_text(sheet)
    assert "L'économie sociale — Les Maskoutains, 2024" in text
    assert data.messages and data.messages[0].text.replace("\u00a0", " ")[:60] in text
    assert "Messages clés" in text and "Emplois pour 1 000 habitants" in text
    assert "Statistique Canada" in text and "Pôle de la Montérégie" in text
    assert "<b>Le Marché</b>" in text and "[lien](http://x)" in text  # as typed, not interpreted
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(sheet), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000


def test_a_long_note_still_fits_on_one_page(demo_db, tmp_path):
    with db.connect(demo_db) as con:
        data = reports.report_data(con, reports.territory("mrc", "54"), 2024, "en",
                                   note="A long local paragraph. " * 40)
    with reports.ChartRenderer() as renderer:
        path = tmp_path / "sheet.pdf"
        path.write_bytes(reports.build(data, "sheet", renderer))
    assert pages(path) == 1
    assert reports.file_name(data, "sheet") == "sheet-54-les-maskoutains-2024.pdf"
    assert "Key messages" in pdf_text(path)
