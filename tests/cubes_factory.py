"""Crafted rows of a protected cube, for testing what is said or drawn from published values only."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ess_impact.publish.indicators import VALUES


def cube_row(year: int, level: str, code: str, name: str, region: str = "16", population: float = 100_000,
             cat: tuple[str, str, str] = ("all", "ALL", "Tous"), hidden: tuple[str, ...] = (), **values) -> dict:
    row = {"year": year, "geo_level": level, "geo_code": code, "geo_name": name, "region_code": region,
           "cat_kind": cat[0], "cat_code": cat[1], "cat_name_fr": cat[2], "cat_name_en": cat[2] + " (en)",
           "population": population, "cell": f"{level}:{code}|{cat[0]}:{cat[1]}", "suppressed": ",".join(hidden)}
    row.update({k: np.nan for k in VALUES})
    row.update(values)
    if population and "jobs_total" in values and "jobs_per_1000" not in values:
        row["jobs_per_1000"] = values["jobs_total"] / population * 1000
    if "jobs_total" in hidden:
        row["suppressed"] = ",".join(sorted(set(hidden) | {"jobs_per_1000"}))
    return row


def cube(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)
