"""Router: page configuration and navigation only."""

import streamlit as st

import ui

st.set_page_config(page_title=ui.tr("app_title"), page_icon="📊", layout="wide")
ui.page_style()
ui.language_switch()
page = st.navigation([
    st.Page("app_pages/overview.py", title=ui.tr("nav_overview"), icon=":material/home:", default=True),
    st.Page("app_pages/territories.py", title=ui.tr("nav_territories"), icon=":material/map:", url_path="territoires"),
    st.Page("app_pages/sectors.py", title=ui.tr("nav_sectors"), icon=":material/category:", url_path="secteurs"),
    st.Page("app_pages/compare.py", title=ui.tr("nav_compare"), icon=":material/compare_arrows:", url_path="comparer"),
    st.Page("app_pages/methodology.py", title=ui.tr("nav_methodology"), icon=":material/menu_book:", url_path="methodologie"),
])
page.run()
