"""Published snapshots (ess_impact/publish/snapshot.py): what the public pages show is prepared after a write, in
the background, and read from disk; a page run never computes protection; the previous version is served while the
next one is prepared; a cold server answers from the files on disk."""

from __future__ import annotations

import threading

import pandas as pd
import pytest
from conftest import APP, SMALL_HEADERS, import_declarations
from streamlit.testing.v1 import AppTest

from ess_impact.publish import confidentiality, indicators, snapshot
from ess_impact.store import db
from ess_impact.web import ui


def _same(published: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The same rows and values (the snapshot reads text columns as categories or objects: the pages' types)."""
    plain = published.astype({c: str for c in published.columns if not pd.api.types.is_numeric_dtype(published[c])})
    wanted = expected.astype({c: str for c in expected.columns if not pd.api.types.is_numeric_dtype(expected[c])})
    pd.testing.assert_frame_equal(plain.reset_index(drop=True), wanted.reset_index(drop=True), check_dtype=False)


def _write_one_change(path, folder, year: int, revenue: int = 999_999) -> None:
    """One enterprise's figures of `year` written (a write that touches that year only), and the year released when
    it was never released (a released year's public tables do not change: store/releases.py)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(SMALL_HEADERS)
    sheet.append(["1170000004", "CPE Le Bercail (test)", "OBNL", "EDU", "54", year, 18, 6, revenue, 500])
    source = folder / f"change-{revenue}.xlsx"
    book.save(source)
    import_declarations(source, path)


def _forbid_protection(monkeypatch) -> list:
    """Every call to the protection code is recorded (and fails): a page run must not make any."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("protection computed on a visitor's time")

    monkeypatch.setattr(confidentiality, "suppress", refuse)
    monkeypatch.setattr(indicators, "protect", refuse)
    monkeypatch.setattr(indicators, "public_panel", refuse)
    return calls


@pytest.mark.slow
def test_prepare_publishes_every_year_and_every_consecutive_pair(small_db):
    manifest = snapshot.prepare(small_db)
    with db.connect(small_db) as con:
        assert manifest.data_version == db.data_version(con)
        expected = indicators.public_cube(con)
        panel = indicators.public_panel(con, 2023, 2024)
    assert sorted(manifest.cubes) == ["2023", "2024"] and sorted(manifest.panels) == ["2023-2024"]
    published = snapshot.load(small_db, manifest)
    _same(published.public, expected)
    _same(published.panel(2023, 2024), panel)
    assert published.panel(2022, 2023) is None  # a pair no page shows: not computed on demand
    # a new instance: the yearly tables were published first (incomplete), then everything
    import json
    first, last = [json.loads(p.read_text()) for p in sorted((snapshot.folder(small_db) / "history").glob("*.json"))]
    assert (first["complete"], first["panels"], first["cubes"]) == (False, {}, manifest.cubes)
    assert last["complete"] and manifest.complete
    assert not published.is_demo and list(published.years["year"]) == [2023, 2024]
    # prepared again without a write: nothing recomputed, the same manifest
    before = dict(snapshot.COUNTERS)
    assert snapshot.prepare(small_db) == manifest
    assert snapshot.COUNTERS["years"] == before["years"] and snapshot.COUNTERS["pairs"] == before["pairs"]


@pytest.mark.slow
def test_a_write_publishes_a_new_version_and_the_old_one_is_served_meanwhile(small_db, tmp_path, monkeypatch):
    old = snapshot.prepare(small_db)
    _write_one_change(small_db, tmp_path, year=2025)  # a new year, released
    with db.connect(small_db) as con:
        new_version = db.data_version(con)
    assert new_version > old.data_version

    # The preparer is held inside its protection work: readers still get the previous manifest, and know an
    # update is under way.
    entered, release = threading.Event(), threading.Event()
    protect = indicators.protect

    def slow_protect(*args, **kwargs):
        entered.set()
        assert release.wait(60)
        return protect(*args, **kwargs)

    monkeypatch.setattr(indicators, "protect", slow_protect)
    counted = dict(snapshot.COUNTERS)
    worker = threading.Thread(target=snapshot.prepare, args=(small_db,))
    worker.start()
    try:
        assert entered.wait(60)
        assert snapshot.current(small_db) == old
        assert snapshot.preparing(small_db)
        assert snapshot.load(small_db, snapshot.current(small_db)).data_version == old.data_version
    finally:
        release.set()
        worker.join(120)
    new = snapshot.current(small_db)
    assert new.data_version == new_version and not snapshot.preparing(small_db)
    # only 2025 is new: 2023's and 2024's protected cubes and the pair 2023-2024 are reused; 2025 and the pair
    # 2024-2025 (both its sides) are computed
    assert new.cubes["2023"] == old.cubes["2023"] and new.cubes["2024"] == old.cubes["2024"]
    assert new.panels["2023-2024"] == old.panels["2023-2024"] and "2025" in new.cubes
    assert snapshot.COUNTERS["years"] == counted["years"] + 1
    assert snapshot.COUNTERS["pairs"] == counted["pairs"] + 1
    assert snapshot.COUNTERS["pair_years"] == counted["pair_years"] + 2
    with db.connect(small_db) as con:
        expected = indicators.public_cube(con)  # the new data, protected from scratch
    _same(snapshot.load(small_db, new).public, expected)


@pytest.mark.slow
def test_a_cold_page_run_reads_the_snapshot_from_disk_and_computes_no_protection(small_db, monkeypatch):
    snapshot.prepare(small_db)
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db))
    ui._PUBLISHED.clear()  # a cold server: nothing in memory
    ui._STAMPS.clear()
    started = []
    monkeypatch.setattr(snapshot, "start", lambda path: started.append(path))
    calls = _forbid_protection(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["region"] = "16"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.metric and calls == []
    assert started == []  # the snapshot was current: no preparation started
    at.switch_page("ess_impact/web/public/territories.py").run()
    assert not at.exception and calls == []


@pytest.mark.slow
def test_the_background_process_publishes(small_db):
    process = snapshot.start(small_db)
    assert process.wait(timeout=300) == 0, (snapshot.folder(small_db) / "prepare.log").read_text()
    with db.connect(small_db) as con:
        assert snapshot.current(small_db).data_version == db.data_version(con)


@pytest.mark.parametrize("missing", ["CURRENT.json"])
def test_nothing_published_yet_is_none(tmp_path, missing):
    assert snapshot.current(tmp_path / "none.duckdb") is None
    assert not snapshot.preparing(tmp_path / "none.duckdb")


def test_the_web_maps_boundaries_are_the_shipped_ones():
    """The web map names ess_impact/web/static/quebec_mrc_boundaries.geojson (served once to the browser); it must
    be the same file as the reference boundaries the reports and the confidentiality of shared polygons use."""
    from conftest import ROOT

    shipped = ROOT / "ess_impact" / "data" / "quebec_mrc_boundaries.geojson"
    served = ROOT / "ess_impact" / "web" / "static" / "quebec_mrc_boundaries.geojson"
    assert served.read_bytes() == shipped.read_bytes()


def test_local_paragraphs_are_published_with_the_snapshot(small_db):
    """A territory's local paragraph reaches the pages through the snapshot (no database opened on a page run): a
    new paragraph publishes a new version even though the figures did not change; pages read it from there."""
    from ess_impact.store import notes

    first = snapshot.prepare(small_db)
    assert snapshot.load(small_db, first).note("mrc", "54", "fr") is None
    with db.connect(small_db) as con:
        notes.put(con, "mrc", "54", "fr", "Un <b>paragraphe</b> local.", "admin@example.org")
    second = snapshot.prepare(small_db)
    assert snapshot.current(small_db) == second
    assert second.data_version == first.data_version and second.notes != first.notes
    published = snapshot.load(small_db, second)
    assert published.note("mrc", "54", "fr") == "Un <b>paragraphe</b> local."
    assert published.note("mrc", "54", "en") is None and published.note("region", "16", "fr") is None
    again = snapshot.prepare(small_db)  # nothing changed: the same version is kept
    assert again.notes == second.notes and again.prepared_at == second.prepared_at


def test_a_new_protection_engine_publishes_again_without_waiting_for_a_write(small_db, monkeypatch):
    """A release that changes the protection (indicators.CUBE_FORMAT) must not keep serving tables the previous engine
    protected until someone writes: the version in force is stale, and the next preparation protects again."""
    snapshot.prepare(small_db)
    with db.connect(small_db) as con:
        version = db.data_version(con)
    assert not snapshot.stale(small_db, version)
    monkeypatch.setattr(indicators, "CUBE_FORMAT", indicators.CUBE_FORMAT + "-next")
    assert snapshot.stale(small_db, version)
    before = dict(snapshot.COUNTERS)
    manifest = snapshot.prepare(small_db)
    assert manifest.cube_format == indicators.CUBE_FORMAT and not snapshot.stale(small_db, version)
    assert snapshot.COUNTERS["years"] > before["years"]  # protected again, not read back from the old parts


def test_publish_brings_a_database_of_an_earlier_release_up_to_date_first(small_db):
    """`ess-impact publish` on a database written by an earlier release (here: before migration 14, the employment
    tables) migrates it, then publishes; it used to stop on a missing table with an internal error."""
    import subprocess
    import sys

    import duckdb

    raw = duckdb.connect(str(small_db))
    raw.execute("DROP TABLE employment_reference; DROP TABLE employment_loads")
    raw.execute("DROP TABLE released_figures; DROP TABLE releases")  # migration 15's
    raw.execute("DROP TABLE published_patterns")  # migration 16's
    raw.execute("UPDATE meta SET value = '13' WHERE key = 'schema_version'")
    raw.close()
    done = subprocess.run([sys.executable, "-m", "ess_impact.cli", "publish", "--db", str(small_db)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    with db.connect(small_db) as con:
        assert db.schema_version(con) == len(db._migrations())
        assert snapshot.current(small_db).data_version == db.data_version(con)


def test_summary_public_reads_the_figures_in_force(small_db, monkeypatch, capsys):
    """`ess-impact summary --public` prints what the pages show: the published snapshot when it is the database's
    version (no protection computed in the command), the same rows as protecting the database's figures."""
    import json

    from ess_impact import cli

    snapshot.prepare(small_db)
    assert cli.main(["summary", "--by", "mrc", "--public", "--format", "json", "--db", str(small_db)]) == 0
    shown = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(snapshot, "in_force", lambda con: None)  # as if nothing were published: it computes
    assert cli.main(["summary", "--by", "mrc", "--public", "--format", "json", "--db", str(small_db)]) == 0
    assert json.loads(capsys.readouterr().out) == shown
    monkeypatch.undo()
    calls = _forbid_protection(monkeypatch)
    assert cli.main(["summary", "--by", "mrc", "--public", "--format", "json", "--db", str(small_db)]) == 0
    assert json.loads(capsys.readouterr().out) == shown and calls == []
