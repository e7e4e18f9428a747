"""Téléverser mes données (entreprise accounts): the template pre-filled with the enterprise's last year, then the
upload flow."""

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
import ui_upload
from ess_impact import db, storage, template

account = ui.account_required()
st.title(ui.tr("upload_title"))

st.subheader(ui.tr("upload_template_heading"))
st.write(ui.tr("upload_template_text"))


def prefilled_template() -> bytes:
    with db.connect() as con:
        latest = [storage.enterprise_figures(con, account, neq).tail(1) for neq in account.neqs]
    rows = pd.concat([r for r in latest if not r.empty] or [pd.DataFrame()], ignore_index=True)
    with tempfile.TemporaryDirectory() as folder:
        out = template.write_template(Path(folder) / "gabarit.xlsx", ui.lang(), dt.date.today(),
                                      rows=None if rows.empty else rows)
        return out.read_bytes()


st.download_button(ui.tr("upload_template_button"), prefilled_template, file_name="gabarit-ess-impact.xlsx",
                   mime=ui_upload.XLSX_MIME, icon=":material/download:", on_click="ignore")

st.subheader(ui.tr("upload_file_heading"))
ui_upload.run(account, "upload")
