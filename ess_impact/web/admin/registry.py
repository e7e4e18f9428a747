"""Registre des entreprises (admins): search, open an enterprise, correct its identity, merge two records of the same
enterprise, deactivate or reactivate it. Every operation goes through ess_impact.registry."""

import pandas as pd
import streamlit as st

from ess_impact import reference, registry
from ess_impact.fields import FIELD_BY_KEY, header
from ess_impact.labels import N_
from ess_impact.store import db, history
from ess_impact.web import ui

account = ui.account_required(admin=True)
lang = ui.lang()
st.title(ui.tr("nav_admin_registry"))
ui.demo_banner()  # corrections of the demo data go with them at the first real import
st.caption(ui.tr("registry_intro"))
if "_registry_open" in st.session_state:  # after a merge, open the record kept (set before its widget exists)
    st.session_state["registry_neq"] = st.session_state.pop("_registry_open")


def label(code: str, kind: str) -> str:
    return reference.code_label(kind, code, lang)


def attempt(operation, messages) -> None:
    """One registry write; its messages are shown after the rerun below the forms, where its button was."""
    def undo_note(result, shown) -> None:
        if hasattr(result, "import_id"):  # a correction or a merge: an import, undoable unless on demo data
            if result.is_demo:
                shown.append(("warning", ui.tr("registry_demo_done")))
            else:
                shown[0] = (shown[0][0], shown[0][1] + " " + ui.tr("registry_undo_hint"))
    ui.attempt(operation, "_registry_done", messages, undo_note)


# --- search ----------------------------------------------------------------------------------------------------
text_column, status_column = st.columns([3, 1])
text = text_column.text_input(ui.tr("registry_search"), key="registry_text", help=ui.tr("registry_search_help"))
active = status_column.selectbox(ui.tr("registry_status"), [True, False], index=None, key="registry_active",
                                 format_func=lambda a: ui.tr(N_("registry_active") if a else N_("registry_inactive")),
                                 placeholder=ui.tr("registry_status_any"))
region_column, mrc_column, sector_column = st.columns(3)
regions = reference.regions()
held = ui.admin_regions(account)  # a regional admin: its regions only (the core filters the results too)
region = region_column.selectbox(ui.tr("region"), held or regions["code"].tolist(), index=None,
                                 key="registry_region", format_func=dict(zip(regions["code"], regions["name"])).get,
                                 placeholder=ui.tr(N_("all_my_regions") if held else N_("all_quebec")))
mrcs = reference.mrcs()
mrcs = mrcs[mrcs["region_code"] == region] if region else mrcs[mrcs["region_code"].isin(held)] if held else mrcs
mrc = mrc_column.selectbox(ui.tr("mrc"), mrcs["code"].tolist(), index=None, key="registry_mrc",
                           format_func=lambda c: label(c, "mrc"), placeholder=ui.tr("all_mrcs"))
sector = sector_column.selectbox(ui.tr("sector"), reference.sectors()["code"].tolist(), index=None,
                                 key="registry_sector", format_func=lambda c: label(c, "sector"),
                                 placeholder=ui.tr("all_sectors"))
with db.connect() as con:
    found = registry.search(con, account, text, region, mrc, sector, active)
total = found.attrs["total"]
if found.empty:
    st.info(ui.tr("registry_none_found"))
else:
    st.caption(ui.tr("registry_found", total=ui.counted("count_enterprises_found", "count_enterprises_found_plural", total)) if total == len(found) else
               ui.tr("registry_found_limited", total=total, shown=len(found)))
    ui.show_table(registry.results_table(found, lang), key="registry_results", height=min(len(found) + 1, 10) * 35 + 3)

# --- one enterprise --------------------------------------------------------------------------------------------
names = dict(zip(found["neq"], found["name"]))
options = found["neq"].tolist()
chosen = st.session_state.get("registry_neq")
if chosen and chosen not in names:  # opened before this search: keep it open
    with db.connect() as con:
        try:
            names[chosen] = registry.identity(con, account, chosen)["name"]
            options.insert(0, chosen)
        except registry.RegistryError:  # merged away since
            chosen = None
if not chosen and len(options) == 1:
    chosen = options[0]
st.session_state["registry_neq"] = chosen
neq = st.selectbox(ui.tr("registry_choose"), options, key="registry_neq", format_func=lambda n: f"{names[n]} ({n})",
                   placeholder=ui.tr("registry_choose_placeholder"))
if neq is None:
    ui.show_done("_registry_done")
    st.stop()

with db.connect() as con:
    current = registry.identity(con, account, neq)
    figures = history.enterprise_figures(con, account, neq)
    accounts = registry.linked_accounts(con, account, neq)
    status_log = registry.status_history(con, account, neq)

st.subheader(f"{current['name']} ({neq})")
st.markdown(ui.tr("registry_identity", legal_form=label(current["legal_form"], "legal_form"),
                  sector=label(current["sector"], "sector"), mrc=label(current["mrc"], "mrc"),
                  region=current["region_name"], first=current["first_year"], last=current["last_year"],
                  status=ui.tr(N_("registry_active") if current["active"] else N_("registry_inactive"))))
if not current["active"]:
    st.warning(ui.tr("registry_inactive_note", when=f"{current['status_changed_at']:%Y-%m-%d %H:%M}",
                     who=current["status_changed_by"], note=current["status_note"]), icon=":material/block:")
st.caption(ui.tr("registry_accounts", emails=", ".join(accounts["email"])) if len(accounts) else
           ui.tr("registry_no_accounts"))
st.markdown("**" + ui.tr("registry_figures") + "**")
shown = ui.figures_by_year(figures)
ui.dataframe(shown, width="stretch", height=(len(shown) + 1) * 35 + 3)

edit_tab, merge_tab, status_tab = st.tabs([ui.tr("registry_tab_edit"), ui.tr("registry_tab_merge"),
                                           ui.tr("registry_tab_status")])

with edit_tab, st.form(f"registry_edit_{neq}"):
    st.caption(ui.tr("registry_edit_help"))
    values = {"name": st.text_input(header(FIELD_BY_KEY["name"], lang), value=current["name"],
                                    key=f"registry_name_{neq}")}
    for key, options_of in (("legal_form", reference.legal_forms), ("sector", reference.sectors),
                            ("mrc", reference.mrcs)):
        codes = options_of()["code"].tolist()
        values[key] = st.selectbox(header(FIELD_BY_KEY[key], lang), codes, index=codes.index(current[key]),
                                   format_func=lambda c, k=key: label(c, k), key=f"registry_{key}_{neq}")
    years = sorted(int(y) for y in figures["year"])
    since = st.selectbox(ui.tr("registry_from_year"), [None] + years[1:], key=f"registry_since_{neq}",
                         format_func=lambda y: ui.tr("registry_all_years", first=years[0], last=years[-1])
                         if y is None else ui.tr("registry_from_year_option", year=y))
    if st.form_submit_button(ui.tr("registry_edit_button"), type="primary"):
        changes = {k: v for k, v in values.items() if v != current[k]}  # only what the admin changed
        attempt(lambda con: registry.edit(con, account, neq, changes, since),
                lambda r: [("success", ui.tr("registry_edit_done", id=r.import_id, changed=ui.counted(
                    "count_years_changed", "count_years_changed_plural", r.changed)))])

with merge_tab:
    st.caption(ui.tr("registry_merge_help"))
    wanted = st.text_input(ui.tr("registry_merge_search"), key=f"registry_merge_text_{neq}")
    others = pd.DataFrame(columns=["neq", "name"])
    if wanted.strip():
        with db.connect() as con:
            others = registry.search(con, account, wanted, limit=50)
        others = others[others["neq"] != neq]
    other_names = dict(zip(others["neq"], others["name"])) | {neq: current["name"]}
    other = st.selectbox(ui.tr("registry_merge_other"), others["neq"].tolist(), index=None,
                         key=f"registry_merge_other_{neq}", format_func=lambda n: f"{other_names[n]} ({n})",
                         placeholder=ui.tr("registry_choose_placeholder"))
    if other is not None:
        keep = st.radio(ui.tr("registry_merge_keep"), [neq, other], key=f"registry_merge_keep_{neq}_{other}",
                        format_func=lambda n: f"{other_names[n]} ({n})", horizontal=True)
        drop = other if keep == neq else neq
        with db.connect() as con:
            plan = registry.merge_plan(con, account, keep, drop)
            dropped_accounts = registry.linked_accounts(con, account, drop)
        st.markdown("**" + ui.tr("registry_merge_preview", keep=keep, drop=drop) + "**")
        ui.dataframe(registry.plan_table(plan, keep, lang), hide_index=True, width="stretch")
        if len(dropped_accounts):
            st.warning(ui.tr("registry_merge_accounts", drop=drop, emails=", ".join(dropped_accounts["email"])),
                       icon=":material/group:")
        sure = st.checkbox(ui.tr("registry_merge_confirm"), key=f"registry_merge_sure_{neq}_{other}")
        if st.button(ui.tr("registry_merge_button"), type="primary", disabled=not sure,
                     key=f"registry_merge_button_{neq}"):
            def merged(r):
                st.session_state["_registry_open"] = r.keep_neq
                shown = [("success", ui.tr(
                    "registry_merge_done", id=r.import_id, keep=r.keep_neq, drop=r.drop_neq,
                    moved=ui.counted("count_years_moved", "count_years_moved_plural", r.moved),
                    archived=ui.counted("count_archived", "count_archived_plural", r.archived)))]
                if r.accounts:
                    shown.append(("warning", ui.tr("registry_merge_accounts", drop=r.drop_neq,
                                                   emails=", ".join(r.accounts))))
                return shown
            attempt(lambda con: registry.merge(con, account, keep, drop), merged)

with status_tab:
    st.caption(ui.tr("registry_status_help"))
    with st.form(f"registry_status_{neq}"):
        note = st.text_input(ui.tr("registry_note"), placeholder=ui.tr("registry_note_placeholder"),
                             key=f"registry_note_{neq}")
        button = N_("registry_deactivate_button") if current["active"] else N_("registry_reactivate_button")
        if st.form_submit_button(ui.tr(button)):
            attempt(lambda con: registry.set_active(con, account, neq, not current["active"], note),
                    lambda r: [("success", ui.tr(N_("registry_reactivated") if r.active else N_("registry_deactivated"),
                                                 neq=r.neq))])
    if len(status_log):
        st.markdown("**" + ui.tr("registry_status_log") + "**")
        ui.dataframe(pd.DataFrame({
            ui.tr("registry_when"): status_log["changed_at"].dt.strftime("%Y-%m-%d %H:%M"),
            ui.tr("registry_who"): status_log["changed_by"],
            ui.tr("registry_status"): [ui.tr(N_("registry_active") if a else N_("registry_inactive"))
                                       for a in status_log["active"]],
            ui.tr("registry_note"): status_log["note"]}), hide_index=True, width="stretch")
ui.show_done("_registry_done")
