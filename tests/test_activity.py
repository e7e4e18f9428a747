"""The activity log (issue 15): imports, corrections, merges, undos, settings, status changes, accounts and logins
(failed ones included) in one log, read by region, exported as CSV from the core and the CLI, kept per the retention
setting; and the pages that carry it (Journal d'activité, Invitations, Accès)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ess_impact import registry, settings_admin, sql
from ess_impact.store import activity, auth, db, history, links

PASSWORD = "Érable-en-fleur-2026"
PROVINCIAL = auth.system("direction@quebec.example")
ERABLES, FANAL = "1170000001", "1170000008"


@pytest.fixture
def world(small_db):
    with db.connect(small_db) as con:
        monteregie = auth.add_account(con, auth.SYSTEM, "pole@monteregie.example", "admin", PASSWORD, regions=["16"])
        montreal = auth.add_account(con, auth.SYSTEM, "pole@montreal.example", "admin", PASSWORD, regions=["06"])
        yield con, monteregie, montreal


def _actions(frame) -> list[tuple[str, str]]:
    return list(zip(frame["actor"], frame["action"]))


def test_one_log_across_every_journal(world):
    con, monteregie, montreal = world
    rows = con.execute(sql.load("stored_figures"), [[ERABLES]]).df().assign(source_row=None, jobs_full_time=30)
    (own,) = history.write_imports(con, [("16.xlsx", "c" * 64, rows)], monteregie, "app")
    edit = registry.edit(con, monteregie, ERABLES, {"name": "Coop Les Érables"})
    history.undo_import(con, monteregie, edit.import_id)
    registry.set_active(con, monteregie, ERABLES, False, "Fermée")
    settings_admin.set_setting(con, PROVINCIAL, "fte_basis_hours", 1900)
    with pytest.raises(auth.LoginFailed):
        auth.authenticate(con, montreal.email, "pas le bon", client="10.1.2.3")
    auth.open_session(con, auth.authenticate(con, montreal.email, PASSWORD))
    links.invite(con, monteregie, "1170000002", "rang@centre.example")
    log = activity.read(con, PROVINCIAL)
    found = set(_actions(log))
    for expected in [(monteregie.email, "import"), (monteregie.email, "correction"), (monteregie.email, "undo"),
                     (monteregie.email, "deactivate"), (PROVINCIAL.email, "setting"), (montreal.email, "login_failed"),
                     (montreal.email, "login"), (monteregie.email, "invitation"), (auth.SYSTEM.email, "account_add"),
                     ("pytest", "import")]:
        assert expected in found, expected
    assert log["happened_at"].is_monotonic_decreasing
    failed = log[log["action"] == "login_failed"].iloc[0]
    assert failed["target"] == "10.1.2.3"
    setting = log[log["action"] == "setting"].iloc[0]
    assert (setting["target"], setting["detail"]) == ("fte_basis_hours", "1820 → 1900")
    assert str(own.import_id) in log[log["target"] == "16.xlsx"].iloc[0]["detail"]
    # a regional admin: its regions' events and its own actions; Montréal's login is not Montérégie's business
    mine = activity.read(con, monteregie)
    assert set(mine["action"]) == {"import", "correction", "undo", "deactivate", "invitation"}
    assert "pytest" not in set(mine["actor"])  # the provincial survey touched Montréal too
    theirs = activity.read(con, montreal)
    assert set(_actions(theirs)) == {(montreal.email, "login_failed"), (montreal.email, "login")}
    for actor in (None, auth.Account("c@coop.example", auth.ENTREPRISE, (ERABLES,))):
        with pytest.raises(auth.Forbidden):
            activity.read(con, actor)
    between = activity.read(con, PROVINCIAL, datetime.now() + timedelta(days=1))
    assert between.empty


def test_export_and_retention(world):
    con, monteregie, _ = world
    old = datetime.now() - timedelta(days=800)
    with pytest.raises(auth.LoginFailed):
        auth.authenticate(con, monteregie.email, "pas le bon", now=old)
    text = activity.csv_bytes(activity.read(con, PROVINCIAL), "fr").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Quand", "Qui", "Quoi", "Sur", "Détails", "Région"]
    assert ["Connexion refusée"] == [r[2] for r in rows[1:] if r[1] == monteregie.email and "refus" in r[2]]
    # details and region in the reader's words: the regional account's creation, not 'admin region=16' and '16'
    created = next(r for r in rows[1:] if r[2] == "Compte créé" and r[3] == monteregie.email)
    assert created[4] == "administrateur région : Montérégie" and "=" not in created[4]
    assert activity.detail_text("neq=1170000003", "en") == "NEQ 1170000003"
    assert activity.detail_text("1820 → 1900", "en") == "1820 → 1900"
    settings_admin.set_setting(con, PROVINCIAL, "activity_retention_days", 365)
    imports_before = con.execute("SELECT count(*) FROM imports").fetchone()[0]
    auth.open_session(con, auth.authenticate(con, monteregie.email, PASSWORD))  # a session opens: the purge runs
    log = activity.read(con, PROVINCIAL)
    assert (monteregie.email, "login_failed") not in set(_actions(log))
    assert (monteregie.email, "login") in set(_actions(log))
    assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == imports_before  # imports are never purged
    assert activity.purge(con) == 0


def test_cli_activity_export(small_db, tmp_path):
    exe = str(Path(sys.executable).parent / "ess-impact")
    out = tmp_path / "journal.csv"
    done = subprocess.run([exe, "activity", "--since", "2000-01-01", "--out", str(out), "--db", str(small_db)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Quand" and any(r[1] == "pytest" and r[2] == "Envoi de données" for r in rows[1:])


# ------------------------------------------------------------------------------------------------------- pages
def test_pages_activity_invitations_and_access(world, small_db, monkeypatch):
    from conftest import APP, app_clean, app_login, app_page
    from streamlit.testing.v1 import AppTest

    con, monteregie, _ = world
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db))
    monkeypatch.setenv("ESS_IMPACT_BASE_URL", "https://impact.example")
    monkeypatch.delenv("ESS_IMPACT_SMTP_HOST", raising=False)
    auth.set_password(con, auth.SYSTEM, monteregie.email, "un mot de passe assez long")
    at = app_login(monteregie.email)
    app_page(at, "ess_impact/web/admin/activity.py")
    shown = at.dataframe[0].value
    assert "Connexion" in set(shown["Quoi"]) and set(shown["Qui"]) == {monteregie.email}
    app_page(at, "ess_impact/web/admin/invitations.py")
    listed = at.dataframe[0].value
    assert len(listed) == 6 and set(listed["Région"]) == {"16"}
    at.text_input(key="invite_reset_email").set_value("pole@montreal.example")
    at.button(key="FormSubmitter:reset_link-Créer un lien de réinitialisation").click().run()
    app_clean(at)
    assert [e.value for e in at.error] == ["Réservé aux administrateurs provinciaux (paramètres, taux, comptes)."]
    # the public side: a link opens the password form; a reset request says the same for any e-mail
    link = links.invite(con, monteregie, ERABLES, "coop@erables.example")
    page = AppTest.from_file(APP, default_timeout=60)
    page.query_params["jeton"] = link.token
    page.run(timeout=180)
    app_clean(page)
    page.switch_page("ess_impact/web/public/access.py").run()
    app_clean(page)
    assert any("coop@erables.example" in c.value for c in page.caption)
    page.text_input(key="access_password").set_value("choisi par la coop")
    page.text_input(key="access_again").set_value("choisi par la coop")
    page.button[0].click().run()
    app_clean(page)
    assert [s.value for s in page.success] == ["Mot de passe enregistré. Vous pouvez maintenant vous connecter."]
    assert auth.authenticate(con, "coop@erables.example", "choisi par la coop").neqs == (ERABLES,)
    answers = []
    for email in ("coop@erables.example", "personne@nulle-part.example"):
        anonymous = AppTest.from_file(APP, default_timeout=60)
        anonymous.run(timeout=180)
        anonymous.switch_page("ess_impact/web/public/access.py").run()
        anonymous.text_input(key="forgot_email").set_value(email)
        anonymous.button(key="FormSubmitter:forgot-Recevoir un lien").click().run()
        app_clean(anonymous)
        answers.append([s.value for s in anonymous.success])
    assert answers[0] == answers[1] and answers[0]
