"""The impact figures of one published cube row as cards (issue 14): value added beside revenue, the value of
volunteering as a range, reach with its coverage, and the spin-offs (estimates, with their caveat). Text only, from
the published row: the pages (Vue d'ensemble, Territoires) and the reports show what this returns.

    cards = impact_cards.cards(row, rates, multipliers_load, lang)   # [{"key", "label", "value", "help"}]
"""

from __future__ import annotations

import math

import pandas as pd

from ess_impact import formatting
from ess_impact.labels import N_, rate_source, t
from ess_impact.publish import indicators


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _rate_of(rates: pd.DataFrame, year: int, column: str, source: str) -> tuple[float | None, str | None]:
    """The rate in force for `year` (the latest year at or before it with one, else the earliest), as sql/cube.sql."""
    known = rates.dropna(subset=[column]) if column in rates else rates.iloc[0:0]
    if known.empty:
        return None, None
    before = known[known["year"] <= year]
    row = before.iloc[-1] if len(before) else known.iloc[0]
    return float(row[column]), row[source]


def cards(row: pd.Series, rates: pd.DataFrame, multipliers_load: dict | None, lang: str = "fr") -> list[dict]:
    out = []
    year = int(row["year"])
    money = lambda v: formatting.compact_money(v, lang)  # noqa: E731

    # value added, beside revenue: never revenue presented as GDP
    if indicators.is_hidden(row, "value_added"):
        value, help_text = formatting.SUPPRESSED, t("impact_value_added_help", lang, revenue=formatting.SUPPRESSED)
    elif _missing(row.get("value_added")):
        value = formatting.MISSING
        help_text = t("impact_value_added_missing", lang,
                      reported=formatting.number(row.get("expenses_enterprises") or 0, lang),
                      enterprises=formatting.number(row["enterprises"], lang))
    else:
        value = money(row["value_added"])
        help_text = t("impact_value_added_help", lang, revenue=money(row["revenue_total"]))
    out.append({"key": "value_added", "label": t("impact_value_added", lang), "value": value, "help": help_text})

    # the value of volunteering, from the minimum wage to the wage of the work done
    low_rate, low_source = _rate_of(rates, year, "rate", "source")
    high_rate, high_source = _rate_of(rates, year, "rate_high", "source_high")
    if indicators.is_hidden(row, "volunteer_value_low"):
        value = formatting.SUPPRESSED
    elif _missing(row.get("volunteer_value_high")):
        value = money(row["volunteer_value_low"])
    else:
        value = t("impact_volunteer_range_value", lang, low=money(row["volunteer_value_low"]),
                  high=money(row["volunteer_value_high"]))
    if high_rate is None:
        help_text = t("impact_volunteer_no_high", lang)
    else:
        help_text = t("impact_volunteer_range_help", lang,
                      low_rate=formatting.money(low_rate, lang, 2), low_source=rate_source(low_source or "", lang),
                      high_rate=formatting.money(high_rate, lang, 2),
                      high_source=rate_source(high_source or "", lang))
    out.append({"key": "volunteer_range", "label": t("impact_volunteer_range", lang), "value": value,
                "help": help_text})

    # reach, with how many enterprises reported it
    hidden = indicators.is_hidden(row, "people_served")
    per_1000 = row.get("people_served_per_1000")
    out.append({"key": "people_served", "label": t("impact_reach", lang),
                "value": formatting.SUPPRESSED if hidden else formatting.MISSING
                if _missing(row.get("people_served")) else formatting.number(row["people_served"], lang),
                "help": t("impact_reach_help", lang,
                          reported=formatting.number(row.get("people_served_enterprises") or 0, lang),
                          enterprises=formatting.number(row["enterprises"], lang),
                          per_1000=formatting.MISSING if hidden or _missing(per_1000)
                          else formatting.number(per_1000, lang, 1))})

    # spin-offs (estimates)
    for variable, key in (("jobs", N_("impact_spinoff_jobs")), ("gdp", N_("impact_spinoff_gdp"))):
        parts = {m: row.get(f"spinoff_{variable}_{m}") for m in ("direct", "indirect", "induced")}
        fmt = (lambda v: formatting.number(v, lang)) if variable == "jobs" else money
        if multipliers_load is None:
            value, help_text = formatting.MISSING, t("multipliers_missing", lang)
        elif any(_missing(v) for v in parts.values()):
            value, help_text = formatting.SUPPRESSED, t("impact_spinoff_caveat", lang)
        else:
            value = fmt(sum(parts.values()))
            help_text = " ".join([t("impact_spinoff_detail", lang, **{m: fmt(v) for m, v in parts.items()}),
                                  t("impact_spinoff_caveat", lang),
                                  t("multipliers_source", lang, year=multipliers_load["ref_year"])])
        out.append({"key": f"spinoff_{variable}", "label": t(key, lang), "value": value, "help": help_text})
    return out
