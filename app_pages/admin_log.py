"""Journal des envois (admins): who sent what and when (file name, SHA-256, rows), undoing a submission, and the
original file of a submission."""

import streamlit as st

import ui
from ess_impact import db, storage

account = ui.account_required(admin=True)
st.title(ui.tr("nav_admin_log"))
done = st.session_state.pop("_undo_done", None)
if done:
    st.success(done, icon=":material/undo:")

with db.connect() as con:
    log = storage.list_imports(con, account)
st.dataframe(ui.submission_table(log), hide_index=True, width="stretch", height=min(len(log) + 1, 15) * 35 + 3)

candidates = log[log["undoes"].isna() & log["undone_by"].isna() & ~log["is_demo"]]
st.header(ui.tr("log_undo_heading"))
st.write(ui.tr("log_undo_text"))
labels = {int(r.id): f"n° {int(r.id)} — {r.imported_at:%Y-%m-%d %H:%M} — {r.file_name} ({r.actor})"
          for r in candidates.itertuples()}
with st.form("undo"):
    chosen = st.selectbox(ui.tr("log_undo_choice"), list(labels), format_func=labels.get, index=None)
    sure = st.checkbox(ui.tr("log_undo_confirm"))
    submitted = st.form_submit_button(ui.tr("log_undo_button"), icon=":material/undo:")
if submitted and chosen is not None and sure:
    try:
        with db.connect() as con:
            result = storage.undo_import(con, account, chosen)
    except storage.UndoRefused as refused:
        st.error(refused.message(ui.lang()))
    else:
        st.session_state["_undo_done"] = ui.tr("log_undo_done", undone=result.undone, id=result.import_id,
                                               deleted=result.deleted, restored=result.restored)
        st.rerun()

ui.original_file_download(account, log, "log")
