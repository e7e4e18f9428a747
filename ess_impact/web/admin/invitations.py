"""Invitations (admins): the enterprises of the admin's regions without an account (a list to fill in), invitations
from an uploaded NEQ + e-mail list (read in the sandbox), the self-service requests of its regions, reset links.
Without an SMTP server the links are shown here to send by hand. Everything goes through ess_impact.invitations."""

import pandas as pd
import streamlit as st

from ess_impact import errors, invitations, settings
from ess_impact.store import db, links
from ess_impact.web import ui

account = ui.account_required(admin=True)
lang = ui.lang()
mailer = invitations.mailer_from_env()
st.title(ui.tr("invite_title"))
with db.connect() as con:
    hours = settings.read(con).link_valid_hours
    todo = invitations.uninvited(con, account)
    requests = links.access_requests(con, account)
mail = ui.tr("invite_mail_on", host=mailer.host) if mailer else ui.tr("invite_mail_off")
st.caption(ui.tr("invite_intro", hours=hours, mail=mail))


def show_report(done: list) -> None:
    frame = invitations.invited_table(done, lang)
    ui.dataframe(frame, hide_index=True, width="stretch")
    if any(d.url for d in done):
        st.download_button(ui.tr("invite_report_download"), frame.to_csv(index=False, sep=";").encode("utf-8-sig"),
                           file_name="invitations.csv", mime="text/csv", key="invite_report")


registry_tab, file_tab, requests_tab, reset_tab = st.tabs([
    ui.tr("invite_tab_registry"), ui.tr("invite_tab_file"), ui.tr("invite_tab_requests"), ui.tr("invite_tab_reset")])
with registry_tab:
    st.write(ui.tr("invite_registry_text"))
    ui.dataframe(pd.DataFrame({"NEQ": todo["neq"], ui.tr("name"): todo["name"], ui.tr("mrc"): todo["mrc_name"],
                               ui.tr("region"): todo["region_code"]}), hide_index=True, width="stretch")
    st.download_button(ui.tr("invite_download"), invitations.uninvited_csv(todo, lang), file_name="a-inviter.csv",
                       mime="text/csv", key="invite_list")
with file_tab:
    uploaded = st.file_uploader(ui.tr("invite_file_label"), type=["csv", "xlsx", "xlsm", "xls", "ods"],
                                key="invite_file")
    if uploaded is not None and st.button(ui.tr("invite_button"), type="primary", key="invite_go"):
        try:
            pairs, problems = invitations.read_pairs(uploaded.getvalue(), uploaded.name)
        except errors.EssError as refused:
            st.error(refused.message(lang))
        else:
            for problem in problems:
                st.warning(problem)
            with db.connect() as con:
                done = invitations.invite_many(con, account, pairs, mailer, lang)
            st.success(ui.counted("invite_done", "invite_done_plural", sum(not d.problem for d in done)))
            show_report(done)
with requests_tab:
    pending = requests[requests["status"] == "pending"]
    if pending.empty:
        st.info(ui.tr("invite_none_pending"))
    ui.dataframe(invitations.requests_table(requests, lang), hide_index=True, width="stretch")
    if not pending.empty:
        options = {int(r.id): f"n° {int(r.id)} — {r.neq} {r.name or ''} — {r.email}" for r in pending.itertuples()}
        with st.form("decide"):
            chosen = st.selectbox(ui.tr("invite_request_pick"), list(options), format_func=options.get)
            approve = st.form_submit_button(ui.tr("invite_approve"), type="primary")
            reject = st.form_submit_button(ui.tr("invite_reject"))
        if approve or reject:
            try:
                with db.connect() as con:
                    done = invitations.decide(con, account, chosen, bool(approve), mailer, lang)
            except errors.EssError as refused:
                st.error(refused.message(lang))
            else:
                if done is None:
                    st.success(ui.tr("invite_rejected"))
                else:
                    show_report([done])
with reset_tab, st.form("reset_link"):
    email = st.text_input(ui.tr("invite_reset_email"), key="invite_reset_email")
    if st.form_submit_button(ui.tr("invite_reset_button")) and email.strip():
        try:
            with db.connect() as con:
                done = invitations.reset_for(con, account, email, mailer, lang)
        except errors.EssError as refused:
            st.error(refused.message(lang))
        else:
            st.success(ui.tr("invite_link_sent", email=done.email) if done.sent else
                       ui.tr("invite_link_here", email=done.email, url=done.url))
