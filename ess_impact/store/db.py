"""The DuckDB file: where it is, opening it (waiting while another process holds it), schema migrations,
reference tables, settings defaults and the data version that every write bumps.

Connections are opened for one unit of work and closed, so that the Streamlit server and a command-line
import can take turns on the same file: DuckDB lets only one process at a time hold a file.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import contextmanager
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Iterator

import duckdb

from ess_impact import errors, labels, reference, settings, sql

DEFAULT_TIMEOUT_S = 60.0

# Québec minimum wage on 1 May of each year: a conservative replacement cost of one volunteer hour.
MINIMUM_WAGE_SOURCE = labels.MINIMUM_WAGE_SOURCE
DEFAULT_VOLUNTEER_RATES = {2019: 12.50, 2020: 13.10, 2021: 13.50, 2022: 14.25, 2023: 15.25, 2024: 15.75, 2025: 16.10}


class DatabaseBusy(errors.Busy):
    """Another process kept the database file for longer than the timeout."""


DEFAULT_DB = Path("data") / "ess_impact.duckdb"  # relative to the folder the app or the command runs in


def db_path() -> Path:
    return Path(os.environ.get("ESS_IMPACT_DB") or DEFAULT_DB)


def file_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file of the connection's database (None in memory)."""
    row = first(con, sql.load("database_file"))
    return Path(row[0]) if row and row[0] else None


def first(con: duckdb.DuckDBPyConnection, query: str, params=None) -> tuple | None:
    """First row of a query (None if no row). Reads the whole result: DuckDB 2 refuses some calls on a
    connection while a result is only partly fetched."""
    rows = con.execute(query, params).fetchall() if params is not None else con.execute(query).fetchall()
    return rows[0] if rows else None


# Files this process has brought up to date: migrations and the reference tables run once per process and file (at the
# app's or the command's start-up), not on every connection. A file is known by its path and its inode, so that a file
# replaced under the same name (a restored copy, a new database) is brought up to date again.
_MIGRATED: set = set()


def _file_key(target: str) -> tuple:
    stat = os.stat(target)
    return str(Path(target).resolve()), stat.st_dev, stat.st_ino


def open_database(path: str | Path | None = None, timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database; ':memory:' for a private in-memory one. The first opening of a file in this process
    creates and migrates it if needed (ensure_schema); later ones only open it. Waits, with backoff, while another
    process holds the file."""
    target = str(path if path is not None else db_path())
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    limit = float(os.environ.get("ESS_IMPACT_DB_TIMEOUT", DEFAULT_TIMEOUT_S)) if timeout is None else timeout
    deadline = time.monotonic() + limit
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(target)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() + delay > deadline:
                if "lock" in str(exc).lower():
                    raise DatabaseBusy(path=target) from exc
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    key = target if target == ":memory:" else _file_key(target)
    if key == ":memory:" or key not in _MIGRATED:
        try:
            ensure_schema(con)
        except BaseException:
            con.close()
            raise
        if key != ":memory:":
            _MIGRATED.add(key)
    return con


@contextmanager
def connect(path: str | Path | None = None, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """One unit of work: open, yield, close (releasing the file for other processes)."""
    con = open_database(path, timeout)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files(sql.__package__).joinpath("migrations")
    found = []
    for item in folder.iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.read_text(encoding="utf-8")))
    return sorted(found)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        row = first(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def _refdata_digest() -> str:
    digest = hashlib.sha256()
    for path in reference.reference_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Apply pending migrations, reload reference tables when ess_impact/data/*.csv changed, add missing setting
    defaults (ess_impact.settings)."""
    current = schema_version(con)
    for number, script in _migrations():
        if number > current:
            with transaction(con):
                con.execute(script)
                con.execute(sql.load("set_meta"), ["schema_version", str(number)])
    digest = _refdata_digest()
    row = first(con, sql.load("get_meta"), ["refdata_sha256"])
    if row is None or row[0] != digest:
        with transaction(con):
            _load_reference(con)
            con.execute(sql.load("set_meta"), ["refdata_sha256", digest])
    missing = first(con, "SELECT count(*) FROM settings")[0] < len(settings.DEFAULTS)
    if missing:
        with transaction(con):
            now = datetime.now()
            for key, value in settings.DEFAULTS.items():
                con.execute(sql.load("insert_default_setting"), [key, value, now])
            if first(con, "SELECT count(*) FROM volunteer_rates")[0] == 0:
                con.executemany(sql.load("insert_default_rate"),
                                [(y, r, MINIMUM_WAGE_SOURCE, now) for y, r in DEFAULT_VOLUNTEER_RATES.items()])
    if first(con, "SELECT count(*) FROM releases WHERE rules IS NULL")[0]:  # migration 015's releases
        with transaction(con):
            con.execute(sql.load("release_fill_rules"), {"rules": settings.rules_json(con)})


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    tables = {
        "regions": reference.regions()[["code", "name", "population"]],
        "mrc": reference.mrcs()[["code", "name", "usual_name", "type", "region_code", "population", "lat", "lon"]],
        "sectors": reference.sectors()[["code", "label_fr", "label_en"]],
        "legal_forms": reference.legal_forms()[["code", "label_fr", "label_en"]],
    }
    for table, frame in tables.items():
        con.execute(f"DELETE FROM {table}")  # table names are constants above, not input
        con.register("_ref_frame", frame)
        con.execute(f"INSERT INTO {table} SELECT * FROM _ref_frame")
        con.unregister("_ref_frame")


def _counter(con: duckdb.DuckDBPyConnection, key: str) -> int:
    row = first(con, sql.load("get_meta"), [key])
    return int(row[0]) if row else 0


def _bump(con: duckdb.DuckDBPyConnection, key: str) -> int:
    version = _counter(con, key) + 1
    con.execute(sql.load("set_meta"), [key, str(version)])
    return version


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    return _counter(con, "data_version")


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    return _bump(con, "data_version")


def impact_version(con: duckdb.DuckDBPyConnection) -> int:
    """Bumped when the input-output multipliers change (issue 14): the spin-offs are computed from the published
    cube at read time, so a new table needs no new protection (the data version stays, with its stored cubes)."""
    return _counter(con, "impact_version")


def bump_impact_version(con: duckdb.DuckDBPyConnection) -> int:
    return _bump(con, "impact_version")


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the figures in force come from the fictitious demo data set."""
    return bool(first(con, sql.load("is_demo"))[0])
