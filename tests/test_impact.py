"""Issue 14 — from size to impact: value added, volunteer value range, reach, public service agreements, spin-offs
from Statistics Canada's input-output multipliers. The arithmetic is checked against pandas computations from the
raw rows and from the test multipliers file read with pandas (not the code under test), and every new published
figure against an attacker."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import gathered_rows

from ess_impact import cli, reference
from ess_impact.intake import importer, multipliers, statcan
from ess_impact.publish import audit, impact, indicators
from ess_impact.store import auth, db, history, releases

FIXTURE = Path(__file__).parent / "fixtures" / "statcan_36100595_TEST_DATA_invented.csv"
MAPPING = Path(multipliers.__file__).parents[1] / "data" / "sector_io_industries.csv"
YEARS = (2023, 2024)
LOW = {2023: 15.25, 2024: 15.75}     # the default minimum-wage rates
HIGH = {2023: 26.0, 2024: 27.5}      # specialised rates set for the test


@pytest.fixture(scope="module")
def rows():
    return gathered_rows(seed=7, years=YEARS)


@pytest.fixture(scope="module")
def con(rows):
    connection = db.open_database(":memory:")
    history.write_imports(connection, [("small", "x", rows.assign(source_row=None))], auth.SYSTEM, "test",
                          is_demo=True)
    releases.release_new_years(connection, auth.SYSTEM)  # its years public (store/releases.py)
    for year, rate in HIGH.items():
        connection.execute("UPDATE volunteer_rates SET rate_high = ?, source_high = 'test' WHERE year = ?",
                           [rate, year])
    multipliers.load(connection, auth.SYSTEM, FIXTURE.name, FIXTURE.read_bytes())
    yield connection
    connection.close()


def _by_mrc(rows: pd.DataFrame, year: int) -> pd.core.groupby.DataFrameGroupBy:
    return rows[rows["year"] == year].groupby("mrc")


def _expected_multipliers() -> pd.DataFrame:
    """sector x (variable, multiplier) per dollar, read with pandas from the test file and the shipped mapping."""
    raw = pd.read_csv(FIXTURE, dtype=str, encoding="utf-8-sig")
    raw = raw[(raw["GEO"] == "Quebec") & (raw["REF_DATE"] == "2021")]
    raw["code"] = raw["Industry"].str.extract(r"\[(.*)\]$")[0]
    names = {"Direct multiplier": "direct", "Indirect multiplier": "indirect", "Induced multiplier": "induced"}
    variables = {"Jobs": "jobs", "Gross domestic product (GDP) at basic price": "gdp", "Labour income": "labour_income"}
    raw = raw[raw["Multipliers"].isin(names) & raw["Variable"].isin(variables)].copy()
    raw["value"] = raw["VALUE"].astype(float) / np.where(raw["Variable"] == "Jobs", 1e6, 1.0)
    raw["column"] = "spinoff_" + raw["Variable"].map(variables) + "_" + raw["Multipliers"].map(names)
    table = raw.pivot_table(index="code", columns="column", values="value")
    mapping = pd.read_csv(MAPPING, comment="#", dtype=str).set_index("sector")["io_industry_code"]
    return table.reindex(mapping.to_numpy()).set_axis(mapping.index)


# ------------------------------------------------------------------------------------------------ arithmetic
@pytest.mark.parametrize("year", YEARS)
def test_value_added_volunteer_range_reach_and_autonomy_match_pandas(con, rows, year):
    got = indicators.summary(con, "mrc", indicators.Filters(year=year)).set_index("code")
    g = _by_mrc(rows, year)
    complete = g["expenses_total"].count() == g.size()
    value_added = (g["payroll"].sum() + g["revenue_total"].sum() - g["expenses_total"].sum()).where(complete)
    pd.testing.assert_series_equal(got["value_added"].reindex(value_added.index), value_added, check_names=False)
    hours = g["volunteer_hours"].sum()
    assert np.allclose(got["volunteer_value_low"].reindex(hours.index), hours * LOW[year])
    assert np.allclose(got["volunteer_value_high"].reindex(hours.index), hours * HIGH[year])
    assert (got["volunteer_value_low"] <= got["volunteer_value_high"]).all()
    served = g["people_served"].sum(min_count=1)
    assert np.allclose(got["people_served"].reindex(served.index), served, equal_nan=True)
    assert (got["people_served_enterprises"].reindex(served.index) == g["people_served"].count()).all()
    population = reference.mrcs().set_index("code")["population"]
    assert np.allclose(got["people_served_per_1000"].reindex(served.index),
                       served * 1000 / population.reindex(served.index), equal_nan=True)
    r = rows[rows["year"] == year]
    autonomous = r["revenue_earned"].fillna(0) + r["revenue_public_contracts"].fillna(0)
    reported = r["revenue_earned"].notna() | r["revenue_public_contracts"].notna()
    share = (autonomous.where(reported).groupby(r["mrc"]).sum()
             / r["revenue_total"].where(reported).groupby(r["mrc"]).sum())
    assert np.allclose(got["earned_share"].reindex(share.index), share, equal_nan=True)


def test_value_added_is_shown_beside_revenue_and_is_not_revenue(con):
    got = indicators.summary(con, "region", indicators.Filters(year=2024))
    shown = got.dropna(subset=["value_added"])
    assert len(shown) and (shown["value_added"] < shown["revenue_total"]).all()


def test_spinoffs_match_an_independent_computation(con, rows):
    """Admin view (nothing suppressed): spin-offs = Σ revenue × the multiplier of the sector's industry."""
    expected_m = _expected_multipliers()
    got = indicators.summary(con, "mrc", indicators.Filters(year=2024)).set_index("code")
    r = rows[rows["year"] == 2024]
    for column in impact.COLUMNS:
        expected = (r["revenue_total"] * r["sector"].map(expected_m[column])).groupby(r["mrc"]).sum()
        assert np.allclose(got[column].reindex(expected.index), expected, rtol=1e-9), column
    # jobs per million dollars: a 1 M$ social-assistance enterprise supports 9 direct jobs in the test file
    assert expected_m.loc["SAN", "spinoff_jobs_direct"] * 1e6 == pytest.approx(9.0)


def test_without_multipliers_spinoffs_are_empty_and_the_page_text_says_how(rows):
    connection = db.open_database(":memory:")
    history.write_imports(connection, [("small", "x", rows.assign(source_row=None))], auth.SYSTEM, "test",
                          is_demo=True)
    releases.release_new_years(connection, auth.SYSTEM)  # its years public (store/releases.py)
    got = indicators.summary(connection, "mrc", indicators.Filters(year=2024))
    assert got[impact.COLUMNS].isna().all().all()
    assert impact.last_load(connection) is None
    connection.close()


# ------------------------------------------------------------------------------------------------ confidentiality
@pytest.fixture(scope="module")
def public(con):
    return indicators.public_cubes(con)


def test_value_added_never_published_beside_a_hidden_term(public):
    """value added = payroll + revenue − expenses: published with one term hidden, it would give that term back."""
    assert audit.combination_leaks(public) == []
    assert public["value_added"].notna().any()
    hidden_revenue = indicators.hidden(public, "revenue_total")
    assert hidden_revenue.any() and public.loc[hidden_revenue, "value_added"].isna().all()


def test_range_and_reach_follow_their_protected_sums(public):
    for column, source in (("volunteer_value_low", "volunteer_hours"), ("volunteer_value_high", "volunteer_hours"),
                           ("people_served_per_1000", "people_served")):
        assert public.loc[indicators.hidden(public, source), column].isna().all()
    assert indicators.hidden(public, "people_served").any(), "the data set must make reach sensitive somewhere"


@pytest.mark.slow  # about 7 s
def test_attacker_cannot_recover_expenses_or_people_served(con):
    """The independent audit (a linear program per suppressed value over the published tables) attacks the new
    sums (total expenses, people served) with the others: every sensitive value keeps its protection interval."""
    found = audit.run(con, year=2024, panels=False)
    attacked = set(found["column"])
    assert {"expenses_total", "people_served"} <= attacked
    failing = found[~found["ok"]]
    assert failing.empty, failing.head().to_dict("records")


def test_public_spinoffs_are_a_function_of_the_published_revenue_table(public):
    """The attacker's view: published spin-offs add no equation. Each territory's value is recomputed here from the
    published sector revenues, the territory's published total and the public multipliers (suppressed sectors at
    their average multiplier): equal, so whatever split of the suppressed sectors' revenue is possible stays
    possible."""
    m = _expected_multipliers()
    year = public[public["year"] == 2024]
    checked_with_hidden = 0
    for (level, code), part in year.groupby(["geo_level", "geo_code"]):
        total = part[part["cat_kind"] == "all"].iloc[0]
        sectors = part[part["cat_kind"] == "sector"]
        for column in ("spinoff_jobs_direct", "spinoff_gdp_induced"):
            if np.isnan(total["revenue_total"]):
                assert np.isnan(total[column])
                continue
            shown = sectors["revenue_total"].notna()
            value = (sectors.loc[shown, "revenue_total"] * sectors.loc[shown, "cat_code"].map(m[column])).sum()
            if (~shown).any():
                rest = total["revenue_total"] - sectors.loc[shown, "revenue_total"].sum()
                value += max(rest, 0) * sectors.loc[~shown, "cat_code"].map(m[column]).mean()
                checked_with_hidden += 1
            assert total[column] == pytest.approx(value, rel=1e-9)
            assert sectors.loc[~shown, column].isna().all()
    assert checked_with_hidden > 0


# ------------------------------------------------------------------------------------------------ the file
def test_statcan_file_is_read_as_distributed():
    found = statcan.read(FIXTURE.read_bytes())
    assert found.problem is None and found.ref_year == 2021
    values = {(c, mult, var): v for _, c, _, mult, var, v in found.rows}
    assert values[("BS624000", "direct", "jobs")] == pytest.approx(9.0e-6)      # Québec, not Ontario (×1.1)
    assert values[("BS624000", "induced", "gdp")] == pytest.approx(0.15)
    assert {m for _, _, _, m, _, _ in found.rows} == {"direct", "indirect", "induced"}
    assert {v for *_, v, _ in found.rows} == {"jobs", "gdp", "labour_income"}
    labels = {c: label for _, c, label, *_ in found.rows}
    assert labels["BS711A00"].startswith("Performing arts, spectator sports")  # a quoted field with commas


def test_statcan_file_scalar_factor_missing_values_and_derived_induced():
    header = ('"REF_DATE","GEO","DGUID","Industry","Multipliers","Variable","UOM","UOM_ID","SCALAR_FACTOR",'
              '"SCALAR_ID","VECTOR","COORDINATE","VALUE","STATUS","SYMBOL","TERMINATED","DECIMALS"\n')
    line = '"2019","Québec","2016A000224","Retail trade [BS4A0000]","{m}","{v}","Dollars","81","{s}","{i}",' \
           '"v1","1","{value}","{status}","","","3"\n'
    body = "".join([
        line.format(m="Direct multiplier", v="Jobs", s="units", i="0", value="12.0", status=""),
        line.format(m="Simple multiplier", v="Jobs", s="units", i="0", value="15.0", status=""),
        line.format(m="Total multiplier", v="Jobs", s="units", i="0", value="17.5", status=""),
        line.format(m="Indirect multiplier", v="Jobs", s="units", i="0", value="", status=".."),
        line.format(m="Direct multiplier", v="Labour income", s="thousands", i="3", value="0.0004", status=""),
    ])
    found = statcan.read(("\ufeff" + header + body).encode())
    values = {(m, v): x for *_, m, v, x in found.rows}
    assert values[("induced", "jobs")] == pytest.approx(2.5e-6)       # total − simple
    assert values[("indirect", "jobs")] == pytest.approx(3.0e-6)      # simple − direct (the value was "..")
    assert values[("direct", "labour_income")] == pytest.approx(0.4)  # × 10^3
    assert found.skipped == 1


@pytest.mark.parametrize("data, code", [
    (b"", "multipliers_not_table"),
    (b"a,b,c\n1,2,3\n", "multipliers_not_table"),
    (b"\x00\xff" * 5000, "multipliers_malformed"),
    ('"REF_DATE","GEO","Industry","Multipliers","Variable","VALUE"\n"2021","Ontario","X [A]","Direct multiplier",'
     '"Jobs","1"\n'.encode(), "multipliers_no_quebec"),
])
def test_statcan_file_refused_with_a_reason(data, code):
    assert statcan.read(data).problem[0] == code


def test_multipliers_command_loads_in_the_sandbox_and_refuses_hostile_bytes(tmp_path, capsys):
    path = tmp_path / "m.duckdb"
    with db.connect(path):
        pass
    assert cli.main(["multipliers", "import", str(FIXTURE), "--db", str(path)]) == 0
    assert "2021" in capsys.readouterr().err
    assert cli.main(["multipliers", "show", "--db", str(path)]) == 0
    shown = capsys.readouterr().out
    assert "SAN,direct,jobs" in shown
    hostile = tmp_path / "hostile.csv"
    hostile.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    assert cli.main(["multipliers", "import", str(hostile), "--db", str(path)]) == 1
    assert "36-10-0595-01" in capsys.readouterr().err
    bad_map = tmp_path / "map.csv"
    bad_map.write_text("sector,io_industry_code,io_industry_label\nSAN,NOPE,Nothing at all\n", encoding="utf-8")
    assert cli.main(["multipliers", "import", str(FIXTURE), "--mapping", str(bad_map), "--db", str(path)]) == 1
    assert "HAB" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------ the template
def test_optional_impact_columns_import_and_hostile_values_are_refused(tmp_path):
    headers = ["NEQ", "Nom de l'entreprise", "Forme juridique", "Secteur", "MRC", "Année", "Emplois à temps plein",
               "Emplois à temps partiel", "Revenus totaux ($)", "Heures de bénévolat", "Charges totales ($)",
               "Revenus de contrats et ententes de service publics ($)", "Personnes desservies ou participantes"]
    good = ["1170000001;Coop A;Coopérative;HAB;54;2024;2;1;180 000 $;300;175 500,50 $;n/d;120",
            "1170000002;OBNL B;OBNL;SAN;54;2024;6;4;520000;2400;-;90 000;1 450"]
    path = tmp_path / "ok.csv"
    path.write_text(";".join(headers) + "\n" + "\n".join(good) + "\n", encoding="utf-8")
    check = importer.check_files([path], None, actor=auth.SYSTEM)[0]
    assert not check.errors, [p.line("fr") for p in check.errors]
    records = check.records.set_index("neq")
    assert records.loc["1170000001", "expenses_total"] == 175_500.5
    assert pd.isna(records.loc["1170000001", "revenue_public_contracts"])
    assert records.loc["1170000002", "people_served"] == 1450
    bad = ["1170000003;C;OBNL;SAN;54;2024;1;1;1000;0;-5;1e400;abc",
           "1170000004;D;OBNL;SAN;54;2024;1;1;1000;0;99 000 000 000 $;0;0"]
    path = tmp_path / "bad.csv"
    path.write_text(";".join(headers) + "\n" + "\n".join(bad) + "\n", encoding="utf-8")
    check = importer.check_files([path], None, actor=auth.SYSTEM)[0]
    columns = {p.column for p in check.errors}
    assert {"Charges totales ($)", "Revenus de contrats et ententes de service publics ($)",
            "Personnes desservies ou participantes"} <= columns
    assert all(p.line("fr") for p in check.errors)


def test_agreements_above_total_revenue_warn(tmp_path):
    headers = ["NEQ", "Nom de l'entreprise", "Forme juridique", "Secteur", "MRC", "Année", "Emplois à temps plein",
               "Emplois à temps partiel", "Revenus totaux ($)", "Heures de bénévolat", "Revenus autonomes ($)",
               "Revenus de contrats et ententes de service publics ($)"]
    path = tmp_path / "warn.csv"
    path.write_text(";".join(headers) + "\n1170000001;A;OBNL;SAN;54;2024;1;1;1000;0;600;500\n", encoding="utf-8")
    check = importer.check_files([path], None, actor=auth.SYSTEM)[0]
    assert [p.code for p in check.warnings] == ["parts_above_total_contracts"]


# ------------------------------------------------------------------------------------------------ Paramètres, cards
def test_specialised_rate_is_set_by_year_with_its_source_and_traced(rows):
    from ess_impact import settings_admin

    connection = db.open_database(":memory:")
    admin = auth.system("admin-test")
    with pytest.raises(settings_admin.InvalidSetting):
        settings_admin.set_volunteer_rate_high(connection, admin, 2024, "27,50", "")  # a source is required
    with pytest.raises(settings_admin.InvalidSetting):
        settings_admin.set_volunteer_rate_high(connection, admin, 2010, "27,50", "ISQ")  # no rate that year
    change = settings_admin.set_volunteer_rate_high(connection, admin, 2024, "27,50",
                                                    "Statistique Canada, 14-10-0064-01")
    assert change.changed
    stored = connection.execute("SELECT rate_high, source_high FROM volunteer_rates WHERE year = 2024").fetchone()
    assert stored == (27.5, "Statistique Canada, 14-10-0064-01")
    logged = settings_admin.changes(connection, admin)
    assert settings_admin.item_text(logged["item"].iloc[0], "fr") == "Taux spécialisé du bénévolat 2024"
    connection.close()


def test_cards_say_entre_x_et_y_and_how_to_get_multipliers(con):
    from ess_impact.output import impact_cards

    public = indicators.public_cubes(con)
    row = public[(public["year"] == 2024) & (public["geo_level"] == "all") & (public["cat_kind"] == "all")].iloc[0]
    rates = indicators.volunteer_rates(con)
    cards = {c["key"]: c for c in impact_cards.cards(row, rates, impact.last_load(con), "fr")}
    assert cards["volunteer_range"]["value"].startswith("entre ") and " et " in cards["volunteer_range"]["value"]
    assert "27,50" in cards["volunteer_range"]["help"]
    assert "36-10-0595-01" in cards["spinoff_jobs"]["help"] and "surestiment" in cards["spinoff_jobs"]["help"]
    without = {c["key"]: c for c in impact_cards.cards(row, rates, None, "en")}
    assert "ess-impact multipliers import" in without["spinoff_gdp"]["help"]
