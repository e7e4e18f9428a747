"""Accounts, roles, passwords, login sessions and the authorization checks the rest of the core calls.

    account = authenticate(con, email, password, now)   # or LoginFailed, with one generic message
    token = open_session(con, account, now)             # keep the token (e.g. in a cookie); only its hash is stored
    account = resume_session(con, token, now)           # on every page load: the Account, or None once idle

Roles: 'admin' (the pôle's staff) and 'entreprise' (only the NEQs linked to the account). A visitor who is not logged
in is `None`. An admin is *provincial* (no region: everything, as before issue 15) or *regional*, bound to one or more
regions (`Account.regions`): it acts only on the enterprise-years whose MRC lies in its regions (an enterprise that
moved is visible to each region for the years it held there), and settings, rates and accounts stay provincial
(`require_provincial`). The checks that need the database (which region holds a stored row) are `foreign_rows`,
`require_rows` and `require_neq_regions`. The command line acts as `SYSTEM`, an admin: whoever can run it holds the database file.
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

from ess_impact import errors, parsing, reference, settings, sql
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
    regions: tuple[str, ...] = ()  # an admin's regions; () = provincial

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def is_provincial(self) -> bool:
        return self.role == ADMIN and not self.regions

    @property
    def is_regional(self) -> bool:
        return self.role == ADMIN and bool(self.regions)

    def holds_region(self, region: str | None) -> bool:
        """Whether this admin acts on `region` (a provincial admin on every one)."""
        return self.is_provincial or (self.is_admin and region in self.regions)

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


def require_provincial(actor: Account | None) -> Account:
    """Settings, rates, accounts, the switch to real data: provincial admins only."""
    if not require_admin(actor).is_provincial:
        raise Forbidden("forbidden_provincial")
    return actor


def admin_regions(actor: Account | None) -> tuple[str, ...] | None:
    """For an admin: None when provincial (every region), else its regions. Forbidden for anyone else."""
    require_admin(actor)
    return None if actor.is_provincial else actor.regions


def regions_of(actor: Account | None) -> list[str]:
    """The region codes an admin acts on, for the pages' choices: every region for a provincial admin."""
    found = admin_regions(actor)
    return list(reference.regions()["code"]) if found is None else list(found)


def require_region(actor: Account | None, region: str | None) -> Account:
    """Refuse unless the admin acts on `region` (None = the whole province: provincial admins only)."""
    require_admin(actor)
    if not actor.is_provincial and (region is None or region not in actor.regions):
        raise Forbidden("forbidden_region", region=region or "Québec")
    return actor


def mrc_regions() -> dict[str, str]:
    """MRC code -> region code (the shipped reference)."""
    frame = reference.mrcs()
    return dict(zip(frame["code"], frame["region_code"]))


def foreign_rows(con: duckdb.DuckDBPyConnection | None, actor: Account, rows: pd.DataFrame) -> list[str]:
    """The NEQs among `rows` (neq, year, mrc) that a regional admin may not write: a row whose MRC lies outside its
    regions, or that would replace a stored row held by another region (read from `con` when given). Empty for anyone
    else (enterprise accounts are checked by NEQ, foreign_neqs)."""
    if not actor.is_regional or rows is None or len(rows) == 0:
        return []
    regions = mrc_regions()
    outside = {neq for neq, mrc in zip(rows["neq"], rows["mrc"]) if regions.get(mrc) not in actor.regions}
    if con is not None:
        stored = con.execute(sql.load("stored_regions"), [sorted(set(rows["neq"]))]).fetchall()
        wanted = set(zip(rows["neq"], (int(y) for y in rows["year"])))
        outside |= {neq for neq, year, region in stored if (neq, year) in wanted and region not in actor.regions}
    return sorted(outside)


def require_rows(con: duckdb.DuckDBPyConnection | None, actor: Account | None, rows: pd.DataFrame) -> Account:
    """Refuse unless the actor may write every row (neq, year, mrc): its NEQs for an enterprise account, its regions'
    enterprise-years for a regional admin."""
    require_neqs(actor, rows["neq"] if rows is not None and len(rows) else [])
    foreign = foreign_rows(con, actor, rows)
    if foreign:
        raise Forbidden("forbidden_region_neqs", neqs=", ".join(foreign))
    return actor


def neq_years(con: duckdb.DuckDBPyConnection, actor: Account, neqs: Iterable[str]) -> dict[str, tuple[set, set]]:
    """For each NEQ: (years held in the actor's regions, years held elsewhere), from the figures in force."""
    found: dict[str, tuple[set, set]] = {neq: (set(), set()) for neq in neqs}
    for neq, year, region in con.execute(sql.load("stored_regions"), [sorted(found)]).fetchall():
        found[neq][0 if actor.holds_region(region) else 1].add(year)
    return found


def require_neq_regions(con: duckdb.DuckDBPyConnection, actor: Account | None, neqs: Iterable[str],
                        whole: bool = True, years: Iterable[int] | None = None) -> Account:
    """Admins only. A regional admin must hold, in its regions: every stored year of every NEQ (`whole`), the `years`
    given, or (whole=False, no years) at least one year of each NEQ (it sees an enterprise that held a year there)."""
    require_admin(actor)
    if actor.is_provincial:
        return actor
    wanted = None if years is None else {int(y) for y in years}
    refused = []
    for neq, (own, other) in neq_years(con, actor, neqs).items():
        if wanted is not None:
            bad = bool(wanted & other)
        elif whole:
            bad = bool(other) or not own
        else:
            bad = not own
        if bad:
            refused.append(neq)
    if refused:
        raise Forbidden("forbidden_region_neqs", neqs=", ".join(sorted(refused)))
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


check_password = _check_password


def valid_email(email: str) -> bool:
    return bool(_EMAIL.match(email or "")) and len(email) <= MAX_EMAIL_LENGTH


def hash_password(password: str) -> str:
    """The argon2id hash stored for a password."""
    return _HASHER.hash(password)


def unusable_hash() -> str:
    """The hash of a random secret nobody holds: an invited account cannot log in until its link sets a password."""
    return _HASHER.hash(secrets.token_urlsafe(32))


def _parse_neqs(neqs: Iterable[str]) -> list[str]:
    return sorted({parsing.required_neq(raw, InvalidAccount) for raw in neqs})


def _existing(con: duckdb.DuckDBPyConnection, email: str) -> tuple:
    row = db.first(con, sql.load("get_account"), [email])
    if row is None:
        raise InvalidAccount("account_unknown", email=email)
    return row


def _parse_regions(regions: Iterable[str]) -> list[str]:
    known = set(reference.regions()["code"])
    parsed = []
    for raw in regions:
        code = str(raw or "").strip()
        code = code.zfill(2) if code.isdigit() else code
        if code not in known:
            raise InvalidAccount("account_bad_region", value=raw)
        parsed.append(code)
    return sorted(set(parsed))


def add_account(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str, role: str, password: str,
                neqs: Iterable[str] = (), now: datetime | None = None, regions: Iterable[str] = ()) -> Account:
    """Create an account (provincial admins only). An 'entreprise' account needs at least one NEQ; an admin has none,
    and is regional when `regions` (region codes) are given, provincial otherwise."""
    require_provincial(actor)
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
    zones = _parse_regions(regions)
    if role != ADMIN and zones:
        raise InvalidAccount("account_region_admin_only")
    _check_password(password)
    if db.first(con, sql.load("get_account"), [email]) is not None:
        raise InvalidAccount("account_exists", email=email)
    password_hash = _HASHER.hash(password)
    now = now or datetime.now()
    with db.transaction(con):
        con.execute(sql.load("insert_account"), [email, role, password_hash, now])
        for neq in parsed:
            con.execute(sql.load("insert_account_neq"), [email, neq])
        for region in zones:
            con.execute(sql.load("insert_account_region"), [email, region])
        log_activity(con, actor.email, "account_add", email, _account_detail(role, parsed, zones), now=now)
    return Account(email, role, tuple(parsed), tuple(zones))


def _account_detail(role: str, neqs, regions) -> str:
    return " ".join([role] + [f"neq={n}" for n in neqs] + [f"region={r}" for r in regions])


def set_password(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str, new: str) -> None:
    """An admin resets anyone's password; an account changes its own. Lifts a lock and closes the account's sessions
    (open a new one after changing your own)."""
    email = normalize_email(email)
    if not require_account(actor).is_provincial and actor.email != email:
        raise Forbidden("forbidden_account")
    _existing(con, email)
    _check_password(new)
    password_hash = _HASHER.hash(new)
    _write(con, [("set_password_hash", [password_hash, email]), ("delete_login_failures", [email]),
                 ("delete_account_sessions", [email]),
                 ("insert_activity", _activity_params(actor.email, "account_password", email, "", None))])


def disable_account(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str) -> None:
    """Provincial admins only. The account can no longer log in; its open sessions end at once. Nothing is deleted."""
    email = normalize_email(email)
    require_provincial(actor)
    if actor.email == email:
        raise InvalidAccount("account_disable_self")
    _existing(con, email)
    with db.transaction(con):
        con.execute(sql.load("disable_account"), [email])
        con.execute(sql.load("delete_account_sessions"), [email])
        log_activity(con, actor.email, "account_disable", email)


def set_account_neqs(con: duckdb.DuckDBPyConnection, actor: Account | None, email: str,
                     neqs: Iterable[str]) -> Account:
    """Provincial admins only: the enterprises (NEQ) an 'entreprise' account answers for, replacing the previous list
    (e.g. after a merge in the registry). At least one; its open sessions end, so the new list applies at the next
    login."""
    email = normalize_email(email)
    require_provincial(actor)
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
        log_activity(con, actor.email, "account_neqs", email, " ".join(parsed))
    return Account(email, role, tuple(parsed))


def list_accounts(con: duckdb.DuckDBPyConnection, actor: Account | None) -> pd.DataFrame:
    """Provincial admins only: email, role, active, neqs ('a, b'), created_at, last_login_at, locked_until, regions
    ('05, 16'; '' for a provincial admin)."""
    require_provincial(actor)
    return con.execute(sql.load("list_accounts")).df()


def _account(con: duckdb.DuckDBPyConnection, email: str, role: str) -> Account:
    neqs = tuple(row[0] for row in con.execute(sql.load("get_account_neqs"), [email]).fetchall())
    regions = tuple(row[0] for row in con.execute(sql.load("get_account_regions"), [email]).fetchall())
    return Account(email, role, neqs, regions if role == ADMIN else ())


# ------------------------------------------------------------------------------------------------ activity log
def _activity_params(actor: str, action: str, target: str = "", detail: str = "", region: str | None = None,
                     now: datetime | None = None) -> list:
    return [now or datetime.now(), str(actor)[:MAX_EMAIL_LENGTH], action, str(target)[:MAX_EMAIL_LENGTH],
            str(detail)[:2000], region]


def log_activity(con: duckdb.DuckDBPyConnection, actor: str, action: str, target: str = "", detail: str = "",
                 region: str | None = None, now: datetime | None = None) -> None:
    """One event of the activity log (table `activity`): accounts, logins, links, requests. Imports, corrections,
    merges, undos, settings and status changes are read from their own tables (publish... see activity.read)."""
    con.execute(sql.load("insert_activity"), _activity_params(actor, action, target, detail, region, now))


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
    who = (client or "")[:200]
    if attempts > limits.login_client_max_attempts:
        _verify(_dummy_hash(), password)
        _write(con, [("insert_activity", _activity_params(email, "login_throttled", who, "", None, now))])
        raise LoginFailed("login_throttled", minutes=limits.login_lock_minutes)
    role, password_hash, active, locked_until = db.first(con, sql.load("get_login_state"), {"email": email})
    locked = locked_until is not None and now < locked_until
    checkable = password_hash is not None and bool(active) and not locked
    valid = _verify(password_hash if checkable else _dummy_hash(), password) and checkable
    if not valid:
        rows = _write(con, [("login_failure", {
            "email": email, "now": now, "max_failures": limits.login_max_failures,
            "locked_until": now + timedelta(minutes=limits.login_lock_minutes)}),
            ("insert_activity", _activity_params(email, "login_failed", who, "", None, now))])
        (failures, locked_until), = rows[0]
        if locked_until is not None and now < locked_until:
            raise LoginFailed("login_locked", minutes=_minutes_left(locked_until, now))
        raise LoginFailed("login_failed")
    statements = [("delete_login_failures", [email]), ("record_login_success", [now, email]),
                  ("insert_activity", _activity_params(email, "login", who, "", None, now))]
    if _HASHER.check_needs_rehash(password_hash):
        statements.append(("set_password_hash", [_HASHER.hash(password), email]))
    _write(con, statements)
    return _account(con, email, role)


def require_not_throttled(con: duckdb.DuckDBPyConnection, client: str | None, now: datetime | None = None) -> None:
    """Count one attempt of `client` (its IP address; one shared bucket when None) in the logins' window: a public
    request (reset link, account) past `login_client_max_attempts` is refused like a login ("login_throttled")."""
    now = now or datetime.now()
    limits = settings.read(con)
    window = timedelta(minutes=limits.login_lock_minutes)
    (attempts,), = _write(con, [("login_client_attempt", {"client": (client or GLOBAL_CLIENT)[:200], "now": now,
                                                          "window_start": now - window})])[0]
    if attempts > limits.login_client_max_attempts:
        raise LoginFailed("login_throttled", minutes=limits.login_lock_minutes)


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


# ---------------------------------------------------------------------------------------------------- sessions
def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


token_hash = _token_hash  # sessions' tokens and one-time links' tokens alike: only this digest is stored


def open_session(con: duckdb.DuckDBPyConnection, account: Account, now: datetime | None = None) -> str:
    """A new random token for this account (kept by the browser); the database keeps only its SHA-256.
    Sessions idle for longer than the timeout, and activity events older than their retention, are purged on the
    way."""
    now = now or datetime.now()
    token = secrets.token_urlsafe(32)
    limits = settings.read(con)
    idle = timedelta(minutes=limits.session_idle_minutes)
    before = now - timedelta(days=1)
    _write(con, [("delete_idle_sessions", [now - idle]),
                 ("insert_session", [_token_hash(token), require_account(account).email, now, now]),
                 ("purge_login_failures", {"before": before, "now": now}),
                 ("purge_login_clients", {"before": before}),
                 ("purge_activity", {"before": now - timedelta(days=limits.activity_retention_days)})])
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
