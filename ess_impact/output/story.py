"""Key messages: what the figures of a territory say, in 3 to 5 plain sentences (French or English).

Computed from the PUBLISHED cubes only (`indicators.protect`ed): a sentence, or the part of a sentence, that would
need a suppressed value is left out, and nothing is derived from one. The words are chosen by rules (`compare`,
`trend`) that the tests check: "au-dessus" only when the difference is meaningful (more than `MEANINGFUL`, 10 %),
"stable" under `STABLE` (1 %), and "leading sectors" only when no sector is suppressed (otherwise the sentence
says "among the sectors whose figures are published": a suppressed sector could be larger, and naming the largest
published one would tell the reader an upper bound of every suppressed one).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ess_impact import formatting
from ess_impact.labels import N_, t
from ess_impact.publish import slices
from ess_impact.publish.indicators import Filters, is_hidden

MEANINGFUL = 0.10   # a per-1 000 value is "above"/"below" a reference only beyond ±10 %
STABLE = 0.01       # a change under ±1 % is "stable"
KEY = "jobs_total"
RATE = "jobs_per_1000"


@dataclass(frozen=True)
class Message:
    kind: str        # weight | density | change | sectors | volunteers
    text: str


# The words of each rule's outcomes (keys marked for the catalogue's extraction)
VS_REGION = {"above": N_("story_vs_region_above"), "below": N_("story_vs_region_below"),
             "similar": N_("story_vs_region_similar")}
VS_QUEBEC = {"above": N_("story_vs_quebec_above"), "below": N_("story_vs_quebec_below"),
             "similar": N_("story_vs_quebec_similar")}
CHANGE = {"up": N_("story_change_up"), "down": N_("story_change_down"), "stable": N_("story_change_stable")}
SECTORS = {(True, False): N_("story_sectors_all"), (True, True): N_("story_sectors_all_one"),
           (False, False): N_("story_sectors_published"), (False, True): N_("story_sectors_published_one")}


def compare(value: float, reference: float, threshold: float = MEANINGFUL) -> str:
    """'above', 'below' or 'similar': above only when value exceeds the reference by more than `threshold`."""
    if reference is None or np.isnan(reference) or reference <= 0:
        return "similar"
    ratio = round(value / reference - 1, 9)  # 110 vs 100 is exactly +10 %, not 10,000…1 %
    if ratio > threshold:
        return "above"
    if ratio < -threshold:
        return "below"
    return "similar"


def trend(change: float, threshold: float = STABLE) -> str:
    """'up', 'down' or 'stable' (|change| ≤ threshold)."""
    if change > threshold:
        return "up"
    if change < -threshold:
        return "down"
    return "stable"


def _published(row: pd.Series | None, key: str) -> float | None:
    """The row's value of `key` when it is published and known, else None."""
    if row is None or is_hidden(row, key):
        return None
    value = row.get(key)  # a column a cube of an older format lacks (issue 14's) counts as unknown
    if value is None or pd.isna(value):
        return None
    return float(value)


def key_messages(cubes: pd.DataFrame, panel: pd.DataFrame | None, f: Filters, lang: str = "fr",
                 place: str | None = None) -> list[Message]:
    """The key messages of a territory (f.mrc or f.region, or Québec) for f.year. `panel` is the protected
    constant-sample cube of (f.year - 1, f.year), or None. Empty when nobody reported there."""
    now = slices.row(cubes, f, lang)
    if now is None:
        return []
    place = place or (t("story_quebec", lang) if not (f.mrc or f.region) else str(now["name"]))
    out = [m for m in (
        _weight(now, place, f.year, lang),
        _density(cubes, now, f, place, lang),
        _change(panel, f, lang),
        _sectors(cubes, f, lang),
        _volunteers(now, lang),
    ) if m is not None]
    if lang == "fr":  # French typography: no line break before a colon
        out = [Message(m.kind, m.text.replace(" :", "\u00a0:")) for m in out]
    return out


def _weight(now: pd.Series, place: str, year: int, lang: str) -> Message | None:
    enterprises = _published(now, "enterprises")
    if not enterprises:
        return None
    jobs, revenue = _published(now, "jobs_total"), _published(now, "revenue_total")
    n = formatting.number(enterprises, lang)
    if jobs is not None and revenue is not None:
        text = t("story_weight_both", lang, year=year, n=n, place=place, jobs=formatting.number(jobs, lang),
                 revenue=formatting.compact_money(revenue, lang))
    elif jobs is not None:
        text = t("story_weight_jobs", lang, year=year, n=n, place=place, jobs=formatting.number(jobs, lang))
    elif revenue is not None:
        text = t("story_weight_revenue", lang, year=year, n=n, place=place,
                 revenue=formatting.compact_money(revenue, lang))
    else:
        text = t("story_weight_count", lang, year=year, n=n, place=place)
    value_added = _published(now, "value_added")  # issue 14: beside revenue, never instead
    if value_added is not None and revenue is not None:
        text += t("story_value_added", lang, value=formatting.compact_money(value_added, lang))
    return Message("weight", text)


def _density(cubes: pd.DataFrame, now: pd.Series, f: Filters, place: str, lang: str) -> Message | None:
    rate = _published(now, RATE)
    if rate is None or not (f.mrc or f.region):
        return None
    quebec = _published(slices.row(cubes, Filters(f.year), lang), RATE)
    parts = []
    if f.mrc:
        region_row = slices.row(cubes, Filters(f.year, region=str(now["region_code"])), lang)
        region = _published(region_row, RATE)
        if region is not None:
            parts.append(t(VS_REGION[compare(rate, region)], lang, region=region_row["name"],
                           value=formatting.number(region, lang, 1)))
    if quebec is not None:
        parts.append(t(VS_QUEBEC[compare(rate, quebec)], lang, value=formatting.number(quebec, lang, 1)))
    if not parts:
        return None
    joined = parts[0] if len(parts) == 1 else t("story_and", lang, first=parts[0], second=parts[1])
    return Message("density", t("story_density", lang, rate=formatting.number(rate, lang, 1), place=place,
                                comparison=joined))


def _change(panel: pd.DataFrame | None, f: Filters, lang: str) -> Message | None:
    if panel is None:
        return None
    previous = f.year - 1
    now, before = slices.row(panel, f, lang), slices.row(panel, replace(f, year=previous), lang)
    a, b = _published(now, KEY), _published(before, KEY)
    if a is None or b is None or not b:
        return None
    change = a / b - 1
    direction = trend(change)
    return Message("change", t(CHANGE[direction], lang, previous=previous,
                               year=f.year, pct=formatting.percent(abs(change), lang, 1),
                               before=formatting.number(b, lang), now=formatting.number(a, lang)))


def _sectors(cubes: pd.DataFrame, f: Filters, lang: str) -> Message | None:
    if f.sector or f.legal_form:
        return None
    mix = slices.breakdown(cubes, Filters(f.year, f.region, f.mrc), "sector", KEY, lang)
    if mix.empty:
        return None
    shown = mix[~mix["share_hidden"] & ~mix["hidden"] & mix["share"].notna() & (mix["value"] > 0)]
    shown = shown.sort_values("share", ascending=False).head(2)
    if shown.empty:
        return None
    items = [t(N_("story_sector_item") if i == 0 else N_("story_sector_item_short"), lang, sector=name,
               share=formatting.percent(share, lang, 0))
             for i, (name, share) in enumerate(zip(shown["name"], shown["share"]))]
    listed = items[0] if len(items) == 1 else t("story_and", lang, first=items[0], second=items[1])
    complete = not mix["hidden"].any() and not mix["share_hidden"].any()
    key = SECTORS[complete, len(items) == 1]
    return Message("sectors", t(key, lang, sectors=listed))


def _volunteers(now: pd.Series, lang: str) -> Message | None:
    volunteers, hours = _published(now, "volunteers"), _published(now, "volunteer_hours")
    fte, value = _published(now, "volunteer_fte"), _published(now, "volunteer_value")
    if hours is not None and hours > 0 and fte is not None:
        extra = t("story_volunteer_value", lang, value=formatting.compact_money(value, lang)) if value else ""
        high = _published(now, "volunteer_value_high")  # issue 14: the range, minimum wage to the work's wage
        if value and high:
            extra = t("story_volunteer_range", lang, low=formatting.compact_money(value, lang),
                      high=formatting.compact_money(high, lang))
        if volunteers:
            return Message("volunteers", t("story_volunteers_hours", lang, n=formatting.number(volunteers, lang),
                                           hours=formatting.number(hours, lang), fte=formatting.number(fte, lang),
                                           extra=extra))
        return Message("volunteers", t("story_hours_only", lang, hours=formatting.number(hours, lang),
                                       fte=formatting.number(fte, lang), extra=extra))
    if volunteers:
        return Message("volunteers", t("story_volunteers_only", lang, n=formatting.number(volunteers, lang)))
    return None
