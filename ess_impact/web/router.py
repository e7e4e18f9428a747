"""Router: page configuration and navigation only. The pages are files grouped by role beside this module (public/,
enterprise/, admin/); access is decided by which pages are handed to st.navigation."""

from pathlib import Path

import streamlit as st
import streamlit.commands.navigation as streamlit_navigation

from ess_impact.web import ui

HERE = Path(__file__).resolve().parent
NOT_FOUND = "_page_not_found"


def _page_not_found(ctx) -> None:
    """Instead of Streamlit's English "Page not found" box (its browser code cannot be translated): note it for this
    run; main() then says it in the reader's language above the default page. Streamlit (pinned) calls this module
    function when the URL names no page this visitor has; tests/test_e2e.py checks the replacement."""
    st.session_state[NOT_FOUND] = True


streamlit_navigation.send_page_not_found = _page_not_found


def _page(path: str, **kwargs) -> st.Page:
    return st.Page(HERE / path, **kwargs)


def main() -> None:
    """One run of the app: configuration, account, navigation."""
    st.set_page_config(page_title=ui.tr("app_title"), page_icon="📊", layout="wide")
    ui.page_style()
    ui.language_switch()
    ui.streamlit_texts()
    account = ui.account()
    ui.account_box(account)
    public = [
        _page("public/overview.py", title=ui.tr("nav_overview"), icon=":material/home:", default=True),
        _page("public/territories.py", title=ui.tr("nav_territories"), icon=":material/map:", url_path="territoires"),
        _page("public/sectors.py", title=ui.tr("nav_sectors"), icon=":material/category:", url_path="secteurs"),
        _page("public/compare.py", title=ui.tr("nav_compare"), icon=":material/compare_arrows:", url_path="comparer"),
        _page("public/reports.py", title=ui.tr("nav_reports"), icon=":material/description:", url_path="rapports"),
        _page("public/methodology.py", title=ui.tr("nav_methodology"), icon=":material/menu_book:", url_path="methodologie"),
        _page("public/presentation.py", title=ui.tr("nav_presentation"), icon=":material/slideshow:",
              url_path="presentation", visibility="hidden"),
    ]
    # Access is decided here: a page not handed to st.navigation does not exist for this visitor ("Page not found").
    if account is None:
        pages = public + [_page("public/login.py", title=ui.tr("nav_login"), icon=":material/login:",
                                  url_path="connexion"),
                          _page("public/access.py", title=ui.tr("nav_access"), icon=":material/key:",
                                url_path="acces")]
    elif account.is_admin:
        # A regional admin gets its regions' pages; accounts and settings are the provincial admins' (issue 15).
        provincial = [
            _page("admin/accounts.py", title=ui.tr("nav_admin_accounts"), icon=":material/group:",
                  url_path="admin-comptes"),
            _page("admin/settings.py", title=ui.tr("nav_admin_settings"), icon=":material/settings:",
                  url_path="admin-parametres"),
        ] if account.is_provincial else []
        pages = {ui.tr("nav_section_public"): public, ui.tr("nav_section_admin"): [
            _page("admin/import.py", title=ui.tr("nav_admin_import"), icon=":material/upload_file:",
                    url_path="admin-import"),
            _page("admin/release.py", title=ui.tr("nav_admin_release"), icon=":material/publish:",
                  url_path="admin-publication"),
            _page("admin/log.py", title=ui.tr("nav_admin_log"), icon=":material/history:",
                    url_path="admin-journal"),
            _page("admin/registry.py", title=ui.tr("nav_admin_registry"), icon=":material/domain:",
                    url_path="admin-registre"),
            _page("admin/completeness.py", title=ui.tr("nav_admin_completeness"), icon=":material/checklist:",
                    url_path="admin-completude"),
            _page("admin/figures.py", title=ui.tr("nav_admin_figures"), icon=":material/table_chart:",
                  url_path="admin-chiffres"),
            _page("admin/invitations.py", title=ui.tr("nav_admin_invitations"), icon=":material/mail:",
                  url_path="admin-invitations"),
            _page("admin/activity.py", title=ui.tr("nav_admin_activity"), icon=":material/manage_search:",
                  url_path="admin-activite"),
            *provincial,
        ]}
    else:
        pages = {ui.tr("nav_section_public"): public, ui.tr("nav_section_enterprise"): [
            _page("enterprise/upload.py", title=ui.tr("nav_upload"), icon=":material/upload:", url_path="televerser"),
            _page("enterprise/my_data.py", title=ui.tr("nav_my_data"), icon=":material/folder_shared:",
                    url_path="mes-donnees"),
        ]}
    # every page listed: a collapsed list ends in Streamlit's own English "View 5 more", untranslatable
    page = st.navigation(pages, expanded=True)
    if st.session_state.pop(NOT_FOUND, False):
        st.warning(ui.tr("page_not_found_login") if account is None else ui.tr("page_not_found"),
                   icon=":material/explore_off:")
    ui.guarded(page.run)  # an unexpected error: a message with a reference here, the traceback in the server log
