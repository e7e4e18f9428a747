"""An enterprise next to its peers: its indicators for a year beside the medians of the enterprises of its sector in
its MRC, its region and Québec ("Mes données").

A median is a value of one enterprise (or the mean of two), so it is withheld where fewer than `median_min_count`
enterprises of the sector reported the item in the territory (a setting, never below the public `min_count`). With
five or more, the reader learns that some enterprise of the group has about that value, not which one.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from ess_impact import settings, sql
from ess_impact.publish import indicators
from ess_impact.store import auth, db
from ess_impact.store.auth import Account

PEER_INDICATORS = ("jobs_total", "fte", "payroll", "revenue_total", "earned_share", "grant_share", "volunteers",
                   "volunteer_hours", "members")
SCOPES = ("mrc", "region", "quebec")


@dataclass
class Peers:
    neq: str
    year: int
    sector: str
    mrc: str
    region: str
    names: dict[str, str]        # 'sector', 'mrc', 'region' -> name in the reader's language
    values: pd.DataFrame         # index PEER_INDICATORS; columns self, mrc, region, quebec (medians), <scope>_n
    hidden: pd.DataFrame         # True where a median is withheld (too few enterprises reported the item)
    min_count: int


def median_min_count(con: duckdb.DuckDBPyConnection) -> int:
    """Fewest enterprises a published median may rest on: the setting, never below the public threshold."""
    found = settings.read(con)
    return max(found.median_min_count, found.min_count)


def peer_medians(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str, year: int,
                 lang: str = "fr") -> Peers | None:
    """The comparison for one enterprise and year, or None when it has no row that year. An 'entreprise' account
    may ask only for its own NEQs, an admin for any, nobody else (auth.Forbidden)."""
    auth.require_neqs(actor, [neq])
    identity = db.first(con, sql.load("own_identity"), [neq, year])
    if identity is None:
        return None
    sector, sector_fr, sector_en, mrc, mrc_name, region, region_name = identity
    basis = indicators.settings(con).fte_basis_hours
    found = con.execute(sql.load("peer_medians"), {"neq": neq, "year": year, "fte_basis": basis}).df()
    found = found.set_index("scope")
    threshold = median_min_count(con)
    values = pd.DataFrame(index=list(PEER_INDICATORS))
    hidden = pd.DataFrame(index=list(PEER_INDICATORS))
    values["self"] = [found.at["self", k] for k in PEER_INDICATORS]
    hidden["self"] = False
    for scope in SCOPES:
        counts = np.array([int(found.at[scope, f"{k}__n"]) for k in PEER_INDICATORS])
        medians = np.array([found.at[scope, k] for k in PEER_INDICATORS], dtype=float)
        withheld = counts < threshold
        values[scope] = np.where(withheld, np.nan, medians)
        values[f"{scope}_n"] = counts
        hidden[scope] = withheld
    names = {"sector": sector_en if lang == "en" else sector_fr, "mrc": mrc_name, "region": region_name}
    return Peers(neq, year, sector, mrc, region, names, values, hidden, threshold)
