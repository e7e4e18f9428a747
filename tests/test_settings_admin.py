"""Settings and volunteer rates changed by an admin (ess_impact.settings_admin) and the page Paramètres: bounds (never
weaker confidentiality than DESIGN §4), French messages, who/when on the row and in the change log, one data-version
bump for what changes the public figures, rates added/changed/deleted, non-admins refused; the public cube follows a
rate or an FTE basis change and the stored cube is refreshed; the page changes a setting and a rate."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import pytest
from conftest import (
    ADMIN_EMAIL,
    COOP_EMAIL,
    COOP_NEQ,
    SMALL_ENTERPRISES,
    with_admin,
)
from conftest import app_clean as _clean
from conftest import app_login as _login
from conftest import app_page as _on_page

from ess_impact import labels, settings, sql
from ess_impact import settings_admin as S
from ess_impact.intake import uploads
from ess_impact.output import tables
from ess_impact.publish import indicators, peers, snapshot
from ess_impact.store import auth, db, history, releases
from ess_impact.web import server

ADMIN = auth.Account("direction@pole.example", auth.ADMIN)
COOP = auth.Account(COOP_EMAIL, auth.ENTREPRISE, (COOP_NEQ,))
WHEN = datetime(2026, 3, 2, 9, 30)


def _stored(con, key: str) -> tuple:
    return db.first(con, "SELECT value, updated_at, updated_by FROM settings WHERE key = ?", [key])


def _log(con) -> list[tuple]:
    return con.execute("SELECT changed_by, item, old_value, new_value FROM settings_changes ORDER BY id").fetchall()


# ------------------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize("key", list(settings.SPECS))
def test_bounds_are_accepted_and_just_outside_refused(key):
    spec = settings.SPECS[key]
    step = 1 if spec.integer else 0.01
    assert float(S.parse_setting(key, spec.low)) == pytest.approx(spec.low)
    assert float(S.parse_setting(key, spec.high)) == pytest.approx(spec.high)
    for outside in (spec.low - step, spec.high + step):
        with pytest.raises(S.InvalidSetting) as refused:
            S.parse_setting(key, outside)
        text = refused.value.message("fr")
        assert labels.t(f"setting_{key}", "fr") in text and "Rien n'a été modifié" in text
        assert labels.t(f"setting_{key}", "en") in refused.value.message("en")


def test_confidentiality_is_never_weaker_than_design():
    """DESIGN §4: at least 3 enterprises per cell, no single enterprise above 85 % of a cell."""
    assert settings.SPECS["min_count"].low >= 3
    assert settings.SPECS["dominance_share"].high <= 0.85
    assert settings.SPECS["median_min_count"].low >= settings.SPECS["median_min_count"].value(settings.DEFAULTS["median_min_count"])
    for value in (2, "2", 0, -3):
        with pytest.raises(S.InvalidSetting):
            S.parse_setting("min_count", value)
    for value in (0.86, "86 %", 90, 1):
        with pytest.raises(S.InvalidSetting):
            S.parse_setting("dominance_share", value)


def test_values_typed_the_quebec_way():
    assert S.parse_setting("fte_basis_hours", "1 950") == "1950"
    assert S.parse_setting("fte_basis_hours", "1\u00a0827,5") == "1827.5"
    assert S.parse_setting("dominance_share", "0,8") == "0.8"
    assert S.parse_setting("dominance_share", "80 %") == "0.8"
    assert S.parse_setting("dominance_share", 75) == "0.75"
    assert S.parse_setting("min_count", " 5 ") == "5"
    for key, value, code in [("min_count", "3,5", "setting_not_integer"), ("max_upload_mb", "abc", "setting_not_number"),
                             ("max_upload_mb", "", "setting_not_number"), ("max_upload_mb", None, "setting_not_number"),
                             ("max_upload_mb", True, "setting_not_number"), ("nope", 3, "setting_unknown")]:
        with pytest.raises(S.InvalidSetting) as refused:
            S.parse_setting(key, value)
        assert refused.value.key == code
        assert "{" not in refused.value.message("fr") and "{" not in refused.value.message("en")


def test_upload_ceiling_is_streamlits():
    command = server.command()
    ceiling = command[command.index("--server.maxUploadSize") + 1]
    assert settings.SPECS["max_upload_mb"].high == settings.UPLOAD_CEILING_MB == int(ceiling)


# ----------------------------------------------------------------------------------------------------- writes
def test_set_setting_is_traced_logged_and_read_back_by_its_users(small_db):
    with db.connect(small_db) as con:
        version = db.data_version(con)
        changes = {"fte_basis_hours": "1950", "min_count": "4", "dominance_share": "0.8", "dominance_n": "2",
                   "p_percent": "15", "median_min_count": "7",
                   "session_idle_minutes": "45", "login_max_failures": "4", "login_lock_minutes": "20",
                   "max_upload_mb": "12", "max_amount": "40000000000", "max_jobs": "90000",
                   "max_hours_per_job": "5000", "max_volunteers": "500000", "max_members": "15000000",
                   "login_client_max_attempts": "50",
                   "link_valid_hours": "48", "activity_retention_days": "365", "backup_keep": "7"}
        for key, value in changes.items():
            change = S.set_setting(con, ADMIN, key, value, now=WHEN)
            assert change.changed and change.new == value and change.old == settings.DEFAULTS[key]
            assert _stored(con, key) == (value, WHEN, ADMIN.email)
        assert _log(con) == [(ADMIN.email, k, settings.DEFAULTS[k], v) for k, v in changes.items()]
        public = sum(settings.SPECS[k].effect in (settings.PUBLIC, settings.RULES) for k in changes)
        assert db.data_version(con) == version + public
        # the released years keep the rules they were released with, and say so
        assert indicators.settings(con) == indicators.Settings(1950.0, 4, 0.8, 2, 15.0,
                                                               ((2023, 3, 0.85, 1, 10.0), (2024, 3, 0.85, 1, 10.0)))
        assert auth.idle_minutes(con) == 45 and settings.read(con).login_max_failures == 4
        assert settings.read(con).login_lock_minutes == 20 and settings.read(con).backup_keep == 7
        assert uploads.max_upload_mb(con) == 12 and peers.median_min_count(con) == 7
        shown = S.current_settings(con, ADMIN).set_index("key")
        assert list(shown.index) == list(settings.SPECS)
        assert (shown["value"] == shown.index.map(changes)).all()
        assert (shown["updated_by"] == ADMIN.email).all()


def test_same_value_writes_nothing(small_db):
    with db.connect(small_db) as con:
        version = db.data_version(con)
        before = _stored(con, "fte_basis_hours")
        change = S.set_setting(con, ADMIN, "fte_basis_hours", "1 820")
        assert not change.changed
        assert _stored(con, "fte_basis_hours") == before and _log(con) == [] and db.data_version(con) == version


def test_refused_value_writes_nothing(small_db):
    with db.connect(small_db) as con:
        before = con.execute("SELECT * FROM settings ORDER BY key").fetchall()
        with pytest.raises(S.InvalidSetting):
            S.set_setting(con, ADMIN, "min_count", 2)
        assert con.execute("SELECT * FROM settings ORDER BY key").fetchall() == before and _log(con) == []


def test_non_admins_are_refused(small_db):
    with db.connect(small_db) as con:
        before = (con.execute("SELECT * FROM settings ORDER BY key").fetchall(),
                  con.execute(sql.load("volunteer_rates")).fetchall())
        calls = [lambda a: S.set_setting(con, a, "min_count", 5),
                 lambda a: S.set_volunteer_rate(con, a, 2026, 17, "x"),
                 lambda a: S.delete_volunteer_rate(con, a, 2024),
                 lambda a: S.current_settings(con, a), lambda a: S.volunteer_rates(con, a),
                 lambda a: S.changes(con, a)]
        for actor in (None, COOP):
            for call in calls:
                with pytest.raises(auth.Forbidden):
                    call(actor)
        assert (con.execute("SELECT * FROM settings ORDER BY key").fetchall(),
                con.execute(sql.load("volunteer_rates")).fetchall()) == before
        assert _log(con) == []


def test_rates_added_changed_deleted_and_traced(small_db):
    with db.connect(small_db) as con:
        version = db.data_version(con)
        added = S.set_volunteer_rate(con, ADMIN, 2026, "16,60", "  salaire minimum,   CNESST ", now=WHEN)
        assert added.changed and added.old is None
        rates = S.volunteer_rates(con, ADMIN).set_index("year")
        assert rates.loc[2026, "rate"] == 16.6 and rates.loc[2026, "source"] == "salaire minimum, CNESST"
        assert rates.loc[2026, "updated_by"] == ADMIN.email and rates.loc[2026, "updated_at"] == WHEN
        assert (rates.drop(index=2026)["updated_by"] == S.DEFAULT_ACTOR).all()
        changed = S.set_volunteer_rate(con, ADMIN, 2026, 17.25, "ISQ")
        assert changed.old == added.new and S.volunteer_rates(con, ADMIN).set_index("year").loc[2026, "rate"] == 17.25
        assert not S.set_volunteer_rate(con, ADMIN, 2026, "17,25", "ISQ").changed
        gone = S.delete_volunteer_rate(con, ADMIN, 2026)
        assert gone.new is None and 2026 not in set(S.volunteer_rates(con, ADMIN)["year"])
        assert [(item, old is None, new is None) for _, item, old, new in _log(con)] == [
            ("volunteer_rate:2026", True, False), ("volunteer_rate:2026", False, False),
            ("volunteer_rate:2026", False, True)]
        assert db.data_version(con) == version + 3
        assert S.value_text("volunteer_rate:2026", _log(con)[1][3], "fr") == "17,25\u00a0$ — ISQ"


@pytest.mark.parametrize("year, rate, source, code", [
    (1999, 15, "x", "rate_bad_year"), (datetime.now().year + 2, 15, "x", "rate_bad_year"),
    ("deux mille", 15, "x", "rate_bad_year"), (2024.5, 15, "x", "rate_bad_year"),
    (2024, 0, "x", "rate_bad_rate"), (2024, -1, "x", "rate_bad_rate"), (2024, 100.01, "x", "rate_bad_rate"),
    (2024, "abc", "x", "rate_bad_rate"), (2024, "", "x", "rate_bad_rate"),
    (2024, 15, "   ", "rate_needs_source"), (2024, 15, None, "rate_needs_source"),
    (2024, 15, "x" * (S.MAX_SOURCE_LENGTH + 1), "rate_source_too_long"),
])
def test_bad_rates_are_refused_with_a_french_message(small_db, year, rate, source, code):
    with db.connect(small_db) as con:
        before = con.execute(sql.load("volunteer_rates")).fetchall()
        with pytest.raises(S.InvalidSetting) as refused:
            S.set_volunteer_rate(con, ADMIN, year, rate, source)
        assert refused.value.key == code
        assert "{" not in refused.value.message("fr")
        assert con.execute(sql.load("volunteer_rates")).fetchall() == before and _log(con) == []


def test_unknown_and_last_rate_cannot_be_deleted(small_db):
    with db.connect(small_db) as con:
        with pytest.raises(S.InvalidSetting) as refused:
            S.delete_volunteer_rate(con, ADMIN, 1990)
        assert refused.value.key == "rate_unknown_year"
        years = S.volunteer_rates(con, ADMIN)["year"].tolist()
        for year in years[:-1]:
            S.delete_volunteer_rate(con, ADMIN, year)
        with pytest.raises(S.InvalidSetting) as refused:
            S.delete_volunteer_rate(con, ADMIN, years[-1])
        assert refused.value.key == "rate_last_one"
        assert S.volunteer_rates(con, ADMIN)["year"].tolist() == years[-1:]


# ---------------------------------------------------------------------------------------- effect on public data
def _quebec(cubes, year: int):
    rows = cubes[(cubes["year"] == year) & (cubes["geo_level"] == "all") & (cubes["cat_kind"] == "all")]
    assert len(rows) == 1
    return rows.iloc[0]


def _stored_fingerprint(con) -> str:
    return db.first(con, "SELECT fingerprint FROM cube_store WHERE kind = 'public'")[0]


@pytest.mark.slow  # over 5 s: not in `make check`
def test_rate_and_fte_basis_changes_reach_the_public_cube_and_its_store(small_db):
    hours = sum(e[-1] for e in SMALL_ENTERPRISES)
    with db.connect(small_db) as con:
        indicators.prepare_public(con)
        before = _stored_fingerprint(con)
        rate = float(S.volunteer_rates(con, ADMIN).set_index("year").loc[2024, "rate"])
        assert _quebec(indicators.public_cubes(con), 2024)["volunteer_value"] == pytest.approx(hours * rate)

        S.set_volunteer_rate(con, ADMIN, 2024, 21.5, "Taux d'essai")
        assert indicators._fingerprint(con) != before  # the stored cube no longer matches...
        indicators.prepare_public(con)                  # ...so it is recomputed and stored again
        assert _stored_fingerprint(con) == indicators._fingerprint(con)
        stored = indicators.public_cubes(con)
        assert _quebec(stored, 2024)["volunteer_value"] == pytest.approx(hours * 21.5)
        assert _quebec(stored, 2023)["volunteer_value"] == pytest.approx(
            hours * float(S.volunteer_rates(con, ADMIN).set_index("year").loc[2023, "rate"]))

        S.set_setting(con, ADMIN, "fte_basis_hours", 2000)
        indicators.prepare_public(con)
        assert _quebec(indicators.public_cubes(con), 2024)["volunteer_fte"] == pytest.approx(hours / 2000)

        S.delete_volunteer_rate(con, ADMIN, 2024)      # 2024 takes the latest earlier rate
        earlier = S.volunteer_rates(con, ADMIN)
        earlier = float(earlier[earlier["year"] < 2024]["rate"].iloc[-1])
        assert _quebec(indicators.public_cubes(con), 2024)["volunteer_value"] == pytest.approx(hours * earlier)


def _hidden_values(cubes) -> int:
    return sum(len([name for name in listed.split(",") if name]) for listed in cubes["suppressed"])


def test_a_stricter_threshold_applies_to_the_years_released_afterwards(small_db):
    """The released years keep the rules they were released with (a second suppression pattern of the same figures
    would tell a reader more than one, store/releases.py); a year released after the change gets the new rules."""
    with db.connect(small_db) as con:
        before = indicators.public_cubes(con)
        assert not indicators.is_hidden(_quebec(before, 2024), "jobs_total")
        assert indicators.settings(con).other_rules == ()
        S.set_setting(con, ADMIN, "min_count", len(SMALL_ENTERPRISES) + 1)  # Québec itself has too few now
        pd.testing.assert_frame_equal(indicators.public_cubes(con), before)
        assert indicators.rules_for(con, 2024).min_count == 3
        # the notes under every table and Méthodologie name the years that keep their own rules
        assert [r[:2] for r in indicators.settings(con).other_rules] == [(2023, 3), (2024, 3)]
        assert "2023 et 2024" in tables.other_rules_note(indicators.settings(con), "fr")
        assert tables.other_rules_note(indicators.Settings(1820.0, 3, 0.85), "fr") is None
        paragraphs = tables.other_rules_paragraphs(indicators.settings(con), "fr")  # one set of rules, both years
        assert len(paragraphs) == 1 and paragraphs[0].startswith("**2023 et 2024**")
        rows = con.execute("SELECT * EXCLUDE (import_id, source_row) FROM annual_figures WHERE year = 2024").df()
        history.write_imports(con, [("2025", "n", rows.assign(year=2025, source_row=None))], auth.SYSTEM, "test")
        releases.release(con, auth.SYSTEM, 2025)
        cubes = indicators.public_cubes(con)
        assert indicators.rules_for(con, 2025).min_count == len(SMALL_ENTERPRISES) + 1
        assert indicators.is_hidden(_quebec(cubes, 2025), "jobs_total")
        assert _hidden_values(cubes[cubes["year"] == 2025]) > _hidden_values(cubes[cubes["year"] == 2024])
        pd.testing.assert_frame_equal(cubes[cubes["year"] < 2025].reset_index(drop=True), before)


def test_migration_traces_the_rates_of_an_existing_database(tmp_path):
    """A database made before migration 006 keeps its rates, marked as installed, and can be changed afterwards."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for number, script in db._migrations():
        if number < 6:
            con.execute(script)
    con.execute(sql.load("set_meta"), ["schema_version", "5"])
    con.execute("INSERT INTO volunteer_rates VALUES (2023, 15.25, 'ancienne source')")
    con.close()
    with db.connect(path) as con:
        assert db.schema_version(con) >= 6
        rates = S.volunteer_rates(con, ADMIN)
        assert rates[["year", "rate", "source", "updated_by"]].values.tolist() == [
            [2023, 15.25, "ancienne source", S.DEFAULT_ACTOR]]
        S.set_volunteer_rate(con, ADMIN, 2023, 15.5, "CNESST")
        assert _log(con)[0][2] == "15.25 — ancienne source"


# ------------------------------------------------------------------------------------------------------- page
@pytest.fixture
def page_db(small_db, monkeypatch):
    return with_admin(small_db, monkeypatch)


def test_page_changes_a_setting_and_shows_it(page_db):
    at = _on_page(_login(ADMIN_EMAIL), "ess_impact/web/admin/settings.py")
    assert at.title[0].value == labels.t("settings_title", "fr")
    at.selectbox(key="setting_key").select("fte_basis_hours").run()
    at.text_input(key="setting_value_fte_basis_hours").set_value("1 950")
    at.button(key="setting_save").click().run()
    _clean(at)
    name = labels.t("setting_fte_basis_hours", "fr")
    messages = [s.value for s in at.success]
    assert messages[0] == labels.t("settings_saved", "fr", name=name, old="1\u00a0820", new="1\u00a0950")
    assert messages[1] == labels.t("publishing_started", "fr")
    shown = at.table[0].value
    assert shown.loc[name].iloc[0] == "1\u00a0950"
    assert ADMIN_EMAIL in shown.loc[name].iloc[-1]
    with db.connect(page_db) as con:
        assert _stored(con, "fte_basis_hours")[::2] == ("1950", ADMIN_EMAIL)
        version = db.data_version(con)
    # the public tables of the new setting are published by a background process the page started
    snapshot.prepare(page_db)  # waits for it (one preparer at a time), then finds the work done
    found = snapshot.current(page_db)
    assert found.data_version == version and found.settings["fte_basis_hours"] == 1950


def test_page_refuses_a_weaker_threshold_in_french(page_db):
    at = _on_page(_login(ADMIN_EMAIL), "ess_impact/web/admin/settings.py")
    at.selectbox(key="setting_key").select("min_count").run()
    at.text_input(key="setting_value_min_count").set_value("2")
    at.button(key="setting_save").click().run()
    _clean(at)
    assert [e.value for e in at.error] == [S.InvalidSetting("setting_out_of_range", "min_count", value=2.0,
                                                            low=3, high=20).message("fr")]
    with db.connect(page_db) as con:
        assert _stored(con, "min_count")[0] == settings.DEFAULTS["min_count"]


def test_page_adds_and_deletes_a_rate(page_db):
    at = _on_page(_login(ADMIN_EMAIL), "ess_impact/web/admin/settings.py")
    year = datetime.now().year + 1
    at.number_input(key="rate_year").set_value(year)
    at.text_input(key="rate_value").set_value("17,05")
    at.text_input(key="rate_source").set_value("Taux d'essai")
    at.button(key="rate_save").click().run()
    _clean(at)
    assert labels.t("settings_rate_saved", "fr", year=year, value="17,05\u00a0$ — Taux d'essai") in \
        [s.value for s in at.success]
    rates = at.dataframe[0].value
    assert str(year) in set(rates.iloc[:, 0])
    at.selectbox(key="rate_delete_year").select(year)
    at.checkbox(key="rate_delete_sure").check()
    at.button(key="rate_delete").click().run()
    _clean(at)
    assert labels.t("settings_rate_deleted", "fr", year=year) in [s.value for s in at.success]
    with db.connect(page_db) as con:
        assert year not in set(S.volunteer_rates(con, ADMIN)["year"])
        assert [item for _, item, _, _ in _log(con)] == [f"volunteer_rate:{year}"] * 2
