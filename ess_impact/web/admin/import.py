"""Import en lot (admins): the regional survey file with many enterprises, through the same checks and preview. While
the fictitious demo data are in force, the switch to real data comes first (an explicit, confirmed act)."""

import streamlit as st

from ess_impact.web import ui, upload_flow

account = ui.account_required(admin=True)
st.title(ui.tr("nav_admin_import"))
ui.show_done("_real_data_done")
if ui.real_data_switch(account):
    upload_flow.template_step(ui.tr("bulk_template_text"), lambda: None)
    st.subheader(ui.tr("upload_file_heading"))
    upload_flow.run(account, "bulk")
