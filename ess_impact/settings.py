"""Every setting in one place: its default, its bounds, its unit, what a change affects, and reading them.

    s = settings.read(con)          # once per unit of work, then pass `s` down
    s.min_count, s.fte_basis_hours  # typed values

Values are stored as text in the `settings` table (written by settings_admin.set_setting, within these bounds, or at
installation from the defaults below). Bounds never allow weaker confidentiality than DESIGN §4. No other module
parses settings rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

import duckdb

from ess_impact import formatting, sql

# What a change affects: the public tables (recomputed), the peer comparison (Mes données), logins, uploads.
PUBLIC, PEERS, LOGIN, UPLOAD, BACKUP = "public", "peers", "login", "upload", "backup"
RULES = "rules"  # a confidentiality rule: the years released afterwards (store/releases.py)
# The ceiling Streamlit itself enforces on an upload (server.maxUploadSize, passed by ess_impact.web.server).
UPLOAD_CEILING_MB = 50


@dataclass(frozen=True)
class Spec:
    key: str
    default: str            # as stored (text)
    low: float
    high: float
    integer: bool
    effect: str             # PUBLIC, RULES, PEERS, LOGIN, UPLOAD or BACKUP
    unit: str               # hours, enterprises, share, percent, minutes, attempts, MB, $, jobs, volunteers, members
    meaning: str            # one line, for developers (the interface's text is in the label catalogue)

    @property
    def percent(self) -> bool:
        return self.unit == "share"

    def value(self, text) -> int | float:
        number = float(text)
        return int(number) if self.integer else number

    def text(self, value, lang: str = "fr") -> str:
        """A value of this setting as the reader sees it (Québec formats)."""
        if self.percent:
            return formatting.percent(value, lang, 0 if float(value) * 100 == round(float(value) * 100) else 1)
        return formatting.number(value, lang, 0 if float(value).is_integer() else 1)


SPECS: dict[str, Spec] = {s.key: s for s in (
    Spec("fte_basis_hours", "1820", 1000, 2500, False, PUBLIC, "hours", "paid hours per FTE (35 h x 52 weeks)"),
    Spec("min_count", "3", 3, 20, True, RULES, "enterprises",
         "a cell of fewer enterprises is suppressed (never fewer than 3, DESIGN §4)"),
    Spec("dominance_share", "0.85", 0.5, 0.85, False, RULES, "share",
         "(n, k) rule: the n largest enterprises above this share of a cell: sensitive (never above 85 %, DESIGN §4)"),
    Spec("dominance_n", "1", 1, 2, True, RULES, "enterprises", "n of the (n, k) rule: one or two largest enterprises"),
    Spec("p_percent", "10", 10, 30, False, RULES, "percent",
         "p % rule: the second largest could estimate the largest within p %: sensitive (never below 10 %)"),
    Spec("median_min_count", "5", 5, 50, True, PEERS,
         "enterprises", "a peer median shown to an enterprise rests on at least this many (never below min_count)"),
    Spec("session_idle_minutes", "30", 5, 240, True, LOGIN, "minutes", "a login not used for this long expires"),
    Spec("login_max_failures", "5", 3, 20, True, LOGIN, "attempts", "this many failed logins in a row lock..."),
    Spec("login_lock_minutes", "15", 5, 1440, True, LOGIN, "minutes", "...for this long"),
    Spec("login_client_max_attempts", "30", 10, 1000, True, LOGIN, "attempts",
         "login attempts of one client (IP address) per login_lock_minutes"),
    Spec("max_upload_mb", "10", 1, UPLOAD_CEILING_MB, True, UPLOAD, "MB",
         "a larger uploaded file is refused before it is read"),
    # Hard ceilings of the import, far beyond any real enterprise (the largest Québec co-operative: ~20 G$ of revenue,
    # ~55 000 jobs, ~7.5 M members): a value above is an error, not a warning. The highs keep every value far inside
    # what the database stores (BIGINT, DOUBLE).
    Spec("max_amount", "50000000000", 1_000_000, 100_000_000_000, True, UPLOAD, "$",
         "revenue (total, earned, grants) and payroll"),
    Spec("max_jobs", "100000", 100, 1_000_000, True, UPLOAD, "jobs", "full-time, part-time"),
    Spec("max_hours_per_job", "8760", 2_000, 8_784, True, UPLOAD, "hours",
         "paid hours per job (headcount, at least 1): a year has 8 760 hours"),
    Spec("max_volunteers", "1000000", 1_000, 10_000_000, True, UPLOAD, "volunteers", "volunteers"),
    Spec("max_members", "20000000", 10_000, 100_000_000, True, UPLOAD, "members", "members"),
    # Issue 15: how long an invitation or a password-reset link stays valid; how long the activity log keeps the events
    # of its own table (logins, accounts, links, requests: imports, settings and status changes are never purged).
    Spec("link_valid_hours", "72", 1, 720, True, LOGIN, "hours", "an invitation or reset link expires after this"),
    Spec("activity_retention_days", "730", 30, 3650, True, LOGIN, "days",
         "logins, account, link and request events older than this are purged"),
    Spec("backup_keep", "14", 1, 365, True, BACKUP, "backups",
         "`ess-impact backup` keeps this many backups of the database in its folder, the newest"),
)}
DEFAULTS: dict[str, str] = {key: spec.default for key, spec in SPECS.items()}


@dataclass(frozen=True)
class Settings:
    """The settings in force, typed. Field names are the setting keys."""
    fte_basis_hours: float
    min_count: int
    dominance_share: float
    dominance_n: int
    p_percent: float
    median_min_count: int
    session_idle_minutes: int
    login_max_failures: int
    login_lock_minutes: int
    login_client_max_attempts: int
    max_upload_mb: int
    max_amount: int
    max_jobs: int
    max_hours_per_job: int
    max_volunteers: int
    max_members: int
    link_valid_hours: int
    activity_retention_days: int
    backup_keep: int


assert [f.name for f in fields(Settings)] == list(SPECS), "Settings and SPECS list the same keys in the same order"


def defaults() -> Settings:
    return Settings(**{key: spec.value(spec.default) for key, spec in SPECS.items()})


def read(con: duckdb.DuckDBPyConnection) -> Settings:
    """The settings in force (a key not stored yet takes its default)."""
    stored = dict(con.execute(sql.load("settings")).fetchall())
    return Settings(**{key: spec.value(stored.get(key, spec.default)) for key, spec in SPECS.items()})


# The confidentiality rules among the settings: a release records them (store/releases.py), and a released year's
# tables keep them.
RULE_KEYS = ("min_count", "dominance_share", "dominance_n", "p_percent")


def rules_json(con: duckdb.DuckDBPyConnection) -> str:
    """The confidentiality rules in force, as a release records them."""
    found = read(con)
    return json.dumps({key: getattr(found, key) for key in RULE_KEYS}, sort_keys=True)
