"""Completeness of a year's reporting, for the pôle's reminders (admins only): which enterprises have not reported
yet, and the reporting rate by region and MRC.

An enterprise is *expected* for a year when it reported that year, or when it is active (not marked inactive in the
registry, table `enterprise_status`) and reported in at least one of the `within` years before. The *missing* ones
are the expected ones without a row for the year: expected = reported + missing, and the reporting rate is
reported ÷ expected. An enterprise that has not reported for more than `within` years is no longer expected.
A regional admin sees its regions only (an enterprise counts in the region of its latest year in the window), and
no Québec line.

    missing(con, actor, 2024)                 # NEQ, name, MRC, region, sector, last year reported, e-mails
    rates(con, actor, 2024, region="16")      # expected, reported, missing, rate: the region, then each of its MRCs
"""

from __future__ import annotations

import duckdb
import pandas as pd

from ess_impact import sql
from ess_impact.store import auth
from ess_impact.store.auth import Account

DEFAULT_WITHIN = 2
MAX_WITHIN = 10
LEVELS = ("quebec", "region", "mrc")
MISSING_COLUMNS = ["neq", "name", "mrc_code", "mrc_name", "region_code", "region_name", "sector_code", "sector",
                   "last_year", "emails"]
RATE_COLUMNS = ["level", "region_code", "region_name", "mrc_code", "mrc_name", "expected", "reported", "missing",
                "rate"]


def _expected(con: duckdb.DuckDBPyConnection, actor: Account | None, year: int, within: int, region: str | None,
              mrc: str | None) -> pd.DataFrame:
    auth.require_admin(actor)
    if region:
        auth.require_region(actor, region)
    if mrc:
        auth.require_region(actor, auth.mrc_regions().get(mrc))
    within = int(within)
    if not 1 <= within <= MAX_WITHIN:
        raise ValueError(f"within must be between 1 and {MAX_WITHIN} years, not {within}")
    params = {"year": int(year), "within": within, "region": region or None, "mrc": mrc or None}
    frame = con.execute(sql.load("completeness"), params).df()
    if actor.is_regional:  # its regions only (an enterprise counts where its latest year of the window is)
        frame = frame[frame["region_code"].isin(actor.regions)].reset_index(drop=True)
    return frame


def missing(con: duckdb.DuckDBPyConnection, actor: Account | None, year: int, within: int = DEFAULT_WITHIN,
            region: str | None = None, mrc: str | None = None, lang: str = "fr") -> pd.DataFrame:
    """The active enterprises that reported in at least one of the `within` years before `year` but have no figures
    for `year`, by region, MRC and name: neq, name, mrc_code, mrc_name, region_code, region_name, sector_code,
    sector (in `lang`), last_year (the latest year reported before `year`), emails (the active accounts linked to the
    NEQ, 'a, b'; '' when none). Admins only."""
    frame = _expected(con, actor, year, within, region, mrc)
    out = frame[~frame["reported"].astype(bool)].reset_index(drop=True)
    out["sector"] = out["sector_en" if lang == "en" else "sector_fr"]
    out["last_year"] = out["last_year"].astype("Int64")
    return out[MISSING_COLUMNS]


def rates(con: duckdb.DuckDBPyConnection, actor: Account | None, year: int, within: int = DEFAULT_WITHIN,
          region: str | None = None, mrc: str | None = None) -> pd.DataFrame:
    """Expected, reported and missing enterprises and the reporting rate (reported ÷ expected) for `year`: the whole
    territory asked for first (Québec, the region, or the MRC), then each region and each MRC within it (a region's
    MRCs right after it). level is 'quebec', 'region' or 'mrc'. Only territories with at least one expected
    enterprise; empty when there is none. Admins only."""
    frame = _expected(con, actor, year, within, region, mrc)
    if frame.empty:
        return pd.DataFrame(columns=RATE_COLUMNS)
    frame["reported"] = frame["reported"].astype(bool)
    parts = []
    if not region and not mrc and actor.is_provincial:
        parts.append(_count(frame.assign(region_code="", region_name="Québec", mrc_code="", mrc_name=""), "quebec"))
    if not mrc:
        parts.append(_count(frame.assign(mrc_code="", mrc_name=""), "region"))
    parts.append(_count(frame, "mrc"))
    out = pd.concat(parts, ignore_index=True)
    out["_order"] = out["level"].map({"quebec": 0, "region": 1, "mrc": 2})
    out["_region_first"] = (out["level"] != "quebec").astype(int)
    out = out.sort_values(["_region_first", "region_code", "_order", "mrc_name", "mrc_code"], kind="stable")
    return out[RATE_COLUMNS].reset_index(drop=True)


def _count(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    keys = ["region_code", "region_name", "mrc_code", "mrc_name"]
    counted = frame.groupby(keys, sort=False, dropna=False).agg(expected=("neq", "size"),
                                                                 reported=("reported", "sum")).reset_index()
    counted["expected"] = counted["expected"].astype(int)
    counted["reported"] = counted["reported"].astype(int)
    counted["missing"] = counted["expected"] - counted["reported"]
    counted["rate"] = counted["reported"] / counted["expected"]
    counted["level"] = level
    return counted
