"""End to end: the real `streamlit run` server on the demo database (one server for the module), driven by Debian's
headless Chromium: every page in both languages, a filter changed in the sidebar, a bookmarked link, the CSV and
Excel downloads, the language button, and a command-line import while the app runs.

Screenshots (full page) land in test-artifacts/: {page}-{fr,en}-{desktop,mobile}.png at 1280×800 and 390×844;
docs/screenshots/update.sh copies the ones the README shows.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import ARTIFACTS, SETTLED

from ess_impact import labels
from ess_impact.publish import indicators
from ess_impact.store import db

pytestmark = pytest.mark.e2e

# A cold first run computes the protected cubes (tens of seconds); leave room for a busy machine.
LOAD_TIMEOUT_MS = 180_000
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 390, "height": 844}}
EXCEPTION = '[data-testid="stException"]'
ERROR_BOX = '[data-testid="stAlertContentError"]'
DIALOG = '[role="dialog"]'  # e.g. Streamlit's "Page not found"
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(e => e.querySelector('.main-svg'))"""

# The view of each page that the tour (and the README's screenshots) show.
PAGES = {
    "overview": ("/", {}),
    "territories": ("/territoires", {"region": "16", "mrc": "54"}),
    "sectors": ("/secteurs", {"region": "16", "secteur": "SAN"}),
    "compare": ("/comparer", {"comparer": ["mrc:54", "mrc:53", "mrc:55", "region:16"]}),
    "methodology": ("/methodologie", {}),
}


def page_title(name: str, lang: str, year: int) -> str:
    return {"overview": labels.t("overview_title", lang, place="Québec", year=year),
            "territories": labels.t("territories_title", lang, place="Les Maskoutains", year=year),
            "sectors": labels.t("sectors_title", lang, place="Montérégie", year=year),
            "compare": labels.t("compare_title", lang, year=year),
            "methodology": labels.t("methodology_title", lang)}[name]


@pytest.fixture(scope="module")
def latest_year(demo_db) -> int:
    with db.connect(demo_db) as con:
        return indicators.latest_year(con)


class Tab:
    """A browser tab that records JavaScript errors."""

    def __init__(self, browser, viewport: str = "desktop", **options):
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], **options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(LOAD_TIMEOUT_MS)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def close(self) -> None:
        self.context.close()
        assert not self.errors, f"JavaScript errors in the page: {self.errors}"


@pytest.fixture
def tab(browser):
    opened = Tab(browser, accept_downloads=True)
    yield opened
    opened.close()


def url(base: str, path: str, params: dict, lang: str) -> str:
    query = dict(params, **({"lang": lang} if lang != "fr" else {}))
    return f"{base}{path}" + (f"?{urlencode(query, doseq=True)}" if query else "")


def wait_for_page(page, heading: str) -> None:
    """The title shows `heading`, the script run is over and every chart is drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.locator("h1").filter(has_text=heading).first.wait_for(state="visible")
        page.wait_for_function(SETTLED)
    except PlaywrightTimeout:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "failure-last.png"
        page.screenshot(path=str(shot), full_page=True)
        pytest.fail(f"the page did not show {heading!r} at {page.url} (screenshot: {shot}); "
                    f"headings: {page.locator('h1').all_inner_texts()}; page text:\n{page.inner_text('body')[:2000]}")


def assert_healthy(page, lang: str) -> None:
    """No Python traceback, no error box, no 'Page not found' dialog; the demo banner is there."""
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()
    assert page.locator(ERROR_BOX).count() == 0, page.locator(ERROR_BOX).first.inner_text()
    assert page.locator(DIALOG).count() == 0, page.locator(DIALOG).first.inner_text()
    assert "Traceback" not in page.inner_text("body")
    assert page.get_by_text(labels.t("demo_banner", lang), exact=True).is_visible()


def full_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside <main data-testid="stMain">, not the document: grow the viewport to the
    content's height so that the screenshot holds the whole page, then restore it."""
    viewport = dict(page.viewport_size)
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
            .map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], int(height))})
    page.wait_for_function(CHARTS_DRAWN)  # charts redraw at the new size
    page.wait_for_timeout(300)  # plotly's resize is debounced: let it finish before the picture
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


def combobox(page, label: str):
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label, exact=True)


# ------------------------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_in_the_browser(app_server, browser, artifacts, latest_year, lang):
    """Each page opened from its address, on a laptop and on a phone: the right title, healthy, screenshots."""
    for viewport in VIEWPORTS:
        tab = Tab(browser, viewport)
        page = tab.page
        for name, (path, params) in PAGES.items():
            page.goto(url(app_server, path, params, lang))
            wait_for_page(page, page_title(name, lang, latest_year))
            assert_healthy(page, lang)
            assert page.title() == labels.t("app_title", lang)
            if viewport == "desktop":
                sidebar = page.locator('[data-testid="stSidebar"]')
                assert sidebar.get_by_text(labels.t("language", lang), exact=True).is_visible()
                nav = [t.splitlines()[-1] for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]
                assert labels.t(f"nav_{name}", lang) in nav, nav  # (each link's text follows its icon's name)
                if name != "methodology":
                    assert combobox(page, labels.t("year", lang)).input_value() == str(latest_year)
                    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 1
                    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
            full_page_screenshot(page, artifacts / f"{name}-{lang}-{viewport}.png")
        tab.close()


def test_filter_changed_in_the_sidebar(app_server, tab, latest_year):
    """A region, then an MRC, picked in the sidebar: the address gets ?region=…&mrc=…, the title follows, and the
    filters stay when the reader goes to another page."""
    page = tab.page
    page.goto(url(app_server, "/", {}, "fr"))
    wait_for_page(page, page_title("overview", "fr", latest_year))
    assert "region=" not in page.url

    combobox(page, labels.t("region", "fr")).click()
    page.get_by_role("option", name="Montérégie", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]region=16(&|$)"))
    wait_for_page(page, labels.t("overview_title", "fr", place="Montérégie", year=latest_year))
    assert_healthy(page, "fr")
    assert combobox(page, labels.t("region", "fr")).input_value() == "Montérégie"

    combobox(page, labels.t("mrc", "fr")).click()
    page.get_by_role("option", name="Les Maskoutains", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]mrc=54(&|$)"))
    wait_for_page(page, labels.t("overview_title", "fr", place="Les Maskoutains", year=latest_year))
    assert_healthy(page, "fr")

    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=labels.t("nav_territories", "fr")).click()
    page.wait_for_url(re.compile(r"/territoires\?"))
    wait_for_page(page, labels.t("territories_title", "fr", place="Les Maskoutains", year=latest_year))
    assert_healthy(page, "fr")
    assert re.search(r"[?&]region=16(&|$)", page.url) and re.search(r"[?&]mrc=54(&|$)", page.url), page.url
    assert page.get_by_role("heading", name=labels.t("profile_heading", "fr")).is_visible()


def test_bookmarked_link_opens_the_same_view(app_server, tab, latest_year):
    """A link sent by e-mail (?region=16&mrc=54&annee=…&lang=en) opens the MRC profile of that year, in English,
    with the sidebar showing the same choices; reloading keeps it."""
    page = tab.page
    year = latest_year - 1
    link = url(app_server, "/territoires", {"region": "16", "mrc": "54", "annee": str(year)}, "en")
    page.goto(link)
    for _ in range(2):
        wait_for_page(page, labels.t("territories_title", "en", place="Les Maskoutains", year=year))
        assert_healthy(page, "en")
        assert combobox(page, labels.t("year", "en")).input_value() == str(year)
        assert combobox(page, labels.t("region", "en")).input_value() == "Montérégie"
        assert combobox(page, labels.t("mrc", "en")).input_value() == "Les Maskoutains"
        assert page.get_by_role("heading", name=labels.t("profile_heading", "en")).is_visible()
        assert page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").get_attribute(
            "aria-checked") == "true"
        page.reload()


def _grid_rows(page, table_index: int = 0) -> dict[str, list[str]]:
    """The rows of a table as its grid exposes them to screen readers (raw numbers, '' where suppressed), by the
    text of their second cell (the name)."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(table_index)
    grid.locator('[role="gridcell"]').first.wait_for(state="attached")  # a screen-reader table, not drawn
    rows = {}
    for row in grid.locator('[role="row"]').all():
        cells = row.locator('[role="gridcell"]').all_inner_texts()
        if len(cells) >= 2:
            rows[cells[1]] = cells
    return rows


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_downloads(app_server, tab, tmp_path, latest_year, lang):
    """The regions table for mutuals (few of them: some cells are suppressed), downloaded as CSV and as Excel:
    same headers and values as the table on the page, 'x' where the page has no number, the source line."""
    from openpyxl import load_workbook

    page = tab.page
    page.goto(url(app_server, "/territoires", {"forme": "MUT"}, lang))
    place = labels.t("territories_title", lang, place="Québec — " + ("Mutuelle" if lang == "fr" else "Mutual"),
                     year=latest_year)
    wait_for_page(page, place)
    assert_healthy(page, lang)
    grid = _grid_rows(page)
    headers = page.locator('[data-testid="stDataFrame"]').first.locator('[role="columnheader"]').all_inner_texts()

    files = {}
    for label, suffix in ((labels.t("download_csv", lang), ".csv"), (labels.t("download_xlsx", lang), ".xlsx")):
        button = page.locator('[data-testid="stDownloadButton"]').filter(has_text=label).first
        with page.expect_download() as info:
            button.click()
        download = info.value
        assert download.suggested_filename.endswith(suffix), download.suggested_filename
        files[suffix] = tmp_path / download.suggested_filename
        download.save_as(files[suffix])
    assert_healthy(page, lang)

    title = labels.t("by_region_title", lang, place="Québec — " + ("Mutuelle" if lang == "fr" else "Mutual"),
                     year=latest_year)
    text = files[".csv"].read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";" if lang == "fr" else ","))
    assert rows[0] == [title]
    header = rows[1]
    assert header[:len(headers)] == headers, (header, headers)
    body = {r[1]: r for r in rows[2:2 + 17]}
    assert len(body) == 17  # the administrative regions
    notes = [r[0] for r in rows[2 + 17:] if r]
    assert labels.t("source_line_demo", lang) in notes
    assert any(n.startswith("x") for n in notes), notes

    suppressed = shown = 0
    for name, cells in grid.items():
        for column, cell in zip(header[2:len(cells)], cells[2:]):
            i = header.index(column)
            value = body[name][i]
            if cell == "":
                assert value == "x", (name, column, value)
                suppressed += 1
            else:
                number = float(value.replace(",", ".") if lang == "fr" else value)
                assert number == pytest.approx(float(cell), abs=1e-4), (name, column, value, cell)
                shown += 1
    assert suppressed and shown, (suppressed, shown)  # the view has both: the test looked at both

    sheet = load_workbook(files[".xlsx"]).worksheets[0]
    assert sheet["A1"].value == title
    assert [c.value for c in sheet[3]] == header
    in_sheet = {row[1].value: [c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=3 + 17)}
    for name, values in body.items():
        for column, expected, cell in zip(header[2:], values[2:], in_sheet[name][2:]):
            if expected == "x":
                assert cell == "x", (name, column, cell)
            elif expected:
                assert cell == pytest.approx(float(expected.replace(",", ".") if lang == "fr" else expected),
                                             abs=1e-4), (name, column, cell)
    below = [sheet.cell(row=r, column=1).value for r in range(4 + 17, sheet.max_row + 1)]
    assert labels.t("source_line_demo", lang) in below


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_address_with_no_page_for_the_visitor_is_said_in_their_language(app_server, tab, latest_year, lang):
    """A typo in the address, or an admin page before logging in: the home page, with the reason in the reader's
    language, never Streamlit's English "Page not found" box."""
    page = tab.page
    for path in ("/nulle-part", "/admin-journal"):
        page.goto(url(app_server, path, {}, lang))
        wait_for_page(page, page_title("overview", lang, latest_year))
        assert page.get_by_text(labels.t("page_not_found_login", lang), exact=True).is_visible()
        assert page.locator(DIALOG).count() == 0
        assert "Page not found" not in page.inner_text("body")
    page.goto(url(app_server, "/", {}, lang))  # the message belongs to that one visit
    wait_for_page(page, page_title("overview", lang, latest_year))
    assert page.get_by_text(labels.t("page_not_found_login", lang), exact=True).count() == 0


def test_language_button(app_server, tab, latest_year):
    page = tab.page
    page.goto(url(app_server, "/", {}, "fr"))
    wait_for_page(page, page_title("overview", "fr", latest_year))
    assert "lang=" not in page.url

    sidebar = page.locator('[data-testid="stSidebar"]')
    french, english = (sidebar.get_by_role("radio", name=n, exact=True) for n in ("Français", "English"))
    assert french.get_attribute("aria-checked") == "true"
    english.click()
    wait_for_page(page, page_title("overview", "en", latest_year))
    page.wait_for_url(re.compile(r"[?&]lang=en(&|$)"))
    assert_healthy(page, "en")
    assert english.get_attribute("aria-checked") == "true"
    assert sidebar.get_by_text(labels.t("language", "en"), exact=True).is_visible()
    assert page.get_by_text(labels.t("by_region", "en"), exact=True).is_visible()


def test_cli_import_while_the_app_is_running(tmp_path, browser, demo_db):
    """The command-line import writes while the server has the same database in use; the page then shows the
    new figures as soon as their snapshot is published in the background, with no restart and no lock error."""
    import subprocess
    import sys

    from conftest import copy_database, serve

    from ess_impact.publish import snapshot

    path = copy_database(demo_db, tmp_path / "shared.duckdb")  # the demo with its published snapshot
    fixture = Path(__file__).parent / "fixtures" / "ugly_fr.xlsx"
    tab = Tab(browser)
    page = tab.page
    with serve(path, tmp_path) as base:
        page.goto(url(base, "/", {}, "fr"))
        wait_for_page(page, page_title("overview", "fr", 2024))
        assert_healthy(page, "fr")
        command = str(Path(sys.executable).parent / "ess-impact")
        refused = subprocess.run([command, "import", str(fixture), "--db", str(path)], capture_output=True, text=True,
                                 timeout=120)
        assert refused.returncode == 1 and "real-data --yes" in refused.stderr  # the demo is never replaced unasked
        switched = subprocess.run([command, "real-data", "--yes", "--db", str(path)], capture_output=True, text=True,
                                  timeout=120)
        assert switched.returncode == 0, switched.stderr
        out = subprocess.run([command, "import", str(fixture), "--db", str(path)], capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        assert labels.t("import_not_public", "fr") in out.stderr

        def published() -> None:
            """The new version is published by a background process; meanwhile the page serves the previous one."""
            with db.connect(path) as con:
                version = db.data_version(con)
            deadline = time.monotonic() + 600
            while (snapshot.current(path) is None or snapshot.current(path).data_version != version) \
                    and time.monotonic() < deadline:
                time.sleep(0.5)
            page.reload()

        published()  # imported is not public: no year is released since the demo left
        page.get_by_text(labels.t("empty_database", "fr")).wait_for(timeout=180_000)
        released = subprocess.run([command, "release", "--year", "2024", "--db", str(path)], capture_output=True,
                                  text=True, timeout=120)
        assert released.returncode == 0, released.stderr
        published()
        wait_for_page(page, page_title("overview", "fr", 2024))
        text = page.inner_text("body")
        assert labels.t("demo_banner", "fr") not in text  # the real file replaced the demo data
        assert labels.t("overview_caption", "fr", enterprises="5") in text
        assert page.locator(EXCEPTION).count() == 0 and page.locator(ERROR_BOX).count() == 0
        assert "Traceback" not in text
    tab.close()
