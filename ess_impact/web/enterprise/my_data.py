"""Mes données (entreprise accounts): the figures in force by year beside the medians of the sector, and the
submissions the account made."""

import streamlit as st

from ess_impact.store import db, history
from ess_impact.web import ui

account = ui.account_required()
st.title(ui.tr("my_data_title"))

with db.connect() as con:
    figures = {neq: history.enterprise_figures(con, account, neq) for neq in account.neqs}
    submissions = history.list_imports(con, account)

for neq, frame in figures.items():
    title = frame["name"].iloc[-1] if not frame.empty else neq
    st.subheader(f"{title} ({neq})")
    if frame.empty:
        st.info(ui.tr("my_data_none"))
        continue
    shown = ui.figures_by_year(frame)
    ui.dataframe(shown, width="stretch", height=(len(shown) + 1) * 35 + 3)
    ui.peer_comparison(account, neq, sorted(frame["year"].astype(int), reverse=True))

st.header(ui.tr("my_data_submissions"))
if submissions.empty:
    st.info(ui.tr("my_data_no_submission"))
else:
    ui.dataframe(ui.submission_table(submissions), hide_index=True, width="stretch")
    ui.original_file_download(account, submissions, "my_data")
