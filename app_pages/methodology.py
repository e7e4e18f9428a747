"""Méthodologie: definitions, settings in force, confidentiality rules, completeness by year and region, sources."""

import pandas as pd
import streamlit as st

import ui
from ess_impact import formatting, indicators, labels
from ess_impact.labels import INDICATORS

lang = ui.lang()
ui.demo_banner()
ctx = ui.context()
st.title(ui.tr("methodology_title"))
DEFINED = [i for i in INDICATORS.values() if i.key != "share"]

st.header(ui.tr("indicators_heading"))
st.dataframe(pd.DataFrame({
    ui.tr("indicator"): [i.label(lang) for i in DEFINED],
    ui.tr("unit"): [ui.tr(f"unit_{i.unit}") for i in DEFINED],
    ui.tr("definition"): [i.definition(lang) for i in DEFINED],
}), hide_index=True, width="stretch", height=(len(DEFINED) + 1) * 35 + 3)

settings = ctx["settings"]
st.header(ui.tr("settings_heading"))
st.write(ui.tr("fte_basis_note", hours=formatting.number(settings.fte_basis_hours, lang)))
st.subheader(ui.tr("rates_heading"))
rates = ctx["rates"]
st.dataframe(pd.DataFrame({
    ui.tr("year"): rates["year"].astype(str),
    ui.tr("rate"): [formatting.money(r, lang, 2) for r in rates["rate"]],
    ui.tr("source"): [labels.rate_source(s, lang) for s in rates["source"]],
}), hide_index=True, width="stretch")

st.header(ui.tr("confidentiality_heading"))
st.write(ui.tr("confidentiality_text", min_count=settings.min_count,
               share=formatting.percent(settings.dominance_share, lang, 0)))

years = sorted(ctx["years"]["year"].tolist())
if years:
    st.header(ui.tr("completeness_heading"))
    cubes = ui.public_cubes()
    table = indicators.over_years({year: cubes[cubes["year"] == year] for year in years}, "region", "enterprises",
                                  lang)
    shown = table.map(lambda v: formatting.SUPPRESSED if pd.isna(v) else formatting.number(v, lang))
    st.dataframe(shown.rename_axis(ui.tr("region")).reset_index(), hide_index=True, width="stretch",
                 height=(len(shown) + 1) * 35 + 3)
    st.caption(ui.tr("completeness_note"))

st.header(ui.tr("sources_heading"))
st.write(ui.tr("sources_text"))
