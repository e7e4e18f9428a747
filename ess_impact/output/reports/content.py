"""The tables and charts of a report, cut from its (protected) data: the same objects feed the PDF, the workbook,
the slides and the PNG files, so they always agree."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ess_impact import reference
from ess_impact.labels import INDICATORS, N_
from ess_impact.output import charts, impact_cards, maps, tables
from ess_impact.output.reports.data import (
    CHART_KEY,
    CHART_RATE,
    MIX_COLUMNS,
    MRC_COLUMNS,
    TREND_COLUMNS,
    ReportData,
)
from ess_impact.output.tables import Table
from ess_impact.publish import areas, indicators, slices
from ess_impact.publish.indicators import Filters


@dataclass
class Chart:
    key: str              # stable name: per_1000, mrcs, sectors, legal_forms, trend
    title: str
    figure: go.Figure
    width: int = 1100     # layout pixels (the PNG is `scale` times larger)

    @property
    def height(self) -> int:
        return int(self.figure.layout.height or 460)


# --- tables -----------------------------------------------------------------------------------------------------

def headline_table(data: ReportData) -> Table:
    """Key figures: this year, last year, raw change and change at constant sample (rows are indicators)."""
    h = data.headline
    label = data.t("indicator")
    frame = pd.DataFrame({label: h["label"]})
    columns, keys, hidden, cell_keys = [], {}, {}, {}
    if data.previous:
        columns.append((str(data.previous), h["before"], h["before_hidden"], h["key"]))
    columns.append((str(data.year), h["value"], h["hidden"], h["key"]))
    if data.previous:
        change_keys = [tables.change_key(k) for k in h["key"]]
        columns.append((data.t("report_change"), h["change"], h["change_hidden"], change_keys))
        columns.append((data.t("report_change_constant"), h["change_constant"], h["constant_hidden"], change_keys))
    for header, values, mask, per_row in columns:
        frame[header] = values.to_numpy(dtype=float)
        keys[header] = "count"
        hidden[header] = np.asarray(mask, dtype=bool)
        cell_keys[header] = list(per_row)
    notes = data.notes() + [data.t("report_change_note", year=data.previous) if data.previous
                            else data.t("report_no_previous")]
    return Table(frame, keys, data.t("report_headline_title", place=data.place, year=data.year), notes,
                 pd.DataFrame(hidden), pd.DataFrame(cell_keys))


def comparison_table(data: ReportData) -> Table:
    table = tables.published(data.comparison, [slices.POPULATION] + slices.PER_1000_KEYS, data.lang,
                             data.t("rank_title", place=data.place, year=data.year), data.notes(),
                             label_columns=("name",))
    table.frame = table.frame.rename(columns={data.t("name"): data.t("territory")})
    return table


def mix_table(data: ReportData, by: str) -> Table:
    """By sector or legal form, with each part's share of the territory's jobs."""
    rows = data.sectors if by == "sector" else data.legal_forms
    mix = slices.breakdown(data.context.cubes, data.territory.filters(data.year), by, CHART_KEY, data.lang)
    rows = rows.merge(mix[["code", "share", "share_hidden"]], on="code", how="left")
    table = tables.published(rows, MIX_COLUMNS, data.lang,
                             data.t(N_("report_by_sector_title") if by == "sector" else N_("report_by_legal_form_title"),
                                    place=data.place, year=data.year), data.notes(), label_columns=("name",))
    table.frame = table.frame.rename(columns={data.t("name"): data.t(by)})
    header = data.t("report_jobs_share")
    position = list(table.frame.columns).index(INDICATORS[CHART_KEY].label(data.lang)) + 1
    table.frame.insert(position, header, rows["share"].to_numpy(dtype=float))
    table.hidden[header] = rows["share_hidden"].fillna(False).to_numpy(dtype=bool)
    table.keys[header] = "share"
    return table


def impact_table(data: ReportData) -> Table:
    """Issue 14: value added, the value of volunteering, the spin-offs and the share of the territory's jobs of the
    territory, its region and Québec, each with its one-line method; the notes say what is an estimate, the sources,
    and what is missing (no multipliers, no employment table)."""
    keys = impact_cards.available(data.context.multipliers_load, data.context.employment)
    notes = impact_cards.notes(data.context.multipliers_load, data.context.employment, data.year, data.lang)
    return impact_cards.by_indicator(data.comparison, list(data.comparison["name"]), keys, data.lang,
                                     data.t("impact_table_title", place=data.place, year=data.year),
                                     notes + data.notes())


def trend_table(data: ReportData) -> Table:
    first, last = int(data.trend["year"].min()), int(data.trend["year"].max())
    rows = data.trend.assign(year=data.trend["year"].astype(int).astype(str))
    return tables.published(rows, TREND_COLUMNS, data.lang,
                            data.t("report_trend_title", place=data.place, first=first, last=last), data.notes(),
                            label_columns=("year",))


def mrcs_table(data: ReportData) -> Table:
    return tables.published(data.mrcs, MRC_COLUMNS + [slices.POPULATION], data.lang,
                            data.t("by_mrc_title", place=data.territory.region_name, year=data.year), data.notes(),
                            label_columns=("name",))


def all_tables(data: ReportData) -> list[tuple[str, Table]]:
    """(sheet name, table) of the workbook, in reading order."""
    return [(data.t("report_sheet_headline"), headline_table(data)),
            (data.t("report_sheet_comparison"), comparison_table(data)),
            (data.t("report_sheet_impact"), impact_table(data)),
            (data.t("report_sheet_sectors"), mix_table(data, "sector")),
            (data.t("report_sheet_legal_forms"), mix_table(data, "legal_form")),
            (data.t("report_sheet_trend"), trend_table(data)),
            (data.t("report_sheet_mrcs"), mrcs_table(data))]


# --- charts -----------------------------------------------------------------------------------------------------

def all_charts(data: ReportData) -> list[Chart]:
    """The report's charts, each with its title and the source line, suppressed values drawn as 'x'."""
    lang, place, year, source = data.lang, data.place, data.year, data.source_line()
    label = INDICATORS[CHART_KEY].label(lang)
    rate_label = INDICATORS[CHART_RATE].label(lang)
    out = []

    comparison = data.comparison
    title = data.t(N_("per_1000_title") if data.territory.level == "mrc" else N_("report_per_1000_region_title"),
                   indicator=rate_label, place=place, year=year)
    series = {name: ([value], [hidden]) for name, value, hidden in zip(
        comparison["name"], comparison[CHART_RATE].astype(float), indicators.hidden(comparison, CHART_RATE))}
    figure = charts.grouped([rate_label], series, CHART_RATE, lang, title, source)
    figure.update_layout(height=420, bargap=0.35)
    out.append(Chart("per_1000", title, figure, width=1000))

    mrcs = data.mrcs
    references = {}
    for _, row in comparison.iterrows():
        if row["geo_level"] != "mrc" and not indicators.is_hidden(row, CHART_RATE):
            references[row["name"]] = float(row[CHART_RATE])
    title = data.t("per_1000_mrcs_title", indicator=rate_label, place=data.territory.region_name, year=year)
    out.append(Chart("mrcs", title, charts.bars(
        mrcs["name"], mrcs[CHART_RATE], CHART_RATE, lang, title, source, hidden=indicators.hidden(mrcs, CHART_RATE),
        highlight=place if data.territory.level == "mrc" else None, references=references, shorten=False)))

    for by, rows, key in (("sector", data.sectors, "by_sector_title"),
                          ("legal_form", data.legal_forms, N_("by_legal_form_title"))):
        title = data.t(key, indicator=label, place=place, year=year)
        out.append(Chart("sectors" if by == "sector" else "legal_forms", title, charts.bars(
            rows["name"], rows[CHART_KEY], CHART_KEY, lang, title, source, hidden=indicators.hidden(rows, CHART_KEY),
            shorten=False)))

    trend = slices.trend(data.context.cubes, data.territory.filters(year), CHART_KEY, place, lang)
    trend = trend[trend["year"] <= year]
    title = data.t("trend_title", indicator=label, place=place, first=int(trend["year"].min()), last=year)
    figure = charts.lines(trend, CHART_KEY, lang, title, source)
    figure.update_layout(showlegend=False, height=420)
    figure.update_traces(mode="lines+markers+text", textposition="top center", cliponaxis=False,
                         text=charts.texts(CHART_KEY, trend["value"], trend["hidden"], lang, compact=False))
    figure.update_xaxes(range=[int(trend["year"].min()) - 0.4, year + 0.4])
    out.append(Chart("trend", title, figure, width=1000))
    for chart in out:  # on paper and slides: a white background, no on-screen tints
        chart.figure.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    return out


def chart_file_name(index: int, chart: Chart) -> str:
    return f"{index:02d}-{formatting_slug(chart.title)}.png"


def formatting_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reference.normalize(text)).strip("-")[:70] or "graphique"


# --- the one-page sheet ---------------------------------------------------------------------------------------

def sheet_charts(data: ReportData) -> list[Chart]:
    """The sheet's two pictures: the MRC map (the territory highlighted, its region outlined and named) and its
    jobs by sector. Their source and credits are printed once, in the sheet's footer, not in the images."""
    lang, place, year = data.lang, data.place, data.year
    label = INDICATORS[CHART_KEY].label(lang)
    out = [map_chart(data, "")]
    rows = data.sectors
    title = data.t("by_sector_title", indicator=label, place=place, year=year)
    figure = charts.bars([_short_sector(n) for n in rows["name"]], rows[CHART_KEY], CHART_KEY, lang, title, "",
                         hidden=indicators.hidden(rows, CHART_KEY), shorten=False)
    figure.update_layout(height=60 + 44 * len(rows), bargap=0.25)
    out.append(Chart("sectors", title, figure, width=560))
    for chart in out:
        chart.figure.update_layout(paper_bgcolor="white", plot_bgcolor="white", annotations=[
            a for a in chart.figure.layout.annotations if a.text])   # the empty source line
        # the sheet prints each title as text above its picture, in the page's type
        chart.figure.update_layout(margin=dict(t=8, b=10), font=dict(size=17),
                                   title=dict(text="", subtitle=dict(text="")))
    return out


def map_chart(data: ReportData, source: str) -> Chart:
    """The MRC map of the territory's region, jobs per 1 000 inhabitants, the territory highlighted."""
    frame = areas.area_values(data.context.cubes, Filters(data.year), CHART_KEY, data.lang)
    title = data.t("map_choropleth_title", indicator=INDICATORS[CHART_KEY].label(data.lang),
                   place=data.territory.region_name, year=data.year)
    width = 640 if not source else 900
    figure = maps.choropleth(frame, CHART_KEY, data.lang, title, source, region=data.territory.region_code,
                             highlight=data.territory.code if data.territory.level == "mrc" else None, height=600,
                             label_width=width)
    figure.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    return Chart("map", title, figure, width=width)


def _short_sector(name: str, width: int = 26) -> str:
    """A long sector label on two lines, so that the bars keep their room on a narrow picture."""
    if len(name) <= width:
        return name
    cut = name.rfind(" ", 0, width)
    return name if cut <= 0 else name[:cut] + "<br>" + name[cut + 1:]
