"""Accessibility: axe-core (through axe-playwright-python) on every public page in Chromium, in French and English,
with no serious or critical violation (WCAG 2 A/AA rules: contrast, names of controls, landmarks, language…)."""

from __future__ import annotations

import pytest
from conftest import SETTLED

pytestmark = pytest.mark.e2e
PAGES = ["", "territoires?region=16&mrc=54", "territoires?region=04", "secteurs",
         "comparer?comparer=mrc:54&comparer=mrc:53", "rapports?region=16&mrc=54", "methodologie",
         "presentation?region=16&mrc=54&ecran=2"]


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
            page.locator('[data-testid="stMain"]').first.wait_for(state="visible", timeout=120_000)
            page.wait_for_timeout(1500)  # the script run starts
            page.wait_for_function(SETTLED, timeout=120_000)
            page.wait_for_timeout(500)
            result = axe.run(page)
            bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
                   for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
            if bad:
                found[path or "/"] = bad
    finally:
        page.close()
    assert not found, found
