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

from . import auth, db, indicators, sql, tables
from .auth import Account
from .labels import INDICATORS, t

PEER_INDICATORS = ("jobs_total", "fte", "payroll", "revenue_total", "earned_share", "grant_share", "volunteers",
                   "volunteer_hours", "members")
SCOPES = ("mrc", "region", "quebec")
DEFAULT_MEDIAN_MIN_COUNT = 5


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
    values = dict(con.execute(sql.load("settings")).fetchall())
    wanted = int(values.get("median_min_count", DEFAULT_MEDIAN_MIN_COUNT))
    return max(wanted, indicators.settings(con).min_count)


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


def as_table(peers: Peers, lang: str = "fr") -> tables.Table:
    """The comparison as a published table: one row per indicator, the enterprise then each territory's median and the
    number of enterprises it rests on; 'x' where a median is withheld."""
    n = peers.names
    places = {"mrc": "MRC", "region": t("peers_region", lang), "quebec": "Québec"}
    columns = {"self": t("peers_self", lang)}
    for scope in SCOPES:
        columns[scope] = t("peers_median_of", lang, place=places[scope])
        columns[f"{scope}_n"] = t("peers_n_of", lang, place=places[scope])
    label = t("peers_indicator", lang)
    frame = pd.DataFrame({label: [INDICATORS[k].label(lang) for k in PEER_INDICATORS]})
    for column, title in columns.items():
        frame[title] = peers.values[column].to_numpy()
    keys = {title: ("enterprises" if column.endswith("_n") else "jobs_total") for column, title in columns.items()}
    cell_keys = pd.DataFrame({title: list(PEER_INDICATORS) for column, title in columns.items()
                              if not column.endswith("_n")})
    hidden = pd.DataFrame({columns[s]: peers.hidden[s].to_numpy() for s in SCOPES})
    notes = [t("peers_note", lang, sector=n["sector"], year=peers.year, min_count=peers.min_count)]
    return tables.Table(frame, keys, t("peers_title", lang, sector=n["sector"], year=peers.year), notes, hidden,
                        cell_keys)
