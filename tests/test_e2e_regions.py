"""End to end in Debian's Chromium (issue 15): two regional admins, Montérégie (16) and Montréal (06), work side by
side in one instance, each in its own browser context at the same time: each finds its own enterprises in the
registry and not the other's, corrects its own, and has no Comptes or Paramètres page."""

from __future__ import annotations

import pytest
from conftest import PASSWORD, SETTLED, serve, write_small_xlsx

from ess_impact import labels
from ess_impact.intake import importer
from ess_impact.store import auth, db, history

pytestmark = pytest.mark.e2e

MONTEREGIE, MONTREAL = "pole@monteregie.example", "pole@montreal.example"
MAREE, FANAL = ("1170000003", "Café-coop La Marée (test)"), ("1170000008", "Coop de travail Le Fanal (test)")
TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def regions_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("regions_e2e")
    source = write_small_xlsx(folder / "declarations.xlsx")
    path = folder / "regions.duckdb"
    with db.connect(path) as con:
        importer.commit(con, importer.check_files([source], con, actor=auth.SYSTEM), actor=auth.SYSTEM,
                        accept_warnings=True)
        auth.add_account(con, auth.SYSTEM, MONTEREGIE, auth.ADMIN, PASSWORD, regions=["16"])
        auth.add_account(con, auth.SYSTEM, MONTREAL, auth.ADMIN, PASSWORD, regions=["06"])
    with serve(path, folder) as base:
        yield base, path


def _context(browser, base, path, email):
    with db.connect(path) as con:
        token = auth.open_session(con, auth.authenticate(con, email, PASSWORD))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "ess_session", "value": token, "url": base}])
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _search(page, base, text):
    page.goto(f"{base}/admin-registre")
    page.get_by_role("heading", name=labels.t("nav_admin_registry", "fr"), exact=True).wait_for()
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
    page.get_by_label(labels.t("registry_search", "fr"), exact=True).fill(text)
    page.keyboard.press("Enter")
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


def test_two_regional_admins_side_by_side(browser, regions_server, artifacts):
    base, path = regions_server
    south, island = _context(browser, base, path, MONTEREGIE), _context(browser, base, path, MONTREAL)
    try:
        south_page, island_page = south.new_page(), island.new_page()
        _search(south_page, base, "maree")
        _search(island_page, base, "maree")
        south_page.get_by_role("heading", name=f"{MAREE[1]} ({MAREE[0]})").wait_for()
        island_page.get_by_text(labels.t("registry_none_found", "fr")).wait_for()
        _search(island_page, base, "fanal")
        island_page.get_by_role("heading", name=f"{FANAL[1]} ({FANAL[0]})").wait_for()
        _search(south_page, base, "fanal")
        south_page.get_by_text(labels.t("registry_none_found", "fr")).wait_for()
        # Montérégie corrects its enterprise while Montréal works on its own
        _search(south_page, base, "maree")
        form = south_page.locator("[data-testid=stForm]").first
        form.get_by_label("Nom de l'entreprise").fill("Café-coop La Marée")
        form.get_by_role("button", name=labels.t("registry_edit_button", "fr")).click()
        south_page.get_by_text(labels.t("registry_edit_done", "fr", id=0, changed=2).split(" (")[0]).first.wait_for()
        south_page.screenshot(path=str(artifacts / "regions-monteregie-registry-fr.png"), full_page=True)
        with db.connect(path) as con:
            logged = db.first(con, "SELECT id, actor FROM imports ORDER BY id DESC LIMIT 1")
            island_account = auth.authenticate(con, MONTREAL, PASSWORD)
            assert logged[1] == MONTEREGIE
            assert logged[0] not in history.list_imports(con, island_account)["id"].tolist()
        for address in ("/admin-parametres", "/admin-comptes"):
            island_page.goto(f"{base}{address}")
            island_page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
            island_page.get_by_text(labels.t("page_not_found", "fr"), exact=True).first.wait_for()
        island_page.goto(f"{base}/admin-chiffres")
        island_page.get_by_role("heading", name=labels.t("figures_title", "fr", region="Montréal", year=2024),
                                exact=True).wait_for()
        island_page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
        island_page.wait_for_timeout(800)  # tables are canvases: let them draw
        island_page.screenshot(path=str(artifacts / "regions-montreal-figures-fr.png"), full_page=True)
    finally:
        south.close()
        island.close()
