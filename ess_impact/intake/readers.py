"""Reading a spreadsheet file into grids of cell values, with python-calamine (Rust) for workbooks.

The format is decided by the file's content, not its extension. Row i of a grid (0-based) is row i + 1 as the
spreadsheet shows it. Merged cells are filled with the value of their top-left cell.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import python_calamine

from ess_impact import errors

CSV_SHEET = "CSV"


class UnreadableFile(errors.Invalid):
    """A file that cannot be read; `key` (also `code`) names the message."""


@dataclass
class Grid:
    sheet: str
    rows: list[list]


def sniff_format(head: bytes) -> str:
    """'zip' (xlsx, xlsm, ods), 'ole' (xls), 'text' (csv) or 'unknown'."""
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if not head:
        return "empty"
    sample = head[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unknown"
    return "text"


def read_grids(source: str | Path | bytes, max_cells: int | None = None, on_sheet=None) -> list[Grid]:
    """The worksheets of a file (a path or its bytes). `max_cells`: refuse (code sheet_too_large) a workbook whose
    sheets hold more cells than this, checked on each sheet before it becomes Python lists (filesafety refuses such
    files earlier, from their bytes; this is the second lock). `on_sheet(done, total)` after each sheet is read."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    kind = sniff_format(data[:8192])
    if kind == "empty":
        raise UnreadableFile("file_empty")
    if kind == "unknown":
        raise UnreadableFile("file_format")
    if kind == "text":
        return [Grid(CSV_SHEET, read_csv_rows(data))]
    try:
        return _read_workbook(data, max_cells, on_sheet)
    except UnreadableFile:
        raise
    except BaseException as exc:
        # calamine raises several error types for corrupt or foreign files, and on some damaged ones its Rust code
        # panics (pyo3's PanicException, a BaseException): both are an unreadable file, never a traceback.
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise UnreadableFile("file_unreadable", detail=str(exc)[:200]) from exc


def _read_workbook(data: bytes, max_cells: int | None, on_sheet) -> list[Grid]:
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    grids = []
    sheets = [m.name for m in workbook.sheets_metadata if str(m.typ) in ("SheetTypeEnum.WorkSheet", "WorkSheet")]
    cells = 0
    for done, name in enumerate(sheets, start=1):
        sheet = workbook.get_sheet_by_name(name)
        if sheet.end is not None and max_cells is not None:
            rows, columns = sheet.end[0] + 1, sheet.end[1] + 1
            cells += rows * columns
            if cells > max_cells:
                raise UnreadableFile("sheet_too_large", sheet=name, rows=rows, columns=columns, cells=rows * columns,
                                     last_column=column_letters(columns), limit=max_cells)
        rows = sheet.to_python(skip_empty_area=False)
        _fill_merged(rows, sheet.merged_cell_ranges or [])
        grids.append(Grid(name, rows))
        if on_sheet is not None:
            on_sheet(done, len(sheets))
    return grids


def column_letters(number: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _fill_merged(rows: list[list], ranges) -> None:
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if row[c] in ("", None):
                    row[c] = value


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (French Excel's CSV)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


MAX_CSV_FIELD = 131_072  # characters: Python's csv default; a longer field is no figure nor name


def read_csv_rows(data: bytes) -> list[list]:
    """The rows of a delimited text file. A field longer than MAX_CSV_FIELD characters, or a NUL character, is an
    unreadable file (code csv_malformed, with the line), never a traceback."""
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(text))
    try:
        return list(reader)
    except csv.Error as exc:
        raise UnreadableFile("csv_malformed", line=reader.line_num, limit=MAX_CSV_FIELD,
                             detail=str(exc)[:120]) from exc


def guess_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent number of fields (> 1).
    Decimal commas in a French `;` file give ragged counts for `,`, so `;` wins there."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = ";", (-1, 0)
    for delimiter in ";,\t|":
        try:
            counts = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        except csv.Error:  # a field too long or a NUL: read_csv_rows says so with the line
            continue
        width, frequency = max(counts.items(), key=lambda kv: (kv[1], kv[0])) if counts else (1, 0)
        score = (frequency if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best
