"""Writing: one transaction, re-import changes nothing, a corrected year replaces and keeps history, import log,
data version, demo data replaced by the first real import, schema migrations."""

from __future__ import annotations

from pathlib import Path

import pytest

from ess_impact.intake import importer
from ess_impact.store import auth, db, history

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def con():
    connection = db.open_database(":memory:")
    yield connection
    connection.close()


def _import(con, *names, **kw):
    checks = importer.check_files([FIXTURES / n for n in names], con, actor=auth.SYSTEM)
    return importer.commit(con, checks, actor=auth.system("tester"), **kw)


def _count(con, table):
    return db.first(con, f"SELECT count(*) FROM {table}")[0]


def test_first_import_logs_who_when_what(con):
    (result,) = _import(con, "ugly_fr.xlsx")
    assert (result.inserted, result.replaced, result.unchanged) == (6, 0, 0)
    row = con.execute("SELECT actor, channel, file_name, sha256, n_rows, n_inserted FROM imports").fetchall()
    import hashlib
    sha = hashlib.sha256((FIXTURES / "ugly_fr.xlsx").read_bytes()).hexdigest()
    assert row == [("tester", "cli", "ugly_fr.xlsx", sha, 6, 6)]
    assert _count(con, "annual_figures") == 6
    assert _count(con, "enterprises") == 5
    assert db.data_version(con) == 1


def test_reimporting_the_same_file_changes_nothing(con):
    _import(con, "ugly_fr.xlsx")
    before = con.execute("SELECT * FROM annual_figures ORDER BY neq, year").fetchall()
    (result,) = _import(con, "ugly_fr.ods")  # same content, other format
    assert (result.import_id, result.inserted, result.replaced, result.unchanged) == (None, 0, 0, 6)
    assert con.execute("SELECT * FROM annual_figures ORDER BY neq, year").fetchall() == before
    assert _count(con, "imports") == 1
    assert _count(con, "annual_figures_history") == 0
    assert db.data_version(con) == 1


def test_corrected_year_replaces_and_keeps_the_old_version(con, tmp_path):
    _import(con, "ugly_fr.xlsx")
    check = importer.check_file(FIXTURES / "ugly_fr.xlsx", con, actor=auth.SYSTEM)
    check.records.loc[check.records["neq"] == "1141234567", "jobs_full_time"] = 15
    (result,) = importer.commit(con, [check], actor=auth.system("correcteur"))
    assert (result.inserted, result.replaced, result.unchanged) == (0, 1, 5)
    assert db.first(con, "SELECT jobs_full_time FROM annual_figures WHERE neq = '1141234567'")[0] == 15
    history = con.execute("SELECT jobs_full_time, import_id, replaced_by_import_id FROM annual_figures_history"
                          ).fetchall()
    assert history == [(12, 1, 2)]
    assert db.data_version(con) == 2


def test_enterprise_identity_follows_the_latest_year(con):
    _import(con, "ugly_fr.xlsx")
    rows = con.execute("SELECT first_year, last_year FROM enterprises WHERE neq = '1147654321'").fetchall()
    assert rows == [(2023, 2024)]


def test_real_figures_are_refused_while_the_demo_is_in_force(con):
    """Issue 16: one enterprise's first upload used to replace the demo data for every visitor, unasked."""
    loaded = history.load_demo(con)
    assert loaded.inserted > 40_000 and db.is_demo(con)
    version, before = db.data_version(con), _count(con, "annual_figures")
    with pytest.raises(history.DemoInForce) as refused:
        _import(con, "ugly_fr.xlsx")
    assert "données réelles" in refused.value.message("fr") and "real data" in refused.value.message("en")
    assert db.is_demo(con) and _count(con, "annual_figures") == before and db.data_version(con) == version


def test_switching_to_real_data_is_an_admins_explicit_act_and_for_good(con):
    history.load_demo(con)
    figures, enterprises = history.demo_counts(con)
    for actor in (None, auth.Account("coop@example.org", "entreprise", ("1141234567",))):
        with pytest.raises(auth.Forbidden):
            history.retire_demo(con, actor)
    assert db.is_demo(con)
    done = history.retire_demo(con, auth.system("admin@pole.example"))
    assert (done.figures, done.enterprises) == (figures, enterprises) and figures > 40_000
    assert not db.is_demo(con) and _count(con, "annual_figures") == 0 and history.demo_retired(con)
    assert history.load_demo(con) is None and history.load_demo_if_empty(con) is None  # never again, even empty
    (result,) = _import(con, "ugly_fr.xlsx")
    assert result.inserted == 6 and _count(con, "annual_figures") == 6


def test_demo_loads_only_into_an_empty_database(con):
    _import(con, "ugly_fr.xlsx")
    assert history.load_demo_if_empty(con) is None
    assert _count(con, "annual_figures") == 6


def test_schema_is_created_once_and_reference_loaded(tmp_path):
    path = tmp_path / "x.duckdb"
    with db.connect(path) as con:
        assert db.schema_version(con) == len(db._migrations())  # every migration, numbered 1, 2, ...
        assert _count(con, "mrc") == 104 and _count(con, "regions") == 17 and _count(con, "sectors") == 14
        assert db.first(con, "SELECT sum(population) FROM mrc")[0] == 9_056_044
        con.execute("UPDATE settings SET value = '1950' WHERE key = 'fte_basis_hours'")
    with db.connect(path) as con:  # reopening keeps the settings, does not re-run the migration
        assert db.first(con, "SELECT value FROM settings WHERE key = 'fte_basis_hours'")[0] == "1950"


def test_multiple_files_are_one_transaction(con):
    import duckdb

    checks = importer.check_files([FIXTURES / "ugly_fr.xlsx", FIXTURES / "warnings.xlsx"], con, actor=auth.SYSTEM)
    # Corrupt the second file's rows behind the validator's back: its INSERT fails after the first file's succeeded.
    checks[1].records.loc[0, "name"] = None
    with pytest.raises(duckdb.ConstraintException):
        importer.commit(con, checks, actor=auth.system("tester"), accept_warnings=True)
    assert _count(con, "annual_figures") == 0
    assert _count(con, "imports") == 0
    assert db.data_version(con) == 0
