"""Complétude (admins): for a year, the enterprises that have not reported yet (a list to export for reminders) and
the reporting rate by region and MRC. Everything is computed by ess_impact.completeness."""

from datetime import date

import pandas as pd
import streamlit as st

from ess_impact import formatting
from ess_impact.output import tables
from ess_impact.publish import completeness
from ess_impact.store import db
from ess_impact.web import ui

account = ui.account_required(admin=True)
lang = ui.lang()
ui.demo_banner()
years = ui.live_years()  # released or not: the admins see the figures as they are now
latest = years[0]
# The year being collected (the one after the latest with data) when it has begun.
options = ([latest + 1] if latest < date.today().year else []) + years
year = ui.choose(st.sidebar, "selectbox", ui.tr("compl_year"), options, "annee", latest)
within = ui.choose(st.sidebar, "selectbox", ui.tr("compl_within"), list(range(1, 6)), "fenetre",
                   completeness.DEFAULT_WITHIN,
                   format_func=lambda n: ui.tr("compl_within_option", n=ui.counted("count_years", "count_years_plural", n),
                                                 first=year - n, last=year - 1))
where = ui.filters(show=("region", "mrc"), regions=ui.admin_regions(account))
first, last = year - within, year - 1
place = ui.place(where)

st.title(ui.tr("compl_title", place=place, year=year))
st.markdown(ui.tr("compl_intro", year=year, first=first, last=last))
with db.connect() as con:
    rates = completeness.rates(con, account, year, within, where.region, where.mrc)
    missing = completeness.missing(con, account, year, within, where.region, where.mrc, lang)
if rates.empty:
    st.info(ui.tr("compl_nothing_expected", year=year))
    st.stop()

top = rates.iloc[0]
cards = [("compl_expected", formatting.number(top["expected"], lang)),
         ("compl_reported", formatting.number(top["reported"], lang)),
         ("compl_missing", formatting.number(top["missing"], lang)),
         ("compl_rate", formatting.percent(top["rate"], lang))]
for column, (key, value) in zip(st.columns(4), cards):
    column.metric(ui.tr(key), value, border=True)

st.header(ui.tr("compl_missing_heading"))
if missing.empty:
    st.success(ui.tr("compl_all_reported", year=year))
else:
    listed = tables.Table(pd.DataFrame({
        "NEQ": missing["neq"],
        ui.tr("compl_enterprise"): missing["name"],
        ui.tr("mrc"): missing["mrc_name"] + " (" + missing["mrc_code"] + ")",
        ui.tr("region"): missing["region_name"],
        ui.tr("sector"): missing["sector"],
        ui.tr("compl_last_year"): missing["last_year"].astype(str),
        ui.tr("compl_emails"): missing["emails"],
    }), {}, ui.tr("compl_missing_title", place=place, year=year), [
        ui.tr("compl_note_definition", first=first, last=last, year=year, date=date.today().isoformat()),
        ui.tr("compl_note_emails"), ui.tr("compl_note_private"), ui.source_line()])
    ui.show_table(listed, "missing")

st.header(ui.tr("compl_rates_heading"))
# Québec and its regions; or a region and its MRCs; or the one MRC chosen.
shown, level = (rates, "mrc") if where.region or where.mrc else (rates[rates["level"] != "mrc"], "region")
counts = ["expected", "reported", "missing"]
headers = {"expected": ui.tr("compl_expected"), "reported": ui.tr("compl_reported"),
           "missing": ui.tr("compl_missing"), "rate": ui.tr("compl_rate")}
frame = pd.DataFrame({
    ui.tr("code"): [r.mrc_code or r.region_code for r in shown.itertuples()],
    ui.tr("territory"): [r.mrc_name or r.region_name for r in shown.itertuples()],
    **{headers[c]: shown[c].to_numpy() for c in [*counts, "rate"]},
})
ui.show_table(tables.Table(frame, {**{headers[c]: "enterprises" for c in counts}, headers["rate"]: "share"},
                           ui.tr("compl_rates_title", level=ui.tr(ui.LEVEL_KEYS[level]), place=place, year=year),
                           [ui.tr("compl_note_rates", year=year, first=first, last=last), ui.source_line()]),
              "rates")
