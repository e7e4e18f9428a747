"""The territory's story on screen: the choropleth map (with its licence credit) and the key messages."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ess_impact.labels import INDICATORS
from ess_impact.output import maps, story
from ess_impact.publish import areas
from ess_impact.publish.indicators import Filters
from ess_impact.store import db, notes
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
    show_message_list(messages(f, cubes))


def show_message_list(found: list[story.Message]) -> None:
    if not found:
        return
    with st.container(border=True):
        st.subheader(ui.tr("story_heading"))
        st.markdown("\n".join(f"- {_escape(m.text)}" for m in found))


def note(level: str, code: str) -> str | None:
    """The local paragraph of a territory in the interface's language (a short read)."""
    with db.connect() as con:
        return notes.get(con, level, code, ui.lang())


def note_editor(level: str, code: str) -> None:
    """For admins: the territory's local paragraph, printed on its one-page sheet."""
    account = ui.current_account()
    if account is None or not account.is_admin:
        return
    ui.show_done("note_done")
    with st.expander(ui.tr("note_heading")), st.form("note_form", border=False):
        text = st.text_area(ui.tr("note_heading"), value=note(level, code) or "", max_chars=notes.MAX_CHARS,
                            help=ui.tr("note_help", max=notes.MAX_CHARS), label_visibility="collapsed")
        st.caption(ui.tr("note_help", max=notes.MAX_CHARS))
        if st.form_submit_button(ui.tr("note_save")):
            ui.attempt(lambda con: notes.put(con, level, code, ui.lang(), text, account.email), "note_done",
                       lambda stored: [("success", ui.tr("note_saved" if stored else "note_removed"))])


def _escape(text: str) -> str:
    """Plain text in markdown: no emphasis, links or HTML from a name or a number."""
    for char in "\\`*_[]<>#|$~":
        text = text.replace(char, "\\" + char)
    return text
