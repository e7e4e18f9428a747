"""Paramètres (admins): the settings in force (what each means, its default, who changed it and when) and a form to
change one; the volunteer hourly rates by year with their source; the reference tables of the impact figures
(Statistics Canada's input-output multipliers, employment by MRC), loaded from a file; the change history. Validation, tracing and the
transaction are in ess_impact.settings_admin; after a change to the public figures, the public tables are recomputed
in the background (publish/snapshot) so that no visitor waits."""

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from ess_impact import formatting, labels, settings_admin
from ess_impact.intake import employment, multipliers
from ess_impact.labels import N_
from ess_impact.publish import impact, weight
from ess_impact.settings import SPECS
from ess_impact.store import db
from ess_impact.web import ui

account = ui.account_required(admin=True, provincial=True)
lang = ui.lang()
st.title(ui.tr("settings_title"))
ui.show_done("_settings_done")

with db.connect() as con:
    current = settings_admin.current_settings(con, account)
    rates = settings_admin.volunteer_rates(con, account)
    history = settings_admin.changes(con, account)
    multipliers_load = impact.last_load(con)
    employment_load = weight.last_load(con)


def when(values: pd.Series) -> list[str]:
    return [formatting.timestamp(v) for v in values]


def changed(frame: pd.DataFrame) -> list[str]:
    """Who changed a value last and when: 'a@b.c, 2026-05-01 10:12', or 'valeur d'origine'."""
    return [ui.tr("settings_as_installed") if pd.isna(by) or by == settings_admin.DEFAULT_ACTOR else f"{by}, {at}"
            for by, at in zip(frame["updated_by"], when(frame["updated_at"]))]


def recompute(shown: list) -> None:
    """The public tables of the new settings are prepared in the background (ui.attempt started it): say so."""
    shown.append(("success", ui.tr("publishing_started")))


def attempt(operation, message, public) -> None:
    """One change; `message(result)` says what changed, `public(result)` whether the public figures depend on it."""
    ui.attempt(operation, "_settings_done", lambda r: [("success", message(r))],
               lambda r, shown: recompute(shown) if public(r) else None)


# --- settings in force and the form to change one ---------------------------------------------------------------
st.header(ui.tr("settings_heading"))
# A static table: the meanings wrap instead of being cut.
ui.table(pd.DataFrame({
    ui.tr("settings_col_setting"): [settings_admin.setting_name(k, lang) for k in current["key"]],
    ui.tr("settings_col_value"): [settings_admin.value_text(k, v, lang) for k, v in zip(current["key"],
                                                                                       current["value"])],
    ui.tr("settings_col_default"): [settings_admin.value_text(k, v, lang) for k, v in zip(current["key"],
                                                                                         current["default"])],
    ui.tr("settings_col_meaning"): [settings_admin.setting_help(k, lang) for k in current["key"]],
    ui.tr("settings_col_changed"): changed(current),
}).set_index(ui.tr("settings_col_setting")))

st.subheader(ui.tr("settings_change_heading"))
key = st.selectbox(ui.tr("settings_col_setting"), list(SPECS), format_func=lambda k: settings_admin.setting_name(k, lang),
                   key="setting_key")
spec, chosen = SPECS[key], current.set_index("key").loc[key]
value = chosen["value"]
st.caption(" ".join([settings_admin.setting_help(key, lang),
                     ui.tr("settings_bounds", low=spec.text(spec.low, lang), high=spec.text(spec.high, lang),
                           default=settings_admin.value_text(key, chosen["default"], lang)),
                     settings_admin.setting_effect(key, lang)]))
with st.form("change_setting"):
    typed = st.text_input(ui.tr("settings_new_value"), settings_admin.value_text(key, value, lang),
                          key=f"setting_value_{key}")
    submitted = st.form_submit_button(ui.tr("settings_save"), type="primary", key="setting_save")
if submitted:
    name = settings_admin.setting_name(key, lang)
    attempt(lambda con: settings_admin.set_setting(con, account, key, typed),
            lambda c: ui.tr("settings_saved", name=name, old=settings_admin.value_text(key, c.old, lang),
                            new=settings_admin.value_text(key, c.new, lang)) if c.changed else
            ui.tr("settings_unchanged", name=name, value=settings_admin.value_text(key, c.new, lang)),
            lambda c: c.changed and c.public)

# --- volunteer rates ----------------------------------------------------------------------------------------------
st.header(ui.tr("rates_heading"))
st.write(ui.tr("settings_rates_intro"))
ui.dataframe(pd.DataFrame({
    ui.tr("year"): rates["year"].astype(str),
    ui.tr("rate"): [formatting.money(r, lang, 2) for r in rates["rate"]],
    ui.tr("source"): [labels.rate_source(s, lang) for s in rates["source"]],
    ui.tr("settings_rate_high_heading"): [formatting.MISSING if pd.isna(r) else formatting.money(r, lang, 2)
                                          for r in rates["rate_high"]],
    ui.tr("source") + " ": [labels.rate_source(s, lang) if isinstance(s, str) else formatting.MISSING
                            for s in rates["source_high"]],
    ui.tr("settings_col_changed"): changed(rates),
}), hide_index=True, width="stretch")

change_rate, delete_rate = st.columns(2)
with change_rate.form("set_rate"):
    st.subheader(ui.tr("settings_rate_set"))
    next_year = min(int(rates["year"].max()) + 1 if len(rates) else date.today().year, date.today().year + 1)
    rate_year = st.number_input(ui.tr("year"), min_value=settings_admin.MIN_RATE_YEAR,
                                max_value=date.today().year + 1, value=next_year, step=1, key="rate_year")
    rate_value = st.text_input(ui.tr("rate"), key="rate_value",
                               placeholder=formatting.number(rates["rate"].iloc[-1], lang, 2) if len(rates) else "")
    rate_source = st.text_input(ui.tr("source"), key="rate_source", placeholder=ui.tr("settings_rate_source_help"),
                                max_chars=settings_admin.MAX_SOURCE_LENGTH)
    save_rate = st.form_submit_button(ui.tr("settings_save"), type="primary", key="rate_save")
with delete_rate.form("delete_rate"):
    st.subheader(ui.tr("settings_rate_delete"))
    gone_year = st.selectbox(ui.tr("year"), rates["year"].tolist(), index=None, key="rate_delete_year",
                             placeholder=ui.tr("settings_rate_pick"))
    sure = st.checkbox(ui.tr("settings_rate_confirm"), key="rate_delete_sure")
    delete = st.form_submit_button(ui.tr("settings_rate_delete_button"), icon=":material/delete:", key="rate_delete")

if save_rate:
    attempt(lambda con: settings_admin.set_volunteer_rate(con, account, rate_year, rate_value, rate_source),
            lambda c: ui.tr(N_("settings_rate_saved") if c.changed else N_("settings_rate_unchanged"), year=int(rate_year),
                            value=settings_admin.value_text(c.item, c.new, lang)),
            lambda c: c.changed)
if delete and gone_year is not None and sure:
    attempt(lambda con: settings_admin.delete_volunteer_rate(con, account, gone_year),
            lambda _: ui.tr("settings_rate_deleted", year=int(gone_year)), lambda _: True)

# --- specialised volunteer rate (issue 14: the high end of the value of volunteering) -----------------------------
with st.form("set_rate_high"):
    st.subheader(ui.tr("settings_rate_high_heading"))
    st.caption(ui.tr("settings_rate_high_help"))
    high_year = st.selectbox(ui.tr("year"), rates["year"].tolist(), index=len(rates) - 1 if len(rates) else None,
                             key="rate_high_year")
    high_value = st.text_input(ui.tr("rate"), key="rate_high_value")
    high_source = st.text_input(ui.tr("source"), key="rate_high_source")
    save_high = st.form_submit_button(ui.tr("settings_save"), type="primary", key="rate_high_save")
if save_high and high_year is not None:
    attempt(lambda con: settings_admin.set_volunteer_rate_high(con, account, high_year, high_value, high_source),
            lambda c: ui.tr("rate_high_saved", year=int(high_year)), lambda c: c.changed)

# --- reference tables of the impact figures (issue 14): input-output multipliers, employment by MRC ---------------
# The files are parsed in the sandbox child process (intake/sandbox.py), like every upload; a load needs no new
# protection (spin-offs and shares are computed from the published figures), the public pages get it at once.
st.header(ui.tr("settings_reference_heading"))
multipliers_column, employment_column = st.columns(2)
with multipliers_column.form("load_multipliers", clear_on_submit=True):
    st.subheader(ui.tr("settings_multipliers_heading"))
    st.caption(ui.tr("multipliers_source", year=multipliers_load["ref_year"]) if multipliers_load else
               ui.tr("multipliers_missing"))
    if multipliers_load:
        st.caption(ui.tr("settings_loaded_by", file=multipliers_load["file_name"], by=multipliers_load["actor"],
                         when=formatting.timestamp(multipliers_load["loaded_at"])))
    multipliers_file = st.file_uploader(ui.tr("settings_multipliers_file"), type=["csv"], key="multipliers_file")
    load_multipliers = st.form_submit_button(ui.tr("settings_load"), type="primary", key="multipliers_load",
                                             icon=":material/upload:")
with employment_column.form("load_employment", clear_on_submit=True):
    st.subheader(ui.tr("settings_employment_heading"))
    st.caption(ui.tr("settings_employment_help"))
    if employment_load:
        st.caption(ui.tr("settings_employment_in_force", years=employment_load["years"].replace(",", ", "),
                         source=employment_load["source"]) + " " +
                   ui.tr("settings_loaded_by", file=employment_load["file_name"], by=employment_load["actor"],
                         when=formatting.timestamp(employment_load["loaded_at"])))
    else:
        st.caption(ui.tr("employment_none"))
    employment_file = st.file_uploader(ui.tr("settings_employment_file"), type=["csv", "xlsx", "xls", "ods"],
                                       key="employment_file")
    employment_source = st.text_input(ui.tr("source"), key="employment_source",
                                      placeholder=ui.tr("settings_employment_source_help"),
                                      max_chars=employment.MAX_SOURCE)
    load_employment = st.form_submit_button(ui.tr("settings_load"), type="primary", key="employment_load",
                                            icon=":material/upload:")
if load_multipliers and multipliers_file is not None:
    attempt(lambda con: multipliers.load(con, account, multipliers_file.name, multipliers_file.getvalue()),
            lambda r: ui.tr("multipliers_loaded", year=r.ref_year, industries=r.industries, rows=r.rows,
                            skipped=r.skipped), lambda r: True)
if load_employment and employment_file is not None:
    attempt(lambda con: employment.load(con, account, employment_file.name, employment_file.getvalue(),
                                        employment_source),
            lambda r: " ".join([ui.tr("employment_loaded", years=", ".join(map(str, r.years)),
                                      rows=formatting.number(r.rows, lang),
                                      income=formatting.number(r.with_income, lang))] +
                               [ui.tr("employment_missing_mrcs", year=y, codes=", ".join(c),
                                      mrcs=formatting.counted("count_mrcs", "count_mrcs_plural", len(c), lang))
                                for y, c in r.missing.items() if c]), lambda r: True)

# --- history and accounts -----------------------------------------------------------------------------------------
with st.expander(ui.tr("settings_history_heading")):
    if history.empty:
        st.write(ui.tr("settings_no_history"))
    else:
        ui.dataframe(pd.DataFrame({
            ui.tr("settings_col_when"): when(history["changed_at"]),
            ui.tr("settings_col_by"): history["changed_by"],
            ui.tr("settings_col_item"): [settings_admin.item_text(i, lang) for i in history["item"]],
            ui.tr("settings_col_old"): [settings_admin.value_text(i, v, lang) for i, v in
                                        zip(history["item"], history["old_value"])],
            ui.tr("settings_col_new"): [settings_admin.value_text(i, v, lang) for i, v in
                                        zip(history["item"], history["new_value"])],
        }), hide_index=True, width="stretch")

st.caption(ui.tr("settings_accounts"))
st.page_link(str(Path(__file__).with_name("accounts.py")), label=ui.tr("nav_admin_accounts"), icon=":material/group:")
