"""Changing the settings and the volunteer hourly rates (provincial admins only), validated, traced and one transaction each.

    set_setting(con, actor, "fte_basis_hours", 1950)          # a Change; InvalidSetting (French message) if refused
    set_volunteer_rate(con, actor, 2026, 16.60, "CNESST")     # add or change a year's rate, with its source
    delete_volunteer_rate(con, actor, 2019)

Every change records who and when on the row (settings.updated_at/updated_by, volunteer_rates.updated_at/updated_by)
and in the log `settings_changes` (old and new value; a deleted rate stays there). Bounds never allow weaker
confidentiality than DESIGN §4 (at least 3 enterprises per cell, no enterprise above 85 % of a cell).

The FTE basis, the confidentiality thresholds and the rates change the public figures: such a change bumps the data
version, so that every cache keyed by it (the app's, the stored cubes' fingerprint) is recomputed; the caller then
runs `indicators.prepare_public` so that the next visitor does not wait for it. The other settings (login, upload)
are read from the database at each use and apply at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from ess_impact import errors, formatting, labels, parsing, settings, sql
from ess_impact.labels import N_, t
from ess_impact.store import auth, db
from ess_impact.store.auth import Account

# Who "changed" a value written at installation (sql/insert_default_setting.sql, sql/insert_default_rate.sql).
DEFAULT_ACTOR = "défaut"
MIN_RATE_YEAR = 2000
MAX_RATE = 100.0            # $ per volunteer hour
MAX_SOURCE_LENGTH = 300


# Each setting's name and its meaning in the catalogue (keys marked for the extraction), and the part of the tool a
# change affects.
SETTING_TEXTS: dict[str, tuple[str, str]] = {
    "fte_basis_hours": (N_("setting_fte_basis_hours"), N_("setting_fte_basis_hours_help")),
    "min_count": (N_("setting_min_count"), N_("setting_min_count_help")),
    "dominance_share": (N_("setting_dominance_share"), N_("setting_dominance_share_help")),
    "dominance_n": (N_("setting_dominance_n"), N_("setting_dominance_n_help")),
    "p_percent": (N_("setting_p_percent"), N_("setting_p_percent_help")),
    "median_min_count": (N_("setting_median_min_count"), N_("setting_median_min_count_help")),
    "session_idle_minutes": (N_("setting_session_idle_minutes"), N_("setting_session_idle_minutes_help")),
    "login_max_failures": (N_("setting_login_max_failures"), N_("setting_login_max_failures_help")),
    "login_lock_minutes": (N_("setting_login_lock_minutes"), N_("setting_login_lock_minutes_help")),
    "login_client_max_attempts": (N_("setting_login_client_max_attempts"),
                                  N_("setting_login_client_max_attempts_help")),
    "max_upload_mb": (N_("setting_max_upload_mb"), N_("setting_max_upload_mb_help")),
    "max_amount": (N_("setting_max_amount"), N_("setting_max_amount_help")),
    "max_jobs": (N_("setting_max_jobs"), N_("setting_max_jobs_help")),
    "max_hours_per_job": (N_("setting_max_hours_per_job"), N_("setting_max_hours_per_job_help")),
    "max_volunteers": (N_("setting_max_volunteers"), N_("setting_max_volunteers_help")),
    "max_members": (N_("setting_max_members"), N_("setting_max_members_help")),
    "link_valid_hours": (N_("setting_link_valid_hours"), N_("setting_link_valid_hours_help")),
    "activity_retention_days": (N_("setting_activity_retention_days"), N_("setting_activity_retention_days_help")),
    "backup_keep": (N_("setting_backup_keep"), N_("setting_backup_keep_help")),
}
EFFECT_TEXTS = {"public": N_("settings_effect_public"), "rules": N_("settings_effect_rules"),
                "upload": N_("settings_effect_upload"),
                "login": N_("settings_effect_login"), "peers": N_("settings_effect_peers"),
                "backup": N_("settings_effect_backup")}
assert SETTING_TEXTS.keys() == settings.SPECS.keys(), "every setting has its name and meaning in the catalogue"


def setting_name(key: str, lang: str) -> str:
    return t(SETTING_TEXTS[key][0], lang)


def setting_help(key: str, lang: str) -> str:
    return t(SETTING_TEXTS[key][1], lang)


def setting_effect(key: str, lang: str) -> str:
    return t(EFFECT_TEXTS[settings.SPECS[key].effect], lang)


class InvalidSetting(errors.Invalid):
    """A setting or a rate refused; `message(lang)` says why, numbers in the reader's formats."""

    def __init__(self, key: str, setting: str | None = None, **params):
        super().__init__(key, **params)
        self.setting = setting

    def message(self, lang: str = "fr") -> str:
        params = dict(self.params)
        spec = settings.SPECS.get(self.setting)
        if spec is not None:
            params["name"] = setting_name(spec.key, lang)
            for name in ("low", "high", "value"):
                if isinstance(params.get(name), (int, float)):
                    params[name] = spec.text(params[name], lang)
        if self.key == "rate_bad_rate":
            params["max"] = formatting.money(params["max"], lang)
        return t(self.key, lang, **params)

    def __str__(self) -> str:
        return self.message("fr")


@dataclass(frozen=True)
class Change:
    item: str               # the setting's key, or volunteer_rate:YYYY
    old: str | None
    new: str | None
    changed: bool           # False when the new value equals the old one (nothing written)
    public: bool            # the public tables must be recomputed


# ------------------------------------------------------------------------------------------------------ reading
def current_settings(con: duckdb.DuckDBPyConnection, actor: Account | None) -> pd.DataFrame:
    """The settings that can be changed here, in settings.SPECS order: key, value (text as stored), default, updated_at,
    updated_by (DEFAULT_ACTOR for a value never changed). Provincial admins only."""
    auth.require_provincial(actor)
    stored = con.execute(sql.load("settings_admin")).df().set_index("key")
    rows = []
    for key in settings.SPECS:
        value, updated_at, updated_by = (stored.loc[key, ["value", "updated_at", "updated_by"]] if key in stored.index
                                         else (settings.DEFAULTS[key], pd.NaT, DEFAULT_ACTOR))
        rows.append({"key": key, "value": value, "default": settings.DEFAULTS[key], "updated_at": updated_at,
                     "updated_by": updated_by})
    return pd.DataFrame(rows)


def volunteer_rates(con: duckdb.DuckDBPyConnection, actor: Account | None) -> pd.DataFrame:
    """year, rate, source, updated_at, updated_by. Admins only (it names who changed them)."""
    auth.require_provincial(actor)
    return con.execute(sql.load("volunteer_rates_admin")).df()


def changes(con: duckdb.DuckDBPyConnection, actor: Account | None, limit: int = 50) -> pd.DataFrame:
    """The latest changes, newest first: changed_at, changed_by, item, old_value, new_value. Provincial admins only."""
    auth.require_provincial(actor)
    return con.execute(sql.load("settings_changes"), [int(limit)]).df()


# ------------------------------------------------------------------------------------------------------ writing
def _canonical(number: float, integer: bool) -> str:
    """How a value is stored: '1820', '0.85' (what indicators.settings and auth read back)."""
    if integer or float(number).is_integer():
        return str(int(number))
    return repr(round(float(number), 6))


def _number(value) -> float | None:
    """A number typed the Québec or the English way ('1 820', '0,85', '-3'), or None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return None if math.isnan(value) else float(value)
    text = str(value).strip()
    negative = text.startswith(("-", "−"))
    try:
        number = parsing.parse_number(text.lstrip("-−").strip())
    except parsing.CellError:
        return None
    if number is None:
        return None
    return -number if negative else number


def parse_setting(key: str, value) -> str:
    """The value to store for `key` (text), or InvalidSetting: unknown key, not a number, not a whole number when
    one is needed, outside the bounds. Numbers may be typed the Québec way ('1 820', '0,85'); a share may be given
    as a percentage ('85 %' or 85: a share is never above 1)."""
    spec = settings.SPECS.get(key)
    if spec is None:
        raise InvalidSetting("setting_unknown", value=key)
    text = value.strip() if isinstance(value, str) else value
    percent = spec.percent and isinstance(text, str) and text.endswith("%")
    number = _number(text.rstrip("%") if percent else text)
    if number is None:
        raise InvalidSetting("setting_not_number", key, value=str(value).strip())
    if spec.percent and (percent or number > 1):  # '85 %' or 85: a share is never above 1
        number /= 100
    if spec.integer and not number.is_integer():
        raise InvalidSetting("setting_not_integer", key, value=str(value).strip())
    if not spec.low <= number <= spec.high:
        raise InvalidSetting("setting_out_of_range", key, value=number, low=spec.low, high=spec.high)
    return _canonical(number, spec.integer)


def set_setting(con: duckdb.DuckDBPyConnection, actor: Account | None, key: str, value,
                now: datetime | None = None) -> Change:
    """Change one setting (provincial admins only), validated (InvalidSetting), in one transaction: the value, who and when, a
    line in the change log and, for a setting that changes the public figures, a new data version."""
    auth.require_provincial(actor)
    new = parse_setting(key, value)
    row = db.first(con, sql.load("get_setting"), [key])
    old = row[0] if row else None
    public = settings.SPECS[key].effect in (settings.PUBLIC, settings.RULES)
    if old is not None and float(old) == float(new):
        return Change(key, old, old, False, public)
    now = now or datetime.now()
    with db.transaction(con):
        con.execute(sql.load("upsert_setting"), [key, new, now, actor.email])
        con.execute(sql.load("log_settings_change"), [now, actor.email, key, old, new])
        if public:
            db.bump_data_version(con)
    return Change(key, old, new, True, public)


RATE_ITEM = "volunteer_rate:"
_RATE_SEPARATOR = " — "


def _rate_text(rate: float, source: str) -> str:
    return f"{_canonical(rate, False)}{_RATE_SEPARATOR}{source}"


def item_text(item: str, lang: str = "fr") -> str:
    """What a logged change is about, for the reader: the setting's name, or 'Taux du bénévolat 2024'."""
    if item.startswith(RATE_ITEM):
        return t("settings_item_rate", lang, year=item[len(RATE_ITEM):])
    if item.startswith(RATE_HIGH_ITEM):
        return t("settings_item_rate_high", lang, year=item[len(RATE_HIGH_ITEM):])
    return setting_name(item, lang) if item in settings.SPECS else item


def value_text(item: str, value: str | None, lang: str = "fr") -> str:
    """A logged or stored value as the reader sees it: '1 950', '85 %', '16,60 $ — CNESST'; '—' when none (added or
    deleted)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return formatting.MISSING
    if item.startswith((RATE_ITEM, RATE_HIGH_ITEM)):
        rate, _, source = value.partition(_RATE_SEPARATOR)
        return f"{formatting.money(float(rate), lang, 2)}{_RATE_SEPARATOR}{labels.rate_source(source, lang)}"
    spec = settings.SPECS.get(item)
    return spec.text(float(value), lang) if spec is not None else value


def parse_rate(year, rate, source) -> tuple[int, float, str]:
    """(year, rate, source) as stored, or InvalidSetting: a year from 2000 to next year, a rate above 0 and at most
    MAX_RATE dollars, a source that is not empty."""
    latest = datetime.now().year + 1
    number = _number(year)
    if number is None or not number.is_integer() or not MIN_RATE_YEAR <= number <= latest:
        raise InvalidSetting("rate_bad_year", value=str(year).strip(), low=MIN_RATE_YEAR, max=latest)
    amount = _number(rate)
    if amount is None or not 0 < amount <= MAX_RATE:
        raise InvalidSetting("rate_bad_rate", value=str(rate).strip(), max=MAX_RATE)
    text = " ".join(str(source or "").split())
    if not text:
        raise InvalidSetting("rate_needs_source")
    if len(text) > MAX_SOURCE_LENGTH:
        raise InvalidSetting("rate_source_too_long", max=MAX_SOURCE_LENGTH)
    return int(number), round(amount, 4), text


def set_volunteer_rate(con: duckdb.DuckDBPyConnection, actor: Account | None, year, rate, source: str,
                       now: datetime | None = None) -> Change:
    """Add or change the hourly value of a volunteer hour for `year`, with its source (provincial admins only), in one
    transaction: who and when on the row, a line in the change log, a new data version (the public figures change)."""
    auth.require_provincial(actor)
    year, rate, source = parse_rate(year, rate, source)
    row = db.first(con, sql.load("get_volunteer_rate"), [year])
    item = f"{RATE_ITEM}{year}"
    old = _rate_text(row[0], row[1]) if row else None
    new = _rate_text(rate, source)
    if old == new:
        return Change(item, old, new, False, True)
    now = now or datetime.now()
    with db.transaction(con):
        con.execute(sql.load("upsert_volunteer_rate"), [year, rate, source, now, actor.email])
        con.execute(sql.load("log_settings_change"), [now, actor.email, item, old, new])
        db.bump_data_version(con)
    return Change(item, old, new, True, True)


RATE_HIGH_ITEM = "volunteer_rate_high:"


def set_volunteer_rate_high(con: duckdb.DuckDBPyConnection, actor: Account | None, year, rate, source: str,
                            now: datetime | None = None) -> Change:
    """Set the specialised rate of `year` (the high end of the value of volunteering, issue 14: the wage of the work
    volunteers do), with its source (admins only); the year must already have its minimum-wage rate. Traced and
    logged like the other rates; a new data version (the public figures change)."""
    auth.require_admin(actor)
    year, rate, source = parse_rate(year, rate, source)
    row = db.first(con, sql.load("get_volunteer_rate"), [year])
    if row is None:
        raise InvalidSetting("rate_unknown_year", year=year)
    high = {int(y): (r, s) for y, r, s in con.execute(sql.load("volunteer_rates_high")).fetchall()}
    item = f"{RATE_HIGH_ITEM}{year}"
    old_rate, old_source = high.get(year, (None, None))
    old = None if old_rate is None else _rate_text(old_rate, old_source)
    new = _rate_text(rate, source)
    if old == new:
        return Change(item, old, new, False, True)
    now = now or datetime.now()
    with db.transaction(con):
        con.execute(sql.load("set_volunteer_rate_high"),
                    {"rate": rate, "source": source, "now": now, "actor": actor.email, "year": year})
        con.execute(sql.load("log_settings_change"), [now, actor.email, item, old, new])
        db.bump_data_version(con)
    return Change(item, old, new, True, True)


def delete_volunteer_rate(con: duckdb.DuckDBPyConnection, actor: Account | None, year: int,
                          now: datetime | None = None) -> Change:
    """Remove a year's rate (provincial admins only): that year then takes the latest earlier rate (sql/cube.sql). The last
    remaining rate cannot be removed (the value of volunteering needs one). Logged with the value removed."""
    auth.require_provincial(actor)
    row = db.first(con, sql.load("get_volunteer_rate"), [int(year)])
    if row is None:
        raise InvalidSetting("rate_unknown_year", year=int(year))
    if db.first(con, sql.load("count_volunteer_rates"))[0] <= 1:
        raise InvalidSetting("rate_last_one")
    item, old = f"{RATE_ITEM}{int(year)}", _rate_text(row[0], row[1])
    now = now or datetime.now()
    with db.transaction(con):
        con.execute(sql.load("delete_volunteer_rate"), [int(year)])
        con.execute(sql.load("log_settings_change"), [now, actor.email, item, old, None])
        db.bump_data_version(con)
    return Change(item, old, None, True, True)
