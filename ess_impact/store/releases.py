"""Releases (issue 11, versions): the public tables show each year's figures as a provincial admin last released
them, never the figures as they stand after each upload.

Why: every version of the public tables is protected on its own, and a reader who saved the pages before and after
an upload only has to subtract (benchmarks/attack_versions.py: one enterprise's upload gave its figures exactly, from
Québec's totals). So uploads, imports, corrections and undos change the live figures (`annual_figures`: the admins'
own views, the enterprise's "Mes données"), and a year's public tables change only when an admin releases it: a copy
of the year's rows (`released_figures`) that every public table reads (sql/cube.sql and sql/years.sql with `$live`
false). A release also records the confidentiality rules in force: the year's tables keep them when the settings change
later (`indicators.year_rules`), since two suppression patterns of the same figures tell a reader more than one.

A year is released once. Releasing it again would publish a second version of its tables, and the difference
between the two versions is the late enterprises' own figures: until the engine protects a year's versions together,
a released year's later changes stay in the live figures (a pôle sees them; the public does not), and are refused
here with that explanation. The year's first release should therefore wait until its collection is over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from ess_impact import errors, settings, sql
from ess_impact.labels import N_
from ess_impact.store import auth, db


class NothingToRelease(errors.NotFound):
    """The year holds no figures."""


class AlreadyReleased(errors.Refused):
    """The year was released already (see the module's docstring)."""


@dataclass(frozen=True)
class Released:
    year: int
    enterprises: int


def _status(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(sql.load("release_status")).df()


def status(con: duckdb.DuckDBPyConnection, actor: auth.Account | None) -> pd.DataFrame:
    """Admins only (the live counts are not public): one row per year (with live figures or released): year,
    live_enterprises, released_at, released_by, released_enterprises (NaN/None when never released),
    changed_enterprises (enterprises added, removed or with other figures since the release; None when never
    released)."""
    auth.require_admin(actor)
    return _status(con)


def unreleased(found: pd.DataFrame) -> list[int]:
    """The years of a `status` frame that have figures and were never released: those a release may publish."""
    return [int(y) for y in found.loc[found["released_at"].isna() & (found["live_enterprises"] > 0), "year"]]


def release(con: duckdb.DuckDBPyConnection, actor: auth.Account | None, year: int,
            now: datetime | None = None) -> Released:
    """Provincial admins only: make `year`'s figures, as they are now, the ones its public tables show. Refused for a
    year already released (the module's docstring) and for a year without figures."""
    auth.require_provincial(actor)
    year = int(year)
    now = now or datetime.now()
    with db.transaction(con):
        found = _status(con)
        row = found[found["year"] == year]
        if not len(row) or int(row["live_enterprises"].iloc[0]) == 0:
            raise NothingToRelease(N_("release_no_figures"), year=year)
        row = row.iloc[0]
        if pd.notna(row["released_at"]):
            when = pd.Timestamp(row["released_at"]).strftime("%Y-%m-%d")
            changed = int(row["changed_enterprises"])
            if changed == 0:
                raise AlreadyReleased(N_("release_unchanged"), year=year, date=when)
            raise AlreadyReleased(N_("release_again_refused"), year=year, date=when, changed=changed)
        (release_id,), = con.execute(sql.load("release_insert"),
                                     {"year": year, "now": now, "actor": actor.email,
                                      "rules": settings.rules_json(con)}).fetchall()
        con.execute(sql.load("release_copy"), {"release": release_id, "year": year})
        auth.log_activity(con, actor.email, "release", str(year), str(int(row["live_enterprises"])), None, now)
        db.bump_data_version(con)
    return Released(year, int(row["live_enterprises"]))


def release_new_years(con: duckdb.DuckDBPyConnection, actor: auth.Account | None,
                      now: datetime | None = None) -> list[Released]:
    """Release every year that has figures and was never released (the demo data when loaded; a first import in
    `ess-impact import --release`)."""
    auth.require_provincial(actor)
    return [release(con, actor, year, now) for year in unreleased(_status(con))]
