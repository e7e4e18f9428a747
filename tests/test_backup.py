"""Backups and restore (issue 15): a backup taken while another process imports, or while a writer thread of the same
process commits, is a consistent database that restores to an identical one, table by table; a truncated, altered or
incomplete backup is refused with a French message and the database is left as it was; retention keeps the last N."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from ess_impact import cli, settings_admin
from ess_impact.intake import importer
from ess_impact.publish import indicators
from ess_impact.store import auth, backup, db, history

FIXTURES = Path(__file__).parent / "fixtures"
EXE = str(Path(sys.executable).parent / "ess-impact")


def tables(path: Path) -> dict[str, list]:
    """Every table of a database file, every row, in a stable order (opened read-only: nothing migrated)."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")
                 .fetchall()]
        return {name: sorted(map(repr, con.execute(f'SELECT * FROM "{name}"').fetchall())) for name in names}


def without_data_version(snapshot: dict[str, list]) -> dict[str, list]:
    """A restore gives the database a new data version (caches keyed by it must not serve the replaced figures)."""
    return {**snapshot, "meta": [row for row in snapshot["meta"] if "'data_version'" not in row]}


def test_backup_during_an_import_in_another_process_restores_to_an_identical_database(small_db, tmp_path):
    before = tables(small_db)
    env = dict(os.environ, ESS_IMPACT_TEST_PAUSE_IN_TRANSACTION="1.5")
    proc = subprocess.Popen([EXE, "import", FIXTURES / "warnings.xlsx", "--db", small_db, "--accept-warnings"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    for line in proc.stdout:  # the warnings, then: rows written, transaction open
        if line.strip() == "ESS_IMPACT_IN_TRANSACTION":
            break
    made = backup.take(small_db, tmp_path / "backups")  # waits for the importer to let the file go
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    source = tables(small_db)
    assert source["annual_figures"] != before["annual_figures"]  # the import did write
    copy = tables(made.path)
    assert copy == source  # the import's whole transaction and its public tables, nothing half-written
    assert made.manifest.tables == {name: len(rows) for name, rows in source.items()}

    restored = tmp_path / "restored" / "ess_impact.duckdb"
    done = backup.restore(made.path, restored)
    assert done.previous is None
    assert without_data_version(tables(restored)) == without_data_version(source)
    with db.connect(restored) as con:
        assert db.data_version(con) == made.manifest.data_version + 1


WRITER_ROUNDS = 25


def test_backup_is_one_snapshot_while_a_writer_thread_commits(small_db, tmp_path):
    """A real concurrent writer in the same process (the app's case: its threads share one DuckDB instance): every
    backup holds whole imports only — figures, the import log and the kept files agree — and some were taken
    mid-way."""
    with db.connect(small_db) as con:
        check = importer.check_files([FIXTURES / "ugly_fr.xlsx"], con, actor=auth.SYSTEM)[0]
    assert not check.errors
    failures: list[BaseException] = []

    def writer():
        try:
            with db.connect(small_db) as con:  # one connection: the process's DuckDB instance stays open
                started.set()
                for r in range(WRITER_ROUNDS):
                    records = check.records.copy()
                    records["neq"] = [f"88{r:04d}{i:04d}" for i in range(len(records))]
                    history.write_imports(con, [(f"round{r}.xlsx", f"{r:064d}", records, b"x" * 1000)],
                                          auth.SYSTEM, "cli")
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
            started.set()

    started = threading.Event()
    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(timeout=30)
    made = []
    while thread.is_alive():
        made.append(backup.take(small_db, tmp_path / "backups", keep=100))
    thread.join()
    assert not failures, failures
    rounds_seen = set()
    for b in made:
        with duckdb.connect(str(b.path), read_only=True) as con:
            figures = con.execute("SELECT count(*) FROM annual_figures").fetchone()[0]
            inserted, imports = con.execute("SELECT sum(n_inserted), count(*) FROM imports").fetchone()
            files = con.execute("SELECT count(*) FROM import_files").fetchone()[0]
        assert figures == inserted and files == imports, b.manifest
        rounds_seen.add(imports - 1)
    assert rounds_seen - {0, WRITER_ROUNDS}, "no backup was taken while the writer was writing"


def test_sequences_go_on_after_a_restore(small_db, tmp_path):
    made = backup.take(small_db, tmp_path)
    restored = tmp_path / "r.duckdb"
    backup.restore(made.path, restored)
    with db.connect(restored) as con:
        last = con.execute("SELECT max(id) FROM imports").fetchone()[0]
        check = importer.check_files([FIXTURES / "ugly_fr.xlsx"], con, actor=auth.SYSTEM)
        result = importer.commit(con, check, auth.SYSTEM, accept_warnings=True)[0]
    assert result.import_id == last + 1


@pytest.mark.slow  # a real import and the public tables: about 13 s
def test_restore_replaces_the_database_and_keeps_the_previous_one(small_db, tmp_path, capsys):
    with db.connect(small_db) as con:
        indicators.prepare_public(con)
    made = backup.take(small_db, tmp_path / "b")
    original = tables(small_db)
    assert cli.main(["import", str(FIXTURES / "ugly_fr.xlsx"), "--db", str(small_db)]) == 0
    changed = tables(small_db)
    assert cli.main(["restore", str(made.path), "--db", str(small_db)]) == cli.EXIT_CONFIRM  # says, does nothing
    assert "Relancez avec --yes" in capsys.readouterr().err
    assert tables(small_db) == changed
    assert cli.main(["restore", str(made.path), "--db", str(small_db), "--yes"]) == 0
    err = capsys.readouterr().err
    assert "Base restaurée" in err
    previous = sorted(small_db.parent.glob("small.before-restore-*.duckdb"))
    assert len(previous) == 1 and str(previous[0].name) in err
    assert without_data_version(tables(previous[0])) == without_data_version(changed)
    now = tables(small_db)
    for name, rows in original.items():
        if name not in ("meta", "cube_store"):
            assert now[name] == rows, name
    # the stored public tables of the backup are kept under the new data version, not computed again
    with duckdb.connect(str(small_db), read_only=True) as con:
        stored = con.execute("SELECT kind, payload, stored_at, fingerprint FROM cube_store ORDER BY kind").fetchall()
        fingerprint = indicators._fingerprint(con)
    with duckdb.connect(str(made.path), read_only=True) as con:
        saved = con.execute("SELECT kind, payload, stored_at, fingerprint FROM cube_store ORDER BY kind").fetchall()
    assert saved and [row[:3] for row in stored] == [row[:3] for row in saved]
    # rows keyed by the data version move to the new one; a year's cube keyed by its own inputs' hash stays valid as is
    assert all(new[3] == fingerprint or new[3] == old[3] for new, old in zip(stored, saved))
    assert fingerprint in {row[3] for row in stored}
    assert not Path(str(small_db) + ".wal").exists() and not list(small_db.parent.glob("*.restoring"))


def _damage(made: backup.Backup, tmp_path: Path, how: str) -> Path:
    target = tmp_path / f"{how}.duckdb"
    data = made.path.read_bytes()
    manifest = json.loads(made.manifest_path.read_text())
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "altered":
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
    elif how == "counts":
        manifest["tables"]["annual_figures"] += 1
    elif how == "too_new":
        manifest["schema_version"] = 999
    elif how == "not_duckdb":  # a hash that matches bytes DuckDB cannot open
        data = b"not a database" * 1000
        manifest["size"], manifest["sha256"] = len(data), __import__("hashlib").sha256(data).hexdigest()
    target.write_bytes(data)
    if how == "bad_manifest":
        target.with_suffix(".json").write_text("{ not json")
    elif how != "no_manifest":
        target.with_suffix(".json").write_text(json.dumps(manifest))
    return target


@pytest.mark.parametrize("how, message", [
    ("truncated", "Sauvegarde tronquée"),
    ("altered", "Sauvegarde altérée"),
    ("counts", "Sauvegarde incohérente : le nombre de lignes de annual_figures"),
    ("too_new", "version plus récente de l'application"),
    ("not_duckdb", "Sauvegarde illisible"),
    ("no_manifest", "Le manifeste de la sauvegarde est introuvable"),
    ("bad_manifest", "Le manifeste de la sauvegarde est illisible"),
])
def test_a_damaged_backup_is_refused_and_nothing_changes(small_db, tmp_path, capsys, how, message):
    made = backup.take(small_db, tmp_path / "b")
    damaged = _damage(made, tmp_path, how)
    before = tables(small_db)
    inode = os.stat(small_db).st_ino
    assert cli.main(["restore", str(damaged), "--db", str(small_db), "--yes"]) == cli.EXIT_INVALID
    err = capsys.readouterr().err
    assert message in err and "Rien n'a été restauré" in err and "Traceback" not in err
    assert os.stat(small_db).st_ino == inode and tables(small_db) == before
    assert not list(small_db.parent.glob("*.before-restore-*")) and not list(small_db.parent.glob("*.restoring"))


def test_retention_keeps_the_last_n_set_by_the_setting(small_db, tmp_path):
    folder = tmp_path / "b"
    with db.connect(small_db) as con:
        settings_admin.set_setting(con, auth.SYSTEM, "backup_keep", 2)
    start = datetime(2026, 1, 1, 3, 0, tzinfo=timezone.utc)
    made = [backup.take(small_db, folder, now=start + timedelta(days=d)) for d in range(4)]
    assert made[-1].keep == 2 and len(made[-1].removed) == 2  # one backup: its file and its manifest
    assert backup.backups(folder) == [m.path for m in made[-2:]]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        n for m in made[-2:] for n in (m.path.name, m.manifest_path.name))
    other = tmp_path / "other.duckdb"  # another database's backups in the same folder are not touched
    with db.connect(other):
        pass
    backup.take(other, folder, keep=1)
    assert len(backup.backups(folder, "small")) == 2


def test_backup_command_and_files_are_private(small_db, tmp_path, capsys):
    assert cli.main(["backup", "--db", str(small_db), "--to", str(tmp_path / "b")]) == 0
    out = capsys.readouterr()
    written = Path(out.out.strip())
    assert written.exists() and "Sauvegarde écrite" in out.err
    manifest = backup.verify(written)
    assert manifest.sha256 in out.err and manifest.tables["annual_figures"] == 16
    assert {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "b").iterdir()} == {"0o600"}
    assert oct((tmp_path / "b").stat().st_mode & 0o777) == "0o700"
    # default folder: backups/ beside the database
    assert cli.main(["backup", "--db", str(small_db)]) == 0
    assert Path(capsys.readouterr().out.strip()).parent == small_db.parent / "backups"


def test_busy_database_backup_waits_then_says_so(small_db, tmp_path, monkeypatch, capsys):
    hold = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom ess_impact.store import db\n"
                             "with db.connect(sys.argv[1]):\n    print('holding', flush=True); time.sleep(2)",
                             str(small_db)], stdout=subprocess.PIPE, text=True)
    assert hold.stdout.readline().strip() == "holding"
    monkeypatch.setenv("ESS_IMPACT_DB_TIMEOUT", "0.5")
    start = time.monotonic()
    assert cli.main(["backup", "--db", str(small_db), "--to", str(tmp_path / "b")]) == cli.EXIT_BUSY
    assert time.monotonic() - start >= 0.2  # it waited (backoff) before giving up
    assert "La base de données est occupée" in capsys.readouterr().err
    hold.wait(timeout=10)
    assert not list((tmp_path / "b").iterdir())  # no half-written backup left


def test_a_backup_of_an_older_schema_is_migrated_when_restored(small_db, tmp_path, monkeypatch):
    """store/db migrates a file once per process, known by path and inode: the restored file (a new inode under the
    same path, in a process that already migrated that path) is brought up to date by its next opening. Here the
    application gains a migration after the backup was taken."""
    made = backup.take(small_db, tmp_path / "b")
    latest = made.manifest.schema_version
    real = db._migrations()
    assert latest == max(number for number, _ in real)
    monkeypatch.setattr(db, "_migrations", lambda: [*real, (latest + 1, "CREATE TABLE backup_test_later (x INTEGER)")])
    with db.connect(small_db) as con:  # migrated already in this process: not again (same path and inode)
        assert db.schema_version(con) == latest
    backup.restore(made.path, small_db)
    with db.connect(small_db) as con:
        assert db.schema_version(con) == latest + 1
        assert con.execute("SELECT count(*) FROM backup_test_later").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM annual_figures").fetchone()[0] == 16
