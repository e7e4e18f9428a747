"""Accounts, roles and authorization in the core: argon2 hashes, one login message, lockout, sessions that survive a
reload and expire when idle, enterprise accounts confined to their own NEQs (writing and reading), the `user` CLI."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from argon2 import PasswordHasher
from conftest import SMALL_ENTERPRISES, SMALL_HEADERS
from openpyxl import Workbook

from ess_impact import cli
from ess_impact.fields import FIELDS
from ess_impact.intake import importer
from ess_impact.store import auth, db, history

EXE = str(Path(sys.executable).parent / "ess-impact")
T0 = datetime(2026, 3, 2, 9, 0, 0)
PASSWORD = "Érable-en-fleur-2026"
OWN, OTHER = "1170000001", "1170000002"
DATA_TABLES = ["annual_figures", "annual_figures_history", "imports", "enterprises"]


@pytest.fixture
def con(tmp_path):
    with db.connect(tmp_path / "auth.duckdb") as connection:
        yield connection


@pytest.fixture
def admin(con) -> auth.Account:
    return auth.add_account(con, auth.SYSTEM, "Direction@Pole-ES.qc.ca", "admin", PASSWORD, now=T0)


@pytest.fixture
def coop(con) -> auth.Account:
    return auth.add_account(con, auth.SYSTEM, "coop@erables.qc.ca", "entreprise", PASSWORD, [OWN], now=T0)


def _failure(con, email, password, now) -> auth.LoginFailed:
    with pytest.raises(auth.LoginFailed) as caught:
        auth.authenticate(con, email, password, now)
    return caught.value


def _snapshot(con) -> dict[str, list]:
    return {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in DATA_TABLES}


def _write_xlsx(path: Path, neqs: list[str], year: int = 2024, revenue_factor: float = 1.0) -> Path:
    """A file like an enterprise would send: the small test enterprises given, with their revenue scaled."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(SMALL_HEADERS)
    for neq, name, form, sector, mrc, ft, pt, revenue, hours in SMALL_ENTERPRISES:
        if neq in neqs:
            sheet.append([neq, name, form, sector, mrc, year, ft, pt, round(revenue * revenue_factor), hours])
    book.save(path)
    return path


# --------------------------------------------------------------------------------------------------- accounts
def test_a_fresh_database_has_no_account_and_no_default_password(con):
    assert db.first(con, "SELECT count(*) FROM accounts")[0] == 0
    assert auth.list_accounts(con, auth.SYSTEM).empty
    for email, password in [("admin", "admin"), ("admin@localhost", "admin"), ("", "")]:
        assert _failure(con, email, password, T0).key == "login_failed"


def test_password_is_hashed_with_argon2id_never_stored(con, admin):
    assert admin == auth.Account("direction@pole-es.qc.ca", "admin", ())  # stored lower-case
    (stored,) = db.first(con, "SELECT password_hash FROM accounts WHERE email = ?", [admin.email])
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD)
    other = auth.add_account(con, admin, "autre@pole-es.qc.ca", "admin", PASSWORD, now=T0)
    assert db.first(con, "SELECT password_hash FROM accounts WHERE email = ?", [other.email])[0] != stored  # salted
    assert auth.authenticate(con, " DIRECTION@pole-es.qc.ca ", PASSWORD, T0) == admin


def test_wrong_password_unknown_email_and_disabled_account_look_the_same(con, admin, coop, monkeypatch):
    verified = []
    real_verify = auth._verify
    monkeypatch.setattr(auth, "_verify", lambda h, p: verified.append(h) or real_verify(h, p))
    wrong = _failure(con, admin.email, PASSWORD + "x", T0)
    unknown = _failure(con, "personne@pole-es.qc.ca", PASSWORD, T0)
    auth.disable_account(con, admin, coop.email)
    disabled = _failure(con, coop.email, PASSWORD, T0)
    for lang in ("fr", "en"):
        assert wrong.message(lang) == unknown.message(lang) == disabled.message(lang)
    assert wrong.message() == "Courriel ou mot de passe incorrect."
    assert len(verified) == 3  # a hash verification is spent on the unknown e-mail too (no timing leak)


def test_add_account_checks_its_input(con, admin):
    cases = [
        (("pas-un-courriel", "admin", PASSWORD, ()), "account_bad_email"),
        (("a@b.ca", "superuser", PASSWORD, ()), "account_bad_role"),
        (("a@b.ca", "entreprise", PASSWORD, ()), "account_needs_neq"),
        (("a@b.ca", "entreprise", PASSWORD, ["114123"]), "neq_format"),
        (("a@b.ca", "admin", PASSWORD, [OWN]), "account_admin_neq"),
        (("a@b.ca", "admin", "x" * 11, ()), "account_short_password"),
        (("DIRECTION@pole-es.qc.ca", "admin", PASSWORD, ()), "account_exists"),
    ]
    for args, key in cases:
        with pytest.raises(auth.InvalidAccount) as caught:
            auth.add_account(con, admin, *args)
        assert caught.value.key == key, args
        assert caught.value.message("fr") != caught.value.message("en")
    assert auth.list_accounts(con, admin)["email"].tolist() == [admin.email]  # nothing was added
    group = auth.add_account(con, admin, "groupe@coop.ca", "entreprise", "x" * 12, ["1170 000 002", OWN, OWN])
    assert group.neqs == (OWN, OTHER)


def test_only_an_admin_manages_accounts(con, admin, coop):
    for actor in (coop, None):
        with pytest.raises(auth.Forbidden):
            auth.add_account(con, actor, "nouveau@coop.ca", "admin", PASSWORD)
        with pytest.raises(auth.Forbidden):
            auth.list_accounts(con, actor)
        with pytest.raises(auth.Forbidden):
            auth.disable_account(con, actor, admin.email)
        with pytest.raises(auth.Forbidden):
            auth.set_password(con, actor, admin.email, "nouveau-mot-de-passe")
    assert auth.list_accounts(con, admin)["email"].tolist() == [admin.email, coop.email]
    with pytest.raises(auth.Forbidden) as caught:
        auth.list_accounts(con, coop)
    assert caught.value.message("en") == "Reserved for the hub's administrators."


def test_password_reset_by_admin_and_change_of_ones_own(con, admin, coop):
    token = auth.open_session(con, coop, T0)
    auth.set_password(con, admin, coop.email, "remis-par-le-pole")
    assert auth.resume_session(con, token, T0) is None  # a reset ends the open sessions
    assert _failure(con, coop.email, PASSWORD, T0).key == "login_failed"
    assert auth.authenticate(con, coop.email, "remis-par-le-pole", T0) == coop
    auth.set_password(con, coop, coop.email, "choisi-par-la-coop")
    assert auth.authenticate(con, coop.email, "choisi-par-la-coop", T0) == coop
    with pytest.raises(auth.InvalidAccount):
        auth.set_password(con, coop, coop.email, "court")
    with pytest.raises(auth.InvalidAccount):
        auth.set_password(con, admin, "personne@coop.ca", "assez-long-pour-passer")


# ------------------------------------------------------------------------------------------------------- login
def test_lockout_after_repeated_failures_then_unlock_after_the_delay(con, coop):
    for i in range(4):
        assert _failure(con, coop.email, "mauvais", T0 + timedelta(seconds=i)).key == "login_failed"
    locked = _failure(con, coop.email, "mauvais", T0 + timedelta(seconds=4))
    assert locked.key == "login_locked"
    assert locked.message() == "Trop de tentatives de connexion infructueuses : réessayez dans 15 min."
    # even the right password is refused while locked, with the same message
    during = _failure(con, coop.email, PASSWORD, T0 + timedelta(minutes=14))  # locked until 9:15:04
    assert during.key == "login_locked" and during.params == {"minutes": 2}  # 1 min 4 s, rounded up
    assert auth.authenticate(con, coop.email, PASSWORD, T0 + timedelta(minutes=15, seconds=5)) == coop
    assert db.first(con, "SELECT failed_logins, locked_until, last_login_at FROM accounts WHERE email = ?",
                    [coop.email]) == (0, None, T0 + timedelta(minutes=15, seconds=5))


def test_a_success_resets_the_failure_count(con, coop):
    for _ in range(4):
        _failure(con, coop.email, "mauvais", T0)
    auth.authenticate(con, coop.email, PASSWORD, T0)
    for _ in range(4):
        assert _failure(con, coop.email, "mauvais", T0).key == "login_failed"  # 4 + 4 failures, but not in a row


def test_lockout_thresholds_are_settings(con, coop):
    con.execute("UPDATE settings SET value = '2' WHERE key = 'login_max_failures'")
    con.execute("UPDATE settings SET value = '60' WHERE key = 'login_lock_minutes'")
    _failure(con, coop.email, "mauvais", T0)
    assert _failure(con, coop.email, "mauvais", T0).params == {"minutes": 60}
    assert _failure(con, coop.email, PASSWORD, T0 + timedelta(minutes=59)).key == "login_locked"


def test_an_admin_reset_lifts_a_lock(con, admin, coop):
    for _ in range(5):
        _failure(con, coop.email, "mauvais", T0)
    auth.set_password(con, admin, coop.email, "remis-par-le-pole")
    assert auth.authenticate(con, coop.email, "remis-par-le-pole", T0) == coop


# ---------------------------------------------------------------------------------------------------- sessions
def test_a_session_survives_a_reload_and_expires_when_idle(tmp_path):
    path = tmp_path / "reload.duckdb"
    with db.connect(path) as con:  # log in, then the page (and the connection) goes away
        coop = auth.add_account(con, auth.SYSTEM, "coop@erables.qc.ca", "entreprise", PASSWORD, [OWN])
        token = auth.open_session(con, auth.authenticate(con, coop.email, PASSWORD, T0), T0)
        stored = con.execute("SELECT token_sha256, email FROM sessions").fetchall()
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), coop.email)]  # the token itself is not stored
    now = T0
    for minutes in (10, 29, 29):  # each reload, in a fresh connection, counts as activity (sliding expiry)
        now += timedelta(minutes=minutes)
        with db.connect(path) as con:
            assert auth.resume_session(con, token, now) == coop
    with db.connect(path) as con:
        assert auth.resume_session(con, token, now + timedelta(minutes=31)) is None
        assert auth.resume_session(con, token, now) is None  # gone for good, not just hidden
        assert db.first(con, "SELECT count(*) FROM sessions")[0] == 0
        assert auth.resume_session(con, "", now) is None and auth.resume_session(con, None, now) is None
        assert auth.resume_session(con, "jeton-invente", now) is None


def test_logout_closes_only_that_session(con, coop):
    first, second = auth.open_session(con, coop, T0), auth.open_session(con, coop, T0)
    assert first != second
    auth.close_session(con, first)
    assert auth.resume_session(con, first, T0) is None
    assert auth.resume_session(con, second, T0) == coop


def test_disabling_an_account_ends_its_sessions(con, admin, coop):
    token = auth.open_session(con, coop, T0)
    auth.disable_account(con, admin, coop.email)
    assert auth.resume_session(con, token, T0) is None
    with pytest.raises(auth.InvalidAccount):
        auth.disable_account(con, admin, admin.email)  # an admin cannot lock itself out


def test_an_admin_relinks_an_enterprise_account_to_other_neqs(con, admin, coop):
    token = auth.open_session(con, coop, T0)
    other = "1170000002"
    relinked = auth.set_account_neqs(con, admin, coop.email, [other, f" {OWN} ", other])
    assert relinked.neqs == tuple(sorted({OWN, other}))
    assert auth.authenticate(con, coop.email, PASSWORD).neqs == relinked.neqs
    assert auth.resume_session(con, token, T0) is None  # the new list applies at the next login
    for refused in ([], ["12"]):
        with pytest.raises(auth.InvalidAccount):
            auth.set_account_neqs(con, admin, coop.email, refused)
    with pytest.raises(auth.InvalidAccount):
        auth.set_account_neqs(con, admin, admin.email, [OWN])  # an admin sees every enterprise already
    with pytest.raises(auth.Forbidden):
        auth.set_account_neqs(con, relinked, coop.email, ["1170000003"])  # not by the account itself
    assert auth.authenticate(con, coop.email, PASSWORD).neqs == relinked.neqs


def test_idle_timeout_is_a_setting(con, coop):
    con.execute("UPDATE settings SET value = '5' WHERE key = 'session_idle_minutes'")
    token = auth.open_session(con, coop, T0)
    assert auth.resume_session(con, token, T0 + timedelta(minutes=6)) is None


# ------------------------------------------------------------------------------- authorization: enterprise rows
@pytest.fixture
def small(small_db):
    """The small real database (8 enterprises, 2023-2024) with an admin and one enterprise account."""
    with db.connect(small_db) as connection:
        coop = auth.add_account(connection, auth.SYSTEM, "coop@erables.qc.ca", "entreprise", PASSWORD, [OWN])
        admin = auth.add_account(connection, auth.SYSTEM, "direction@pole-es.qc.ca", "admin", PASSWORD)
        yield connection, coop, admin


def test_an_enterprise_file_with_another_neq_is_refused_whole(small, tmp_path):
    con, coop, _ = small
    before = _snapshot(con)
    path = _write_xlsx(tmp_path / "envoi.xlsx", [OWN, OTHER, "1170000003"], revenue_factor=2.0)
    (check,) = importer.check_files([path], con, actor=coop)
    lines = [p.line("fr") for p in check.errors]
    assert lines == [
        ("envoi.xlsx:::: Ce fichier contient des données d'autres entreprises (1170000002, 1170000003) : "
         "il est refusé en entier. Retirez ces lignes et téléversez-le de nouveau."),
        "envoi.xlsx:Données:3:NEQ: Le NEQ « 1170000002 » n'est pas associé à votre compte (NEQ permis : 1170000001).",
        "envoi.xlsx:Données:4:NEQ: Le NEQ « 1170000003 » n'est pas associé à votre compte (NEQ permis : 1170000001).",
    ]
    assert check.records["neq"].tolist() == [OWN]  # the other rows are not even compared with stored figures
    with pytest.raises(importer.ImportRefused):
        importer.commit(con, [check], actor=coop, channel="app", accept_warnings=True)
    # the guard in the write itself: a file checked by an admin, then committed by the enterprise account
    (admin_check,) = importer.check_files([path], con, actor=auth.SYSTEM)
    assert not admin_check.errors
    with pytest.raises(auth.Forbidden) as caught:
        importer.commit(con, [admin_check], actor=coop, channel="app", accept_warnings=True)
    assert caught.value.message("en") == ("This account has no access to the data of these enterprises: "
                                          "1170000002, 1170000003. Nothing was saved.")
    for actor in (None, "coop@erables.qc.ca"):  # anonymous, or a bare name instead of an account
        with pytest.raises(auth.Forbidden):
            history.write_imports(con, [(path.name, admin_check.sha256, admin_check.records)], actor, "app")
    assert _snapshot(con) == before


def test_an_enterprise_writes_its_own_figures(small, tmp_path):
    con, coop, _ = small
    path = _write_xlsx(tmp_path / "envoi.xlsx", [OWN], revenue_factor=1.5)
    (check,) = importer.check_files([path], con, actor=coop)
    assert not check.errors
    (result,) = importer.commit(con, [check], actor=coop, channel="app", accept_warnings=True)
    assert (result.inserted, result.replaced) == (0, 1)
    assert db.first(con, "SELECT actor, channel FROM imports WHERE id = ?", [result.import_id]) == (coop.email, "app")
    revenue = db.first(con, "SELECT revenue_total FROM annual_figures WHERE neq = ? AND year = 2024", [OWN])[0]
    assert revenue == round(180_000 * 1.5)


def test_an_enterprise_reads_only_its_own_figures(small):
    con, coop, admin = small
    own = history.enterprise_figures(con, coop, OWN)
    assert own["year"].tolist() == [2023, 2024] and set(own["neq"]) == {OWN}
    assert own["revenue_total"].tolist() == [180_000, round(180_000 * 1.06)]
    assert set(own["imported_by"]) == {"pytest"} and set(own["file_name"]) == {"declarations.xlsx"}
    with pytest.raises(auth.Forbidden):
        history.enterprise_figures(con, coop, OTHER)
    with pytest.raises(auth.Forbidden):
        history.enterprise_figures(con, None, OWN)
    assert history.enterprise_figures(con, admin, OTHER)["year"].tolist() == [2023, 2024]
    # through a session, as a page would get the account
    resumed = auth.resume_session(con, auth.open_session(con, coop, T0), T0)
    with pytest.raises(auth.Forbidden):
        history.enterprise_figures(con, resumed, OTHER)


def test_reading_stored_figures_to_check_a_file_needs_an_account(small, tmp_path):
    con, _, _ = small
    path = _write_xlsx(tmp_path / "envoi.xlsx", [OWN])
    with pytest.raises(auth.Forbidden):
        importer.check_files([path], con)  # compares with last year's stored figures: not for anonymous visitors
    assert not importer.check_files([path])[0].errors  # without the database, a plain check of the file


def test_demo_data_are_written_by_admins_only(con, coop):
    frame = _records_of(OWN)
    with pytest.raises(auth.Forbidden):
        history.write_imports(con, [("demo", "x", frame)], coop, "demo", is_demo=True)
    assert db.first(con, "SELECT count(*) FROM annual_figures")[0] == 0


def _records_of(neq):
    return pd.DataFrame([{f.key: None for f in FIELDS} | {"neq": neq}])


# --------------------------------------------------------------------------------------------------------- CLI
def run(*args, stdin=""):
    return subprocess.run([EXE, *map(str, args)], input=stdin, capture_output=True, text=True, timeout=120,
                          check=False)


def test_cli_user_add_then_login(tmp_path):
    dbfile = tmp_path / "cli.duckdb"
    out = run("user", "add", "Direction@Pole-ES.qc.ca", "--role", "admin", "--password-stdin", "--db", dbfile,
              stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip() == "Compte créé : direction@pole-es.qc.ca (admin)."
    out = run("user", "add", "coop@erables.qc.ca", "--role", "entreprise", "--neq", OWN, "--neq", OTHER,
              "--password-stdin", "--db", dbfile, "--lang", "en", stdin=PASSWORD + "\n")
    assert out.returncode == 0 and out.stderr.strip() == "Account created: coop@erables.qc.ca (entreprise)."
    listing = run("user", "list", "--db", dbfile)
    assert listing.returncode == 0
    assert listing.stdout.splitlines()[0] == "email,role,active,neqs,created_at,last_login_at,locked_until,regions"
    assert "coop@erables.qc.ca,entreprise,True,\"1170000001, 1170000002\"," in listing.stdout
    with db.connect(dbfile) as con:
        assert auth.authenticate(con, "direction@pole-es.qc.ca", PASSWORD, T0).is_admin
        assert auth.authenticate(con, "coop@erables.qc.ca", PASSWORD, T0).neqs == (OWN, OTHER)
    assert run("user", "passwd", "coop@erables.qc.ca", "--password-stdin", "--db", dbfile,
               stdin="remis-par-le-pole\n").returncode == 0
    assert run("user", "disable", "direction@pole-es.qc.ca", "--db", dbfile).returncode == 0
    with db.connect(dbfile) as con:
        assert auth.authenticate(con, "coop@erables.qc.ca", "remis-par-le-pole", T0).role == "entreprise"
        assert _failure(con, "direction@pole-es.qc.ca", PASSWORD, T0).key == "login_failed"


def test_cli_refuses_a_short_password_and_bad_input(tmp_path):
    dbfile = tmp_path / "cli.duckdb"
    out = run("user", "add", "direction@pole-es.qc.ca", "--role", "admin", "--password-stdin", "--db", dbfile,
              stdin="court\n")
    assert out.returncode == 1
    assert out.stderr.strip() == "Le mot de passe doit compter au moins 12 caractères."
    out = run("user", "add", "coop@erables.qc.ca", "--role", "entreprise", "--password-stdin", "--db", dbfile,
              "--lang", "en", stdin=PASSWORD + "\n")
    assert out.returncode == 1 and out.stderr.strip() == "An enterprise account must be linked to at least one NEQ (--neq)."
    assert run("user", "disable", "personne@pole-es.qc.ca", "--db", dbfile).returncode == 1
    empty = run("user", "list", "--db", dbfile)
    assert empty.returncode == 0 and empty.stdout == "" and "ess-impact user add" in empty.stderr
    with db.connect(dbfile) as con:
        assert db.first(con, "SELECT count(*) FROM accounts")[0] == 0


def test_cli_asks_the_password_twice(tmp_path, monkeypatch, capsys):
    dbfile = tmp_path / "cli.duckdb"
    typed = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(typed))
    assert cli.main(["user", "add", "a@pole-es.qc.ca", "--role", "admin", "--db", str(dbfile)]) == cli.EXIT_INVALID
    assert "ne concordent pas" in capsys.readouterr().err
    typed = iter([PASSWORD, PASSWORD])
    assert cli.main(["user", "add", "a@pole-es.qc.ca", "--role", "admin", "--db", str(dbfile)]) == cli.EXIT_OK
    with db.connect(dbfile) as con:
        assert auth.list_accounts(con, auth.SYSTEM)["email"].tolist() == ["a@pole-es.qc.ca"]


def test_cli_import_is_logged_under_the_os_user_or_actor(tmp_path):
    dbfile = tmp_path / "cli.duckdb"
    path = _write_xlsx(tmp_path / "envoi.xlsx", [OWN])
    assert run("import", path, "--db", dbfile).returncode == 0
    assert auth.SYSTEM.is_admin and auth.SYSTEM.email == auth._os_user()
    _write_xlsx(path, [OWN, OTHER])
    assert run("import", path, "--db", dbfile, "--actor", "analyste").returncode == 0
    with db.connect(dbfile) as con:
        actors = [r[0] for r in con.execute("SELECT actor FROM imports ORDER BY id").fetchall()]
    assert actors == [auth._os_user(), "analyste"]
