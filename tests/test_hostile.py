"""Hostile files, built here, through the two channels an attacker can reach: the upload function the app calls
(uploads.check_upload, as an enterprise account) and the command line (`ess-impact import`). Each one is refused with
a French message naming the problem, nothing is written, the process survives and stays under 1 GiB: the server
never parses untrusted bytes itself (sandbox), and every value has a rule (finite, under a ceiling).

The sandbox's own limits are tested too: a crash of the child (SIGABRT of python-calamine asking for 512 GB), a
timeout, an answer too large, an answer that is not cell values.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import peak_rss, reset_peak_rss, write_small_xlsx
from openpyxl import Workbook

from ess_impact.fields import FIELDS
from ess_impact.intake import importer, sandbox, uploads
from ess_impact.store import auth, db

EXE = str(Path(sys.executable).parent / "ess-impact")
COOP = auth.Account("coop@example.org", auth.ENTREPRISE, ("1170000001",))
GIB = 1 << 30
NEQ = "1170000001"
HEADERS = [f.header_fr for f in FIELDS]
FRENCH = ("é", "è", "à", "ç", "ê", " : ", "« ")  # a French sentence of the catalogue has at least one


# ------------------------------------------------------------------------------------------------ the files
def _book_bytes(cells: dict[str, object]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, rename=lambda name: name, edit=lambda name, body: body) -> bytes:
    """The same workbook with its parts renamed and/or edited."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(rename(item.filename), edit(item.filename, old.read(item.filename)))
    return out.getvalue()


FAR = {"A1": "NEQ", "XFD1048576": 1}  # one far cell: python-calamine asks for 16 G cells (512 GB)
TALL = {"A1": "NEQ", "P1": 1, "A1048576": 1}  # the smaller variant: 2.1 GB in the server before


def upper_folder(cells=FAR) -> bytes:
    """`XL/…` instead of `xl/…`, named so in `_rels/.rels`: the reader resolves it, the byte scan never saw it."""
    return _rezip(_book_bytes(cells), lambda n: "XL/" + n[3:] if n.startswith("xl/") else n,
                  lambda n, b: b.replace(b'Target="xl/', b'Target="XL/') if n == "_rels/.rels" else b)


def backslashes(cells=FAR) -> bytes:
    """Windows separators in the part names: `xl\\worksheets\\sheet1.xml`."""
    return _rezip(_book_bytes(cells), lambda n: n.replace("xl/worksheets/", "xl\\worksheets\\"))


def moved_workbook(cells=FAR) -> bytes:
    """The workbook in another folder, named in `_rels/.rels`."""
    return _rezip(_book_bytes(cells), lambda n: "donnees/" + n[3:] if n.startswith("xl/") else n,
                  lambda n, b: b.replace(b'Target="xl/', b'Target="donnees/') if n == "_rels/.rels" else b)


def far_cell() -> bytes:
    return _book_bytes(FAR)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_book_bytes({"A1": "NEQ"}))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        with bomb.open("xl/media/pad.bin", "w") as pad:
            for _ in range(60):
                pad.write(bytes(1 << 20))
    return out.getvalue()


def _row(**values) -> list:
    row = [NEQ, "Coop du Fjord", "Coopérative", "Agroalimentaire", "54", 2024, 3, 2, 4100, 2300, 250000, 180000,
           50000, 12, 900, 45]
    for key, value in values.items():
        row[HEADERS.index(key)] = value
    return row


def _data_book(**values) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(HEADERS)
    sheet.append(_row(**values))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _raw_value(text: str) -> bytes:
    """A workbook whose revenue cell (row 2) holds `text` as its saved number, as a hostile program writes it."""
    data = _data_book(**{"Revenus totaux ($)": 123456789})
    return _rezip(data, edit=lambda n, b: b.replace(b"<v>123456789</v>", f"<v>{text}</v>".encode())
                  if n == "xl/worksheets/sheet1.xml" else b)


def csv_long_field() -> bytes:
    header = ";".join(HEADERS)
    return (header + "\n" + NEQ + ";" + "x" * 200_000 + ";Coopérative;Agroalimentaire;54;2024;3;2;;;1000;;;;0;\n"
            ).encode("utf-8")


def random_bytes() -> bytes:
    return os.urandom(5000)


def truncated() -> bytes:
    data = _data_book()
    return data[:len(data) // 2]


def _sheet_xml(sheet_xml: str) -> bytes:
    return _rezip(_book_bytes({"A1": "x"}), edit=lambda n, b: sheet_xml.encode() if n == "xl/worksheets/sheet1.xml"
                  else b)


# (builder, file name, acceptable codes, a French word the message must hold)
HOSTILE = [
    (upper_folder, "majuscules.xlsx", {"file_sandbox"}, "illisible ou trop volumineux"),
    (backslashes, "barres.xlsx", {"file_sandbox"}, "illisible ou trop volumineux"),
    (moved_workbook, "deplace.xlsx", {"file_sandbox", "file_unreadable"}, "illisible"),
    (lambda: upper_folder(TALL), "majuscules_haute.xlsx", {"file_sandbox", "sheet_too_large"}, "trop"),
    (far_cell, "coin.xlsx", {"sheet_too_large"}, "trop grande pour être lue"),
    (zip_bomb, "bombe.xlsx", {"upload_zip_bomb"}, "décompressé"),
    (csv_long_field, "long.csv", {"csv_malformed"}, "131"),
    (lambda: _data_book(**{"Revenus totaux ($)": 1e308}), "e308.xlsx", {"above_ceiling"}, "dépasse le plafond"),
    (lambda: _data_book(**{"Revenus totaux ($)": 1e30, "Emplois à temps plein": 0, "Emplois à temps partiel": 0}),
     "e30.xlsx", {"above_ceiling"}, "dépasse le plafond"),
    (lambda: _data_book(**{"Emplois à temps plein": 1e20}), "emplois.xlsx", {"above_ceiling"}, "plafond"),
    (lambda: _data_book(**{"Nombre de bénévoles": 10**15}), "benevoles.xlsx", {"above_ceiling"}, "plafond"),
    (lambda: _data_book(**{"Heures rémunérées": 10**9}), "heures.xlsx", {"hours_above_ceiling"}, "par emploi"),
    (lambda: _raw_value("1e309"), "e309.xlsx", {"not_finite"}, "nombre fini"),
    (lambda: _raw_value("inf"), "inf.xlsx", {"not_finite"}, "nombre fini"),
    (lambda: _raw_value("NaN"), "nan.xlsx", {"not_finite"}, "nombre fini"),
    (lambda: _sheet_xml('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                        '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row></sheetData>'
                        '</worksheet>'), "xml.xlsx", {"sheet_too_large"}, "trop grande"),
    (random_bytes, "hasard.xlsx", {"file_format", "file_unreadable"}, "fichier"),
    (truncated, "tronque.xlsx", {"file_unreadable", "file_sandbox"}, "illisible"),
]
IDS = [name for _, name, _, _ in HOSTILE]


def _french(text: str) -> bool:
    return any(mark in text for mark in FRENCH)


@pytest.fixture
def con():
    connection = db.open_database(":memory:")
    yield connection
    connection.close()


def _figures(con) -> int:
    return db.first(con, "SELECT count(*) FROM annual_figures")[0]


# ------------------------------------------------------------------------------------------ the app's upload
@pytest.mark.parametrize("build, name, codes, word", HOSTILE, ids=IDS)
def test_upload_refuses_hostile_files(build, name, codes, word, con, tmp_path):
    reset_peak_rss()
    data = build()
    started = time.monotonic()
    check = uploads.check_upload(con, COOP, name, data, tmp_path)
    assert time.monotonic() - started < 30
    errors = [p for p in check.problems if p.severity == "error"]
    assert errors and {p.code for p in errors} & codes, [p.line() for p in check.problems]
    message = next(p for p in errors if p.code in codes).message("fr")
    assert word in message and _french(message) and "Traceback" not in message
    assert all(p.message("en") != p.message("fr") for p in errors)
    with pytest.raises(importer.ImportRefused):
        importer.commit(con, [check], COOP, channel="app")
    assert _figures(con) == 0
    assert db.first(con, "SELECT count(*) FROM imports")[0] == 0
    assert peak_rss() < GIB  # this process, during this test


def test_the_server_survives_and_stays_small(con, tmp_path):
    """The files that killed the server (SIGABRT) or made it allocate 2.1 GB, several times in a row: the peak
    memory of this process does not move by more than a little."""
    reset_peak_rss()
    before = peak_rss()
    for _ in range(3):
        for build in (upper_folder, backslashes, lambda: upper_folder(TALL)):
            check = uploads.check_upload(con, COOP, "x.xlsx", build(), tmp_path)
            assert check.errors
    assert peak_rss() - before < 64 << 20
    good = uploads.check_upload(con, COOP, "bon.xlsx", _data_book(), tmp_path)
    assert not good.errors and len(good.records) == 1  # and it still reads good files


# ----------------------------------------------------------------------------------------- the command line
def test_cli_refuses_every_hostile_file(tmp_path):
    paths = []
    for build, name, _, _ in HOSTILE:
        path = tmp_path / name
        path.write_bytes(build())
        paths.append(path)
    dbfile = tmp_path / "cli.duckdb"
    with open(tmp_path / "out.txt", "wb") as out, open(tmp_path / "err.txt", "wb") as err:
        process = subprocess.Popen([EXE, "import", *map(str, paths), str(write_small_xlsx(tmp_path / "bon.xlsx")),
                                    "--db", str(dbfile)], stdout=out, stderr=err)
        # wait4: the peak memory of the command and of the processes it waited for (its sandboxes)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = (tmp_path / "out.txt").read_text(), (tmp_path / "err.txt").read_text()
    assert os.waitstatus_to_exitcode(status) == 1, stderr
    assert usage.ru_maxrss * 1024 < GIB
    assert "Traceback" not in stderr + stdout
    for (_, name, codes, word), path in zip(HOSTILE, paths):
        lines = [line for line in stdout.splitlines() if line.startswith(name + ":")]
        assert any(word in line and _french(line) for line in lines), (name, lines)
    with db.connect(dbfile) as con:
        assert db.first(con, "SELECT count(*) FROM imports")[0] == 0
        assert _figures(con) == 0


# ------------------------------------------------------------------------------------------- the sandbox
def test_a_crash_of_the_reader_is_a_refusal():
    result = sandbox.read(upper_folder(), 5_000_000)
    assert result.grids is None and result.unreadable == ("file_sandbox", {"reason": "crash"})


def test_a_reader_that_crashes_before_the_scan_ends_still_gets_the_scans_refusal():
    """The child scans and reads side by side (issue 16). Here the reader crashes at once on the first sheet's far
    cell, while the scan still has a large second sheet to go through: the refusal must still be the scan's, with
    its message ("too large to be read"), not the crash's."""
    book = Workbook()
    book.active.title = "Loin"
    for ref, value in FAR.items():
        book.active[ref] = value
    book.create_sheet("Grand")["A1"] = 1
    out = io.BytesIO()
    book.save(out)
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{r}</v></c></row>' for r in range(1, 400_001))
    large = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             f'{rows}</sheetData></worksheet>').encode()
    data = _rezip(out.getvalue(), edit=lambda n, b: large if n == "xl/worksheets/sheet2.xml" else b)
    started = time.monotonic()
    result = sandbox.read(data, 5_000_000)
    assert result.grids is None and [f.code for f in result.findings] == ["sheet_too_large"], result
    assert result.findings[0].sheet == "Loin" and time.monotonic() - started < 30


def test_timeout_output_cap_and_memory_limit():
    data = _data_book()
    timeout = sandbox.read(data, limits=sandbox.Limits(wall_seconds=0.001))
    assert timeout.unreadable == ("file_sandbox", {"reason": "timeout"}) and timeout.seconds < 5
    output = sandbox.read(data, limits=sandbox.Limits(output_mb=0.0001))
    assert output.unreadable == ("file_sandbox", {"reason": "output"})
    assert sandbox.read(data).grids[0].rows[1][0] == NEQ  # with the usual limits, the file reads
    # 2.4 M cells (under filesafety.MAX_CELLS): the reader needs ~80 MB for them, more than a 60 MB address space
    wide = _book_bytes({"A1": "NEQ", "P1": 1, "A150000": 1})
    starved = sandbox.read(wide, limits=sandbox.Limits(memory_mb=60))
    assert starved.unreadable == ("file_sandbox", {"reason": "crash"})
    assert len(sandbox.read(wide).grids[0].rows) == 150_000


FORKED = """
import pickle, sys, threading
from ess_impact.intake import sandbox
files = pickle.load(sys.stdin.buffer)
found = {}
for name, data in files.items():
    limits = sandbox.Limits(wall_seconds=0.001) if name == "timeout" else sandbox.Limits(
        memory_mb=300) if name == "starved" else None
    # starved: 16 M cells let through the scan, more than 300 MB for the reader (this process holds ~30 MB)
    result = sandbox.read(data, 20_000_000 if name == "starved" else None, limits=limits)
    found[name] = (result.forked, result.unreadable, None if result.grids is None else result.grids[0].rows[:2])
threading.Thread(target=threading.Event().wait, args=(5,), daemon=True).start()  # a second thread: no more fork
result = sandbox.read(files["good"])
found["threaded"] = (result.forked, result.unreadable, result.grids[0].rows[:2])
sys.stdout.buffer.write(pickle.dumps(found))
"""


def test_a_single_threaded_process_forks_its_reader_with_the_same_limits():
    """`ess-impact import` forks its reading child (issue 16): the same answer, and the same refusals, as the
    spawned child (crash, timeout, memory); a process with a second thread spawns it again."""
    files = {"good": _data_book(), "crash": upper_folder(), "timeout": _data_book(),
             "starved": _book_bytes(TALL)}
    done = subprocess.run([sys.executable, "-c", FORKED], input=pickle.dumps(files), capture_output=True, timeout=300,
                          check=True)
    found = pickle.loads(done.stdout)
    spawned = sandbox.read(files["good"])
    assert not spawned.forked  # this process has threads (DuckDB's)
    assert found["good"] == (True, None, spawned.grids[0].rows[:2]) and found["good"][2][1][0] == NEQ
    assert found["crash"] == (True, ("file_sandbox", {"reason": "crash"}), None)
    assert found["timeout"] == (True, ("file_sandbox", {"reason": "timeout"}), None)
    assert found["starved"] == (True, ("file_sandbox", {"reason": "crash"}), None)
    assert found["threaded"] == (False, None, spawned.grids[0].rows[:2])


def test_the_answer_can_only_hold_cell_values():
    class Evil:
        def __reduce__(self):
            return (os.system, ("true",))
    with pytest.raises(pickle.UnpicklingError):
        sandbox._SafeUnpickler(io.BytesIO(pickle.dumps({"grids": [("x", [[Evil()]])]}))).load()
    import datetime as dt
    values = [[1.5, 2, "a", None, True, dt.datetime(2024, 1, 2, 3, 4), dt.date(2024, 1, 2), dt.time(1, 2),
               dt.timedelta(hours=5)]]
    assert sandbox._SafeUnpickler(io.BytesIO(pickle.dumps(values, protocol=5))).load() == values


def test_the_child_reads_nothing_but_its_stdin():
    """The child starts isolated (-I: no user site, no PYTHON* variables) with a bare environment."""
    command = sandbox._command({name: 1 for name in sandbox.SCAN_LIMITS}, sandbox.Limits())
    assert command[:3] == [sys.executable, "-I", "-c"]


def test_the_annotated_copy_is_made_in_the_sandbox(con, tmp_path, monkeypatch):
    """uploads.marked_copy opens the upload with openpyxl: in the child, never here."""
    from openpyxl import load_workbook

    from ess_impact.intake import marking

    def here(*args, **kwargs):
        raise AssertionError("the upload was opened in the server's process")
    monkeypatch.setattr(marking, "annotate", here)
    data = _data_book(**{"Emplois à temps plein": "beaucoup"})
    check = uploads.check_upload(con, COOP, "erreur.xlsx", data, tmp_path)
    assert [p.code for p in check.errors] == ["not_number"]
    marked = load_workbook(io.BytesIO(uploads.marked_copy(data, check, "fr")))
    cell = marked["Données"]["G2"]
    assert cell.fill.fgColor.rgb.endswith(marking.ERROR_FILL) and "beaucoup" in cell.comment.text
    # a child that fails (here: no memory to start openpyxl) gives no copy, and no exception
    assert sandbox.mark(data, [("Données", 2, "G", "error", "x")], sandbox.Limits(memory_mb=30)) is None


def test_an_answer_of_the_wrong_shape_is_a_refusal():
    """What a child taken over through a reader bug could send instead of cell values: refused, never used. A grid
    comes as (sheet, height, row lengths, columns), a column as (items, values): an item is a number cell (a float)
    or the index of its value in `values` (issue 16)."""
    good = {"findings": [], "grids": [("Données", 2, None, [([0, 1.0], ["NEQ"])])], "unreadable": None}
    assert sandbox._well_formed(good)["grids"][0].rows == [["NEQ"], [1.0]]
    ragged = {"findings": [], "grids": [("CSV", 2, [1, 0], [([0, 1], ["NEQ", ""])])], "unreadable": None}
    assert sandbox._well_formed(ragged)["grids"][0].rows == [["NEQ"], []]
    for bad in ({"findings": [{"code": "pas_un_code"}], "grids": None, "unreadable": None},
                {"findings": [], "grids": [("Données", ["pas une ligne"])], "unreadable": None},
                {"findings": [], "grids": None, "unreadable": ("pas_un_code", {})},
                {"findings": [], "grids": [["Données", 0, None, []]], "unreadable": None}, ["pas", "un", "dict"],
                # an index outside the values (a negative one would read from the end)
                {"findings": [], "grids": [("Données", 2, None, [([0, -1], ["NEQ"])])], "unreadable": None},
                {"findings": [], "grids": [("Données", 2, None, [([0, 1], ["NEQ"])])], "unreadable": None},
                # more or fewer items than rows, an item neither float nor index, a value that is no cell value
                {"findings": [], "grids": [("Données", 3, None, [([0, 1.0], ["NEQ"])])], "unreadable": None},
                {"findings": [], "grids": [("Données", 2, None, [([0, True], ["NEQ"])])], "unreadable": None},
                {"findings": [], "grids": [("Données", 2, None, [([0, "x"], ["NEQ"])])], "unreadable": None},
                {"findings": [], "grids": [("Données", 1, None, [([0], [["NEQ"]])])], "unreadable": None},
                {"findings": [], "grids": [("Données", 1, None, [([0], [1.5])])], "unreadable": None},
                # row lengths: one per row, within the width
                {"findings": [], "grids": [("Données", 2, [1], [([0, 1.0], ["NEQ"])])], "unreadable": None},
                {"findings": [], "grids": [("Données", 2, [1, 2], [([0, 1.0], ["NEQ"])])], "unreadable": None}):
        assert not sandbox._well_formed(bad), bad
