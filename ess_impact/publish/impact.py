"""Economic spin-offs (retombées économiques) estimated with Statistics Canada's input-output multipliers (issue 14).

    multipliers = impact.sector_multipliers(con)        # sector -> {(multiplier, variable): value per dollar}, or {}
    frame = impact.add_spinoffs(frame, multipliers)     # adds spinoff_<variable>_<multiplier> columns

The shock is the enterprises' output, i.e. their revenue, by sector: spin-off = revenue of the sector × the
multiplier of its input-output industry (direct, indirect, induced; jobs, GDP at basic prices, labour income).

Confidentiality: a spin-off is computed from the **published** (protected) cube only, so it can never tell more
than the revenue table does. A sector cell: its published revenue × its multiplier (hidden when its revenue is). A
territory (category 'all'): the sum over its published sectors, plus the revenue of its suppressed sectors (the
territory's published total minus its published sectors) × the average multiplier of those sectors — which
sectors are suppressed is public ("x"), so this is a function of published values; summing exact sector values
instead would give a second equation (Σ m_s × R_s beside Σ R_s) from which two suppressed sectors' revenues can be
solved. Hidden when the territory's revenue is. Legal-form cells get none (the cube has no sector × legal form).

Caveats (shown with the figures): provincial multipliers applied to a territory overstate what stays local
(leakage to other regions is larger for a small territory); spin-offs are not additive across territories (supply
chains cross them); revenue stands for output; an estimate, not a measurement.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from ess_impact import sql

MULTIPLIERS = ("direct", "indirect", "induced")
VARIABLES = ("jobs", "gdp", "labour_income")
COLUMNS = [f"spinoff_{v}_{m}" for v in VARIABLES for m in MULTIPLIERS]


def sector_multipliers(con: duckdb.DuckDBPyConnection) -> dict[str, dict[tuple[str, str], float]]:
    """sector -> {(multiplier, variable): value per dollar of revenue}; empty when no table is loaded."""
    out: dict[str, dict] = {}
    for sector, mult, var, value in con.execute(sql.load("sector_multipliers")).fetchall():
        out.setdefault(sector, {})[(mult, var)] = float(value)
    return out


def last_load(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The multipliers in force: ref_year, file_name, sha256, loaded_at, actor, n_rows; None without a table."""
    row = con.execute(sql.load("last_io_multiplier_load")).fetchone()
    if row is None:
        return None
    return dict(zip(("ref_year", "file_name", "sha256", "loaded_at", "actor", "n_rows"), row))


def add_spinoffs(frame: pd.DataFrame, multipliers: dict) -> pd.DataFrame:
    """`frame` (a cube, protected or not) with the COLUMNS added (NaN without multipliers, for legal-form cells and
    where the revenue they rest on is not published)."""
    out = frame.copy()
    for column in COLUMNS:
        out[column] = np.nan
    if not multipliers or not len(out):
        return out
    keys = [(m, v) for v in VARIABLES for m in MULTIPLIERS]
    mult = pd.DataFrame({f"spinoff_{v}_{m}": {s: values.get((m, v), np.nan) for s, values in multipliers.items()}
                         for m, v in keys})
    revenue = out["revenue_total"].astype(float)
    is_sector = out["cat_kind"].eq("sector").to_numpy()
    sector_m = mult.reindex(out["cat_code"].where(is_sector)).to_numpy()
    out.loc[is_sector, COLUMNS] = sector_m[is_sector] * revenue.to_numpy()[is_sector, None]
    # territories: published sectors exactly, suppressed ones at their average multiplier
    sectors = out[is_sector]
    all_rows = out.index[out["cat_kind"].eq("all")]
    groups = {key: part for key, part in sectors.groupby(["year", "geo_level", "geo_code"], sort=False)}
    for i in all_rows:
        row = out.loc[i]
        total = float(row["revenue_total"])
        if np.isnan(total):
            continue
        part = groups.get((row["year"], row["geo_level"], row["geo_code"]))
        if part is None:
            out.loc[i, COLUMNS] = 0.0 if total == 0 else np.nan
            continue
        shown = part["revenue_total"].notna().to_numpy()
        m = mult.reindex(part["cat_code"]).to_numpy()
        known = np.nansum(m[shown] * part["revenue_total"].to_numpy(float)[shown, None], axis=0)
        rest = total - float(part["revenue_total"].to_numpy(float)[shown].sum())
        if (~shown).any():
            known = known + max(rest, 0.0) * np.nanmean(m[~shown], axis=0)
        out.loc[i, COLUMNS] = known
    return out
