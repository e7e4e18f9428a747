"""End to end: the real `streamlit run` server on the demo database, driven by Debian's headless Chromium.

Screenshots (full page) land in test-artifacts/: overview-{fr,en}-{desktop,mobile}.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ess_impact import db, indicators, labels

from conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

# A cold first run computes two protected cubes (a few seconds each on an idle machine); leave room for a busy one.
LOAD_TIMEOUT_MS = 180_000
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 390, "height": 844}}
EXCEPTION = '[data-testid="stException"]'
RUNNING = '[data-testid="stStatusWidget"]'


@pytest.fixture(scope="module")
def latest_year(demo_db) -> int:
    with db.connect(demo_db) as con:
        return indicators.latest_year(con)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.set_default_timeout(LOAD_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def _url(base: str, lang: str) -> str:
    return f"{base}/" if lang == "fr" else f"{base}/?lang={lang}"


def _wait_for_overview(page, heading: str) -> None:
    """The title shows `heading` and the script run is over (no 'running' status, table drawn)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.locator("h1").filter(has_text=heading).first.wait_for(state="visible")
        page.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
        page.wait_for_function(f"() => !document.querySelector('{RUNNING}')")
    except PlaywrightTimeout:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "failure-last.png"
        page.screenshot(path=str(shot), full_page=True)
        pytest.fail(f"the overview did not show {heading!r} at {page.url} (screenshot: {shot}); "
                    f"headings: {page.locator('h1').all_inner_texts()}; page text:\n{page.inner_text('body')[:2000]}")


def _assert_healthy(page, lang: str) -> None:
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()
    text = page.inner_text("body")
    assert "Traceback" not in text
    banner = page.get_by_text(labels.t("demo_banner", lang), exact=True)
    assert banner.is_visible()


def _full_page_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside <main data-testid="stMain">, not the document: grow the viewport to the
    content's height so that the screenshot holds the whole page, then restore it."""
    viewport = dict(page.viewport_size)
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
            .map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], int(height))})
    page.wait_for_timeout(300)  # relayout
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(viewport)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_in_the_browser(app_server, page, artifacts, latest_year, lang):
    heading = labels.t("overview_heading", lang, year=latest_year)
    page.goto(_url(app_server, lang))
    _wait_for_overview(page, heading)
    _assert_healthy(page, lang)
    assert page.title() == labels.t("app_title", lang)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text(labels.t("language", lang), exact=True).is_visible()
    assert sidebar.get_by_text(labels.t("year", lang), exact=True).is_visible()
    assert page.get_by_text(labels.t("by_region", lang), exact=True).is_visible()
    _full_page_screenshot(page, artifacts / f"overview-{lang}-desktop.png")

    page.set_viewport_size(VIEWPORTS["mobile"])
    page.reload()
    _wait_for_overview(page, heading)
    _assert_healthy(page, lang)
    _full_page_screenshot(page, artifacts / f"overview-{lang}-mobile.png")


def test_language_button(app_server, page, latest_year):
    page.goto(_url(app_server, "fr"))
    _wait_for_overview(page, labels.t("overview_heading", "fr", year=latest_year))
    assert "lang=" not in page.url

    sidebar = page.locator('[data-testid="stSidebar"]')
    french, english = (sidebar.get_by_role("radio", name=n, exact=True) for n in ("Français", "English"))
    assert french.get_attribute("aria-checked") == "true"
    english.click()
    _wait_for_overview(page, labels.t("overview_heading", "en", year=latest_year))
    page.wait_for_url(re.compile(r"[?&]lang=en(&|$)"))
    _assert_healthy(page, "en")
    assert english.get_attribute("aria-checked") == "true"
    assert sidebar.get_by_text(labels.t("language", "en"), exact=True).is_visible()
    assert page.get_by_text(labels.t("by_region", "en"), exact=True).is_visible()


def test_cli_import_while_the_app_is_running(tmp_path, browser):
    """The command-line import writes while the server has the same database in use; the page then shows the
    new figures at once (cache keyed by the data version), with no restart and no lock error anywhere."""
    import subprocess
    import sys

    from ess_impact import demo

    from conftest import serve

    path = tmp_path / "shared.duckdb"
    with db.connect(path) as con:
        demo.load(con)
    fixture = Path(__file__).parent / "fixtures" / "ugly_fr.xlsx"
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.set_default_timeout(LOAD_TIMEOUT_MS)
    with serve(path, tmp_path) as base:
        page.goto(_url(base, "fr"))
        _wait_for_overview(page, labels.t("overview_heading", "fr", year=2024))
        _assert_healthy(page, "fr")
        out = subprocess.run([str(Path(sys.executable).parent / "ess-impact"), "import", str(fixture),
                              "--db", str(path)], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert "données fictives de démonstration ont été retirées" in out.stderr
        page.reload()
        _wait_for_overview(page, labels.t("overview_heading", "fr", year=2024))
        text = page.inner_text("body")
        assert labels.t("demo_banner", "fr") not in text  # the real file replaced the demo data
        assert labels.t("overview_intro", "fr", enterprises="5") in text
        assert page.locator(EXCEPTION).count() == 0 and "Traceback" not in text
    context.close()
