"""The map's areas: one value per boundary polygon, from the protected cube only.

Most polygons are one MRC/TE. Five cover two or three (Statistics Canada census divisions: Trois-Rivières + Les
Chenaux, Saguenay + Le Fjord-du-Saguenay, Sept-Rivières + Caniapiscau, Minganie + Le Golfe-du-Saint-Laurent,
Jamésie + Kativik + Eeyou Istchee). Such a polygon is coloured only with a value that the published tables already
determine: the sum of its MRCs' published values. When any of them is suppressed, the polygon is suppressed too
("x"): a sum of a suppressed value and published ones would let a reader subtract the published ones and recover
the suppressed one.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import pandas as pd

from ess_impact import reference
from ess_impact.publish.indicators import Filters, hidden, select

BOUNDARIES = "quebec_mrc_boundaries.geojson"


@lru_cache(maxsize=1)
def boundaries() -> dict:
    """The shipped GeoJSON (census divisions keyed to MRC codes; `properties.code` is '371+372' for a shared one)."""
    return json.loads(reference.DATA.joinpath(BOUNDARIES).read_text(encoding="utf-8"))


def features() -> pd.DataFrame:
    """area (the feature's code), codes (list of MRC codes), shared, region_code, one row per polygon."""
    regions = reference.mrcs().set_index("code")["region_code"]
    rows = []
    for feature in boundaries()["features"]:
        p = feature["properties"]
        rows.append({"area": p["code"], "codes": list(p["codes"]), "shared": bool(p["shared"]),
                     "region_code": str(regions[p["codes"][0]])})
    return pd.DataFrame(rows)


def area_values(cubes: pd.DataFrame, f: Filters, key: str, lang: str = "fr") -> pd.DataFrame:
    """One row per polygon: area, name, codes, region_code, population, value, hidden, rate (per 1 000 inhabitants),
    missing (nobody reported there). `key` must be additive (a count, jobs, hours or dollars).

    value = the sum of the published values of the polygon's MRCs; hidden when one of them is suppressed. An MRC
    without any row (no enterprise reported) adds nothing. The rate divides by the population of every MRC of the
    polygon (public reference data), so it is known exactly when the value is.
    """
    rows = select(cubes, "mrc", Filters(f.year, None, None, f.sector, f.legal_form), lang)
    value = dict(zip(rows["code"], rows[key].to_numpy(dtype=float)))
    secret = dict(zip(rows["code"], hidden(rows, key)))
    mrcs = reference.mrcs().set_index("code")
    out = []
    for area in features().itertuples(index=False):
        names = [str(mrcs.loc[c, "usual_name"]) for c in area.codes]
        population = float(sum(mrcs.loc[c, "population"] for c in area.codes))
        present = [c for c in area.codes if c in value]
        is_hidden = any(secret[c] for c in present)
        missing = not present
        total = np.nan if is_hidden or missing else float(sum(value[c] for c in present if not np.isnan(value[c])))
        out.append({"area": area.area, "name": " + ".join(names), "codes": area.codes, "shared": area.shared,
                    "region_code": area.region_code, "population": population, "value": total,
                    "hidden": is_hidden, "missing": missing,
                    "rate": total / population * 1000 if population and not np.isnan(total) else np.nan})
    return pd.DataFrame(out)
