"""Writing annual figures: one transaction per call, history of every replaced row, import log, data version."""

from __future__ import annotations

import hashlib
import io
import os
import time
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from ess_impact import errors, labels, reference, settings, sql
from ess_impact.fields import FIELDS
from ess_impact.labels import N_
from ess_impact.store import auth, db, demo, releases
from ess_impact.store.auth import Account

ROW_COLUMNS = [f.key for f in FIELDS] + ["source_row"]
INT_COLUMNS = [f.key for f in FIELDS if f.kind in ("int", "year")]


@dataclass
class WriteResult:
    file_name: str
    import_id: int | None  # None when nothing changed (nothing written, nothing logged)
    inserted: int
    replaced: int
    unchanged: int


def previous_revenue(con: duckdb.DuckDBPyConnection, actor: Account | None, neqs: list[str]) -> pd.DataFrame:
    """neq, year, revenue_total of the stored rows the actor may read (a regional admin: its regions' years)."""
    auth.require_neqs(actor, neqs)
    found = con.execute(sql.load("previous_revenue"), [neqs]).df()
    if actor.is_regional:
        found = found[found["region_code"].isin(actor.regions)]
    return found.drop(columns="region_code").reset_index(drop=True)


def enterprise_figures(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str) -> pd.DataFrame:
    """The stored rows (in force) of one enterprise, by year, with when and from which file each was recorded, and
    the region holding the year (`region`). A provincial admin reads any enterprise; a regional admin the years held
    in its regions (refused when none is); an 'entreprise' account its own NEQs; nobody else any."""
    auth.require_neqs(actor, [neq])
    if actor.is_regional:
        auth.require_neq_regions(con, actor, [neq], whole=False)
    found = con.execute(sql.load("enterprise_figures"), [neq]).df()
    if actor.is_regional:
        found = found[found["region"].isin(actor.regions)].reset_index(drop=True)
    return found


def _frame(records: pd.DataFrame) -> pd.DataFrame:
    frame = records.reindex(columns=ROW_COLUMNS).copy()
    for column in INT_COLUMNS:
        frame[column] = pd.array(frame[column], dtype="Int64")
    return frame


def write_imports(con: duckdb.DuckDBPyConnection, items: list[tuple], actor: Account | None,
                  channel: str, is_demo: bool = False) -> list[WriteResult]:
    """items: (file name, SHA-256, valid records[, the original file's bytes]). All of them in one transaction, or
    none; the original file is kept with its import (`import_files`), to be downloaded again (original_file).
    The actor (recorded in the log by its e-mail) must be allowed to write every NEQ of every item, else Forbidden
    and nothing is written; demo data are written by admins only. Real figures are refused (DemoInForce) while the
    demo data are in force: the switch to real data is an admin's explicit act (retire_demo), never a side effect."""
    if is_demo:
        auth.require_provincial(actor)
    rows = pd.concat([item[2].reindex(columns=["neq", "year", "mrc"]) for item in items], ignore_index=True) \
        if items else pd.DataFrame(columns=["neq", "year", "mrc"])
    auth.require_neqs(actor, rows["neq"])
    results = []
    now = datetime.now()
    with db.transaction(con):
        auth.require_rows(con, actor, rows)  # a regional admin: its regions' enterprise-years only, read in the write
        if not is_demo and db.is_demo(con):
            raise DemoInForce("demo_in_force")
        for file_name, sha256, records, *content in items:
            inserted, replaced, unchanged = stage(con, records)
            import_id = None
            if inserted or replaced:
                import_id = next_import_id(con)
                apply_staged(con, import_id, now)
                log_import(con, import_id, now, actor, channel, file_name, sha256,
                           (len(records), inserted, replaced, unchanged), is_demo)
                if content and content[0] is not None:
                    con.execute(sql.load("insert_import_file"), [import_id, file_name, len(content[0]), content[0]])
                _pause_for_fault_injection()
            results.append(WriteResult(file_name, import_id, inserted, replaced, unchanged))
        con.execute("DROP TABLE IF EXISTS staged")
        if any(r.import_id for r in results):
            db.bump_data_version(con)
    return results


# The steps of a write, for callers that write figures in their own transaction (write_imports, the registry's
# corrections and merges): stage the rows, take an import number, apply, log; then drop `staged` and bump the data
# version. Authorization is the caller's job.
def stage(con: duckdb.DuckDBPyConnection, records: pd.DataFrame) -> tuple[int, int, int]:
    """Compare `records` with the rows in force into the temp table `staged` (status new, changed or same);
    returns how many are new, changed and the same."""
    con.register("incoming", _frame(records))
    try:
        con.execute(sql.load("stage_rows"))
    finally:
        con.unregister("incoming")
    return db.first(con, sql.load("staged_counts"))


def next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    return db.first(con, "SELECT nextval('import_id_seq')")[0]


def apply_staged(con: duckdb.DuckDBPyConnection, import_id: int, now: datetime) -> None:
    """Archive the versions the changed staged rows replace, write the new and changed rows under `import_id`, and
    rebuild the identity (`enterprises`) of every NEQ in `staged`."""
    con.execute(sql.load("archive_changed"), [import_id, now])
    con.execute(sql.load("delete_changed"))
    con.execute(sql.load("insert_staged"), [import_id])
    con.execute(sql.load("refresh_enterprises"))


def log_import(con: duckdb.DuckDBPyConnection, import_id: int, now: datetime, actor: Account, channel: str,
               file_name: str, sha256: str, counts: tuple[int, int, int, int], is_demo: bool = False) -> None:
    """The import log row: who, when, through which channel, which file; counts = rows, new, replaced, unchanged."""
    con.execute(sql.load("insert_import"), [import_id, now, actor.email, channel, file_name, sha256, *counts,
                                            is_demo])


def original_file(con: duckdb.DuckDBPyConnection, actor: Account | None, import_id: int) -> tuple[str, bytes] | None:
    """(file name, bytes) of the file import `import_id` was made from, byte for byte; None when none is kept (demo
    data, an undo, an import made before files were kept). Admins may read any; an 'entreprise' account only those
    of the imports it made itself (any other number is refused, whether it exists or not); nobody else any."""
    auth.require_account(actor)
    row = db.first(con, sql.load("get_import_file"), [import_id])
    if not actor.is_admin and (row is None or row[0] != actor.email):
        raise auth.Forbidden("forbidden_import_file", import_id=import_id)
    if actor.is_regional and not within_regions(con, actor, import_id):
        raise auth.Forbidden("forbidden_import_region", import_id=import_id)
    if row is None or row[1] is None:
        return None
    return row[1], bytes(row[2])


class UndoRefused(errors.Refused):
    """The import cannot be undone; `key` names the reason in the label catalogue."""



@dataclass
class UndoResult:
    import_id: int   # the undo's own row in the import log
    undone: int      # the import undone
    deleted: int     # rows the import had added, removed
    restored: int    # rows it had replaced, back in force as they were


def list_imports(con: duckdb.DuckDBPyConnection, actor: Account | None, mine: bool = False) -> pd.DataFrame:
    """The submission log, latest first. Admins see every row (or only theirs with `mine`); an 'entreprise' account
    sees only the submissions it made."""
    auth.require_account(actor)
    if not actor.is_admin:
        mine = True
    found = con.execute(sql.load("list_imports"), [actor.email if mine else None]).df()
    if actor.is_regional:
        found = found[found["id"].isin(imports_within(con, actor))].reset_index(drop=True)
    return found


def import_regions(con: duckdb.DuckDBPyConnection, import_id: int | None = None) -> dict[int, set]:
    """import id -> the regions whose enterprise-years it wrote or replaced (sql/import_regions.sql)."""
    found: dict[int, set] = {}
    for number, region in con.execute(sql.load("import_regions"), [import_id]).fetchall():
        found.setdefault(int(number), set()).add(region)
    return found


def imports_within(con: duckdb.DuckDBPyConnection, actor: Account) -> set[int]:
    """The imports a regional admin may see, download and undo: every row they wrote or replaced lies in its regions
    (an import that touched another region is provincial business)."""
    return {number for number, regions in import_regions(con).items() if regions and regions <= set(actor.regions)}


def within_regions(con: duckdb.DuckDBPyConnection, actor: Account, import_id: int) -> bool:
    regions = import_regions(con, int(import_id)).get(int(import_id))
    return actor.is_provincial or bool(regions) and regions <= set(actor.regions)


def undo_import(con: duckdb.DuckDBPyConnection, actor: Account | None, import_id: int) -> UndoResult:
    """Admins only. Put back what import `import_id` replaced (the previous versions, from the history) and remove
    the rows it added, in one transaction; the versions it wrote go to the history, and the undo is logged as an import
    row naming it. Refused (UndoRefused) for an unknown, demo, undo or already undone import, and for one whose rows
    a later import has replaced (undo that one first). Undoing never brings the demo data back: an instance that holds
    real data never loads them again."""
    auth.require_admin(actor)
    now = datetime.now()
    with db.transaction(con):
        if actor.is_regional and not within_regions(con, actor, import_id):
            raise auth.Forbidden("forbidden_import_region", import_id=import_id)
        target = db.first(con, sql.load("undo_target"), [import_id])
        if target is None:
            raise UndoRefused("undo_unknown", import_id=import_id)
        is_demo, is_undo, undone, replaced_later, file_name, sha256, _removed_demo = target
        if is_demo or is_undo:
            raise UndoRefused("undo_not_undoable", import_id=import_id)
        if undone:
            raise UndoRefused("undo_already", import_id=import_id)
        if replaced_later:
            raise UndoRefused("undo_replaced_later", import_id=import_id)
        undo_id = next_import_id(con)
        con.execute(sql.load("undo_stage"), [import_id])
        added = db.first(con, sql.load("undo_counts"))[0]
        con.execute(sql.load("undo_archive"), [undo_id, now, import_id])
        written = con.execute(sql.load("undo_delete"), [import_id]).fetchone()[0]
        restored = con.execute(sql.load("undo_restore"), [import_id]).fetchone()[0]
        con.execute(sql.load("undo_forget_restored"), [import_id])
        con.execute(sql.load("refresh_enterprises"))
        con.execute("DROP TABLE IF EXISTS staged")
        con.execute(sql.load("insert_undo"), [undo_id, now, actor.email, file_name, sha256, written, restored,
                                               import_id])
        db.bump_data_version(con)
    return UndoResult(undo_id, import_id, added, restored)


@dataclass
class DemoLoad:
    inserted: int
    replaced: int
    unchanged: int
    enterprises: int
    stamp: str = ""  # `demo_stamp`: what its shipped patterns must have been made for


DEMO_FILE_NAME = "donnees-fictives-demonstration"
# The demo's specialised volunteer rate (issue 14): fictitious, flagged by its source code, removed with the demo.
DEMO_HIGH_RATE = 27.0
DEMO_HIGH_RATE_SOURCE = labels.SOURCE_CODE + N_("demo_high_rate_source")
DEMO_RETIRED_KEY = "demo_retired"  # meta key: when and by whom the instance was switched to real data


# The demo's published patterns, shipped with the package (publish/demo_patterns.py makes them: `make demo-patterns`):
# the demo data set is always the same, so its protection (over a minute of CPU) need not be computed again on every
# instance that loads it. Each pattern keeps the hash of the inputs it was computed from (publish/indicators.py): a
# part whose inputs differ (another engine, other settings) is protected again, starting from it.
DEMO_PATTERNS = "demo_patterns.parquet"


def demo_stamp(con, digest: str) -> str:
    """What the shipped patterns were made for: the demo rows (their digest) under the rules and FTE basis in force."""
    found = settings.read(con)
    return hashlib.sha256(f"{digest}|{settings.rules_json(con)}|{found.fte_basis_hours!r}".encode()).hexdigest()


def _install_demo_patterns(con, stamp: str) -> int:
    """Record the shipped patterns of the demo as published, when they were made for this very load (`demo_stamp`),
    for the parts that have none yet (a pattern in force only grows); the number of parts offered."""
    source = reference.DATA.joinpath(DEMO_PATTERNS)
    if not source.is_file():
        return 0
    rows = pd.read_parquet(io.BytesIO(source.read_bytes()))
    rows = rows[rows["stamp"] == stamp]
    for part, inputs, pattern in rows[["part", "inputs", "pattern"]].itertuples(index=False):
        con.execute(sql.load("put_pattern_if_absent"), [part, inputs, pattern, datetime.now()])
    return len(rows)


def load_demo(con, seed: int = demo.DEFAULT_SEED, shipped_patterns: bool = True) -> DemoLoad | None:
    """Write the demo data set, flagged as demo. Refused (None) when the database holds real figures or was switched
    to real data once (retire_demo): an instance that holds real data never loads the demo. Its years are released
    with their shipped patterns (`DEMO_PATTERNS`; not with `shipped_patterns` False: when they are made)."""
    if demo_retired(con) or (db.first(con, sql.load("count_figures"))[0] and not db.is_demo(con)):
        return None
    frame = demo.generate(seed=seed).assign(sheet="demo", source_row=None)
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()).hexdigest()
    result = write_imports(con, [(f"{DEMO_FILE_NAME}-{seed}", digest, frame)], actor=auth.system("demo"),
                           channel="demo", is_demo=True)[0]
    con.execute(sql.load("set_demo_high_rates"), {"rate": DEMO_HIGH_RATE, "source": DEMO_HIGH_RATE_SOURCE})
    releases.release_new_years(con, auth.system("demo"))  # the demo's years are public at once
    stamp = demo_stamp(con, digest)
    if shipped_patterns:
        _install_demo_patterns(con, stamp)
    return DemoLoad(result.inserted, result.replaced, result.unchanged, int(frame["neq"].nunique()), stamp)


def load_demo_if_empty(con, seed: int = demo.DEFAULT_SEED) -> DemoLoad | None:
    """First run: an empty database gets the demo data; any other database is left alone."""
    if db.first(con, "SELECT count(*) FROM imports")[0]:
        return None
    return load_demo(con, seed)



class DemoInForce(errors.Refused):
    """Real figures cannot be written while the fictitious demo data are in force: an admin switches first."""


@dataclass
class DemoRetired:
    figures: int        # demo enterprise-years removed
    enterprises: int


def demo_retired(con: duckdb.DuckDBPyConnection) -> bool:
    """True once an admin has switched this instance to real data (it then never loads the demo again)."""
    return db.first(con, sql.load("get_meta"), [DEMO_RETIRED_KEY]) is not None


def demo_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(enterprise-years, enterprises) of demo figures in force: what retire_demo would remove."""
    return db.first(con, sql.load("demo_counts"))


def retire_demo(con: duckdb.DuckDBPyConnection, actor: Account | None, now: datetime | None = None) -> DemoRetired:
    """Provincial admins only: switch the instance to real data, for good. The fictitious figures are removed (their import log
    rows stay, flagged demo), the switch is recorded (who, when), and from then on the demo data are never loaded
    again, even into an empty database. Enterprise uploads and imports are accepted afterwards."""
    auth.require_provincial(actor)
    now = now or datetime.now()
    with db.transaction(con):
        figures, enterprises = demo_counts(con)
        con.execute(sql.load("remove_demo"))
        con.execute(sql.load("set_meta"), [DEMO_RETIRED_KEY, f"{now.isoformat(timespec='seconds')} {actor.email}"])
        auth.log_activity(con, actor.email, "real_data", "", f"{int(figures)} / {int(enterprises)}", None, now)
        db.bump_data_version(con)
    return DemoRetired(int(figures), int(enterprises))


def _pause_for_fault_injection() -> None:
    """Tests kill the process here, inside the open transaction, to prove nothing half-written survives."""
    delay = os.environ.get("ESS_IMPACT_TEST_PAUSE_IN_TRANSACTION")
    if delay:
        print("ESS_IMPACT_IN_TRANSACTION", flush=True)
        time.sleep(float(delay))
