"""End to end in Debian's Chromium, as a pôle admin: correct an enterprise's name in the registry and undo it from
the submission log; export the list of enterprises to remind from Complétude; change a setting; download a
submission's original file. Every admin page is photographed in French and English, at laptop and phone sizes."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import PASSWORD, SETTLED, SHOWN_TEXTS, english_of_streamlit, serve, write_small_xlsx
from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ess_impact import labels
from ess_impact.intake import importer
from ess_impact.store import auth, db

pytestmark = pytest.mark.e2e

ADMIN_EMAIL = "direction@pole.example"
LATE_EMAIL, LATE_NEQ, LATE_NAME = "retard@example.org", "1170000009", "Épicerie solidaire du Coteau (test)"
EDITED_NEQ, EDITED_NAME = "1170000003", "Café-coop La Marée (test)"
TIMEOUT_MS = 120_000
ADMIN_ADDRESSES = ("/admin-registre", "/admin-journal", "/admin-completude", "/admin-parametres")


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    """The small data set, plus an enterprise that reported 2023 but not 2024 (so 2024 has one to remind), an
    account linked to it and an admin."""
    folder = tmp_path_factory.mktemp("admin_e2e")
    source = write_small_xlsx(folder / "declarations.xlsx")
    book = load_workbook(source)
    sheet = book.active
    sheet.append([LATE_NEQ, LATE_NAME, "OBNL", "COM", "54", 2023, 2, 1, 150_000, 400])
    book.save(source)
    path = folder / "admin.duckdb"
    with db.connect(path) as con:
        checks = importer.check_files([source], con, actor=auth.SYSTEM)
        importer.commit(con, checks, actor=auth.SYSTEM, accept_warnings=True)
        auth.add_account(con, auth.SYSTEM, ADMIN_EMAIL, auth.ADMIN, PASSWORD)
        auth.add_account(con, auth.SYSTEM, LATE_EMAIL, auth.ENTREPRISE, PASSWORD, [LATE_NEQ])
    with serve(path, folder) as base:
        yield base, path, folder, source


def _settle(page) -> None:
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


def _admin_context(browser, base, path, lang="fr", size=(1280, 900)):
    """A browser context already logged in as the admin (the session cookie, as a login leaves it)."""
    with db.connect(path) as con:
        token = auth.open_session(con, auth.authenticate(con, ADMIN_EMAIL, PASSWORD))
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, accept_downloads=True)
    context.add_cookies([{"name": "ess_session", "value": token, "url": base}])
    context.set_default_timeout(TIMEOUT_MS)  # a shared 2-CPU machine can be slow to rerun a page
    return context


def _open(page, base, address, heading_key=None, lang="fr", **params):
    page.goto(f"{base}{address}" + ("?lang=en" if lang == "en" else ""))
    if heading_key:
        page.get_by_role("heading", name=labels.t(heading_key, lang, **params), exact=True).wait_for(timeout=TIMEOUT_MS)
    _settle(page)
    exceptions = page.locator("[data-testid=stException]")
    assert exceptions.count() == 0, f"{address}: {exceptions.first.inner_text()}"
    assert page.get_by_text("Page not found").count() == 0, address


def _pick(page, label: str, option: str) -> None:
    """Choose `option` in the Streamlit selectbox labelled `label`."""
    choice = page.get_by_role("option", name=option, exact=True)
    for _ in range(5):  # a rerun that lands just after the click closes the list again: open it once more
        page.get_by_label(label, exact=True).click()
        try:
            choice.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            _settle(page)
    # typed, as a person would on a long list: the list then holds only the choice, at its top (clicked in a long
    # list, an option low in it was once left outside the window, and the click waited two minutes)
    page.keyboard.type(option)
    choice.click()
    _settle(page)


def test_registry_correction_then_undo_from_the_log(browser, admin_server, artifacts):
    base, path, _, _ = admin_server
    context = _admin_context(browser, base, path)
    page = context.new_page()
    try:
        _open(page, base, "/admin-registre", "nav_admin_registry")
        page.get_by_label(labels.t("registry_search", "fr"), exact=True).fill("maree")
        page.keyboard.press("Enter")
        page.get_by_role("heading", name=f"{EDITED_NAME} ({EDITED_NEQ})").wait_for(timeout=TIMEOUT_MS)
        form = page.locator("[data-testid=stForm]").first
        form.get_by_label("Nom de l'entreprise").fill("Café-coop La Marée")
        form.get_by_role("button", name=labels.t("registry_edit_button", "fr")).click()
        done = labels.t("registry_edit_done", "fr", id=0, changed=2).split(" (")[0]  # "Correction enregistrée"
        page.get_by_text(done).first.wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=str(artifacts / "admin-registry-edited-fr-desktop.png"), full_page=True)
        with db.connect(path) as con:
            names = con.execute("SELECT DISTINCT name FROM annual_figures WHERE neq = ?", [EDITED_NEQ]).fetchall()
            logged = db.first(con, "SELECT id, actor, channel FROM imports ORDER BY id DESC LIMIT 1")
        assert names == [("Café-coop La Marée",)]
        assert logged[1:] == (ADMIN_EMAIL, "registre")

        _open(page, base, "/admin-journal", "nav_admin_log")
        page.get_by_label(labels.t("log_undo_choice", "fr")).click()
        page.get_by_role("option").filter(has_text=f"n° {logged[0]} ").click()
        page.get_by_text(labels.t("log_undo_confirm", "fr")).click()
        page.get_by_role("button", name=labels.t("log_undo_button", "fr")).click()
        page.get_by_text(f"Envoi n° {logged[0]} annulé").wait_for(timeout=TIMEOUT_MS)
        with db.connect(path) as con:
            names = con.execute("SELECT DISTINCT name FROM annual_figures WHERE neq = ?", [EDITED_NEQ]).fetchall()
        assert names == [(EDITED_NAME,)]
    finally:
        context.close()


def test_completeness_lists_the_late_enterprise_and_exports_it(browser, admin_server, artifacts):
    base, path, _, _ = admin_server
    context = _admin_context(browser, base, path)
    page = context.new_page()
    try:
        _open(page, base, "/admin-completude?annee=2024", None)
        page.get_by_role("heading", name=labels.t("compl_missing_heading", "fr")).wait_for(timeout=TIMEOUT_MS)
        _settle(page)
        page.wait_for_timeout(800)  # tables are canvases: let them draw
        page.screenshot(path=str(artifacts / "admin-completude-fr-desktop.png"), full_page=True)
        with page.expect_download() as caught:
            page.locator('[data-testid="stDownloadButton"]').filter(has_text=labels.t("download_csv", "fr")).first.click()
        text = caught.value.path().read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        listed = [r for r in rows if r and r[0] == LATE_NEQ]
        assert len(listed) == 1 and LATE_NAME in listed[0] and LATE_EMAIL in listed[0]
        assert not [r for r in rows if r and r[0].startswith("11700000") and r[0] != LATE_NEQ]  # the others reported
    finally:
        context.close()


def test_a_setting_changed_in_the_page_is_in_force(browser, admin_server):
    base, path, _, _ = admin_server
    context = _admin_context(browser, base, path)
    page = context.new_page()
    try:
        _open(page, base, "/admin-parametres", "settings_title")
        _pick(page, labels.t("settings_col_setting", "fr"), labels.t("setting_login_lock_minutes", "fr"))
        # the form of the chosen setting, once its rerun has replaced the previous setting's field
        page.wait_for_function("""label => {
            const fields = [...document.querySelectorAll(`input[aria-label="${label}"]`)];
            return fields.length === 1 && fields[0].value === "15";
        }""", arg=labels.t("settings_new_value", "fr"), timeout=TIMEOUT_MS)
        page.get_by_label(labels.t("settings_new_value", "fr")).fill("20")
        page.get_by_role("button", name=labels.t("settings_save", "fr")).first.click()
        page.get_by_text(labels.t("settings_saved", "fr", name=labels.t("setting_login_lock_minutes", "fr"),
                                  old="15", new="20")).wait_for(timeout=TIMEOUT_MS)
        with db.connect(path) as con:
            assert auth.idle_minutes(con) == 30
            assert db.first(con, "SELECT value, updated_by FROM settings WHERE key = 'login_lock_minutes'") == \
                ("20", ADMIN_EMAIL)
    finally:
        context.close()


def test_the_original_file_downloads_byte_for_byte(browser, admin_server):
    base, path, _, source = admin_server
    context = _admin_context(browser, base, path)
    page = context.new_page()
    try:
        _open(page, base, "/admin-journal", "nav_admin_log")
        page.get_by_role("heading", name=labels.t("original_heading", "fr")).wait_for(timeout=TIMEOUT_MS)
        with page.expect_download() as caught:
            page.locator('[data-testid="stDownloadButton"]').filter(
                has_text=labels.t("original_button", "fr")).click()
        assert caught.value.suggested_filename == source.name
        assert caught.value.path().read_bytes() == source.read_bytes()
    finally:
        context.close()


# Both languages and both sizes are covered across the two runs (French on a laptop is also what the other tests
# see); `docs/screenshots/update.sh` uses these pictures.
@pytest.mark.parametrize("lang, size", [("fr", (390, 844)), ("en", (1280, 800))], ids=["fr-phone", "en-desktop"])
def test_every_admin_page_renders(browser, admin_server, artifacts, lang, size):
    base, path, _, _ = admin_server
    context = _admin_context(browser, base, path, lang, size)
    page = context.new_page()
    kind = "desktop" if size[0] > 800 else "phone"
    try:
        for address in ADMIN_ADDRESSES + ("/admin-comptes", "/admin-import"):
            _open(page, base, address, None, lang)
            page.wait_for_timeout(800)  # tables are canvases: let them draw
            body = page.locator("body").inner_text()
            assert "Traceback" not in body, address
            page.screenshot(path=str(artifacts / f"admin{address.replace('/admin', '')}-{lang}-{kind}.png"),
                            full_page=True)
    finally:
        context.close()


def test_anonymous_and_enterprise_get_no_admin_page(browser, admin_server):
    base, path, _, _ = admin_server
    anonymous = browser.new_context()
    with db.connect(path) as con:
        token = auth.open_session(con, auth.authenticate(con, LATE_EMAIL, PASSWORD))
    enterprise = browser.new_context()
    enterprise.add_cookies([{"name": "ess_session", "value": token, "url": base}])
    try:
        for context in (anonymous, enterprise):
            page = context.new_page()
            for address in ADMIN_ADDRESSES:
                page.goto(base + address)
                _settle(page)
                page.wait_for_timeout(300)
                body = page.locator("body").inner_text()
                assert ADMIN_EMAIL not in body and "1170000001" not in body, address
                for key in ("nav_admin_registry", "settings_title", "nav_admin_log"):
                    assert page.get_by_role("heading", name=labels.t(key, "fr")).count() == 0, (address, key)
    finally:
        anonymous.close()
        enterprise.close()


def test_streamlit_own_texts_follow_the_interface_language(browser, admin_server):
    """Streamlit's browser code has no French: in the French interface its own texts (the uploader's button and size
    limit, the hint under a field, placeholders, the date fields and their calendar, the labels screen readers read)
    are the catalogue's French ones, and the page says it is in French (html lang). Switched to English, they are
    Streamlit's own again; back in French, French again."""
    base, path, _, _ = admin_server
    context = _admin_context(browser, base, path)
    page = context.new_page()
    found = {}
    try:
        for address in ("/admin-parametres", "/admin-invitations", "/admin-comptes", "/admin-activite", "/",
                        "/comparer?comparer=region:16&comparer=region:06"):
            _open(page, base, address)
            if address == "/admin-comptes":  # the hint under a field appears while typing
                page.locator("[data-testid=stForm] input[type=text]").first.type("a")
                page.locator("[data-testid=InputInstructions]").first.wait_for()
            if address == "/admin-activite":  # the calendar of a date field
                page.locator("[data-testid=stDateInputCalendarButton]").first.click()
                page.locator("[role=dialog] [role=grid]").first.wait_for()
            assert page.evaluate("document.documentElement.lang") == "fr-CA", address
            english = english_of_streamlit(page.evaluate(SHOWN_TEXTS))
            if english:
                found[address] = english
        assert not found, found
        # a file the uploader refuses by itself, in the browser: Streamlit's own message, in French
        _open(page, base, "/admin-invitations")
        page.get_by_role("tab").nth(1).click()
        page.locator("[data-testid=stFileUploader] input[type=file]").first.set_input_files(
            files=[{"name": "carte.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}])
        page.get_by_text(labels.t("streamlit_file_type", "fr").split("} ")[1]).first.wait_for()
        assert not english_of_streamlit(page.evaluate(SHOWN_TEXTS))
        _open(page, base, "/admin-parametres")
        uploader = page.locator("[data-testid=stFileUploader]").first
        assert labels.t("streamlit_upload", "fr") in uploader.inner_text()
        page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
        page.wait_for_function("document.documentElement.lang === 'en-CA'")
        _settle(page)
        assert "Upload" in uploader.inner_text().split("\n") and "per file" in uploader.inner_text()
        page.locator("[data-testid=stSidebar]").get_by_text("Français", exact=True).click()
        page.wait_for_function("document.documentElement.lang === 'fr-CA'")
        page.get_by_role("heading", name=labels.t("settings_title", "fr"), exact=True).wait_for()
        english = english_of_streamlit(page.evaluate(SHOWN_TEXTS))
        for _ in range(30):  # the page's own texts turn French as its run goes on, on a busy machine over seconds
            if not english:
                break
            page.wait_for_timeout(1000)
            _settle(page)
            english = english_of_streamlit(page.evaluate(SHOWN_TEXTS))
        assert not english
        assert "Upload" not in uploader.inner_text().split("\n")
    finally:
        context.close()


def test_a_visitor_is_told_in_french_when_the_server_stops(browser, small_db, tmp_path):
    """While the server restarts (a deployment), Streamlit shows its own dialog: in the French interface it is in
    French, not "Connection error — Streamlit server is not responding"."""
    page = browser.new_page()
    try:
        with serve(small_db, tmp_path) as base:
            page.goto(f"{base}/methodologie")
            page.get_by_role("heading", name=labels.t("methodology_title", "fr"), exact=True).wait_for(
                timeout=TIMEOUT_MS)
            _settle(page)
        dialog = page.locator("[role=dialog]")
        dialog.first.wait_for(timeout=TIMEOUT_MS)
        page.get_by_text(labels.t("streamlit_not_responding", "fr")).first.wait_for()
        text = dialog.first.inner_text()
        assert labels.t("streamlit_connection_error", "fr") in text
        assert not english_of_streamlit(page.evaluate(SHOWN_TEXTS))
    finally:
        page.close()
