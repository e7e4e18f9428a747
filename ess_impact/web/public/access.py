"""Accès (/acces): choose a password through a one-time link (?jeton=…: an invitation or a reset), ask for a reset
link, or ask for an enterprise account ("my NEQ, my e-mail"). Every answer is the same whether the e-mail has an
account or not; everything goes through ess_impact.invitations and ess_impact.store.links."""

import streamlit as st

from ess_impact import errors, invitations
from ess_impact.store import auth, db, links
from ess_impact.web import ui

st.title(ui.tr("access_title"))
token = st.query_params.get("jeton")
if token:
    with db.connect() as con:
        found = links.link_email(con, token)
    if found is None:
        st.error(ui.tr("link_invalid"))
    else:
        st.subheader(ui.tr("access_set_title"))
        st.caption(ui.tr("access_set_for", email=found[0]))
        with st.form("set_password"):
            first = st.text_input(ui.tr("access_password", min=auth.MIN_PASSWORD_LENGTH), type="password",
                                  key="access_password", autocomplete="new-password")
            again = st.text_input(ui.tr("access_password_again"), type="password", key="access_again",
                                  autocomplete="new-password")
            saved = st.form_submit_button(ui.tr("access_save"), type="primary")
        if saved:
            if first != again:
                st.error(ui.tr("access_mismatch"))
            else:
                try:
                    with db.connect() as con:
                        links.use_link(con, token, first)
                except errors.EssError as refused:
                    st.error(refused.message(ui.lang()))
                else:
                    st.query_params.pop("jeton", None)
                    st.success(ui.tr("access_saved"))
                    st.markdown(f"[{ui.tr('nav_login')}](connexion)")
    st.stop()

forgot, request = st.tabs([ui.tr("access_forgot_title"), ui.tr("access_request_title")])
with forgot, st.form("forgot"):
    email = st.text_input(ui.tr("login_email"), key="forgot_email", autocomplete="username")
    if st.form_submit_button(ui.tr("access_forgot_button")) and email.strip():
        try:
            with db.connect() as con:
                invitations.ask_reset(con, email, invitations.mailer_from_env(), ui.lang(), ui.client_address())
        except errors.EssError as refused:  # too many attempts from this client
            st.error(refused.message(ui.lang()))
        else:
            st.success(ui.tr("access_forgot_done"))
with request, st.form("request_access"):
    neq = st.text_input("NEQ", key="request_neq")
    email = st.text_input(ui.tr("login_email"), key="request_email", autocomplete="email")
    if st.form_submit_button(ui.tr("access_request_button")):
        try:
            with db.connect() as con:
                invitations.ask_access(con, neq, email, ui.client_address())
        except errors.EssError as refused:  # a malformed NEQ or e-mail, or too many attempts
            st.error(refused.message(ui.lang()))
        else:
            st.success(ui.tr("access_request_done"))
