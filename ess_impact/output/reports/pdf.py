"""The PDF report (fpdf2, letter size, 2 to 4 pages) with an embedded Unicode font (DejaVu Sans), so that é, à, ç,
« », — and ’ print as typed."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from ess_impact import formatting
from ess_impact.labels import INDICATORS, N_
from ess_impact.output.reports.content import (
    Chart,
    comparison_table,
    headline_table,
    impact_table,
    mix_table,
    trend_table,
)
from ess_impact.output.reports.data import ReportData, ReportError
from ess_impact.output.tables import Table

FONT_DIR_ENV = "ESS_IMPACT_FONT_DIR"
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}  # ≈ 0.1 s each to load

MARGIN = 16.0                    # mm
LOGO_HEIGHT = 13.0
INK = (31, 41, 51)
MUTED = (82, 96, 109)
ACCENT = (0, 114, 178)           # the charts' first colour (Okabe–Ito blue)
WARNING_FILL = (255, 243, 205)
WARNING_INK = (133, 77, 14)
CELL_PADDING = 1.5              # mm, left and right of a table cell's text
MIN_TABLE_SIZE = 6.5             # pt, the smallest type of a table whose numbers would not fit otherwise
NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
HEADER_FILL = (220, 230, 241)    # as the workbook's header row
ZEBRA = (243, 245, 248)


def font_dir() -> Path:
    path = Path(os.environ.get(FONT_DIR_ENV) or FONT_DIR)
    if not all((path / name).is_file() for name in FONT_FILES.values()):
        raise ReportError("report_font_missing", path=str(path))
    return path


def keep_numbers_whole(text: str) -> str:
    """'pour 1 000 habitants' with a non-breaking space inside the number: a header wraps between words only."""
    return NUMBER_SPACE.sub(formatting.NBSP, text)


def fit_widths(widths: list[float], needs: list[float]) -> list[float] | None:
    """Column widths (mm) where each column is at least what it `needs` (its widest number, or its longest header
    word), the room taken from the columns with slack in proportion to it, the total unchanged; None when the
    needs add up to more than the total (the type must shrink)."""
    total = sum(widths)
    if sum(needs) > total + 1e-6:
        return None
    out = [max(w, n) for w, n in zip(widths, needs)]
    excess = sum(out) - total
    slack = [o - n for o, n in zip(out, needs)]
    room = sum(slack)
    return [o - excess * s / room if room else o for o, s in zip(out, slack)]


class _Document(FPDF):
    def __init__(self, data: ReportData):
        super().__init__(orientation="portrait", unit="mm", format="letter")
        self.data = data
        folder = font_dir()
        for style, name in FONT_FILES.items():
            self.add_font(FONT, style, str(folder / name))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 14)
        self.alias_nb_pages("{nb}")
        self.set_title(data.t("report_heading", place=data.place, year=data.year))
        self.set_author(data.context.organisation.name or "ess_impact")
        self.set_creator("ess_impact")
        self.set_lang("en-CA" if data.lang == "en" else "fr-CA")

    @property
    def width(self) -> float:
        return self.w - 2 * MARGIN

    def footer(self) -> None:
        """On every page: what 'x' means, the source, when the report was produced and by whom, the page."""
        data = self.data
        self.set_y(-MARGIN - 10)
        self.set_draw_color(*HEADER_FILL)
        self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        for text in (data.suppressed_note(), data.source_line()):
            size = 7.0
            while self.get_string_width(text) > self.width and size > 5.5:  # one line, whatever the settings
                size -= 0.25
                self.set_font(FONT, "", size)
            self.cell(self.width, 3.3, text, new_x="LMARGIN", new_y="NEXT")
            self.set_font(FONT, "", 7)
        organisation = data.context.organisation.name
        left = data.generated_text() + (" · " + data.t("report_prepared_by", org=organisation) if organisation else "")
        self.cell(self.width - 25, 3.3, left)
        self.cell(25, 3.3, data.t("report_page", page=self.page_no(), pages="{nb}"), align="R")

    # --- blocks ---------------------------------------------------------------------------------------------
    def heading(self, text: str, room: float = 40) -> None:
        """A section heading, moved to the next page when less than `room` mm would follow it."""
        if self.will_page_break(room + 14):
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 13)
        self.set_text_color(*ACCENT)
        self.cell(self.width, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.4)
        self.line(MARGIN, self.get_y(), MARGIN + self.width, self.get_y())
        self.ln(2.5)
        self.set_text_color(*INK)

    def paragraph(self, text: str, size: float = 9, style: str = "", colour=INK, height: float = 4.2) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)
        self.multi_cell(self.width, height, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.set_text_color(*INK)

    def chart_height(self, chart: Chart, width: float | None = None) -> float:
        return (width or self.width) * chart.height / chart.width

    def chart(self, chart: Chart, png: bytes, width: float | None = None, optional: bool = False) -> None:
        """A chart at full width (or `width` mm), on the next page when it does not fit, or left out when it does
        not fit and is `optional` (its figures are in a table next to it)."""
        width = width or self.width
        height = self.chart_height(chart, width)
        if self.will_page_break(height + 2):
            if optional:
                return
            self.add_page()
        x = MARGIN + (self.width - width) / 2
        self.image(io.BytesIO(png), x=x, y=self.get_y(), w=width, h=height, alt_text=chart.title)
        self.set_y(self.get_y() + height + 2)

    def table(self, table: Table, widths: list[float], size: float = 8.5) -> None:
        """A published table: labels left, numbers right in Québec formats, 'x' where suppressed."""
        lang = self.data.lang
        columns = list(table.frame.columns)
        texts = {c: table.cell_text(c, lang) if c in table.keys else
                 [("" if v is None else str(v)) for v in table.frame[c]] for c in columns}
        align = ["LEFT" if c not in table.keys else "RIGHT" for c in columns]
        headers = [keep_numbers_whole(str(c)) for c in columns]
        # no number breaks across lines: its column is widened (taken from the others' slack), else the type shrinks
        while True:
            self.set_font(FONT, "", size)
            needs = [max([self.get_string_width(text) for text in texts[c]] + [0]) + 2 * CELL_PADDING + 0.3
                     if c in table.keys else 0.0 for c in columns]
            self.set_font(FONT, "B", size)
            needs = [max(need, *(self.get_string_width(word) + 2 * CELL_PADDING + 0.3 for word in header.split()))
                     for need, header in zip(needs, headers)]
            fitted = fit_widths(widths, needs)
            if fitted is not None or size <= MIN_TABLE_SIZE:
                widths = fitted or widths
                break
            size -= 0.25
        self.set_font(FONT, "", size)
        self.set_fill_color(*ZEBRA)
        self.set_draw_color(200, 206, 214)
        self.set_line_width(0.2)
        headings = FontFace(emphasis="BOLD", fill_color=HEADER_FILL, color=INK)
        with super().table(col_widths=widths, width=min(sum(widths), self.epw), text_align=align,
                           headings_style=headings,
                           line_height=size * 0.5, padding=(0.9, CELL_PADDING), cell_fill_color=ZEBRA,
                           cell_fill_mode="ROWS", borders_layout="HORIZONTAL_LINES", align="LEFT") as pdf_table:
            pdf_table.row(headers)
            for i in range(len(table.frame)):
                pdf_table.row([texts[c][i] for c in columns])
        self.ln(1.5)

    def demo_warning(self) -> None:
        self.set_fill_color(*WARNING_FILL)
        self.set_draw_color(*WARNING_INK)
        self.set_text_color(*WARNING_INK)
        self.set_font(FONT, "B", 9.5)
        self.multi_cell(self.width, 5.5, "⚠ " + self.data.t("demo_banner"), border=1, fill=True, padding=1.5,
                        new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)
        self.ln(2)


def render(data: ReportData, charts: list[Chart], pngs: list[bytes]) -> bytes:
    """The report as PDF bytes. `charts` and `pngs` come from content.all_charts and a ChartRenderer."""
    images = {chart.key: (chart, png) for chart, png in zip(charts, pngs)}
    doc = _Document(data)
    doc.add_page()
    _title(doc, data)
    if data.is_demo:
        doc.demo_warning()
    if data.messages:  # compact: the four pages of the report stay four
        doc.heading(data.t("story_heading"), 30)
        for message in data.messages:
            doc.set_font(FONT, "", 8.8)
            doc.cell(3.5, 4.0, "•")
            doc.multi_cell(doc.width - 3.5, 4.0, message.text, new_x="LMARGIN", new_y="NEXT", align="L")

    doc.heading(data.t("report_headline"))
    first = 70.0
    rest = (doc.width - first) / 4 if data.previous else (doc.width - first) / 1
    headline = headline_table(data)
    doc.table(headline, [first] + [rest] * (len(headline.frame.columns) - 1), size=9)
    doc.paragraph(headline.notes[-1], size=7.5, style="I", colour=MUTED, height=3.4)

    doc.heading(data.t(N_("report_comparison") if data.territory.level == "mrc" else N_("report_comparison_region")), 40)
    comparison = comparison_table(data)
    first = 52.0
    doc.table(comparison, [first] + [(doc.width - first) / 4] * 4)
    ranks = [data.t("report_rank_item", indicator=INDICATORS[key].label(data.lang), rank=rank, n=n)
             for key, (rank, n) in data.ranks.items() if rank]
    if ranks:
        doc.paragraph(data.t("report_ranks", ranks=" ; ".join(ranks) if data.lang == "fr" else "; ".join(ranks)),
                      size=8, colour=MUTED, height=3.6)
    doc.ln(2)
    doc.chart(*images["per_1000"], width=doc.width * 0.62, optional=True)

    # issue 14: value added, volunteering, spin-offs, share of jobs, each with its method; then what is missing
    impact = impact_table(data)
    doc.heading(data.t("impact_table_heading"), 20 + 7 * len(impact.frame))  # its rows stay under their heading
    method = impact.frame.columns[-1]  # on paper, a method said once for the rows that share it
    impact.frame.loc[impact.frame[method].eq(impact.frame[method].shift()), method] = data.t("method_same")
    values = len(impact.keys)
    first, each = 40.0, 26.5
    doc.table(impact, [first] + [each] * values + [doc.width - first - each * values], size=7.5)
    for line in impact.notes[:-len(data.notes())]:
        doc.paragraph(line, size=7, style="I", colour=MUTED, height=3.1)
    doc.ln(1)

    doc.heading(data.t("report_mrcs_heading", region=data.territory.region_name), doc.chart_height(images["mrcs"][0]))
    doc.chart(*images["mrcs"])

    doc.heading(data.t("report_sectors_heading"), doc.chart_height(images["sectors"][0]))
    doc.chart(*images["sectors"])
    doc.heading(data.t("report_legal_forms_heading"), doc.chart_height(images["legal_forms"][0], doc.width * 0.85))
    doc.chart(*images["legal_forms"], width=doc.width * 0.85)
    forms = mix_table(data, "legal_form")
    first = 48.0
    doc.table(forms, [first] + [(doc.width - first) / (len(forms.frame.columns) - 1)] * (len(forms.frame.columns) - 1))

    doc.heading(data.t("trend_heading"), doc.chart_height(images["trend"][0], doc.width * 0.9))
    doc.chart(*images["trend"], width=doc.width * 0.9)
    trend = trend_table(data)
    first = 18.0
    doc.table(trend, [first] + [(doc.width - first) / (len(trend.frame.columns) - 1)] * (len(trend.frame.columns) - 1))

    sections = data.methodology()
    # kept on one page (a page holding only its last lines would look blank): about 150 characters a line
    room = 12 + sum(6.7 + sum(3.8 * (1 + len(text) // 150) for text in paragraphs) for _, paragraphs in sections)
    doc.heading(data.t("methodology_title"), room)
    for heading, paragraphs in sections:
        doc.set_font(FONT, "B", 9.5)
        doc.cell(doc.width, 5.5, heading, new_x="LMARGIN", new_y="NEXT")
        for text in paragraphs:
            doc.paragraph(text, size=8.3, height=3.8)
        doc.ln(1.2)
    return bytes(doc.output())


def _title(doc: _Document, data: ReportData) -> None:
    """The pôle's logo and name when configured, then what the report is about."""
    org = data.context.organisation
    if org.logo is not None or org.name:
        top = doc.get_y()
        x = MARGIN
        if org.logo is not None:
            x += doc.image(str(org.logo), x=MARGIN, y=top, h=LOGO_HEIGHT).rendered_width + 4
        if org.name:
            doc.set_xy(x, top + (LOGO_HEIGHT - 6) / 2 if org.logo is not None else top)
            doc.set_font(FONT, "B", 10)
            doc.set_text_color(*MUTED)
            doc.cell(doc.width - (x - MARGIN), 6, data.t("report_prepared_by", org=org.name))
        doc.set_xy(MARGIN, top + (LOGO_HEIGHT + 3 if org.logo is not None else 8))
    doc.set_font(FONT, "", 10)
    doc.set_text_color(*MUTED)
    doc.cell(doc.width, 5, data.t("report_subtitle"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FONT, "B", 20)
    doc.set_text_color(*INK)
    doc.multi_cell(doc.width, 9, data.t("report_heading", place=data.place, year=data.year),
                   new_x="LMARGIN", new_y="NEXT", align="L")
    now = data.headline.set_index("key")
    enterprises = formatting.SUPPRESSED if now.loc["enterprises", "hidden"] else \
        formatting.number(now.loc["enterprises", "value"], data.lang)
    doc.paragraph(data.territory.label(data.lang), size=10.5, colour=MUTED, height=5)
    doc.paragraph(data.t("report_facts", population=formatting.number(data.territory.population, data.lang),
                         year=data.year, enterprises=enterprises), size=10.5, colour=MUTED, height=5)
    doc.ln(3)
