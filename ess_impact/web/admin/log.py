"""Journal des envois (admins): who sent what and when (file name, SHA-256, rows), undoing a submission, and the
original file of a submission."""

import streamlit as st

from ess_impact.store import db, history
from ess_impact.web import ui

account = ui.account_required(admin=True)
st.title(ui.tr("nav_admin_log"))
ui.show_done("_undo_done")

with db.connect() as con:
    log = history.list_imports(con, account)
ui.dataframe(ui.submission_table(log), hide_index=True, width="stretch", height=min(len(log) + 1, 15) * 35 + 3)

candidates = log[log["undoes"].isna() & log["undone_by"].isna() & ~log["is_demo"]]
st.header(ui.tr("log_undo_heading"))
st.write(ui.tr("log_undo_text"))
labels = {int(r.id): ui.tr("log_undo_option", id=int(r.id), when=f"{r.imported_at:%Y-%m-%d %H:%M}",
                            file=r.file_name, who=r.actor) for r in candidates.itertuples()}
with st.form("undo"):
    chosen = st.selectbox(ui.tr("log_undo_choice"), list(labels), format_func=labels.get, index=None,
                          placeholder=ui.tr("log_undo_pick"))
    sure = st.checkbox(ui.tr("log_undo_confirm"))
    submitted = st.form_submit_button(ui.tr("log_undo_button"), icon=":material/undo:")
if submitted and chosen is not None and sure:
    ui.attempt(lambda con: history.undo_import(con, account, chosen), "_undo_done",
               lambda r: [("success", ui.tr(
                   "log_undo_done", undone=r.undone, id=r.import_id,
                   deleted=ui.counted("count_rows_removed", "count_rows_removed_plural", r.deleted),
                   restored=ui.counted("count_rows_restored", "count_rows_restored_plural", r.restored)))])

ui.original_file_download(account, log, "log")
