"""Indicators computed in SQL, checked against an independent pandas computation on the same rows; change at
constant sample; confidentiality of the published tables against an attacker with a linear program."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from ess_impact import reference
from ess_impact.publish import confidentiality, indicators
from ess_impact.publish.indicators import Filters
from ess_impact.store import auth, db, demo, history, releases

RATES = {2022: 14.25, 2023: 15.25, 2024: 15.75}


@pytest.fixture(scope="module")
def rows():
    return demo.generate(seed=7, years=(2022, 2023, 2024), n_enterprises=900)


@pytest.fixture(scope="module")
def con(rows):
    connection = db.open_database(":memory:")
    history.write_imports(connection, [("small", "x", rows.assign(source_row=None))], auth.SYSTEM, "test",
                         is_demo=True)
    releases.release_new_years(connection, auth.SYSTEM)  # its years public (store/releases.py)
    yield connection
    connection.close()


def _expected(rows: pd.DataFrame, by: str, year: int) -> pd.DataFrame:
    """The same indicators with pandas, from the raw rows."""
    mrc = reference.mrcs().set_index("code")
    r = rows[rows["year"] == year].copy()
    r["region"] = r["mrc"].map(mrc["region_code"])
    r["jobs_total"] = r["jobs_full_time"] + r["jobs_part_time"]
    r["volunteer_value"] = r["volunteer_hours"] * RATES[year]
    key = {"mrc": "mrc", "region": "region", "sector": "sector", "legal_form": "legal_form"}[by]
    g = r.groupby(key)
    out = pd.DataFrame({
        "enterprises": g.size(),
        "jobs_total": g["jobs_total"].sum(),
        "fte": g["paid_hours"].sum(min_count=1) / 1820,  # unknown (not 0) when nobody reported hours
        "revenue_total": g["revenue_total"].sum(),
        "volunteer_value": g["volunteer_value"].sum(),
        "members": g["members"].sum(min_count=1),
        # public service agreements count as earned revenue (issue 14)
        "earned_share": g.apply(lambda d: (d["revenue_earned"].fillna(0) + d["revenue_public_contracts"].fillna(0))
                                .sum() / d.loc[d["revenue_earned"].notna() | d["revenue_public_contracts"].notna(),
                                               "revenue_total"].sum()),
    })
    if by in ("mrc", "region"):
        population = (mrc["population"] if by == "mrc" else reference.regions().set_index("code")["population"])
        out["jobs_per_1000"] = out["jobs_total"] * 1000 / population.reindex(out.index)
    return out


@pytest.mark.parametrize("by", ["mrc", "region", "sector", "legal_form"])
@pytest.mark.parametrize("year", [2023, 2024])
def test_summary_matches_pandas(con, rows, by, year):
    got = indicators.summary(con, by, Filters(year=year)).set_index("code")
    want = _expected(rows, by, year)
    assert sorted(got.index) == sorted(want.index)
    for column in want.columns:
        np.testing.assert_allclose(got.loc[want.index, column].astype(float), want[column].astype(float),
                                   rtol=1e-9, err_msg=column)


def test_filters_cut_the_same_cube(con, rows):
    montérégie = indicators.summary(con, "mrc", Filters(year=2024, region="16"))
    codes = set(reference.mrcs().query("region_code == '16'")["code"])
    assert set(montérégie["code"]) <= codes and len(montérégie) > 5
    housing = indicators.summary(con, "region", Filters(year=2024, sector="HAB"))
    r = rows[(rows.year == 2024) & (rows.sector == "HAB")]
    assert housing["enterprises"].sum() == len(r)
    one = indicators.summary(con, "sector", Filters(year=2024, mrc="66"))
    assert one["enterprises"].sum() == ((rows.year == 2024) & (rows.mrc == "66")).sum()
    with pytest.raises(indicators.UnsupportedView):
        indicators.summary(con, "mrc", Filters(year=2024, sector="HAB", legal_form="COOP"))


def test_all_years_and_totals(con, rows):
    total = indicators.summary(con, "all", Filters())
    assert list(total["year"]) == [2022, 2023, 2024]
    assert list(total["enterprises"]) == [int((rows.year == y).sum()) for y in (2022, 2023, 2024)]
    assert total["population"].iloc[0] == 9_056_044


def test_change_raw_and_at_constant_sample(con, rows):
    out = indicators.change(con, "region", 2023, 2024).set_index(["code", "indicator", "sample"])
    a, b = rows[rows.year == 2023], rows[rows.year == 2024]
    both = set(a.neq) & set(b.neq)
    region = reference.mrcs().set_index("code")["region_code"]
    for code in ("06", "16"):
        in_region = lambda d: d[d.mrc.map(region) == code]  # noqa: E731
        raw = out.loc[(code, "revenue_total", "raw")]
        assert raw["value_from"] == pytest.approx(in_region(a).revenue_total.sum())
        assert raw["value_to"] == pytest.approx(in_region(b).revenue_total.sum())
        const = out.loc[(code, "revenue_total", "constant")]
        assert const["value_from"] == pytest.approx(in_region(a[a.neq.isin(both)]).revenue_total.sum())
        assert const["value_to"] == pytest.approx(in_region(b[b.neq.isin(both)]).revenue_total.sum())
        assert const["change"] == pytest.approx(const["value_to"] / const["value_from"] - 1)
    panel = out.xs(("enterprises", "constant"), level=("indicator", "sample"))
    assert panel["value_from"].sum() == panel["value_to"].sum() == len(both)  # the same enterprises both years


def test_settings_and_rates_have_documented_defaults(con):
    s = indicators.settings(con)
    assert (s.fte_basis_hours, s.min_count, s.dominance_share) == (1820.0, 3, 0.85)
    rates = indicators.volunteer_rates(con).set_index("year")["rate"]
    assert rates[2023] == 15.25 and rates[2024] == 15.75 and rates[2025] == 16.10


@pytest.mark.slow  # over 5 s: not in `make check`
def test_public_tables_are_the_protected_cube(con, published):
    public = indicators.summary(con, "region", Filters(year=2024), public=True)
    pd.testing.assert_frame_equal(public, published["region"])


@pytest.mark.slow  # over 5 s: not in `make check`
def test_public_summary_hides_small_cells(con, rows):
    public = indicators.summary(con, "mrc", Filters(year=2024), public=True).set_index("code")
    admin = indicators.summary(con, "mrc", Filters(year=2024)).set_index("code")
    small = admin.index[admin["enterprises"] < 3]
    assert len(small) > 0
    assert public.loc[small, "revenue_total"].isna().all()
    assert public.loc[small, "enterprises"].isna().all()
    assert all("revenue_total" in s for s in public.loc[small, "suppressed"])
    shown = public["revenue_total"].notna()
    np.testing.assert_allclose(public.loc[shown, "revenue_total"], admin.loc[shown[shown].index, "revenue_total"])


@pytest.fixture(scope="module")
def published(con):
    """Everything a visitor can download for 2024, cut from one protected cube (as summary(public=True) does)."""
    cube = indicators.public_cube(con, 2024)
    return {by: indicators.select(cube, by, Filters(year=2024)) for by in
            ("mrc", "region", "sector", "legal_form", "all")}


@pytest.mark.parametrize("column", ["enterprises", "jobs_total", "revenue_total", "volunteer_hours"])
def test_attacker_cannot_recover_suppressed_values_from_published_tables(published, column):
    """Everything a visitor can download for a year: by MRC, by region, by sector, by legal form, and the total.
    Unknowns are the suppressed values; a linear program minimises and maximises each one subject to the
    additive links between the tables and x ≥ 0. None may be pinned to a single value."""
    tables = published
    region_of = reference.mrcs().set_index("code")["region_code"]
    unknown, known = {}, {}
    for by, frame in tables.items():
        for code, value in zip(frame["code"], frame[column]):
            (unknown if pd.isna(value) else known)[(by, code)] = value
    assert unknown, "the data set is built to have suppressed cells"
    index = {k: i for i, k in enumerate(unknown)}
    equations = []  # (terms: {cell: sign}) == 0
    for region in tables["region"]["code"]:
        terms = {("region", region): 1.0}
        terms.update({("mrc", m): -1.0 for m in tables["mrc"]["code"] if region_of[m] == region})
        equations.append(terms)
    for by in ("region", "sector", "legal_form"):
        terms = {("all", "QC"): 1.0}
        terms.update({(by, c): -1.0 for c in tables[by]["code"]})
        equations.append(terms)
    a_eq, b_eq = [], []
    for terms in equations:
        row = np.zeros(len(unknown))
        rhs = 0.0
        for cell, sign in terms.items():
            if cell in index:
                row[index[cell]] += sign
            else:
                rhs -= sign * known[cell]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    for cell, i in index.items():
        bounds = []
        for sense in (1, -1):
            c = np.zeros(len(unknown))
            c[i] = sense
            res = linprog(c, A_eq=np.array(a_eq), b_eq=np.array(b_eq), bounds=(0, None), method="highs")
            assert res.status == 0
            bounds.append(res.x[i])
        assert bounds[1] - bounds[0] > 1e-6, f"{cell} recovered exactly: {bounds[0]}"


@pytest.mark.slow  # over 5 s: not in `make check`
def test_public_change_hides_constant_sample_cells_that_would_reveal_the_difference(con):
    """raw − constant-sample = the enterprises outside the sample; when they are 1 or 2, the constant-sample cell
    must not be published next to the raw one."""
    admin = indicators.change(con, "mrc", 2023, 2024).set_index(["code", "indicator", "sample"])
    public = indicators.change(con, "mrc", 2023, 2024, public=True).set_index(["code", "indicator", "sample"])
    raw_n = admin.xs(("enterprises", "raw"), level=("indicator", "sample"))["value_to"]
    panel_n = admin.xs(("enterprises", "constant"), level=("indicator", "sample"))["value_to"]
    outside = (raw_n - panel_n).reindex(raw_n.index)
    risky = outside[(outside > 0) & (outside < 3)].index
    assert len(risky) > 0, "the data set is built to have such cells"
    published = public.xs(("revenue_total", "constant"), level=("indicator", "sample"))["value_to"]
    raw = public.xs(("revenue_total", "raw"), level=("indicator", "sample"))["value_to"]
    # published next to a published raw cell, the constant-sample cell would give the outside enterprises' total
    # exactly; next to a suppressed raw cell it may be published (the audit checks the raw cell stays protected)
    exposed = [code for code in risky if not np.isnan(raw.get(code, np.nan))]
    assert exposed, "the data set is built to have such cells next to published raw cells"
    assert published.reindex(exposed).isna().all()


def test_stored_public_cube_is_the_computed_one_and_follows_the_data(small_db):
    """The public cube stored in the database equals a fresh protection; it is recomputed when the data or the
    settings change, and storing it is not a data change."""
    with db.connect(small_db) as con:
        version = db.data_version(con)
        first = indicators.public_cubes(con)
        assert db.data_version(con) == version
        assert db.first(con, "SELECT count(*) FROM cube_store WHERE kind = 'public'")[0] == 1
        years = indicators.years(con)["year"].tolist()  # and each year on its own, keyed by its own inputs
        assert db.first(con, "SELECT count(*) FROM cube_store WHERE kind LIKE 'public:%'")[0] == len(years)
        pd.testing.assert_frame_equal(first, indicators.public_cube(con, None), check_dtype=False)
        again = indicators.public_cubes(con)
        pd.testing.assert_frame_equal(first, again)

        # A new threshold applies to the years released afterwards: the released years keep theirs (two patterns of
        # the same figures would tell more than one), so their stored cubes are reused.
        con.execute("UPDATE settings SET value = '2' WHERE key = 'min_count'")
        pd.testing.assert_frame_equal(indicators.public_cubes(con), first)
        pd.testing.assert_frame_equal(first, indicators.public_cube(con, None), check_dtype=False)
        assert (indicators.protect(indicators.cube(con, None), indicators.settings(con).rules)["suppressed"]
                != first["suppressed"]).any()  # the new threshold would change the pattern

        # New data for a released year: a new data version, the same public cube (store/releases.py); the live
        # figures have them.
        total = lambda frame, year=2024: frame.query(f"year == {year} and geo_level == 'all' and cat_kind == 'all'")
        rows = indicators.cube(con, 2024)
        extra = demo.generate(seed=3, years=(2024,), n_enterprises=40)
        history.write_imports(con, [("more", "y", extra.assign(source_row=None))], auth.SYSTEM, "test")
        pd.testing.assert_frame_equal(indicators.public_cubes(con), first)
        assert total(indicators.cube(con, 2024, live=True))["enterprises"].iloc[0] == \
            total(rows)["enterprises"].iloc[0] + 40
        # A new year, released: a new cube (with the threshold in force, 2).
        extra = demo.generate(seed=4, years=(2025,), n_enterprises=40)
        history.write_imports(con, [("new", "z", extra.assign(source_row=None))], auth.SYSTEM, "test")
        releases.release(con, auth.SYSTEM, 2025)
        updated = indicators.public_cubes(con)
        assert total(updated, 2025)["enterprises"].iloc[0] == 40
        pd.testing.assert_frame_equal(updated[updated["year"] != 2025].reset_index(drop=True), first)
        assert indicators.rules_for(con, 2025).min_count == 2 and indicators.rules_for(con, 2024).min_count == 3
        con.execute("UPDATE settings SET value = '3' WHERE key = 'min_count'")


def test_a_write_to_one_year_protects_only_that_year_again(small_db, monkeypatch):
    """Incremental protection: each year's public cube is stored under a hash of its own inputs, so a release that
    changes one year's figures protects that year alone again; the others are read back."""
    with db.connect(small_db) as con:
        before = indicators.public_cubes(con)
        protected = []
        real = indicators.protect
        monkeypatch.setattr(indicators, "protect", lambda frame, rules, **kw: protected.append(
            sorted(frame["year"].unique().tolist())) or real(frame, rules, **kw))
        extra = demo.generate(seed=5, years=(2025,), n_enterprises=30)
        history.write_imports(con, [("more", "y", extra.assign(source_row=None))], auth.SYSTEM, "test")
        releases.release(con, auth.SYSTEM, 2025)
        after = indicators.public_cubes(con)
        assert protected == [[2025]]
        assert len(after) > len(before)
        for year in sorted(set(before["year"])):
            pd.testing.assert_frame_equal(before[before["year"] == year].reset_index(drop=True),
                                          after[after["year"] == year].reset_index(drop=True))
        monkeypatch.setattr(indicators, "protect", real)
        pd.testing.assert_frame_equal(after, indicators.public_cube(con, None), check_dtype=False)


@pytest.mark.slow  # over 5 s: not in `make check`
def test_constant_sample_is_published_for_territories_where_no_rule_applies(con):
    """Issue 11: a territory's change at constant sample is published when no rule applies to it (its sample and
    the enterprises outside it are not sensitive, its raw cells are published); sectors, legal forms and the
    sample's count are never published at constant sample."""
    rules = indicators.settings(con).rules
    public = indicators.public_panels(con, 2023, 2024)
    assert public.loc[public["cat_kind"] != "all", PROTECTED_SAMPLE].isna().all().all()
    assert public["enterprises"].isna().all()
    raw_public = indicators.public_cubes(con)
    clear = None
    for year in (2023, 2024):
        raw = raw_public[raw_public["year"] == year].set_index("cell")
        sample = indicators.cube(con, year, (2023, 2024)).rename(columns={"enterprises": "n"}).set_index("cell")
        outside = indicators.cube(con, year, (2023, 2024), outside=True).rename(
            columns={"enterprises": "n"}).set_index("cell")
        mrcs = sample.index[(sample["geo_level"] == "mrc") & (sample["cat_kind"] == "all")]
        ok = pd.Series(True, index=mrcs)
        for column in ("jobs_full_time", "jobs_part_time", "jobs_total"):
            ok &= ~confidentiality.protection(sample.loc[mrcs], column, rules)[0]
            ok &= ~confidentiality.protection(outside.reindex(mrcs).fillna({"n": 0}), column, rules)[0]
            ok &= raw[column].reindex(mrcs).notna().to_numpy()
        clear = ok if clear is None else clear & ok
    clear = clear[clear].index
    assert len(clear) >= 5, "the data set has large MRCs with enough entrants and leavers"
    shown = public[public["cell"].isin(clear)].groupby("cell")["jobs_total"].apply(lambda v: v.notna().all())
    assert shown.mean() >= 0.6, shown  # complements may hide a few


PROTECTED_SAMPLE = ["jobs_total", "revenue_total", "payroll", "volunteer_hours"]
