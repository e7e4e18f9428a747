"""Territoires: a region's MRCs (sortable table, charts), and an MRC's profile: its figures, per 1 000
inhabitants against its region and Québec, its rank, its sectors, its trend."""

import pandas as pd
import streamlit as st

from ess_impact import formatting
from ess_impact.labels import INDICATORS
from ess_impact.output import charts, tables
from ess_impact.publish import indicators, slices
from ess_impact.publish.indicators import Filters
from ess_impact.web import story, ui

lang = ui.lang()
ui.demo_banner()
ui.need_data()
f = ui.filters()
cubes = ui.public_cubes()
source = ui.source_line()
where = ui.place(f)
st.title(ui.tr("territories_title", place=where, year=f.year))
key = ui.indicator_choice()
label = INDICATORS[key].label(lang)
rate_key = slices.per_1000_key(key)
rate_label = INDICATORS[rate_key].label(lang)


def reference_values(region: str | None) -> dict[str, float]:
    """The per-1 000 value of the region (when one is chosen) and of Québec, for reference lines, when published."""
    out = {}
    for level in ([region] if region else []) + [None]:
        found = slices.row(cubes, Filters(f.year, level, None, f.sector, f.legal_form), lang)
        if found is not None and not indicators.is_hidden(found, rate_key):
            out[ui.place(Filters(region=level))] = float(found[rate_key])
    return out


if f.mrc:
    st.header(ui.tr("profile_heading"))
    story.presentation_link(f)
    story.show_messages(f, cubes)
    if not ui.cards(f, cubes):
        st.stop()
    ui.impact_cards(f, cubes)
    story.show_map(f, cubes, key, "mrc_map")
    st.subheader(ui.tr("comparison_heading"))
    region_filters = Filters(f.year, f.region, None, f.sector, f.legal_form)
    quebec_filters = Filters(f.year, None, None, f.sector, f.legal_form)
    found = [slices.row(cubes, x, lang) for x in (f, region_filters, quebec_filters)]
    rows = pd.concat([r.to_frame().T for r in found if r is not None], ignore_index=True)
    ui.show_table(tables.published(rows, slices.PER_1000_KEYS + [slices.POPULATION], lang,
                                   ui.tr("rank_title", place=where, year=f.year), ui.notes(),
                                   label_columns=("name",)), "per_1000")
    if not (f.sector or f.legal_form):
        columns = st.columns(len(slices.PER_1000_KEYS))
        for column, per_key in zip(columns, slices.PER_1000_KEYS):
            position, count = slices.rank(cubes, f.year, f.mrc, per_key)
            column.metric(INDICATORS[per_key].label(lang),
                          ui.tr("rank_value", rank=position, n=count) if position else formatting.SUPPRESSED,
                          help=ui.tr("rank_help"), border=True)
        st.caption(ui.tr("rank_caption"))
    series = {name: ([value], [hidden]) for name, value, hidden in zip(
        rows["name"], rows[rate_key].astype(float), indicators.hidden(rows, rate_key))}
    ui.show_chart(ui.figure(charts.grouped, [rate_label], series, rate_key, lang,
                                 ui.tr("per_1000_title", indicator=rate_label, place=where, year=f.year), source),
                  "per_1000_chart")
    if not f.legal_form and not f.sector:
        mix = slices.breakdown(cubes, f, "sector", key, lang)
        ui.show_chart(ui.figure(charts.bars, mix["name"], mix["value"], key, lang,
                                  ui.tr("by_sector_title", indicator=label, place=where, year=f.year), source,
                                  hidden=mix["hidden"]), "mrc_sectors")
    trend = pd.concat([slices.trend(cubes, x, key, name, lang) for x, name in (
        (f, where), (region_filters, ui.place(Filters(region=f.region))), (quebec_filters, ui.place(Filters())))])
    first_year = int(trend["year"].min())
    ui.show_chart(ui.figure(charts.lines, trend, key, lang,
                            ui.tr("trend_compared_title", indicator=label, year=first_year, place=where), source,
                            index_base=first_year), "mrc_trend")
    st.subheader(ui.tr("impact_table_heading"))
    regional = [f"{n} ({ui.tr('region').lower()})" if level == "region" else n
                for n, level in zip(rows["name"], rows["geo_level"])]  # an MRC and its region may share a name
    ui.impact_table(rows, regional, ui.tr("impact_table_title", place=where, year=f.year), "impact_table")
elif f.region:
    st.header(ui.tr("by_mrc_heading"))
    rows = indicators.select(cubes, "mrc", Filters(f.year, f.region, None, f.sector, f.legal_form), lang)
    if rows.empty:
        st.info(ui.tr("no_data_here", place=where, year=f.year))
        st.stop()
    story.presentation_link(f)
    story.show_messages(f, cubes)
    story.show_map(f, cubes, key, "region_map")
    ui.show_table(tables.published(rows, slices.TABLE_COLUMNS + ui.share_columns(), lang,
                                   ui.tr("by_mrc_title", place=where, year=f.year), ui.notes()), "mrc_table")
    ui.show_chart(ui.figure(charts.bars, rows["name"], rows[key], key, lang,
                              ui.tr("per_1000_mrcs_title", indicator=label, place=where, year=f.year), source,
                              hidden=indicators.hidden(rows, key)), "mrc_values")
    ui.show_chart(ui.figure(charts.bars, rows["name"], rows[rate_key], rate_key, lang,
                              ui.tr("per_1000_mrcs_title", indicator=rate_label, place=where, year=f.year),
                              source, hidden=indicators.hidden(rows, rate_key),
                              references=reference_values(f.region)), "mrc_rates")
else:
    st.info(ui.tr("territories_pick"))
    rows = indicators.select(cubes, "region", Filters(f.year, None, None, f.sector, f.legal_form), lang)
    ui.show_table(tables.published(rows, slices.TABLE_COLUMNS + ui.share_columns(), lang,
                                   ui.tr("by_region_title", place=where, year=f.year), ui.notes()), "region_table")
    ui.show_chart(ui.figure(charts.bars, rows["name"], rows[rate_key], rate_key, lang,
                              ui.tr("per_1000_regions_title", indicator=rate_label, place=where, year=f.year),
                              source, hidden=indicators.hidden(rows, rate_key), references=reference_values(None)),
                  "region_rates")
ui.footnotes(f.year)
