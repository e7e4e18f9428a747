"""The impact figures of published cube rows (issue 14): value added beside revenue, the value of volunteering as a
range, reach with its coverage, the spin-offs (estimates, with their caveat) and the share of the territory's jobs.
Text and tables only, from the published rows: the pages (Vue d'ensemble, Territoires, Comparer) and the reports
show what this returns.

    cards = impact_cards.cards(row, rates, multipliers_load, lang, employment)   # [{"key", "label", "value", "help"}]
    keys = impact_cards.available(multipliers_load, employment)   # the impact columns there is something to show for
    table = impact_cards.by_indicator(rows, names, keys, lang, title, notes)    # indicators × territories + method
    lines = impact_cards.notes(multipliers_load, employment, year, lang)        # sources, caveats, what is missing
"""

from __future__ import annotations

import math

import pandas as pd

from ess_impact import formatting
from ess_impact.labels import INDICATORS, N_, rate_source, t
from ess_impact.output import tables
from ess_impact.publish import impact, indicators, weight

# The impact columns of a published cube, in the order the tables show them.
BASE_KEYS = ["value_added", "volunteer_value_low", "volunteer_value_high"]
SHARE_KEYS = ["jobs_share", "payroll_share"]


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


def _loaded(employment: pd.DataFrame | None) -> bool:
    return employment is not None and not employment.empty


def available(multipliers_load: dict | None, employment: pd.DataFrame | None) -> list[str]:
    """The impact columns there is something to show for: spin-offs with a multipliers table, shares with an
    employment table."""
    return BASE_KEYS + (impact.COLUMNS if multipliers_load else []) + (SHARE_KEYS if _loaded(employment) else [])


def employment_note(employment: pd.DataFrame | None, year: int, lang: str = "fr") -> str:
    """Which reference year the shares of `year` use and its source; or how to load a table; or that the table
    starts after `year`."""
    if not _loaded(employment):
        return t("employment_none", lang)
    used = weight.reference_year(employment, year)
    if used is None:
        return t("employment_no_year", lang, year=year, first=int(employment["ref_year"].min()))
    return t("employment_source", lang, ref_year=used, year=year, source=weight.sources(employment)[used])


def notes(multipliers_load: dict | None, employment: pd.DataFrame | None, year: int, lang: str = "fr") -> list[str]:
    """The lines that go with impact figures: what is an estimate, the spin-offs' source and caveat (or how to
    get the multipliers), the shares' reference year and source (or how to load the employment table)."""
    spinoffs = [t("impact_spinoff_caveat", lang), t("multipliers_source", lang, year=multipliers_load["ref_year"])] \
        if multipliers_load else [t("multipliers_missing", lang)]
    return [t("impact_estimates_note", lang), *spinoffs, employment_note(employment, year, lang)]


def by_indicator(rows: pd.DataFrame, names: list[str], keys: list[str], lang: str, title: str = "",
                 notes_lines: list[str] | None = None) -> tables.Table:
    """Indicators (rows) × territories (columns, the published cube `rows` named `names`), then each indicator's
    one-line method: 'x' where a value is suppressed, '—' where there is none."""
    label = t("indicator", lang)
    frame = pd.DataFrame({label: [INDICATORS[k].label(lang) for k in keys]})
    hidden, cell_keys, value_keys = {}, {}, {}
    for (_, row), name in zip(rows.iterrows(), names):
        frame[name] = [float(row[k]) if not _missing(row.get(k)) else float("nan") for k in keys]
        hidden[name] = [indicators.is_hidden(row, k) for k in keys]
        cell_keys[name] = list(keys)
        value_keys[name] = "count"
    frame[t("method", lang)] = [INDICATORS[k].definition(lang) for k in keys]
    return tables.Table(frame, value_keys, title, list(notes_lines or []), pd.DataFrame(hidden),
                        pd.DataFrame(cell_keys))


def _share_card(row: pd.Series, employment: pd.DataFrame | None, lang: str) -> dict:
    """The share of the territory's jobs (and of its employment income), or how to load the table."""
    label = t("impact_jobs_share", lang)
    year = int(row["year"])
    if not _loaded(employment):
        return {"key": "jobs_share", "label": label, "value": formatting.MISSING, "help": t("employment_none", lang)}
    if indicators.is_hidden(row, "jobs_share"):
        return {"key": "jobs_share", "label": label, "value": formatting.SUPPRESSED,
                "help": employment_note(employment, year, lang)}
    if _missing(row.get("jobs_share")):
        return {"key": "jobs_share", "label": label, "value": formatting.MISSING,
                "help": employment_note(employment, year, lang) + " " + t("impact_jobs_share_none", lang)}
    payroll = formatting.SUPPRESSED if indicators.is_hidden(row, "payroll_share") else \
        formatting.percent(row.get("payroll_share"), lang)
    help_text = " ".join([t("impact_jobs_share_help", lang, jobs=formatting.number(row["jobs_total"], lang),
                            employed=formatting.number(row["employed_total"], lang), payroll=payroll),
                          employment_note(employment, year, lang)])
    return {"key": "jobs_share", "label": label, "value": formatting.percent(row["jobs_share"], lang),
            "help": help_text}


def cards(row: pd.Series, rates: pd.DataFrame, multipliers_load: dict | None, lang: str = "fr",
          employment: pd.DataFrame | None = None) -> list[dict]:
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
    out.append(_share_card(row, employment, lang))
    return out
