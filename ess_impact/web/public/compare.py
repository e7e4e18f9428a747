"""Comparer: 2 to 6 territories (MRCs or regions) side by side: indicators, impact (value added, volunteering,
spin-offs, share of the territory's jobs), per 1 000 inhabitants, trends indexed to a base year, sector mix."""

import pandas as pd
import streamlit as st

from ess_impact.labels import INDICATORS
from ess_impact.output import charts, tables
from ess_impact.publish import indicators, slices
from ess_impact.web import ui

lang = ui.lang()
ui.demo_banner()
ui.need_data()
f = ui.filters(("year",))
cubes = ui.public_cubes()
source = ui.source_line()
st.title(ui.tr("compare_title", year=f.year))
codes, names = slices.territory_options()
chosen = ui.choose(st, "multiselect", ui.tr("compare_pick"), codes, "comparer", [], format_func=names.get,
                   max_selections=6, placeholder=ui.tr("compare_placeholder"))
if len(chosen) < 2:
    st.info(ui.tr("compare_need_two"))
    ui.footnotes(f.year)
    st.stop()

key = ui.indicator_choice()
label = INDICATORS[key].label(lang)
rate_key = slices.per_1000_key(key)
rate_label = INDICATORS[rate_key].label(lang)

rows = slices.territories_table(cubes, chosen, f.year, slices.TABLE_COLUMNS, lang)
# Region and MRC codes overlap (region 16 Montérégie, MRC 16 Charlevoix): match on level and code.
present = {f"{level}:{code}" for level, code in zip(rows["geo_level"], rows["code"])} if len(rows) else set()
missing = [names[c] for c in chosen if c not in present]
for name in missing:
    st.info(ui.tr("no_data_here", place=name, year=f.year))
if rows.empty:
    st.stop()
# Names with their code, as in the picker and the trend: region 06 and MRC 66 are both "Montréal".
rows = rows.assign(name=[names[f"{level}:{code}"] for level, code in zip(rows["geo_level"], rows["code"])])
ui.show_table(tables.published(rows, slices.TABLE_COLUMNS + [slices.POPULATION], lang,
                               ui.tr("compare_table_title", year=f.year), ui.notes(), label_columns=("name",)),
              "compare_table")

# issue 14: value added, the value of volunteering, spin-offs and the share of the territory's jobs, each with its
# method; the estimates say so, a suppressed value is "x"
st.subheader(ui.tr("impact_table_heading"))
ui.impact_table(rows, list(rows["name"]), ui.tr("compare_impact_title", year=f.year), "compare_impact")

series = {name: ([value], [hidden]) for name, value, hidden in zip(
    rows["name"], rows[rate_key].astype(float), indicators.hidden(rows, rate_key))}
ui.show_chart(ui.figure(charts.grouped, [rate_label], series, rate_key, lang,
                             ui.tr("compare_per_1000_title", indicator=rate_label, year=f.year), source),
              "compare_per_1000")

years = sorted(int(y) for y in cubes["year"].unique())
base = ui.choose(st, "selectbox", ui.tr("base_year"), years, "base", years[0])
trend = pd.concat([slices.trend(cubes, slices.territory_filters(code, None), key, names[code], lang)
                   for code in chosen])
ui.show_chart(ui.figure(charts.lines, trend, key, lang, ui.tr("compare_trend_title", indicator=label, year=base),
                        source, index_base=base), "compare_trend")

mix = []
for code in chosen:
    part = slices.breakdown(cubes, slices.territory_filters(code, f.year), "sector", key, lang)
    mix.append(part.assign(territory=names[code], suppressed=["share" if h else "" for h in part["share_hidden"]]))
mix = pd.concat(mix, ignore_index=True)
title = ui.tr("compare_mix_title", indicator_lower=label.lower(), year=f.year)
table = tables.pivot(mix, "name", "territory", "share", ui.tr("sector"), title, ui.notes())
ui.show_chart(ui.figure(charts.share_heatmap, mix.rename(columns={"name": "sector"}), key, lang, title, source,
                        ui.tr("heatmap_share_axis")), "compare_mix")
ui.show_table(table, "compare_mix_table")
ui.footnotes(f.year)
