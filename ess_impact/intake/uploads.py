"""Uploaded files: the app's own size limit, the check itself, the problems as a table, an annotated copy of the
file, the preview of what would change.

    check = check_upload(con, actor, "données.xlsx", data, folder)   # importer.FileCheck; writes nothing
    problems_table(check, "fr")                                      # one row per problem, for the screen
    marked_copy(data, check, "fr")                                   # the .xlsx with the faulty cells highlighted
    preview(con, actor, check)                                       # valid rows: new / changed / same

Safety: a file over the app's size limit (setting `max_upload_mb`) is refused here, unread and never written to
disk. Everything else is the importer's, the same for every channel (sandbox, filesafety): the file is parsed in a
child process with memory and time limits, never in the server; the type found from the content, zip bombs and sheets
too large to read refused before any reader opens them, formula cells without a saved value reported (formulas are
never evaluated).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pandas as pd

from ess_impact import settings, sql
from ess_impact.fields import FIELDS
from ess_impact.intake import filesafety, marking, readers, sandbox
from ess_impact.intake.importer import FileCheck, check_files, safety_problem
from ess_impact.labels import N_, t
from ess_impact.store import auth
from ess_impact.store.auth import Account

SEVERITY = {"error": N_("severity_error"), "warning": N_("severity_warning"), "info": N_("severity_info")}


def max_upload_mb(con: duckdb.DuckDBPyConnection) -> int:
    return settings.read(con).max_upload_mb


def safe_name(name: str) -> str:
    """The file's own name without any folder part, for the log and the temporary copy."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    base = re.sub(r"[\x00-\x1f]", "", base)
    return base[:200] or "fichier"


def check_upload(con: duckdb.DuckDBPyConnection, actor: Account | None, file_name: str, data: bytes, folder: Path,
                 max_mb: float | None = None, today: dt.date | None = None, progress=None) -> FileCheck:
    """Check an uploaded file for `actor`; writes nothing to the database. A file over the app's limit is refused
    unread; the importer's checks (filesafety) refuse the other unsafe files before any reader parses them.
    `progress(fraction, label_key)`: see importer.check_files."""
    auth.require_account(actor)
    name = safe_name(file_name)
    max_mb = max_upload_mb(con) if max_mb is None else max_mb
    refused = filesafety.too_large(len(data), max_mb)
    if refused is not None:
        empty = pd.DataFrame(columns=[f.key for f in FIELDS] + ["sheet", "source_row"])
        return FileCheck(Path(name), name, "", empty, [safety_problem(refused, name)])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    (check,) = check_files([path], con, today, actor, progress=progress)
    return check


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def problems_table(check: FileCheck, lang: str) -> pd.DataFrame:
    """One row per problem: severity, sheet, row (as the spreadsheet shows it), column, value, what is expected."""
    rows = [{t("col_severity", lang): t(SEVERITY[p.severity], lang), t("col_sheet", lang): p.sheet,
             t("col_row", lang): p.row, t("col_column", lang): p.column, t("col_value", lang): p.value,
             t("col_message", lang): p.message(lang)} for p in check.problems]
    frame = pd.DataFrame(rows, columns=[t(k, lang) for k in ("col_severity", "col_sheet", "col_row", "col_column",
                                                             "col_value", "col_message")])
    frame[t("col_row", lang)] = pd.array(frame[t("col_row", lang)], dtype="Int64")
    return frame


ERROR_FILL, WARNING_FILL = marking.ERROR_FILL, marking.WARNING_FILL


def marked_copy(data: bytes, check: FileCheck, lang: str) -> bytes | None:
    """The uploaded .xlsx/.xlsm with each faulty cell filled (red: error, yellow: warning) and commented with the
    message; None for other formats, when no problem points at a cell, or when the sandbox cannot make it (the file
    is opened with openpyxl in the sandbox's child process, never here)."""
    located = [p for p in check.problems if p.row and p.sheet and p.severity in ("error", "warning")]
    if not located or readers.sniff_format(data[:8192]) != "zip":
        return None
    marks = [(p.sheet, int(p.row), p.column or "", p.severity, p.message(lang)) for p in located]
    return sandbox.mark(data, marks)


COMPARED = [f.key for f in FIELDS if f.key not in ("neq", "year")]


def preview(con: duckdb.DuckDBPyConnection, actor: Account | None, check: FileCheck) -> pd.DataFrame:
    """The valid rows with their status against what is stored (new / changed / same) and, for changed rows, the
    stored value of each field that changes (column `<field>_before`)."""
    records = check.records.reset_index(drop=True)
    neqs = sorted(set(records["neq"]))
    auth.require_neqs(actor, neqs)
    stored = con.execute(sql.load("stored_figures"), [neqs]).df().set_index(["neq", "year"]) if neqs else None
    statuses, before = [], {key: [] for key in COMPARED}
    for record in records.itertuples(index=False):
        key = (record.neq, int(record.year))
        old = stored.loc[key] if stored is not None and key in stored.index else None
        changed = False
        for field in COMPARED:
            new_value = getattr(record, field)
            old_value = None if old is None else old[field]
            differs = old is not None and not _same(new_value, old_value)
            before[field].append(old_value if differs else None)
            changed |= differs
        statuses.append("new" if old is None else "changed" if changed else "same")
    frame = records[[f.key for f in FIELDS]].copy()
    frame.insert(0, "status", statuses)
    for field, values in before.items():  # the stored value right after the new one, where any differs
        if any(v is not None for v in values):
            frame.insert(frame.columns.get_loc(field) + 1, f"{field}_before", values)
    return frame


def _same(a, b) -> bool:
    a_missing, b_missing = a is None or (not isinstance(a, str) and pd.isna(a)), \
        b is None or (not isinstance(b, str) and pd.isna(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return abs(float(a) - float(b)) < 1e-9
