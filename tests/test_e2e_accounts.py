"""End to end in Debian's Chromium: log in, reload (still logged in: the cookie), an enterprise uploads a corrected
file (problems table, then preview, confirm, receipt), an anonymous visitor typing an admin address gets nothing,
logout (and it survives a reload too)."""

from __future__ import annotations

import re

import pytest
from conftest import (
    COOP_EMAIL,
    COOP_NEQ,
    PASSWORD,
    SETTLED,
    SHOWN_TEXTS,
    english_of_streamlit,
    serve_small_with_enterprise,
    write_small_xlsx,
)
from openpyxl import load_workbook

from ess_impact import labels
from ess_impact.store import db

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory):
    with serve_small_with_enterprise(tmp_path_factory, "accounts") as served:
        yield served


def _settle(page) -> None:
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


def _login(page, base) -> None:
    page.goto(f"{base}/connexion")
    page.get_by_label(labels.t("login_email", "fr")).fill(COOP_EMAIL)
    page.get_by_label(labels.t("login_password", "fr"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=labels.t("login_submit", "fr")).click()
    page.get_by_text(labels.t("logged_in_as", "fr", email=COOP_EMAIL)).wait_for(timeout=TIMEOUT_MS)


def _session_cookie(context):
    return next((c for c in context.cookies() if c["name"] == "ess_session"), None)


def test_login_reload_upload_logout(browser, accounts_server, artifacts):
    base, path, folder = accounts_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _login(page, base)
        page.wait_for_function("() => document.cookie.includes('ess_session=')", timeout=TIMEOUT_MS)
        cookie = _session_cookie(context)
        assert cookie and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        assert cookie["value"] not in page.url

        page.reload()
        page.get_by_text(labels.t("logged_in_as", "fr", email=COOP_EMAIL)).wait_for(timeout=TIMEOUT_MS)
        page.goto(f"{base}/mes-donnees")
        page.get_by_role("heading", name=labels.t("my_data_title", "fr")).wait_for(timeout=TIMEOUT_MS)
        # Beside its sector: too few enterprises of the sector in the small data set, so every median is withheld
        page.get_by_text(labels.t("peers_heading", "fr")).wait_for(timeout=TIMEOUT_MS)
        page.get_by_text(labels.t("peers_note", "fr", sector="Habitation", year=2024, min_count=5)).wait_for(
            timeout=TIMEOUT_MS)
        assert not english_of_streamlit(page.evaluate(SHOWN_TEXTS))  # Streamlit's own texts too, in French

        # Upload: a file with an error first, then its corrected version.
        book = load_workbook(write_small_xlsx(folder / "mine.xlsx"))
        sheet = book.active
        for row in range(sheet.max_row, 1, -1):
            if sheet.cell(row=row, column=1).value != COOP_NEQ:
                sheet.delete_rows(row)
        sheet["G3"] = "beaucoup"
        book.save(folder / "erreur.xlsx")
        sheet["G3"] = 7
        book.save(folder / "corrige.xlsx")
        page.goto(f"{base}/televerser")
        page.get_by_role("heading", name=labels.t("upload_title", "fr")).wait_for(timeout=TIMEOUT_MS)
        page.locator('input[type="file"]').set_input_files(str(folder / "erreur.xlsx"))
        page.get_by_text(labels.t("upload_errors_block", "fr")).wait_for(timeout=TIMEOUT_MS)
        page.get_by_role("button", name=labels.t("upload_marked_copy", "fr")).wait_for()
        _settle(page)
        page.wait_for_timeout(1000)  # the problems table (a canvas) is drawn
        page.screenshot(path=str(artifacts / "upload-errors-fr-desktop.png"), full_page=True)
        assert not english_of_streamlit(page.evaluate(SHOWN_TEXTS))  # e.g. the chosen file's size: "5,1 ko"
        page.locator('input[type="file"]').set_input_files(str(folder / "corrige.xlsx"))
        confirm = page.get_by_role("button", name=labels.t("upload_confirm", "fr"))
        confirm.wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=str(artifacts / "upload-preview-fr-desktop.png"), full_page=True)
        assert not english_of_streamlit(page.evaluate(SHOWN_TEXTS))
        confirm.click()
        page.get_by_text(re.compile("^Reçu : ")).wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=str(artifacts / "upload-receipt-fr-desktop.png"), full_page=True)
        with db.connect(path) as con:
            stored = db.first(con, "SELECT jobs_full_time FROM annual_figures WHERE neq = ? AND year = 2024",
                              [COOP_NEQ])
            actor = db.first(con, "SELECT actor, channel FROM imports ORDER BY id DESC LIMIT 1")
        assert stored == (7,) and actor == (COOP_EMAIL, "app")

        page.get_by_role("button", name=labels.t("logout", "fr")).click()
        page.get_by_role("link", name=labels.t("nav_login", "fr")).wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function("() => !document.cookie.includes('ess_session=')", timeout=TIMEOUT_MS)
        page.reload()
        _settle(page)
        assert page.get_by_text(labels.t("logged_in_as", "fr", email=COOP_EMAIL)).count() == 0
        with db.connect(path) as con:
            assert db.first(con, "SELECT count(*) FROM sessions")[0] == 0
    finally:
        context.close()


def test_anonymous_typing_an_admin_address_gets_nothing(browser, accounts_server):
    base, _, _ = accounts_server
    context = browser.new_context()
    page = context.new_page()
    try:
        for address in ("/admin-comptes", "/admin-journal", "/televerser", "/mes-donnees"):
            page.goto(base + address)
            _settle(page)
            page.wait_for_timeout(500)
            body = page.locator("body").inner_text()
            assert COOP_EMAIL not in body and COOP_NEQ not in body, address
            for key in ("accounts_title", "nav_admin_log", "upload_title", "my_data_title"):
                assert page.get_by_role("heading", name=labels.t(key, "fr")).count() == 0, (address, key)
    finally:
        context.close()
