"""Completeness of a year's reporting (ess_impact.completeness) and its admin page (Complétude): who is expected and
has not reported, deactivated enterprises left out, the `within` window, rates that add up, the e-mails to remind,
admins only; the page's cards, table and CSV export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import ADMIN_EMAIL, PASSWORD, copy_database_file, import_declarations, with_admin
from conftest import app_clean as _clean
from conftest import app_login as _login
from conftest import app_page as _on_page

from ess_impact import labels, reference, registry
from ess_impact.publish import completeness
from ess_impact.store import auth, db

YEAR = 2024
# NEQ, MRC, years reported. The expected answers below are derived from this table, not from the code under test.
HISTORY = [
    ("2270000001", "54", (2022, 2023, 2024)),   # reported every year
    ("2270000002", "54", (2022, 2023)),         # missing 2024, last 2023
    ("2270000003", "54", (2022,)),              # missing 2024 within 2 years, not within 1
    ("2270000004", "54", (2021,)),              # silent for 3 years: expected only within 3
    ("2270000005", "53", (2023,)),              # missing, but deactivated below
    ("2270000006", "53", (2024,)),              # new in 2024: reported
    ("2270000007", "66", (2023,)),              # Montréal, missing
    ("2270000008", "66", (2022, 2024)),         # skipped 2023, reported 2024
    ("2270000009", "53", (2023,)),              # missing; two accounts, one disabled
]
INACTIVE = "2270000005"
HEADERS = ["NEQ", "Nom de l'entreprise", "Forme juridique", "Secteur", "MRC", "Année", "Emplois à temps plein",
           "Emplois à temps partiel", "Revenus totaux ($)", "Heures de bénévolat"]
ACCOUNTS = [("a@coop9.example", ["2270000009"], True), ("b@coop9.example", ["2270000009", "2270000002"], False),
            ("c@coop2.example", ["2270000002"], True)]


def _region(mrc: str) -> str:
    mrcs = reference.mrcs()
    return str(mrcs.loc[mrcs["code"] == mrc, "region_code"].iloc[0])


def expected_missing(year: int, within: int, region: str | None = None) -> set[str]:
    """The oracle: active, reported in [year - within, year - 1], not in year."""
    return {neq for neq, mrc, years in HISTORY
            if neq != INACTIVE and year not in years and any(year - within <= y < year for y in years)
            and (region is None or _region(mrc) == region)}


def expected_reported(year: int, region: str | None = None) -> set[str]:
    return {neq for neq, mrc, years in HISTORY if year in years and (region is None or _region(mrc) == region)}


@pytest.fixture(scope="module")
def _history_template(tmp_path_factory) -> Path:
    """history_db built once for the module (an import and five accounts: over a second); each test gets a copy."""
    from openpyxl import Workbook

    tmp_path = tmp_path_factory.mktemp("history")

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    rows = 0
    for i, (neq, mrc, years) in enumerate(HISTORY, start=1):
        for year in years:
            sheet.append([neq, f"Entreprise {i} (test)", "OBNL", "SAN", mrc, year, 3, 2, 250_000 + i * 1_000, 100])
            rows += 1
    source = tmp_path / "history.xlsx"
    book.save(source)
    path = tmp_path / "history.duckdb"
    assert import_declarations(source, path) == rows
    with db.connect(path) as con:
        registry.set_active(con, auth.SYSTEM, INACTIVE, False, "fermée (test)")
        for email, neqs, active in ACCOUNTS:
            auth.add_account(con, auth.SYSTEM, email, auth.ENTREPRISE, PASSWORD, neqs)
            if not active:
                auth.disable_account(con, auth.SYSTEM, email)
    return path


@pytest.fixture
def history_db(tmp_path, _history_template) -> Path:
    """Enterprises reporting over the years (HISTORY), one inactive, and the accounts of ACCOUNTS: the test's own
    copy."""
    return copy_database_file(_history_template, tmp_path / "history.duckdb")


@pytest.mark.parametrize("within", [1, 2, 3])
def test_missing_are_the_active_silent_enterprises_of_the_window(history_db, within):
    with db.connect(history_db) as con:
        found = completeness.missing(con, auth.SYSTEM, YEAR, within)
    assert set(found["neq"]) == expected_missing(YEAR, within)
    assert INACTIVE not in set(found["neq"])
    assert found["neq"].is_unique


def test_missing_rows_name_the_enterprise_its_territory_and_last_year(history_db):
    with db.connect(history_db) as con:
        found = completeness.missing(con, auth.SYSTEM, YEAR, 3, lang="en").set_index("neq")
    mrcs, regions = reference.mrcs().set_index("code"), reference.regions().set_index("code")
    for neq, mrc, years in HISTORY:
        if neq not in found.index:
            continue
        row = found.loc[neq]
        assert row["mrc_code"] == mrc and row["mrc_name"] == mrcs.loc[mrc, "name"]
        assert row["region_code"] == mrcs.loc[mrc, "region_code"]
        assert row["region_name"] == regions.loc[row["region_code"], "name"]
        assert row["last_year"] == max(y for y in years if y < YEAR)
        assert row["sector"] == reference.sectors().set_index("code").loc["SAN", "label_en"]
        assert row["name"].startswith("Entreprise ")


def test_emails_are_those_of_the_active_accounts_linked_to_the_neq(history_db):
    with db.connect(history_db) as con:
        found = completeness.missing(con, auth.SYSTEM, YEAR, 2).set_index("neq")["emails"]
    for neq in found.index:
        wanted = sorted(email for email, neqs, active in ACCOUNTS if active and neq in neqs)
        assert found[neq] == ", ".join(wanted)
    assert found["2270000009"] == "a@coop9.example"  # the disabled account's e-mail is left out
    assert found["2270000007"] == ""


def test_a_reactivated_enterprise_is_expected_again(history_db):
    with db.connect(history_db) as con:
        assert INACTIVE not in set(completeness.missing(con, auth.SYSTEM, YEAR)["neq"])
        registry.set_active(con, auth.SYSTEM, INACTIVE, True)
        assert INACTIVE in set(completeness.missing(con, auth.SYSTEM, YEAR)["neq"])


@pytest.mark.parametrize("within", [1, 2, 3])
def test_rates_add_up_and_match_the_oracle(history_db, within):
    with db.connect(history_db) as con:
        rates = completeness.rates(con, auth.SYSTEM, YEAR, within)
    assert list(rates["level"])[0] == "quebec"
    assert (rates["expected"] == rates["reported"] + rates["missing"]).all()
    assert (rates["rate"] - rates["reported"] / rates["expected"]).abs().max() < 1e-12
    top = rates.iloc[0]
    assert top["missing"] == len(expected_missing(YEAR, within))
    assert top["reported"] == len(expected_reported(YEAR))
    regions = rates[rates["level"] == "region"]
    mrcs = rates[rates["level"] == "mrc"]
    for column in ("expected", "reported", "missing"):
        assert regions[column].sum() == top[column] == mrcs[column].sum()
        by_region = mrcs.groupby("region_code")[column].sum()
        assert (regions.set_index("region_code")[column] == by_region.reindex(regions["region_code"])).all()
    for region in regions["region_code"]:
        row = regions.set_index("region_code").loc[region]
        assert row["missing"] == len(expected_missing(YEAR, within, region))
        assert row["reported"] == len(expected_reported(YEAR, region))
    # a region's MRCs come right after it
    order = [(r.level, r.region_code) for r in rates.itertuples()][1:]
    assert [region for level, region in order] == sorted(region for level, region in order)


def test_rates_of_a_region_and_of_an_mrc(history_db):
    region = _region("54")
    with db.connect(history_db) as con:
        in_region = completeness.rates(con, auth.SYSTEM, YEAR, 2, region=region)
        in_mrc = completeness.rates(con, auth.SYSTEM, YEAR, 2, mrc="54")
        listed = completeness.missing(con, auth.SYSTEM, YEAR, 2, region=region)
        none = completeness.rates(con, auth.SYSTEM, 2010, 2)
    assert in_region.iloc[0]["level"] == "region" and set(in_region["region_code"]) == {region}
    assert in_region.iloc[0]["missing"] == len(expected_missing(YEAR, 2, region)) == len(listed)
    assert list(in_mrc["level"]) == ["mrc"] and in_mrc.iloc[0]["mrc_code"] == "54"
    in_54 = {neq for neq, mrc, _ in HISTORY if mrc == "54"}
    assert in_mrc.iloc[0]["missing"] == len(expected_missing(YEAR, 2) & in_54)
    assert none.empty


def test_completeness_is_for_admins_only(history_db):
    coop = auth.Account("c@coop2.example", auth.ENTREPRISE, ("2270000002",))
    with db.connect(history_db) as con:
        for actor in (None, coop):
            with pytest.raises(auth.Forbidden):
                completeness.missing(con, actor, YEAR)
            with pytest.raises(auth.Forbidden):
                completeness.rates(con, actor, YEAR)
        with pytest.raises(ValueError):
            completeness.missing(con, auth.SYSTEM, YEAR, 0)


# ------------------------------------------------------------------------------------------------------- page
@pytest.fixture
def page_db(history_db, monkeypatch):
    return with_admin(history_db, monkeypatch)


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_page_shows_the_cards_the_list_and_exports_it(page_db, downloads):
    at = _on_page(_login(ADMIN_EMAIL), "ess_impact/web/admin/completeness.py")
    assert at.title[0].value == labels.t("compl_title", "fr", place="Québec", year=YEAR)
    cards = {m.label: m.value for m in at.metric}
    wanted = expected_missing(YEAR, 2)
    assert cards[labels.t("compl_missing", "fr")] == str(len(wanted))
    assert cards[labels.t("compl_reported", "fr")] == str(len(expected_reported(YEAR)))
    table = at.dataframe[0].value
    assert set(table["NEQ"]) == wanted
    files = {name: make for name, _, make in downloads.values()}
    exported = [f for f in files if f.endswith(".csv") and f.startswith("entreprises-a-relancer")]
    assert exported, list(files)
    rows = _csv_rows(files[exported[0]]())
    header = rows.index(list(table.columns))
    body = rows[header + 1:header + 1 + len(table)]
    assert [r[0] for r in body] == list(table["NEQ"])
    assert body == [[str(v) for v in r] for r in table.itertuples(index=False)]
    assert rows[header + 1 + len(table)] == []  # then the notes
    notes = " ".join(r[0] for r in rows[header + 2 + len(table):])
    assert labels.t("compl_note_private", "fr") in notes and " x " not in f" {notes} "


def test_page_window_and_region_filters(page_db):
    at = _on_page(_login(ADMIN_EMAIL), "ess_impact/web/admin/completeness.py")
    at.sidebar.selectbox(key="fenetre").select(3).run()
    _clean(at)
    assert set(at.dataframe[0].value["NEQ"]) == expected_missing(YEAR, 3)
    region = _region("66")
    at.sidebar.selectbox(key="region").select(region).run()
    _clean(at)
    assert set(at.dataframe[0].value["NEQ"]) == expected_missing(YEAR, 3, region)
    rates = at.dataframe[1].value
    assert rates.iloc[0, 0] == region  # the region first, then its MRCs
