"""The one-page sheet of a territory (PDF, letter, portrait): what a pôle director hands to a council of mayors.

Top to bottom: the pôle's logo and name, the title, the key messages, six key figures, the map (the territory
highlighted) beside its jobs by sector, the pôle's local paragraph (plain text, as typed), then the source, the
confidentiality note and the map's licence credit, once. Everything comes from the report's protected data.
"""

from __future__ import annotations

import io

from ess_impact import formatting
from ess_impact.labels import INDICATORS
from ess_impact.output.maps import attribution
from ess_impact.output.reports.content import Chart
from ess_impact.output.reports.data import ReportData
from ess_impact.output.reports.pdf import (
    ACCENT,
    FONT,
    HEADER_FILL,
    INK,
    LOGO_HEIGHT,
    MUTED,
    ZEBRA,
    _Document,
)

FIGURES = ["enterprises", "jobs_total", "revenue_total", "jobs_per_1000", "volunteers", "volunteer_value"]
MARGIN = 12.0
FOOTER = 20.0      # mm kept at the bottom for the notes


class _Sheet(_Document):
    def __init__(self, data: ReportData):
        super().__init__(data)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.set_title(data.t("sheet_title", place=data.place, year=data.year))

    @property
    def width(self) -> float:
        return self.w - 2 * MARGIN

    def footer(self) -> None:
        data = self.data
        self.set_y(self.h - MARGIN - FOOTER + 2)
        self.set_draw_color(*HEADER_FILL)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.ln(1)
        self.set_text_color(*MUTED)
        self.set_font(FONT, "", 6.8)
        organisation = data.context.organisation.name
        lines = [" ".join([data.source_line(), data.suppressed_note(), *data.other_rules_note()]), attribution(data.lang),
                 data.generated_text() + (" · " + data.t("report_prepared_by", org=organisation)
                                          if organisation else "")]
        for text in lines:
            self.multi_cell(self.width, 2.9, text, new_x="LMARGIN", new_y="NEXT", align="L")


def render(data: ReportData, charts: list[Chart], pngs: list[bytes]) -> bytes:
    images = {chart.key: (chart, png) for chart, png in zip(charts, pngs)}
    doc = _Sheet(data)
    doc.add_page()
    _header(doc, data)
    if data.is_demo:
        doc.set_font(FONT, "B", 8)
        doc.set_text_color(133, 77, 14)
        doc.cell(doc.width, 4.5, "⚠ " + data.t("demo_banner"), new_x="LMARGIN", new_y="NEXT")
    _messages(doc, data)
    _figures(doc, data)
    _pictures(doc, images)
    if data.note:
        _note(doc, data)
    return bytes(doc.output())


def _header(doc: _Sheet, data: ReportData) -> None:
    org = data.context.organisation
    top = doc.get_y()
    x = MARGIN
    if org.logo is not None:
        x += doc.image(str(org.logo), x=MARGIN, y=top, h=LOGO_HEIGHT).rendered_width + 4
    doc.set_xy(x, top + (2 if org.logo is not None else 0))
    doc.set_font(FONT, "B", 9.5)
    doc.set_text_color(*MUTED)
    doc.cell(doc.width - (x - MARGIN), 5, org.name or data.t("report_subtitle"), new_x="LMARGIN", new_y="NEXT")
    doc.set_x(x)
    doc.set_font(FONT, "", 8.5)
    doc.cell(doc.width - (x - MARGIN), 4.5, data.t("sheet_kicker"), new_x="LMARGIN", new_y="NEXT")
    doc.set_y(max(doc.get_y(), top + (LOGO_HEIGHT if org.logo is not None else 0)) + 2)
    doc.set_font(FONT, "B", 19)
    doc.set_text_color(*INK)
    doc.multi_cell(doc.width, 8.5, data.t("report_heading", place=data.place, year=data.year),
                   new_x="LMARGIN", new_y="NEXT", align="L")
    doc.set_font(FONT, "", 9.5)
    doc.set_text_color(*MUTED)
    doc.cell(doc.width, 5, data.territory.label(data.lang) + " · " + data.t(
        "sheet_population", population=formatting.number(data.territory.population, data.lang)),
        new_x="LMARGIN", new_y="NEXT")
    doc.ln(2)


def _messages(doc: _Sheet, data: ReportData) -> None:
    if not data.messages:
        return
    doc.set_font(FONT, "B", 11)
    doc.set_text_color(*ACCENT)
    doc.cell(doc.width, 6, data.t("story_heading"), new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(*INK)
    doc.set_font(FONT, "", 9.3)
    for message in data.messages:
        doc.set_x(MARGIN)
        doc.cell(4, 4.4, "•")
        doc.multi_cell(doc.width - 4, 4.4, message.text, new_x="LMARGIN", new_y="NEXT", align="L")
        doc.ln(0.6)
    doc.ln(1.5)


def _figures(doc: _Sheet, data: ReportData) -> None:
    """Six tiles: value in large type, label under it; 'x' when suppressed."""
    now = data.comparison.iloc[0]
    gap, height = 3.0, 17.0
    width = (doc.width - 2 * gap) / 3
    top = doc.get_y()
    for i, key in enumerate(FIGURES):
        x, y = MARGIN + (i % 3) * (width + gap), top + (i // 3) * (height + gap)
        hidden = key in (now.get("suppressed") or "").split(",")
        value = formatting.SUPPRESSED if hidden else formatting.indicator(key, float(now[key]), data.lang,
                                                                          compact=True)
        doc.set_fill_color(*ZEBRA)
        doc.rect(x, y, width, height, style="F")
        doc.set_fill_color(*ACCENT)
        doc.rect(x, y, 1.2, height, style="F")
        doc.set_xy(x + 3.5, y + 2)
        doc.set_font(FONT, "B", 15)
        doc.set_text_color(*INK)
        doc.cell(width - 5, 7.5, value)
        doc.set_xy(x + 3.5, y + 10)
        doc.set_font(FONT, "", 8)
        doc.set_text_color(*MUTED)
        doc.cell(width - 5, 4.5, INDICATORS[key].label(data.lang))
    doc.set_y(top + 2 * height + gap + 3)


def _pictures(doc: _Sheet, images: dict[str, tuple[Chart, bytes]]) -> None:
    """The map (left) and the sectors chart (right), scaled to the room left above the local paragraph and notes."""
    gap = 4.0
    room = doc.h - MARGIN - FOOTER - doc.get_y() - (30 if doc.data.note else 2)
    left = doc.width * 0.53
    right = doc.width - left - gap
    top = doc.get_y()
    doc.set_font(FONT, "B", 8.5)
    doc.set_text_color(*INK)
    for (chart, _), x, w in ((images["map"], MARGIN, left), (images["sectors"], MARGIN + left + gap, right)):
        doc.set_xy(x, top)
        doc.multi_cell(w, 3.8, chart.title.replace(" — ", "\n"), align="L")
    y = top + 9
    room -= 9
    for (chart, png), x, w in ((images["map"], MARGIN, left), (images["sectors"], MARGIN + left + gap, right)):
        h = w * chart.height / chart.width
        if h > room:
            w, h = w * room / h, room
        doc.image(io.BytesIO(png), x=x, y=y, w=w, h=h, alt_text=chart.title)
    heights = [min(room, (left if k == "map" else right) * c.height / c.width) for k, (c, _) in images.items()
               if k in ("map", "sectors")]
    doc.set_y(y + max(heights) + 2)


def _note(doc: _Sheet, data: ReportData) -> None:
    doc.set_font(FONT, "B", 10)
    doc.set_text_color(*ACCENT)
    doc.cell(doc.width, 5.5, data.t("sheet_note_heading"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, "", 9)
    doc.set_text_color(*INK)
    room = doc.h - MARGIN - FOOTER - doc.get_y()
    lines = doc.multi_cell(doc.width, 4.2, data.note, dry_run=True, output="LINES")
    shown = lines[: max(1, int(room // 4.2))]
    doc.multi_cell(doc.width, 4.2, "\n".join(shown), new_x="LMARGIN", new_y="NEXT", align="L")
