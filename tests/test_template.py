"""Tests of the upload template (ess_impact.template): its structure as openpyxl reads it, the empty template
through the importer, and the template filled *by LibreOffice* (tests/lo_fill_template.py, run with the system
Python and its UNO bridge), saved as .xlsx and .ods by LibreOffice, then imported by check_file and by the CLI.

The expected values are written here, from the data/*.csv reference files read with the csv module, and handed to
the LibreOffice script as JSON: nothing expected is read back through the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from ess_impact.fields import FIELDS, NUMERIC_KEYS
from ess_impact.intake import importer, readers
from ess_impact.intake.template import TEMPLATE_ROWS, write_template

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "ess_impact" / "data"
LO_SCRIPT = Path(__file__).with_name("lo_fill_template.py")
SYSTEM_PYTHON = "/usr/bin/python3"
LANGS = ("fr", "en")
SHEETS = {"fr": ("Données", "Instructions", "Listes"), "en": ("Data", "Instructions", "Lists")}
LOCALES = {"fr": "fr-CA", "en": "en-CA"}
COLUMN = {f.key: get_column_letter(i) for i, f in enumerate(FIELDS, start=1)}
INDEX = {f.key: i for i, f in enumerate(FIELDS)}
FTE_BASIS_HOURS = 1820  # the documented default: 35 h × 52 weeks
NO_DATA_FR = "Aucune ligne de données sous les en-têtes."


# ------------------------------------------------------------------ reference lists, read independently
def _csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


MRC_ROWS = _csv("mrc.csv")
SECTOR_ROWS = _csv("sectors.csv")
FORM_ROWS = _csv("legal_forms.csv")
MRC_CHOICE = {r["code"]: f"{r['usual_name']} ({r['code']})" for r in MRC_ROWS}
MRC_NAME = {r["code"]: r["usual_name"] for r in MRC_ROWS}


def _label(rows: list[dict], code: str, lang: str) -> str:
    return next(r[f"label_{lang}"] for r in rows if r["code"] == code)


def expected_lists(lang: str) -> dict[str, list[str]]:
    return {"mrc": list(MRC_CHOICE.values()),
            "sector": [r[f"label_{lang}"] for r in SECTOR_ROWS],
            "legal_form": [r[f"label_{lang}"] for r in FORM_ROWS]}


def header(key: str, lang: str) -> str:
    f = FIELDS[INDEX[key]]
    return f.header_en if lang == "en" else f.header_fr


# ------------------------------------------------------------------ what LibreOffice types
YEARS = (2024, 2025)
# neq, name, legal form, sector, MRC (codes; the drop-down labels are looked up per language)
ENTERPRISES = (
    ("1141234567", "Coopérative d'habitation du Pré-Vert", "COOP", "HAB", "54"),
    ("1160000012", "CPE Les Lucioles", "OBNL", "EDU", "54"),
    ("2245678901", "Mutuelle de prévention L'Entraide", "MUT", "FIN", "66"),
    ("3312345678", "Café-coop l'Îlot", "COOP", "AGR", "01"),
    ("1178901234", "Ressourcerie Lévis–Rive-Sud", "OBNL", "ENV", "251"),
)
# (neq, year) -> figures in NUMERIC_KEYS order: jobs_full_time, jobs_part_time, paid_hours, payroll,
# revenue_total, revenue_earned, revenue_grants, volunteers, volunteer_hours, members. None: left empty.
# Chosen to raise no plausibility warning (earned + grants <= total, no ×10 jump, hours per job and per volunteer).
FIGURES = {
    ("1141234567", 2024): (3, 2, 7280.5, 182345.67, 412000, 398500.25, 0, 14, 640, 87),
    ("1141234567", 2025): (3, 3, 8190, 195000, 436250.5, 420000, 12000, 16, 702.5, 91),
    ("1160000012", 2024): (18, 7, 43680, 1234567.89, 1850000, 310000, 1490000, 9, 120, None),
    ("1160000012", 2025): (19, 6, None, 1298000.1, 1912345.6, 325000, 1550000, 11, 135, None),
    ("2245678901", 2024): (4, 0, 7280, 402000, 2500000, 2450000, None, 0, 0, 1500),
    ("2245678901", 2025): (4, 1, 8000, 415500.5, 2650000, 2600000, None, 0, 0, 1520),
    ("3312345678", 2024): (2, 5, 6100, 98000, 265000.75, 240000, 20000, None, 3100.5, 240),
    ("3312345678", 2025): (2, 6, 6300.25, None, 281000, 255000.5, 22500, 35, 3400, 252),
    ("1178901234", 2024): (6, 4, 12000, 310000, 720000, 520000, 180000, 40, 2600, 130),
    ("1178901234", 2025): (7, 4, 13520, 334000, 768000.4, 560000, 190000, 42, 2750, 135),
}
TEXT_KEYS = ("neq", "name", "legal_form", "sector", "mrc")


def expected_records() -> list[dict]:
    """What the importer must find, in the order typed (by year, then enterprise)."""
    out = []
    for year in YEARS:
        for neq, name, form, sector, mrc in ENTERPRISES:
            record = {"neq": neq, "name": name, "legal_form": form, "sector": sector, "mrc": mrc, "year": year}
            record.update(zip(NUMERIC_KEYS, FIGURES[(neq, year)]))
            record.update({f.key: None for f in FIELDS if f.key not in record})  # issue 14's optional columns, blank
            out.append(record)
    return out


def typed_rows(lang: str) -> list[list]:
    """The cells LibreOffice types, in the template's column order: drop-down labels, numbers as numbers."""
    rows = []
    for r in expected_records():
        shown = dict(r, legal_form=_label(FORM_ROWS, r["legal_form"], lang),
                     sector=_label(SECTOR_ROWS, r["sector"], lang), mrc=MRC_CHOICE[r["mrc"]])
        rows.append([shown.get(f.key) for f in FIELDS])  # the optional columns of issue 14 left blank (None: not typed)
    return rows


# Typed under the data after saving: each must be refused by the template's validations in LibreOffice.
CONTROLS = {
    "fr": (("legal_form", "SARL"), ("sector", "Pêche"), ("mrc", "Maskoutains"), ("year", 1999),
           ("jobs_full_time", -3), ("jobs_part_time", 2.5), ("payroll", -1.5)),
    "en": (("legal_form", "LLC"), ("sector", "Fishing"), ("mrc", "Not an MRC (54)"), ("year", 1999),
           ("jobs_full_time", -3), ("jobs_part_time", 2.5), ("payroll", -1.5)),
}


# ------------------------------------------------------------------ helpers
@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("templates")
    return {lang: write_template(folder / f"gabarit_{lang}.xlsx", lang=lang) for lang in LANGS}


def _validations(ws) -> dict[str, object]:
    """Column letter -> its data validation (each must cover the whole template area of one column)."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            min_col, min_row, max_col, max_row = range_boundaries(rng)
            assert min_col == max_col, rng
            letter = get_column_letter(min_col)
            assert letter not in out, f"two validations on column {letter}"
            assert (min_row, max_row) == (2, TEMPLATE_ROWS + 1), rng
            out[letter] = dv
    return out


def _list_source(wb, formula: str) -> list:
    m = re.fullmatch(r"=?'?(.+?)'?!(\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?\d+)", formula)
    assert m, f"list source is not a range of another sheet: {formula}"
    ws = wb[m.group(1)]
    min_col, min_row, max_col, max_row = range_boundaries(m.group(2).replace("$", ""))
    assert min_col == max_col
    return [ws.cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]


def _plain(value):
    """None for empty/NaN, int for whole numbers: the comparable form of a record value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    return value


def _records(check: importer.FileCheck) -> list[dict]:
    frame = check.records.sort_values("source_row")
    return [{k: _plain(v) for k, v in row.items() if k not in ("sheet", "source_row")}
            for row in frame.to_dict(orient="records")]


# ------------------------------------------------------------------ the template, as openpyxl reads it
@pytest.mark.parametrize("lang", LANGS)
def test_template_sheets_and_headers(templates, lang):
    wb = openpyxl.load_workbook(templates[lang])
    data_name, instructions_name, lists_name = SHEETS[lang]
    assert wb.sheetnames == [data_name, instructions_name, lists_name]
    assert wb.active.title == data_name
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [header(f.key, lang) for f in FIELDS]
    assert ws.max_column == len(FIELDS)
    assert all(c.value is None for row in ws.iter_rows(min_row=2) for c in row), "the data area must be empty"
    assert wb[lists_name].sheet_state == "hidden"
    assert wb[instructions_name].sheet_state == "visible"


@pytest.mark.parametrize("lang", LANGS)
def test_template_drop_down_lists(templates, lang):
    wb = openpyxl.load_workbook(templates[lang])
    validations = _validations(wb.worksheets[0])
    expected = expected_lists(lang)
    assert len(expected["mrc"]) == 104 and len(expected["sector"]) == 14 and len(expected["legal_form"]) == 3
    for key, values in expected.items():
        dv = validations[COLUMN[key]]
        assert dv.type == "list", key
        assert dv.showErrorMessage, f"{key}: a value outside the list must be refused"
        assert dv.allow_blank, key
        source = _list_source(wb, dv.formula1)
        assert source[0] is not None and source[-1] is not None, f"{key}: blank cells at the ends of the list"
        assert len(source) == len(set(source)), f"{key}: duplicates in the list"
        assert sorted(source) == sorted(values), key


@pytest.mark.parametrize("lang", LANGS)
def test_template_number_validations_and_formats(templates, lang):
    wb = openpyxl.load_workbook(templates[lang])
    ws = wb.worksheets[0]
    validations = _validations(ws)
    for f in FIELDS:
        dv = validations.get(COLUMN[f.key])
        if f.kind == "year":
            assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (
                "whole", "between", "2000", str(dt.date.today().year))
        elif f.kind == "int":
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0"), f.key
        elif f.kind in ("amount", "hours"):
            assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0"), f.key
        elif f.kind in ("neq", "text"):
            assert dv is None, f.key
        if dv is not None:
            assert dv.showErrorMessage and dv.error and dv.errorTitle, f.key
    neq = COLUMN["neq"]
    for row in (2, 3, 1000, TEMPLATE_ROWS + 1):
        assert ws[f"{neq}{row}"].number_format == "@", f"{neq}{row} must be formatted as text"


@pytest.mark.parametrize("lang", LANGS)
def test_template_instructions_list_every_field(templates, lang):
    wb = openpyxl.load_workbook(templates[lang])
    ws = wb[SHEETS[lang][1]]
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r and r[0]}
    yes, no = ("yes", "no") if lang == "en" else ("oui", "non")
    for f in FIELDS:
        name = header(f.key, lang)
        assert name in rows, f"instructions do not list {name!r}"
        required, description = rows[name][0], rows[name][1]
        assert required == (yes if f.required else no), name
        assert description == (f.help_en if lang == "en" else f.help_fr), name


@pytest.mark.parametrize("lang", LANGS)
def test_empty_template_imports_as_no_data(templates, lang):
    path = templates[lang]
    check = importer.check_file(path)
    assert [(p.severity, p.code) for p in check.problems] == [("error", "no_data")]
    assert check.problems[0].line("fr") == f"{path.name}:{SHEETS[lang][0]}:1:: {NO_DATA_FR}"
    assert check.problems[0].line("en") == f"{path.name}:{SHEETS[lang][0]}:1:: No data rows below the headers."
    assert len(check.records) == 0


# ------------------------------------------------------------------ the template filled by LibreOffice
def _lo_missing() -> str | None:
    if shutil.which("soffice") is None:
        return "LibreOffice is not installed (Debian package libreoffice-calc-nogui; `make test` installs it)"
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"{SYSTEM_PYTHON} is missing: the LibreOffice test needs Debian's python3 and python3-uno"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, text=True,
                           env=_system_env(), timeout=30)
    if probe.returncode != 0:
        return "LibreOffice's Python bridge is not installed (Debian package python3-uno; `make test` installs it)"
    return None


def _system_env() -> dict:
    """The environment for /usr/bin/python3: without the venv's Python variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.setdefault("HOME", str(Path.home()))
    return env


@pytest.fixture(scope="module")
def filled(templates, tmp_path_factory):
    """Every variant filled in one LibreOffice run: {"report": ..., "files": {(lang, ext): Path}}."""
    missing = _lo_missing()
    if missing:
        pytest.fail(missing)
    folder = tmp_path_factory.mktemp("filled")
    files = {(lang, ext): folder / f"rempli_{lang}.{ext}" for lang in LANGS for ext in ("xlsx", "ods")}
    spec = {"timeout": 60, "jobs": [
        {"name": lang, "template": str(templates[lang]), "sheet": SHEETS[lang][0], "locale": LOCALES[lang],
         "rows": typed_rows(lang),
         "outputs": [{"path": str(files[(lang, "xlsx")]), "filter": "Calc MS Excel 2007 XML"},
                     {"path": str(files[(lang, "ods")]), "filter": "calc8"}],
         "controls": [[INDEX[key], value] for key, value in CONTROLS[lang]]}
        for lang in LANGS]}
    spec_path, report_path = folder / "spec.json", folder / "report.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    try:
        run = subprocess.run([SYSTEM_PYTHON, str(LO_SCRIPT), str(spec_path), str(report_path)],
                             capture_output=True, text=True, timeout=120, env=_system_env())
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"lo_fill_template.py did not stop by itself: {exc}")
    if run.returncode != 0:
        pytest.fail(f"lo_fill_template.py exited with {run.returncode}:\n{run.stderr[-4000:]}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return {"report": {job["name"]: job for job in report["jobs"]}, "files": files}


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_typed_what_a_person_types(filled, lang):
    """Each value is in the cell as the person meant it: the NEQ stays text (the column's "@" format), the
    drop-down labels are text, the numbers typed with the locale's decimal separator are numbers."""
    job = filled["report"][lang]
    assert job["decimal"] == ("," if lang == "fr" else ".")
    rows = typed_rows(lang)
    typed = {(c["row"], c["column"]): c for c in job["cells"]}
    expected_cells = {(r, c) for r, row in enumerate(rows, start=2) for c, v in enumerate(row) if v is not None}
    assert set(typed) == expected_cells
    for (r, c), cell in typed.items():
        value = rows[r - 2][c]
        if isinstance(value, str):
            assert (cell["type"], cell["string"]) == ("TEXT", value), cell
        else:
            assert (cell["type"], cell["value"]) == ("VALUE", value), cell
    if lang == "fr":
        assert any("," in c["typed"] for c in job["cells"]), "no decimal comma was typed"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_accepts_the_typed_values_and_refuses_the_controls(filled, lang):
    """LibreOffice's Mark Invalid Data: the typed values pass the template's validations (the drop-down values
    are in the hidden lists), the control values do not (so the validations are really there)."""
    job = filled["report"][lang]
    invalid = set(job["invalid"])
    typed = {c["cell"] for c in job["cells"]}
    assert not typed & invalid, f"typed cells LibreOffice finds invalid: {sorted(typed & invalid)}"
    assert set(job["controls"]) <= invalid, f"not refused: {sorted(set(job['controls']) - invalid)}"
    assert len(job["controls"]) == len(CONTROLS[lang])
    assert job["sheets"] == [{"name": SHEETS[lang][0], "visible": True}, {"name": SHEETS[lang][1], "visible": True},
                             {"name": SHEETS[lang][2], "visible": False}]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_accepts_blank_optional_cells(filled, lang):
    blank = {f"{get_column_letter(c + 1)}{r}" for r, row in enumerate(typed_rows(lang), start=2)
             for c, value in enumerate(row) if value is None}
    assert blank, "the test data leave some optional cells blank"
    assert not blank & set(filled["report"][lang]["invalid"])


VARIANTS = [(lang, ext) for lang in LANGS for ext in ("xlsx", "ods")]


@pytest.mark.slow
@pytest.mark.parametrize("lang,ext", VARIANTS)
def test_libreoffice_file_imports_without_problems(filled, lang, ext):
    path = filled["files"][(lang, ext)]
    assert path.read_bytes()[:4] == b"PK\x03\x04"
    check = importer.check_file(path)
    assert [p.line("fr") for p in check.errors] == []
    assert [p.line("fr") for p in check.warnings] == []
    assert _records(check) == expected_records()
    assert list(check.records.sort_values("source_row")["source_row"]) == list(range(2, 2 + len(FIGURES)))
    assert set(check.records["sheet"]) == {SHEETS[lang][0]}


@pytest.mark.slow
@pytest.mark.parametrize("lang,ext", VARIANTS)
def test_libreoffice_file_keeps_neq_as_text(filled, lang, ext):
    """In the file LibreOffice wrote, the NEQ cells are text, not numbers (no 1.14E+09, no lost leading digits)."""
    grid = next(g for g in readers.read_grids(filled["files"][(lang, ext)]) if g.sheet == SHEETS[lang][0])
    neqs = [row[INDEX["neq"]] for row in grid.rows[1:1 + len(FIGURES)]]
    assert neqs == [r["neq"] for r in expected_records()]
    assert all(type(v) is str for v in neqs)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("ess-impact")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ess_impact.cli"]
    env = {k: v for k, v in os.environ.items() if k != "ESS_IMPACT_DB"}
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


def _expected_summary(year: int) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in expected_records():
        if r["year"] != year:
            continue
        row = out.setdefault(r["mrc"], {"enterprises": 0, **{k: None for k in NUMERIC_KEYS}})
        row["enterprises"] += 1
        for k in NUMERIC_KEYS:
            if r[k] is not None:
                row[k] = (row[k] or 0) + r[k]
    for row in out.values():
        row["jobs_total"] = row["jobs_full_time"] + row["jobs_part_time"]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("ext", ["xlsx", "ods"])
def test_cli_imports_libreoffice_file_and_summarises(filled, tmp_path, ext):
    path = filled["files"][("fr", ext)]
    db = tmp_path / "ess.duckdb"
    run = _cli("import", str(path), "--db", str(db), "--actor", "test", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "", f"problems reported: {run.stdout}"
    assert f"{path.name} : {len(FIGURES)} ajoutées, 0 remplacée" in run.stderr, run.stderr
    # The same figures typed in the en template: nothing new.
    en = filled["files"][("en", ext)]
    again = _cli("import", str(en), "--db", str(db), "--actor", "test", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{en.name} : déjà importé, aucun changement." in again.stderr, again.stderr
    for year in YEARS:
        run = _cli("summary", "--by", "mrc", "--year", str(year), "--db", str(db), "--format", "json", cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        rows = {r["code"]: r for r in json.loads(run.stdout) if r["enterprises"]}
        expected = _expected_summary(year)
        assert set(rows) == set(expected)
        for code, totals in expected.items():
            got = rows[code]
            assert got["name"] == MRC_NAME[code]
            assert got["year"] == year
            totals["fte"] = None if totals["paid_hours"] is None else totals["paid_hours"] / FTE_BASIS_HOURS
            for key, value in totals.items():
                if key == "paid_hours":
                    continue  # not in the CLI summary: it gives fte
                if key == "revenue_public_contracts":
                    assert key not in got  # published only inside earned revenue (issue 14), never alone
                    continue
                if value is None:
                    assert got[key] is None, (code, key)
                else:
                    assert got[key] == pytest.approx(value, abs=0.005), (code, year, key)
