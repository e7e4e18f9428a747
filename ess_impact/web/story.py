"""The territory's story on screen: the choropleth map (with its licence credit) and the key messages."""

from __future__ import annotations

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from ess_impact.labels import INDICATORS, N_
from ess_impact.output import maps, story
from ess_impact.publish import areas
from ess_impact.publish.indicators import Filters
from ess_impact.store import auth, db, notes
from ess_impact.web import ui


# The MRC boundaries, served by Streamlit's static file serving (server.enableStaticServing, ess_impact/web/static/):
# the browser fetches them once and keeps them; relative, so that it works behind a proxy's path prefix too.
GEOJSON_URL = "app/static/quebec_mrc_boundaries.geojson"


def map_title(f: Filters, key: str) -> str:
    """The title of the MRC map of f.year for `key` (`show_map`)."""
    place = ui.place(Filters(region=f.region, sector=f.sector, legal_form=f.legal_form))
    return ui.tr("map_choropleth_title", indicator=INDICATORS[key].label(ui.lang()), place=place, year=f.year)


def show_map(f: Filters, cubes: pd.DataFrame, key: str, chart_key: str = "map", height: int = 620) -> None:
    """The MRC map of f.year for `key` per 1 000 inhabitants: zoomed on f.region, f.mrc highlighted."""
    current = ui.lang()
    title = map_title(f, key)
    ui.show_chart(ui.figure(_map, cubes, f, key, current, title, ui.source_line(), height), chart_key)
    st.caption(ui.tr("map_legend_note"))
    st.caption(maps.attribution(current))


def _map(cubes: pd.DataFrame, f: Filters, key: str, lang: str, title: str, source: str, height: int):
    """The map's figure, from the published cubes (ui.figure builds it once per distinct input)."""
    return maps.choropleth(areas.area_values(cubes, f, key, lang), key, lang, title, source, region=f.region,
                           highlight=f.mrc, height=height, geojson_url=GEOJSON_URL)


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
    """The local paragraph of a territory in the interface's language, as published (no database opened)."""
    return ui.published().note(level, code, ui.lang())


def note_editor(level: str, code: str) -> None:
    """For admins: the territory's local paragraph, printed on its one-page sheet."""
    account = ui.current_account()
    region = code if level == "region" else auth.mrc_regions().get(code)
    if account is None or not account.holds_region(region):  # a regional admin: its own territories' paragraphs
        return
    ui.show_done("note_done")
    with st.expander(ui.tr("note_heading")), st.form("note_form", border=False):
        with db.connect() as con:  # the stored paragraph, even before its publication
            stored = notes.get(con, level, code, ui.lang())
        text = st.text_area(ui.tr("note_heading"), value=stored or "", max_chars=notes.MAX_CHARS,
                            help=ui.tr("note_help", max=notes.MAX_CHARS), label_visibility="collapsed")
        st.caption(ui.tr("note_help", max=notes.MAX_CHARS))
        if st.form_submit_button(ui.tr("note_save")):
            ui.attempt(lambda con: notes.put(con, level, code, ui.lang(), text, account), "note_done",
                       lambda stored: [("success", ui.tr(N_("note_saved") if stored else N_("note_removed")))])


def _escape(text: str) -> str:
    """Plain text in markdown: no emphasis, links or HTML from a name or a number."""
    for char in "\\`*_[]<>#|$~":
        text = text.replace(char, "\\" + char)
    return text


def escape_html(text: str) -> str:
    import html

    return html.escape(str(text))


def presentation_style() -> None:
    """Full screen: no sidebar, no header, large type."""
    st.html("<style>"
            "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], header[data-testid='stHeader'],"
            "[data-testid='stToolbar'] {display: none !important;}"
            ".block-container {max-width: 1400px; padding-top: 2rem;}"
            # a screen's kicker is its heading (h1) for screen readers, drawn as a small grey line
            "h1.kicker, p.kicker {font-size: 1.4rem; font-weight: 400; line-height: 1.6; color: #52606D; padding: 0;"
            " margin: 0 0 0.5rem 0;}"
            "h1.visually-hidden {position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;"
            " overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;}"
            "h1.big {font-size: clamp(2.2rem, 5vw, 4.2rem); line-height: 1.15; margin: 18vh 0 2rem 0;}"
            "p.message {font-size: clamp(1.6rem, 3.4vw, 3rem); line-height: 1.35; margin: 12vh 0 8vh 0;"
            " color: #1F2933;}"
            "</style>")


def presentation_controls(index: int, count: int, f: Filters) -> None:
    """Previous / next buttons (the keyboard presses them), the screen counter, and the way back."""
    left, middle, right, back = st.columns([1, 1, 1, 2])
    if left.button("← " + ui.tr("presentation_previous"), disabled=index <= 1, key="presentation_previous"):
        st.query_params["ecran"] = str(index - 1)
        st.rerun()
    middle.markdown(f"<p style='text-align:center;font-size:1.2rem'>{index} / {count}</p>", unsafe_allow_html=True)
    if right.button(ui.tr("presentation_next") + " →", disabled=index >= count, key="presentation_next"):
        st.query_params["ecran"] = str(index + 1)
        st.rerun()
    exit_text = escape_html(ui.tr("presentation_exit"))
    back.markdown(f"<a class='ess-exit' href='territoires?{_query(f)}' target='_self'>{exit_text}</a>",
                  unsafe_allow_html=True)

    # Keys and clickers (Page up / Page down) press the buttons above; Escape follows the way back.
    components.html("""<script>
const doc = window.parent.document;
if (!doc.__essKeys) {
  doc.__essKeys = true;
  doc.addEventListener('keydown', (event) => {
    if (['INPUT', 'TEXTAREA'].includes((event.target.tagName || '').toUpperCase())) return;
    const click = (key) => { const b = doc.querySelector(`.st-key-${key} button`); if (b && !b.disabled) b.click(); };
    if (['ArrowRight', 'PageDown', ' '].includes(event.key)) { event.preventDefault(); click('presentation_next'); }
    if (['ArrowLeft', 'PageUp'].includes(event.key)) { event.preventDefault(); click('presentation_previous'); }
    if (event.key === 'Escape') { const a = doc.querySelector('a.ess-exit'); if (a) a.click(); }
  });
}
</script>""", height=0)


def _query(f: Filters, **extra) -> str:
    from urllib.parse import urlencode

    params = {k: v for k, v in (("region", f.region), ("mrc", f.mrc), ("annee", f.year), ("lang", ui.lang()))
              if v}
    return urlencode({**params, **extra})


def presentation_link(f: Filters) -> None:
    """The link that opens this territory's story full screen (a new page load, no sidebar)."""
    text = escape_html(ui.tr("presentation_open"))
    st.markdown(f"<a href='presentation?{_query(f)}' target='_self'>{text}</a>", unsafe_allow_html=True)
