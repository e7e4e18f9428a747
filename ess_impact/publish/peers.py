"""An enterprise next to its peers: its indicators for a year beside the medians of the other enterprises of its
sector in its MRC, its region and Québec ("Mes données").

The comparison must not be steerable (issue 11): an enterprise that uploads new figures of its own and reads the page
again must learn nothing new about the others. So

* the viewer's own enterprises (every NEQ of its account, and the one compared) are never in the group: its uploads
  cannot move the medians;
* a median rests on at least `median_min_count` OTHER enterprises that reported the item (a setting, never below
  the public `min_count`), else it is withheld;
* the median is published rounded to two significant digits (a median is one enterprise's value, or the mean of
  two): the reader learns that about half of the others report less than about that value, not anyone's figure.
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
    values: pd.DataFrame         # index PEER_INDICATORS; columns self, mrc, region, quebec (rounded medians of the
                                 # other enterprises), <scope>_n (how many other enterprises reported the item)
    hidden: pd.DataFrame         # True where a median is withheld (too few enterprises reported the item)
    min_count: int


def median_min_count(con: duckdb.DuckDBPyConnection) -> int:
    """Fewest enterprises a published median may rest on: the setting, never below the public threshold."""
    found = settings.read(con)
    return max(found.median_min_count, found.min_count)


def round_significant(values, digits: int = 2) -> np.ndarray:
    """Each value rounded to `digits` significant digits (0 and NaN unchanged)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(values)))
        scale = 10.0 ** (digits - 1 - np.where(np.isfinite(magnitude), magnitude, 0))
        return np.where(np.isfinite(values) & (values != 0), np.round(values * scale) / scale, values)


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
    exclude = sorted({neq, *(actor.neqs if actor is not None else ())})
    found = con.execute(sql.load("peer_medians"), {"neq": neq, "year": year, "fte_basis": basis,
                                                   "exclude": exclude}).df()
    found = found.set_index("scope").reindex(["self", *SCOPES])  # a scope with no other enterprise has no row
    found[[c for c in found.columns if c.endswith("__n")]] = found[[c for c in found.columns
                                                                     if c.endswith("__n")]].fillna(0)
    threshold = median_min_count(con)
    values = pd.DataFrame(index=list(PEER_INDICATORS))
    hidden = pd.DataFrame(index=list(PEER_INDICATORS))
    values["self"] = [found.at["self", k] for k in PEER_INDICATORS]
    hidden["self"] = False
    for scope in SCOPES:
        counts = np.array([int(found.at[scope, f"{k}__n"]) for k in PEER_INDICATORS])
        medians = np.array([found.at[scope, k] for k in PEER_INDICATORS], dtype=float)
        withheld = counts < threshold
        values[scope] = np.where(withheld, np.nan, round_significant(medians))
        values[f"{scope}_n"] = counts
        hidden[scope] = withheld
    names = {"sector": sector_en if lang == "en" else sector_fr, "mrc": mrc_name, "region": region_name}
    return Peers(neq, year, sector, mrc, region, names, values, hidden, threshold)
