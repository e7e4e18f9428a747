"""Chiffres de ma région (admins): the unprotected figures of a region the admin holds (it ran that survey), its own
region only for a regional admin. Everything comes from ess_impact.publish.indicators.unprotected, which checks the
account; nothing here is for the public (no suppression)."""

import pandas as pd
import streamlit as st

from ess_impact import reference
from ess_impact.labels import INDICATORS
from ess_impact.output import tables
from ess_impact.publish import indicators
from ess_impact.store import auth, db
from ess_impact.web import ui

COLUMNS = ["enterprises", "jobs_total", "fte", "payroll", "revenue_total", "volunteers", "volunteer_hours"]

account = ui.account_required(admin=True)
lang = ui.lang()
ui.demo_banner()
years = ui.live_years()  # released or not: the admins see the figures as they are now
year = ui.choose(st.sidebar, "selectbox", ui.tr("year"), years, "annee", years[0])
names = dict(zip(reference.regions()["code"], reference.regions()["name"]))
held = auth.regions_of(account)
region = ui.choose(st.sidebar, "selectbox", ui.tr("region"), held, "region", held[0], format_func=names.get)
st.title(ui.tr("figures_title", region=names.get(region, region), year=year))
st.warning(ui.tr("figures_private"), icon=":material/lock:")
with db.connect() as con:
    cube = indicators.unprotected(con, account, region, year)
rows = cube[cube["cat_kind"] == "all"]
rows = pd.concat([rows[rows["geo_level"] == "region"], rows[rows["geo_level"] == "mrc"].sort_values("geo_name")])
frame = pd.DataFrame({ui.tr("territory"): rows["geo_name"].to_numpy(),
                      **{INDICATORS[k].label(lang): rows[k].to_numpy() for k in COLUMNS}})
ui.show_table(tables.Table(frame, {INDICATORS[k].label(lang): k for k in COLUMNS},
                           ui.tr("figures_table_title", region=names.get(region, region), year=year),
                           [ui.tr("figures_private"), ui.source_line()]), "region_figures")
