"""Accounts, roles, passwords, login sessions and the authorization checks the rest of the core calls.

    account = authenticate(con, email, password, now)   # or LoginFailed, with one generic message
    token = open_session(con, account, now)             # keep the token (e.g. in a cookie); only its hash is stored
    account = resume_session(con, token, now)           # on every page load: the Account, or None once idle

Roles: 'admin' (the pôle's staff: everything) and 'entreprise' (only the NEQs linked to the account). A visitor who is
not logged in is `None`. The command line acts as `SYSTEM`, an admin: whoever can run it holds the database file.
Passwords are hashed with argon2id; there is no default account and no default password anywhere.
Every function that depends on the time takes `now` (naive local time, like the rest of the database).
"""

from __future__ import annotations

import getpass
import hashlib
import math
import random
import re
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ess_impact import errors, parsing, settings, sql
from ess_impact.store import db

ADMIN, ENTREPRISE = "admin", "entreprise"
ROLES = (ADMIN, ENTREPRISE)
MIN_PASSWORD_LENGTH = 12
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory parameters


@dataclass(frozen=True)
class Account:
    """Who is acting. `email` is the login (lower-case); for the command line, the OS user name recorded in logs."""
    email: str
    role: str
    neqs: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def may_access(self, neq: str) -> bool:
        return self.is_admin or neq in self.neqs


def system(name: str | None = None) -> Account:
    """The command line's actor: an admin, named after the OS user (or `name`, e.g. `--actor`) in the logs."""
    return Account(name or _os_user(), ADMIN)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        return "cli"


SYSTEM = system()


class Forbidden(errors.Refused):
    """The acting account's role does not allow this."""


class LoginFailed(errors.Refused):
    """Wrong e-mail or password (one message for both), or the account is locked for a while."""


class InvalidAccount(errors.Invalid):
    """An account operation with invalid input: e-mail, role, NEQ, password policy, unknown or existing account."""


# ----------------------------------------------------------------------------------------------- authorization
def require_account(actor: Account | None) -> Account:
    if not isinstance(actor, Account):
        raise Forbidden("forbidden_anonymous")
    return actor


def require_admin(actor: Account | None) -> Account:
    if not require_account(actor).is_admin:
        raise Forbidden("forbidden_admin")
    return actor


def foreign_neqs(actor: Account, neqs: Iterable[str]) -> list[str]:
    """The NEQs among `neqs` that the actor may not read or write (sorted, each once)."""
    if actor.is_admin:
        return []
    return sorted(set(neqs) - set(actor.neqs))


def require_neqs(actor: Account | None, neqs: Iterable[str]) -> Account:
    """Refuse unless the actor may read and write every NEQ given."""
    foreign = foreign_neqs(require_account(actor), neqs)
    if foreign:
        raise Forbidden("forbidden_neqs", neqs=", ".join(foreign))
    return actor


# ---------------------------------------------------------------------------------------------------- accounts
def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidAccount("account_short_password", min=MIN_PASSWORD_LENGTH)


def _parse_neqs(neqs: Iterable[str]) -> list[str]:
    parsed = []
    for raw in neqs:
        try:
            neq = parsing.parse_neq(raw)
        except parsing.CellError:
            neq = None
        if neq is None:
            raise InvalidAccount("neq_format", value=raw)
        parsed.append(neq)
    return sorted(set(parsed))


def _existing(con: duckdb.DuckDBPyConnection, email: str) -> tuple:
    row = db.first(con, sql.load("get_account"), [email])
    if row is None:
        raise InvalidAccount("account_unknown", email=email)
    return row


def add_account(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str, role: str, password: str,
                neqs: Iterable[str] = (), now: datetime | None = None) -> Account:
    """Create an account (admins only). An 'entreprise' account needs at least one NEQ; an admin has none."""
    require_admin(actor)
    email = normalize_email(email)
    if not _EMAIL.match(email):
        raise InvalidAccount("account_bad_email", value=email)
    if role not in ROLES:
        raise InvalidAccount("account_bad_role", value=role)
    parsed = _parse_neqs(neqs)
    if role == ENTREPRISE and not parsed:
        raise InvalidAccount("account_needs_neq")
    if role == ADMIN and parsed:
        raise InvalidAccount("account_admin_neq")
    _check_password(password)
    if db.first(con, sql.load("get_account"), [email]) is not None:
        raise InvalidAccount("account_exists", email=email)
    password_hash = _HASHER.hash(password)
    with db.transaction(con):
        con.execute(sql.load("insert_account"), [email, role, password_hash, now or datetime.now()])
        for neq in parsed:
            con.execute(sql.load("insert_account_neq"), [email, neq])
    return Account(email, role, tuple(parsed))


def set_password(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str, new: str) -> None:
    """An admin resets anyone's password; an account changes its own. Lifts a lock and closes the account's sessions
    (open a new one after changing your own)."""
    email = normalize_email(email)
    if not require_account(actor).is_admin and actor.email != email:
        raise Forbidden("forbidden_account")
    _existing(con, email)
    _check_password(new)
    password_hash = _HASHER.hash(new)
    _write(con, [("set_password_hash", [password_hash, email]), ("delete_login_failures", [email]),
                 ("delete_account_sessions", [email])])


def disable_account(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str) -> None:
    """Admins only. The account can no longer log in; its open sessions end at once. Nothing is deleted."""
    email = normalize_email(email)
    require_admin(actor)
    if actor.email == email:
        raise InvalidAccount("account_disable_self")
    _existing(con, email)
    with db.transaction(con):
        con.execute(sql.load("disable_account"), [email])
        con.execute(sql.load("delete_account_sessions"), [email])


def set_account_neqs(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str,
                     neqs: Iterable[str]) -> Account:
    """Admins only: the enterprises (NEQ) an 'entreprise' account answers for, replacing the previous list (e.g. after
    a merge in the registry). At least one; its open sessions end, so the new list applies at the next login."""
    email = normalize_email(email)
    require_admin(actor)
    role = _existing(con, email)[0]
    if role != ENTREPRISE:
        raise InvalidAccount("account_admin_neq")
    parsed = _parse_neqs(neqs)
    if not parsed:
        raise InvalidAccount("account_needs_neq")
    with db.transaction(con):
        con.execute(sql.load("delete_account_neqs"), [email])
        for neq in parsed:
            con.execute(sql.load("insert_account_neq"), [email, neq])
        con.execute(sql.load("delete_account_sessions"), [email])
    return Account(email, role, tuple(parsed))


def list_accounts(con: duckdb.DuckDBPyConnection, actor: Account | None) -> pd.DataFrame:
    """Admins only: email, role, active, neqs ('a, b'), created_at, last_login_at, locked_until."""
    require_admin(actor)
    return con.execute(sql.load("list_accounts")).df()


def _account(con: duckdb.DuckDBPyConnection, email: str, role: str) -> Account:
    neqs = tuple(row[0] for row in con.execute(sql.load("get_account_neqs"), [email]).fetchall())
    return Account(email, role, neqs)


# ------------------------------------------------------------------------------------------------------- login
# Every login attempt (unknown e-mail, disabled account, locked e-mail, wrong or right password) does the same work
# before its answer: one throttle upsert for its client, one read, one argon2 verification (against a dummy hash when
# there is no account to check), and for a failure one upsert of the e-mail's failures. The answer is "login_failed"
# or, after `login_max_failures` failures of one e-mail in a row (account or not), "login_locked": neither says
# whether the e-mail has an account. A client (its IP address) making more than `login_client_max_attempts` attempts
# in `login_lock_minutes` gets "login_throttled", whatever e-mails it tries. Counters are single atomic upserts;
# DuckDB's optimistic concurrency makes parallel writers conflict: a TransactionException, or, when two
# transactions insert the same new key of an upsert at once, a ConstraintException "Duplicate key" at commit (the
# retry then finds the row and updates it). Both are retried with backoff; every statement written here is an upsert,
# an update, a delete or an insert under a random key, so a duplicate key can only come from such a race.
MAX_EMAIL_LENGTH = 320
GLOBAL_CLIENT = "*"
RETRIES = 12



_DUMMY_HASH: str | None = None
_DUMMY_LOCK = threading.Lock()


def _dummy_hash() -> str:
    global _DUMMY_HASH
    with _DUMMY_LOCK:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _retrying(operation):
    """Run `operation()` (one statement or one transaction), again after a DuckDB write conflict, with backoff."""
    for attempt in range(RETRIES):
        try:
            return operation()
        except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
            if attempt == RETRIES - 1 or not _is_write_race(exc):
                raise
            time.sleep(min(0.2, 0.002 * 2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def _is_write_race(exc: Exception) -> bool:
    return isinstance(exc, duckdb.TransactionException) or "duplicate key" in str(exc).lower()


def _write(con: duckdb.DuckDBPyConnection, statements: list[tuple[str, object]]) -> list:
    """The statements (sql name, parameters) in one transaction, retried on a write conflict: each one's rows."""
    def run():
        with db.transaction(con):
            return [con.execute(sql.load(name), params).fetchall() for name, params in statements]
    return _retrying(run)


def authenticate(con: duckdb.DuckDBPyConnection, email: str, password: str, now: datetime | None = None,
                 client: str | None = None) -> Account:
    """The account, or LoginFailed: "login_failed" whether the e-mail is unknown, the account disabled or the
    password wrong; "login_locked" once the e-mail (account or not) failed `login_max_failures` times in a row, for
    `login_lock_minutes`; "login_throttled" when `client` (the caller's IP address; one shared bucket when None) made
    too many attempts. Safe under parallel attempts on one database file."""
    now = now or datetime.now()
    email = normalize_email(email)[:MAX_EMAIL_LENGTH]
    password = password or ""
    limits = settings.read(con)
    window = timedelta(minutes=limits.login_lock_minutes)
    (attempts,), = _write(con, [("login_client_attempt", {"client": (client or GLOBAL_CLIENT)[:200], "now": now,
                                                          "window_start": now - window})])[0]
    if attempts > limits.login_client_max_attempts:
        _verify(_dummy_hash(), password)
        raise LoginFailed("login_throttled", minutes=limits.login_lock_minutes)
    role, password_hash, active, locked_until = db.first(con, sql.load("get_login_state"), {"email": email})
    locked = locked_until is not None and now < locked_until
    checkable = password_hash is not None and bool(active) and not locked
    valid = _verify(password_hash if checkable else _dummy_hash(), password) and checkable
    if not valid:
        (failures, locked_until), = _write(con, [("login_failure", {
            "email": email, "now": now, "max_failures": limits.login_max_failures,
            "locked_until": now + timedelta(minutes=limits.login_lock_minutes)})])[0]
        if locked_until is not None and now < locked_until:
            raise LoginFailed("login_locked", minutes=_minutes_left(locked_until, now))
        raise LoginFailed("login_failed")
    statements = [("delete_login_failures", [email]), ("record_login_success", [now, email])]
    if _HASHER.check_needs_rehash(password_hash):
        statements.append(("set_password_hash", [_HASHER.hash(password), email]))
    _write(con, statements)
    return _account(con, email, role)


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


# ---------------------------------------------------------------------------------------------------- sessions
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(con: duckdb.DuckDBPyConnection, account: Account, now: datetime | None = None) -> str:
    """A new random token for this account (kept by the browser); the database keeps only its SHA-256.
    Sessions idle for longer than the timeout are purged on the way."""
    now = now or datetime.now()
    token = secrets.token_urlsafe(32)
    idle = timedelta(minutes=settings.read(con).session_idle_minutes)
    before = now - timedelta(days=1)
    _write(con, [("delete_idle_sessions", [now - idle]),
                 ("insert_session", [_token_hash(token), require_account(account).email, now, now]),
                 ("purge_login_failures", {"before": before, "now": now}),
                 ("purge_login_clients", {"before": before})])
    return token


def resume_session(con: duckdb.DuckDBPyConnection, token: str | None, now: datetime | None = None) -> Account | None:
    """The account of a token still in use (each call counts as activity), or None: unknown, closed, idle for longer
    than `session_idle_minutes`, or the account disabled since."""
    if not token:
        return None
    now = now or datetime.now()
    key = _token_hash(token)
    row = db.first(con, sql.load("get_session"), [key])
    if row is None:
        return None
    email, role, last_seen = row
    if now - last_seen > timedelta(minutes=settings.read(con).session_idle_minutes):
        close_session(con, token)
        return None
    _write(con, [("touch_session", [now, key])])
    return _account(con, email, role)


def close_session(con: duckdb.DuckDBPyConnection, token: str | None) -> None:
    """Log out: the token no longer opens anything."""
    if token:
        with db.transaction(con):
            con.execute(sql.load("delete_session"), [_token_hash(token)])


def account_for_email(con: duckdb.DuckDBPyConnection, email: str | None) -> Account | None:
    """The active account of an e-mail confirmed by an outside identity provider (OIDC, `st.login`), or None: an
    unknown or disabled e-mail opens nothing (accounts are created by an admin, never on first login)."""
    email = normalize_email(email or "")
    row = db.first(con, sql.load("get_account"), [email]) if email else None
    if row is None or not row[2]:
        return None
    return _account(con, email, row[0])


def idle_minutes(con: duckdb.DuckDBPyConnection) -> int:
    """How long a login may stay unused before it expires (the `session_idle_minutes` setting)."""
    return settings.read(con).session_idle_minutes
