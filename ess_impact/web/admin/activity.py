"""Journal d'activité (admins): who did what and when, between two dates, exportable as CSV. A regional admin sees
its regions' events and its own actions. Everything comes from ess_impact.store.activity."""

from datetime import date, datetime, timedelta

import streamlit as st

from ess_impact import settings
from ess_impact.store import activity, db
from ess_impact.web import ui

account = ui.account_required(admin=True)
lang = ui.lang()
st.title(ui.tr("activity_title"))
with db.connect() as con:
    days = settings.read(con).activity_retention_days
st.caption(ui.tr("activity_intro", days=days))
left, right = st.columns(2)
# ISO dates (AAAA-MM-JJ), as Québec writes them in its official documents and as the log shows its times
since = left.date_input(ui.tr("activity_since"), value=date.today() - timedelta(days=30),
                       key="activity_since", format="YYYY-MM-DD")
until = right.date_input(ui.tr("activity_until"), value=date.today(), key="activity_until",
                        format="YYYY-MM-DD")
with db.connect() as con:
    frame = activity.read(con, account, datetime.combine(since, datetime.min.time()),
                          datetime.combine(until + timedelta(days=1), datetime.min.time()))
st.write(ui.counted("activity_count", "activity_count_plural", len(frame)))
ui.dataframe(activity.table(frame, lang), hide_index=True, width="stretch")
st.download_button(ui.tr("activity_download"), activity.csv_bytes(frame, lang),
                   file_name=f"journal-activite-{since}-{until}.csv", mime="text/csv", key="activity_csv")
