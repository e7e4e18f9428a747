"""Streamlit glue shared by the pages: language, database access per unit of work, caching by data version,
first-run demo data, the demo banner. No business logic: that lives in ess_impact."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ess_impact import db, demo, indicators, labels


def lang() -> str:
    """The interface language, kept in the URL (?lang=en) so that a link opens in the same language."""
    value = st.query_params.get("lang", "fr")
    return value if value in labels.LANGS else "fr"


def tr(key: str, **params) -> str:
    return labels.t(key, lang(), **params)


def language_switch() -> None:
    current = lang()
    choice = st.sidebar.segmented_control(labels.t("language", current), ["fr", "en"], default=current,
                                          format_func={"fr": "Français", "en": "English"}.get, key="lang_switch",
                                          required=True)
    if choice and choice != current:
        st.query_params["lang"] = choice
        st.rerun()


@st.cache_resource(show_spinner=False)
def _first_run(path: str) -> bool:
    """On a fresh machine the database is empty: load the fictitious demo data once (per database file)."""
    with db.connect(path) as con:
        return demo.load_if_empty(con) is not None


def data_version() -> tuple[str, int]:
    """Cache key of everything read from the database: its path and the version every write bumps."""
    path = str(db.db_path())
    _first_run(path)
    with db.connect(path) as con:
        return path, db.data_version(con)


@st.cache_data(show_spinner=False, max_entries=64)
def _public_cube(version: tuple[str, int], year: int | None) -> pd.DataFrame:
    with db.connect() as con:
        return indicators.public_cube(con, year)


@st.cache_data(show_spinner=False, max_entries=16)
def _context(version: tuple[str, int]) -> dict:
    with db.connect() as con:
        return {"years": indicators.years(con), "is_demo": db.is_demo(con), "settings": indicators.settings(con),
                "rates": indicators.volunteer_rates(con)}


def public_cube(year: int | None) -> pd.DataFrame:
    """The confidentiality-protected cube of a year (both languages), cached until the next write to the database."""
    with st.spinner(tr("computing")):
        return _public_cube(data_version(), year)


def context() -> dict:
    return _context(data_version())


def demo_banner() -> None:
    if context()["is_demo"]:
        st.warning(tr("demo_banner"), icon="⚠️")
