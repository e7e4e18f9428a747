"""Writing annual figures: one transaction per call, history of every replaced row, import log, data version."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from . import auth, db, sql
from .auth import Account
from .fields import FIELDS

ROW_COLUMNS = [f.key for f in FIELDS] + ["source_row"]
INT_COLUMNS = [f.key for f in FIELDS if f.kind in ("int", "year")]


@dataclass
class WriteResult:
    file_name: str
    import_id: int | None  # None when nothing changed (nothing written, nothing logged)
    inserted: int
    replaced: int
    unchanged: int
    demo_removed: bool = False


def previous_revenue(con: duckdb.DuckDBPyConnection, actor: Account | None, neqs: list[str]) -> pd.DataFrame:
    auth.require_neqs(actor, neqs)
    return con.execute(sql.load("previous_revenue"), [neqs]).df()


def enterprise_figures(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str) -> pd.DataFrame:
    """The stored rows (in force) of one enterprise, by year, with when and from which file each was recorded.
    An admin may read any enterprise, an 'entreprise' account only its own NEQs, nobody else any."""
    auth.require_neqs(actor, [neq])
    return con.execute(sql.load("enterprise_figures"), [neq]).df()


def _frame(records: pd.DataFrame) -> pd.DataFrame:
    frame = records.reindex(columns=ROW_COLUMNS).copy()
    for column in INT_COLUMNS:
        frame[column] = pd.array(frame[column], dtype="Int64")
    return frame


def write_imports(con: duckdb.DuckDBPyConnection, items: list[tuple[str, str, pd.DataFrame]], actor: Account | None,
                  channel: str, is_demo: bool = False) -> list[WriteResult]:
    """items: (file name, SHA-256, valid records). All of them in one transaction, or none.
    The actor (recorded in the log by its e-mail) must be allowed to write every NEQ of every item, else Forbidden
    and nothing is written; demo data are written by admins only."""
    if is_demo:
        auth.require_admin(actor)
    auth.require_neqs(actor, [neq for _, _, records in items for neq in records["neq"]])
    results = []
    now = datetime.now()
    with db.transaction(con):
        demo_removed = False
        if not is_demo and db.is_demo(con):
            con.execute(sql.load("remove_demo"))
            demo_removed = True
        for file_name, sha256, records in items:
            con.register("incoming", _frame(records))
            try:
                con.execute(sql.load("stage_rows"))
            finally:
                con.unregister("incoming")
            inserted, replaced, unchanged = db.first(con, sql.load("staged_counts"))
            import_id = None
            if inserted or replaced:
                import_id = db.first(con, "SELECT nextval('import_id_seq')")[0]
                con.execute(sql.load("archive_changed"), [import_id, now])
                con.execute(sql.load("delete_changed"))
                con.execute(sql.load("insert_staged"), [import_id])
                con.execute(sql.load("refresh_enterprises"))
                con.execute(sql.load("insert_import"), [import_id, now, actor.email, channel, file_name, sha256,
                                                        len(records), inserted, replaced, unchanged, is_demo])
                _pause_for_fault_injection()
            results.append(WriteResult(file_name, import_id, inserted, replaced, unchanged, demo_removed))
        con.execute("DROP TABLE IF EXISTS staged")
        if demo_removed or any(r.import_id for r in results):
            db.bump_data_version(con)
    return results


def _pause_for_fault_injection() -> None:
    """Tests kill the process here, inside the open transaction, to prove nothing half-written survives."""
    delay = os.environ.get("ESS_IMPACT_TEST_PAUSE_IN_TRANSACTION")
    if delay:
        print("ESS_IMPACT_IN_TRANSACTION", flush=True)
        time.sleep(float(delay))
