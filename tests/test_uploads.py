"""Safety of uploads with real malicious files made here: size limit, type by content, zip bombs refused before any
reader inflates them, formula cells without a cached value reported (never evaluated); the problems table, the
annotated copy, the preview against what is stored; an enterprise cannot send another's rows."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import SMALL_ENTERPRISES, SMALL_HEADERS, write_small_xlsx
from openpyxl import Workbook, load_workbook

from ess_impact.intake import filesafety, importer, readers, sandbox, uploads
from ess_impact.store import auth, db

ADMIN = auth.system("admin@pole.example")
COOP = auth.Account("coop@example.org", auth.ENTREPRISE, ("1170000001",))


@pytest.fixture
def con():
    connection = db.open_database(":memory:")
    yield connection
    connection.close()


def _small(tmp_path) -> bytes:
    return write_small_xlsx(tmp_path / "small.xlsx").read_bytes()


def _never_read(monkeypatch):
    """The reader fails if called in this process (sandbox.parse, the child's work, can be run here by the test)."""
    def fail(*args, **kwargs):
        raise AssertionError("a refused file must not be parsed")
    monkeypatch.setattr(readers, "read_grids", fail)
    monkeypatch.setattr(importer.readers, "read_grids", fail)


def _never_sent(monkeypatch):
    """A file refused by the server itself (too large) is not even handed to the sandbox."""
    def fail(*args, **kwargs):
        raise AssertionError("a file over the size limit must not reach the sandbox")
    monkeypatch.setattr(sandbox, "read", fail)


def test_default_size_limit_is_a_setting(con):
    assert uploads.max_upload_mb(con) == 10


def test_too_large_is_refused_unread(con, tmp_path, monkeypatch):
    _never_sent(monkeypatch)
    data = b"NEQ;Nom\n" + b"1;x\n" * 300_000  # about 1.2 MB
    check = uploads.check_upload(con, ADMIN, "gros.csv", data, tmp_path, max_mb=1)
    assert [p.code for p in check.problems] == ["upload_too_large"]
    assert "1 Mo" in check.problems[0].message("fr")
    assert not (tmp_path / "gros.csv").exists()


def test_zip_bomb_by_ratio_is_refused_unread(con, tmp_path, monkeypatch):
    """A real workbook with one extra part of 50 MB of zeros (a few dozen KB compressed)."""
    good = _small(tmp_path)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        with bomb.open("xl/media/pad.bin", "w") as pad:
            chunk = bytes(1 << 20)
            for _ in range(50):
                pad.write(chunk)
    data = out.getvalue()
    assert len(data) < 1 << 20
    check = uploads.check_upload(con, ADMIN, "bombe.xlsx", data, tmp_path)  # in the sandbox's child
    assert [p.code for p in check.problems] == ["upload_zip_bomb"]
    assert check.records.empty
    _never_read(monkeypatch)  # the child's work, run here: the scan refuses it before the reader is called
    assert sandbox.parse(data)["findings"][0]["code"] == "upload_zip_bomb"


def test_zip_bomb_by_total_size_is_refused(con, tmp_path, monkeypatch):
    monkeypatch.setattr(filesafety, "MAX_UNCOMPRESSED_MB", 0.01)  # the small workbook inflates to more than 10 KB
    check = uploads.check_upload(con, ADMIN, "gonfle.xlsx", _small(tmp_path), tmp_path)
    assert [p.code for p in check.problems] == ["upload_zip_bomb"]


def test_type_is_found_from_the_content(con, tmp_path):
    junk = uploads.check_upload(con, ADMIN, "données.xlsx", b"MZ\x90\x00\x03\x00\x00\x00" * 64, tmp_path)
    assert [p.code for p in junk.errors] == ["file_format"]
    # A workbook named .csv is read as the workbook it is.
    renamed = uploads.check_upload(con, ADMIN, "export.csv", _small(tmp_path), tmp_path)
    assert not renamed.errors and len(renamed.records) == 2 * len(SMALL_ENTERPRISES)


def test_formula_without_cached_value_is_an_error(con, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(SMALL_HEADERS)
    neq, name, form, sector, mrc, ft, pt, revenue, hours = SMALL_ENTERPRISES[0]
    sheet.append([neq, name, form, sector, mrc, 2024, ft, pt, "=100000*2", hours])  # openpyxl caches no value
    out = io.BytesIO()
    book.save(out)
    check = uploads.check_upload(con, ADMIN, "formules.xlsx", out.getvalue(), tmp_path)
    formula = [p for p in check.errors if p.code == "formula_no_value"]
    assert [(p.sheet, p.row, p.column, p.value) for p in formula] == [("Données", 2, "I", "=100000*2")]
    assert check.records.empty  # never evaluated: the row is refused, not imported with 200 000


def test_problems_table_and_annotated_copy(con, tmp_path):
    book = load_workbook(io.BytesIO(_small(tmp_path)))
    book.active["G3"] = "beaucoup"  # Emplois à temps plein, second data row
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    check = uploads.check_upload(con, ADMIN, "erreurs.xlsx", data, tmp_path)
    table = uploads.problems_table(check, "fr")
    error = table[table["Gravité"] == "Erreur"].iloc[0]
    assert (error["Feuille"], error["Ligne"], error["Colonne"], error["Valeur"]) == \
        ("Données", 3, "Emplois à temps plein", "beaucoup")
    assert "attendu" in error["Problème et valeur attendue"]
    marked = load_workbook(io.BytesIO(uploads.marked_copy(data, check, "fr")))
    cell = marked["Données"]["G3"]
    assert cell.fill.fgColor.rgb.endswith(uploads.ERROR_FILL)
    assert "beaucoup" in cell.comment.text
    assert marked["Données"]["G2"].comment is None


def test_preview_against_what_is_stored(con, tmp_path):
    data = _small(tmp_path)
    first = uploads.check_upload(con, ADMIN, "a.xlsx", data, tmp_path / "a")
    assert set(uploads.preview(con, ADMIN, first)["status"]) == {"new"}
    importer.commit(con, [first], ADMIN, channel="app", accept_warnings=True)
    book = load_workbook(io.BytesIO(data))
    book.active["G2"] = 9
    out = io.BytesIO()
    book.save(out)
    again = uploads.check_upload(con, ADMIN, "b.xlsx", out.getvalue(), tmp_path / "b")
    shown = uploads.preview(con, ADMIN, again)
    assert shown["status"].value_counts().to_dict() == {"same": len(shown) - 1, "changed": 1}
    changed = shown[shown["status"] == "changed"].iloc[0]
    assert (changed["jobs_full_time"], changed["jobs_full_time_before"]) == (9, 2)


def test_another_enterprises_neq_refuses_the_whole_file(con, tmp_path):
    check = uploads.check_upload(con, COOP, "tout.xlsx", _small(tmp_path), tmp_path)
    assert "foreign_neqs_file" in {p.code for p in check.errors}
    with pytest.raises(importer.ImportRefused):
        importer.commit(con, [check], COOP, channel="app", accept_warnings=True)
    assert set(check.records["neq"]) <= set(COOP.neqs)  # the other rows are errors, never records
    check.records.loc[:, "neq"] = "1170000002"
    with pytest.raises(auth.Forbidden):
        uploads.preview(con, COOP, check)
    with pytest.raises(auth.Forbidden):
        uploads.check_upload(con, None, "tout.xlsx", b"", tmp_path)


def test_file_name_keeps_no_folder():
    assert uploads.safe_name("../../etc/passwd") == "passwd"
    assert uploads.safe_name("C:\\Users\\x\\données.xlsx") == "données.xlsx"


def test_prefilled_template_imports_back_unchanged(con, tmp_path):
    from ess_impact.intake import template
    from ess_impact.store import history

    first = uploads.check_upload(con, ADMIN, "a.xlsx", _small(tmp_path), tmp_path / "a")
    importer.commit(con, [first], ADMIN, channel="app", accept_warnings=True)
    stored = history.enterprise_figures(con, COOP, "1170000001")
    out = template.write_template(tmp_path / "gabarit.xlsx", "fr", rows=stored.tail(1))
    check = uploads.check_upload(con, COOP, "gabarit.xlsx", out.read_bytes(), tmp_path / "b")
    assert not check.errors, [p.line() for p in check.errors]
    assert uploads.preview(con, COOP, check)["status"].tolist() == ["same"]


def test_prefilled_template_is_ready_for_the_next_year_and_never_overwrites_the_last(con, tmp_path):
    """Issue 13: the pre-filled template carried last year's row, so updating its numbers overwrote last year."""
    import datetime as dt

    from ess_impact.intake import template
    from ess_impact.store import history

    first = uploads.check_upload(con, ADMIN, "a.xlsx", _small(tmp_path), tmp_path / "a")
    importer.commit(con, [first], ADMIN, channel="app", accept_warnings=True)
    stored = history.enterprise_figures(con, COOP, "1170000001")
    last = int(stored["year"].max())
    rows = template.for_next_year(stored.tail(1), dt.date(last + 3, 5, 1))
    assert rows.to_dict("records") == [{**{k: stored.iloc[-1][k] for k in template.IDENTITY_KEYS}, "year": last + 1}]
    assert template.for_next_year(stored.tail(1), dt.date(last, 5, 1))["year"].tolist() == [last]  # never the future
    out = template.write_template(tmp_path / "suivant.xlsx", "fr", rows=rows)
    check = uploads.check_upload(con, COOP, "suivant.xlsx", out.read_bytes(), tmp_path / "b")
    assert check.errors  # the figures are to be filled in: sent as is, the template is refused, nothing overwritten
    assert {p.column for p in check.errors} >= {"Emplois à temps plein", "Revenus totaux ($)"}
