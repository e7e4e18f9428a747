"""Reading a spreadsheet file into grids of cell values, with python-calamine (Rust) for workbooks.

The format is decided by the file's content, not its extension. Row i of a grid (0-based) is row i + 1 as the
spreadsheet shows it. Merged cells are filled with the value of their top-left cell.

A grid is held as rows (lists of cell values) or as compact columns (`Column`: the number cells in a typed array,
the other cells as indexes into the list of their distinct values), which is how the sandbox's child sends it back
and how the importer validates it; each form is made from the other when it is first asked for.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from pathlib import Path

import python_calamine

from ess_impact import errors

CSV_SHEET = "CSV"


class UnreadableFile(errors.Invalid):
    """A file that cannot be read; `key` (also `code`) names the message."""


class Column:
    """One column of a grid: `items[i]` is row i's value when it is a float (a number cell), else the index of its
    value in `values` (text, int, bool, date... and "" for an empty cell), which holds each such value once, so
    that a reader parses it once."""

    __slots__ = ("items", "values")

    def __init__(self, items: list, values: list):
        self.items, self.values = items, values

    def cells(self, start: int = 0, stop: int | None = None) -> list:
        """The values of rows start..stop - 1."""
        values = self.values
        return [v if type(v) is float else values[v] for v in self.items[start:stop]]

    @classmethod
    def encode(cls, cells: list | tuple) -> Column:
        index: defaultdict = defaultdict()
        index.default_factory = index.__len__  # a value not seen yet gets the next index
        # other values than text keyed by type too: 1 and True are equal keys of a dict, not the same cell
        items = [v if type(v) is float else index[v] if type(v) is str else index[(type(v), v)] for v in cells]
        return cls(items, [k if type(k) is str else k[1] for k in index])


class Grid:
    """A sheet's cells: `rows` (lists, as the reader gives them; CSV rows may be of different lengths) or `columns`
    (Column, `height` rows each, a row's missing cells as ""; `lengths` keeps the length of each row when they
    differ). Either can be given; the other is made from it when asked for."""

    def __init__(self, sheet: str, rows: list[list] | None = None, *, columns: list[Column] | None = None,
                 height: int = 0, lengths: list[int] | None = None):
        self.sheet = sheet
        self._rows, self._columns, self.lengths = rows, columns, lengths
        if rows is not None:
            self.height = len(rows)
        else:
            self.height = height

    def __repr__(self) -> str:
        return f"Grid({self.sheet!r}, {self.height} rows)"

    def __eq__(self, other) -> bool:
        return isinstance(other, Grid) and (self.sheet, self.rows) == (other.sheet, other.rows)

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def rows(self) -> list[list]:
        if self._rows is None:
            self._rows = self.head(self.height)
        return self._rows

    @property
    def columns(self) -> list[Column]:
        if self._columns is None:
            self._columns, self.lengths = encode_rows(self._rows)
        return self._columns

    def head(self, count: int) -> list[list]:
        """The first `count` rows as lists, as the reader gave them."""
        if self._rows is not None:
            return self._rows[:count]
        count = min(count, self.height)
        if not self._columns:
            rows = [[] for _ in range(count)]
        else:
            rows = [list(row) for row in zip(*(c.cells(0, count) for c in self._columns))]
        if self.lengths is not None:
            rows = [row[:n] for row, n in zip(rows, self.lengths)]
        return rows


def encode_rows(rows: list[list]) -> tuple[list[Column], list[int] | None]:
    """(columns, row lengths or None when every row has the grid's width) of a grid's rows."""
    lengths = list(map(len, rows))
    width = max(lengths, default=0)
    if lengths and min(lengths) != width:
        rows = [row + [""] * (width - len(row)) if len(row) < width else row for row in rows]
    else:
        lengths = None
    return [Column.encode(cells) for cells in zip(*rows)] if width else [], lengths


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
