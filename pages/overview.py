"""Vue d'ensemble: headline figures of the latest year for all of Québec, and the table by region."""

import streamlit as st

import ui
from ess_impact import formatting, indicators, labels
from ess_impact.labels import INDICATORS

lang = ui.lang()
ui.demo_banner()
ctx = ui.context()
years = ctx["years"]
if years.empty:
    st.info(ui.tr("empty_database"))
    st.stop()

year_options = sorted(years["year"].tolist(), reverse=True)
year = st.sidebar.selectbox(ui.tr("year"), year_options, index=0, key="year")
cube = ui.public_cube(year)
previous = ui.public_cube(year - 1) if year - 1 in year_options else None
total = indicators.select(cube, "all", indicators.Filters(year=year), lang).iloc[0]
before = indicators.select(previous, "all", indicators.Filters(year=year - 1), lang).iloc[0] if previous is not None else None

st.title(ui.tr("overview_heading", year=year))
st.caption(ui.tr("overview_intro", enterprises=formatting.number(total["enterprises"], lang)))

CARDS = ["enterprises", "jobs_total", "fte", "revenue_total", "earned_share", "volunteers", "volunteer_hours",
         "volunteer_value"]
for row_start in (0, 4):
    for column, key in zip(st.columns(4), CARDS[row_start:row_start + 4]):
        value = total[key]
        delta = formatting.change(key, value, before[key], lang) if before is not None else None
        column.metric(INDICATORS[key].label(lang), formatting.indicator(key, value, lang, compact=True), delta,
                      help=INDICATORS[key].definition(lang), border=True)

st.subheader(ui.tr("by_region"))
regions = indicators.select(cube, "region", indicators.Filters(year=year), lang)
table = formatting.table(regions, ["enterprises", "jobs_total", "revenue_total", "volunteer_hours",
                                   "jobs_per_1000"], lang)
st.dataframe(table, hide_index=True, width="stretch", height=(len(table) + 1) * 35 + 3)

settings = ctx["settings"]
rates = ctx["rates"]
rate = rates[rates["year"] <= year].tail(1)
if not rate.empty:
    r = rate.iloc[0]
    st.caption(ui.tr("volunteer_rate_note", rate=formatting.money(r["rate"], lang, 2), year=int(r["year"]),
                     source=labels.rate_source(r["source"], lang)))
st.caption(ui.tr("suppressed_note", min_count=settings.min_count,
                 share=formatting.percent(settings.dominance_share, lang, 0)))
st.caption(ui.tr("source_line"))
