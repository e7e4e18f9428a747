"""Import en lot (admins): the regional survey file with many enterprises, through the same checks and preview."""

import streamlit as st

from ess_impact.web import ui, upload_flow

account = ui.account_required(admin=True)
st.title(ui.tr("nav_admin_import"))
upload_flow.template_step(ui.tr("bulk_template_text"), lambda: None)
st.subheader(ui.tr("upload_file_heading"))
upload_flow.run(account, "bulk")
