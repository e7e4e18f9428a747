"""Issue 14 — the weight of the social economy in its territory: a reference table of total employment by MRC
(intake/employment.py, parsed in the sandbox child), its shares of the territory's jobs and employment income
(publish/weight.py), in the published snapshot. The arithmetic is checked against pandas from the raw rows and the
test file read with pandas; the confidentiality of the shares against an attacker who knows the public table.

The table used here, tests/fixtures/EMPLOYMENT_TEST_DATA_invented.csv, is INVENTED test data (see its .md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import gathered_rows

from ess_impact import cli, reference
from ess_impact.intake import employment, readers
from ess_impact.publish import indicators, snapshot, weight
from ess_impact.store import auth, db, history, releases

FIXTURE = Path(__file__).parent / "fixtures" / "EMPLOYMENT_TEST_DATA_invented.csv"
SOURCE = "Données de test inventées (pas Statistique Canada)"
YEARS = (2020, 2024)


def _expected_table() -> pd.DataFrame:
    """The test file read with pandas (not the code under test): ref_year, mrc_code, employed, income."""
    raw = pd.read_csv(FIXTURE, sep=";", encoding="cp1252", skiprows=1, dtype={"Code MRC": str})
    return raw.rename(columns={"Code MRC": "mrc_code", "Année": "ref_year", "Personnes occupées": "employed",
                               "Revenu d'emploi total ($)": "income"})[["ref_year", "mrc_code", "employed", "income"]]


@pytest.fixture(scope="module")
def rows():
    return gathered_rows(seed=11, years=YEARS)


@pytest.fixture(scope="module")
def con(rows):
    connection = db.open_database(":memory:")
    history.write_imports(connection, [("small", "x", rows.assign(source_row=None))], auth.SYSTEM, "test",
                          is_demo=True)
    releases.release_new_years(connection, auth.SYSTEM)  # its years public (store/releases.py)
    employment.load(connection, auth.SYSTEM, FIXTURE.name, FIXTURE.read_bytes(), SOURCE)
    yield connection
    connection.close()


# ------------------------------------------------------------------------------------------------ the file
def test_the_table_is_stored_with_its_source_years_and_load(con):
    stored = weight.table(con)
    expected = _expected_table()
    assert len(stored) == len(expected) == 2 * len(reference.mrcs())
    merged = stored.merge(expected, on=["ref_year", "mrc_code"], validate="one_to_one")
    assert np.allclose(merged["employed_x"], merged["employed_y"])
    assert np.allclose(merged["employment_income"], merged["income"])
    assert set(stored["source"]) == {SOURCE}
    load = weight.last_load(con)
    assert load["years"] == "2016,2021" and load["source"] == SOURCE and load["n_rows"] == len(expected)


def test_the_file_is_parsed_in_the_sandbox_child_not_here(monkeypatch):
    """The server process never reads the bytes: its own reader is broken here, the load still works."""
    def refuse(*args, **kwargs):
        raise AssertionError("untrusted bytes parsed in the server process")

    monkeypatch.setattr(readers, "read_grids", refuse)
    monkeypatch.setattr(readers, "read_csv_rows", refuse)
    rows_read = employment.read(FIXTURE.name, FIXTURE.read_bytes())
    assert len(rows_read) == 2 * len(reference.mrcs())


def test_a_load_replaces_the_years_it_holds_and_keeps_the_others():
    connection = db.open_database(":memory:")
    employment.load(connection, auth.SYSTEM, FIXTURE.name, FIXTURE.read_bytes(), SOURCE)
    update = "Code MRC;Année;Personnes occupées\n54;2021;12345\n".encode()
    loaded = employment.load(connection, auth.SYSTEM, "maj.csv", update, "Autre source (test)")
    assert loaded.years == [2021] and len(loaded.missing[2021]) == len(reference.mrcs()) - 1
    stored = weight.table(connection)
    assert sorted(stored["ref_year"].unique()) == [2016, 2021]
    assert len(stored[stored["ref_year"] == 2021]) == 1
    assert stored.loc[stored["ref_year"] == 2021, "employed"].item() == 12345
    assert pd.isna(stored.loc[stored["ref_year"] == 2021, "employment_income"].item())
    assert len(stored[stored["ref_year"] == 2016]) == len(reference.mrcs())
    connection.close()


def test_cells_are_refused_with_their_row_and_column(tmp_path, capsys):
    path = tmp_path / "e.duckdb"
    bad = tmp_path / "emploi.csv"
    bad.write_text("Tableau de l'emploi (titre)\n"
                   "MRC;Année;Personnes occupées;Revenu d'emploi total ($)\n"
                   "Les Maskoutains;2021;41 250;1 650 000 000 $\n"
                   "Nulle part;2021;100;\n"
                   "54;vingt;100;\n"
                   "2453;2021;-5;\n"
                   "Rouville;2021;1 000;beaucoup\n"
                   "MRC des Maskoutains;2021;41 250;\n", encoding="utf-8")
    assert cli.main(["employment", "import", str(bad), "--source", "test", "--db", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("Le tableau de l'emploi n'a pas été chargé")
    assert lines[1].startswith("emploi.csv:CSV:4:MRC: « Nulle part » n'est pas une MRC")
    assert lines[2].startswith("emploi.csv:CSV:5:Année: « vingt » n'est pas une année")
    assert lines[3].startswith("emploi.csv:CSV:6:Personnes occupées: « -5 »")
    assert lines[4].startswith("emploi.csv:CSV:7:Revenu d'emploi total ($): « beaucoup »")
    assert lines[5].startswith("emploi.csv:CSV:8:MRC: Les Maskoutains (54), 2021 : une seconde ligne")
    with db.connect(path) as con:
        assert weight.table(con).empty and weight.last_load(con) is None  # nothing written
    assert cli.main(["employment", "import", str(bad), "--source", "test", "--db", str(path), "--lang", "en"]) == 1
    assert "emploi.csv:CSV:4:MRC: “Nulle part” is not an MRC" in capsys.readouterr().err


@pytest.mark.parametrize("data, key", [
    (b"a;b;c\n1;2;3\n", "employment_not_table"),
    (b"MRC;Ann\xc3\xa9e;Personnes occup\xc3\xa9es\n", "employment_no_rows"),
    (b"PK\x03\x04" + bytes(range(256)) * 40, None),   # not a workbook, not a text: refused unread
    (b"", "file_empty"),
])
def test_files_that_are_not_such_a_table_are_refused(data, key):
    connection = db.open_database(":memory:")
    with pytest.raises(employment.EmploymentInvalid) as refused:
        employment.load(connection, auth.SYSTEM, "f.csv", data, SOURCE)
    if key:
        assert refused.value.key == key
    assert refused.value.message("fr") and refused.value.message("en")
    assert weight.table(connection).empty
    connection.close()


def test_a_source_is_required_and_only_provincial_admins_load(tmp_path):
    connection = db.open_database(":memory:")
    with pytest.raises(employment.EmploymentInvalid) as refused:
        employment.load(connection, auth.SYSTEM, FIXTURE.name, FIXTURE.read_bytes(), "   ")
    assert refused.value.key == "employment_source_required"
    regional = auth.Account("pole@example.org", auth.ADMIN, regions=("16",))
    with pytest.raises(auth.Forbidden):
        employment.load(connection, regional, FIXTURE.name, FIXTURE.read_bytes(), SOURCE)
    connection.close()


def test_census_division_codes_and_names_are_mrcs():
    assert employment._mrc("2454") == "54"
    assert employment._mrc("2021A00032454") == "54"
    assert employment._mrc("MRC des Maskoutains") == "54"
    assert employment._mrc(54.0) == "54"
    assert employment._mrc("Nulle part") is None


def test_cli_show_lists_the_table_and_says_how_to_load_one(tmp_path, capsys):
    path = tmp_path / "e.duckdb"
    assert cli.main(["employment", "show", "--db", str(path)]) == 1
    assert "ess-impact employment import" in capsys.readouterr().err
    assert cli.main(["employment", "import", str(FIXTURE), "--source", SOURCE, "--db", str(path)]) == 0
    assert "2016, 2021" in capsys.readouterr().err
    assert cli.main(["employment", "show", "--db", str(path)]) == 0
    shown = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out), dtype={"mrc_code": str})
    assert len(shown) == 2 * len(reference.mrcs()) and set(shown["source"]) == {SOURCE}


# ------------------------------------------------------------------------------------------------ arithmetic
def test_reference_year_is_the_nearest_at_or_before_the_data_year():
    table = pd.DataFrame({"ref_year": [2016, 2021]})
    assert [weight.reference_year(table, y) for y in (2015, 2016, 2020, 2021, 2024)] == [None, 2016, 2016, 2021,
                                                                                           2021]


@pytest.mark.parametrize("year, census", [(2020, 2016), (2024, 2021)])
def test_shares_match_pandas_from_the_raw_rows(con, rows, year, census):
    """Admin view (nothing suppressed): jobs ÷ employed persons, payroll ÷ employment income, of the census year
    at or before the data year; a region's denominator is the sum of its MRCs'."""
    got = weight.add_shares(indicators.cube(con, year), weight.table(con))
    table = _expected_table()
    table = table[table["ref_year"] == census].set_index("mrc_code")
    r = rows[rows["year"] == year]
    jobs = (r["jobs_full_time"] + r["jobs_part_time"]).groupby(r["mrc"]).sum()
    payroll = r["payroll"].fillna(0).groupby(r["mrc"]).sum()
    mrc = got[(got["geo_level"] == "mrc") & (got["cat_kind"] == "all")].set_index("geo_code")
    assert np.allclose(mrc["jobs_share"].reindex(jobs.index), jobs / table["employed"].reindex(jobs.index))
    assert np.allclose(mrc["payroll_share"].reindex(jobs.index), payroll / table["income"].reindex(jobs.index))
    assert (mrc["employment_year"].dropna() == census).all()
    region_of = reference.mrcs().set_index("code")["region_code"]
    by_region = (r["jobs_full_time"] + r["jobs_part_time"]).groupby(r["mrc"].map(region_of)).sum()
    employed = table["employed"].groupby(region_of.reindex(table.index)).sum()
    region = got[(got["geo_level"] == "region") & (got["cat_kind"] == "all")].set_index("geo_code")
    assert np.allclose(region["jobs_share"].reindex(by_region.index), by_region / employed.reindex(by_region.index))
    quebec = got[(got["geo_level"] == "all") & (got["cat_kind"] == "all")].iloc[0]
    assert quebec["jobs_share"] == pytest.approx(len(r) and (r["jobs_full_time"] + r["jobs_part_time"]).sum()
                                                 / table["employed"].sum())


def test_without_a_table_or_before_its_first_year_there_is_no_share(con):
    cube = indicators.cube(con, 2024)
    assert weight.add_shares(cube, None)[weight.COLUMNS].isna().all().all()
    later = weight.table(con).assign(ref_year=lambda t: t["ref_year"] + 10)  # 2026 and 2031: after the data
    assert weight.add_shares(cube, later)[weight.COLUMNS].isna().all().all()


def test_a_region_with_an_mrc_missing_from_the_table_gets_no_share(con):
    table = weight.table(con)
    table = table[table["mrc_code"] != "54"]
    got = weight.add_shares(indicators.cube(con, 2024), table)
    totals = got[got["cat_kind"] == "all"].set_index(["geo_level", "geo_code"])
    assert np.isnan(totals.loc[("region", "16"), "jobs_share"]) and np.isnan(totals.loc[("all", "QC"), "jobs_share"])
    assert not np.isnan(totals.loc[("region", "05"), "jobs_share"])


# ------------------------------------------------------------------------------------------------ confidentiality
@pytest.fixture(scope="module")
def public(con):
    return weight.add_shares(indicators.public_cubes(con), weight.table(con))


def test_a_share_is_x_where_its_jobs_or_payroll_cell_is(public):
    for share, source in (("jobs_share", "jobs_total"), ("payroll_share", "payroll")):
        concealed = indicators.hidden(public, source)
        with_table = public["employed_total"].notna().to_numpy()
        assert (concealed & with_table).any(), f"the data set must hide {source} somewhere the table covers"
        assert public.loc[concealed, share].isna().all()
        assert (indicators.hidden(public, share) == concealed).all()


def test_the_attacker_recovers_only_published_values_from_share_times_employment(con, public):
    """share × employment (both public) gives back the published jobs exactly, and never a suppressed one: every
    true value of a suppressed jobs cell is absent from everything the shares let one compute."""
    shown = public["jobs_share"].notna()
    recomputed = public.loc[shown, "jobs_share"] * public.loc[shown, "employed_total"]
    assert np.allclose(recomputed, public.loc[shown, "jobs_total"])
    true = indicators.cube(con, None).set_index(["year", "cell"])["jobs_total"]
    concealed = public[indicators.hidden(public, "jobs_total") & public["employed_total"].notna()]
    secrets = true.reindex(pd.MultiIndex.from_frame(concealed[["year", "cell"]])).to_numpy(dtype=float)
    assert len(secrets) and not np.isnan(secrets).any()
    derivable = set(np.round(recomputed.to_numpy(), 6)) | set(np.round(public["jobs_share"].dropna().to_numpy(), 12))
    published_jobs = set(public["jobs_total"].dropna().round(6))
    for secret, employed in zip(secrets, concealed["employed_total"]):
        if secret in published_jobs:
            continue  # the same number published elsewhere (another cell): no information on this one
        assert round(secret, 6) not in derivable and round(secret / employed, 12) not in derivable


# ------------------------------------------------------------------------------------------------ the snapshot
@pytest.mark.slow
def test_the_snapshot_carries_the_table_and_a_load_publishes_again(small_db):
    first = snapshot.prepare(small_db)
    assert first.employment == [] and first.employment_load is None
    assert snapshot.load(small_db, first).public["jobs_share"].isna().all()
    with db.connect(small_db) as connection:
        employment.load(connection, auth.SYSTEM, FIXTURE.name, FIXTURE.read_bytes(), SOURCE)
    second = snapshot.prepare(small_db)
    assert second.key != first.key and second.data_version == first.data_version  # no new protection
    assert second.employment_load["source"] == SOURCE and len(second.employment) == 2 * len(reference.mrcs())
    published = snapshot.load(small_db, second)
    assert published.employment["ref_year"].tolist().count(2021) == len(reference.mrcs())
    shown = published.public.dropna(subset=["jobs_share"])
    assert len(shown) and np.allclose(shown["jobs_share"] * shown["employed_total"], shown["jobs_total"])


# ------------------------------------------------------------------------------------------------ the outputs
@pytest.fixture(scope="module")
def small_mrc(rows):
    """The rows plus an MRC where only two enterprises report: its jobs are confidential ("x")."""
    mrcs = reference.mrcs()
    lonely = sorted(mrcs[mrcs["region_code"] == "16"]["code"])[5]
    two = rows[(rows["year"] == 2024)].drop_duplicates("neq").head(2)["neq"]
    frame = rows.assign(mrc=rows["mrc"].where(~rows["neq"].isin(two), lonely))
    connection = db.open_database(":memory:")
    history.write_imports(connection, [("small", "x", frame.assign(source_row=None))], auth.SYSTEM, "test",
                          is_demo=True)
    releases.release_new_years(connection, auth.SYSTEM)  # its years public (store/releases.py)
    employment.load(connection, auth.SYSTEM, FIXTURE.name, FIXTURE.read_bytes(), SOURCE)
    yield connection, lonely, frame
    connection.close()


def test_report_and_downloads_show_x_and_never_the_suppressed_share(small_mrc):
    """The attacker reads the MRC's report workbook and the impact table's CSV: the share is "x", and neither the
    true jobs, nor the true share (as a number or as any rounding of its percent) appear anywhere."""
    import io as _io

    from openpyxl import load_workbook

    from ess_impact import formatting
    from ess_impact.output import impact_cards, reports, tables
    from ess_impact.output.reports import content

    connection, lonely, frame = small_mrc
    r = frame[(frame["year"] == 2024) & (frame["mrc"] == lonely)]
    secret_jobs = float((r["jobs_full_time"] + r["jobs_part_time"]).sum())
    employed = _expected_table().set_index(["ref_year", "mrc_code"]).loc[(2021, lonely), "employed"]
    secret_share = secret_jobs / employed
    data = reports.report_data(connection, reports.territory("mrc", lonely), 2024, "fr")
    table = content.impact_table(data)
    share_row = table.frame.index[table.frame.iloc[:, 0] == impact_cards.INDICATORS["jobs_share"].label("fr")][0]
    assert table.cell_text(table.frame.columns[1], "fr")[share_row] == formatting.SUPPRESSED
    assert table.cell_text(table.frame.columns[2], "fr")[share_row] != formatting.SUPPRESSED  # the region's is shown
    csv_text = tables.to_csv(table, "fr").decode("utf-8-sig") + tables.to_csv(table, "en").decode("utf-8-sig")
    book = load_workbook(_io.BytesIO(reports.build(data, "xlsx")))
    numbers = [c.value for sheet in book for row in sheet.iter_rows() for c in row if isinstance(c.value, float | int)]
    texts = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)
    assert not any(abs(v - secret_share) < 1e-9 or abs(v - secret_jobs) < 1e-9 for v in numbers)
    for decimals in (1, 2, 3):
        for lang in ("fr", "en"):
            shown = formatting.percent(secret_share, lang, decimals)
            assert shown not in csv_text, shown
    assert f"{secret_share:.4f}" not in texts and f"{secret_share:.4f}" not in csv_text
    cards = {c["key"]: c for c in impact_cards.cards(data.comparison.iloc[0], data.context.rates,
                                                     data.context.multipliers_load, "fr", data.context.employment)}
    assert cards["jobs_share"]["value"] == formatting.SUPPRESSED


def test_without_tables_the_report_says_what_is_missing(con):
    from ess_impact.output import reports
    from ess_impact.output.reports import content

    context = reports.Context.load(con)
    context.employment = context.employment.iloc[0:0]
    context.multipliers_load = None
    data = reports.report_data(con, reports.territory("mrc", "54"), 2024, "en", context)
    table = content.impact_table(data)
    keys = [k for k in table.cell_keys.iloc[:, 0]]
    assert keys == ["value_added", "volunteer_value_low", "volunteer_value_high"]
    assert any("ess-impact multipliers import" in n for n in table.notes)
    assert any("ess-impact employment import" in n for n in table.notes)


# ------------------------------------------------------------------------------------------------ the pages
def test_settings_page_offers_both_loaders_and_says_what_is_in_force(small_db, monkeypatch):
    from conftest import ADMIN_EMAIL, app_clean, app_login, app_page, with_admin

    from ess_impact import labels

    with_admin(small_db, monkeypatch)
    at = app_page(app_login(ADMIN_EMAIL), "ess_impact/web/admin/settings.py")
    app_clean(at)
    captions = " ".join(c.value for c in at.caption)
    assert labels.t("employment_none", "fr") in captions and labels.t("multipliers_missing", "fr") in captions
    assert at.text_input(key="employment_source") is not None
    with db.connect(small_db) as connection:
        employment.load(connection, auth.SYSTEM, FIXTURE.name, FIXTURE.read_bytes(), SOURCE)
    at = app_page(app_login(ADMIN_EMAIL), "ess_impact/web/admin/settings.py")
    app_clean(at)
    captions = " ".join(c.value for c in at.caption)
    assert labels.t("settings_employment_in_force", "fr", years="2016, 2021", source=SOURCE) in captions


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_compare_and_profile_show_the_share_from_the_snapshot(small_db, monkeypatch, lang):
    """With a table loaded, the MRC profile's impact card and Comparer's impact table show the share of the
    published jobs; the value is the published jobs ÷ the table's employed persons of 2021 (for 2024)."""
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    from ess_impact import formatting, labels

    with db.connect(small_db) as connection:
        employment.load(connection, auth.SYSTEM, FIXTURE.name, FIXTURE.read_bytes(), SOURCE)
    published = snapshot.load(small_db, snapshot.prepare(small_db)).public
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db))
    row = published[(published["year"] == 2024) & (published["geo_level"] == "mrc") & (published["cat_kind"] == "all")
                    & (published["geo_code"] == "54")].iloc[0]
    employed = _expected_table().set_index(["ref_year", "mrc_code"]).loc[(2021, "54"), "employed"]
    expected = formatting.SUPPRESSED if indicators.is_hidden(row, "jobs_total") else \
        formatting.percent(row["jobs_total"] / employed, lang)
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params.update({"lang": lang, "region": "16", "mrc": "54", "annee": "2024"})
    at.run()
    at.switch_page("ess_impact/web/public/territories.py").run()
    assert not at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards[labels.t("impact_jobs_share", lang)] == expected
    at.query_params.clear()
    at.query_params.update({"lang": lang, "annee": "2024", "comparer": ["mrc:54", "region:16"]})
    at.switch_page("ess_impact/web/public/compare.py").run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    impact_frame = next(f for f in frames if labels.t("method", lang) in f.columns)
    share_row = impact_frame[impact_frame.iloc[:, 0] == labels.t("ind_jobs_share", lang)]
    assert share_row.iloc[0, 1] == expected
