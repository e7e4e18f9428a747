"""Secteurs: sector × territory matrix, sector trends, and the profile of one sector."""

import pandas as pd
import streamlit as st

from ess_impact import reference
from ess_impact.labels import INDICATORS
from ess_impact.output import charts, tables
from ess_impact.publish import indicators, slices
from ess_impact.publish.indicators import Filters
from ess_impact.web import ui

lang = ui.lang()
ui.demo_banner()
ui.need_data()
f = ui.filters(("year", "region", "mrc", "sector"))
cubes = ui.public_cubes()
source = ui.source_line()
place = ui.place(Filters(region=f.region, mrc=f.mrc))
st.title(ui.tr("sectors_title", place=place, year=f.year))
key = ui.indicator_choice()
label = INDICATORS[key].label(lang)

st.header(ui.tr("heatmap_heading"))
matrix, level = slices.sector_matrix(cubes, Filters(f.year, f.region), lang)
region_place = ui.place(Filters(region=f.region))
if matrix.empty:
    st.info(ui.tr("no_data_here", place=region_place, year=f.year))
else:
    title = ui.tr("heatmap_title", indicator=label, level=ui.tr(ui.LEVEL_KEYS[level]), place=region_place, year=f.year)
    table = tables.pivot(matrix, "sector", "territory", key, ui.tr("sector"), title, ui.notes())
    shares = slices.sector_shares(cubes, matrix, level, key)
    share_title = ui.tr("heatmap_share_title", indicator=label, level=ui.tr(ui.LEVEL_KEYS[level]), place=region_place,
                        year=f.year)
    ui.show_chart(ui.figure(charts.share_heatmap, shares, key, lang, share_title, source, ui.tr("heatmap_share_axis"),
                                       cell_text=shares["territory"].nunique() <= 12), "heatmap")
    st.caption(ui.tr("heatmap_share_note"))
    ui.show_table(table, "heatmap_table")

st.header(ui.tr("sector_trends_heading"))
territory = Filters(f.year, f.region, f.mrc)
now = indicators.select(cubes, "sector", territory, lang)
ranked = now.sort_values(key, ascending=False, na_position="last")
names = dict(zip(reference.sectors()["code"], reference.sectors()[f"label_{lang}"]))
chosen = ui.choose(st, "multiselect", ui.tr("sector_trends_pick"), list(names), "secteurs",
                   ranked["code"].head(5).tolist(), format_func=names.get, max_selections=8)
trend = pd.concat([slices.trend(cubes, Filters(None, f.region, f.mrc, code), key, names[code], lang)
                   for code in chosen]) if chosen else None
if trend is not None and trend.empty:  # none of the chosen sectors ever reported in this territory
    st.info(ui.tr("no_data_here", place=place, year=f.year))
elif trend is not None:
    ui.show_chart(ui.figure(charts.lines, trend, key, lang, ui.tr("trend_title", indicator=label, place=place,
                                                       first=int(trend["year"].min()),
                                                       last=int(trend["year"].max())), source), "sector_trends")

st.header(ui.tr("sector_profile_heading", sector=names.get(f.sector, "…")))
if not f.sector:
    st.info(ui.tr("sector_pick"))
else:
    if ui.cards(f, cubes):
        by = "mrc" if f.region else "region"
        rows = indicators.select(cubes, by, Filters(f.year, f.region, None, f.sector), lang)
        ui.show_chart(ui.figure(charts.bars, rows["name"], rows[key], key, lang, ui.tr(
            "sector_by_geo_title", indicator=label, sector=names[f.sector], level=ui.tr(ui.LEVEL_KEYS[by]),
            place=region_place, year=f.year), source, hidden=indicators.hidden(rows, key),
            highlight=ui.place(Filters(mrc=f.mrc)) if f.mrc else None), "sector_geo")
        trend = slices.trend(cubes, f, key, names[f.sector], lang)
        ui.show_chart(ui.figure(charts.lines, trend, key, lang, ui.tr("trend_title", indicator=label, place=ui.place(f),
                                                           first=int(trend["year"].min()),
                                                           last=int(trend["year"].max())), source), "sector_trend")
ui.footnotes(f.year)
