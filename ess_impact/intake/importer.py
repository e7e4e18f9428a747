"""Import of enterprises' annual figures: find the header row, map the columns, check every cell, collect every
problem (errors block, warnings need a confirmation), then write everything in one transaction.

    checks = check_files(paths, con, actor=account)  # reads and validates, writes nothing
    results = commit(con, checks, actor=account)     # all files or nothing, each with its original bytes

Every file is scanned (filesafety) and read (readers) in a child process with hard limits (sandbox), whatever the
channel: too large, a zip bomb or a sheet too large to read is refused unread; formula cells without a saved value are
errors; a crash, a limit reached or a timeout of the child is a refusal (file_sandbox), never the server's end. Every
value has a rule: non-finite numbers and values above the hard ceilings (settings, `ceilings`) are errors.
`progress(fraction, label_key)`, if given, hears how far the check has gone (reading each sheet, validating rows,
plausibility), for a progress bar.

The actor is an auth.Account (the command line uses auth.SYSTEM). An 'entreprise' account may only send rows of
its own NEQs: any other NEQ is an error on its row, and the whole file is refused. A regional admin may only send rows
of its regions' MRCs that replace no year another region holds: any other row is an error, and the whole file is
refused the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ess_impact import errors, formatting, parsing, reference, settings, sql
from ess_impact.fields import FIELDS, Field
from ess_impact.intake import filesafety, readers, sandbox
from ess_impact.labels import N_, t
from ess_impact.store import auth, history
from ess_impact.store.auth import Account

HEADER_SCAN_ROWS = 30
MIN_HEADER_MATCHES = 4

UNKNOWN = {"mrc": N_("unknown_mrc"), "sector": N_("unknown_sector"), "legal_form": N_("unknown_legal_form")}
EXPECT = {"int": N_("expect_int"), "amount": N_("expect_amount"), "hours": N_("expect_hours")}


@dataclass
class Problem:
    severity: str  # error | warning | info
    code: str
    file: str
    sheet: str = ""
    row: int | None = None  # as the spreadsheet shows it (1-based)
    column: str = ""        # the header as written in the file
    value: str = ""
    params: dict = field(default_factory=dict)
    field_key: str = ""     # the field of the column, for the "expected" part of cell messages

    def message(self, lang: str = "fr") -> str:
        return t(self.code, lang, **_render_params(self, lang))

    def line(self, lang: str = "fr") -> str:
        """FILE:SHEET:ROW:COLUMN: message — the CLI contract."""
        row = "" if self.row is None else str(self.row)
        return f"{self.file}:{self.sheet}:{row}:{self.column}: {self.message(lang)}"


@dataclass
class FileCheck:
    path: Path
    file_name: str
    sha256: str
    records: pd.DataFrame          # valid rows: fields.FIELDS keys + sheet + source_row
    problems: list[Problem]
    headers: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, field key) -> header as written
    content: bytes | None = field(default=None, repr=False)  # the file as sent, kept with the import

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


class ImportRefused(errors.Refused):
    """commit() was called with errors, or with warnings not accepted."""


def _header_key(text: object) -> str:
    words = [w for w in reference.normalize(text).split() if w not in {"facultatif", "optionnel", "optional",
                                                                      "obligatoire", "required", "en", "dollars", "cad"}]
    return " ".join(w.replace("$", "").replace("*", "") for w in words if w.strip("$*"))


def _header_lookup() -> dict[str, str]:
    lookup = {}
    for f in FIELDS:
        for name in (f.header_fr, f.header_en, *f.aliases):
            lookup[_header_key(name)] = f.key
    return lookup


_HEADERS = _header_lookup()
_FIELD = {f.key: f for f in FIELDS}


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return repr(value) if abs(value) < 1e15 or not math.isfinite(value) else f"{value:.6g}"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return " ".join(str(value).split())


def _find_header(rows: list[list]) -> tuple[int, dict[int, str], dict[int, str]] | None:
    """(row index, {column index: field key}, {column index: header text}) of the best header row."""
    best = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = {}
        for col, value in enumerate(row):
            key = _HEADERS.get(_header_key(value)) if isinstance(value, str) and value.strip() else None
            if key:
                keys.setdefault(col, key)
        distinct = set(keys.values())
        if "neq" in distinct and len(distinct) >= MIN_HEADER_MATCHES and (best is None or len(distinct) > best[0]):
            best = (len(distinct), index, keys)
    if best is None:
        return None
    _, index, keys = best
    headers = {col: _display(value) for col, value in enumerate(rows[index]) if _display(value)}
    return index, keys, headers


def check_file(path: str | Path, con: duckdb.DuckDBPyConnection | None = None, today: dt.date | None = None,
               actor: Account | None = None) -> FileCheck:
    """Read and validate one file; write nothing."""
    return check_files([path], con, today, actor)[0]


def check_files(paths, con: duckdb.DuckDBPyConnection | None = None, today: dt.date | None = None,
                actor: Account | None = None, progress=None,
                max_mb: float = filesafety.MAX_FILE_MB, started: dict | None = None) -> list[FileCheck]:
    """Read and validate files; write nothing. With `con`, last year's stored figures are compared, which needs an
    actor allowed to read them (else auth.Forbidden). With a non-admin actor, rows of other NEQs are errors.
    A file over `max_mb` is refused unread. `progress(fraction, label_key)` is told how far the work has gone, with
    fractions that only grow, ending with 1.0. `started`: reads begun earlier (sandbox.prefetch), path -> Pending,
    whose bytes and answers are used for those paths (and the children of those left unused are ended)."""
    max_year = (today or dt.date.today()).year
    paths = [Path(p) for p in paths]
    started = dict(started or {})
    try:
        report = _Progress(progress, paths)
        limits = ceilings(con)
        checks = [_check_one(path, max_year, actor, max_mb, report.file(i), limits, started.pop(path, None))
                  for i, path in enumerate(paths)]
    finally:
        for pending in started.values():
            pending.close()
    report.stage(PROGRESS_FILES, N_("progress_plausibility"))
    if actor is not None and actor.is_regional:
        for check in checks:
            _check_regions(check, con, actor)
    _check_duplicates(checks)
    _check_plausibility(checks, con, actor)
    order = {"error": 0, "warning": 1, "info": 2}
    for check in checks:
        check.problems.sort(key=lambda p: (p.sheet, p.row or 0, order[p.severity]))
    report.stage(1.0, N_("progress_done"))
    return checks


# Where the check of one file stands when its safety scan ends and when its sheets are read, by kind of file (the
# rest is validating the rows), as measured on 20 000-row files (docs/benchmarks.md, "Progress"); the name only
# weighs the bar, never decides anything. Fractions PROGRESS_FILES..1 are the checks across files (duplicates,
# plausibility against the stored figures).
PROGRESS_STEPS = {".ods": (0.40, 0.65), ".csv": (0.02, 0.15), ".txt": (0.02, 0.15), "": (0.12, 0.50)}
PROGRESS_FILES = 0.95


class _Progress:
    """Turns the steps of check_files into fractions of the whole for `callback(fraction, label_key)`: each file
    weighs its size, and within a file each step its usual share. Fractions never go down; 1.0 comes last."""

    def __init__(self, callback, paths: list[Path]):
        self.callback = callback
        sizes = []
        for path in paths:
            try:
                sizes.append(path.stat().st_size)
            except OSError:
                sizes.append(0)
        total = sum(sizes) or 1
        self.starts = [PROGRESS_FILES * sum(sizes[:i]) / total for i in range(len(sizes))]
        self.shares = [PROGRESS_FILES * size / total for size in sizes]
        self.last = (-1.0, "")

    def file(self, index: int):
        """A reporter for file `index`: step(within, key) with `within` from 0 to 1 of that file's work."""
        def step(within: float, key: str) -> None:
            self.stage(self.starts[index] + self.shares[index] * min(max(within, 0.0), 1.0), key)
        return step if self.callback is not None else None

    def stage(self, fraction: float, key: str) -> None:
        if self.callback is None:
            return
        fraction = max(fraction, self.last[0])
        if fraction >= self.last[0] + 0.005 or key != self.last[1] or (fraction == 1.0 and self.last[0] < 1.0):
            self.last = (fraction, key)
            self.callback(fraction, key)


def _check_one(path: Path, max_year: int, actor: Account | None, max_mb: float = filesafety.MAX_FILE_MB,
               step=None, limits: dict | None = None, pending: sandbox.Pending | None = None) -> FileCheck:
    name = path.name
    problems: list[Problem] = []
    empty = pd.DataFrame(columns=[f.key for f in FIELDS] + ["sheet", "source_row"])
    step = step or (lambda within, key: None)
    safety_end, read_end = PROGRESS_STEPS.get(path.suffix.lower(), PROGRESS_STEPS[""])
    step(0.0, N_("progress_safety"))
    try:
        too_large = filesafety.too_large(len(pending.data) if pending else path.stat().st_size, max_mb)
        if too_large is not None:
            if pending is not None:
                pending.close()
            return FileCheck(path, name, "", empty, [safety_problem(too_large, name)])
        data = pending.data if pending else path.read_bytes()  # the bytes sandbox.prefetch read and is parsing
    except OSError:
        return FileCheck(path, name, "", empty, [Problem("error", "file_missing", name)])
    sha = hashlib.sha256(data).hexdigest()

    def child_progress(stage: str, done: int, total: int) -> None:
        if stage == "scanned":
            step(safety_end, N_("progress_reading"))
        else:
            step(safety_end + (read_end - safety_end) * done / max(total, 1), "progress_reading")

    # The scan and the reader run in a child process with hard limits (sandbox): a crash, a limit reached or a
    # timeout there is a refusal here, never the end of the server.
    if pending is not None:
        read = pending.result(child_progress)
    else:
        read = sandbox.read(data, filesafety.MAX_CELLS, child_progress)
    refused = [f for f in read.findings if f.refuses]
    if refused:  # never parsed
        return FileCheck(path, name, sha, empty, [safety_problem(refused[0], name)], content=data)
    problems += [safety_problem(f, name) for f in read.findings]
    if read.unreadable is not None or read.grids is None:
        code, params = read.unreadable or (N_("file_sandbox"), {"reason": "protocol"})
        return FileCheck(path, name, sha, empty, problems + [Problem("error", code, name, params=params)],
                         content=data)
    grids = read.grids
    frames = []
    headers: dict[tuple[str, str], str] = {}
    found_header = False
    total_rows = sum(grid.height for grid in grids) or 1
    rows_before = 0
    for grid in grids:
        header = _find_header(grid.head(HEADER_SCAN_ROWS))
        if header is not None:
            found_header = True

            def rows_done(done: int, before=rows_before) -> None:
                step(read_end + (1 - read_end) * (before + done) / total_rows, N_("progress_validating"))

            frames.append(_check_sheet(name, grid, header, max_year, problems, actor, rows_done,
                                       limits or ceilings(None)))
            headers.update({(grid.sheet, key): header[2][col] for col, key in header[1].items()})
        rows_before += grid.height
    if not found_header:
        sheet = grids[0].sheet if len(grids) == 1 else ""
        expected = ", ".join(f"« {f.header_fr} »" for f in FIELDS if f.required)
        problems.append(Problem("error", "no_header", name, sheet, params={"expected": expected}))
    foreign = sorted({p.value for p in problems if p.code == "foreign_neq"})
    if foreign:
        problems.append(Problem("error", "foreign_neqs_file", name, params={"neqs": ", ".join(foreign)}))
    records = pd.concat(frames, ignore_index=True) if frames else empty
    step(1.0, "progress_validating")
    return FileCheck(path, name, sha, records, problems, headers, content=data)


def _check_regions(check: FileCheck, con, actor: Account) -> None:
    """A regional admin's file: a row of an MRC outside its regions, or replacing a year another region holds, is an
    error on its row, and the whole file is refused (like an enterprise's file holding another NEQ)."""
    foreign = set(auth.foreign_rows(con, actor, check.records))
    if not foreign:
        return
    regions = auth.mrc_regions()
    stored = {}
    if con is not None:
        stored = {(neq, year): region for neq, year, region in
                  con.execute(sql.load("stored_regions"), [sorted(foreign)]).fetchall()}
    keep = []
    for record in check.records.itertuples(index=False):
        region = regions.get(record.mrc)
        held = stored.get((record.neq, int(record.year)))
        if region in actor.regions and (held is None or held in actor.regions):
            keep.append(True)
            continue
        keep.append(False)
        column = check.headers.get((record.sheet, "neq"), _FIELD["neq"].header_fr)
        check.problems.append(Problem("error", "foreign_region_row", check.file_name, record.sheet,
                                      int(record.source_row), column, record.neq,
                                      {"region": held if region in actor.regions else region, "year": int(record.year),
                                       "own": ", ".join(actor.regions)}))
    check.problems.append(Problem("error", "foreign_region_file", check.file_name,
                                  params={"neqs": ", ".join(sorted(foreign))}))
    check.records = check.records[keep].reset_index(drop=True)


def safety_problem(finding: filesafety.Finding, file: str) -> Problem:
    """The Problem (an error) for what filesafety found in a file."""
    return Problem("error", finding.code, file, finding.sheet, finding.row, finding.column, finding.value,
                   finding.params)


def _check_sheet(file: str, grid: readers.Grid, header, max_year: int, problems: list[Problem],
                 actor: Account | None, rows_done=None, limits: dict | None = None) -> pd.DataFrame:
    """The valid rows of a sheet; every problem of its cells added to `problems`. Column by column (issue 16): each
    distinct text of a column is parsed once, number cells are checked in bulk and only the doubtful ones one by
    one (`_parse_column`), with the same rules and the same findings, in the same order, as a check row by row:
    a row with a problem is left out, empty rows and 'Total' rows are skipped."""
    header_index, keys, texts = header
    sheet = grid.sheet
    header_row = header_index + 1
    columns: dict[str, int] = {}
    for col, key in sorted(keys.items()):
        if key in columns:
            problems.append(Problem("error", "duplicate_column", file, sheet, header_row, texts[col], texts[col],
                                    {"other": texts[columns[key]], "expected": _FIELD[key].header_fr}))
        else:
            columns[key] = col
    for col, text in texts.items():
        if col not in keys:
            problems.append(Problem("info", "ignored_column", file, sheet, header_row, text, text))
    missing = [f for f in FIELDS if f.required and f.key not in columns]
    for f in missing:
        problems.append(Problem("error", "missing_column", file, sheet, header_row, f.header_fr, "",
                                {"expected": f.header_fr}))
    parsers = [(f, columns[f.key], texts[columns[f.key]]) for f in FIELDS if f.key in columns]
    limits = limits or ceilings(None)
    ceiling = {key: limits[setting] for key, setting in CEILINGS.items()}
    matchers = (reference.mrc_matcher(), reference.sector_matcher(), reference.legal_form_matcher())
    start = header_index + 1
    count = max(grid.height - start, 0)  # data rows: offset i is row start + i of the grid, start + i + 1 in Excel

    def raw(col: int, i: int):
        return grid.columns[col].cells(start + i, start + i + 1)[0]

    skipped = _empty_rows(grid, start, count, columns.get("neq"))
    parsed: dict[str, list] = {}
    errors: dict[str, list[int]] = {}
    for done, (f, col, _) in enumerate(parsers, start=1):
        parsed[f.key], errors[f.key] = _parse_column(f, grid.columns[col], start, max_year, matchers, ceiling)
        if rows_done is not None:
            rows_done(start + count * done // len(parsers))
    found: list[tuple[int, int, Problem]] = []  # (offset, field position, problem): a row-by-row check's order
    for i in _total_rows(grid, start, count, skipped, parsed.get("neq")):
        found.append((i, -1, Problem("info", "total_row", file, sheet, start + i + 1)))
        skipped.add(i)
    for position, (f, col, text) in enumerate(parsers):
        values = parsed[f.key]
        extra = {"max_year": max_year} if f.kind == "year" else {}
        for i in errors[f.key]:
            if i not in skipped:
                exc = values[i]
                cell = raw(col, i)
                found.append((i, position, _cell_problem(exc.code, file, sheet, start + i + 1, text,
                                                         _display(None if cell == "" else cell), exc.params | extra, f)))
        if f.required and None in values:
            found += [(i, position, _cell_problem(N_("required"), file, sheet, start + i + 1, text, "", {}, f))
                      for i, v in enumerate(values) if v is None and i not in skipped]
        if f.kind == "neq" and actor is not None:
            denied = {v for v in set(values) if type(v) is str and not actor.may_access(v)}
            found += [(i, position, Problem("error", "foreign_neq", file, sheet, start + i + 1, text, v,
                                            {"own": ", ".join(actor.neqs)}))
                      for i, v in enumerate(values) if v in denied and i not in skipped] if denied else []
    bad = skipped | {i for i, _, _ in found}
    ok = [i for i in range(count) if i not in bad] if bad else list(range(count))
    hours = _hours_problems(parsed, ok, limits, parsers, raw, file, sheet, start)
    if hours:
        found += hours
        failed = {i for i, _, _ in hours}
        ok = [i for i in ok if i not in failed]
    found.sort(key=lambda item: item[:2])
    problems.extend(problem for _, _, problem in found)
    if missing:  # rows without a required column are never valid; their other cells were still checked
        ok = []
    frame = _records_frame(parsed, ok, count, sheet, start)
    if len(frame) == 0 and not any(p.severity == "error" and p.sheet == sheet for p in problems):
        problems.append(Problem("error", "no_data", file, sheet, header_row))
    return frame


_BAD = object()  # a number cell that the bulk check leaves to the cell-by-cell rules


def _fast_values(f: Field, items: list, parsed: list, max_year: int, top: float) -> list | None:
    """The value of each cell of a column of `f`: `parsed[item]` for a text (or other) cell; for a number cell, the
    value `_cell_value` gives when the number surely passes the rules, else _BAD. None for the kinds whose
    number cells all go through `_cell_value`."""
    kind = f.kind
    if kind in ("amount", "hours"):
        return [(x if 0.0 <= x <= top else _BAD) if type(x) is float else parsed[x] for x in items]
    if kind == "int":
        return [(int(x) if 0.0 <= x <= top and x.is_integer() else _BAD) if type(x) is float else parsed[x]
                for x in items]
    if kind == "year":
        return [(int(x) if 2000.0 <= x <= max_year and x.is_integer() else _BAD) if type(x) is float else parsed[x]
                for x in items]
    if kind == "neq":
        return [(str(int(x)) if 1e9 <= x < 1e10 and x.is_integer() else _BAD) if type(x) is float else parsed[x]
                for x in items]
    return None


def _cell_value(f: Field, raw, max_year: int, matchers, ceiling: dict):
    """The value of one cell of `f`'s column, or the CellError saying why it has none."""
    raw = None if raw == "" else raw
    try:
        value = _parse(f, raw, max_year, *matchers)
        if value is not None and f.key in ceiling and value > ceiling[f.key]:
            raise parsing.CellError("above_ceiling", limit=ceiling[f.key])
    except parsing.CellError as exc:
        return exc
    return value


def _parse_column(f: Field, column: readers.Column, start: int, max_year: int, matchers,
                  ceiling: dict) -> tuple[list, list[int]]:
    """(the value of each data row's cell, a CellError where it has none; the offsets of those errors). Each
    distinct value of the column is parsed once (those of the header rows too: a few)."""
    items = column.items[start:]
    parsed = [_cell_value(f, v, max_year, matchers, ceiling) for v in column.values]
    values = _fast_values(f, items, parsed, max_year, ceiling.get(f.key, sys.float_info.max))
    if values is None:
        known: dict[float, object] = {}
        for x in items:
            if type(x) is float and x not in known:
                known[x] = _cell_value(f, x, max_year, matchers, ceiling)
        values = [known[x] if type(x) is float else parsed[x] for x in items]  # NaN: its own key each time
        if any(isinstance(v, parsing.CellError) for v in known.values()):
            return values, [i for i, v in enumerate(values) if isinstance(v, parsing.CellError)]
        numbers_wrong = []
    else:
        numbers_wrong = []
        for i in [i for i, v in enumerate(values) if v is _BAD]:
            values[i] = _cell_value(f, items[i], max_year, matchers, ceiling)
            if isinstance(values[i], parsing.CellError):
                numbers_wrong.append(i)
    wrong = {k for k, v in enumerate(parsed) if isinstance(v, parsing.CellError)}  # the header's texts, often
    # list.count counts the equal floats too (1.0 == 1): as many in the whole column as in the header rows means
    # none of those texts in the data rows, and no search
    everywhere = column.items
    wrong = {k for k in wrong if everywhere.count(k) != everywhere[:start].count(k)}
    texts_wrong = [i for i, x in enumerate(items) if x in wrong and type(x) is int] if wrong else []
    return values, sorted(texts_wrong + numbers_wrong) if numbers_wrong else texts_wrong


def _empty_rows(grid: readers.Grid, start: int, count: int, first: int | None) -> set[int]:
    """Offsets of the data rows whose every cell is empty ("", None or blanks)."""
    order = sorted(range(grid.width), key=lambda c: c != first)  # the NEQ column first: it empties the candidates
    candidates = None
    for c in order:
        column = grid.columns[c]
        empty = {k for k, v in enumerate(column.values)
                 if v in ("", None) or (isinstance(v, str) and not v.strip())}
        if not empty:
            return set()
        items = column.items
        if candidates is None:
            candidates = [i for i in range(count) if type(items[start + i]) is int and items[start + i] in empty]
        else:
            candidates = [i for i in candidates if type(items[start + i]) is int and items[start + i] in empty]
        if not candidates:
            return set()
    return set(range(count) if candidates is None else candidates)


def _total_rows(grid: readers.Grid, start: int, count: int, skipped: set[int], neqs: list | None) -> list[int]:
    """Offsets of the 'Total' lines under the data: no valid NEQ, and a cell starting with 'Total'."""
    candidates = [i for i in range(count) if i not in skipped and (neqs is None or type(neqs[i]) is not str)]
    totals = []
    for i in candidates:
        row = [column.cells(start + i, start + i + 1)[0] for column in grid.columns]
        if any(isinstance(v, str) and reference.normalize(v).startswith(("total", "grand total", "somme")) for v in row):
            totals.append(i)
    return totals


def _hours_problems(parsed: dict, ok: list[int], limits: dict, parsers, raw, file, sheet, start) -> list:
    """_hours_within for the rows at offsets `ok`: the rows over a limit found in bulk, then their problems."""
    none = [None] * (max(ok) + 1 if ok else 0)
    full, part, volunteers = (parsed.get(key, none) for key in ("jobs_full_time", "jobs_part_time", "volunteers"))
    suspects = set()
    if "paid_hours" in parsed:
        paid, per = parsed["paid_hours"], limits["max_hours_per_job"]
        suspects.update(i for i in ok if paid[i] is not None and paid[i] > per * max((full[i] or 0) + (part[i] or 0), 1))
    if "volunteer_hours" in parsed:
        hours, most = parsed["volunteer_hours"], limits["max_volunteers"]
        suspects.update(i for i in ok if hours[i] is not None and hours[i] > HOURS_PER_VOLUNTEER * (
            max(volunteers[i], 1) if volunteers[i] is not None else most))
    found = []
    keys = ("jobs_full_time", "jobs_part_time", "volunteers", "paid_hours", "volunteer_hours")
    for i in sorted(suspects):
        record = {key: parsed[key][i] for key in keys if key in parsed}
        problems: list[Problem] = []
        _hours_within(record, limits, parsers, file, sheet, start + i + 1, _RawRow(raw, i), problems)
        found += [(i, len(FIELDS) + n, p) for n, p in enumerate(problems)]
    return found


class _RawRow:
    """The cells of one row, as _hours_within reads them (`row[col]`)."""

    def __init__(self, raw, offset: int):
        self.raw, self.offset = raw, offset

    def __getitem__(self, col: int):
        return self.raw(col, self.offset)


def _records_frame(parsed: dict, ok: list[int], count: int, sheet: str, start: int) -> pd.DataFrame:
    """The valid rows (offsets `ok`) as the frame DataFrame.from_records made of one dict per row: FIELDS keys (a
    column absent from the file: NaN), sheet, source_row."""
    names = [f.key for f in FIELDS] + ["sheet", "source_row"]
    if not ok:
        return pd.DataFrame.from_records([], columns=names)
    whole = len(ok) == count
    nan = float("nan")
    data = {f.key: (parsed[f.key] if whole else [parsed[f.key][i] for i in ok]) if f.key in parsed
            else [nan] * len(ok) for f in FIELDS}
    data["sheet"] = [sheet] * len(ok)
    data["source_row"] = [start + i + 1 for i in ok]
    return pd.DataFrame(data, columns=names)


# Field -> the setting of its hard ceiling (ess_impact.settings): above it, an error.
CEILINGS = {"revenue_total": "max_amount", "revenue_earned": "max_amount", "revenue_grants": "max_amount",
            "payroll": "max_amount", "jobs_full_time": "max_jobs", "jobs_part_time": "max_jobs",
            "volunteers": "max_volunteers", "members": "max_members",
            "expenses_total": "max_amount", "revenue_public_contracts": "max_amount",
            "people_served": "max_members"}
MONEY_KEYS = ("revenue_total", "revenue_earned", "revenue_grants", "payroll", "expenses_total",
              "revenue_public_contracts")
HOURS_PER_VOLUNTEER = 8_760  # a year has 8 760 hours: no one volunteers more


def ceilings(con: duckdb.DuckDBPyConnection | None) -> dict[str, int]:
    """The import's hard ceilings: the settings of the database (or their defaults without one)."""
    found = settings.read(con) if con is not None else settings.defaults()
    return {key: getattr(found, key) for key in set(CEILINGS.values()) | {"max_hours_per_job"}}


def _hours_within(record: dict, limits: dict, parsers, file, sheet, excel_row, row, problems) -> bool:
    """Paid hours at most `max_hours_per_job` per job (headcount, at least 1); volunteer hours at most a year's hours
    (8 760) per volunteer (at least 1; the largest count allowed, `max_volunteers`, when the count is not given)."""
    ok = True
    jobs = (record.get("jobs_full_time") or 0) + (record.get("jobs_part_time") or 0)
    volunteers = record.get("volunteers")
    per_volunteer = HOURS_PER_VOLUNTEER * (max(volunteers, 1) if volunteers is not None else limits["max_volunteers"])
    rules = (("paid_hours", limits["max_hours_per_job"] * max(jobs, 1), N_("hours_above_ceiling")),
             ("volunteer_hours", per_volunteer, N_("volunteer_hours_above_ceiling")))
    for key, limit, code in rules:
        value = record.get(key)
        if value is not None and value > limit:
            f, col, text = next((p for p in parsers if p[0].key == key))
            problems.append(_cell_problem(code, file, sheet, excel_row, text, _display(row[col]),
                                          {"limit": limit, "per": limits["max_hours_per_job"],
                                           "jobs": max(jobs, 1), "n": max(volunteers or 0, 1)}, f))
            ok = False
    return ok


def _parse(f: Field, raw, max_year, mrc, sector, form):
    kind = f.kind
    if kind == "int":
        return parsing.parse_int(raw)
    if kind in ("amount", "hours"):
        return parsing.parse_number(raw)
    if kind == "neq":
        return parsing.parse_neq(raw)
    if kind == "year":
        return parsing.parse_year(raw, max_year)
    text = parsing.parse_text(raw)
    if text is None or kind == "text" or parsing.is_unknown(text):
        return None if parsing.is_unknown(text) else text
    matcher = {"mrc": mrc, "sector": sector, "legal_form": form}[kind]
    found = matcher.match(raw)
    if found.code is None:
        raise parsing.CellError(UNKNOWN[kind], suggestion=found.suggestion)
    return found.code


def _cell_problem(code, file, sheet, row, column, value, params, f: Field) -> Problem:
    return Problem("error", code, file, sheet, row, column, value, params, f.key)


_MONEY_PARAMS = ("value", "total", "prev")
_COUNT_CODES = ("hours_per_job", "hours_per_volunteer")
_CEILING_CODES = ("above_ceiling", "hours_above_ceiling", "volunteer_hours_above_ceiling")


def add_code_hint(code: str, params: dict, lang: str) -> None:
    """The 'hint' of an unknown MRC, sector or legal form message (`code` = unknown_<kind>): the suggestion found by
    the matcher ("Vouliez-vous dire … ?", taken out of params), else where to find the valid values."""
    suggestion = params.pop("suggestion", None)
    if suggestion:
        params["hint"] = t("did_you_mean", lang, suggestion=suggestion)
    elif code == "unknown_mrc":
        params["hint"] = t("mrc_hint", lang)
    else:
        column = "label_en" if lang == "en" else "label_fr"
        params["hint"] = t("sector_hint", lang, choices=", ".join(reference.sectors()[column]))


def _render_params(p: Problem, lang: str) -> dict:
    """Message parameters in the reader's language: expected values, hints, formatted amounts."""
    params = {"value": p.value, **p.params}
    if p.field_key:
        f = _FIELD[p.field_key]
        params["expected"] = t(EXPECT[f.kind], lang) if f.kind in EXPECT else (f.help_en if lang == "en" else f.help_fr)
        params.setdefault("max_year", dt.date.today().year)
    if p.code in filesafety.REFUSALS:
        for key in filesafety.SIZE_PARAMS:
            if key in params:
                params[key] = formatting.number(params[key], lang)
    elif p.code.startswith("unknown_"):
        add_code_hint(p.code, params, lang)
    elif p.code in _CEILING_CODES:
        money = p.field_key in MONEY_KEYS
        params["limit"] = (formatting.money if money else formatting.number)(params["limit"], lang)
        for key in ("per", "jobs", "n"):
            if key in params:
                params[key] = formatting.number(params[key], lang)
    elif p.code == "duplicate_row":
        params["other"] = t("row_ref", lang, row=params.pop("row"), where=params.pop("where"))
    elif p.severity == "warning":
        for key in _MONEY_PARAMS:
            if key in params:
                params[key] = (formatting.number if p.code in _COUNT_CODES else formatting.money)(params[key], lang)
        for key in ("jobs", "n"):
            if key in params:
                params[key] = formatting.number(params[key], lang)
        if "ratio" in params:
            params["ratio"] = formatting.number(params["ratio"], lang, 1)
    return params


def _check_duplicates(checks: list[FileCheck]) -> None:
    """One row per enterprise and year, across all the files of one import: later copies are errors."""
    frames = [c.records[["neq", "year", "sheet", "source_row"]].assign(check_index=i, position=range(len(c.records)))
              for i, c in enumerate(checks)]
    rows = pd.concat(frames, ignore_index=True)
    repeated = rows.duplicated(["neq", "year"], keep="first")
    if not repeated.any():
        return
    firsts = rows[~repeated].drop_duplicates(["neq", "year"]).set_index(["neq", "year"])
    bad: dict[int, list[int]] = {}
    for rec in rows[repeated].itertuples(index=False):
        first = firsts.loc[(rec.neq, rec.year)]
        check, first_check = checks[rec.check_index], checks[int(first.check_index)]
        where = first.sheet if first_check is check else f"{first_check.file_name}:{first.sheet}"
        check.problems.append(Problem(
            "error", "duplicate_row", check.file_name, rec.sheet, rec.source_row, _FIELD["neq"].header_fr,
            rec.neq, {"neq": rec.neq, "year": int(rec.year), "row": int(first.source_row), "where": where}))
        bad.setdefault(rec.check_index, []).append(rec.position)
    for index, positions in bad.items():
        records = checks[index].records
        checks[index].records = records.drop(records.index[positions]).reset_index(drop=True)


def _check_plausibility(checks: list[FileCheck], con, actor: Account | None) -> None:
    """Warnings: implausible but possible values. Needs the previous year, from the files or the database."""
    frames = [c.records.assign(check_index=i) for i, c in enumerate(checks) if len(c.records)]
    if not frames:
        return
    rows = pd.concat(frames, ignore_index=True)
    previous = rows[["neq", "year", "revenue_total"]]
    if con is not None:
        stored = history.previous_revenue(con, actor, rows["neq"].unique().tolist())
        previous = pd.concat([stored, previous]).drop_duplicates(["neq", "year"], keep="last")
    previous = previous.rename(columns={"revenue_total": "prev_revenue", "year": "prev_year"})
    rows["prev_year"] = rows["year"] - 1
    rows = rows.merge(previous, on=["neq", "prev_year"], how="left")
    jobs = (rows["jobs_full_time"] + rows["jobs_part_time"]).astype(float)
    total = rows["revenue_total"].astype(float)
    earned, grants = rows["revenue_earned"].astype(float), rows["revenue_grants"].astype(float)
    # public service agreements are a third part of the revenue (issue 14): earned + contracts + grants <= total
    contracts = rows["revenue_public_contracts"].astype(float)
    parts = (earned + grants).where(contracts.isna(), earned.fillna(0) + grants.fillna(0) + contracts)
    hours, volunteers = rows["paid_hours"].astype(float), rows["volunteers"].astype(float)
    ratio = total / rows["prev_revenue"].astype(float).where(lambda v: v > 0)
    above = earned > total
    rules = [  # (code, column, rows concerned, message parameters of one row)
        (N_("earned_above_total"), "revenue_earned", above, lambda i: {"value": earned[i], "total": total[i]}),
        (N_("parts_above_total"), "revenue_grants", ~above & contracts.isna() & (parts > total),
         lambda i: {"value": parts[i], "total": total[i]}),
        (N_("parts_above_total_contracts"), "revenue_public_contracts", ~above & contracts.notna() & (parts > total),
         lambda i: {"value": parts[i], "total": total[i]}),
        (N_("revenue_jump"), "revenue_total", (total > 0) & ((ratio >= 10) | (ratio <= 0.1)),
         lambda i: {"value": total[i], "ratio": ratio[i], "prev_year": int(rows["prev_year"][i]),
                    "prev": rows["prev_revenue"][i]}),
        (N_("revenue_per_job"), "revenue_total", total / jobs.clip(lower=1) > 1_000_000,  # no jobs counts as one
         lambda i: {"value": total[i] / max(jobs[i], 1)}),
        (N_("hours_per_job"), "paid_hours", (hours > 0) & (hours > 3000 * jobs.clip(lower=1)),
         lambda i: {"value": hours[i], "jobs": jobs[i]}),
        (N_("hours_per_volunteer"), "volunteer_hours", rows["volunteer_hours"] > 2000 * volunteers.clip(lower=1),
         lambda i: {"value": rows["volunteer_hours"][i], "n": volunteers[i]}),
    ]
    for code, key, mask, params in rules:
        for i in mask.fillna(False).to_numpy().nonzero()[0]:
            check = checks[rows["check_index"][i]]
            sheet = rows["sheet"][i]
            column = check.headers.get((sheet, key), _FIELD[key].header_fr)
            check.problems.append(Problem("warning", code, check.file_name, sheet, int(rows["source_row"][i]),
                                          column, "", params(i)))


def commit(con: duckdb.DuckDBPyConnection, checks: list[FileCheck], actor: Account | None, channel: str = "cli",
           accept_warnings: bool = False) -> list[history.WriteResult]:
    """Write all the files in one transaction, or nothing. history.write_imports checks again that the actor may
    write every NEQ (auth.Forbidden otherwise), whatever actor the files were checked with."""
    if any(c.errors for c in checks):
        raise ImportRefused("import_refused_errors")
    if not accept_warnings and any(c.warnings for c in checks):
        raise ImportRefused("import_refused_warnings")
    return history.write_imports(con, [(c.file_name, c.sha256, c.records, c.content) for c in checks], actor,
                                 channel)
