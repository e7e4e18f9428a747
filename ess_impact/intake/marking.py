"""The annotated copy of an uploaded workbook: each faulty cell filled (red: error, yellow: warning) and commented with
its message. It opens the uploaded file with openpyxl, so it runs in the sandbox's child process (sandbox.mark), never
in the server: uploads.marked_copy prepares the marks and calls it.

    annotated = annotate(data, [(sheet, row, column header or letters, severity, message), ...])   # bytes or None
"""

from __future__ import annotations

import io
import re

ERROR_FILL, WARNING_FILL = "FFC7CE", "FFEB9C"


def annotate(data: bytes, marks: list[tuple[str, int, str, str, str]]) -> bytes | None:
    """The workbook with the marks, or None when openpyxl cannot open it (.ods) or no mark points at a cell of it."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    from openpyxl.utils import column_index_from_string

    try:
        workbook = load_workbook(io.BytesIO(data), keep_vba=True, rich_text=False)
    except Exception:  # noqa: BLE001 - .ods, or a workbook openpyxl cannot open: the table on screen lists everything
        return None
    columns: dict[str, dict[str, int]] = {}
    marked = 0
    for sheet_name, row, header, severity, text in marks:
        if sheet_name not in workbook.sheetnames:
            continue
        sheet = workbook[sheet_name]
        if sheet_name not in columns:
            columns[sheet_name] = _header_columns(sheet)
        column = columns[sheet_name].get(_norm(header))
        if column is None and re.fullmatch(r"[A-Z]{1,3}", header or ""):
            column = column_index_from_string(header)
        cell = sheet.cell(row=row, column=column or 1)
        colour = ERROR_FILL if severity == "error" else WARNING_FILL
        if cell.comment is None or severity == "error":
            cell.fill = PatternFill("solid", fgColor=colour)
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        cell.comment = Comment(text, "ess_impact", width=300, height=120)
        marked += 1
    if not marked:
        return None
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _norm(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def _header_columns(sheet, scan_rows: int = 30) -> dict[str, int]:
    """Header text (normalised) -> column number, from the first rows of a sheet (first occurrence wins)."""
    found: dict[str, int] = {}
    for row in sheet.iter_rows(min_row=1, max_row=scan_rows):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip():
                found.setdefault(_norm(cell.value), cell.column)
    return found
