"""Router: page configuration and navigation only."""

import streamlit as st

import ui

st.set_page_config(page_title=ui.tr("app_title"), page_icon="📊", layout="wide")
ui.page_style()
ui.language_switch()
account = ui.account()
ui.account_box(account)
public = [
    st.Page("app_pages/overview.py", title=ui.tr("nav_overview"), icon=":material/home:", default=True),
    st.Page("app_pages/territories.py", title=ui.tr("nav_territories"), icon=":material/map:", url_path="territoires"),
    st.Page("app_pages/sectors.py", title=ui.tr("nav_sectors"), icon=":material/category:", url_path="secteurs"),
    st.Page("app_pages/compare.py", title=ui.tr("nav_compare"), icon=":material/compare_arrows:", url_path="comparer"),
    st.Page("app_pages/reports.py", title=ui.tr("nav_reports"), icon=":material/description:", url_path="rapports"),
    st.Page("app_pages/methodology.py", title=ui.tr("nav_methodology"), icon=":material/menu_book:", url_path="methodologie"),
]
# Access is decided here: a page not handed to st.navigation does not exist for this visitor ("Page not found").
if account is None:
    pages = public + [st.Page("app_pages/login.py", title=ui.tr("nav_login"), icon=":material/login:",
                              url_path="connexion")]
elif account.is_admin:
    pages = {ui.tr("nav_section_public"): public, ui.tr("nav_section_admin"): [
        st.Page("app_pages/admin_import.py", title=ui.tr("nav_admin_import"), icon=":material/upload_file:",
                url_path="admin-import"),
        st.Page("app_pages/admin_log.py", title=ui.tr("nav_admin_log"), icon=":material/history:",
                url_path="admin-journal"),
        st.Page("app_pages/admin_accounts.py", title=ui.tr("nav_admin_accounts"), icon=":material/group:",
                url_path="admin-comptes"),
        st.Page("app_pages/admin_registry.py", title=ui.tr("nav_admin_registry"), icon=":material/domain:",
                url_path="admin-registre"),
        st.Page("app_pages/admin_completeness.py", title=ui.tr("nav_admin_completeness"), icon=":material/checklist:",
                url_path="admin-completude"),
        st.Page("app_pages/admin_settings.py", title=ui.tr("nav_admin_settings"), icon=":material/settings:",
                url_path="admin-parametres"),
    ]}
else:
    pages = {ui.tr("nav_section_public"): public, ui.tr("nav_section_enterprise"): [
        st.Page("app_pages/upload.py", title=ui.tr("nav_upload"), icon=":material/upload:", url_path="televerser"),
        st.Page("app_pages/my_data.py", title=ui.tr("nav_my_data"), icon=":material/folder_shared:",
                url_path="mes-donnees"),
    ]}
page = st.navigation(pages)
ui.guarded(page.run)  # an unexpected error: a message with a reference here, the traceback in the server log
