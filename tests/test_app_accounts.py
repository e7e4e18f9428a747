"""The app with accounts (AppTest): an anonymous visitor gets no enterprise or admin page and no enterprise-level
data; a wrong password gets the generic message; an enterprise account sees its pages only; an admin sees the admin
pages; the cookie resolves to the account (and a closed session to nobody); logout."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import ADMIN_EMAIL, APP, COOP_EMAIL, COOP_NEQ, PASSWORD
from conftest import app_clean as _clean
from conftest import app_login as _login
from conftest import app_page as _on_page
from streamlit.testing.v1 import AppTest

from ess_impact import labels
from ess_impact.store import auth, db, demo, history
from ess_impact.web import ui

ENTERPRISE_PAGES = ["ess_impact/web/enterprise/upload.py", "ess_impact/web/enterprise/my_data.py"]
ADMIN_PAGES = ["ess_impact/web/admin/import.py", "ess_impact/web/admin/log.py", "ess_impact/web/admin/accounts.py",
               "ess_impact/web/admin/registry.py", "ess_impact/web/admin/completeness.py", "ess_impact/web/admin/settings.py"]


@pytest.fixture
def accounts_db(small_db, monkeypatch):
    with db.connect(small_db) as con:
        auth.add_account(con, auth.SYSTEM, ADMIN_EMAIL, auth.ADMIN, PASSWORD)
        auth.add_account(con, auth.SYSTEM, COOP_EMAIL, auth.ENTREPRISE, PASSWORD, [COOP_NEQ])
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db))
    return small_db


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "error", "info", "success")
             for e in getattr(at, kind)]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def _not_registered(at: AppTest, page: str) -> None:
    """The page was not handed to st.navigation for this visitor: it does not exist (a typed URL gets the default
    page with "Page not found")."""
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)


def test_anonymous_gets_no_enterprise_or_admin_page(accounts_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run(timeout=180)
    _clean(at)
    for page in ENTERPRISE_PAGES + ADMIN_PAGES:
        _not_registered(at, page)
    for page in ("ess_impact/web/public/overview.py", "ess_impact/web/public/login.py"):
        text = _texts(_on_page(at, page))
        assert COOP_NEQ not in text and COOP_EMAIL not in text and ADMIN_EMAIL not in text, page
        assert not at.get("file_uploader"), page


def test_wrong_password_gets_the_generic_message(accounts_db):
    at = _login(COOP_EMAIL, "pas le bon mot de passe")
    assert [e.value for e in at.error] == [labels.t("login_failed", "fr")]
    at = _login("inconnu@example.org", "pas le bon mot de passe")
    assert [e.value for e in at.error] == [labels.t("login_failed", "fr")]
    assert ui.current_account.__doc__  # the pages read the account resolved by app.py


def test_enterprise_account_sees_its_pages_only(accounts_db):
    at = _login(COOP_EMAIL)
    assert labels.t("logged_in_as", "fr", email=COOP_EMAIL) in " ".join(c.value for c in at.sidebar.caption)
    _on_page(at, "ess_impact/web/enterprise/my_data.py")
    assert [t.value for t in at.title] == [labels.t("my_data_title", "fr")]
    text = _texts(at)
    assert COOP_NEQ in text and "1170000002" not in text  # its own figures, not another's
    _on_page(at, "ess_impact/web/enterprise/upload.py")
    assert [t.value for t in at.title] == [labels.t("upload_title", "fr")]
    assert at.get("file_uploader")
    for page in ADMIN_PAGES:
        _not_registered(at, page)


def test_admin_sees_admin_pages_and_logout_ends_it(accounts_db):
    at = _login(ADMIN_EMAIL)
    _on_page(at, "ess_impact/web/admin/accounts.py")
    assert [t.value for t in at.title] == [labels.t("accounts_title", "fr")]
    assert {COOP_EMAIL, ADMIN_EMAIL} <= set(at.dataframe[0].value.iloc[:, 0])
    _on_page(at, "ess_impact/web/admin/log.py")
    assert [t.value for t in at.title] == [labels.t("nav_admin_log", "fr")]
    assert len(at.dataframe[0].value) == 1  # the import made by the fixture
    _on_page(at, "ess_impact/web/admin/import.py")
    assert at.get("file_uploader")
    at.sidebar.button(key="logout").click().run()
    _clean(at)
    for page in ADMIN_PAGES:
        _not_registered(at, page)
    assert labels.t("nav_login", "fr") in _texts(_on_page(at, "ess_impact/web/public/login.py"))
    with db.connect(accounts_db) as con:
        assert db.first(con, "SELECT count(*) FROM sessions")[0] == 0


def test_admin_relinks_an_enterprise_account(accounts_db):
    at = _on_page(_login(ADMIN_EMAIL), "ess_impact/web/admin/accounts.py")
    at.selectbox(key="neqs_who").set_value(COOP_EMAIL)
    at.text_input(key="neqs_list").set_value("1170000002, 1170000001")
    at.button(key="neqs_save").click().run()
    _clean(at)
    assert [s.value for s in at.success] == [labels.t("accounts_set_neqs_done", "fr", email=COOP_EMAIL,
                                                      neqs="1170000002, 1170000001")]
    with db.connect(accounts_db) as con:
        assert auth.authenticate(con, COOP_EMAIL, PASSWORD).neqs == ("1170000001", "1170000002")


def test_cookie_resolves_to_the_account(accounts_db):
    with db.connect(accounts_db) as con:
        coop = auth.authenticate(con, COOP_EMAIL, PASSWORD)
        token = auth.open_session(con, coop)
        assert ui.account_from({ui.SESSION_COOKIE: token}, {}, con) == coop
        assert ui.account_from({}, {}, con) is None
        assert ui.account_from({ui.SESSION_COOKIE: "forged"}, {}, con) is None
        assert ui.account_from({ui.SESSION_COOKIE: token}, {"_logged_out": True}, con) is None
        idle = auth.idle_minutes(con)
        later = datetime.now().replace(microsecond=0)
        from datetime import timedelta
        assert ui.account_from({ui.SESSION_COOKIE: token}, {}, con, later + timedelta(minutes=idle + 1)) is None
        assert ui.account_from({ui.SESSION_COOKIE: token}, {}, con) is None  # expired sessions stay closed


def test_admin_undoes_a_submission_from_the_log(accounts_db):
    with db.connect(accounts_db) as con:
        before = con.execute("SELECT * FROM annual_figures ORDER BY ALL").fetchall()
        (imported,) = con.execute("SELECT id FROM imports").fetchone()
    at = _login(ADMIN_EMAIL)
    _on_page(at, "ess_impact/web/admin/log.py")
    at.selectbox[0].select(imported)
    at.checkbox[0].check()
    at.button[0].click().run()
    _clean(at)
    assert [s.value for s in at.success] == [
        f"Envoi n° {imported} annulé (annulation n° {imported + 1}) : {len(before)} lignes retirées, 0 ligne remise à "
        "sa version précédente."]
    log = at.dataframe[0].value
    assert len(log) == 2 and labels.t("log_undoes", "fr", id=imported) in set(log.iloc[:, -1])
    with db.connect(accounts_db) as con:
        assert db.first(con, "SELECT count(*) FROM annual_figures")[0] == 0


def test_identity_provider_email_maps_to_an_active_account_only(accounts_db):
    """What st.login's confirmed e-mail opens (ui.account with [auth] configured): an active account, else nothing."""
    with db.connect(accounts_db) as con:
        assert auth.account_for_email(con, " Coop@Example.org ") == auth.Account(COOP_EMAIL, auth.ENTREPRISE,
                                                                                 (COOP_NEQ,))
        assert auth.account_for_email(con, "stranger@example.org") is None
        assert auth.account_for_email(con, None) is None
        auth.disable_account(con, auth.SYSTEM, COOP_EMAIL)
        assert auth.account_for_email(con, COOP_EMAIL) is None


def test_identity_provider_button_when_configured(accounts_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "id", "client_secret": "secret",
                          "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
    at.run(timeout=180)
    _on_page(at, "ess_impact/web/public/login.py")
    labels_shown = [b.label for b in at.button]
    assert labels.t("login_oidc", "fr") in labels_shown
    [b for b in at.button if b.label == labels.t("login_oidc", "fr")][0].click().run()
    _clean(at)  # without Authlib, or without a reachable provider: a message, not a traceback


def test_on_demo_data_uploads_wait_for_the_admins_explicit_switch(tmp_path, monkeypatch):
    """Issue 16: an enterprise's upload can no longer replace the demo data; the admin switches, confirmed."""
    path = tmp_path / "demo.duckdb"
    with db.connect(path) as con:
        frame = demo.generate(seed=3).assign(sheet="demo", source_row=None)
        frame = frame[frame["neq"].isin(frame["neq"].unique()[:40])]
        history.write_imports(con, [("demo", "d" * 64, frame)], auth.system("demo"), "demo", is_demo=True)
        auth.add_account(con, auth.SYSTEM, ADMIN_EMAIL, auth.ADMIN, PASSWORD)
        auth.add_account(con, auth.SYSTEM, COOP_EMAIL, auth.ENTREPRISE, PASSWORD, [frame["neq"].iloc[0]])
    monkeypatch.setenv("ESS_IMPACT_DB", str(path))
    at = _on_page(_login(COOP_EMAIL), "ess_impact/web/enterprise/upload.py")
    assert labels.t("demo_in_force", "fr") in [i.value for i in at.info] and not at.get("file_uploader")
    at = _on_page(_login(ADMIN_EMAIL), "ess_impact/web/admin/import.py")
    assert labels.t("real_data_title", "fr") in [s.value for s in at.subheader] and not at.get("file_uploader")
    at.button(key="real_data_submit").click().run()  # not confirmed: nothing happens
    with db.connect(path) as con:
        assert db.is_demo(con)
    at.checkbox(key="real_data_sure").check()
    at.button(key="real_data_submit").click().run()
    _clean(at)
    assert any(labels.t("real_data_done", "fr", figures="", enterprises="").split(":")[0] in s.value for s in at.success)
    assert at.get("file_uploader")
    with db.connect(path) as con:
        assert not db.is_demo(con) and history.demo_retired(con) and history.load_demo(con) is None
