"""Connexion: e-mail and password (local accounts), or the organisation's identity provider when one is set up."""

import streamlit as st

from ess_impact.store import auth
from ess_impact.web import ui

st.title(ui.tr("login_title"))
st.write(ui.tr("login_intro"))

with st.form("login", enter_to_submit=True):
    email = st.text_input(ui.tr("login_email"), key="login_email", autocomplete="username")
    password = st.text_input(ui.tr("login_password"), type="password", key="login_password",
                             autocomplete="current-password")
    submitted = st.form_submit_button(ui.tr("login_submit"), type="primary")
if submitted:
    try:
        ui.log_in(email, password)
    except auth.LoginFailed as failure:
        st.error(failure.message(ui.lang()))
    else:
        st.rerun()

if ui.oidc_configured():
    st.divider()
    if getattr(st.user, "is_logged_in", False):  # confirmed by the provider, but no active account has this e-mail
        st.error(ui.tr("login_oidc_refused", email=st.user.get("email", "")))
    elif st.button(ui.tr("login_oidc"), icon=":material/key:"):
        try:
            st.login()
        except st.errors.StreamlitAPIException as problem:  # e.g. Authlib not installed, [auth] incomplete
            st.error(ui.tr("login_oidc_unavailable", detail=str(problem)[:200]))
