"""Checks on a file's bytes before any reader parses it, the same for every channel (command line, app upload,
admin bulk import): importer.check_files runs them on every file it reads.

    findings = inspect(data)     # [] when the file may be read; a refusal (f.refuses) means: do not read it

- A zip-based workbook (.xlsx, .xlsm, .ods) whose parts would inflate to more than MAX_UNCOMPRESSED_MB, or more than
  MAX_RATIO times their compressed size (a "zip bomb"), is refused from the zip directory alone, nothing inflated.
- A sheet too large to read is refused before the reader sees it. python-calamine allocates the whole rectangle
  from A1 to the last cell holding a value, so a 5 KB .xlsx with one value in A1 and one in XFD1048576 asks for
  550 GB and aborts the process, and one with values in P1 and A1048576 takes 750 MB. The extent is found by
  streaming the sheet's XML (.xlsx/.xlsm, .ods: with its repeated rows and columns), by walking the cell records
  (.xls) or by counting separators (.csv), and the file is refused when its sheets hold more than MAX_CELLS cells.
  Names are read as the reader reads them (an .xlsx cell is any element named `c`, whatever its prefix; an .ods
  cell is the literal `table:table-cell`), and a workbook these scans cannot follow is refused, not read.
  The .xlsx and .ods scans work on bytes for the usual layouts (fast) and fall back to an exact expat parse.
- Formulas are never evaluated: the readers take the value the spreadsheet saved. A formula cell without a saved
  value (a file written by a program that does not compute formulas) is reported (.xlsx/.xlsm and .ods).

The size of the file itself is the caller's first check (`too_large`): MAX_FILE_MB for any channel, and the app's
own lower limit (setting `max_upload_mb`) for uploads.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import sys
import zipfile
import zlib
from array import array
from dataclasses import dataclass, field
from xml.parsers import expat

from ess_impact.intake import readers
from ess_impact.labels import N_

MAX_FILE_MB = 100               # any file, any channel (a whole region's survey is 2-10 MB)
MAX_UNCOMPRESSED_MB = 200       # all the parts of a workbook, inflated
MAX_RATIO = 100                 # inflated / compressed, for any part above RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1 << 20
MAX_ZIP_MEMBERS = 10_000
MAX_CELLS = 5_000_000           # rows x columns the reader would allocate, all sheets of a file together
CHUNK_BYTES = 1 << 20

REFUSALS = ("upload_too_large", "upload_zip_bomb", "sheet_too_large", "file_too_many_cells", "csv_too_large",
            "file_format", "file_unreadable", "file_sandbox", "csv_malformed")
SIZE_PARAMS = ("rows", "columns", "cells", "limit", "line")  # numbers in the refusal messages, formatted for the reader


@dataclass
class Finding:
    code: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    params: dict = field(default_factory=dict)

    @property
    def refuses(self) -> bool:
        """The file must not be read at all."""
        return self.code in REFUSALS


@dataclass
class Extent:
    """The rectangle a reader allocates for a sheet: from A1 to the last row and column holding a value."""
    sheet: str
    rows: int = 0
    columns: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def too_large(size_bytes: int, max_mb: float) -> Finding | None:
    if size_bytes > max_mb * 1024 * 1024:
        return Finding("upload_too_large", params={"max_mb": max_mb, "size_mb": round(size_bytes / 1048576, 1)})
    return None


def inspect(data: bytes) -> list[Finding]:
    """One refusal (zip bomb, sheet too large, .xlsb, a workbook whose parts cannot be followed), or the formula
    cells without a saved value, or nothing. The scans read names the way python-calamine does (local names in
    .xlsx whatever their prefix, the literal `table:` names in .ods), so that no spelling reaches the reader
    unmeasured; a workbook they cannot follow is refused rather than handed to the reader."""
    kind = readers.sniff_format(data[:8192])
    if kind == "text":
        return _too_many_cells([_csv_extent(data)])
    if kind == "ole":
        try:
            return _too_many_cells(_xls_extents(data))
        except ValueError as exc:
            return [Finding("file_unreadable", params={"detail": f"OLE: {str(exc)[:120]}"})]
    if kind != "zip":
        return []
    bomb = zip_bomb(data)
    if bomb is not None:
        return [bomb]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                extents, formulas = _scan_xlsx(archive, names)
            elif "content.xml" in names:
                extents, formulas = _scan_ods(archive)
            elif "xl/workbook.bin" in names:
                return [Finding("file_format")]  # .xlsb: the reader would open it, nothing here can check it
            else:
                return []  # not a workbook: the reader says so
    except (zipfile.BadZipFile, expat.ExpatError, KeyError, ValueError, OSError, EOFError, NotImplementedError,
            zlib.error, RuntimeError) as exc:
        return [Finding("file_unreadable", params={"detail": f"{type(exc).__name__}: {str(exc)[:120]}"})]
    return _too_many_cells(extents) or formulas


def zip_bomb(data: bytes) -> Finding | None:
    """From the zip directory alone: too many parts, too much once inflated, or an absurd compression ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError, EOFError):
        return None  # inspect refuses a zip it cannot open
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > RATIO_FLOOR_BYTES), default=0)
    if len(infos) > MAX_ZIP_MEMBERS or total > MAX_UNCOMPRESSED_MB * 1048576 or worst > MAX_RATIO:
        return Finding("upload_zip_bomb", params={"size_mb": round(total / 1048576)})
    return None


def _too_many_cells(extents: list[Extent]) -> list[Finding]:
    largest = max(extents, key=lambda e: e.cells, default=None)
    if largest is None:
        return []
    total = sum(e.cells for e in extents)
    if largest.sheet == readers.CSV_SHEET:
        code, params = N_("csv_too_large"), {"rows": largest.rows, "cells": largest.cells}
    elif largest.cells > MAX_CELLS:
        code, params = "sheet_too_large", {"sheet": largest.sheet, "rows": largest.rows, "columns": largest.columns,
                                           "cells": largest.cells,
                                           "last_column": readers.column_letters(largest.columns)}
    else:
        code, params = N_("file_too_many_cells"), {"cells": total, "sheets": len(extents)}
    if total <= MAX_CELLS:
        return []
    return [Finding(code, largest.sheet if code == "sheet_too_large" else "", params=params | {"limit": MAX_CELLS})]


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


# ----------------------------------------------------------------------------------------------------- .xlsx/.xlsm
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData[\s>/]")
_REF = re.compile(r"([A-Za-z]+)(\d+)$")
_BOX_COLUMNS = 26
_ENTITIES = {"&quot;": '"', "&apos;": "'"}


def unescape(text: str, entities: dict[str, str]) -> str:
    """xml.sax.saxutils.unescape, whose module loads urllib, http and email (the command line's start-up, issue 16)."""
    text = text.replace("&lt;", "<").replace("&gt;", ">")
    for entity, character in entities.items():
        text = text.replace(entity, character)
    return text.replace("&amp;", "&")


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of each worksheet as the reader finds it: a `sheet` of workbook.xml, its relationship
    id (any attribute named id, whatever its prefix) and every relationship with that id. Prefixes and attribute
    order do not matter; a part named twice is measured once."""
    rels: dict[str, list[str]] = {}
    for attributes in _elements(archive.read("xl/_rels/workbook.xml.rels"), "Relationship"):
        target = attributes.get("Target", "")
        part = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
        rels.setdefault(attributes.get("Id"), []).append(part)
    parts: list[tuple[str, str]] = []
    for attributes in _elements(archive.read("xl/workbook.xml"), "sheet"):
        for key, rid in attributes.items():
            if key.rpartition(":")[2] != "id":
                continue
            for part in rels.get(rid, []):
                if part not in (p for _, p in parts):
                    parts.append((attributes.get("name", ""), part))
    return parts


def _elements(xml: bytes, local: str) -> list[dict]:
    """The attributes of every element named `local`, whatever its prefix (no namespace processing, as the
    reader)."""
    found = []
    parser = expat.ParserCreate()
    parser.StartElementHandler = lambda name, attrs: found.append(attrs) if name.rpartition(":")[2] == local \
        else None
    parser.Parse(xml, True)
    return found


def _scan_xlsx(archive: zipfile.ZipFile, names: set[str]) -> tuple[list[Extent], list[Finding]]:
    parts = [(sheet, part) for sheet, part in _sheet_parts(archive) if part in names]
    scans = [_xlsx_fast(archive, part, sheet) for sheet, part in parts]
    if sum(s[0].cells for s in scans if s is not None) > MAX_CELLS:
        scans = [None] * len(parts)  # the bounds of the fast scan add up over the limit: measure exactly
    extents, formulas = [], []
    for (sheet, part), scan in zip(parts, scans):
        if scan is None:
            scan = _xlsx_exact(archive, part, sheet)
        extents.append(scan[0])
        formulas += scan[1]
    return extents, formulas


def _xlsx_fast(archive: zipfile.ZipFile, part: str, sheet: str) -> tuple[Extent, list[Finding]] | None:
    """Regex scan of the sheet XML as spreadsheet programs write it (`<c r="B7" ...>`, one namespace prefix), when
    every ref lies within columns A-ZZ and rows 1-99 999: gives an upper bound of the extent (columns: Z, or the
    last two-letter column seen; rows: the next power of ten above the longest row number) and the formula cells
    without a saved value. None when the part is written otherwise or holds a ref outside that box: the exact parse
    decides."""
    with archive.open(part) as stream:
        buffer = stream.read(CHUNK_BYTES)
        found = _SHEET_DATA.search(buffer)
        if found is None:
            return None
        prefix = found.group(1) or b""
        cell, p = b"<" + prefix + b"c ", re.escape(prefix)
        # a cell not written <c r="..." with a ref inside the box (columns A-ZZ, rows 1-99 999): one pass for both
        odd_cell = re.compile(b"<" + p + rb'c(?! r="[A-Z]{1,2}[1-9]\d{0,4}")[\s/>]')
        # The reader takes any element named c as a cell, whatever its prefix: another prefix (or none, in a
        # prefixed sheet) sends the sheet to the exact parse.
        other_prefix = re.compile(rb"(?<!<" + p[:-1] + rb"):c[\s/>]|<c[\s/>]" if prefix else rb":c[\s/>]")
        formula = re.compile(b"<" + p + rb"f[\s/>]")
        digits = [re.compile(b"<" + p + rb'c r="[A-Z]{1,2}[1-9]\d{%d}"' % (n - 1)) for n in range(5, 0, -1)]
        wide = re.compile(b"<" + p + rb'c r="([A-Z]{2})[1-9]')
        scan = _FormulaCells(sheet, prefix)
        longest, columns = 0, set()
        while True:
            chunk = stream.read(CHUNK_BYTES)
            cut = buffer.rfind(cell) if chunk else len(buffer)  # pieces of whole cells: cut before the last one
            if cut == -1:
                cut = max(buffer.rfind(b"<"), 0)                # no cell begins here, so none is open
            done, buffer = buffer[:cut], buffer[cut:] + chunk
            if odd_cell.search(done) or other_prefix.search(done):
                return None
            for n, pattern in zip(range(5, longest, -1), digits):
                if pattern.search(done):
                    longest = n
                    break
            columns.update(wide.findall(done))  # only cells past column Z match
            if formula.search(done) and not scan.read(done):
                return None
            if not chunk:
                break
    rows = 10 ** longest - 1
    width = max((_column_number(c.decode()) for c in columns), default=_BOX_COLUMNS)
    return Extent(sheet, rows, width if rows else 0), scan.formulas


class _FormulaCells:
    """The formula cells of pieces of sheet XML (whole cells only) whose saved value is missing: no `<v>`, or an
    empty one that is not the empty text a formula of type `str` may give."""

    def __init__(self, sheet: str, prefix: bytes):
        p = re.escape(prefix)
        self.sheet, self.start, self.end = sheet, b"<" + prefix + b'c r="', b"</" + prefix + b"c>"
        self.formula = re.compile(b"<" + p + rb"f[\s/>]")
        self.text = re.compile(b"<" + p + rb"f(?:\s[^>]*)?>(.*?)</" + p + b"f>", re.DOTALL)
        self.value = re.compile(b"<" + p + rb"v(?:\s[^>]*)?>(.*?)</" + p + b"v>", re.DOTALL)
        self.inline = re.compile(b"<" + p + rb"is[\s/>]")
        self.ref = re.compile(rb'r="([A-Z]{1,3})(\d+)"')
        self.type = re.compile(rb'\st="(\w+)"')
        self.formulas: list[Finding] = []

    def read(self, piece: bytes) -> bool:
        """False when a formula is not inside a cell as expected (the exact parse then decides)."""
        position = 0
        while (found := self.formula.search(piece, position)) is not None:
            start = piece.rfind(self.start, 0, found.start())
            end = piece.find(self.end, found.end())
            if start == -1 or end == -1 or piece.find(b">", start) > found.start():
                return False
            cell = piece[start:end]
            head = cell[:cell.index(b">") + 1]
            value = self.value.search(cell)
            kind = self.type.search(head)
            saved = self.inline.search(cell) or (value is not None and (value.group(1).strip() or (
                kind is not None and kind.group(1) == b"str")))
            if not saved:
                column, row = self.ref.search(head).groups()
                text = self.text.search(cell)
                formula = unescape(text.group(1).decode("utf-8", "replace"), _ENTITIES) if text else ""
                self.formulas.append(Finding("formula_no_value", self.sheet, int(row), column.decode(),
                                             "=" + formula[:60]))
            position = end
        return True


class _XlsxCells:
    """Exact parse of a worksheet's XML (expat, streamed): the reader's extent, and the formula cells whose saved
    value is missing. Follows python-calamine: a cell without `r` comes after the previous one, a row without `r`
    after the previous row, and only cells holding a value (`<v>`, `<is>`) extend the rectangle."""

    def __init__(self, sheet: str):
        self.extent = Extent(sheet)
        self.formulas: list[Finding] = []
        self.row = self.column = 0
        self.cell: dict | None = None
        self.text: list[str] | None = None

    def start(self, name: str, attrs: dict) -> None:
        local = name.rpartition(":")[2]
        if local == "row":
            r = attrs.get("r", "")
            self.row = int(r) if r.isdigit() else self.row + 1
            self.column = 0
        elif local == "c" and self.cell is None:
            ref = _REF.match(attrs.get("r", ""))
            if ref:
                self.column, self.row = _column_number(ref.group(1).upper()), int(ref.group(2))
            else:
                self.column += 1
            self.cell = {"row": self.row, "column": self.column, "type": attrs.get("t", ""), "formula": None,
                         "value": None, "inline": False}
        elif self.cell is not None and local in ("f", "v"):
            self.text = []
        elif self.cell is not None and local == "is":
            self.cell["inline"] = True

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        cell = self.cell
        if cell is None:
            return
        if local in ("f", "v") and self.text is not None:
            cell["formula" if local == "f" else "value"] = "".join(self.text)
            self.text = None
        elif local == "c":
            has_value = cell["inline"] or cell["value"] is not None
            if has_value:
                self.extent.rows = max(self.extent.rows, cell["row"])
                self.extent.columns = max(self.extent.columns, cell["column"])
                if self.extent.cells > MAX_CELLS:
                    raise _Enough
            saved = cell["inline"] or (cell["value"] is not None and (cell["value"].strip() or cell["type"] == "str"))
            if cell["formula"] is not None and not saved:
                self.formulas.append(Finding("formula_no_value", self.extent.sheet, cell["row"],
                                             readers.column_letters(cell["column"]), "=" + cell["formula"][:60]))
            self.cell = None

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)


def _xlsx_exact(archive: zipfile.ZipFile, part: str, sheet: str) -> tuple[Extent, list[Finding]]:
    scan = _XlsxCells(sheet)
    _parse(archive, part, scan)
    return scan.extent, scan.formulas


def _parse(archive: zipfile.ZipFile, part: str, scan) -> None:
    """Stream `part` through expat into `scan`'s handlers. Names stay as written (no namespace processing): the
    reader matches .xlsx elements by local name and .ods elements by their literal `table:` names."""
    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = scan.start, scan.end
    parser.CharacterDataHandler = scan.data
    parser.buffer_text = True
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Enough:
        pass


class _Enough(Exception):
    """The scan has seen enough: the sheet is already over the limit."""


# ------------------------------------------------------------------------------------------------------------ .ods
_TABLE_NS = "table:"  # literal prefixes: python-calamine matches `table:table-cell`, not the namespace
_OFFICE = "office:"
_TEXT_P = "text:p"
_SAVED = tuple(_OFFICE + a for a in ("value", "date-value", "time-value", "boolean-value", "string-value"))
_CELL, _COVERED, _ROW, _TABLE = (_TABLE_NS + n for n in ("table-cell", "covered-table-cell", "table-row", "table"))
_COLUMNS_REPEATED = _TABLE_NS + "number-columns-repeated"
_ROWS_REPEATED = _TABLE_NS + "number-rows-repeated"
_FORMULA, _NAME, _VALUE_TYPE = _TABLE_NS + "formula", _TABLE_NS + "name", _OFFICE + "value-type"


class _OdsCells:
    """Exact parse of content.xml (expat, streamed). Repeated rows and columns count as what they repeat: a row of
    values repeated a million times is a million rows to the reader; empty repeats (LibreOffice pads every sheet to
    1 048 576 rows with them) extend nothing. A cell counts as holding a value when it has a type or a text paragraph.
    A formula cell has a saved value when it carries an office:*value attribute, is of type string (its text is the
    value), or holds a text paragraph (LibreOffice writes an empty result, e.g. of `=""`, as `<text:p/>` with no
    type)."""

    def __init__(self):
        self.extents: list[Extent] = []
        self.formulas: list[Finding] = []
        self.extent = Extent("")
        self.row = self.row_repeat = self.row_columns = self.column = 0
        self.in_cell = self.filled = False
        self.repeat, self.formula, self.saved = 1, None, False

    def start(self, name: str, attrs: dict) -> None:
        if name == _CELL or name == _COVERED:
            self.in_cell = True
            repeat = attrs.get(_COLUMNS_REPEATED)
            self.repeat = int(repeat) if repeat and repeat.isdigit() else 1
            typed = attrs.get(_VALUE_TYPE)
            self.filled = typed is not None
            self.formula = attrs.get(_FORMULA)
            if self.formula is not None:
                self.saved = typed == "string" or any(a in attrs for a in _SAVED)
        elif name == _TEXT_P:
            if self.in_cell:
                self.filled = self.saved = True
        elif name == _ROW:
            repeat = attrs.get(_ROWS_REPEATED)
            self.row_repeat = int(repeat) if repeat and repeat.isdigit() else 1
            self.row_columns = self.column = 0
        elif name == _TABLE:
            self.extent = Extent(attrs.get(_NAME, ""))
            self.extents.append(self.extent)
            self.row = 0

    def end(self, name: str) -> None:
        if name == _CELL or name == _COVERED:
            first = self.column + 1
            self.column += self.repeat
            if self.filled:
                self.row_columns = self.column
            if self.formula is not None and not self.saved:
                formula = self.formula.split(":", 1)[1] if re.match(r"[a-z]+:", self.formula) else self.formula
                self.formulas.append(Finding("formula_no_value", self.extent.sheet, self.row + 1,
                                             readers.column_letters(first), formula[:61]))
            self.in_cell, self.formula = False, None
        elif name == _ROW:
            if self.row_columns:
                extent = self.extent
                extent.rows = self.row + self.row_repeat
                extent.columns = max(extent.columns, self.row_columns)
                if extent.cells > MAX_CELLS:
                    raise _Enough
            self.row += self.row_repeat

    def data(self, text: str) -> None:
        pass


def _scan_ods(archive: zipfile.ZipFile) -> tuple[list[Extent], list[Finding]]:
    fast = _ods_fast(archive)
    if fast is not None:
        return fast
    scan = _OdsCells()
    _parse(archive, "content.xml", scan)
    return scan.extents, scan.formulas


_ODS_SHEET = re.compile(rb"<table:table(?=[\s>/])([^>]*)>")
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_RAW_GT = re.compile(rb'="[^"<]*>')
_ODS_ROW = re.compile(rb"<table:table-row(?=[\s>/])([^>]*)>")
_ODS_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_FORMULA = re.compile(rb'table:formula="([^"]*)"')
_ODS_SAVED = (b"office:value=", b"office:date-value=", b"office:time-value=", b"office:boolean-value=",
              b"office:string-value=", b'office:value-type="string"')
_ROW_END = b"</table:table-row>"


def _ods_fast(archive: zipfile.ZipFile) -> tuple[list[Extent], list[Finding]] | None:
    """Byte-level scan of content.xml, one row at a time, with the literal names the reader uses (`table:`,
    `office:`, `text:`): the same extents and formula findings as _OdsCells at a fraction of the cost. None when the
    file is written in a way this scan does not follow: the exact parse decides."""
    extents: list[Extent] = []
    formulas: list[Finding] = []
    state = {"extent": None, "row": 0}
    with archive.open("content.xml") as stream:
        buffer = stream.read(CHUNK_BYTES)
        while True:
            chunk = stream.read(CHUNK_BYTES)
            cut = buffer.rfind(_ROW_END) if chunk else len(buffer)
            cut = cut + len(_ROW_END) if chunk and cut != -1 else max(cut, 0)
            done, buffer = buffer[:cut], buffer[cut:] + chunk
            if b"is-sub-table" in done or _RAW_GT.search(done):
                return None  # tables inside cells, or a ">" inside an attribute value
            pieces = done.split(_ROW_END)
            for piece in pieces[:-1]:
                if not _ods_row(piece, state, extents, formulas):
                    return None
            if not chunk:
                break
    return extents, formulas


def _ods_row(piece: bytes, state: dict, extents: list[Extent], formulas: list[Finding]) -> bool:
    """One row: everything from the end of the previous row to the end of this one (a new sheet may start there,
    and empty rows written as `<table:table-row .../>` may come before it)."""
    base = 0
    for sheet in _ODS_SHEET.finditer(piece):
        name = _ODS_NAME.search(sheet.group(1))
        extent = Extent(unescape(name.group(1).decode("utf-8", "replace"), _ENTITIES) if name else "")
        extents.append(extent)
        state["extent"], state["row"], base = extent, 0, sheet.end()
    extent = state["extent"]
    rows = _ODS_ROW.findall(piece, base)
    if extent is None or not rows:
        return False
    for attributes in rows[:-1]:  # empty rows before this one: they only move it down
        if not attributes.endswith(b"/"):
            return False
        state["row"] += _ods_repeat(_ODS_ROWS_REPEATED.search(attributes))
    repeat = _ods_repeat(_ODS_ROWS_REPEATED.search(rows[-1]))
    start = piece.rfind(b"<table:table-row", base)
    cells = piece[piece.find(b">", start) + 1:]
    last = max(cells.rfind(b"office:value-type="), cells.rfind(b"<text:p"))
    if last != -1:
        columns = _ods_columns(cells, cells.find(b">", last))
        extent.rows = state["row"] + repeat
        extent.columns = max(extent.columns, columns)
    if b"table:formula=" in cells:
        position = 0
        while (found := _ODS_FORMULA.search(cells, position)) is not None:
            cell_start = cells.rfind(b"<table:", 0, found.start())
            tag_end = cells.find(b">", found.end())
            head = cells[cell_start:tag_end + 1]
            body = b"" if head.endswith(b"/>") else cells[tag_end + 1:cells.find(b"</table:", tag_end)]
            if not (any(a in head for a in _ODS_SAVED) or b"<text:p" in body):
                formula = unescape(found.group(1).decode("utf-8", "replace"), _ENTITIES)
                formula = formula.split(":", 1)[1] if re.match(r"[a-z]+:", formula) else formula
                formulas.append(Finding("formula_no_value", extent.sheet, state["row"] + 1,
                                        readers.column_letters(_ods_columns(cells, cell_start) + 1), formula[:61]))
            position = tag_end
    state["row"] += repeat
    return True


def _ods_repeat(found: re.Match | None) -> int:
    return int(found.group(1)) if found else 1


def _ods_columns(cells: bytes, end: int) -> int:
    """Columns taken by the cells that begin before `end` in a row's XML, repeats included."""
    count = cells.count(b"<table:table-cell", 0, end) + cells.count(b"<table:covered-table-cell", 0, end)
    return count + sum(int(n) - 1 for n in _ODS_COLUMNS_REPEATED.findall(cells, 0, end))


# ------------------------------------------------------------------------------------------------------------ .csv
def _csv_extent(data: bytes) -> Extent:
    """Rows and (average) columns of a delimited text file, from counts of line breaks and delimiters: the reader
    keeps every field of every line."""
    delimiter = readers.guess_delimiter(readers.decode_text(data[:65536]))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = readers.decode_text(data)
        lines, fields = text.count("\n") + (not text.endswith("\n")), text.count(delimiter)
    else:
        lines, fields = data.count(b"\n") + (not data.endswith(b"\n")), data.count(delimiter.encode())
    lines = max(lines, 1)
    return Extent(readers.CSV_SHEET, lines, -(-(lines + fields) // lines))


# ------------------------------------------------------------------------------------------------------------ .xls
_END = 0xFFFFFFFA  # sector numbers at or above this one end a chain or mark special sectors
_CELL_RECORDS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6}  # NUMBER RK LABELSST LABEL BOOLERR FORMULA
_MULRK, _BOF, _BOUNDSHEET = 0x00BD, 0x0809, 0x0085


def _xls_extents(data: bytes) -> list[Extent]:
    """The extent of each worksheet of an .xls (BIFF8 in an OLE compound file), from its cell records; [] for an
    OLE file without a workbook stream (a .doc: the reader refuses it). ValueError when the container cannot be
    followed."""
    try:
        stream = _ole_stream(data, ("workbook", "book"))
        return [] if stream is None else _biff_extents(stream)
    except (struct.error, IndexError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from exc


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """One stream of an OLE compound file (MS-CFB), every chain bounded by the file's own size."""
    if len(data) < 512:
        return None
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise ValueError("sector size")
    size = 1 << sector_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_mini_fat, _, first_difat, _ = struct.unpack_from("<IIIII", data, 0x38)
    n_sectors = len(data) // size - 1

    def sector(number: int) -> bytes:
        if number >= n_sectors:
            raise ValueError("sector out of the file")
        return data[(number + 1) * size:(number + 2) * size]

    def chain(start: int, table) -> list[int]:
        found = []
        while start < _END:
            if len(found) >= len(table) or start >= len(table):  # a chain longer than its table loops
                raise ValueError("broken chain")
            found.append(start)
            start = table[start]
        return found

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    difat, seen = first_difat, 0
    while difat < _END and seen <= n_sectors:
        values = struct.unpack(f"<{size // 4}I", sector(difat))
        fat_sectors += values[:-1]
        difat, seen = values[-1], seen + 1
    fat = _uint32s(b"".join(sector(s) for s in fat_sectors[:n_fat] if s < _END))
    directory = b"".join(sector(s) for s in chain(first_dir, fat))
    entries = []
    for offset in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset:offset + max(min(length, 64) - 2, 0)].decode("utf-16-le")
        kind = directory[offset + 66]
        start, stream_size = struct.unpack_from("<IQ", directory, offset + 116)
        entries.append((name.lower(), kind, start, stream_size & 0xFFFFFFFF if size == 512 else stream_size))
    if not entries:
        return None
    target = next((e for e in entries if e[1] == 2 and e[0] in names), None)
    if target is None:
        return None
    _, _, start, stream_size = target
    if stream_size > len(data) * 2:
        raise ValueError("stream larger than the file")
    if stream_size >= cutoff:
        return b"".join(sector(s) for s in chain(start, fat))[:stream_size]
    root = entries[0]
    mini_stream = b"".join(sector(s) for s in chain(root[2], fat))
    mini_fat = _uint32s(b"".join(sector(s) for s in chain(first_mini_fat, fat)))
    return b"".join(mini_stream[s * 64:(s + 1) * 64] for s in chain(start, mini_fat))[:stream_size]


def _uint32s(raw: bytes) -> array:
    values = array("I")
    values.frombytes(raw[:len(raw) // 4 * 4])
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _biff_extents(stream: bytes) -> list[Extent]:
    """Walk the BIFF records: each worksheet's substream (named by its BOUNDSHEET record) and its value cells."""
    names: dict[int, str] = {}
    extents: list[Extent] = []
    current: Extent | None = None
    position, end = 0, len(stream)
    unpack = struct.unpack_from
    while position + 4 <= end:
        kind, length = unpack("<HH", stream, position)
        body = position + 4
        if kind in _CELL_RECORDS and current is not None and length >= 4:
            row, column = unpack("<HH", stream, body)
            if row >= current.rows:
                current.rows = row + 1
            if column >= current.columns:
                current.columns = column + 1
        elif kind == _MULRK and current is not None and length >= 6:
            row, = unpack("<H", stream, body)
            last, = unpack("<H", stream, body + length - 2)
            current.rows = max(current.rows, row + 1)
            current.columns = max(current.columns, last + 1)
        elif kind == _BOUNDSHEET and length >= 8:
            offset, = unpack("<I", stream, body)
            count, flags = stream[body + 6], stream[body + 7] if length > 7 else 0
            raw = stream[body + 8:body + 8 + count * (2 if flags & 1 else 1)]
            names[offset] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
        elif kind == _BOF:
            current = None
            if position in names and length >= 4 and unpack("<H", stream, body + 2)[0] == 0x0010:
                current = Extent(names[position])
                extents.append(current)
        position = body + length
    return extents
