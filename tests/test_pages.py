"""Every dashboard page run headless with streamlit.testing (AppTest), for several filter combinations, in French
and English, on the demo data and on a small real import: no exception, no error box, the right title, Québec
number formats in the tables, a source line on every chart, and two downloads (CSV, Excel) under every table whose
content matches the table on screen (the bytes the button would serve, taken from the app's own callable).

A test opens the app with a link (?region=16&mrc=54&…) and then visits every page in one session, as a reader
following the navigation would: the filters are kept from page to page.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    ROOT,
    SMALL_ENTERPRISES,
    SMALL_HEADERS,
    SMALL_YEARS,
    import_declarations,
)
from streamlit.testing.v1 import AppTest

from ess_impact import formatting, labels, reference
from ess_impact.publish import indicators, slices
from ess_impact.store import db

APP = str(ROOT / "app.py")
PAGES = ("overview", "territories", "sectors", "compare", "methodology")
RUN_TIMEOUT_S = 60
# The first run on a database computes its protected cubes (tens of seconds for the demo data on a busy machine).
COLD_RUN_TIMEOUT_S = 300

# Québec French: 10 321, 12,5, 1 234 567 $, 12,5 %; Canadian English: 10,321, 12.5, $1,234,567, 12.5%.
_SPACE = "[\u00a0\u202f]"
NUMBER_FORMAT = {
    "fr": re.compile(rf"^-?\d{{1,3}}(?:{_SPACE}\d{{3}})*(?:,\d+)?(?:{_SPACE}(?:\$|%))?$"),
    "en": re.compile(r"^-?\$?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?$"),
}


# --------------------------------------------------------------------------------------------------- the app
def start(params: dict, lang: str) -> AppTest:
    """The app opened with a link: ?lang=…&annee=…&region=… (repeated keys as lists)."""
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    for key, value in params.items():
        at.query_params[key] = value
    if lang != "fr":
        at.query_params["lang"] = lang
    at.run(timeout=COLD_RUN_TIMEOUT_S)
    assert_clean(at, "overview")
    return at


def visit(at: AppTest, page: str) -> AppTest:
    """Go to a page through the navigation."""
    at.switch_page(f"ess_impact/web/public/{page}.py").run(timeout=COLD_RUN_TIMEOUT_S)
    assert_clean(at, page)
    return at


def tour(at: AppTest):
    """Every page in turn, starting with the overview that `start` opened."""
    for page in PAGES:
        if page != "overview":
            visit(at, page)
        yield page


def assert_clean(at: AppTest, page: str) -> None:
    assert not at.exception, (page, [e.value for e in at.exception], [e.stack_trace for e in at.exception])
    assert not at.error, (page, [e.value for e in at.error])


def download(button, captured: dict) -> tuple[str, bytes]:
    """The file name and bytes of a download button (captured: conftest's `downloads` fixture)."""
    file_id = button.proto.deferred_file_id
    assert file_id in captured, f"download button {button.label!r} carries no data"
    name, _mime, make = captured[file_id]
    data = make()
    return name, data.encode() if isinstance(data, str) else bytes(data)


def display_values(frame_element) -> pd.DataFrame | None:
    """What a table shows (the Styler's formatted text), or None for a plain table."""
    from streamlit import dataframe_util

    data = frame_element.proto.arrow_data.styler.display_values
    return dataframe_util.convert_arrow_bytes_to_pandas_df(data) if data else None


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


# ----------------------------------------------------------------------------------------------- databases
@dataclass(frozen=True)
class Data:
    name: str
    path: Path
    years: tuple[int, ...]
    is_demo: bool
    no_data: dict  # a link to a territory × category with no data in the latest year

    @property
    def latest(self) -> int:
        return max(self.years)


def _data(name: str, path: Path) -> Data:
    with db.connect(path) as con:
        years = tuple(int(y) for y in indicators.years(con)["year"])
        is_demo = db.is_demo(con)
        # An MRC of region 16 with nobody reporting; on the demo data every MRC reports, so an MRC × sector.
        empty = con.execute(
            "SELECT m.code, s.code FROM mrc m, sectors s WHERE m.region_code = '16' AND NOT EXISTS (SELECT 1 FROM "
            "annual_figures a WHERE a.mrc = m.code AND a.year = ? AND (a.sector = s.code OR NOT ?)) "
            "ORDER BY m.code, s.code LIMIT 1", [max(years), is_demo]).fetchone()
    assert empty, f"{name}: no empty territory found"
    no_data = {"region": "16", "mrc": empty[0], **({"secteur": empty[1]} if is_demo else {})}
    return Data(name, path, years, is_demo, no_data)


@pytest.fixture(scope="module")
def databases(demo_db, small_db_session) -> dict[str, Data]:
    return {"demo": _data("demo", demo_db), "small": _data("small", small_db_session)}


def has_data(path: Path, territory: str, year: int) -> bool:
    level, code = territory.split(":")
    column = "m.code" if level == "mrc" else "m.region_code"
    with db.connect(path) as con:
        return bool(con.execute(f"SELECT count(*) FROM annual_figures a JOIN mrc m ON m.code = a.mrc "
                                f"WHERE {column} = ? AND a.year = ?", [code, year]).fetchone()[0])


# ----------------------------------------------------------------------------------------------- scenarios
@dataclass(frozen=True)
class Scenario:
    params: dict
    compare: list[str] = field(default_factory=list)  # territories the link asks Comparer for
    year: str = "latest"  # latest | earliest


SIX = ["region:16", "region:06", "mrc:54", "mrc:66", "region:17", "mrc:16"]
SCENARIOS = {
    "no_filter": Scenario({}),
    "region": Scenario({"region": "16"}, ["region:16", "region:06"]),
    "region_mrc": Scenario({"region": "16", "mrc": "54"}, SIX),
    "mrc_only": Scenario({"mrc": "66"}, ["mrc:66", "mrc:54"]),
    "sector": Scenario({"secteur": "HAB"}, SIX + ["region:03"]),  # 7 asked: Comparer keeps the first 6
    "legal_form": Scenario({"forme": "COOP", "ind": "revenue_total"}, ["region:16", "mrc:16"]),  # 16: both a region and an MRC
    "sector_and_form": Scenario({"region": "16", "secteur": "SAN", "forme": "COOP"}),
    "no_data": Scenario({"secteurs": ["HAB", "SAN"]}),  # + Data.no_data
    "earliest_year": Scenario({"ind": "volunteer_hours", "secteurs": ["HAB", "SAN"]}, ["mrc:54", "region:16"],
                              year="earliest"),
    "bad_link": Scenario({"annee": "1999", "region": "99", "mrc": "ZZ", "secteur": "ZZZ", "forme": "?",
                          "ind": "nope", "base": "1900", "lang": "de"}, ["mrc:999", "region:16", "mrc:54"]),
}
CASES = [pytest.param(data, name, lang, id=f"{data}-{name}-{lang}")
         for data in ("small", "demo") for name in SCENARIOS for lang in ("fr", "en")]


def _names(lang: str) -> dict:
    regions, mrcs = reference.regions(), reference.mrcs()
    return {"region": dict(zip(regions["code"], regions["name"])), "mrc": dict(zip(mrcs["code"], mrcs["name"])),
            "secteur": dict(zip(reference.sectors()["code"], reference.sectors()[f"label_{lang}"])),
            "forme": dict(zip(reference.legal_forms()["code"], reference.legal_forms()[f"label_{lang}"]))}


def expected_place(params: dict, lang: str, category: bool = True) -> str:
    """What ui.place shows for the filters of a link (unknown codes are dropped; sector wins over legal form)."""
    names = _names(lang)
    known = {k: v for k, v in params.items() if k in names and v in names[k]}
    where = names["mrc"][known["mrc"]] if "mrc" in known else names["region"][known["region"]] \
        if "region" in known else "Québec"
    kind = "secteur" if "secteur" in known else "forme" if "forme" in known else None
    return f"{where} — {names[kind][known[kind]]}" if category and kind else where


# ------------------------------------------------------------------------------------------------- checks
def check_tables(at: AppTest, page: str, lang: str, captured: dict, source: str) -> int:
    """Québec formats in every table; under every published table its CSV and Excel downloads, which hold the
    same cells ('x' where the screen shows x), the title and the notes. Returns the number of tables checked."""
    frames = list(at.dataframe)
    # Méthodologie's open-data package is not a table's download (tests/test_opendata.py checks it)
    buttons = [b for b in at.download_button if b.label != labels.t("opendata_download", lang)]
    published = [f for f in frames if display_values(f) is not None]  # shown with ui.show_table
    assert len(published) == len(frames), page  # every table, Méthodologie's included, has its downloads
    assert len(buttons) == 2 * len(published), (page, len(published), [b.label for b in buttons])
    for frame, csv_button, xlsx_button in zip(published, buttons[0::2], buttons[1::2]):
        raw, shown = frame.value, display_values(frame)
        assert list(raw.columns) == list(shown.columns)
        numeric = [c for c in raw.columns if pd.api.types.is_numeric_dtype(raw[c])]
        for column in numeric:
            for value, text in zip(raw[column], shown[column]):
                # x: suppressed; —: nobody in that cell; both carry no number to the browser.
                assert (text in (formatting.SUPPRESSED, formatting.MISSING)) == pd.isna(value), \
                    (page, column, value, text)
                assert pd.isna(value) or NUMBER_FORMAT[lang].match(text), (page, column, text)
        assert (csv_button.label, xlsx_button.label) == (labels.t("download_csv", lang), labels.t("download_xlsx", lang))

        name, data = download(csv_button, captured)
        assert name.endswith(".csv")
        assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens accents right
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";" if lang == "fr" else ","))
        title, header, body = rows[0], rows[1], rows[2:2 + len(raw)]
        assert len(title) == 1 and header == list(raw.columns), (page, title, header)
        assert rows[2 + len(raw)] == [], (page, rows[2 + len(raw):])
        notes = [r[0] for r in rows[3 + len(raw):]]
        assert source in notes and any(n.startswith("x") for n in notes), (page, notes)
        for i, row in enumerate(body):
            for column, cell in zip(header, row):
                if column not in numeric:
                    continue
                value, text = raw[column].iloc[i], shown[column].iloc[i]
                if pd.isna(value):
                    assert cell == ("" if text == formatting.MISSING else formatting.SUPPRESSED), (page, column, i, cell)
                else:
                    assert float(cell.replace(",", ".")) == pytest.approx(float(value), abs=1e-4), (page, column, cell)

        from openpyxl import load_workbook

        name, data = download(xlsx_button, captured)
        assert name.endswith(".xlsx")
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        assert sheet["A1"].value == title[0]
        assert [c.value for c in sheet[3]] == list(raw.columns)
        for i in range(len(raw)):
            cells = [c.value for c in sheet[4 + i]]
            for column, cell in zip(raw.columns, cells):
                if column in numeric:
                    value, text = raw[column].iloc[i], shown[column].iloc[i]
                    wanted = None if text == formatting.MISSING else formatting.SUPPRESSED if pd.isna(value) \
                        else pytest.approx(float(value))
                    assert cell == wanted, (page, column, i, cell)
        below = [sheet.cell(row=r, column=1).value for r in range(5 + len(raw), sheet.max_row + 1)]
        assert source in below, (page, below)
    return len(published)


def check_charts(at: AppTest, page: str, source: str) -> int:
    """Every chart has a title and the source line under it."""
    specs = figures(at)
    for spec in specs:
        layout = spec["layout"]
        assert layout["title"]["text"], page
        notes = [a.get("text", "").replace("<br>", " ") for a in layout.get("annotations", [])]
        assert source in notes, (page, layout["title"]["text"], notes)
    return len(specs)


# --------------------------------------------------------------------------------------------------- tests
@pytest.mark.parametrize("data_name, scenario_name, lang", CASES)
def test_every_page_renders(monkeypatch, databases, downloads, data_name, scenario_name, lang):
    data = databases[data_name]
    scenario = SCENARIOS[scenario_name]
    params = {**scenario.params, **(data.no_data if scenario_name == "no_data" else {})}
    year = data.latest if scenario.year == "latest" else min(data.years)
    if scenario.year == "earliest":
        params["annee"] = str(year)
    if scenario.compare:
        params["comparer"] = scenario.compare
    monkeypatch.setenv("ESS_IMPACT_DB", str(data.path))
    at = start(params, lang)  # bad_link asks for lang=de: French, unless the test's language is English
    source = labels.t("source_line_demo" if data.is_demo else "source_line", lang)
    place = expected_place(params, lang)
    territory = expected_place(params, lang, category=False)
    for page in tour(at):
        warnings = [w.value for w in at.warning]
        assert (labels.t("demo_banner", lang) in warnings) == data.is_demo, (page, warnings)
        infos = [i.value for i in at.main.info]
        titles = [t.value for t in at.title]
        expected = {"overview": labels.t("overview_title", lang, place=place, year=year),
                    "territories": labels.t("territories_title", lang, place=place, year=year),
                    "sectors": labels.t("sectors_title", lang, place=territory, year=year),
                    "compare": labels.t("compare_title", lang, year=year),
                    "methodology": labels.t("methodology_title", lang)}[page]
        assert titles == [expected], (page, titles)
        tables_shown, charts_shown = check_tables(at, page, lang, downloads, source), check_charts(at, page, source)

        sidebar_infos = [i.value for i in at.sidebar.info]
        if scenario_name == "sector_and_form" and page in ("overview", "territories"):
            assert sidebar_infos == [labels.t("one_category_filter", lang)], (page, sidebar_infos)
        else:
            assert not sidebar_infos, (page, sidebar_infos)
        if scenario_name == "no_data" and page in ("overview", "territories"):
            assert labels.t("no_data_here", lang, place=place, year=year) in infos, (page, infos)
            assert not at.metric and not at.dataframe and not at.get("plotly_chart"), page
        if page == "overview" and scenario_name != "no_data":
            assert len(at.metric) == 8 + 6, page  # the headline cards, then issue 14's impact cards (no delta)
            impact_labels = {labels.t(k, lang) for k in ("impact_value_added", "impact_volunteer_range",
                                                         "impact_reach", "impact_spinoff_jobs", "impact_spinoff_gdp",
                                                         "impact_jobs_share")}
            assert [m.label for m in at.metric[8:]] and {m.label for m in at.metric[8:]} == impact_labels
            # A change from the year before on every card whose value is published, except in the first year.
            deltas = [m.delta for m in at.metric[:8] if m.value != formatting.SUPPRESSED]
            assert all(deltas) if year != min(data.years) else not any(deltas), deltas
            assert charts_shown >= 3 and tables_shown == 1  # trend, breakdown(s), map; by region or MRC
        if page == "territories" and "region" not in params and "mrc" not in params:
            assert labels.t("territories_pick", lang) in infos
        if page == "compare":
            check_compare(at, data, scenario.compare, year, lang, infos)
    if scenario_name == "bad_link":  # every unknown code is dropped from the address
        assert not {"annee", "region", "mrc", "secteur", "forme", "ind", "base"} & set(at.query_params), \
            at.query_params
    elif scenario_name != "no_data":  # the address keeps the filters
        for key in ("region", "mrc", "secteur", "forme", "ind", "annee"):
            if key in params:
                assert at.query_params.get(key) == params[key], (key, at.query_params)


def check_compare(at: AppTest, data: Data, asked: list[str], year: int, lang: str, infos: list[str]) -> None:
    """At least two territories: one table row per territory with data, a message for each one without; a link
    asking for more than 6 keeps the first 6."""
    names = slices.territory_options()[1]
    chosen = [c for c in asked if c in names][:6]
    if len(chosen) < 2:
        assert labels.t("compare_need_two", lang) in infos
        assert not at.dataframe and not at.get("plotly_chart")
        return
    assert at.query_params["comparer"] == chosen
    with_data = [c for c in chosen if has_data(data.path, c, year)]
    table = at.dataframe[0].value
    assert table.iloc[:, 0].tolist() == [names[c] for c in with_data]  # "Montréal (06)", "Montréal (66)"
    per_1000 = figures(at)[0]
    assert [trace["name"] for trace in per_1000["data"]] == [names[c] for c in with_data]
    missing = [labels.t("no_data_here", lang, place=names[c], year=year) for c in chosen if c not in with_data]
    assert [i for i in infos if i in missing] == missing, (infos, missing)
    assert len(at.get("plotly_chart")) == 3  # per 1 000, indexed trend, sector mix


@pytest.fixture(scope="module")
def single_year_db(tmp_path_factory) -> Path:
    """The small import, with one year only: no trend, no change from a previous year."""
    from openpyxl import Workbook

    folder = tmp_path_factory.mktemp("single_year")
    book = Workbook()
    book.active.append(SMALL_HEADERS)
    for neq, name, form, sector, mrc, ft, pt, revenue, hours in SMALL_ENTERPRISES:
        book.active.append([neq, name, form, sector, mrc, max(SMALL_YEARS), ft, pt, revenue, hours])
    book.save(folder / "one_year.xlsx")
    path = folder / "one_year.duckdb"
    assert import_declarations(folder / "one_year.xlsx", path) == len(SMALL_ENTERPRISES)
    return path


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_single_year_of_data(monkeypatch, downloads, single_year_db, lang):
    monkeypatch.setenv("ESS_IMPACT_DB", str(single_year_db))
    at = start({"comparer": ["mrc:54", "mrc:66"]}, lang)
    source = labels.t("source_line", lang)
    assert labels.t("single_year", lang) in [i.value for i in at.main.info]
    assert len(at.metric) == 8 + 6 and not any(m.delta for m in at.metric)  # headline and impact cards, no change
    assert at.sidebar.selectbox[0].options == [str(max(SMALL_YEARS))]
    for page in tour(at):
        check_tables(at, page, lang, downloads, source)
        check_charts(at, page, source)


def test_filters_changed_in_the_sidebar(monkeypatch, small_db_session):
    """Filters picked in the sidebar go to the address; an MRC outside a newly chosen region is dropped; the
    legal form is ignored (with a message) while a sector is chosen."""
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db_session))
    at = start({}, "fr")
    visit(at, "territories")
    year = max(SMALL_YEARS)

    def box(key):
        return at.sidebar.selectbox(key=key)

    box("region").select("16").run()
    assert_clean(at, "territories")
    assert at.query_params.get("region") == "16"
    assert at.title[0].value == labels.t("territories_title", "fr", place="Montérégie", year=year)
    assert "Les Maskoutains" in box("mrc").options and "Montréal" not in box("mrc").options
    box("mrc").select("54").run()
    assert_clean(at, "territories")
    assert at.query_params.get("mrc") == "54"
    assert at.title[0].value == labels.t("territories_title", "fr", place="Les Maskoutains", year=year)
    assert labels.t("profile_heading", "fr") in [h.value for h in at.header]

    box("region").select("06").run()
    assert_clean(at, "territories")
    assert box("mrc").value is None and "mrc" not in at.query_params
    assert at.title[0].value == labels.t("territories_title", "fr", place="Montréal", year=year)

    box("secteur").select("SAN").run()
    box("forme").select("COOP").run()
    assert_clean(at, "territories")
    assert [i.value for i in at.sidebar.info] == [labels.t("one_category_filter", "fr")]
    assert at.title[0].value == labels.t("territories_title", "fr", place="Montréal — Santé et conditions de vie",
                                         year=year)
    visit(at, "overview")  # the filters follow the reader to another page
    assert at.title[0].value == labels.t("overview_title", "fr", place="Montréal — Santé et conditions de vie",
                                         year=year)
