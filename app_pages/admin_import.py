"""Import en lot (admins): the regional survey file with many enterprises, through the same checks and preview."""

import streamlit as st

import ui
import ui_upload

account = ui.account_required(admin=True)
st.title(ui.tr("nav_admin_import"))
ui_upload.template_step(ui.tr("bulk_template_text"), lambda: None)
st.subheader(ui.tr("upload_file_heading"))
ui_upload.run(account, "bulk")
