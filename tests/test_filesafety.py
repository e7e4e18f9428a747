"""One path for the safety of every file, whatever the channel: hostile files built here (a zip bomb, sheets whose few
values stretch them to millions of cells, formula cells without a saved value) are refused by importer.check_files
before any reader parses them, by the command line with exit code 1 and nothing written; the fast byte-level scans
agree with the exact XML parses; the progress hook of check_files; the tqdm bar of `ess-impact import` in a terminal.
"""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SMALL_ENTERPRISES, SMALL_HEADERS, write_small_xlsx
from openpyxl import Workbook

from ess_impact.intake import filesafety, importer, readers, sandbox
from ess_impact.labels import t
from ess_impact.store import auth, db

FIXTURES = Path(__file__).parent / "fixtures"
EXE = str(Path(sys.executable).parent / "ess-impact")
ADMIN = auth.system("admin@pole.example")


# ------------------------------------------------------------------------------------------------ hostile files
def _xlsx(path: Path, cells: dict[str, object]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def _with_sheet_xml(path: Path, sheet_xml: str) -> Path:
    """A real workbook whose first sheet's XML is replaced by `sheet_xml`."""
    source = io.BytesIO(_xlsx(path, {"A1": "x"}).read_bytes())
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else old.read(item))
    return path


MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet>')
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>')


def _ods(path: Path, tables: str) -> Path:
    """An .ods written by hand: `tables` is the XML of its table:table elements."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", ODS_HEAD + tables + ODS_TAIL)
    return path


def _cell(value) -> str:
    if isinstance(value, str):
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    return (f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
            '</table:table-cell>')


def _row(*cells: str, repeat: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{attribute}>{''.join(cells)}</table:table-row>"


LO_PADDING = ('<table:table-row table:number-rows-repeated="1048560"><table:table-cell '
              'table:number-columns-repeated="16384"/></table:table-row>')  # how LibreOffice ends every sheet


def _ods_data(path: Path, extra_cells: str = "", padding: str = LO_PADDING) -> Path:
    """The small data set as an .ods: headers, 16 rows, then `extra_cells` appended to the first data row."""
    rows = [_row(*map(_cell, SMALL_HEADERS))]
    for i, (neq, name, form, sector, mrc, ft, pt, revenue, hours) in enumerate(SMALL_ENTERPRISES):
        for year in (2023, 2024):
            cells = [_cell(neq), _cell(name), _cell(form), _cell(sector), _cell(mrc), _cell(year), _cell(ft),
                     _cell(pt), _cell(revenue), _cell(hours)]
            rows.append(_row(*cells, extra_cells if i == 0 and year == 2023 else ""))
    return _ods(path, '<table:table table:name="Données">' + "".join(rows) + padding + "</table:table>")


def _corner(tmp_path) -> Path:
    """4.7 KB; python-calamine would ask for 550 GB (17 179 869 184 cells) and abort the process."""
    return _xlsx(tmp_path / "coin.xlsx", {"A1": "NEQ", "XFD1048576": 1})


def _zip_bomb(tmp_path) -> Path:
    good = write_small_xlsx(tmp_path / "small.xlsx").read_bytes()
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        with bomb.open("xl/media/pad.bin", "w") as pad:
            for _ in range(50):
                pad.write(bytes(1 << 20))
    return path


def _never_read(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("a refused file must not be parsed")
    monkeypatch.setattr(importer.readers, "read_grids", fail)


# ------------------------------------------------------------------------------------------ the importer refuses
@pytest.mark.parametrize("build, code", [
    (_corner, "sheet_too_large"),
    (lambda tmp: _xlsx(tmp / "haute.xlsx", {"A1": "NEQ", "P1": 1, "A1048576": 1}), "sheet_too_large"),
    (lambda tmp: _ods(tmp / "repete.ods", '<table:table table:name="Données">' + _row(_cell("NEQ")) +
                      '<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type='
                      '"float" office:value="1" table:number-columns-repeated="200"/></table:table-row>'
                      "</table:table>"), "sheet_too_large"),
    (_zip_bomb, "upload_zip_bomb"),
])
def test_hostile_files_are_refused_unread(build, code, tmp_path, monkeypatch):
    path = build(tmp_path)
    assert path.stat().st_size < 1 << 20
    check = importer.check_file(path, actor=ADMIN)  # the scan and the reader run in the sandbox's child process
    assert [p.code for p in check.problems] == [code]
    assert check.records.empty
    _never_read(monkeypatch)  # what the child does, run here: the scan refuses before the reader is called
    assert sandbox.parse(path.read_bytes())["findings"][0]["code"] == code


def test_huge_sheet_message_names_the_sheet_and_its_size(tmp_path):
    (problem,) = importer.check_file(_corner(tmp_path), actor=ADMIN).problems
    fr, en = problem.message("fr"), problem.message("en")
    assert "« Données »" in fr and "1\u00a0048\u00a0576 lignes" in fr and "16\u00a0384 colonnes" in fr
    assert "colonne XFD" in fr and "5\u00a0000\u00a0000" in fr
    assert "1,048,576 rows" in en and "“Données”" in en


def test_the_limit_counts_all_the_sheets(tmp_path, monkeypatch):
    path = write_small_xlsx(tmp_path / "small.xlsx")  # one sheet of 17 rows x 10 columns
    monkeypatch.setattr(filesafety, "MAX_CELLS", 169)
    assert [p.code for p in importer.check_file(path, actor=ADMIN).errors] == ["sheet_too_large"]
    monkeypatch.setattr(filesafety, "MAX_CELLS", 170)
    assert not importer.check_file(path, actor=ADMIN).errors
    book = Workbook()
    for title in ("Un", "Deux"):
        sheet = book.create_sheet(title)
        for r in range(1, 11):
            sheet.append(list(range(r, r + 10)))  # 10 x 10 each: 200 cells together
    book.save(tmp_path / "deux.xlsx")
    assert [p.code for p in importer.check_file(tmp_path / "deux.xlsx", actor=ADMIN).errors] == \
        ["file_too_many_cells"]


def test_csv_too_large(tmp_path, monkeypatch):
    path = tmp_path / "gros.csv"
    path.write_bytes(b"NEQ;Nom;MRC\r\n" + b"1170000001;x;54\r\n" * 400)
    monkeypatch.setattr(filesafety, "MAX_CELLS", 1000)
    (problem,) = importer.check_file(path, actor=ADMIN).problems
    assert problem.code == "csv_too_large" and "401 lignes" in problem.message("fr")


def test_reader_second_lock(monkeypatch):
    """Whatever the scan missed, the reader refuses a sheet over the limit before it becomes Python lists."""
    data = (FIXTURES / "ugly_fr.xls").read_bytes()
    with pytest.raises(readers.UnreadableFile) as refused:
        readers.read_grids(data, max_cells=20)
    assert refused.value.code == "sheet_too_large"
    assert len(readers.read_grids(data, max_cells=filesafety.MAX_CELLS)) == 2


def test_a_reader_panic_is_an_unreadable_file(monkeypatch):
    """On some damaged files python-calamine's Rust code panics (pyo3's PanicException derives from BaseException):
    a message, not a traceback."""
    class PanicException(BaseException):
        pass

    def panic(*args, **kwargs):
        raise PanicException("range end index 2 out of range for slice of length 0")
    monkeypatch.setattr(readers.python_calamine.CalamineWorkbook, "from_filelike", panic)
    found = sandbox.parse((FIXTURES / "ugly_fr.xls").read_bytes())  # the child's work
    assert found["grids"] is None and found["unreadable"][0] == "file_unreadable"
    monkeypatch.setattr(sandbox, "read", lambda *args, **kwargs: sandbox.Result(unreadable=found["unreadable"]))
    check = importer.check_file(FIXTURES / "ugly_fr.xls", actor=ADMIN)
    assert [p.code for p in check.problems] == ["file_unreadable"]
    assert "range end index" in check.problems[0].message("fr")


def test_cli_file_limit(tmp_path, monkeypatch):
    """Every channel has a ceiling (filesafety.MAX_FILE_MB); the app's own limit is lower (test_uploads)."""
    path = write_small_xlsx(tmp_path / "small.xlsx")
    (check,) = importer.check_files([path], actor=ADMIN, max_mb=0.001)
    assert [p.code for p in check.problems] == ["upload_too_large"]
    assert importer.check_files([path], actor=ADMIN)[0].records.shape[0] == 2 * len(SMALL_ENTERPRISES)


# ------------------------------------------------------------------------------------------------- formulas
def test_ods_formula_without_saved_value(tmp_path):
    formula = '<table:table-cell table:formula="of:=[.I2]*2"/>'
    check = importer.check_file(_ods_data(tmp_path / "formule.ods", formula), actor=ADMIN)
    found = [p for p in check.errors if p.code == "formula_no_value"]
    assert [(p.sheet, p.row, p.column, p.value) for p in found] == [("Données", 2, "K", "=[.I2]*2")]
    assert "formule sans valeur calculée" in found[0].message("fr")


def test_saved_formula_results_are_values(tmp_path):
    """What LibreOffice writes for computed formulas (a number, a text, the empty text of `=""`) is no error."""
    saved = ('<table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2"><text:p>2</text:p>'
             '</table:table-cell><table:table-cell table:formula="of:=&quot;a&quot;" office:value-type="string" '
             'office:string-value="a"><text:p>a</text:p></table:table-cell>'
             '<table:table-cell table:formula="of:=&quot;&quot;"><text:p/></table:table-cell>')
    check = importer.check_file(_ods_data(tmp_path / "calcule.ods", saved), actor=ADMIN)
    assert not check.errors, [p.line() for p in check.errors]
    assert len(check.records) == 2 * len(SMALL_ENTERPRISES)
    sheet = (f'<worksheet {MAIN}><sheetData><row r="1"><c r="A1" t="str"><f>""</f><v></v></c>'
             '<c r="B1"><f>1+1</f><v>2</v></c><c r="C1"><f>1+2</f></c><c r="D1" t="str"><f>"x"</f></c></row>'
             "</sheetData></worksheet>")
    data = _with_sheet_xml(tmp_path / "formules.xlsx", sheet).read_bytes()
    assert [(f.row, f.column, f.value) for f in filesafety.inspect(data)] == [(1, "C", "=1+2"), (1, "D", '="x"')]


# -------------------------------------------------------------------------------- fast scans = exact parses
def _exact_and_fast(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "content.xml" in archive.namelist():
            fast = filesafety._ods_fast(archive)
            exact = filesafety._OdsCells()
            filesafety._parse(archive, "content.xml", exact)
            return fast, (exact.extents, exact.formulas)
        names = set(archive.namelist())
        parts = [(sheet, part) for sheet, part in filesafety._sheet_parts(archive) if part in names]
        fast = [filesafety._xlsx_fast(archive, part, sheet) for sheet, part in parts]
        exact = [filesafety._xlsx_exact(archive, part, sheet) for sheet, part in parts]
        return fast, exact


def test_fast_ods_scan_matches_the_exact_parse(tmp_path):
    many = "".join(_row(_cell(i), _cell("x"), '<table:covered-table-cell/>', _cell(i * 2)) for i in range(3000))
    files = [
        _ods_data(tmp_path / "a.ods", '<table:table-cell table:formula="of:=1" table:number-columns-repeated="2"/>'),
        _ods(tmp_path / "b.ods", '<table:table table:name="Un">' + many + LO_PADDING + "</table:table>"
             '<table:table table:name="Deux &amp; trois"><table:table-row table:number-rows-repeated="5"/>'
             + _row(_cell(1), '<table:table-cell table:number-columns-repeated="40"/>', _cell(2), repeat=3)
             + "</table:table>"),
        _ods(tmp_path / "c.ods", '<table:table table:name="Données">' + _row(_cell(1)) +
             '<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" '
             'office:value="1" table:number-columns-repeated="200"/></table:table-row></table:table>'),
        FIXTURES / "ugly_fr.ods",
    ]
    for path in files:
        fast, (extents, formulas) = _exact_and_fast(path.read_bytes())
        assert fast is not None, path.name
        assert [(e.sheet, e.rows, e.columns) for e in fast[0]] == [(e.sheet, e.rows, e.columns) for e in extents]
        assert fast[1] == formulas
    _, (extents, _) = _exact_and_fast(files[1].read_bytes())
    assert [(e.sheet, e.rows, e.columns) for e in extents] == [("Un", 3000, 4), ("Deux & trois", 8, 42)]


def test_fast_xlsx_scan_bounds_the_exact_extent(tmp_path):
    book = Workbook()
    sheet = book.active
    for r in range(1, 12_001):
        sheet.append([r, "texte", r * 1.5, None, f"=A{r}*2" if r % 1000 == 0 else r])
    book.save(tmp_path / "grand.xlsx")
    ((fast, fast_formulas),), ((exact, exact_formulas),) = _exact_and_fast((tmp_path / "grand.xlsx").read_bytes())
    assert (exact.rows, exact.columns) == (12_000, 5)
    assert fast.rows >= exact.rows and fast.columns >= exact.columns and fast.cells <= filesafety.MAX_CELLS
    assert fast_formulas == exact_formulas and [f.row for f in exact_formulas] == list(range(1000, 12_001, 1000))
    wide = Workbook()
    for _ in range(300):
        wide.active.append(list(range(40)))  # columns A to AN
    wide.save(tmp_path / "large.xlsx")
    ((fast, _),), ((exact, _),) = _exact_and_fast((tmp_path / "large.xlsx").read_bytes())
    assert (exact.rows, exact.columns) == (300, 40) and (fast.rows, fast.columns) == (999, 40)
    # Written otherwise (attributes in another order, a prefix): the fast scan steps aside for the exact parse.
    odd = f'<worksheet {MAIN}><sheetData><row r="1"><c s="0" r="A1"><v>1</v></c></row></sheetData></worksheet>'
    prefixed = ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
                '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
                "</x:sheetData></x:worksheet>")
    for name, xml in (("odd.xlsx", odd), ("prefixed.xlsx", prefixed)):
        data = _with_sheet_xml(tmp_path / name, xml).read_bytes()
        ((fast,), _) = _exact_and_fast(data)
        assert fast is None, name
    assert [f.code for f in filesafety.inspect(data)] == ["sheet_too_large"]


@pytest.mark.parametrize("sheet_xml", [
    # The reader takes any element named c as a cell, whatever its prefix and whether that prefix is declared.
    (f'<worksheet {MAIN}><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576">'
     '<y:c r="P1048576"><v>1</v></y:c></row></sheetData></worksheet>'),
    (f'<worksheet {MAIN} xmlns:y="urn:autre"><sheetData><row r="1"><c r="A1"><v>1</v></c><y:c r="P1"><v>1</v>'
     '</y:c></row><row r="1048576"><y:c r="A1048576"><v>1</v></y:c></row></sheetData></worksheet>'),
    ('<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1">'
     '<x:c r="A1"><x:v>1</x:v></x:c><c r="P1"><v>1</v></c></x:row><x:row r="1048576"><c r="A1048576"><v>1</v></c>'
     "</x:row></x:sheetData></x:worksheet>"),
])
def test_cells_under_any_prefix_are_measured(sheet_xml, tmp_path):
    data = _with_sheet_xml(tmp_path / "prefixes.xlsx", sheet_xml).read_bytes()
    assert [(f.code, f.params["rows"], f.params["columns"]) for f in filesafety.inspect(data)] == \
        [("sheet_too_large", 1_048_576, 16)]


def test_ods_names_are_read_literally(tmp_path):
    """The reader matches `table:table-row` as written, whatever namespace `table:` is bound to."""
    rows = (_row(_cell(1)) + '<table:table-row table:number-rows-repeated="100000"><table:table-cell '
            'office:value-type="float" office:value="1" table:number-columns-repeated="100"/></table:table-row>')
    path = _ods(tmp_path / "autre.ods", '<table:table table:name="Données">' + rows + "</table:table>")
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml").replace(b"xmlns:table:1.0", b"xmlns:autre")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content)
    assert [f.code for f in filesafety.inspect(path.read_bytes())] == ["sheet_too_large"]


def test_a_workbook_that_cannot_be_followed_is_refused(tmp_path, monkeypatch):
    source = write_small_xlsx(tmp_path / "small.xlsx")
    path = tmp_path / "abime.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            new.writestr(item, b"<workbook><sheets><sheet" if item.filename == "xl/workbook.xml" else old.read(item))
    _never_read(monkeypatch)
    (problem,) = importer.check_file(path, actor=ADMIN).problems
    assert problem.code == "file_unreadable" and "Fichier illisible ou endommagé" in problem.message("fr")


def test_formatted_empty_cells_do_not_count(tmp_path):
    """A styled cell without a value far away does not stretch what the reader allocates, so it is no refusal."""
    sheet = (f'<worksheet {MAIN}><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
             '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData></worksheet>')
    assert filesafety.inspect(_with_sheet_xml(tmp_path / "style.xlsx", sheet).read_bytes()) == []


@pytest.mark.slow
def test_huge_xls_is_refused(tmp_path):
    """An .xls (written by LibreOffice) with values in A1 and IV65536: 16 777 216 cells to the reader."""
    source = _xlsx(tmp_path / "grand.xlsx", {"A1": "NEQ", "IV65536": 1})
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "xls", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    data = (tmp_path / "grand.xls").read_bytes()
    assert len(data) < 20_000
    assert [(f.code, f.params["rows"], f.params["columns"]) for f in filesafety.inspect(data)] == \
        [("sheet_too_large", 65536, 256)]
    assert [e.cells for e in filesafety._xls_extents((FIXTURES / "ugly_fr.xls").read_bytes())] == [3, 12 * 17]


# ---------------------------------------------------------------------------------------------- command line
def run(*args, **kwargs):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, timeout=120, check=False, **kwargs)


def _imports(dbfile: Path) -> int:
    with db.connect(dbfile) as con:
        return db.first(con, "SELECT count(*) FROM imports")[0]


@pytest.mark.parametrize("build, code, expected", [
    (_zip_bomb, "upload_zip_bomb", "une fois décompressé"),
    (_corner, "sheet_too_large", "est trop grande pour être lue"),
    (lambda tmp: _ods_data(tmp / "formule.ods", '<table:table-cell table:formula="of:=[.I2]*2"/>'),
     "formula_no_value", "formule sans valeur calculée"),
])
def test_cli_refuses_hostile_files(build, code, expected, tmp_path):
    path = build(tmp_path)
    dbfile = tmp_path / "cli.duckdb"
    out = run("import", path, write_small_xlsx(tmp_path / "bon.xlsx"), "--db", dbfile)
    assert out.returncode == 1, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith(path.name + ":")]
    assert len(lines) == 1 and expected in lines[0] and t(code, "fr").split(" ")[0] in lines[0]
    assert "Traceback" not in out.stderr
    assert _imports(dbfile) == 0  # nothing written, not even the good file


def test_cli_progress_bar_in_a_terminal(tmp_path):
    """On a terminal, stderr shows a bar with the stages in French; piped, stderr has only the messages."""
    path = write_small_xlsx(tmp_path / "small.xlsx")
    master, slave = pty.openpty()
    process = subprocess.Popen([EXE, "import", str(path), "--db", str(tmp_path / "tty.duckdb"), "--dry-run"],
                               stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=120) == 0
    text = shown.decode()
    assert t("progress_reading", "fr") in text and "100 %" in text and "\r" in text
    piped = run("import", path, "--db", tmp_path / "pipe.duckdb", "--dry-run")
    assert t("progress_reading", "fr") not in piped.stderr and "%" not in piped.stderr


# -------------------------------------------------------------------------------------------------- progress
def test_progress_grows_to_one(tmp_path):
    calls = []
    paths = [write_small_xlsx(tmp_path / "a.xlsx"), FIXTURES / "excel_fr.csv", FIXTURES / "ugly_fr.ods"]
    with db.connect(tmp_path / "p.duckdb") as con:
        importer.check_files(paths, con, actor=ADMIN, progress=lambda f, key: calls.append((f, key)))
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions.count(1.0) == 1 and calls[-1][1] == "progress_done"
    keys = [key for _, key in calls]
    assert {"progress_safety", "progress_reading", "progress_validating", "progress_plausibility"} <= set(keys)
    assert keys.count("progress_safety") == 3  # each file starts with its safety scan
    for key in set(keys):
        assert t(key, "fr") and t(key, "en")


def test_progress_reports_validation_in_chunks(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(SMALL_HEADERS)
    for i in range(9_000):
        _, name, form, sector, mrc, ft, pt, revenue, hours = SMALL_ENTERPRISES[i % len(SMALL_ENTERPRISES)]
        sheet.append([f"33{i:08d}", name, form, sector, mrc, 2024, ft, pt, revenue, hours])
    book.save(tmp_path / "lot.xlsx")
    calls = []
    (check,) = importer.check_files([tmp_path / "lot.xlsx"], actor=ADMIN,
                                    progress=lambda f, key: calls.append((f, key)))
    assert len(check.records) == 9_000 and not check.errors
    validating = [f for f, key in calls if key == "progress_validating"]
    assert len(validating) >= 4 and validating == sorted(validating)
