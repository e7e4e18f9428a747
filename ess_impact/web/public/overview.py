"""Vue d'ensemble: headline cards, trend, breakdown by sector and legal form, map of the MRCs, table by region
(or by MRC of the chosen region)."""

import streamlit as st

from ess_impact import formatting
from ess_impact.labels import INDICATORS, N_
from ess_impact.output import charts, tables
from ess_impact.publish import indicators, slices
from ess_impact.publish.indicators import Filters
from ess_impact.web import story, ui

lang = ui.lang()
ui.demo_banner()
ui.need_data()
f = ui.filters()
cubes = ui.public_cubes()
where = ui.place(f)
source = ui.source_line()

st.title(ui.tr("overview_title", place=where, year=f.year))
now = slices.row(cubes, f, lang)
if now is not None:
    st.caption(ui.tr("overview_caption", enterprises=formatting.number(now["enterprises"], lang)))
if not ui.cards(f, cubes):
    st.stop()
ui.impact_cards(f, cubes)

key = ui.indicator_choice()
label = INDICATORS[key].label(lang)

st.header(ui.tr("trend_heading"))
trend = slices.trend(cubes, f, key, where, lang)
if len(trend) < 2:
    st.info(ui.tr("single_year"))
ui.show_chart(ui.figure(charts.lines, trend, key, lang, ui.tr("trend_title", indicator=label, place=where,
                                                   first=int(trend["year"].min()), last=int(trend["year"].max())),
                           source), "trend")

st.header(ui.tr("mix_heading"))
for by, title_key in (("sector", N_("by_sector_title")), ("legal_form", N_("by_legal_form_title"))):
    if (by == "sector" and f.legal_form) or (by == "legal_form" and f.sector):
        continue  # sector × legal form tables are not published
    mix = slices.breakdown(cubes, f, by, key, lang)
    ui.show_chart(ui.figure(charts.bars, mix["name"], mix["value"], key, lang,
                              ui.tr(title_key, indicator=label, place=where, year=f.year), source,
                              hidden=mix["hidden"]), f"mix_{by}")

st.header(ui.tr("map_heading"))
story.show_map(f, cubes, key)
map_place = ui.place(Filters(region=f.region, sector=f.sector, legal_form=f.legal_form))

if f.region:
    st.header(ui.tr("by_mrc_heading"))
    rows = indicators.select(cubes, "mrc", Filters(f.year, f.region, None, f.sector, f.legal_form), lang)
    title = ui.tr("by_mrc_title", place=map_place, year=f.year)
else:
    st.header(ui.tr("by_region"))
    rows = indicators.select(cubes, "region", Filters(f.year, None, None, f.sector, f.legal_form), lang)
    title = ui.tr("by_region_title", place=map_place, year=f.year)
ui.show_table(tables.published(rows, slices.TABLE_COLUMNS + ui.share_columns(), lang, title, ui.notes()), "geo_table")
ui.footnotes(f.year)
