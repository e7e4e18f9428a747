"""Méthodologie: definitions, settings in force, confidentiality rules, completeness by year and region, sources."""

import pandas as pd
import streamlit as st

from ess_impact import formatting, labels, reference
from ess_impact.labels import INDICATORS
from ess_impact.output import opendata, tables
from ess_impact.publish import indicators
from ess_impact.web import ui

lang = ui.lang()
ui.demo_banner()
ctx = ui.context()
st.title(ui.tr("methodology_title"))
DEFINED = [i for i in INDICATORS.values() if i.key != "share"]

st.header(ui.tr("indicators_heading"))
ui.show_table(tables.Table(pd.DataFrame({
    ui.tr("indicator"): [i.label(lang) for i in DEFINED],
    ui.tr("unit"): [ui.tr(ui.UNIT_KEYS[i.unit]) for i in DEFINED],
    ui.tr("definition"): [i.definition(lang) for i in DEFINED],
}), {}, ui.tr("indicators_heading"), ui.notes()), "definitions", height=(len(DEFINED) + 1) * 35 + 3)

settings = ctx["settings"]
st.header(ui.tr("settings_heading"))
st.write(ui.tr("fte_basis_note", hours=formatting.number(settings.fte_basis_hours, lang)))
st.subheader(ui.tr("rates_heading"))
rates = ctx["rates"]
ui.show_table(tables.Table(pd.DataFrame({
    ui.tr("year"): rates["year"].astype(str),
    ui.tr("rate"): [formatting.money(r, lang, 2) for r in rates["rate"]],
    ui.tr("source"): [labels.rate_source(s, lang) for s in rates["source"]],
}), {}, ui.tr("rates_heading"), ui.notes()), "rates")

# issue 14: impact indicators, their formulas, sources and caveats; the multipliers in force or how to load them
st.header(ui.tr("methodology_impact_heading"))
st.markdown(ui.tr("methodology_impact"))
high = rates.dropna(subset=["rate_high"])
if len(high):
    ui.show_table(tables.Table(pd.DataFrame({
        ui.tr("year"): high["year"].astype(str),
        ui.tr("rate"): [formatting.money(r, lang, 2) for r in high["rate_high"]],
        ui.tr("source"): [labels.rate_source(s, lang) for s in high["source_high"]],
    }), {}, ui.tr("settings_rate_high_heading"), ui.notes()), "rates_high")
else:
    st.info(ui.tr("impact_volunteer_no_high"))
if ctx["multipliers_load"] is None:
    st.info(ui.tr("multipliers_missing"))
else:
    st.caption(ui.tr("multipliers_source", year=ctx["multipliers_load"]["ref_year"]))
    found = ctx["multipliers"]
    codes = sorted(found)
    names = reference.sectors().set_index("code")["label_en" if lang == "en" else "label_fr"]
    frame = pd.DataFrame({ui.tr("sector"): [names.get(c, c) for c in codes]})
    jobs_label, gdp_label = ui.tr("impact_spinoff_jobs"), ui.tr("impact_spinoff_gdp")
    for mult in ("direct", "indirect", "induced"):
        frame[f"{jobs_label} — {mult}"] = [
            formatting.number(found[c].get((mult, "jobs"), float("nan")) * 1e6, lang, 2) for c in codes]
        frame[f"{gdp_label} — {mult}"] = [
            formatting.number(found[c].get((mult, "gdp"), float("nan")), lang, 3) for c in codes]
    ui.dataframe(frame, hide_index=True, width="stretch")
    st.caption(ui.tr("methodology_multipliers_note"))

# issue 14: the weight in the territory: the share of the territory's jobs, its source and caveats; the table in
# force (its reference years and sources) or how to load one
st.subheader(ui.tr("methodology_weight_heading"))
st.markdown(ui.tr("methodology_weight"))
employment = ctx["employment"]
if employment.empty:
    st.info(ui.tr("employment_none"))
else:
    counts = employment.groupby("ref_year").agg(mrcs=("mrc_code", "size"), income=("employment_income", "count"),
                                                source=("source", "first")).reset_index()
    ui.show_table(tables.Table(pd.DataFrame({
        ui.tr("year"): counts["ref_year"].astype(str),
        ui.tr("methodology_weight_mrcs"): counts["mrcs"].to_numpy(dtype=float),
        ui.tr("methodology_weight_income"): counts["income"].to_numpy(dtype=float),
        ui.tr("source"): counts["source"],
    }), {ui.tr("methodology_weight_mrcs"): "count", ui.tr("methodology_weight_income"): "count"},
        ui.tr("methodology_weight_heading"), ui.notes()), "employment_years")

st.header(ui.tr("confidentiality_heading"))
st.write(ui.tr("confidentiality_text", min_count=settings.min_count,
               share=formatting.percent(settings.dominance_share, lang, 0)))
st.markdown(ui.tr("confidentiality_rules", min_count=settings.min_count,
                  p=formatting.number(settings.p_percent, lang, 0),
                  top=ui.tr(tables.DOMINANCE_TOP_KEYS[settings.dominance_n]),
                  share=formatting.percent(settings.dominance_share, lang, 0)))
for paragraph in tables.other_rules_paragraphs(settings, lang):  # years released before a change of the rules
    st.markdown(paragraph)

years = sorted(ctx["years"]["year"].tolist())
if years:
    st.header(ui.tr("completeness_heading"))
    cubes = ui.public_cubes()
    table = indicators.over_years({year: cubes[cubes["year"] == year] for year in years}, "region", "enterprises",
                                  lang)
    # over_years leaves NaN where the count is suppressed (every region reports in the public cube's years)
    completeness = tables.Table(table.rename_axis(ui.tr("region")).reset_index(),
                                {str(year): "enterprises" for year in years}, ui.tr("completeness_heading"),
                                ui.notes(), table.isna().reset_index(drop=True))
    ui.show_table(completeness, "completeness", height=(len(table) + 1) * 35 + 3)
    st.caption(ui.tr("completeness_note"))

st.header(ui.tr("opendata_heading"))
st.write(ui.tr("opendata_page_text", licence=ui.open_data_licence()))
st.download_button(ui.tr("opendata_download"), ui.open_data_zip, file_name=f"{opendata.PACKAGE_NAME}.zip",
                   mime="application/zip", key="open_data_download", icon=":material/download:")

st.header(ui.tr("sources_heading"))
st.write(ui.tr("sources_text"))
