"""Accessibility: axe-core (through axe-playwright-python) on every public page in Chromium, in French and English,
with no serious or critical violation (WCAG 2 A/AA rules: contrast, names of controls, landmarks, language…), and a
heading (h1) on each page and on each kind of presentation screen."""

from __future__ import annotations

import pytest
from conftest import SETTLED

pytestmark = pytest.mark.e2e
PAGES = ["", "territoires?region=16&mrc=54", "territoires?region=04", "secteurs",
         "comparer?comparer=mrc:54&comparer=mrc:53", "rapports?region=16&mrc=54", "methodologie",
         "presentation?region=16&mrc=54&ecran=2", "presentation?region=16&mrc=54&ecran=99"]  # 99: the last, the map


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_public_pages_have_no_serious_accessibility_violation(app_server, browser, lang):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    found = {}
    try:
        for path in PAGES:
            sep = "&" if "?" in path else "?"
            page.goto(f"{app_server}/{path}" + (f"{sep}lang=en" if lang == "en" else ""))
            # every page, and every screen of the presentation, has a heading (h1) that screen readers go to; it is
            # drawn once the page's script runs (before, the main area is empty and looks settled)
            page.locator('[data-testid="stMain"] h1').first.wait_for(state="attached", timeout=120_000)
            page.wait_for_function(SETTLED, timeout=120_000)
            result = axe.run(page)
            bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
                   for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                found[path or "/"] = bad
    finally:
        page.close()
    assert not found, found
