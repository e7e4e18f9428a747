"""The PDF report's tables: no number breaks across lines (Montréal's revenue, 12 462 311 614 $, is wider than a
fifth of the page at 9 pt). Checked on the PDF's text as pdftotext lays it out: every number of every table is found
whole on one line; and on the column arithmetic itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ess_impact.output import reports
from ess_impact.output.reports import content
from ess_impact.output.reports.pdf import fit_widths, keep_numbers_whole
from ess_impact.store import db

SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def test_fit_widths_gives_each_column_what_it_needs_and_keeps_the_total():
    widths = [60.0, 30.0, 30.0, 30.0, 30.0]
    fitted = fit_widths(widths, [0.0, 35.0, 35.0, 20.0, 20.0])
    assert sum(fitted) == pytest.approx(sum(widths))
    assert fitted[1] >= 35.0 and fitted[2] >= 35.0 and all(w >= n for w, n in zip(fitted, [0, 35, 35, 20, 20]))
    assert fit_widths([60.0, 30.0], [0.0, 95.0]) is None  # the type must shrink
    assert fit_widths(widths, [0.0] * 5) == widths


def test_headers_keep_their_numbers_whole():
    assert keep_numbers_whole("Emplois pour 1 000 habitants") == "Emplois pour 1\u00a0000 habitants"
    assert keep_numbers_whole("12 345 678 $") == "12\u00a0345\u00a0678 $"
    assert keep_numbers_whole("2023 et 2024") == "2023 et 2024"


@pytest.mark.parametrize("code, lang", [("66", "fr"), ("66", "en"), ("01", "fr")])
def test_no_number_breaks_across_lines_in_the_pdf(demo_db, code, lang, tmp_path):
    with db.connect(demo_db) as con:
        data = reports.report_data(con, reports.territory("mrc", code), 2024, lang, reports.Context.load(con))
    with reports.ChartRenderer() as renderer:
        pdf = reports.build(data, "pdf", renderer)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.translate(SPACES).splitlines()
    found = 0
    for table in (content.headline_table(data), content.comparison_table(data), content.trend_table(data),
                  content.mix_table(data, "legal_form")):
        for column in table.keys:
            for text in table.cell_text(column, lang):
                text = text.translate(SPACES)
                if len(text) < 6:
                    continue  # short numbers cannot be told apart from pieces of others
                assert any(text in line for line in lines), (code, lang, column, text)
                found += 1
    assert found > 20
