"""Publication (admins): which years the public pages show, and, for provincial admins, releasing a year once its
collection is over (ess_impact.store.releases: the public tables never follow the uploads one by one)."""

import pandas as pd
import streamlit as st

from ess_impact import formatting
from ess_impact.store import db, releases
from ess_impact.web import ui

account = ui.account_required(admin=True)
lang = ui.lang()
st.title(ui.tr("release_title"))
ui.show_done("_release_done")
st.markdown(ui.tr("release_intro"))
with db.connect() as con:
    found = releases.status(con, account)
if found.empty:
    st.info(ui.tr("no_figures_yet"))
    st.stop()


def _number(value) -> str:
    return formatting.MISSING if pd.isna(value) else formatting.number(value, lang)


ui.dataframe(pd.DataFrame({
    ui.tr("year"): found["year"].astype(str),
    ui.tr("release_col_live"): [_number(v) for v in found["live_enterprises"]],
    ui.tr("release_col_date"): [formatting.MISSING if pd.isna(v) else f"{v:%Y-%m-%d}" for v in found["released_at"]],
    ui.tr("release_col_released"): [_number(v) for v in found["released_enterprises"]],
    ui.tr("release_col_changed"): [_number(v) for v in found["changed_enterprises"]],
}), hide_index=True, width="stretch")
if (found["changed_enterprises"].fillna(0) > 0).any():
    st.caption(ui.tr("release_changed_note"))

if not account.is_provincial:
    st.info(ui.tr("release_provincial"), icon=":material/info:")
    st.stop()
pending = releases.unreleased(found)
if not pending:
    st.info(ui.tr("release_none_pending"), icon=":material/check_circle:")
    st.stop()
st.header(ui.tr("release_heading"))
with st.form("release"):
    year = st.selectbox(ui.tr("release_pick"), pending, index=None, placeholder=ui.tr("release_pick_placeholder"))
    sure = st.checkbox(ui.tr("release_confirm"))
    submitted = st.form_submit_button(ui.tr("release_button"), type="primary", icon=":material/publish:")
if submitted and year is not None and sure:
    ui.attempt(lambda con: releases.release(con, account, year), "_release_done",
               lambda r: [("success", ui.tr("release_done", year=r.year,
                                            enterprises=formatting.number(r.enterprises, lang)))])
elif submitted:
    st.warning(ui.tr("release_incomplete"))
