"""The weight of the social economy in its territory (issue 14): its share of the territory's jobs (and of its
employment income), from a reference table of total employment by MRC that an admin loads (intake/employment.py).

    employment = weight.table(con)                    # ref_year, mrc_code, employed, employment_income, source
    frame = weight.add_shares(public_cube, employment)  # adds COLUMNS

jobs_share = published social-economy jobs (headcount, full and part time) ÷ employed persons of the territory;
payroll_share = published payroll ÷ total employment income. The reference year is the nearest one at or before
the data year (a census every five years); a data year before every reference year gets none. A region's (or
Québec's) total is the sum of its MRCs', only when every one of them is in the table for that year.

Confidentiality: a share is computed from the **published** (protected) cube only — the jobs (payroll) value of
the same row, divided by a public figure — so it tells nothing the jobs (payroll) cell does not: where that cell is
"x" the share is "x" too (indicators.FOLLOWS), and share × employment gives back only a published value.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from ess_impact import reference, sql

COLUMNS = ["employment_year", "employed_total", "jobs_share", "employment_income_total", "payroll_share"]
FIELDS = ["ref_year", "mrc_code", "employed", "employment_income", "source"]


def table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The employment reference table in force (empty when none is loaded)."""
    return con.execute(sql.load("employment_reference")).df().reindex(columns=FIELDS)


def last_load(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The last load: loaded_at, actor, file_name, sha256, source, years, n_rows; None without a table."""
    rows = con.execute(sql.load("last_employment_load")).fetchall()
    if not rows:
        return None
    return dict(zip(("loaded_at", "actor", "file_name", "sha256", "source", "years", "n_rows"), rows[0]))


def as_frame(rows: list) -> pd.DataFrame:
    """The table from the published snapshot's manifest (lists of FIELDS)."""
    return pd.DataFrame([list(r) for r in rows], columns=FIELDS).astype({"ref_year": int, "employed": float,
                                                                         "employment_income": float})


def reference_year(employment: pd.DataFrame, year: int) -> int | None:
    """The nearest reference year at or before `year`, or None."""
    before = [int(y) for y in employment["ref_year"].unique() if int(y) <= int(year)]
    return max(before) if before else None


def sources(employment: pd.DataFrame) -> dict[int, str]:
    """ref_year -> its source line."""
    return {int(y): str(s) for y, s in employment.groupby("ref_year")["source"].first().items()}


def _totals(employment: pd.DataFrame) -> dict[tuple[int, str, str], tuple[float, float]]:
    """(ref_year, geo_level, geo_code) -> (employed, employment income): every MRC in the table; a region and
    Québec only when all their MRCs are (NaN income unless every one has it)."""
    mrcs = reference.mrcs()[["code", "region_code"]]
    out = {}
    for year, part in employment.groupby("ref_year"):
        values = part.set_index("mrc_code")[["employed", "employment_income"]].astype(float)
        for code, (employed, income) in values.iterrows():
            out[(int(year), "mrc", code)] = (employed, income)
        every = values.reindex(mrcs["code"]).set_axis(mrcs.index)
        for level, groups in (("region", mrcs["region_code"]), ("all", pd.Series("QC", index=mrcs.index))):
            for code, members in every.groupby(groups):
                if members["employed"].notna().all():
                    income = members["employment_income"]
                    out[(int(year), level, code)] = (float(members["employed"].sum()),
                                                     float(income.sum()) if income.notna().all() else np.nan)
    return out


def add_shares(frame: pd.DataFrame, employment: pd.DataFrame | None) -> pd.DataFrame:
    """`frame` (a published cube) with COLUMNS added: NaN without a table, before its first year, or for a
    territory not wholly in it; a share is NaN where its published value is."""
    out = frame.copy()
    for column in COLUMNS:
        out[column] = np.nan
    if employment is None or employment.empty or not len(out):
        return out
    totals = _totals(employment)
    years = {int(y): reference_year(employment, y) for y in out["year"].unique()}
    ref = out["year"].astype(int).map(years)
    keys = zip(ref, out["geo_level"].astype(str), out["geo_code"].astype(str))
    found = np.array([totals.get((int(r), level, code), (np.nan, np.nan)) if pd.notna(r) else (np.nan, np.nan)
                      for r, level, code in keys], dtype=float).reshape(-1, 2)
    out["employed_total"], out["employment_income_total"] = found[:, 0], found[:, 1]
    out["employment_year"] = ref.where(~np.isnan(found[:, 0]))
    with np.errstate(divide="ignore", invalid="ignore"):
        out["jobs_share"] = out["jobs_total"].astype(float) / out["employed_total"]
        out["payroll_share"] = out["payroll"].astype(float) / out["employment_income_total"]
    return out
