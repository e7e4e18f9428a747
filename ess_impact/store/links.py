"""One-time links (invitations, password resets) and self-service requests for an enterprise account (issue 15).

    link = invite(con, admin, "1170000001", "coop@exemple.qc.ca")     # the account, and its invitation link
    link = reset_link(con, admin, "coop@exemple.qc.ca")                # a reset link made by an admin
    link = request_reset(con, "coop@exemple.qc.ca")                    # public: a Link only if the account exists
    email = use_link(con, token, "nouveau mot de passe")              # sets the password; the link is spent
    request_access(con, "1170000001", "coop@exemple.qc.ca")            # public: "my NEQ, my e-mail"
    link = decide(con, admin, request_id, approve=True)                # the region's admin approves (an invitation)

A link carries a random token (`Link.token`, 256 bits); the database keeps only its SHA-256, the e-mail, the purpose,
who made it, when it expires (setting `link_valid_hours`) and when it was used. It works once: spending it is one
atomic UPDATE ... RETURNING, and setting a password through it spends every other unused link of the account. An
invited account exists from the invitation on, with a random password nobody knows, until its link sets one.

The public functions (request_reset, request_access) give their caller no way to tell whether an e-mail has an account:
they return nothing the page shows (request_reset's Link goes only into an e-mail, never on screen; the e-mail leaves
from a background thread, so the answer's time does not depend on it either), and each attempt counts against the
client's login throttle (`login_client_max_attempts`). Admins: the enterprise's region decides (the region of its latest year); a provincial admin does
everything.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd

from ess_impact import errors, parsing, settings, sql
from ess_impact.store import auth, db
from ess_impact.store.auth import Account

INVITATION, RESET = "invitation", "reset"
LINK_PATH = "acces"  # the page that takes the token (ess_impact/web/public/access.py)


@dataclass(frozen=True)
class Link:
    email: str
    purpose: str          # INVITATION or RESET
    token: str            # never stored: only in the e-mail or in the admin's hands
    expires_at: datetime
    neq: str = ""

    def url(self, base: str) -> str:
        """The address to open: BASE/acces?jeton=TOKEN."""
        return f"{base.rstrip('/')}/{LINK_PATH}?jeton={self.token}"


class LinkInvalid(errors.Invalid):
    """A link that is unknown, used, expired or for a disabled account: one message for all."""


def _region_of(con: duckdb.DuckDBPyConnection, neq: str) -> str | None:
    row = db.first(con, sql.load("enterprise_region"), [neq])
    return None if row is None else row[0]


def _neq(value) -> str:
    return parsing.required_neq(value, auth.InvalidAccount)


def _email(value: str) -> str:
    email = auth.normalize_email(value)
    if not auth.valid_email(email):
        raise auth.InvalidAccount("account_bad_email", value=email)
    return email


def _new_link(con: duckdb.DuckDBPyConnection, email: str, purpose: str, by: str, now: datetime,
              neq: str = "") -> Link:
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=settings.read(con).link_valid_hours)
    con.execute(sql.load("insert_account_link"), [auth.token_hash(token), email, purpose, now, by, expires])
    return Link(email, purpose, token, expires, neq)


# ------------------------------------------------------------------------------------------------------ admins
def invite(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str, email: str,
           now: datetime | None = None) -> Link:
    """Create the enterprise account of `email` for `neq` and its invitation link (the admin of the enterprise's
    region, or a provincial admin). InvalidAccount: bad NEQ or e-mail, a NEQ not in the registry, an e-mail that
    already has an account (the admin sees it; nothing is created)."""
    auth.require_admin(actor)
    neq, email = _neq(neq), _email(email)
    now = now or datetime.now()
    with db.transaction(con):
        link = _invite(con, actor, neq, email, now)
    return link


def _invite(con, actor: Account, neq: str, email: str, now: datetime) -> Link:
    region = _region_of(con, neq)
    if region is None:
        raise auth.InvalidAccount("invite_unknown_neq", neq=neq)
    auth.require_region(actor, region)
    if db.first(con, sql.load("get_account"), [email]) is not None:
        raise auth.InvalidAccount("account_exists", email=email)
    con.execute(sql.load("insert_invited_account"), [email, auth.unusable_hash(), now])
    con.execute(sql.load("insert_account_neq"), [email, neq])
    link = _new_link(con, email, INVITATION, actor.email, now, neq)
    auth.log_activity(con, actor.email, "invitation", email, f"neq={neq}", region, now)
    return link


def uninvited(con: duckdb.DuckDBPyConnection, actor: Account | None, region: str | None = None) -> pd.DataFrame:
    """The active enterprises of `region` (or of every region the admin holds) with no active account linked: neq,
    name, mrc, mrc_name, region_code, last_year."""
    if region:
        auth.require_region(actor, region)
        regions = [region]
    else:
        held = auth.admin_regions(actor)
        regions = None if held is None else list(held)
    return con.execute(sql.load("uninvited_enterprises"), {"regions": regions}).df()


def reset_link(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str,
               now: datetime | None = None) -> Link:
    """A reset link for an active account, made by an admin (to send by hand when there is no SMTP server): a
    provincial admin for any account, a regional admin for an enterprise account whose NEQs its regions hold."""
    auth.require_admin(actor)
    email = auth.normalize_email(email)
    row = db.first(con, sql.load("get_account"), [email])
    if row is None or not row[2]:
        raise auth.InvalidAccount("account_unknown", email=email)
    if not actor.is_provincial:
        neqs = [r[0] for r in con.execute(sql.load("get_account_neqs"), [email]).fetchall()]
        if row[0] != auth.ENTREPRISE or not neqs:
            raise auth.Forbidden("forbidden_provincial")
        for neq in neqs:
            auth.require_region(actor, _region_of(con, neq))
    now = now or datetime.now()
    with db.transaction(con):
        link = _new_link(con, email, RESET, actor.email, now)
        auth.log_activity(con, actor.email, "reset_link", email, "", None, now)
    return link


def access_requests(con: duckdb.DuckDBPyConnection, actor: Account | None) -> pd.DataFrame:
    """The self-service requests of the admin's regions (every one for a provincial admin), pending first: id, neq,
    name, email, region_code, requested_at, status, decided_at, decided_by."""
    held = auth.admin_regions(actor)
    return con.execute(sql.load("list_access_requests"), {"regions": None if held is None else list(held)}).df()


def decide(con: duckdb.DuckDBPyConnection, actor: Account | None, request_id: int, approve: bool,
           now: datetime | None = None) -> Link | None:
    """Approve (the account is created and its invitation link returned, in one transaction) or reject a pending
    request, by the admin of the enterprise's region. InvalidAccount: unknown or already decided, or the e-mail has
    an account since."""
    auth.require_admin(actor)
    now = now or datetime.now()
    with db.transaction(con):
        row = db.first(con, sql.load("get_access_request"), [int(request_id)])
        if row is None:
            raise auth.InvalidAccount("request_unknown", id=request_id)
        neq, email, region, status = row
        auth.require_region(actor, region)
        if status != "pending":
            raise auth.InvalidAccount("request_decided", id=request_id)
        link = _invite(con, actor, neq, email, now) if approve else None
        con.execute(sql.load("decide_access_request"),
                    ["approved" if approve else "rejected", now, actor.email, int(request_id)])
        if not approve:
            auth.log_activity(con, actor.email, "request_rejected", email, f"neq={neq}", region, now)
    return link


# ------------------------------------------------------------------------------------------------------ public
def request_reset(con: duckdb.DuckDBPyConnection, email: str, now: datetime | None = None,
                  client: str | None = None) -> Link | None:
    """Someone asks for a reset link: a Link for an active account (to go ONLY into an e-mail to that address), None
    otherwise. The page says the same thing either way. Logged (the e-mail asked for, the client)."""
    email = auth.normalize_email(email)[:auth.MAX_EMAIL_LENGTH]
    now = now or datetime.now()
    auth.require_not_throttled(con, client, now)  # counted with the client's logins
    row = db.first(con, sql.load("get_account"), [email]) if email else None
    with db.transaction(con):
        link = _new_link(con, email, RESET, "self", now) if row is not None and row[2] else None
        auth.log_activity(con, email or "-", "reset_requested", (client or "")[:200], "", None, now)
    return link


def request_access(con: duckdb.DuckDBPyConnection, neq: str, email: str, now: datetime | None = None,
                   client: str | None = None) -> None:
    """"My NEQ, my e-mail": recorded for the admin of the enterprise's region when the NEQ is in the registry (and
    not already asked for with this e-mail); nothing otherwise. Says nothing back about either: Invalid only for a
    malformed NEQ or e-mail."""
    neq, email = _neq(neq), _email(email)
    now = now or datetime.now()
    auth.require_not_throttled(con, client, now)  # counted with the client's logins
    region = _region_of(con, neq)
    with db.transaction(con):
        if region is not None and not db.first(con, sql.load("pending_request_exists"), [neq, email])[0]:
            con.execute(sql.load("insert_access_request"), [neq, email, region, now])
        auth.log_activity(con, email, "access_requested", (client or "")[:200], f"neq={neq}", region, now)


def link_email(con: duckdb.DuckDBPyConnection, token: str | None, now: datetime | None = None) -> tuple | None:
    """(e-mail, purpose) of a link still usable, for the page that asks for the new password; None otherwise."""
    if not token:
        return None
    return db.first(con, sql.load("get_account_link"), {"token": auth.token_hash(token), "now": now or datetime.now()})


def use_link(con: duckdb.DuckDBPyConnection, token: str | None, password: str, now: datetime | None = None) -> str:
    """Set the password of the link's account and spend the link (and every other unused link of that account), in
    one transaction; lifts a lock and ends the account's sessions. LinkInvalid (one message) for an unknown, used or
    expired link or a disabled account; InvalidAccount for a password too short (the link is not spent)."""
    now = now or datetime.now()
    if link_email(con, token, now) is None:
        raise LinkInvalid("link_invalid")
    auth.check_password(password)
    password_hash = auth.hash_password(password)
    with db.transaction(con):
        spent = con.execute(sql.load("use_account_link"), {"token": auth.token_hash(token), "now": now}).fetchall()
        if not spent:  # used by someone else in between
            raise LinkInvalid("link_invalid")
        email, purpose = spent[0]
        con.execute(sql.load("set_password_hash"), [password_hash, email])
        con.execute(sql.load("spend_account_links"), {"now": now, "email": email})
        con.execute(sql.load("delete_login_failures"), [email])
        con.execute(sql.load("delete_account_sessions"), [email])
        auth.log_activity(con, email, "password_set", email, purpose, None, now)
    return email
