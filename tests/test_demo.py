"""Tests of the fictitious demonstration data generator (ess_impact.demo)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ess_impact import fields, reference
from ess_impact.store import demo

YEARS = (2020, 2021, 2022, 2023, 2024)
INT_COLUMNS = ("jobs_full_time", "jobs_part_time", "volunteers", "members")
NUMERIC = ("jobs_full_time", "jobs_part_time", "paid_hours", "payroll", "revenue_total", "revenue_earned",
           "revenue_grants", "volunteers", "volunteer_hours", "members")


@pytest.fixture(scope="module")
def df():
    return demo.generate()


@pytest.fixture(scope="module")
def jobs(df):
    return df["jobs_full_time"] + df["jobs_part_time"]


@pytest.fixture(scope="module")
def consecutive(df):
    """Rows of an enterprise that also reported the year before, with the previous revenue."""
    s = df.sort_values(["neq", "year"])
    prev = s.groupby("neq")[["year", "revenue_total"]].shift()
    keep = prev["year"] == s["year"] - 1
    return s[keep].assign(prev_revenue=prev.loc[keep, "revenue_total"])


# ------------------------------------------------------------------------------------------ API and determinism
def test_labels():
    assert demo.DEMO_LABEL_FR == "Données fictives de démonstration"
    assert demo.DEMO_LABEL_EN == "Fictitious demonstration data"


def test_columns_are_the_field_keys_in_order(df):
    assert list(df.columns) == [f.key for f in fields.FIELDS]


def test_same_seed_same_frame(df):
    pd.testing.assert_frame_equal(df, demo.generate())
    small = demo.generate(seed=7, n_enterprises=1500)
    pd.testing.assert_frame_equal(small, demo.generate(seed=7, n_enterprises=1500))


def test_other_seed_other_frame(df):
    other = demo.generate(seed=2027)
    assert len(set(other["neq"]) & set(df["neq"])) < 50
    assert set(other["name"]) != set(df["name"])
    assert abs(other["revenue_total"].sum() - df["revenue_total"].sum()) > 1_000
    a = demo.generate(seed=1, n_enterprises=800)
    b = demo.generate(seed=2, n_enterprises=800)
    assert not a["revenue_total"].reset_index(drop=True).equals(b["revenue_total"].reset_index(drop=True))


def test_does_not_import_streamlit():
    root = Path(__file__).resolve().parent.parent
    code = "import sys, ess_impact.store.demo as d; d.generate(n_enterprises=300); print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_other_arguments():
    one = demo.generate(seed=3, years=(2023,), n_enterprises=500)
    assert len(one) == 500 and set(one["year"]) == {2023}
    assert one["neq"].is_unique
    two = demo.generate(seed=3, years=(2022, 2023), n_enterprises=2000)
    assert set(two["year"]) == {2022, 2023}
    assert two["neq"].nunique() == 2000
    assert set(two["mrc"]) == set(reference.mrcs()["code"])


# ------------------------------------------------------------------------------------------------ shape, keys
def test_years_and_yearly_counts(df):
    assert sorted(df["year"].unique().tolist()) == list(YEARS)
    assert df["year"].dtype.kind == "i"
    counts = df.groupby("year").size()
    assert counts.between(9_500, 11_400).all(), counts.to_dict()
    assert df["neq"].nunique() == 11_360


def test_neq_year_unique(df):
    assert not df.duplicated(["neq", "year"]).any()


def test_neq_format(df):
    pattern = re.compile(r"^(11|33)\d{8}$")
    assert df["neq"].map(lambda v: isinstance(v, str) and bool(pattern.match(v))).all()


def test_identity_stable_across_years(df):
    per_neq = df.groupby("neq").agg(names=("name", "nunique"), forms=("legal_form", "nunique"),
                                    sectors=("sector", "nunique"))
    assert (per_neq == 1).all().all()
    firsts = df.drop_duplicates("neq")
    assert firsts["name"].is_unique


def test_names_look_like_social_economy(df):
    names = df.drop_duplicates("neq")
    assert names["name"].str.len().between(10, 120).all()
    assert names.loc[names["legal_form"] == "MUT", "name"].str.startswith("Mutuelle").all()
    coop = names.loc[names["legal_form"] == "COOP", "name"]
    assert coop.str.contains("Coop|coop|Caisse coopérative").all()
    obnl = names.loc[names["legal_form"] == "OBNL", "name"]
    assert not obnl.str.contains("Coop|Mutuelle").any()
    cpe = names[(names["sector"] == "EDU") & (names["legal_form"] == "OBNL")]["name"]
    assert cpe.str.startswith(("CPE ", "Centre de la petite enfance", "Centre d'alphabétisation")).all()
    assert not names["name"].str.contains("Desjardins|nan|None|  ").any()


def test_codes_are_known(df):
    assert set(df["legal_form"]) == set(reference.legal_forms()["code"])
    assert set(df["sector"]) <= set(reference.sectors()["code"])
    assert set(df["mrc"]) <= set(reference.mrcs()["code"])


def test_every_mrc_present_every_year(df):
    codes = set(reference.mrcs()["code"])
    for _, group in df.groupby("year"):
        assert set(group["mrc"]) == codes


def test_enterprises_follow_population(df):
    ref = reference.mrcs().set_index("code")
    counts = df.drop_duplicates("neq")["mrc"].value_counts().reindex(ref.index, fill_value=0)
    assert counts.min() >= 3
    assert counts.idxmax() == "66"  # Montréal
    assert counts.corr(ref["population"], method="spearman") > 0.9
    assert counts.corr(ref["population"]) > 0.9


def test_mrc_moves_are_rare(df):
    moved = (df.groupby("neq")["mrc"].nunique() > 1).mean()
    assert moved < 0.005


def test_legal_form_and_sector_mix(df):
    firsts = df.drop_duplicates("neq")
    shares = firsts["legal_form"].value_counts(normalize=True)
    assert 0.26 <= shares["COOP"] <= 0.34
    assert 0.64 <= shares["OBNL"] <= 0.74
    assert 0.004 <= shares["MUT"] <= 0.02
    mut = firsts[firsts["legal_form"] == "MUT"]
    assert (mut["sector"] == "FIN").mean() > 0.7
    sectors = firsts["sector"].value_counts(normalize=True)
    for big in ("SAN", "LOI", "ART", "EDU", "HAB"):
        assert sectors[big] > 2 * sectors["FIN"], big
    assert sectors["FIN"] < 0.06


# ---------------------------------------------------------------------------------------------------- totals
def test_yearly_totals_like_quebec(df, jobs):
    totals = df.assign(jobs=jobs).groupby("year")[["jobs", "revenue_total"]].sum()
    assert totals["jobs"].between(200_000, 300_000).all(), totals["jobs"].to_dict()
    assert totals["revenue_total"].between(40e9, 70e9).all(), totals["revenue_total"].to_dict()


def test_heavy_tail_of_jobs(df, jobs):
    assert jobs.median() <= 20
    assert (jobs <= 20).mean() > 0.6
    big = df.loc[jobs > 1_000]
    assert 1 <= big["neq"].nunique() <= 30
    assert (big["sector"] == "FIN").mean() > 0.5
    assert ((jobs >= 100) & (jobs <= 1_000)).sum() > 100


# ------------------------------------------------------------------------------------------------ invariants
def test_numeric_columns_are_float_non_negative(df):
    for column in NUMERIC:
        assert df[column].dtype == np.float64, column
        assert (df[column].dropna() >= 0).all(), column


def test_counts_are_integral(df):
    for column in INT_COLUMNS:
        values = df[column].dropna()
        assert (values == np.round(values)).all(), column


def test_required_columns_never_missing(df):
    required = [f.key for f in fields.FIELDS if f.required]
    assert "volunteer_hours" in required
    assert not df[required].isna().any().any()


def test_revenue_parts(df):
    total = df["revenue_total"]
    assert (total > 0).all()
    earned = df["revenue_earned"]
    assert (earned.dropna() <= total[earned.notna()]).all()
    both = earned.notna() & df["revenue_grants"].notna()
    assert (earned[both] + df.loc[both, "revenue_grants"] <= total[both]).all()
    assert (df["revenue_grants"].dropna() <= total[df["revenue_grants"].notna()]).all()


def test_revenue_per_job_at_most_one_million(df, jobs):
    with_jobs = jobs > 0
    assert (df.loc[with_jobs, "revenue_total"] / jobs[with_jobs] <= 1_000_000).all()


def test_no_tenfold_jumps(consecutive):
    assert len(consecutive) > 30_000
    ratio = consecutive["revenue_total"] / consecutive["prev_revenue"]
    assert ratio.lt(10).all() and ratio.gt(0.1).all()


def test_importer_plausibility_rules(df, jobs):
    hours = df["paid_hours"]
    ok = hours.isna() | (hours <= 3_000 * jobs.clip(lower=1))
    assert ok.all()
    vol = df["volunteers"]
    ok = vol.isna() | (df["volunteer_hours"] <= 2_000 * vol.clip(lower=1))
    assert ok.all()


# ------------------------------------------------------------------------------------------ missing and zeros
@pytest.mark.parametrize("column, low, high", [
    ("paid_hours", 0.15, 0.25), ("payroll", 0.20, 0.30), ("revenue_earned", 0.06, 0.14),
    ("revenue_grants", 0.06, 0.14), ("volunteers", 0.03, 0.2), ("members", 0.03, 0.45)])
def test_missing_rates(df, column, low, high):
    assert low <= df[column].isna().mean() <= high


def test_zeros_are_common(df, jobs):
    obnl = df["legal_form"] == "OBNL"
    assert (df.loc[obnl, "jobs_full_time"] == 0).mean() > 0.1
    assert (jobs == 0).mean() > 0.05
    no_volunteering = (df["volunteer_hours"] == 0).mean()
    assert 0.08 <= no_volunteering <= 0.25
    assert (df["volunteers"] == 0).any()
    tiny = df[(jobs == 0) & (df["revenue_total"] < 50_000)]
    assert len(tiny) > 50


# ------------------------------------------------------------------------------------------------ consistency
def test_hours_and_payroll_consistent(df):
    rows = df[df["paid_hours"].notna() & (df["jobs_full_time"] + df["jobs_part_time"] > 0)]
    expected = rows["jobs_full_time"] * 1_750 + rows["jobs_part_time"] * 800
    assert (rows["paid_hours"] / expected).median() == pytest.approx(1.0, abs=0.1)
    zero = df[df["paid_hours"].notna() & (df["jobs_full_time"] + df["jobs_part_time"] == 0)]
    assert (zero["paid_hours"] == 0).all()
    paid = df[df["payroll"].notna() & df["paid_hours"].gt(0)]
    wage = paid["payroll"] / paid["paid_hours"]
    assert 22 <= wage.median() <= 35
    assert wage.quantile(0.95) <= 35.5


def test_volunteer_hours_consistent(df):
    known = df[df["volunteers"].notna()]
    assert (known.loc[known["volunteers"] == 0, "volunteer_hours"] == 0).all()
    some = known[known["volunteers"] > 0]
    per = some["volunteer_hours"] / some["volunteers"]
    assert per.between(19.5, 150.5).all()


def test_revenue_follows_jobs(df, jobs):
    assert jobs.corr(df["revenue_total"], method="spearman") > 0.7
    staffed = df[(jobs >= 5) & (df["sector"] != "FIN")]
    per_job = staffed["revenue_total"] / (staffed["jobs_full_time"] + staffed["jobs_part_time"])
    assert 60_000 <= per_job.median() <= 150_000
    fin = df[(jobs >= 5) & (df["sector"] == "FIN")]
    fin_per_job = fin["revenue_total"] / (fin["jobs_full_time"] + fin["jobs_part_time"])
    assert fin_per_job.median() > 1.5 * per_job.median()


def test_earned_share_by_sector(df):
    rows = df[df["revenue_earned"].notna()]
    share = (rows["revenue_earned"] / rows["revenue_total"]).groupby(rows["sector"]).mean()
    for high in ("COM", "FIN", "AGR"):
        for low in ("SAN", "INS"):
            assert share[high] > share[low] + 0.3, (high, low)


# ------------------------------------------------------------------------------------------------- dynamics
def test_births_and_deaths(df):
    span = df.groupby("neq")["year"].agg(["min", "max"])
    births = (span["min"] > YEARS[0]).mean()
    deaths = (span["max"] < YEARS[-1]).mean()
    assert births > 0.03 and deaths > 0.03
    panels = [set(g["neq"]) for _, g in df.groupby("year")]
    for before, after in zip(panels, panels[1:]):
        assert before - after and after - before


def test_growth_and_covid_dip(consecutive):
    rows = consecutive[consecutive["year"] >= 2022]
    growth = rows["revenue_total"].sum() / rows["prev_revenue"].sum() - 1
    assert 0.01 <= growth <= 0.06
    recovery = consecutive[consecutive["year"] == 2021]
    hit = recovery["sector"].isin(["LOI", "ART"])
    hit_growth = recovery.loc[hit, "revenue_total"].sum() / recovery.loc[hit, "prev_revenue"].sum()
    other_growth = recovery.loc[~hit, "revenue_total"].sum() / recovery.loc[~hit, "prev_revenue"].sum()
    assert hit_growth > other_growth + 0.15  # 2020 was low for recreation and culture


def test_the_shipped_patterns_are_those_of_this_demo_and_engine(tmp_path):
    """ess_impact/data/demo_patterns.parquet (publish/demo_patterns.py) spares every demo load its protection: a
    loaded demo is published without protecting anything, and its tables are the shipped patterns applied to its
    figures. When this fails, the demo generator, the cube or the engine changed: run `make demo-patterns`."""
    from ess_impact import settings_admin
    from ess_impact.publish import indicators, snapshot
    from ess_impact.store import auth, db, history

    path = tmp_path / "demo.duckdb"
    with db.connect(path) as con:
        loaded = history.load_demo(con)
        recorded = con.execute("SELECT part FROM published_patterns ORDER BY part").fetchall()
        assert len(recorded) == 5 + 8, "the demo's patterns were not made for this load: run `make demo-patterns`"
    counted = dict(snapshot.COUNTERS)
    manifest = snapshot.prepare(path)
    assert (snapshot.COUNTERS["years"], snapshot.COUNTERS["pair_years"]) == (counted["years"], counted["pair_years"]), \
        "a shipped pattern does not match its part's inputs (engine, cube): run `make demo-patterns`"
    assert len(manifest.cubes) == 5 and len(manifest.panels) == 4 and loaded.stamp
    # loaded again, the demo does not replace a pattern in force (it only grows: publish/indicators.py)
    with db.connect(path) as con:
        con.execute("UPDATE published_patterns SET inputs = 'grown' WHERE part = 'year:2024'")
        history.load_demo(con)
        assert con.execute("SELECT inputs FROM published_patterns WHERE part = 'year:2024'").fetchone()[0] == "grown"
    # other rules in force: the shipped patterns were not made for them, nothing is recorded (all is protected)
    with db.connect(tmp_path / "other.duckdb") as con:
        settings_admin.set_setting(con, auth.SYSTEM, "min_count", "4")
        history.load_demo(con)
        assert con.execute("SELECT count(*) FROM published_patterns").fetchone()[0] == 0
        assert indicators.years(con)["year"].tolist() == [2020, 2021, 2022, 2023, 2024]
