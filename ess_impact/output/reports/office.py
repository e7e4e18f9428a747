"""The workbook (through tables.to_xlsx), the PowerPoint deck (python-pptx) and the zip of PNG charts."""

from __future__ import annotations

import io
import zipfile
from fractions import Fraction

from ess_impact import formatting
from ess_impact.labels import INDICATORS, N_
from ess_impact.output import impact_cards, tables
from ess_impact.output.maps import attribution
from ess_impact.output.reports.content import Chart, all_tables, chart_file_name
from ess_impact.output.reports.data import ReportData, ReportError


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
MARGIN = INCH // 2
TEMPLATE_ENV = "ESS_IMPACT_PPTX_TEMPLATE"
INK, MUTED, ACCENT, TILE = (0x1F, 0x29, 0x33), (0x52, 0x60, 0x6D), (0x00, 0x72, 0xB2), (0xF3, 0xF5, 0xF8)
# which key message each chart illustrates (its slide's title); the chart's own title otherwise
CHART_MESSAGE = {"map": "density", "sectors": "sectors", "trend": "change"}
FIGURES = ["enterprises", "jobs_total", "fte", "revenue_total", "jobs_per_1000", "volunteers",
           "volunteer_hours", "volunteer_value"]


def template_path() -> str | None:
    """The pôle's own .pptx template (ESS_IMPACT_PPTX_TEMPLATE), or None for python-pptx's default."""
    import os

    return os.environ.get(TEMPLATE_ENV) or None


def _open_template(path: str):
    """The pôle's template, checked: a 16:9 .pptx, its own example slides removed (its masters and layouts kept).
    A 4:3 (or any other) template is refused rather than stretched: its master's logo and drawings, placed for
    4:3, would be distorted or left in the left three quarters of a 16:9 slide."""
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    try:
        show = Presentation(path)
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ReportError("report_template_unreadable", path=path, reason=type(exc).__name__) from exc
    if abs(show.slide_width * 9 - show.slide_height * 16) > show.slide_height // 100:
        ratio = Fraction(show.slide_width / show.slide_height).limit_denominator(20)
        raise ReportError("report_template_not_16_9", path=path, ratio=f"{ratio.numerator}:{ratio.denominator}")
    slides = show.slides._sldIdLst  # noqa: SLF001 - python-pptx has no API to remove a slide
    for entry in list(slides):
        show.part.drop_rel(entry.rId)
        slides.remove(entry)
    if _title_layout(show) is None:
        raise ReportError("report_template_no_title", path=path)
    return show


def check_template() -> None:
    """Refuses (ReportError) a configured template that cannot be used; nothing when none is configured."""
    path = template_path()
    if path:
        _open_template(path)


def _presentation():
    """The pôle's own template when ESS_IMPACT_PPTX_TEMPLATE names one (see _open_template), else python-pptx's
    default, whose 4:3 master and layouts are widened here to 16:9 (a placeholder keeps its place relative to the
    slide)."""
    from pptx import Presentation
    from pptx.util import Emu

    template = template_path()
    if template:
        return _open_template(template)
    show = Presentation()
    sx, sy = SLIDE_W / show.slide_width, SLIDE_H / show.slide_height
    show.slide_width, show.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    for container in [*show.slide_layouts, show.slide_master]:  # layouts first: some inherit the master's place
        for shape in container.placeholders:
            shape.left, shape.width = Emu(int(shape.left * sx)), Emu(int(shape.width * sx))
            shape.top, shape.height = Emu(int(shape.top * sy)), Emu(int(shape.height * sy))
    return show


def _title_layout(show):
    """The layout with a title and nothing else to fill: "Title Only" by its type of placeholders (a template's
    layouts have its own names, in its own language), else the one with a title and the fewest other placeholders."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    titled = []
    for layout in show.slide_layouts:
        kinds = [shape.placeholder_format.type for shape in layout.placeholders]
        if PP_PLACEHOLDER.TITLE in kinds or PP_PLACEHOLDER.CENTER_TITLE in kinds:
            others = [k for k in kinds if k not in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE,
                                                    PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER,
                                                    PP_PLACEHOLDER.SLIDE_NUMBER)]
            titled.append((len(others), PP_PLACEHOLDER.CENTER_TITLE in kinds, layout))
    return min(titled, key=lambda found: found[:2])[2] if titled else None


def _drawings(layout) -> list:
    """The boxes (left, top, right, bottom) of what the template draws on every slide of this layout: pictures (a
    logo) and shapes of its layout and master that are not placeholders. The deck keeps clear of them."""
    out = []
    for container in (layout, layout.slide_master):
        for shape in container.shapes:
            if shape.is_placeholder or shape.width is None:
                continue
            if shape.width >= SLIDE_W * 0.9 and shape.height >= SLIDE_H * 0.9:
                continue  # a background picture or frame covering the whole slide
            out.append((shape.left, shape.top, shape.left + shape.width, shape.top + shape.height))
    return out


def _room(layout) -> tuple[int, int, int]:
    """The title band's left and right edges, and the lowest edge content may reach, clear of the template's
    drawings: a logo in a corner of the title band narrows the title; a band along the bottom raises the floor."""
    left, right, floor = MARGIN, SLIDE_W - MARGIN, SLIDE_H - INCH // 4
    band_top, band_bottom = INCH // 4, INCH // 4 + INCH * 11 // 10
    for x0, y0, x1, y1 in _drawings(layout):
        if y0 < band_bottom and y1 > band_top:
            if (x0 + x1) / 2 > SLIDE_W / 2:
                right = min(right, x0 - INCH // 10)
            else:
                left = max(left, x1 + INCH // 10)
        elif y0 > SLIDE_H * 0.7:
            floor = min(floor, y0 - INCH // 10)
    return left, right, floor


def _title(slide, text: str, size: int = 28, styled: bool = True) -> None:
    """The slide's title in its layout's title placeholder, across the top band clear of the template's drawings;
    `styled`: our colour and weight (python-pptx's default); a pôle's template keeps its own."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Emu, Pt

    left, right, _ = _room(slide.slide_layout)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Emu(left), Emu(INCH // 4), Emu(right - left), \
        Emu(INCH * 11 // 10)
    title.text = text
    frame = title.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.font.size = Pt(size)
        if styled:
            paragraph.font.bold = True
            paragraph.font.color.rgb = RGBColor(*INK)


def _text(slide, left: int, top: int, width: int, height: int, lines: list[tuple[str, int, bool, tuple]],
          bullets: bool = False):
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = ("• " if bullets else "") + text
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
        paragraph.font.color.rgb = RGBColor(*colour)
        if bullets:
            paragraph.space_after = Pt(10)
    return box


def _notes(slide, data: ReportData, first: str | None = None) -> None:
    """Speaker notes: this slide's point, then every key message (what to say in the room)."""
    lines = ([first, ""] if first else []) + [data.t("story_heading") + " :" if data.lang == "fr" else
                                               data.t("story_heading") + ":"]
    lines += ["- " + m.text for m in data.messages]
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def deck(data: ReportData, charts: list[Chart], pngs: list[bytes]) -> bytes:
    """16:9 slides: a title slide, the key messages, the key figures, one chart per slide titled with the message it
    carries, then the notes and sources once. Every slide has a title; speaker notes carry the key messages."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu

    show = _presentation()
    styled = template_path() is None
    title_only = _title_layout(show)
    width = SLIDE_W - 2 * MARGIN
    floor = _room(title_only)[2]

    # 1. title
    slide = show.slides.add_slide(title_only)
    _title(slide, data.t("report_heading", place=data.place, year=data.year), 36, styled)
    slide.shapes.title.top = Emu(int(INCH * 2.3))
    slide.shapes.title.height = Emu(int(INCH * 1.4))
    lines = [(data.territory.label(data.lang), 20, False, MUTED), (data.generated_text(), 16, False, MUTED)]
    if data.context.organisation.name:
        lines.insert(0, (data.t("report_prepared_by", org=data.context.organisation.name), 20, True, INK))
    if data.is_demo:
        lines.append((data.t("demo_banner"), 16, True, (0x85, 0x4D, 0x0E)))
    _text(slide, MARGIN, int(INCH * 3.8), width, int(INCH * 2.2), lines)
    if data.context.organisation.logo is not None:
        slide.shapes.add_picture(str(data.context.organisation.logo), Emu(MARGIN), Emu(INCH // 2),
                                 height=Emu(INCH))
    _notes(slide, data)

    # 2. key messages
    if data.messages:
        slide = show.slides.add_slide(title_only)
        _title(slide, data.t("story_heading") + " — " + data.place, styled=styled)
        _text(slide, MARGIN, int(INCH * 1.5), width, min(int(INCH * 5.5), floor - int(INCH * 1.5)),
              [(m.text, 20, False, INK) for m in data.messages], bullets=True)
        _notes(slide, data)

    # 3. key figures: eight tiles, value over label, 'x' when suppressed
    slide = show.slides.add_slide(title_only)
    _title(slide, data.t("slide_figures_title", place=data.place, year=data.year), styled=styled)
    now = data.comparison.iloc[0]
    gap, columns = INCH // 5, 4
    tile_w, tile_h = (width - (columns - 1) * gap) // columns, int(INCH * 2.2)
    for i, key in enumerate(FIGURES):
        x = MARGIN + (i % columns) * (tile_w + gap)
        y = int(INCH * 1.6) + (i // columns) * (tile_h + gap)
        tile = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(x), Emu(y), Emu(tile_w), Emu(tile_h))
        tile.fill.solid()
        tile.fill.fore_color.rgb = RGBColor(*TILE)
        tile.line.color.rgb = RGBColor(*ACCENT)
        hidden = key in (now.get("suppressed") or "").split(",")
        value = formatting.SUPPRESSED if hidden else formatting.indicator(key, float(now[key]), data.lang,
                                                                          compact=True)
        _text(slide, x + INCH // 8, y + INCH // 4, tile_w - INCH // 4, tile_h - INCH // 2,
              [(value, 32, True, ACCENT), (INDICATORS[key].label(data.lang), 15, False, MUTED)])
    _notes(slide, data, data.t("slide_figures_note"))

    # 3b. impact (issue 14): value added, volunteering, reach, spin-offs, share of jobs, with what is an estimate
    slide = show.slides.add_slide(title_only)
    _title(slide, data.t("slide_impact_title", place=data.place, year=data.year))
    cards = impact_cards.cards(now, data.context.rates, data.context.multipliers_load, data.lang,
                               data.context.employment)
    colon = " : " if data.lang == "fr" else ": "
    lines = [(card["label"] + colon + card["value"], 20, False, INK) for card in cards]
    notes = impact_cards.notes(data.context.multipliers_load, data.context.employment, data.year, data.lang)
    _text(slide, MARGIN, int(INCH * 1.45), width, int(INCH * 3.4), lines, bullets=True)
    _text(slide, MARGIN, int(INCH * 4.95), width, int(INCH * 1.8), [(notes[0], 11, False, MUTED),
                                                                    (notes[-1], 11, False, MUTED)])
    _notes(slide, data, " ".join(notes))

    # 4. one chart per slide, titled with the message it carries
    messages = {m.kind: m.text for m in data.messages}
    for chart, png in zip(charts, pngs):
        slide = show.slides.add_slide(title_only)
        message = messages.get(CHART_MESSAGE.get(chart.key, ""))
        _title(slide, message or chart.title.replace(" — ", ", "), 24 if message else 28, styled)
        top = int(INCH * 1.45)
        room_w, room_h = width, floor - top
        scale = min(room_w / chart.width, room_h / chart.height)
        w, h = int(chart.width * scale), int(chart.height * scale)
        slide.shapes.add_picture(io.BytesIO(png), Emu((SLIDE_W - w) // 2), Emu(top), Emu(w), Emu(h))
        _notes(slide, data, message or chart.title)

    # 5. notes and sources, once
    slide = show.slides.add_slide(title_only)
    _title(slide, data.t("slide_sources_title"), styled=styled)
    lines = [data.source_line(), data.suppressed_note(), *data.other_rules_note()]
    if data.rate_note():
        lines.append(data.rate_note())
    lines += [data.t(N_("report_change_note") if data.previous else N_("report_no_previous"), year=data.previous or ""),
              attribution(data.lang)]
    _text(slide, MARGIN, int(INCH * 1.5), width, min(int(INCH * 5.3), floor - int(INCH * 1.5)),
          [(x, 16, False, INK) for x in lines],
          bullets=True)
    _notes(slide, data)
    buffer = io.BytesIO()
    show.save(buffer)
    return buffer.getvalue()


def png_zip(charts: list[Chart], pngs: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i, (chart, png) in enumerate(zip(charts, pngs), start=1):
            archive.writestr(chart_file_name(i, chart), png)
    return buffer.getvalue()
