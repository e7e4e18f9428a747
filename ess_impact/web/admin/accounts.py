"""Comptes (admins): list, add, reset a password, disable. Every operation goes through ess_impact.auth."""

import streamlit as st

from ess_impact import reference
from ess_impact.labels import N_
from ess_impact.store import auth, db
from ess_impact.web import ui

account = ui.account_required(admin=True, provincial=True)
lang = ui.lang()
st.title(ui.tr("accounts_title"))
ui.show_done("_accounts_done")

with db.connect() as con:
    accounts = auth.list_accounts(con, account)
ui.dataframe(accounts.assign(role=[ui.tr(ui.ROLE_KEYS[r]) for r in accounts["role"]]).rename(columns={
    "email": ui.tr("login_email"), "role": ui.tr("accounts_role"), "active": ui.tr("accounts_active"),
    "neqs": "NEQ", "created_at": ui.tr("accounts_created"), "last_login_at": ui.tr("accounts_last_login"),
    "locked_until": ui.tr("accounts_locked_until"), "regions": ui.tr("accounts_regions")}), hide_index=True, width="stretch")


def attempt(operation, message: str, **params) -> None:
    ui.attempt(operation, "_accounts_done", lambda _: [("success", ui.tr(message, **params))])


emails = accounts["email"].tolist()
add, reset, linked, disable = st.tabs([ui.tr("accounts_add"), ui.tr("accounts_reset"), ui.tr("accounts_set_neqs"),
                                       ui.tr("accounts_disable")])
with add, st.form("add_account", clear_on_submit=False):
    email = st.text_input(ui.tr("login_email"))
    role = st.selectbox(ui.tr("accounts_role"), auth.ROLES, index=1, format_func=lambda r: ui.tr(ui.ROLE_KEYS[r]))
    neqs = st.text_input(ui.tr("accounts_neqs"))
    known = reference.regions()
    zones = st.multiselect(ui.tr("accounts_regions_pick"), known["code"].tolist(), key="add_regions",
                           format_func=dict(zip(known["code"], known["name"])).get,
                           help=ui.tr("accounts_regions_help"))
    password = st.text_input(ui.tr("accounts_password"), type="password", autocomplete="new-password")
    if st.form_submit_button(ui.tr("accounts_save"), type="primary"):
        listed = [n.strip() for n in neqs.split(",") if n.strip()]
        attempt(lambda con: auth.add_account(con, account, email, role, password, listed,
                                                   regions=zones), N_("accounts_added"),
                email=auth.normalize_email(email))
with reset, st.form("reset_password"):
    who = st.selectbox(ui.tr("accounts_which"), emails, index=None, placeholder=ui.tr("accounts_pick"),
                       key="reset_who")
    new = st.text_input(ui.tr("accounts_new_password"), type="password", autocomplete="new-password")
    if st.form_submit_button(ui.tr("accounts_save")) and who:
        attempt(lambda con: auth.set_password(con, account, who, new), N_("accounts_reset_done"), email=who)
with linked, st.form("set_neqs"):
    st.caption(ui.tr("accounts_set_neqs_help"))
    enterprises = accounts.loc[accounts["role"] == auth.ENTREPRISE, "email"].tolist()
    who = st.selectbox(ui.tr("accounts_which"), enterprises, index=None, placeholder=ui.tr("accounts_pick"),
                       key="neqs_who")
    listed = st.text_input(ui.tr("accounts_neqs"), key="neqs_list")
    if st.form_submit_button(ui.tr("accounts_save"), key="neqs_save") and who:
        neqs = [n.strip() for n in listed.split(",") if n.strip()]
        attempt(lambda con: auth.set_account_neqs(con, account, who, neqs), N_("accounts_set_neqs_done"), email=who,
                neqs=", ".join(neqs))
with disable, st.form("disable_account"):
    who = st.selectbox(ui.tr("accounts_which"), [e for e in emails if e != account.email], index=None,
                       placeholder=ui.tr("accounts_pick"), key="disable_who")
    if st.form_submit_button(ui.tr("accounts_disable")) and who:
        attempt(lambda con: auth.disable_account(con, account, who), N_("accounts_disable_done"), email=who)
