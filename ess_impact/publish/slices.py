"""The slices of the public cube that the dashboard and the reports show: a territory's row, its trend, its
breakdown by sector or legal form, ranks, comparisons and sector shares.

Pure pandas on cubes already protected by `indicators.protect`: a value suppressed there stays hidden here, and
anything computed from it (a share, a rank, an index) is hidden with it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ess_impact import reference
from ess_impact.labels import INDICATORS, N_
from ess_impact.publish.indicators import Filters, hidden, is_hidden, select

# Indicators offered in the charts (additive, with a per-1 000 version when one exists).
CHART_INDICATORS = ["jobs_total", "fte", "revenue_total", "volunteer_hours", "volunteer_value", "volunteers",
                    "enterprises", "payroll", "members"]
PER_1000 = {"jobs_total": "jobs_per_1000", "revenue_total": "revenue_per_1000",
            "volunteer_hours": "volunteer_hours_per_1000"}
PER_1000_KEYS = list(PER_1000.values())
POPULATION = N_("population")  # the territories' population column, labelled by the catalogue
# The headline figures (cards of the dashboard, key figures of a report).
HEADLINE = ["enterprises", "jobs_total", "fte", "revenue_total", "earned_share", "volunteers", "volunteer_hours",
            "volunteer_value"]
TABLE_COLUMNS = ["enterprises", "jobs_total", "fte", "revenue_total", "earned_share", "volunteers",
                 "volunteer_hours", "volunteer_value", "jobs_per_1000", "revenue_per_1000"]


def per_1000_key(key: str) -> str:
    return PER_1000.get(key, "jobs_per_1000")


def row(cubes: pd.DataFrame, f: Filters, lang: str = "fr") -> pd.Series | None:
    """The territory × category row of f.year (None when nobody reported there)."""
    rows = select(cubes, "all", f, lang)
    return rows.iloc[0] if len(rows) else None


def trend(cubes: pd.DataFrame, f: Filters, key: str, series: str, lang: str = "fr") -> pd.DataFrame:
    """series, year, value, hidden of one indicator for one territory × category, every year."""
    rows = select(cubes, "all", Filters(None, f.region, f.mrc, f.sector, f.legal_form), lang).sort_values("year")
    return pd.DataFrame({"series": series, "year": rows["year"].to_numpy(), "value": rows[key].to_numpy(dtype=float),
                         "hidden": hidden(rows, key)})


def breakdown(cubes: pd.DataFrame, f: Filters, by: str, key: str, lang: str = "fr") -> pd.DataFrame:
    """code, name, value, hidden, share, share_hidden of a territory by sector or legal form. A share is hidden
    when its part or its total is (either would let a reader recover the other)."""
    parts = select(cubes, by, f, lang)
    total = row(cubes, Filters(f.year, f.region, f.mrc), lang)
    value = parts[key].to_numpy(dtype=float)
    part_hidden = hidden(parts, key)
    total_value = float(total[key]) if total is not None and pd.notna(total[key]) else np.nan
    total_hidden = total is not None and is_hidden(total, key)
    share = value / total_value if total_value else np.full(len(value), np.nan)
    return pd.DataFrame({"code": parts["code"], "name": parts["name"], "value": value, "hidden": part_hidden,
                         "share": share, "share_hidden": part_hidden | total_hidden})


def rank(cubes: pd.DataFrame, year: int, mrc: str, key: str) -> tuple[int | None, int]:
    """Rank of an MRC (1 = highest) among the MRCs whose value is published, and how many there are. None when
    the MRC's own value is suppressed."""
    rows = select(cubes, "mrc", Filters(year=year))
    shown = rows[~hidden(rows, key) & rows[key].notna()]
    if mrc not in set(shown["code"]):
        return None, len(shown)
    ordered = shown.sort_values(key, ascending=False)["code"].tolist()
    return ordered.index(mrc) + 1, len(shown)


def territory_filters(code: str, year: int | None) -> Filters:
    """'mrc:54' / 'region:16' → Filters."""
    level, value = code.split(":", 1)
    return Filters(year=year, mrc=value) if level == "mrc" else Filters(year=year, region=value)


def territory_options() -> tuple[list[str], dict[str, str]]:
    """Codes ('region:16', 'mrc:54') and display names of every region and MRC, regions first."""
    regions = reference.regions()
    mrcs = reference.mrcs().sort_values("name")
    codes = [f"region:{c}" for c in regions["code"]] + [f"mrc:{c}" for c in mrcs["code"]]
    names = [f"{n} ({c})" for c, n in zip(regions["code"], regions["name"])] + \
            [f"{n} ({c})" for c, n in zip(mrcs["code"], mrcs["name"])]
    return codes, dict(zip(codes, names))


def territories_table(cubes: pd.DataFrame, codes: list[str], year: int, columns: list[str], lang: str = "fr"
                      ) -> pd.DataFrame:
    """One row per chosen territory (in the order given), as `select` returns rows."""
    rows = []
    for code in codes:
        found = select(cubes, "mrc" if code.startswith("mrc:") else "region", territory_filters(code, year), lang)
        if len(found):
            rows.append(found.iloc[[0]])
    if not rows:
        return pd.DataFrame(columns=["code", "name", "suppressed", *columns])
    return pd.concat(rows, ignore_index=True)


def sector_matrix(cubes: pd.DataFrame, f: Filters, lang: str = "fr") -> tuple[pd.DataFrame, str]:
    """Sector × territory rows of f.year: by region for Québec, by MRC inside a region (or the chosen MRC's
    region). Returns the rows (with `sector` and `territory` names) and the level ('region' or 'mrc')."""
    level = "mrc" if f.region else "region"
    cat = "cat_name_en" if lang == "en" else "cat_name_fr"
    rows = cubes[(cubes["year"] == f.year) & (cubes["cat_kind"] == "sector") & (cubes["geo_level"] == level)]
    if f.region:
        rows = rows[rows["region_code"] == f.region]
    order = reference.sectors()["code"].tolist()
    rows = rows.assign(_order=rows["cat_code"].map({c: i for i, c in enumerate(order)}))
    rows = rows.sort_values(["_order", "geo_code"]).drop(columns="_order")
    return rows.rename(columns={cat: "sector", "geo_name": "territory"}), level


# The same enterprises both years: their number does not change at constant sample (and it is not published).
NOT_AT_CONSTANT_SAMPLE = frozenset({"enterprises"})


def headline(now: pd.Series, before: pd.Series | None, panel: pd.DataFrame | None, f: Filters,
              previous: int | None, lang: str) -> pd.DataFrame:
    """One row per headline indicator: this year's and last year's published values, the raw change and the
    change at constant sample (a ratio, or points for a ratio indicator); NaN where either side is not
    published."""
    panel_now = panel_before = None
    if panel is not None:
        panel_now = row(panel, f, lang)
        panel_before = row(panel, replace(f, year=previous), lang)
    rows = []
    for key in HEADLINE:
        now_hidden = is_hidden(now, key)
        before_hidden = before is not None and is_hidden(before, key)
        rows.append({
            "key": key, "label": INDICATORS[key].label(lang),
            "value": np.nan if now_hidden else float(now[key]),
            "before": np.nan if before is None or before_hidden else float(before[key]),
            "hidden": now_hidden, "before_hidden": before_hidden,
            "change": change_value(key, now, before),
            "change_hidden": now_hidden or before_hidden,
            "change_constant": np.nan if key in NOT_AT_CONSTANT_SAMPLE else change_value(key, panel_now, panel_before),
            "constant_hidden": key not in NOT_AT_CONSTANT_SAMPLE and any(
                r is not None and is_hidden(r, key) for r in (panel_now, panel_before)),
        })
    return pd.DataFrame(rows)


def change_value(key: str, now: pd.Series | None, before: pd.Series | None) -> float:
    """now ÷ before − 1; for a ratio indicator, the difference in percentage points. NaN when not published."""
    if now is None or before is None or is_hidden(now, key) or is_hidden(before, key):
        return np.nan
    a, b = float(now[key]), float(before[key])
    if np.isnan(a) or np.isnan(b):
        return np.nan
    if INDICATORS[key].unit == "ratio":
        return (a - b) * 100
    return a / b - 1 if b else np.nan


def sector_shares(cubes: pd.DataFrame, matrix: pd.DataFrame, level: str, key: str) -> pd.DataFrame:
    """Each sector's share of its territory's total (the matrix of `sector_matrix`), so that one large territory
    does not flatten the others' colours. A share is hidden when its part or its total is (either would let a
    reader recover the other). Columns: sector, territory, value, hidden, share, share_hidden."""
    year = int(matrix["year"].iloc[0]) if len(matrix) else None
    totals = cubes[(cubes["year"] == year) & (cubes["geo_level"] == level) & (cubes["cat_kind"] == "all")]
    total = dict(zip(totals["geo_code"], totals[key].to_numpy(dtype=float)))
    total_hidden = dict(zip(totals["geo_code"], hidden(totals, key)))
    value = matrix[key].to_numpy(dtype=float)
    part_hidden = hidden(matrix, key)
    whole = matrix["geo_code"].map(total).to_numpy(dtype=float)
    whole_hidden = matrix["geo_code"].map(total_hidden).fillna(True).to_numpy(dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(whole > 0, value / whole, np.nan)
    return pd.DataFrame({"sector": matrix["sector"].to_numpy(), "territory": matrix["territory"].to_numpy(),
                         "value": value, "hidden": part_hidden, "share": share,
                         "share_hidden": part_hidden | whole_hidden})
