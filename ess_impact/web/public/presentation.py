"""Présentation: a territory's story full screen, one message per screen, for a council of mayors. No sidebar,
large type; ← → (or a clicker's Page up / Page down, or the space bar) move between screens, Échap goes back.
The screen number lives in the URL (?ecran=3), so that a screen can be reopened. Reached from Territoires."""

import streamlit as st

from ess_impact.labels import INDICATORS
from ess_impact.output import story as messages
from ess_impact.publish.indicators import Filters
from ess_impact.web import story, ui

lang = ui.lang()
ui.need_data()
f = ui.filters(("year", "region", "mrc"))
cubes = ui.public_cubes()
where = ui.place(f)
story.presentation_style()

found = story.messages(f, cubes)
screens = [("title", None)] + [("message", m) for m in found] + [("map", None)]
try:
    index = min(max(int(st.query_params.get("ecran", "1")), 1), len(screens))
except ValueError:
    index = 1
kind, message = screens[index - 1]

if kind == "title":
    st.markdown(f"<p class='kicker'>{story.escape_html(ui.tr('sheet_kicker'))}</p>", unsafe_allow_html=True)
    st.markdown(f"<h1 class='big'>{story.escape_html(ui.tr('report_heading', place=where, year=f.year))}</h1>",
                unsafe_allow_html=True)
    if not found:
        st.info(ui.tr("no_data_here", place=where, year=f.year))
elif kind == "message":
    st.markdown(f"<h1 class='kicker'>{story.escape_html(ui.tr('story_heading'))} — "
                f"{story.escape_html(where)}, {f.year}</h1>", unsafe_allow_html=True)
    st.markdown(f"<p class='message'>{story.escape_html(message.text)}</p>", unsafe_allow_html=True)
else:  # the map's title is drawn in the figure; screen readers get it as the screen's heading
    st.markdown(f"<h1 class='visually-hidden'>{story.escape_html(story.map_title(f, messages.KEY))}</h1>",
                unsafe_allow_html=True)
    story.show_map(Filters(f.year, f.region, f.mrc), cubes, messages.KEY, "presentation_map", height=760)

story.presentation_controls(index, len(screens), f)
st.caption(ui.tr("presentation_keys") + " · " + INDICATORS[messages.KEY].label(lang) + " · " + ui.source_line())
