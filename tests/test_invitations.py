"""Invitations, password resets and self-service requests (issue 15): one-time expiring links of which only a hash is
stored, bulk invitations from the registry's list or an uploaded NEQ + e-mail file (read in the sandbox), e-mails
through SMTP received by a local aiosmtpd server, the links handed to the admin without SMTP, answers that never
reveal whether an e-mail has an account, requests decided by the region's admin; every function with a wrong actor."""

from __future__ import annotations

import re
import socket
import time
from datetime import datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from ess_impact import invitations, sql
from ess_impact.store import auth, db, history, links

T0 = datetime(2026, 3, 2, 9, 0, 0)
PASSWORD = "Érable-en-fleur-2026"
PROVINCIAL = auth.system("direction@quebec.example")
ERABLES, RANG, FANAL = "1170000001", "1170000002", "1170000008"  # MRC 54 (region 16) x2, MRC 66 (region 06)
BASE = "https://impact.pole.example"


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"

    def wait(self, count: int, seconds: float = 10) -> list:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp():
    """A real SMTP server on a free local port, and a Mailer pointed at it (no TLS: localhost)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, invitations.Mailer("127.0.0.1", port, sender="pole@pole.example", starttls=False)
    finally:
        controller.stop()


@pytest.fixture
def world(small_db, monkeypatch):
    monkeypatch.setenv("ESS_IMPACT_BASE_URL", BASE + "/")
    with db.connect(small_db) as con:
        monteregie = auth.add_account(con, auth.SYSTEM, "pole@monteregie.example", "admin", PASSWORD, regions=["16"])
        montreal = auth.add_account(con, auth.SYSTEM, "pole@montreal.example", "admin", PASSWORD, regions=["06"])
        yield con, monteregie, montreal


def _token(text: str) -> str:
    return re.search(r"/acces\?jeton=([\w-]+)", text).group(1)


def _body(message) -> str:
    return message.get_content()


# ------------------------------------------------------------------------------------------------------- links
def test_an_invitation_link_works_once_expires_and_only_its_hash_is_stored(world):
    con, monteregie, _ = world
    link = links.invite(con, monteregie, ERABLES, "Coop@Erables.example", now=T0)
    assert (link.email, link.purpose, link.neq) == ("coop@erables.example", "invitation", ERABLES)
    assert link.expires_at == T0 + timedelta(hours=72) and link.url(BASE) == f"{BASE}/acces?jeton={link.token}"
    stored = con.execute("SELECT * FROM account_links").fetchall()
    assert len(stored) == 1 and link.token not in repr(stored) and auth.token_hash(link.token) in repr(stored)
    # the account exists, linked to its NEQ, but nobody can log in until the link sets a password
    with pytest.raises(auth.LoginFailed):
        auth.authenticate(con, link.email, "", T0)
    assert links.link_email(con, link.token, T0) == (link.email, "invitation")
    with pytest.raises(auth.InvalidAccount):  # too short: refused, and the link is not spent
        links.use_link(con, link.token, "court", T0)
    assert links.use_link(con, link.token, "mon mot de passe à moi", T0 + timedelta(hours=1)) == link.email
    account = auth.authenticate(con, link.email, "mon mot de passe à moi", T0 + timedelta(hours=1))
    assert account.neqs == (ERABLES,) and account.role == "entreprise"
    for token in (link.token, link.token[:-1], "", None):
        with pytest.raises(links.LinkInvalid) as refused:
            links.use_link(con, token, "un autre mot de passe", T0 + timedelta(hours=2))
        assert refused.value.message("fr").startswith("Ce lien n'est pas valide")
    late = links.reset_link(con, PROVINCIAL, link.email, now=T0)
    with pytest.raises(links.LinkInvalid):
        links.use_link(con, late.token, "un autre mot de passe", T0 + timedelta(hours=72, seconds=1))


def test_setting_a_password_spends_every_other_link_and_ends_sessions(world):
    con, monteregie, _ = world
    link = links.invite(con, monteregie, ERABLES, "coop@erables.example", now=T0)
    first = links.reset_link(con, monteregie, link.email, now=T0)
    links.use_link(con, link.token, "mon mot de passe à moi", T0)
    session = auth.open_session(con, auth.authenticate(con, link.email, "mon mot de passe à moi", T0), T0)
    second = links.reset_link(con, monteregie, link.email, now=T0)
    links.use_link(con, second.token, "un nouveau mot de passe", T0)
    assert auth.resume_session(con, session, T0) is None
    with pytest.raises(links.LinkInvalid):
        links.use_link(con, first.token, "encore un autre mot", T0)


# ------------------------------------------------------------------------------------------------ bulk, e-mail
def test_bulk_invitation_from_an_uploaded_list_is_e_mailed(world, smtp, tmp_path):
    con, monteregie, _ = world
    inbox, mailer = smtp
    todo = invitations.uninvited(con, monteregie)
    assert set(todo["neq"]) == {"1170000001", "1170000002", "1170000003", "1170000004", "1170000005",
                                "1170000006"}
    listed = invitations.uninvited_csv(todo).decode("utf-8-sig")
    assert listed.splitlines()[0] == "NEQ;Nom;MRC;Courriel"
    filled = ("Liste du pôle\nNEQ;Courriel\n1170000001;coop@erables.example\n1170 000 002;RANG@centre.example\n"
              f"{FANAL};fanal@montreal.example\n1170000003;pas-un-courriel\n1170000001;coop@erables.example\n")
    pairs, problems = invitations.read_pairs(filled.encode("cp1252"), "liste.csv")
    assert pairs == [(ERABLES, "coop@erables.example"), (RANG, "rang@centre.example"),
                     (FANAL, "fanal@montreal.example")]
    assert len(problems) == 1 and "pas-un-courriel" in problems[0]
    done = invitations.invite_many(con, monteregie, pairs, mailer)
    assert [(d.neq, d.sent, d.url) for d in done[:2]] == [(ERABLES, True, ""), (RANG, True, "")]
    assert not done[2].sent and "06" in done[2].problem  # Montréal's enterprise: not this admin's to invite
    messages = inbox.wait(2)
    assert sorted(m[0][0] for m in messages) == ["coop@erables.example", "rang@centre.example"]
    mail = next(m for to, m in messages if to == ["coop@erables.example"])
    assert mail["Subject"] == "Votre accès au tableau de bord de l'économie sociale"
    assert mail["From"] == "pole@pole.example" and f"{BASE}/acces?jeton=" in _body(mail)
    assert links.use_link(con, _token(_body(mail)), "choisi par la coop", T0) == "coop@erables.example"
    assert set(invitations.uninvited(con, monteregie)["neq"]) == {"1170000003", "1170000004", "1170000005",
                                                                  "1170000006"}
    again = invitations.invite_many(con, monteregie, [(RANG, "rang@centre.example")], mailer)
    assert "existe déjà" in again[0].problem or "rang@centre.example" in again[0].problem


def test_without_smtp_the_admin_gets_the_links(world):
    con, monteregie, _ = world
    done = invitations.invite_many(con, monteregie, [(ERABLES, "coop@erables.example")], None)
    assert not done[0].sent and done[0].url.startswith(f"{BASE}/acces?jeton=")
    table = invitations.invited_table(done, "fr")
    assert table.iloc[0]["Lien à transmettre"] == done[0].url
    assert links.use_link(con, _token(done[0].url), "choisi par la coop", T0) == "coop@erables.example"


def test_an_uploaded_list_is_read_in_the_sandbox(world, monkeypatch):
    calls = []
    real = invitations.sandbox.read
    monkeypatch.setattr(invitations.sandbox, "read", lambda data, *a, **k: calls.append(len(data)) or real(data, *a, **k))
    pairs, _ = invitations.read_pairs(b"NEQ,Courriel\n1170000001,a@b.example\n", "l.csv")
    assert calls == [len(b"NEQ,Courriel\n1170000001,a@b.example\n")] and pairs == [(ERABLES, "a@b.example")]
    bomb = b"PK\x03\x04" + b"\x00" * 200
    with pytest.raises(Exception) as refused:
        invitations.read_pairs(bomb, "l.xlsx")
    assert hasattr(refused.value, "message")  # an EssError with a French message, never a traceback
    with pytest.raises(Exception) as refused:
        invitations.read_pairs(b"a;b\n1;2\n", "l.csv")
    assert refused.value.key == "invite_no_header"


# -------------------------------------------------------------------------------------------------- public side
def test_a_reset_request_never_reveals_whether_the_e_mail_has_an_account(world, smtp):
    con, monteregie, _ = world
    inbox, mailer = smtp
    link = links.invite(con, monteregie, ERABLES, "coop@erables.example", now=T0)
    links.use_link(con, link.token, "mon mot de passe à moi", T0)
    answers = [invitations.ask_reset(con, email, mailer, wait=True, client="10.0.0.1")
               for email in ("coop@erables.example", "personne@nulle-part.example", "")]
    assert answers == [None, None, None]
    messages = inbox.wait(1)
    assert [m[0] for m in messages] == [["coop@erables.example"]]
    assert messages[0][1]["Subject"] == "Réinitialisation de votre mot de passe"
    assert links.use_link(con, _token(_body(messages[0][1])), "un nouveau mot de passe", T0) == link.email
    logged = con.execute("SELECT actor FROM activity WHERE action = 'reset_requested' ORDER BY id").fetchall()
    assert logged == [("coop@erables.example",), ("personne@nulle-part.example",), ("-",)]


def test_a_self_service_request_is_decided_by_the_regions_admin(world):
    con, monteregie, montreal = world
    invitations.ask_access(con, "1170000003", "Cafe@Maree.example", client="10.0.0.2")
    invitations.ask_access(con, "1170000003", "cafe@maree.example")       # twice: one request
    invitations.ask_access(con, "1170009999", "inconnu@nulle-part.example")  # not in the registry: nothing kept
    with pytest.raises(auth.InvalidAccount):
        invitations.ask_access(con, "123", "x@y.example")
    pending = links.access_requests(con, monteregie)
    assert pending[["neq", "email", "region_code", "status"]].values.tolist() == [
        ["1170000003", "cafe@maree.example", "16", "pending"]]
    assert links.access_requests(con, montreal).empty
    request_id = int(pending.iloc[0]["id"])
    with pytest.raises(auth.Forbidden):
        links.decide(con, montreal, request_id, True)
    done = invitations.decide(con, monteregie, request_id, True)
    assert done.email == "cafe@maree.example" and done.url.startswith(BASE)
    with pytest.raises(auth.InvalidAccount) as refused:
        links.decide(con, monteregie, request_id, False)
    assert refused.value.key == "request_decided"
    assert links.access_requests(con, PROVINCIAL).iloc[0]["status"] == "approved"
    # as the admin sees them: its language's headers and statuses, the region by name, no raw code nor "None"
    for lang, status, header in (("fr", "Approuvée", "Courriel"), ("en", "Approved", "E-mail")):
        shown = invitations.requests_table(links.access_requests(con, monteregie), lang)
        row = shown.iloc[0].astype(str).tolist()
        assert header in shown.columns and "email" not in shown.columns and "region_code" not in shown.columns
        assert status in row and "Montérégie" in row and "approved" not in row
        assert "None" not in row and "NaT" not in row and "nan" not in row


# ------------------------------------------------------------------------------------------------- wrong actors
def test_every_invitation_function_refuses_the_wrong_actor(world):
    con, monteregie, montreal = world
    coop = auth.add_account(con, auth.SYSTEM, "coop@rang.example", "entreprise", PASSWORD, [RANG])
    invitations.ask_access(con, ERABLES, "coop@erables.example")
    request_id = int(links.access_requests(con, PROVINCIAL).iloc[0]["id"])
    before = con.execute("SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM account_links)").fetchone()
    calls = {
        "links.invite": lambda a: links.invite(con, a, ERABLES, "x@y.example"),
        "links.uninvited": lambda a: links.uninvited(con, a, "16"),
        "links.reset_link(enterprise of 16)": lambda a: links.reset_link(con, a, coop.email),
        "links.decide": lambda a: links.decide(con, a, request_id, True),
        "invitations.invite_many": lambda a: invitations.invite_many(con, a, [(ERABLES, "x@y.example")]),
    }
    for actor in (montreal, coop, None):
        for name, call in calls.items():
            if actor is montreal and name == "invitations.invite_many":
                assert call(actor)[0].problem  # reported on its line, nothing created
                continue
            with pytest.raises(auth.Forbidden):
                call(actor)
                pytest.fail(f"{name} let {actor} act")
    with pytest.raises(auth.Forbidden):  # a regional admin never resets an admin's password
        links.reset_link(con, monteregie, montreal.email)
    assert con.execute("SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM account_links)"
                       ).fetchone() == before
    assert links.access_requests(con, monteregie).iloc[0]["status"] == "pending"
    assert history.list_imports(con, PROVINCIAL) is not None and sql.load("use_account_link")


def test_public_requests_count_against_the_clients_throttle(world):
    con, _, _ = world
    con.execute("UPDATE settings SET value = '10' WHERE key = 'login_client_max_attempts'")
    for i in range(10):
        invitations.ask_reset(con, f"essai{i}@nulle-part.example", None, client="198.51.100.7")
    with pytest.raises(auth.LoginFailed) as refused:
        invitations.ask_access(con, ERABLES, "x@y.example", client="198.51.100.7")
    assert refused.value.key == "login_throttled"
    invitations.ask_access(con, ERABLES, "x@y.example", client="192.0.2.1")  # another client is not concerned
