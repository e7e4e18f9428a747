"""End to end in Debian's Chromium, as an attacker with an enterprise account: an upload of the .xlsx that used to
kill the server (SIGABRT in python-calamine) gets a French refusal and the server goes on serving pages; a name such
as `=cmd|' /C calc'!A0` cannot leave through the table toolbar of Streamlit (no CSV download, no copy) and shows
neutralised on screen."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import (
    COOP_EMAIL,
    COOP_NEQ,
    PASSWORD,
    SETTLED,
    serve_small_with_enterprise,
)
from openpyxl import Workbook

from ess_impact import labels
from ess_impact.fields import FIELDS
from ess_impact.store import auth, db

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 120_000
FORMULA_NAME = "=cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def security_server(tmp_path_factory):
    with serve_small_with_enterprise(tmp_path_factory, "security") as served:
        yield served


def _settle(page) -> None:
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


def _context(browser, base, path):
    with db.connect(path) as con:
        token = auth.open_session(con, auth.authenticate(con, COOP_EMAIL, PASSWORD))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  permissions=["clipboard-read", "clipboard-write"])
    context.add_cookies([{"name": "ess_session", "value": token, "url": base}])
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _upper_folder_far_cell(path) -> None:
    """The .xlsx of issue 12: parts under `XL/` (named so in `_rels/.rels`) and one cell in XFD1048576."""
    book = Workbook()
    book.active["A1"], book.active["XFD1048576"] = "NEQ", 1
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            body = old.read(item.filename)
            if item.filename == "_rels/.rels":
                body = body.replace(b'Target="xl/', b'Target="XL/')
            name = "XL/" + item.filename[3:] if item.filename.startswith("xl/") else item.filename
            new.writestr(name, body)


def _upload(page, base, file) -> None:
    page.goto(f"{base}/televerser")
    page.get_by_role("heading", name=labels.t("upload_title", "fr")).wait_for(timeout=TIMEOUT_MS)
    page.locator('input[type="file"]').set_input_files(str(file))


def test_a_hostile_upload_is_refused_and_the_server_keeps_serving(browser, security_server):
    base, path, folder = security_server
    hostile = folder / "majuscules.xlsx"
    _upper_folder_far_cell(hostile)
    context = _context(browser, base, path)
    page = context.new_page()
    try:
        _upload(page, base, hostile)
        page.get_by_text(labels.t("upload_errors_block", "fr")).wait_for(timeout=TIMEOUT_MS)
        _settle(page)
        assert page.locator("[data-testid=stException]").count() == 0
        # the server is still up: another page loads, for this visitor and for a new one
        page.goto(f"{base}/mes-donnees")
        page.get_by_role("heading", name=labels.t("my_data_title", "fr")).wait_for(timeout=TIMEOUT_MS)
        other = browser.new_page()
        try:
            other.goto(base)
            _settle(other)
            assert other.locator("[data-testid=stException]").count() == 0
        finally:
            other.close()
        with db.connect(path) as con:
            assert db.first(con, "SELECT count(*) FROM imports WHERE actor = ?", [COOP_EMAIL])[0] == 0
    finally:
        context.close()


def test_the_table_toolbar_cannot_carry_formula_text(browser, security_server):
    """The preview of an upload shows the enterprise's name: the toolbar over the table offers no CSV download, and
    the name on screen starts with an apostrophe."""
    base, path, folder = security_server
    row = [COOP_NEQ, FORMULA_NAME, "Coopérative", "Agroalimentaire", "54", "2024", "3", "2", "", "", "250000", "", "",
           "", "0", ""]
    (folder / "formule.csv").write_text(";".join(f.header_fr for f in FIELDS) + "\n" + ";".join(row) + "\n",
                                        encoding="utf-8")
    context = _context(browser, base, path)
    page = context.new_page()
    try:
        _upload(page, base, folder / "formule.csv")
        page.get_by_role("button", name=labels.t("upload_confirm", "fr")).wait_for(timeout=TIMEOUT_MS)
        _settle(page)
        frame = page.locator('[data-testid="stDataFrame"]').last
        frame.hover()
        toolbar = page.locator('[data-testid="stElementToolbar"]').last
        toolbar.wait_for(state="visible", timeout=TIMEOUT_MS)
        buttons = toolbar.locator("button")
        names = [(buttons.nth(i).get_attribute("aria-label") or buttons.nth(i).inner_text())
                 for i in range(buttons.count())]
        assert names, "the toolbar shows its other buttons (search, full screen)"
        assert not any("download" in n.lower() or "csv" in n.lower() or "télécharg" in n.lower() for n in names), \
            names
        # the grid's accessible copy of its cells (the canvas draws the same text)
        # The grid is a canvas: select its cells and copy them. Copy is off too (client.disableDataExport), and the
        # text the page sent is neutralised (ui.safe_frame): the clipboard never gets the formula.
        page.evaluate("navigator.clipboard.writeText('sentinelle')")
        grid = frame.locator('[data-testid="data-grid-canvas"]').first
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 40, box["y"] + box["height"] - 15)  # a cell of the data row
        page.keyboard.press("Control+a")
        page.keyboard.press("Control+c")
        page.wait_for_timeout(500)
        copied = page.evaluate("navigator.clipboard.readText()")
        assert "=cmd|" not in copied.replace("'=cmd|", ""), copied
    finally:
        context.close()


def test_the_session_cookie_is_secure_over_https(browser):
    """The script that writes the session cookie (ui._cookie_script) adds `Secure` when the page is served over HTTPS
    (as behind the TLS reverse proxy), not over plain HTTP (local use)."""
    from ess_impact.web import ui

    context = browser.new_context()
    page = context.new_page()
    try:
        body = f"<html><body>{ui._cookie_script('jeton', 600)}</body></html>"
        for scheme in ("https", "http"):
            page.route(f"{scheme}://ess.example/**",
                       lambda route: route.fulfill(status=200, content_type="text/html", body=body))
            page.goto(f"{scheme}://ess.example/")
            page.wait_for_function("() => document.cookie.includes('ess_session=jeton')")
            cookie = next(c for c in context.cookies(f"{scheme}://ess.example/") if c["name"] == "ess_session")
            assert cookie["secure"] is (scheme == "https") and cookie["sameSite"] == "Strict"
            assert cookie["httpOnly"] is False  # written by a script: see ui.py and docs/security.md
            context.clear_cookies()
    finally:
        context.close()
