"""Router: page configuration and navigation only."""

import streamlit as st

import ui

st.set_page_config(page_title=ui.tr("app_title"), page_icon="📊", layout="wide")
ui.language_switch()
page = st.navigation([
    st.Page("pages/overview.py", title=ui.tr("nav_overview"), icon=":material/home:", default=True, url_path="vue-ensemble"),
    st.Page("pages/methodology.py", title=ui.tr("nav_methodology"), icon=":material/menu_book:", url_path="methodologie"),
])
page.run()
