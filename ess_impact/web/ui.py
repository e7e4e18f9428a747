"""Streamlit glue shared by the pages: language, filters kept in the URL, database access per unit of work,
caching by data version, first-run demo data, the demo banner, tables with their downloads, charts, footnotes.
No business logic: that lives in ess_impact."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from importlib import resources

import numpy as np
import pandas as pd
import streamlit as st
from plotly.basedatatypes import BaseFigure

from ess_impact import errors, formatting, labels, reference
from ess_impact.fields import FIELDS, header
from ess_impact.labels import INDICATORS, N_
from ess_impact.output import charts, opendata, tables
from ess_impact.output import impact_cards as impact_text
from ess_impact.publish import indicators, peers, slices, snapshot
from ess_impact.publish.indicators import Filters
from ess_impact.store import auth, db, history

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


def lang() -> str:
    """The interface language, kept in the URL (?lang=en) so that a link opens in the same language."""
    value = st.query_params.get("lang", "fr")
    return value if value in labels.LANGS else "fr"


def tr(key: str, **params) -> str:
    return labels.t(key, lang(), **params)


def counted(key: str, plural_key: str, n: float) -> str:
    """A count with its words in the reader's language (formatting.counted)."""
    return formatting.counted(key, plural_key, n, lang())


def language_switch() -> None:
    current = lang()
    choice = st.sidebar.segmented_control(labels.t("language", current), ["fr", "en"], default=current,
                                          format_func={"fr": "Français", "en": "English"}.get, key="lang_switch",
                                          required=True)
    if choice and choice != current:
        st.query_params["lang"] = choice
        st.rerun()


# --- Streamlit's own texts ------------------------------------------------------------------------------------------
# Streamlit's browser code has no French. Each of these keys holds, in the English catalogue, one of its texts exactly
# as it shows it (tests/test_streamlit_texts.py finds each in Streamlit's own code), and in the French one what the
# French interface shows instead; {name} stands for a part that varies, itself translated.
STREAMLIT_TEXTS = (N_("streamlit_upload"), N_("streamlit_add_files"), N_("streamlit_drop_file"),
                   N_("streamlit_drop_files"), N_("streamlit_per_file"), N_("streamlit_file_upload"),
                   N_("streamlit_file_too_large"), N_("streamlit_file_type"), N_("streamlit_file_too_small"),
                   N_("streamlit_one_file"), N_("streamlit_unexpected"), N_("streamlit_press_enter"),
                   N_("streamlit_press_keys_enter"), N_("streamlit_apply"), N_("streamlit_submit_form"),
                   N_("streamlit_show_password"), N_("streamlit_hide_password"), N_("streamlit_clear_entry"),
                   N_("streamlit_invalid_input"), N_("streamlit_choose_option"), N_("streamlit_choose_options"),
                   N_("streamlit_select"), N_("streamlit_no_results"), N_("streamlit_clear_all"),
                   N_("streamlit_clear_value"), N_("streamlit_select_all"), N_("streamlit_selected_values"),
                   N_("streamlit_open"), N_("streamlit_selectbox_options"), N_("streamlit_multiselect_options"),
                   N_("streamlit_increment"), N_("streamlit_decrement"), N_("streamlit_above_range"),
                   N_("streamlit_below_range"), N_("streamlit_choose_date"), N_("streamlit_clear_date"),
                   N_("streamlit_date_keys"), N_("streamlit_year_of"), N_("streamlit_month_of"),
                   N_("streamlit_day_of"), N_("streamlit_month_value"), N_("streamlit_selected_date"),
                   N_("streamlit_choose_date_in"), N_("streamlit_previous_month"), N_("streamlit_next_month"),
                   N_("streamlit_next"), N_("streamlit_previous"), N_("streamlit_month"), N_("streamlit_year"),
                   N_("streamlit_day_selected"), N_("streamlit_skip"), N_("streamlit_sidebar"),
                   N_("streamlit_collapse_sidebar"), N_("streamlit_expand_sidebar"), N_("streamlit_main_menu"),
                   N_("streamlit_app_pages"), N_("streamlit_help_for"), N_("streamlit_remove"),
                   N_("streamlit_link_heading"), N_("streamlit_running"), N_("streamlit_connecting"),
                   N_("streamlit_connection_error"), N_("streamlit_not_responding"), N_("streamlit_still_running"),
                   N_("streamlit_run_command"), N_("streamlit_connection_lost"), N_("streamlit_timed_out"),
                   N_("streamlit_upload_error"), N_("streamlit_delete_error"), N_("streamlit_search"),
                   N_("streamlit_show_hide_columns"), N_("streamlit_fullscreen"), N_("streamlit_close_fullscreen"),
                   N_("streamlit_sort_ascending"), N_("streamlit_sort_descending"), N_("streamlit_autosize"),
                   N_("streamlit_pin_column"), N_("streamlit_unpin_column"), N_("streamlit_hide_column"),
                   N_("streamlit_reset"), N_("streamlit_download_png"), N_("streamlit_pan"), N_("streamlit_zoom_in"),
                   N_("streamlit_zoom_out"), N_("streamlit_autoscale"), N_("streamlit_reset_axes"))
_TEXTS_SCRIPT = resources.files("ess_impact.web").joinpath("streamlit_texts.js").read_text(encoding="utf-8")


def streamlit_texts_config(current: str) -> dict:
    """What streamlit_texts.js needs for the language `current`: the page's language, Streamlit's texts to replace
    (exact ones, and patterns with their varying parts as regular-expression groups), and the units of file sizes,
    month and weekday names that its rules for sizes and dates use."""
    exact, patterns = {}, []
    for key in STREAMLIT_TEXTS:
        english, translated = labels.t(key, "en"), labels.t(key, current)
        names = re.findall(r"\{(\w+)\}", english)
        if names:
            for k, name in enumerate(names, 1):
                translated = translated.replace("{" + name + "}", f"${k}")
            patterns.append(["(.+?)".join(re.escape(part) for part in re.split(r"\{\w+\}", english)), translated])
        elif translated != english:
            exact[english] = translated
    units, months, weekdays = ({english: translated for english, translated in zip(labels.t(key, "en").split(),
                                                                                    labels.t(key, current).split())}
                               for key in (N_("streamlit_size_units"), N_("streamlit_months"),
                                           N_("streamlit_weekdays")))
    exact.update({english: translated for english, translated in months.items() if english != translated})
    return {"lang": current, "htmlLang": f"{current}-CA", "exact": exact, "patterns": patterns, "sizes": units,
            "months": months, "weekdays": weekdays}


def streamlit_texts() -> None:
    """Streamlit's own texts (a button, a hint under a field, labels for screen readers, the date widgets' calendar)
    in the interface's language, and the page's language (<html lang>) for screen readers: a script in the page
    (ess_impact/web/streamlit_texts.js), run again only when the language changes (the same element otherwise)."""
    st.sidebar.html(_texts_element(lang()), unsafe_allow_javascript=True, width="content")


@functools.cache
def _texts_element(current: str) -> str:
    """The script element of `streamlit_texts` for one language (the catalogue does not change while the app runs:
    built once, not on every page run)."""
    config = json.dumps(streamlit_texts_config(current), ensure_ascii=False).replace("</", "<\\/")
    return f"<script>{_TEXTS_SCRIPT.replace('/*CONFIG*/null', config, 1)}</script>"


# --- data: the published snapshot (ess_impact.publish.snapshot), never computed on a visitor's time -----------------

FIRST_RUN_WAIT_S = 2.0


@st.cache_resource(show_spinner=False)
def _first_run(path: str) -> bool:
    """Once per process and database file: on a fresh machine (empty database) load the fictitious demo data; when
    the published snapshot is not the database's version, prepare it in the background. True when a preparation
    was started."""
    published_before = snapshot.current(path) is not None
    try:  # with a snapshot to serve, a writer holding the file does not hold up the first visitor
        with db.connect(path, timeout=FIRST_RUN_WAIT_S if published_before else None) as con:
            history.load_demo_if_empty(con)
            version = db.data_version(con)
    except db.DatabaseBusy:
        return False  # the writer starts the publication of what it writes
    if snapshot.stale(path, version) and not snapshot.preparing(path):
        snapshot.start(path)
        return True
    return False


# The published tables of the manifests this process has read, by (database path, manifest key): shared by every
# session of the server, read from disk once per manifest (a few MB of Parquet).
_PUBLISHED: dict[tuple[str, str], snapshot.Published] = {}
_STAMPS: dict[str, tuple] = {}
_LOCK = threading.Lock()
# id of a published frame -> (its token: the manifest, a cache key without hashing the frame; the frame itself)
_PUBLISHED_IDS: dict[int, tuple] = {}
WAIT_STEP_S = 0.25
# Time a background preparer may take to start (Python and its imports) before a first page prepares by itself.
PREPARER_START_S = 20.0


def published() -> snapshot.Published:
    """The snapshot in force for this database. A cold server reads it from disk; the first start of an instance
    (nothing ever published) shows a progress message until the background preparation is done."""
    path = str(db.db_path())
    _first_run(path)
    found = _current(path)
    if found is None:
        found = _wait_first(path)
    key = (path, found.key)
    loaded = _PUBLISHED.get(key)
    if loaded is None:
        loaded = snapshot.load(path, found)  # outside the lock: other sessions keep being served meanwhile
        with _LOCK:
            for old in [k for k in _PUBLISHED if k[0] == path]:
                _PUBLISHED.pop(old)
            _PUBLISHED[key] = loaded
            kept = {k for _, k in _PUBLISHED}
            for known in [i for i, (token, _) in _PUBLISHED_IDS.items() if token[1] not in kept]:
                _PUBLISHED_IDS.pop(known)
            _PUBLISHED_IDS[id(loaded.public)] = (("published", found.key), loaded.public)
    return loaded


def _current(path: str) -> snapshot.Manifest | None:
    """The manifest in force, read again only when its file changed (a stat per call)."""
    stamp = snapshot.stamp(path)
    known = _STAMPS.get(path)
    if known is None or known[0] != stamp:
        known = (stamp, snapshot.current(path) if stamp else None)
        _STAMPS[path] = known
    return known[1]


def _wait_first(path: str) -> snapshot.Manifest:
    """Nothing published yet for this database: the page says so while the background preparer works. If no
    preparer is at work (it failed, or this process could not start one), prepare here."""
    with st.spinner(tr("publishing_first")):
        waited = 0.0
        while True:
            found = _current(path)
            if found is not None:
                return found
            if not snapshot.preparing(path) and waited >= PREPARER_START_S:
                found = snapshot.prepare(path)
                if found is None:
                    raise RuntimeError("nothing published")
                return found
            time.sleep(WAIT_STEP_S)
            waited += WAIT_STEP_S


def data_version() -> tuple[str, int]:
    """Cache key of what the pages show: the database's path and the data version of the snapshot in force."""
    found = published()
    return str(db.db_path()), found.data_version


def public_cubes() -> pd.DataFrame:
    """The confidentiality-protected cube of every year, from the snapshot in force (shared: do not modify)."""
    return published().public


def panel_cubes(year_from: int, year_to: int) -> pd.DataFrame | None:
    """The protected cubes of two consecutive years restricted to the enterprises that reported both (constant
    sample), from the snapshot; None for a pair that is not published."""
    found = published()
    panel = found.panel(year_from, year_to)
    if panel is not None:
        with _LOCK:
            _PUBLISHED_IDS.setdefault(id(panel), (("panel", found.manifest.key, year_from, year_to), panel))
    return panel


@st.cache_data(show_spinner=False, max_entries=2)
def _open_data(version: tuple[str, int]) -> bytes:
    with db.connect(version[0]) as con:
        stored = opendata.stored_zip(con)
        pairs = [] if stored else indicators.year_pairs(con)
    if stored:
        return stored
    for pair in pairs:  # one unit of work per pair of years: an import waits for one at most, as for a page
        with db.connect(version[0]) as con:
            indicators.public_panels(con, *pair)
    with db.connect(version[0]) as con:
        return opendata.build_zip(con)


def open_data_zip() -> bytes:
    """The open-data package (.zip) of the public figures in force: the one `ess-impact export` (or an earlier
    download) stored, else built now and stored (up to a few minutes on the demo data after a write)."""
    return _open_data(data_version())


def open_data_licence() -> str:
    """The open-data licence in force, as shown to the reader: its title and SPDX identifier."""
    identifier = opendata.licence()
    return f"{opendata.LICENCES[identifier][0]} ({identifier})"


def wrote() -> None:
    """This session has just written: the snapshot of the new data version is prepared in the background (the
    pages serve the previous one until it is ready)."""
    st.session_state.pop("_data_version", None)
    snapshot.start(str(db.db_path()))


def context() -> dict:
    found = published()
    return {"years": found.years, "is_demo": found.is_demo, "settings": found.settings, "rates": found.rates,
            # issue 14: the input-output multipliers in force (None / {} when no table is loaded)
            "multipliers_load": found.manifest.multipliers_load, "multipliers": found.multipliers,
            # the employment reference table in force (empty when none is loaded): the shares of the territory's jobs
            "employment_load": found.manifest.employment_load, "employment": found.employment}


def update_notice() -> None:
    """While a newer version is being prepared, say that the figures shown are the previous ones."""
    if snapshot.preparing(str(db.db_path())):
        st.caption(tr("publishing_update"))


def real_data_switch(account) -> bool:
    """Admins: while the demo data are in force, explain what switching to real data does and offer it, confirmed;
    True when the instance already holds real data (the page goes on)."""
    with db.connect() as con:  # the database itself (the snapshot may still be the previous version)
        if not db.is_demo(con):
            return True
        figures, enterprises = history.demo_counts(con)
    if not account.is_provincial:
        st.info(tr("real_data_provincial"), icon=":material/info:")
        return False
    st.subheader(tr("real_data_title"))
    st.info(tr("real_data_text", figures=formatting.number(figures, lang()),
               enterprises=formatting.number(enterprises, lang())), icon=":material/info:")
    with st.form("real_data"):
        sure = st.checkbox(tr("real_data_confirm"), key="real_data_sure")
        submitted = st.form_submit_button(tr("real_data_button"), type="primary", key="real_data_submit",
                                          icon=":material/published_with_changes:")
    if submitted and sure:
        attempt(lambda con: history.retire_demo(con, account), "_real_data_done",
                lambda r: [("success", tr("real_data_done", figures=formatting.number(r.figures, lang()),
                                          enterprises=formatting.number(r.enterprises, lang())))])
    return False


def demo_banner() -> None:
    if context()["is_demo"]:
        st.warning(tr("demo_banner"), icon="⚠️")
    update_notice()


# --- filters, kept in the URL --------------------------------------------------------------------------------

SECTION = ("year", "region", "mrc", "sector", "legal_form")


def _from_url(key: str, options: list, multi: bool):
    """The value a link asks for, kept only if it is one of the options (codes, not labels, so that a link works
    in both languages)."""
    by_text = {str(o): o for o in options}
    if multi:
        return [by_text[v] for v in st.query_params.get_all(key) if v in by_text] or None
    value = st.query_params.get(key)
    return by_text.get(value) if value is not None else None


def choose(container, widget: str, label: str, options: list, key: str, default=None, **kwargs):
    """A selectbox or multiselect whose value lives in the URL (?key=code): it opens as the link says, keeps its
    value across pages (the URL is cleared on a page switch, the session keeps a copy) and writes it back."""
    multi = widget == "multiselect"
    memory = f"_kept_{key}"

    def valid(value):
        if value is None:
            return None
        if multi:
            return [v for v in value if v in options] or None
        return value if value in options else None

    # The widget's own state first (the user just changed it), then the link, then the copy kept by the session.
    wanted = valid(st.session_state.get(key))
    if wanted is None and key not in st.session_state:
        wanted = _from_url(key, options, multi)
        asked = st.query_params.get_all(key)
        if asked and (wanted is None or (multi and len(wanted) < len(asked))):
            # a link that asks for a year, a region… that does not exist here: say so rather than fall back silently
            unknown = [v for v in asked if v not in {str(o) for o in options}]
            st.warning(tr("link_unknown", label=label, value=", ".join(unknown)))
        if wanted is None:
            wanted = valid(st.session_state.get(memory))
    limit = kwargs.get("max_selections")
    if multi and limit and wanted:
        wanted = wanted[:limit]  # a link may ask for more than the widget allows: keep the first ones
    st.session_state[key] = wanted if wanted is not None else default
    if multi:
        value = container.multiselect(label, options, key=key, **kwargs)
    else:
        value = container.selectbox(label, options, key=key, **kwargs)
    st.session_state[memory] = value
    if value is None or value == [] or value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = [str(v) for v in value] if multi else str(value)
    return value


def filters(show: tuple[str, ...] = SECTION, regions: list[str] | None = None) -> Filters:
    """Sidebar filters kept in the URL (?annee=2024&region=16&mrc=54&secteur=HAB&forme=COOP): a view can be
    bookmarked, sent by e-mail and opened again as it was."""
    current = lang()
    ctx = context()
    years = sorted(ctx["years"]["year"].tolist(), reverse=True)
    side = st.sidebar
    year = choose(side, "selectbox", tr("year"), years, "annee", years[0]) if "year" in show else None
    region = mrc = sector = legal_form = None
    if "region" in show:
        known = reference.regions()
        offered = known["code"].tolist() if regions is None else [c for c in known["code"] if c in regions]
        region = choose(side, "selectbox", tr("region"), offered, "region",
                        offered[0] if regions is not None and len(offered) == 1 else None,
                        format_func=dict(zip(known["code"], known["name"])).get,
                        placeholder=tr(N_("all_quebec") if regions is None else N_("all_my_regions")))
    if "mrc" in show:
        mrcs = reference.mrcs()
        if region:
            mrcs = mrcs[mrcs["region_code"] == region]
        elif regions is not None:
            mrcs = mrcs[mrcs["region_code"].isin(regions)]
        mrc = choose(side, "selectbox", tr("mrc"), mrcs["code"].tolist(), "mrc",
                     format_func=dict(zip(mrcs["code"], mrcs["name"])).get, placeholder=tr("all_mrcs"))
        if mrc and not region:
            region = mrc_region(mrc)
    if "sector" in show:
        sectors = reference.sectors()
        sector = choose(side, "selectbox", tr("sector"), sectors["code"].tolist(), "secteur",
                        format_func=dict(zip(sectors["code"], sectors[f"label_{current}"])).get,
                        placeholder=tr("all_sectors"))
    if "legal_form" in show:
        forms = reference.legal_forms()
        legal_form = choose(side, "selectbox", tr("legal_form"), forms["code"].tolist(), "forme",
                            format_func=dict(zip(forms["code"], forms[f"label_{current}"])).get,
                            placeholder=tr("all_legal_forms"))
        if sector and legal_form:
            side.info(tr("one_category_filter"))
            legal_form = None
    return Filters(year=year, region=region, mrc=mrc, sector=sector, legal_form=legal_form)


def indicator_choice(options: list[str] = slices.CHART_INDICATORS) -> str:
    """The indicator drawn in a page's charts (?ind=jobs_total)."""
    current = lang()
    return choose(st, "selectbox", tr("chart_indicator"), options, "ind", options[0],
                  format_func=lambda k: INDICATORS[k].label(current))


def mrc_region(code: str) -> str:
    mrcs = reference.mrcs()
    return str(mrcs.loc[mrcs["code"] == code, "region_code"].iloc[0])


def place(f: Filters) -> str:
    """Where a view is: 'MRC des Maskoutains', 'Montérégie' or 'Québec', with its category when one is chosen."""
    if f.mrc:
        mrcs = reference.mrcs()
        where = str(mrcs.loc[mrcs["code"] == f.mrc, "name"].iloc[0])
    elif f.region:
        regions = reference.regions()
        where = str(regions.loc[regions["code"] == f.region, "name"].iloc[0])
    else:
        where = "Québec"
    category = category_name(f)
    return f"{where} — {category}" if category else where


def category_name(f: Filters) -> str | None:
    if f.sector:
        frame, code = reference.sectors(), f.sector
    elif f.legal_form:
        frame, code = reference.legal_forms(), f.legal_form
    else:
        return None
    return str(frame.loc[frame["code"] == code, f"label_{lang()}"].iloc[0])


def need_data() -> None:
    """Stop the page with a clear message when no year is public yet (store/releases.py)."""
    if context()["years"].empty:
        st.info(tr("empty_database"))
        st.stop()


def live_years() -> list[int]:
    """The admins' own views: the years with figures as they are now, released or not (latest first); stops the
    page with a clear message when there are none."""
    with db.connect() as con:
        found = indicators.years(con, live=True)
    if found.empty:
        st.info(tr("no_figures_yet"))
        st.stop()
    return sorted(found["year"].astype(int).tolist(), reverse=True)


# --- output: tables with downloads, charts, notes -------------------------------------------------------------

def source_line() -> str:
    return tr("source_line_demo") if context()["is_demo"] else tr("source_line")


def notes() -> list[str]:
    """The lines that go under every published table and into every download."""
    settings = context()["settings"]
    other = tables.other_rules_note(settings, lang())
    return [source_line(), tables.suppressed_note(settings, lang())] + ([other] if other else [])


def _slug(text: str) -> str:
    plain = reference.normalize(text)
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "tableau"


# --- tables on screen: no formula text ----------------------------------------------------------------------------
# Streamlit's own table toolbar has no CSV download here (client.disableDataExport, passed by ess_impact.web.server, and on
# `ess-impact run`'s command line): the app's downloads (tables.to_csv / to_xlsx) neutralise formula text. As a second
# lock, every table the pages show goes through dataframe()/table() below, which neutralise the text cells the same
# way (a leading apostrophe), so that a copy of the screen cannot carry `=cmd|' /C calc'!A0` either.

def safe_frame(data, labels: bool = True):
    """The data of a table to show, with every text cell (and text index / column label) that a spreadsheet would run
    as a formula neutralised. A pandas Styler keeps its formats (its data is neutralised, its labels kept)."""
    from pandas.io.formats.style import Styler

    if isinstance(data, Styler):
        data.data = safe_frame(data.data, labels=False)
        return data
    if isinstance(data, pd.Series):
        data = data.to_frame()
    if not isinstance(data, pd.DataFrame):
        return data
    frame = data.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            frame[column] = values.map(tables.neutralise, na_action="ignore")
    if labels and (frame.index.dtype == object or pd.api.types.is_string_dtype(frame.index)):
        frame.index = frame.index.map(tables.neutralise)
    if labels and not isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [tables.neutralise(c) for c in frame.columns]
    return frame


def dataframe(data, **kwargs):
    """st.dataframe of safe_frame(data): the only way the pages show a table. An empty cell shows the "no value"
    mark, never Streamlit's English "None"."""
    kwargs.setdefault("placeholder", formatting.MISSING)
    return st.dataframe(safe_frame(data), **kwargs)


def table(data, **kwargs):
    """st.table of safe_frame(data)."""
    return st.table(safe_frame(data), **kwargs)


def show_table(table: tables.Table, key: str, height: int | None = None) -> None:
    """A sortable table in Québec formats with 'x' for suppressed cells, then its CSV and Excel downloads."""
    rows = len(table.frame)
    hidden_any = table.hidden is not None and bool(table.hidden.to_numpy().any())
    dataframe(tables.styled(table, lang()), hide_index=True, width="stretch",
                 height=height or min(rows + 1, 20) * 35 + 3,
                 placeholder=formatting.SUPPRESSED if hidden_any else formatting.MISSING)
    current = lang()
    name = _slug(table.title or key)
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(tr("download_csv"), lambda: tables.to_csv(table, current), file_name=f"{name}.csv",
                         mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    right.download_button(tr("download_xlsx"), lambda: tables.to_xlsx([table], current), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", icon=":material/table_view:", on_click="ignore")


def show_chart(figure, key: str) -> None:
    """The chart (a plotly figure, or a figure() already turned into its dict: then not copied nor validated again),
    then its text alternative one click away: the same figures as a table (what a screen reader reads, and what a
    reader copies)."""
    st.plotly_chart(figure, key=key, config=PLOTLY_CONFIG, theme=None)
    alternative = charts.alternative(figure)
    if alternative is not None:
        with st.expander(tr("chart_data"), icon=":material/table:"):
            table(alternative.set_index(alternative.columns[0]))  # a plain HTML table: what a screen reader reads best


class _Built(BaseFigure):
    """A figure already built and turned into its dict: st.plotly_chart asks it for `to_dict()` and gets the stored
    dict (plotly's validation and deep copy are skipped). Read-only: the dict is shared by every session."""

    def __new__(cls, spec: dict):
        built = object.__new__(cls)
        built.__dict__["_spec"] = spec
        return built

    def __init__(self, spec: dict):  # noqa: D107 - nothing to set up (BaseFigure's set-up is what is skipped)
        pass

    def to_dict(self) -> dict:
        return self.__dict__["_spec"]


# Figures built by this process, by what they were built from (the snapshot's manifest for the published frames,
# the content of any other frame, the other arguments): a chart whose inputs have not changed is not built again.
_FIGURES: OrderedDict = OrderedDict()
FIGURES_KEPT = 512


def _token(value):
    if isinstance(value, (pd.DataFrame, pd.Series)):
        found = _PUBLISHED_IDS.get(id(value))
        if found is not None and found[1] is value:
            return found[0]
        hashed = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
        names = tuple(map(str, value.columns)) if isinstance(value, pd.DataFrame) else str(value.name)
        return ("frame", names, hashlib.sha256(hashed).hexdigest())
    if isinstance(value, (list, tuple)):
        return tuple(_token(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _token(v)) for k, v in sorted(value.items()))
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, hashlib.sha256(value.tobytes()).hexdigest())
    return repr(value)


def figure(builder, *args, **kwargs) -> _Built:
    """`builder(*args, **kwargs)` (a charts/maps function), built once per distinct input in this process."""
    key = (builder.__module__, builder.__qualname__, _token(args), _token(kwargs))
    with _LOCK:  # sessions run in threads of one process
        spec = _FIGURES.get(key)
        if spec is not None:
            _FIGURES.move_to_end(key)
    if spec is None:
        spec = builder(*args, **kwargs).to_dict()
        with _LOCK:
            _FIGURES[key] = spec
            while len(_FIGURES) > FIGURES_KEPT:
                _FIGURES.popitem(last=False)
    return _Built(spec)


def footnotes(year: int | None) -> None:
    """What 'x' means, the volunteer rate in force for the year, the source."""
    ctx = context()
    current = lang()
    for line in notes()[1:]:
        st.caption(line)
    rates = ctx["rates"]
    rates = rates[rates["year"] <= year] if year else rates
    if not rates.empty:
        r = rates.iloc[-1]
        st.caption(tr("volunteer_rate_note", rate=formatting.money(r["rate"], current, 2), year=int(r["year"]),
                      source=labels.rate_source(r["source"], current)))
    st.caption(source_line())


def cards(f: Filters, cubes: pd.DataFrame) -> bool:
    """Headline cards of a territory × category for f.year, with the change from the year before, raw and at
    constant sample. False (and a message) when nobody reported there."""
    current = lang()
    now = slices.row(cubes, f, current)
    if now is None:
        st.info(tr("no_data_here", place=place(f), year=f.year))
        return False
    previous = f.year - 1 if f.year - 1 in set(cubes["year"].unique()) else None
    before = slices.row(cubes, replace(f, year=previous), current) if previous else None
    panel = panel_cubes(previous, f.year) if before is not None else None
    figures = slices.headline(now, before, panel, f, previous, current)
    for start in (0, 4):
        for column, (_, card) in zip(st.columns(4), figures.iloc[start:start + 4].iterrows()):
            key, change = card["key"], tables.change_key(card["key"])
            shown = formatting.SUPPRESSED if card["hidden"] else formatting.indicator(key, card["value"], current,
                                                                                     compact=True)
            delta = None if pd.isna(card["change"]) else tables.value_text(change, card["change"], current)
            description = None if delta is None or pd.isna(card["change_constant"]) else \
                tr("constant_sample", value=tables.value_text(change, card["change_constant"], current))
            column.metric(card["label"], shown, delta, help=INDICATORS[key].definition(current), border=True,
                          delta_description=description)
    if before is not None:
        st.caption(tr("change_note", year=f.year - 1))
    return True


IMPACT_CARDS = "impact_cards"
IMPACT_PER_ROW = 3


def impact_cards(f: Filters, cubes: pd.DataFrame) -> None:
    """Issue 14: value added beside revenue, the value of volunteering as a range, reach and the spin-offs of a
    territory × category for f.year (output/impact_cards.py, from the published row), each with its method."""
    current = lang()
    now = slices.row(cubes, f, current)
    if now is None:
        return
    ctx = context()
    st.subheader(tr("impact_heading"))
    found = impact_text.cards(now, ctx["rates"], ctx["multipliers_load"], current, ctx["employment"])
    # three a row, labels and values wrapping (page_style): "entre 223,9 M$ et 361,1 M$" is never cut to "entre…"
    with st.container(key=IMPACT_CARDS):
        for start in range(0, len(found), IMPACT_PER_ROW):
            row = found[start:start + IMPACT_PER_ROW]
            for column, card in zip(st.columns(IMPACT_PER_ROW), row):
                column.metric(card["label"], card["value"], help=card["help"], border=True)
    for line in impact_text.notes(ctx["multipliers_load"], ctx["employment"], f.year, current):
        st.caption(line)  # one line each: a line may end with a command, not a full stop


def impact_table(rows: pd.DataFrame, names: list[str], title: str, key: str) -> None:
    """Issue 14: the impact figures of published territory rows, indicators × territories with each one's method
    (output/impact_cards.py), downloadable; then what is an estimate, the sources, and what is missing."""
    ctx, current = context(), lang()
    year = int(rows["year"].iloc[0])
    keys = impact_text.available(ctx["multipliers_load"], ctx["employment"])
    lines = impact_text.notes(ctx["multipliers_load"], ctx["employment"], year, current)
    show_table(impact_text.by_indicator(rows, names, keys, current, title, lines + notes()), key,
               height=(len(keys) + 1) * 35 + 3)
    for line in lines:
        st.caption(line)


def share_columns() -> list[str]:
    """The share of the territory's jobs, for the tables of territories, when an employment table is loaded."""
    employment = context()["employment"]
    return ["jobs_share"] if employment is not None and not employment.empty else []


def page_style() -> None:
    """Small layout fixes: let the constant-sample line under a card's change wrap instead of being cut; captions
    dark enough to pass the contrast check."""
    st.html("<style>"
            "div:has(> [data-testid=stMetricDeltaDescription]) {flex-wrap: wrap; row-gap: 2px}"
            "[data-testid=stMetricDeltaDescription], [data-testid=stMetricDeltaDescription] * "
            "{white-space: normal !important; overflow: visible !important; text-overflow: clip !important}"
            # impact cards: long labels and values ("entre 223,9 M$ et 361,1 M$") wrap instead of ending in "…"
            f".st-key-{IMPACT_CARDS} [data-testid=stMetricValue] *, .st-key-{IMPACT_CARDS} [data-testid=stMetricLabel] *"
            "{white-space: normal !important; overflow: visible !important; text-overflow: clip !important}"
            f".st-key-{IMPACT_CARDS} [data-testid=stMetricValue] {{font-size: 1.9rem; line-height: 1.2}}"
            # captions (sources, notes): Streamlit's grey #828180 is 3.9:1 on white; #52606D is 6.4:1 (WCAG AA)
            "[data-testid=stCaptionContainer], [data-testid=stCaptionContainer] p "
            "{color: #52606D !important; opacity: 1 !important}"
            "</style>")


# --- accounts: login kept in a cookie, logout -------------------------------------------------------------------
# The browser keeps the session token in the cookie `ess_session` (SameSite=Strict, path /, expiring with the idle
# timeout); the database keeps only its hash. Streamlit reads cookies once, when the page is loaded, so a login or a
# logout made in this session is also kept in st.session_state. The token never goes into the URL.

SESSION_COOKIE = "ess_session"


# The cookie is written by a script because Streamlit (1.67) gives the app no way to send a Set-Cookie header of its
# own: st.context.cookies is read-only, and st.login's HttpOnly cookie is only for an outside identity provider (OIDC,
# used when configured: auth.account_for_email). So the cookie cannot be HttpOnly: a script running in the page could
# read it. What limits the exposure: the page runs no third-party script and shows user text only as text (Streamlit
# escapes it; no unsafe_allow_html on user data); the token is 256 random bits of which the database keeps only the
# SHA-256; it expires after `session_idle_minutes` of inactivity on the server whatever the browser keeps; a new one
# is issued at each login; logout, a new password and disabling the account delete it server-side; SameSite=Strict
# keeps it off cross-site requests. It is `Secure` whenever the page is served over HTTPS (production: behind the TLS
# reverse proxy, docs/security.md), decided in the browser from the page's own address.
def _cookie_script(token: str, max_age: int) -> str:
    value = json.dumps(f"{SESSION_COOKIE}={token}; path=/; max-age={max_age}; SameSite=Strict")
    # The run number makes each run's element differ, so the browser runs it again and the expiry moves on.
    return (f"<script>/* {time.monotonic_ns()} */ document.cookie = {value} + "
            f"(window.location.protocol === 'https:' ? '; Secure' : '');</script>")


def account_from(cookies, state, con, now=None):
    """The logged-in account from the session state (a login in this session) or the cookies sent when the page was
    loaded, or None. A token that no longer opens anything is forgotten."""
    if state.get("_logged_out"):
        return None
    token = state.get("_session_token") or cookies.get(SESSION_COOKIE)
    account = auth.resume_session(con, token, now) if token else None
    if account is None:
        state.pop("_session_token", None)
    return account


def account():
    """The current auth.Account, or None for an anonymous visitor. Resolved by app.py once per run (it counts as
    activity and refreshes the cookie); pages read it with current_account()."""
    ctx = st.context
    cookies = dict(ctx.cookies) if ctx.cookies is not None else {}
    token = st.session_state.get("_session_token") or cookies.get(SESSION_COOKIE)
    oidc = oidc_configured() and getattr(st.user, "is_logged_in", False)
    current, idle = None, 0
    if (token and not st.session_state.get("_logged_out")) or oidc:  # an anonymous run opens no database
        with db.connect() as con:
            current = account_from(cookies, st.session_state, con)
            if current is None and oidc:
                current = auth.account_for_email(con, st.user.get("email"))
            idle = auth.idle_minutes(con) if current is not None else 0
        token = st.session_state.get("_session_token") or cookies.get(SESSION_COOKIE)
    if current is not None and token:
        st.sidebar.html(_cookie_script(token, idle * 60), unsafe_allow_javascript=True, width="content")
    elif st.session_state.pop("_clear_cookie", False):
        st.sidebar.html(_cookie_script("", 0), unsafe_allow_javascript=True, width="content")
    st.session_state["_account"] = current
    return current


def current_account():
    """The account app.py resolved for this run, or None."""
    return st.session_state.get("_account")


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all: local accounts only
        return False


def client_address() -> str | None:
    """The visitor's IP address as Streamlit sees it (behind a reverse proxy: the proxy's), the key of the login
    throttle; None when unknown (AppTest), which shares one bucket."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def log_in(email: str, password: str) -> None:
    """Check the password and open a session (auth.LoginFailed otherwise); the cookie is written on the next run."""
    with db.connect() as con:
        found = auth.authenticate(con, email, password, client=client_address())
        st.session_state["_session_token"] = auth.open_session(con, found)
    st.session_state.pop("_logged_out", None)


def log_out() -> None:
    cookies = dict(st.context.cookies) if st.context.cookies is not None else {}
    token = st.session_state.pop("_session_token", None) or cookies.get(SESSION_COOKIE)
    with db.connect() as con:
        auth.close_session(con, token)
    st.session_state["_logged_out"] = True
    st.session_state["_account"] = None
    st.session_state["_clear_cookie"] = True  # done by account() on the next run
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def account_box(current) -> None:
    """Who is logged in and a logout button, in the sidebar."""
    if current is None:
        return
    side = st.sidebar
    role = tr("role_regional", regions=", ".join(place(Filters(region=code)) for code in current.regions)) \
        if current.is_regional \
        else tr(ROLE_KEYS[current.role])
    side.caption(tr("logged_in_as", email=current.email) + f" ({role})")
    if side.button(tr("logout"), icon=":material/logout:", key="logout"):
        log_out()
        st.rerun()


def account_required(admin: bool = False, provincial: bool = False):
    """The logged-in account a page needs (app.py hands these pages only to such accounts; this is the second lock).
    `provincial`: a provincial admin (settings, accounts)."""
    current = current_account()
    if current is None or (admin and not current.is_admin):
        st.error(tr(N_("forbidden_admin") if current is not None else N_("forbidden_anonymous")))
        st.stop()
    if provincial and not current.is_provincial:
        st.error(tr("forbidden_provincial"))
        st.stop()
    return current


# Codes as the reader says them (keys marked for the catalogue's extraction)
CHANNEL_KEYS = {"app": N_("channel_app"), "cli": N_("channel_cli"), "undo": N_("channel_undo"),
                "demo": N_("channel_demo")}
ROLE_KEYS = {"admin": N_("role_admin"), "entreprise": N_("role_entreprise")}
LEVEL_KEYS = {"region": N_("level_region"), "mrc": N_("level_mrc")}
UNIT_KEYS = {"count": N_("unit_count"), "jobs": N_("unit_jobs"), "fte": N_("unit_fte"), "money": N_("unit_money"),
             "hours": N_("unit_hours"), "ratio": N_("unit_ratio"), "per_1000": N_("unit_per_1000")}
STATUS_KEYS = {"new": N_("status_new"), "changed": N_("status_changed"), "same": N_("status_same")}
REPORT_KEYS = {"pdf": N_("report_pdf"), "sheet": N_("report_sheet"), "xlsx": N_("report_xlsx"),
               "pptx": N_("report_pptx"), "png": N_("report_png")}


def admin_regions(account) -> list[str] | None:
    """The regions a regional admin's pages offer (None: a provincial admin, every region and Québec)."""
    return None if account.is_provincial else auth.regions_of(account)


def channel_name(channel) -> str:
    """'app', 'cli', 'undo', 'demo' as the reader says it (the code itself when it is not known)."""
    key = CHANNEL_KEYS.get(channel)
    return tr(key) if key else str(channel or "")


def submission_table(log) -> pd.DataFrame:
    """The import log as shown on screen: no., when, who, file, SHA-256, rows, new, replaced, undone by."""
    return pd.DataFrame({
        tr("log_id"): log["id"], tr("log_when"): log["imported_at"].dt.strftime("%Y-%m-%d %H:%M"),
        tr("log_who"): log["actor"], tr("log_channel"): [channel_name(c) for c in log["channel"]], tr("log_file"): log["file_name"],
        tr("log_sha"): log["sha256"], tr("log_rows"): log["n_rows"], tr("log_inserted"): log["n_inserted"],
        tr("log_replaced"): log["n_replaced"],
        tr("log_status"): [tr("log_undoes", id=int(u)) if pd.notna(u) else
                           tr("log_undone_by", id=int(b)) if pd.notna(b) else "" for u, b in
                           zip(log["undoes"], log["undone_by"])],
    })


def original_file_download(account, log: pd.DataFrame, key: str) -> None:
    """Pick one of the submissions of `log` (history.list_imports) whose file was kept, and download that file
    exactly as it was sent; the bytes are read when the button is clicked, through history.original_file, which
    checks the account again."""
    st.subheader(tr("original_heading"))
    kept = log[log["file_size"].notna()]
    if kept.empty:
        st.info(tr("original_none"))
        return
    st.caption(tr("original_text"))
    names = dict(zip(kept["id"].astype(int), kept["file_name"]))
    shown = {int(r.id): tr("original_label", id=int(r.id), when=f"{r.imported_at:%Y-%m-%d %H:%M}", file=r.file_name,
                           size=formatting.number(max(1, round(r.file_size / 1024)), lang()))
             for r in kept.itertuples()}
    chosen = st.selectbox(tr("original_choice"), list(shown), format_func=shown.get, key=f"{key}_original")

    def original() -> bytes:
        with db.connect() as con:
            found = history.original_file(con, account, chosen)
        return found[1] if found else b""

    st.download_button(tr("original_button"), original, file_name=names[chosen], mime="application/octet-stream",
                       icon=":material/download:", key=f"{key}_original_download", on_click="ignore")


def figures_by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """One enterprise's stored rows (history.enterprise_figures) as shown on screen: one column per year, latest
    first, one line per field in the reader's language and Québec formats, then when and from which file."""
    current = lang()
    kinds = {f.key: f.kind for f in FIELDS}
    keys = [f.key for f in FIELDS if f.key not in ("neq", "year")] + ["imported_at", "file_name"]
    names = {f.key: header(f, current) for f in FIELDS} | {"imported_at": tr("my_data_recorded"),
                                                            "file_name": tr("my_data_file")}
    return pd.DataFrame({str(year): [formatting.field_value(kinds.get(k, "text"), row[k], current) for k in keys]
                         for year, row in frame.set_index("year").sort_index(ascending=False).iterrows()},
                        index=[names[k] for k in keys])


def peer_comparison(account, neq: str, years: list[int]) -> None:
    """Mes données: the enterprise's indicators for a chosen year beside the medians of its sector in its MRC, its
    region and Québec (peers.peer_medians decides what may be shown)."""
    st.markdown("**" + tr("peers_heading") + "**")
    year = st.selectbox(tr("peers_year"), years, index=0, key=f"peers_year_{neq}")
    with db.connect() as con:
        found = peers.peer_medians(con, account, neq, year, lang())
    if found is None:
        st.info(tr("peers_no_row", year=year))
        return
    st.caption(tr("peers_intro", **found.names))
    table = tables.peers_table(found, lang())
    show_table(table, key=f"peers_{neq}")
    for note in table.notes:
        st.caption(note)


# --- errors: a message and a reference on the page, the details in the server log ----------------------------------
LOG = logging.getLogger("ess_impact.app")


def internal_error(exc: BaseException) -> str:
    """Log `exc` with its traceback under a new reference and show the visitor only a French (or English) message
    with that reference. Returns the reference."""
    reference_id = errors.report_bug(exc, LOG)
    st.error(tr("internal_error", reference=reference_id), icon=":material/error:")
    return reference_id


def guarded(run) -> None:
    """Run a page: an unexpected exception becomes internal_error() instead of Streamlit's traceback. Streamlit's
    own control flow (st.rerun, st.stop: BaseException, not Exception) passes through."""
    try:
        run()
    except Exception as exc:  # noqa: BLE001 - the catch-all of the pages
        internal_error(exc)


def attempt(operation, done_key: str, messages, after=None) -> None:
    """One write of an admin or enterprise page: `operation(con)` in its own connection. A refusal (wrong input, not
    allowed, base busy) is shown as its French message where the button was; on success, `messages(result)` — a list
    of (kind, text), kind 'success', 'warning' or 'info' — is kept under `done_key` for show_done after the rerun,
    once `after(result, messages)` (e.g. recomputing the public tables) has run."""
    try:
        with db.connect() as con:
            result = operation(con)
    except errors.EssError as refused:
        st.error(refused.message(lang()).replace("\n", "  \n"))  # a refusal of several lines (one per cell)
        return
    except Exception as exc:  # noqa: BLE001 - anything else: a reference here, the details in the log
        internal_error(exc)
        return
    wrote()
    shown = messages(result)
    if after is not None:
        after(result, shown)
    st.session_state[done_key] = shown
    st.rerun()


def show_done(done_key: str) -> None:
    """The messages attempt() kept for this run, shown here."""
    for kind, text in st.session_state.pop(done_key, []):
        getattr(st, kind)(text)
