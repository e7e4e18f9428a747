"""Téléverser mes données (entreprise accounts): the template pre-filled for the enterprise's next year (identity, the
year after its last one, figures to fill in), then the upload flow."""

from datetime import date

import pandas as pd
import streamlit as st

from ess_impact.intake import template
from ess_impact.store import db, history
from ess_impact.web import ui, upload_flow

account = ui.account_required()
st.title(ui.tr("upload_title"))


def latest_rows() -> pd.DataFrame | None:
    """The enterprise's next declaration, to pre-fill the template: its identity and the year after its last one."""
    with db.connect() as con:
        latest = [history.enterprise_figures(con, account, neq).tail(1) for neq in account.neqs]
    rows = pd.concat([r for r in latest if not r.empty] or [pd.DataFrame()], ignore_index=True)
    return None if rows.empty else template.for_next_year(rows, date.today())


with db.connect() as con:  # the database itself: the published snapshot may still be the previous version
    demo = db.is_demo(con)
if demo:
    st.info(ui.tr("demo_in_force"), icon=":material/info:")
    st.stop()
upload_flow.template_step(ui.tr("upload_template_text"), latest_rows)
st.subheader(ui.tr("upload_file_heading"))
upload_flow.run(account, "upload")
