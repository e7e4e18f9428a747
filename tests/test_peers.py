"""Mes données beside the sector: the medians of the OTHER enterprises of the enterprise's sector in its MRC, region
and Québec, rounded to two significant digits, equal an independent pandas computation; an enterprise that changes its
own figures and reads again sees exactly the same medians (it cannot steer them); a median resting on fewer enterprises than the threshold is withheld (and its value
appears nowhere in the table); the threshold is a setting that cannot go below the public minimum; only the
enterprise itself (or an admin) may ask; the page shows it."""

from __future__ import annotations

import shutil
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from ess_impact import formatting, labels, settings
from ess_impact.output import tables
from ess_impact.publish import indicators, peers
from ess_impact.store import auth, db

BASIS_ITEMS = ["jobs_total", "fte", "payroll", "revenue_total", "earned_share", "grant_share", "volunteers",
               "volunteer_hours", "members"]


def _enterprise_rows(con, year: int) -> pd.DataFrame:
    """Every enterprise's indicators for `year`, computed here from the raw rows, not through peers' SQL."""
    frame = con.execute("SELECT f.*, m.region_code FROM annual_figures f JOIN mrc m ON m.code = f.mrc "
                        "WHERE f.year = ?", [year]).df()
    basis = indicators.settings(con).fte_basis_hours
    frame["jobs_total"] = frame["jobs_full_time"] + frame["jobs_part_time"]
    frame["fte"] = frame["paid_hours"] / basis
    total = frame["revenue_total"].where(frame["revenue_total"] != 0)
    frame["earned_share"] = frame["revenue_earned"] / total
    frame["grant_share"] = frame["revenue_grants"] / total
    return frame


def _round2(x: float) -> float:
    return float(f"{x:.2g}") if np.isfinite(x) else x


def _expected(group: pd.DataFrame, threshold: int) -> tuple[list[float], list[int]]:
    counts = [int(group[k].notna().sum()) for k in BASIS_ITEMS]
    medians = [_round2(float(group[k].median())) if n >= threshold else np.nan for k, n in zip(BASIS_ITEMS, counts)]
    return medians, counts


def _pick(frame: pd.DataFrame, largest: bool) -> str:
    sizes = frame.groupby(["sector", "mrc"]).size()
    target = sizes.idxmax() if largest else sizes[sizes < settings.defaults().median_min_count].index[0]
    return frame[(frame["sector"] == target[0]) & (frame["mrc"] == target[1])]["neq"].iloc[0]


@pytest.mark.parametrize("largest", [True, False], ids=["large-group", "small-group"])
def test_medians_match_an_independent_computation(demo_db, largest):
    with db.connect(demo_db) as con:
        year = indicators.latest_year(con)
        frame = _enterprise_rows(con, year)
        neq = _pick(frame, largest)
        found = peers.peer_medians(con, auth.system("pytest"), neq, year)
    own = frame[frame["neq"] == neq].iloc[0]
    same_sector = frame[(frame["sector"] == own["sector"]) & (frame["neq"] != neq)]  # the others only
    groups = {"mrc": same_sector[same_sector["mrc"] == own["mrc"]],
              "region": same_sector[same_sector["region_code"] == own["region_code"]], "quebec": same_sector}
    assert found.sector == own["sector"] and found.mrc == own["mrc"] and found.region == own["region_code"]
    assert found.min_count == settings.defaults().median_min_count
    np.testing.assert_allclose(found.values["self"].astype(float), [float(own[k]) if pd.notna(own[k]) else np.nan
                                                                     for k in BASIS_ITEMS], equal_nan=True)
    for scope, group in groups.items():
        medians, counts = _expected(group, found.min_count)
        assert found.values[f"{scope}_n"].tolist() == counts, scope
        np.testing.assert_allclose(found.values[scope].astype(float), medians, rtol=1e-12, equal_nan=True,
                                   err_msg=scope)
        assert found.hidden[scope].tolist() == [n < found.min_count for n in counts], scope
    assert found.hidden["mrc"].any() != largest  # the small group withholds, the largest one publishes
    assert not found.hidden["quebec"].any()


def test_a_withheld_median_appears_nowhere_in_the_table(demo_db):
    with db.connect(demo_db) as con:
        year = indicators.latest_year(con)
        frame = _enterprise_rows(con, year)
        neq = _pick(frame, largest=False)
        found = peers.peer_medians(con, auth.system("pytest"), neq, year)
    own = frame[frame["neq"] == neq].iloc[0]
    group = frame[(frame["sector"] == own["sector"]) & (frame["mrc"] == own["mrc"])]
    for lang in ("fr", "en"):
        table = tables.peers_table(found, lang)
        mrc_column = labels.t("peers_median_of", lang, place="MRC")
        texts = table.cell_text(mrc_column, lang)
        assert texts == [formatting.SUPPRESSED] * len(texts)
        true_medians = {tables.value_text(k, group[k].median(), lang) for k in BASIS_ITEMS if group[k].notna().any()}
        exported = tables.to_csv(table, lang).decode("utf-8-sig")
        own_values = {tables.value_text(k, float(own[k]), lang) for k in BASIS_ITEMS if pd.notna(own[k])}
        # a withheld median may coincide with the enterprise's own value (which it knows); any other must not show
        assert not [m for m in true_medians - own_values if m in exported.split(";" if lang == "fr" else ",")]


def test_threshold_is_a_setting_never_below_the_public_minimum(demo_db, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, path)
    with db.connect(path) as con:
        year = indicators.latest_year(con)
        neq = _pick(_enterprise_rows(con, year), largest=True)
        for wanted, effective in (("1", 3), ("12", 12), ("100000", 100000)):
            con.execute("UPDATE settings SET value = ?, updated_at = ? WHERE key = 'median_min_count'",
                        [wanted, datetime.now()])
            found = peers.peer_medians(con, auth.system("pytest"), neq, year)
            assert found.min_count == effective
            for scope in peers.SCOPES:
                assert found.hidden[scope].tolist() == (found.values[f"{scope}_n"] < effective).tolist()
        assert found.hidden[list(peers.SCOPES)].to_numpy().all()


def test_only_the_enterprise_or_an_admin_may_ask(demo_db):
    with db.connect(demo_db) as con:
        year = indicators.latest_year(con)
        neq, other = [r[0] for r in con.execute("SELECT neq FROM annual_figures WHERE year = ? ORDER BY neq LIMIT 2",
                                                [year]).fetchall()]
        assert peers.peer_medians(con, auth.Account("coop@example.org", auth.ENTREPRISE, (neq,)), neq, year)
        assert peers.peer_medians(con, auth.Account("admin@example.org", auth.ADMIN), other, year)
        with pytest.raises(auth.Forbidden):
            peers.peer_medians(con, auth.Account("coop@example.org", auth.ENTREPRISE, (neq,)), other, year)
        with pytest.raises(auth.Forbidden):
            peers.peer_medians(con, None, neq, year)
        assert peers.peer_medians(con, auth.system("pytest"), neq, 1990) is None


def test_my_data_page_shows_the_comparison(small_db, monkeypatch):
    """small_db's enterprises are too few for any median: the page shows the table with every median withheld."""
    email, neq, password = "coop@example.org", "1170000001", "un mot de passe assez long"
    with db.connect(small_db) as con:
        auth.add_account(con, auth.SYSTEM, email, auth.ENTREPRISE, password, [neq])
        token = auth.open_session(con, auth.authenticate(con, email, password))
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["_session_token"] = token
    at.run(timeout=180)
    at.switch_page("ess_impact/web/enterprise/my_data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tables_shown = [df.value for df in at.dataframe]
    medians = next(df for df in tables_shown if labels.t("peers_self", "fr") in df.columns)
    assert len(medians) == len(BASIS_ITEMS)
    median_columns = [c for c in medians.columns if str(c).startswith(labels.t("peers_median_of", "fr", place=""))]
    assert len(median_columns) == 3 and (medians[median_columns] == formatting.SUPPRESSED).all().all()
    assert labels.t("peers_note", "fr", sector="Habitation", year=2024, min_count=5) in \
        [c.value for c in at.caption]
    at.selectbox(key=f"peers_year_{neq}").set_value(2023).run()
    assert not at.exception
    assert labels.t("peers_note", "fr", sector="Habitation", year=2023, min_count=5) in \
        [c.value for c in at.caption]


def test_an_enterprise_cannot_steer_the_medians_with_its_own_figures(demo_db, tmp_path):
    """The attack of issue 11: upload one's own figures far below, then far above the others and read the medians
    again. Every published number of the comparison (medians and counts) stays the same, so nothing is learnt."""
    from ess_impact.store import history

    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, path)
    with db.connect(path) as con:
        year = indicators.latest_year(con)
        frame = _enterprise_rows(con, year)
        neq = _pick(frame, largest=True)
        account = auth.Account("coop@example.org", auth.ENTREPRISE, (neq,))
        before = peers.peer_medians(con, account, neq, year)
        row = con.execute("SELECT * EXCLUDE (import_id, source_row) FROM annual_figures WHERE neq = ? AND year = ?",
                          [neq, year]).df()
        readings = []
        for factor in (0.0, 1000.0):
            changed = row.copy()
            for k in ("jobs_full_time", "jobs_part_time", "paid_hours", "payroll", "revenue_total", "revenue_earned",
                      "revenue_grants", "volunteers", "volunteer_hours", "members"):
                changed[k] = (changed[k].astype(float) * factor).round()
            # written as demo data (a real upload into the demo base would first remove the demo data)
            history.write_imports(con, [(f"own-{factor}", f"h{factor}", changed.assign(source_row=None))],
                                  auth.SYSTEM, "test", is_demo=True)
            after = peers.peer_medians(con, account, neq, year)
            assert after.values["self"].iloc[0] != before.values["self"].iloc[0]  # the upload did change its row
            readings.append(after)
    columns = [c for c in before.values.columns if c != "self"]
    for after in readings:
        pd.testing.assert_frame_equal(after.values[columns], before.values[columns])
        pd.testing.assert_frame_equal(after.hidden, before.hidden)


def test_the_rule_is_stated_in_both_languages():
    for lang in ("fr", "en"):
        note = labels.t("peers_note", lang, sector="Habitation", year=2024, min_count=5)
        assert ("jamais" if lang == "fr" else "never") in note and "5" in note
