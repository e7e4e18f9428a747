"""The workbook (through tables.to_xlsx), the PowerPoint deck (python-pptx) and the zip of PNG charts."""

from __future__ import annotations

import io
import zipfile

from ess_impact.output import tables
from ess_impact.output.reports.content import Chart, all_tables, chart_file_name
from ess_impact.output.reports.data import ReportData


def workbook(data: ReportData) -> bytes:
    """One formatted sheet per table, then a notes sheet (settings, confidentiality, sources, generation)."""
    named = all_tables(data)
    notes = [data.t("report_heading", place=data.place, year=data.year), data.territory.label(data.lang)]
    if data.is_demo:
        notes.append(data.t("demo_banner"))
    for heading, paragraphs in data.methodology():
        notes += ["", heading, *paragraphs]
    notes += ["", data.generated_text()]
    if data.context.organisation.name:
        notes.append(data.t("report_prepared_by", org=data.context.organisation.name))
    return tables.to_xlsx([table for _, table in named], data.lang, [name for name, _ in named], notes)


# 16:9 slides, in EMU (914 400 per inch)
SLIDE_W, SLIDE_H = 12_192_000, 6_858_000
INCH = 914_400


def deck(data: ReportData, charts: list[Chart], pngs: list[bytes]) -> bytes:
    """A title slide, then one chart per slide with the source line under it."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    show = Presentation()
    show.slide_width, show.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    title_layout, blank_layout = show.slide_layouts[0], show.slide_layouts[6]

    slide = show.slides.add_slide(title_layout)
    slide.shapes.title.text = data.t("report_heading", place=data.place, year=data.year)
    lines = [data.territory.label(data.lang), data.generated_text()]
    if data.context.organisation.name:
        lines.insert(0, data.t("report_prepared_by", org=data.context.organisation.name))
    if data.is_demo:
        lines.append(data.t("demo_banner"))
    slide.placeholders[1].text = "\n".join(lines)
    if data.context.organisation.logo is not None:
        slide.shapes.add_picture(str(data.context.organisation.logo), Emu(INCH // 3), Emu(INCH // 3),
                                 height=Emu(INCH * 3 // 4))

    margin = INCH // 3
    for chart, png in zip(charts, pngs):
        slide = show.slides.add_slide(blank_layout)
        room_w, room_h = SLIDE_W - 2 * margin, SLIDE_H - 2 * margin - INCH // 2
        scale = min(room_w / chart.width, room_h / chart.height)
        width, height = int(chart.width * scale), int(chart.height * scale)
        slide.shapes.add_picture(io.BytesIO(png), Emu((SLIDE_W - width) // 2), Emu(margin), Emu(width), Emu(height))
        box = slide.shapes.add_textbox(Emu(margin), Emu(SLIDE_H - margin - INCH // 2), Emu(room_w), Emu(INCH // 2))
        frame = box.text_frame
        frame.word_wrap = True
        for i, text in enumerate([data.source_line(), data.suppressed_note()]):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = text
            paragraph.font.size = Pt(11 if i == 0 else 9)
            paragraph.font.color.rgb = RGBColor(0x52, 0x60, 0x6D)
        slide.notes_slide.notes_text_frame.text = chart.title
    buffer = io.BytesIO()
    show.save(buffer)
    return buffer.getvalue()


def png_zip(charts: list[Chart], pngs: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i, (chart, png) in enumerate(zip(charts, pngs), start=1):
            archive.writestr(chart_file_name(i, chart), png)
    return buffer.getvalue()
