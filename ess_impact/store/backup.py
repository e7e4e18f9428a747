"""Backups of the database and restoring one: a consistent copy taken while the app runs, checked before it comes back.

    made = backup.take(db_path, folder, keep=14)     # folder/ess_impact-20261125T193700Z.duckdb + .json (manifest)
    manifest = backup.verify(made.path)              # BackupDamaged (French message) if anything is wrong
    restored = backup.restore(made.path, db_path)    # the previous file is kept aside, the new one swapped in

How the copy is consistent: the backup holds the database the way every unit of work does (`db.connect`: DuckDB lets
one process at a time hold the file, so another process's import waits, or the backup waits for it), and inside that
process the copy is one statement, `COPY FROM DATABASE` into an attached new file, run in one transaction: DuckDB's
snapshot isolation gives it the database as of the transaction's start, whatever another connection of the same
process commits meanwhile (tests/test_backup.py checks both: an import in another process and a writer thread).
Sequences keep their current value, so a restored database numbers its next import after the last one.

The manifest (JSON beside the copy) says when, from which database, its schema and data versions, the number of rows
of every table (counted in the same transaction, and counted again in the written copy) and the copy's size and
SHA-256. `verify` checks all of it, the hash before the file is ever opened, so a truncated or altered backup is
refused before DuckDB reads it. A backup is only ever opened read-only here: it is not migrated nor changed.

`restore` copies the backup next to the database, checks the copy's hash, then, holding the database (so that no
other process is inside it), checkpoints it, keeps it aside under a hard link (`NAME.before-restore-TIMESTAMP.duckdb`;
a copy where links are not possible) and swaps the new file in with one rename: the name always points to a
complete database. The restored file is migrated by the next opening (store/db migrates a file known by its path and
inode once per process, and the swapped-in file is a new inode) and gets a data version above both the backup's and
the replaced database's, so that no cache keyed by the data version shows figures of the replaced database.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import duckdb

from ess_impact import errors, settings, sql
from ess_impact.store import db

MANIFEST_FORMAT = 1
SUFFIX = ".duckdb"
MANIFEST_SUFFIX = ".json"
FOLDER_NAME = "backups"  # beside the database file when no folder is given
STAMP = "%Y%m%dT%H%M%SZ"
_CHUNK = 1 << 20


class BackupDamaged(errors.Invalid):
    """A backup that cannot be trusted: missing, truncated, altered, unreadable or from a newer schema."""


@dataclass(frozen=True)
class Manifest:
    created_at: str             # UTC, ISO 8601
    database: str               # the file it was taken from
    schema_version: int
    data_version: int
    tables: dict[str, int]      # rows per table
    size: int                   # bytes of the backup file
    sha256: str
    app_version: str = ""
    format: int = MANIFEST_FORMAT

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass(frozen=True)
class Backup:
    path: Path                  # the .duckdb copy
    manifest_path: Path
    manifest: Manifest
    keep: int                   # the retention applied
    removed: list[Path] = field(default_factory=list)  # older backups removed by the retention (files and manifests)


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    previous: Path | None       # where the replaced database was kept (None: there was none)
    data_version: int


def default_folder(database: Path) -> Path:
    return Path(database).parent / FOLDER_NAME


def manifest_path(path: Path) -> Path:
    path = Path(path)
    return path.with_suffix(MANIFEST_SUFFIX) if path.suffix == SUFFIX else path


def _backup_path(path: Path) -> Path:
    path = Path(path)
    return path.with_suffix(SUFFIX) if path.suffix == MANIFEST_SUFFIX else path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _counts(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, int]:
    """Rows of every table of an attached database (names from DuckDB's catalogue, quoted)."""
    names = [row[0] for row in con.execute(sql.load("backup_tables"), [database]).fetchall()]
    query = sql.load("backup_count")
    return {name: int(db.first(con, query.format(table=f"{_quote(database)}.main.{_quote(name)}"))[0])
            for name in names}


def _meta_int(con: duckdb.DuckDBPyConnection, key: str) -> int:
    row = db.first(con, sql.load("get_meta"), [key])
    return int(row[0]) if row else 0


def _app_version() -> str:
    try:
        return metadata.version("ess_impact")
    except metadata.PackageNotFoundError:
        return ""


def _free_name(folder: Path, stem: str, when: datetime) -> str:
    base = f"{stem}-{when.strftime(STAMP)}"
    name, n = base, 1
    while any((folder / (name + s)).exists() for s in (SUFFIX, MANIFEST_SUFFIX, SUFFIX + ".partial")):
        n += 1
        name = f"{base}-{n}"
    return name


def _write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only, atomically (a temporary name, then a rename)."""
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def take(database: Path | str | None = None, folder: Path | str | None = None, keep: int | None = None,
         now: datetime | None = None) -> Backup:
    """Back the database up into `folder` (default: `backups/` beside it), then keep the last `keep` backups of this
    database there (default: the setting `backup_keep`). Waits, like any writer, while another process holds the
    file (DatabaseBusy past the timeout)."""
    database = Path(database if database is not None else db.db_path())
    folder = Path(folder) if folder is not None else default_folder(database)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    name = _free_name(folder, database.stem, when)
    partial = folder / (name + SUFFIX + ".partial")
    final = folder / (name + SUFFIX)
    try:
        with db.connect(database) as con:
            source = db.first(con, sql.load("current_database"))[0]
            keep = keep if keep is not None else settings.read(con).backup_keep
            con.execute(sql.load("backup_attach"), [str(partial)])
            try:
                with db.transaction(con):  # one snapshot: the counts and the copy see the same database
                    counts = _counts(con, source)
                    schema, version = db.schema_version(con), _meta_int(con, "data_version")
                    con.execute(sql.load("backup_copy").format(source=_quote(source)))
            finally:
                con.execute(sql.load("backup_detach"))
        os.chmod(partial, 0o600)
        if Path(str(partial) + ".wal").exists():  # DETACH checkpoints; should a log remain, fold it into the file
            with duckdb.connect(str(partial)) as copy:
                copy.execute(sql.load("checkpoint"))
        with duckdb.connect(str(partial), read_only=True) as copy:
            written = _counts(copy, db.first(copy, sql.load("current_database"))[0])
        if written != counts:  # the copy is not what the snapshot held: never keep it
            raise RuntimeError(f"backup copy differs from its snapshot: {written} != {counts}")
        manifest = Manifest(created_at=when.isoformat(timespec="seconds"), database=str(database.resolve()),
                            schema_version=schema, data_version=version, tables=counts,
                            size=partial.stat().st_size, sha256=sha256(partial), app_version=_app_version())
        os.replace(partial, final)
        _write_private(manifest_path(final), json.dumps(asdict(manifest), indent=1, ensure_ascii=False).encode())
    finally:
        for leftover in (partial, Path(str(partial) + ".wal")):
            leftover.unlink(missing_ok=True)
    return Backup(final, manifest_path(final), manifest, keep, prune(folder, database.stem, keep))


_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(-\d+)?$")


def backups(folder: Path | str, stem: str | None = None) -> list[Path]:
    """The backups (.duckdb with their manifest) of a folder, oldest first; only those of `stem` if given."""
    found = []
    for path in Path(folder).glob("*" + MANIFEST_SUFFIX):
        match = _NAME.match(path.stem)
        if match and (stem is None or match["stem"] == stem):
            found.append((match["stamp"], path.stem, _backup_path(path)))
    return [path for *_, path in sorted(found, key=lambda f: (f[0], _order(f[1])))]


def _order(name: str) -> int:
    tail = name.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() and not re.fullmatch(r"\d{8}T\d{6}Z", tail) else 1


def prune(folder: Path | str, stem: str, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups of `stem` in the folder (each file and its manifest)."""
    removed = []
    for old in backups(folder, stem)[:max(len(backups(folder, stem)) - max(int(keep), 1), 0)]:
        for path in (old, manifest_path(old)):
            if path.exists():
                path.unlink()
                removed.append(path)
    return removed


def read_manifest(path: Path | str) -> Manifest:
    target = manifest_path(Path(path))
    if not target.exists():
        raise BackupDamaged("backup_no_manifest", file=str(target))
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        manifest = Manifest(**data)
        if (not isinstance(manifest.tables, dict) or not isinstance(manifest.size, int)
                or not re.fullmatch(r"[0-9a-f]{64}", str(manifest.sha256))):
            raise TypeError(target)
        return manifest
    except (ValueError, TypeError) as exc:
        raise BackupDamaged("backup_bad_manifest", file=str(target)) from exc


def verify(path: Path | str) -> Manifest:
    """The manifest of a backup that is whole: its size and SHA-256 those of the manifest (checked before DuckDB
    opens it), opened read-only, every table with the rows the manifest says, a schema this version knows."""
    copy = _backup_path(Path(path))
    if not copy.exists():
        raise BackupDamaged("backup_missing", file=str(copy))
    manifest = read_manifest(copy)
    size = copy.stat().st_size
    if size != manifest.size:
        raise BackupDamaged("backup_truncated", file=str(copy), size=size, expected=manifest.size)
    if sha256(copy) != manifest.sha256:
        raise BackupDamaged("backup_altered", file=str(copy))
    known = max(number for number, _ in db._migrations())
    if manifest.schema_version > known:
        raise BackupDamaged("backup_too_new", file=str(copy), version=manifest.schema_version, known=known)
    try:
        with duckdb.connect(str(copy), read_only=True) as con:
            counts = _counts(con, db.first(con, sql.load("current_database"))[0])
            schema = db.schema_version(con)
    except duckdb.Error as exc:
        raise BackupDamaged("backup_unreadable", file=str(copy)) from exc
    if counts != manifest.tables or schema != manifest.schema_version:
        different = sorted(set(counts) ^ set(manifest.tables)
                           | {t for t in counts if manifest.tables.get(t) != counts[t]})
        raise BackupDamaged("backup_counts_differ", file=str(copy), tables=", ".join(different) or "meta")
    return manifest


def restore(path: Path | str, database: Path | str | None = None, now: datetime | None = None,
            renewed=None) -> Restored:
    """Bring a verified backup back as the database (see the module's docstring). Nothing is changed when the backup
    is refused (BackupDamaged) or the database stays busy (DatabaseBusy). `renewed(con, backup_version)` is called in
    the transaction that gives the restored database its new data version (the CLI keeps the stored public tables,
    computed from the same figures: publish/indicators.restamp_stored)."""
    manifest = verify(path)
    database = Path(database if database is not None else db.db_path())
    database.parent.mkdir(parents=True, exist_ok=True)
    staging = database.with_name(database.name + ".restoring")
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    previous, before = None, 0
    try:
        shutil.copyfile(_backup_path(Path(path)), staging)
        os.chmod(staging, 0o600)
        if sha256(staging) != manifest.sha256:  # the copy itself went wrong (disk full, ...)
            raise BackupDamaged("backup_altered", file=str(staging))
        if database.exists():
            with db.connect(database) as con:  # holding the file: no other process is inside it now
                before = db.data_version(con)
                con.execute(sql.load("checkpoint"))
                previous = database.with_name(f"{database.stem}.before-restore-{when.strftime(STAMP)}{SUFFIX}")
                try:
                    os.link(database, previous)
                except OSError:
                    shutil.copy2(database, previous)
                os.replace(staging, database)
        else:
            os.replace(staging, database)
    finally:
        staging.unlink(missing_ok=True)
    with db.connect(database) as con:  # a new inode: migrated by this opening
        with db.transaction(con):
            restored = db.data_version(con)
            version = max(before, restored) + 1
            con.execute(sql.load("set_meta"), ["data_version", str(version)])
            if renewed is not None:
                renewed(con, restored)
    return Restored(manifest, previous, version)
