"""Releases (issue 11, versions): a reader who saves the public outputs before and after an upload must learn nothing
from the difference. The public tables read each year as an admin released it (store/releases.py); a released
year is not released again; only provincial admins release."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ess_impact import cli, labels
from ess_impact.publish import indicators, snapshot
from ess_impact.store import auth, db, demo, history, releases

LATE = "3399999999"


def _public_years(con) -> list[int]:
    """The years the public tables show (the released ones)."""
    return indicators.years(con)["year"].astype(int).tolist()


def _public_outputs(path, capsys) -> dict:
    """Everything a reader can save: the published snapshot's tables (pages, reports), the public cubes and
    constant-sample cubes computed from the database (open data, audit), and `ess-impact summary --public`."""
    manifest = snapshot.prepare(path)
    found = snapshot.load(path, manifest)
    out = {"snapshot": found.public.sort_values(["year", "cell"]).reset_index(drop=True),
           "years": found.years}
    with db.connect(path) as con:
        out["cubes"] = indicators.public_cubes(con)
        for pair in indicators.year_pairs(con):
            out[f"panel {pair}"] = indicators.public_panels(con, *pair)
    for by in ("mrc", "region", "sector"):
        capsys.readouterr()
        assert cli.main(["summary", "--db", str(path), "--by", by, "--public"]) == 0
        out[f"summary {by}"] = capsys.readouterr().out
    return out


def _late_and_corrected(con) -> None:
    """A late enterprise in 2024 (distinctive figures, in an MRC of the small data set) and a correction of an
    enterprise's 2024 revenue."""
    late = demo.generate(seed=9, years=(2024,), n_enterprises=1).assign(neq=LATE, mrc="54", revenue_total=1_268_624.0)
    history.write_imports(con, [("late", "l", late.assign(source_row=None))], auth.SYSTEM, "test")
    row = con.execute("SELECT * FROM annual_figures WHERE year = 2024 ORDER BY neq LIMIT 1").df()
    row = row.drop(columns=["import_id"]).assign(revenue_total=row["revenue_total"] + 77_777, sheet="fix")
    history.write_imports(con, [("fix", "f", row)], auth.SYSTEM, "test")


def test_uploads_after_a_release_change_no_public_output(small_db, capsys):
    """The version attack of benchmarks/attack_versions.py, on every public output: before and after a late upload
    and a correction, the differences are all zero (nothing to read), while the live figures have both."""
    before = _public_outputs(small_db, capsys)
    with db.connect(small_db) as con:
        live_before = indicators.cube(con, 2024, live=True)
        _late_and_corrected(con)
        live_after = indicators.cube(con, 2024, live=True)
    after = _public_outputs(small_db, capsys)
    assert before.keys() == after.keys()
    for key in before:
        if isinstance(before[key], pd.DataFrame):
            pd.testing.assert_frame_equal(before[key], after[key], obj=key)
        else:
            assert before[key] == after[key], key
    quebec = lambda frame: frame.query("geo_level == 'all' and cat_kind == 'all'").iloc[0]
    assert quebec(live_after)["enterprises"] == quebec(live_before)["enterprises"] + 1
    assert quebec(live_after)["revenue_total"] == pytest.approx(quebec(live_before)["revenue_total"]
                                                                + 1_268_624 + 77_777)


def test_a_released_year_is_not_released_again(small_db):
    with db.connect(small_db) as con:
        with pytest.raises(releases.AlreadyReleased) as unchanged:
            releases.release(con, auth.SYSTEM, 2024)
        assert unchanged.value.key == "release_unchanged"
        _late_and_corrected(con)
        row = releases.status(con, auth.SYSTEM).set_index("year").loc[2024]
        assert row["changed_enterprises"] == 2 and row["live_enterprises"] == row["released_enterprises"] + 1
        with pytest.raises(releases.AlreadyReleased) as again:
            releases.release(con, auth.SYSTEM, 2024)
        assert again.value.key == "release_again_refused" and again.value.params["changed"] == 2
        assert "différence" in again.value.message("fr")
        with pytest.raises(releases.NothingToRelease):
            releases.release(con, auth.SYSTEM, 2031)
        assert LATE not in set(con.execute("SELECT neq FROM released_figures").df()["neq"])


def test_a_new_year_is_public_once_released_only(small_db):
    with db.connect(small_db) as con:
        rows = demo.generate(seed=4, years=(2025,), n_enterprises=12)
        history.write_imports(con, [("y2025", "n", rows.assign(source_row=None))], auth.SYSTEM, "test")
        assert 2025 not in indicators.years(con)["year"].tolist()
        assert 2025 in indicators.years(con, live=True)["year"].tolist()
        assert 2025 not in indicators.public_cubes(con)["year"].tolist()
        done = releases.release(con, auth.SYSTEM, 2025)
        assert done == releases.Released(2025, 12)
        assert 2025 in indicators.public_cubes(con)["year"].tolist()
        assert (2024, 2025) in indicators.year_pairs(con)


@pytest.mark.parametrize("who", ["nobody", "enterprise", "regional"])
def test_only_provincial_admins_release(small_db, who):
    actor = {"nobody": None,
             "enterprise": auth.Account("coop@example.org", auth.ENTREPRISE, ("1170000001",)),
             "regional": auth.Account("pole@example.org", auth.ADMIN, regions=("16",))}[who]
    with db.connect(small_db) as con:
        rows = demo.generate(seed=4, years=(2025,), n_enterprises=5)
        history.write_imports(con, [("y2025", "n", rows.assign(source_row=None))], auth.SYSTEM, "test")
        with pytest.raises(auth.Forbidden):
            releases.release(con, actor, 2025)
        with pytest.raises(auth.Forbidden):
            releases.release_new_years(con, actor)
        if who != "regional":  # the live counts are the admins'
            with pytest.raises(auth.Forbidden):
                releases.status(con, actor)
        else:
            assert releases.status(con, actor)["year"].tolist() == [2023, 2024, 2025]
        assert _public_years(con) == [2023, 2024]


def test_an_upgraded_database_keeps_its_public_figures(small_db, tmp_path):
    """Migration 015: a database of the earlier schema published every year it held; each is released as it stood."""
    with db.connect(small_db) as con:
        expected = indicators.cube(con, None, live=True)
        con.execute("DROP TABLE released_figures")
        con.execute("DROP TABLE releases")
        con.execute("DROP TABLE published_patterns")  # migration 16's
        con.execute("UPDATE meta SET value = '14' WHERE key = 'schema_version'")
    old = tmp_path / "old.duckdb"  # another file: this process has not brought it up to date yet
    shutil.copy(small_db, old)
    with db.connect(old) as con:
        assert db.schema_version(con) >= 15
        assert _public_years(con) == [2023, 2024]
        pd.testing.assert_frame_equal(indicators.cube(con, None), expected)


def test_switching_to_real_data_withdraws_the_demo_releases(tmp_path):
    path = tmp_path / "demo.duckdb"
    with db.connect(path) as con:
        frame = demo.generate(seed=3).assign(sheet="demo", source_row=None)
        frame = frame[frame["neq"].isin(frame["neq"].unique()[:40])]
        history.write_imports(con, [("demo", "d" * 64, frame)], auth.system("demo"), "demo", is_demo=True)
        releases.release_new_years(con, auth.system("demo"))
        assert _public_years(con)
        indicators.public_cubes(con)  # published: its patterns are recorded
        assert con.execute("SELECT count(*) FROM published_patterns").fetchone()[0] > 0
        history.retire_demo(con, auth.SYSTEM)
        assert releases.status(con, auth.SYSTEM).empty and indicators.years(con).empty
        assert con.execute("SELECT count(*) FROM published_patterns").fetchone()[0] == 0


def test_release_command(small_db, capsys):
    with db.connect(small_db) as con:
        rows = demo.generate(seed=4, years=(2025,), n_enterprises=7)
        history.write_imports(con, [("y2025", "n", rows.assign(source_row=None))], auth.SYSTEM, "test")
    assert cli.main(["release", "--db", str(small_db)]) == 0
    shown = capsys.readouterr().out
    assert labels.t("release_line_unreleased", "fr", year=2025, enterprises="7") in shown
    assert "2024 : " in shown
    assert cli.main(["release", "--db", str(small_db), "--year", "2025"]) == 0
    assert labels.t("release_done", "fr", year=2025, enterprises="7") in capsys.readouterr().err
    assert cli.main(["release", "--db", str(small_db), "--year", "2025", "--lang", "en"]) == cli.EXIT_INVALID
    assert "2025" in capsys.readouterr().err
    with db.connect(small_db) as con:
        assert _public_years(con) == [2023, 2024, 2025]


def test_release_page(small_db, monkeypatch):
    """A provincial admin releases a year from the page (confirmed); a regional admin sees the years, not the form."""
    from conftest import ADMIN_EMAIL, PASSWORD
    from conftest import app_clean as _clean
    from conftest import app_login as _login
    from conftest import app_page as _on_page

    with db.connect(small_db) as con:
        rows = demo.generate(seed=4, years=(2025,), n_enterprises=6)
        history.write_imports(con, [("y2025", "n", rows.assign(source_row=None))], auth.SYSTEM, "test")
        auth.add_account(con, auth.SYSTEM, ADMIN_EMAIL, auth.ADMIN, PASSWORD)
        auth.add_account(con, auth.SYSTEM, "pole@example.org", auth.ADMIN, PASSWORD, regions=["16"])
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db))
    page = "ess_impact/web/admin/release.py"
    at = _on_page(_login("pole@example.org"), page)
    assert labels.t("release_provincial", "fr") in [i.value for i in at.info] and not at.selectbox
    at = _on_page(_login(ADMIN_EMAIL), page)
    table = at.dataframe[0].value
    assert table[labels.t("year", "fr")].tolist() == ["2023", "2024", "2025"]
    at.selectbox[0].select(2025)
    at.button[0].click().run()  # not confirmed: nothing is released
    _clean(at)
    assert labels.t("release_incomplete", "fr") in [w.value for w in at.warning]
    with db.connect(small_db) as con:
        assert _public_years(con) == [2023, 2024]
    at.selectbox[0].select(2025)
    at.checkbox[0].check()
    at.button[0].click().run()
    _clean(at)
    assert labels.t("release_done", "fr", year=2025, enterprises="6") in [s.value for s in at.success]
    assert labels.t("release_none_pending", "fr") in [i.value for i in at.info]
    with db.connect(small_db) as con:
        assert _public_years(con) == [2023, 2024, 2025]


def test_a_release_is_in_the_activity_log_in_words(small_db):
    from ess_impact.store import activity

    with db.connect(small_db) as con:
        rows = demo.generate(seed=4, years=(2025,), n_enterprises=5)
        history.write_imports(con, [("y2025", "n", rows.assign(source_row=None))], auth.SYSTEM, "test")
        releases.release(con, auth.Account("direction@pole.example", auth.ADMIN), 2025)
        log = activity.read(con, auth.SYSTEM)
    row = log[log["action"] == "release"].iloc[0]
    assert (row["actor"], row["target"], row["detail"]) == ("direction@pole.example", "2025", "5")
    assert activity.action_text("release", "fr") == "Publication d'une année"


def _careless_engine(cells, value_cols, constraints, rules=None, *args, **kwargs):
    """A protection engine that hides the sensitive values only (no complement, no starting pattern): what a new
    version of the engine with a regression, or with other choices, could publish."""
    from ess_impact.publish import confidentiality

    status = {"n": confidentiality.protection(cells, "n", rules)[0]}
    status.update({c: confidentiality.protection(cells, c, rules)[0] for c in value_cols})
    return pd.DataFrame({c: ["primary" if h else "" for h in hidden] for c, hidden in status.items()},
                        index=cells.index, dtype=object)


def _hidden(frame: pd.DataFrame, keys: list[str]) -> set:
    """(year, cell, column) of every value a protected frame hides."""
    rows = frame.set_index(["year", "cell"])
    return {(y, c, k) for k in keys for (y, c), v in rows[k].items() if pd.isna(v)}


def test_a_new_engine_hides_at_least_what_was_published_hidden(small_db, monkeypatch):
    """A released year protected again by a new version of the engine (indicators.CUBE_FORMAT) must not publish a
    value the earlier version hid: a reader who kept both would have both patterns. Here the new engine is careless
    (sensitive values only): on its own it publishes complements the first version hid; through the published
    patterns, every value hidden before is still hidden, in the yearly tables and at constant sample, and the
    snapshot and the database's own public cubes show one pattern."""
    from ess_impact.publish import confidentiality

    keys = ["enterprises", *indicators.PROTECTED]
    first = snapshot.load(small_db, snapshot.prepare(small_db))
    with db.connect(small_db) as con:
        recorded = {r[0] for r in con.execute("SELECT part FROM published_patterns").fetchall()}
        true = indicators.cube(con, 2024)
        rules = indicators.rules_for(con, 2024)
    assert recorded == {"year:2023", "year:2024", "panel:2023-2024:2023", "panel:2023-2024:2024"}
    hidden_yearly, hidden_panel = _hidden(first.public, keys), _hidden(first.panel(2023, 2024), keys)

    monkeypatch.setattr(indicators, "CUBE_FORMAT", indicators.CUBE_FORMAT + "-careless")
    monkeypatch.setattr(confidentiality, "suppress", _careless_engine)
    alone = indicators.protect(true, rules)  # the new engine from nothing: it would publish what was hidden
    assert {h for h in hidden_yearly if h[0] == 2024} - _hidden(alone, keys)

    second = snapshot.load(small_db, snapshot.prepare(small_db))
    assert second.manifest.cube_format == indicators.CUBE_FORMAT
    assert hidden_yearly <= _hidden(second.public, keys)
    assert hidden_panel <= _hidden(second.panel(2023, 2024), keys)
    with db.connect(small_db) as con:
        ours = indicators.public_cubes(con)
        assert hidden_yearly <= _hidden(ours, keys)
        assert ours.sort_values(["year", "cell"])["suppressed"].tolist() == \
            second.public.sort_values(["year", "cell"])["suppressed"].tolist()
