"""Mes données (entreprise accounts): the figures in force by year, and the submissions the account made."""

import streamlit as st

import ui
from ess_impact import db, storage
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
    shown = frame[[f.key for f in FIELDS if f.key != "neq"] + ["imported_at", "file_name"]].set_index("year")
    shown = shown.T.rename(index={**names, "imported_at": ui.tr("my_data_recorded"),
                                  "file_name": ui.tr("my_data_file")})
    shown.columns = [str(c) for c in shown.columns]
    st.dataframe(shown.astype(str).replace({"<NA>": "", "nan": "", "None": ""}), width="stretch",
                 height=(len(shown) + 1) * 35 + 3)

st.header(ui.tr("my_data_submissions"))
if submissions.empty:
    st.info(ui.tr("my_data_no_submission"))
else:
    st.dataframe(ui.submission_table(submissions), hide_index=True, width="stretch")
