"""The territory's story on screen: the choropleth map (with its licence credit) and the key messages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ess_impact.labels import INDICATORS
from ess_impact.output import maps, story
from ess_impact.publish import areas
from ess_impact.publish.indicators import Filters
from ess_impact.web import ui


def show_map(f: Filters, cubes: pd.DataFrame, key: str, chart_key: str = "map") -> None:
    """The MRC map of f.year for `key` per 1 000 inhabitants: zoomed on f.region, f.mrc highlighted."""
    current = ui.lang()
    frame = areas.area_values(cubes, f, key, current)
    place = ui.place(Filters(region=f.region, sector=f.sector, legal_form=f.legal_form))
    title = ui.tr("map_choropleth_title", indicator=INDICATORS[key].label(current), place=place, year=f.year)
    ui.show_chart(maps.choropleth(frame, key, current, title, ui.source_line(), region=f.region, highlight=f.mrc),
                  chart_key)
    st.caption(ui.tr("map_legend_note"))
    st.caption(maps.attribution(current))


def messages(f: Filters, cubes: pd.DataFrame) -> list[story.Message]:
    """The key messages of f's territory for f.year (constant sample against the year before when there is one)."""
    previous = f.year - 1
    panel = ui.panel_cubes(previous, f.year) if previous in set(int(y) for y in cubes["year"].unique()) else None
    return story.key_messages(cubes, panel, f, ui.lang())


def show_messages(f: Filters, cubes: pd.DataFrame) -> None:
    found = messages(f, cubes)
    if not found:
        return
    with st.container(border=True):
        st.subheader(ui.tr("story_heading"))
        st.markdown("\n".join(f"- {_escape(m.text)}" for m in found))


def _escape(text: str) -> str:
    """Plain text in markdown: no emphasis, links or HTML from a name or a number."""
    for char in "\\`*_[]<>#|$~":
        text = text.replace(char, "\\" + char)
    return text
