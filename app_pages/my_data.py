"""Mes données (entreprise accounts): the figures in force by year beside the medians of the sector, and the
submissions the account made."""

import pandas as pd
import streamlit as st

import ui
from ess_impact import db, formatting, storage
from ess_impact.fields import FIELDS, header

account = ui.account_required()
lang = ui.lang()
st.title(ui.tr("my_data_title"))
names = {f.key: header(f, lang) for f in FIELDS}

with db.connect() as con:
    figures = {neq: storage.enterprise_figures(con, account, neq) for neq in account.neqs}
    submissions = storage.list_imports(con, account)

for neq, frame in figures.items():
    title = frame["name"].iloc[-1] if not frame.empty else neq
    st.subheader(f"{title} ({neq})")
    if frame.empty:
        st.info(ui.tr("my_data_none"))
        continue
    kinds = {f.key: f.kind for f in FIELDS}
    keys = [f.key for f in FIELDS if f.key not in ("neq", "year")] + ["imported_at", "file_name"]
    shown = pd.DataFrame({str(year): [formatting.field_value(kinds.get(k, "text"), row[k], lang) for k in keys]
                          for year, row in frame.set_index("year").sort_index(ascending=False).iterrows()},
                         index=[names.get(k) or ui.tr({"imported_at": "my_data_recorded",
                                                       "file_name": "my_data_file"}[k]) for k in keys])
    st.dataframe(shown, width="stretch", height=(len(shown) + 1) * 35 + 3)
    ui.peer_comparison(account, neq, sorted(frame["year"].astype(int), reverse=True))

st.header(ui.tr("my_data_submissions"))
if submissions.empty:
    st.info(ui.tr("my_data_no_submission"))
else:
    st.dataframe(ui.submission_table(submissions), hide_index=True, width="stretch")
