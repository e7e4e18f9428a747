"""Rapports: choose an MRC or a region and a year, then download its PDF report, one-page sheet, Excel workbook,
PowerPoint deck or PNG charts; an admin writes the territory's local paragraph for the sheet here. Each file is built by ess_impact.reports when its button is clicked, from the cached public cubes."""

import streamlit as st

from ess_impact.output import reports, tables
from ess_impact.output.reports import content, office
from ess_impact.web import story, ui

ICONS = {"pdf": ":material/picture_as_pdf:", "sheet": ":material/article:", "xlsx": ":material/table_view:", "pptx": ":material/slideshow:",
         "png": ":material/image:"}

lang = ui.lang()
ui.demo_banner()
ui.need_data()
f = ui.filters(("year", "region", "mrc"))
if not (f.region or f.mrc):
    st.title(ui.tr("nav_reports"))
    st.info(ui.tr("reports_pick"))
    st.stop()
place = reports.territory("mrc", f.mrc) if f.mrc else reports.territory("region", f.region)
st.title(ui.tr("reports_title", place=place.name, year=f.year))
st.write(ui.tr("reports_intro"))

ctx = ui.context()
try:
    organisation = reports.Organisation.from_env()
except reports.ReportError as exc:
    st.warning(exc.message(lang))
    organisation = reports.Organisation()
years = sorted(int(y) for y in ctx["years"]["year"])
context = reports.Context(ui.public_cubes(), ctx["settings"], ctx["rates"], ctx["is_demo"], years, organisation,
                          multipliers_load=ctx["multipliers_load"], employment=ctx["employment"])
if f.year - 1 in years:
    context.panels[(f.year - 1, f.year)] = ui.panel_cubes(f.year - 1, f.year)
try:
    data = reports.report_data(None, place, f.year, lang, context, note=story.note(place.level, place.code) or "")
except reports.ReportError as exc:
    st.info(exc.message(lang))
    st.stop()
story.show_message_list(data.messages)
formats = list(reports.FORMATS)
try:
    office.check_template()
except reports.ReportError as exc:  # the pôle's .pptx template cannot be used: say why, offer the other files
    st.warning(exc.message(lang), icon=":material/slideshow:")
    formats.remove("pptx")

# the one-page sheet and the full report first; three buttons a row, so that no label is cut
cells = [column for _ in range(0, len(formats), 3) for column in st.columns(3)]
for column, fmt in zip(cells, formats):
    column.download_button(ui.tr(ui.REPORT_KEYS[fmt]), lambda fmt=fmt: reports.build(data, fmt),
                           file_name=reports.file_name(data, fmt), mime=reports.MIME[fmt], key=f"report_{fmt}",
                           icon=ICONS[fmt], on_click="ignore", width="stretch")
st.caption(ui.tr("report_files_note"))
story.note_editor(place.level, place.code)

st.subheader(ui.tr("report_headline"))
headline = content.headline_table(data)
ui.dataframe(tables.styled(headline, lang), hide_index=True)
st.caption(headline.notes[-1])
ui.footnotes(f.year)
