"""Reports for elected officials: a PDF per MRC or region, an Excel workbook, a PowerPoint deck and the charts as
PNG, in French or English, from the public (confidentiality-protected) cube only.

    with db.connect() as con:
        context = reports.Context.load(con)              # the protected cubes, once per run
    with reports.ChartRenderer() as renderer:            # one browser for every chart of the run
        data = reports.report_data(None, reports.territory("mrc", "54"), 2024, "fr", context)
        pdf_bytes = reports.build(data, "pdf", renderer)
"""

from __future__ import annotations

import re

from ess_impact import reference
from ess_impact.output.reports import office, pdf, sheet
from ess_impact.output.reports.content import (
    Chart,
    all_charts,
    all_tables,
    map_chart,
    sheet_charts,
)
from ess_impact.output.reports.data import (
    Context,
    Organisation,
    ReportData,
    ReportError,
    Territory,
    public_cubes,
    region_mrcs,
    report_data,
    territory,
)
from ess_impact.output.reports.images import ChartRenderer, shared

FORMATS = ("pdf", "sheet", "xlsx", "pptx", "png")
MIME = {"pdf": "application/pdf", "sheet": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "png": "application/zip"}
EXTENSION = {"pdf": "pdf", "sheet": "pdf", "xlsx": "xlsx", "pptx": "pptx", "png": "zip"}

__all__ = ["FORMATS", "MIME", "Chart", "ChartRenderer", "Context", "Organisation", "ReportData", "ReportError",
           "Territory", "all_charts", "all_tables", "build", "file_name", "public_cubes", "region_mrcs",
           "report_data", "shared", "territory"]


def build(data: ReportData, fmt: str, renderer: ChartRenderer | None = None) -> bytes:
    """The report in one format: pdf, sheet (the one-page PDF), xlsx, pptx, or png (a zip of the charts)."""
    if fmt == "xlsx":
        return office.workbook(data)
    if fmt not in FORMATS:
        raise ValueError(fmt)
    if fmt == "sheet":
        pictures = sheet_charts(data)
        return sheet.render(data, pictures, (renderer or shared()).render(pictures))
    charts = all_charts(data)
    if fmt == "pptx":  # the map after the per-1 000 comparison
        charts.insert(1, map_chart(data, data.source_line()))
    pngs = (renderer or shared()).render(charts)
    if fmt == "pdf":
        return pdf.render(data, charts, pngs)
    if fmt == "pptx":
        return office.deck(data, charts, pngs)
    return office.png_zip(charts, pngs)


def file_name(data: ReportData, fmt: str) -> str:
    """rapport-54-les-maskoutains-2024.pdf / report-16-monteregie-2024.xlsx / fiche-54-les-maskoutains-2024.pdf"""
    slug = re.sub(r"[^a-z0-9]+", "-", reference.normalize(data.territory.name)).strip("-")
    stem = ("sheet" if fmt == "sheet" else "report") if data.lang == "en" else \
        ("fiche" if fmt == "sheet" else "rapport")
    return f"{stem}-{data.territory.code}-{slug}-{data.year}.{EXTENSION[fmt]}"
