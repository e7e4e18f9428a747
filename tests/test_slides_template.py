"""A pôle's own PowerPoint template (ESS_IMPACT_PPTX_TEMPLATE): a real 16:9 template is built here with python-pptx —
its own master and layouts under French names, a logo in the title band, a coloured band along the bottom, another
font (DejaVu Serif) and title colour, an example slide — then a deck is made with it and rendered through
LibreOffice Impress. Checked on the rendered PDF's words: every word inside its slide, none on the logo or the
band, the template's font in use; on the .pptx: every title in a title placeholder of the template's layouts, the
example slide gone. A 4:3 template is refused with a message that says what to do (it is not stretched: its
master's logo and drawings were placed for 4:3)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image, ImageDraw
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.shapes.autoshape import Shape
from pptx.util import Emu, Pt
from test_slides import WORD, pytestmark, render, words_outside  # noqa: F401 - the same LibreOffice markers

from ess_impact.output import reports
from ess_impact.output.reports import office
from ess_impact.output.reports.office import INCH, SLIDE_H, SLIDE_W
from ess_impact.store import db

FONT = "DejaVu Serif"
TITLE_COLOUR = "8B1E3F"
LOGO = (SLIDE_W - INCH // 3 - int(INCH * 1.8), INCH // 4, SLIDE_W - INCH // 3, INCH // 4 + int(INCH * 0.9))
BAND_TOP = SLIDE_H - int(INCH * 0.55)
EXAMPLE = "DIAPOSITIVE D'EXEMPLE DU GABARIT"
FRENCH_NAMES = ["Diapositive de titre", "Titre et contenu", "En-tête de section", "Deux contenus", "Comparaison",
                "Titre seul", "Vide", "Contenu avec légende", "Image avec légende"]
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _logo_png(path: Path) -> Path:
    image = Image.new("RGB", (360, 180), "#8B1E3F")
    ImageDraw.Draw(image).ellipse((20, 20, 160, 160), fill="#F2C14E")
    image.save(path)
    return path


def _widen(show) -> None:
    sx, sy = SLIDE_W / show.slide_width, SLIDE_H / show.slide_height
    show.slide_width, show.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    for container in [*show.slide_layouts, show.slide_master]:
        for shape in container.placeholders:
            shape.left, shape.width = Emu(int(shape.left * sx)), Emu(int(shape.width * sx))
            shape.top, shape.height = Emu(int(shape.top * sy)), Emu(int(shape.height * sy))


def _theme_fonts(show, typeface: str) -> None:
    theme = show.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for tag in ("majorFont", "minorFont"):
        root.find(f".//{A}{tag}/{A}latin").set("typeface", typeface)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)  # noqa: SLF001


def _title_colour(show, colour: str) -> None:
    """The master's title style: the colour every title inherits."""
    style = show.slide_master.element.find(
        ".//{http://schemas.openxmlformats.org/presentationml/2006/main}titleStyle")
    properties = style.find(f"{A}lvl1pPr/{A}defRPr")
    for old in properties.findall(f"{A}solidFill"):
        properties.remove(old)
    fill = etree.SubElement(properties, f"{A}solidFill")
    etree.SubElement(fill, f"{A}srgbClr").set("val", colour)
    properties.insert(0, fill)


def _master_drawings(show, logo: Path) -> None:
    """A logo in the top right corner and a band along the bottom, on the master: on every slide."""
    master = show.slide_master
    tree = master.shapes._spTree  # noqa: SLF001 - python-pptx adds no shape to a master
    _, rid = master.part.get_or_add_image_part(str(logo))
    x0, y0, x1, y1 = LOGO
    tree.add_pic(900, "Logo du pôle", "", rid, Emu(x0), Emu(y0), Emu(x1 - x0), Emu(y1 - y0))
    band = Shape(tree.add_autoshape(901, "Bande", "rect", Emu(0), Emu(BAND_TOP), Emu(SLIDE_W), Emu(SLIDE_H - BAND_TOP)),
                 master.shapes)
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string(TITLE_COLOUR)
    band.line.fill.background()
    assert MSO_SHAPE.RECTANGLE  # the band is a plain rectangle


def make_template(folder: Path, four_three: bool = False) -> Path:
    show = Presentation()
    if not four_three:
        _widen(show)
    for layout, name in zip(show.slide_layouts, FRENCH_NAMES):
        layout.name = name
    # the "Title Only" layout is no longer the sixth: a deck must find it by its placeholders, not its place
    layouts = show.slide_layouts
    for name in ("Titre et contenu", "En-tête de section", "Deux contenus"):
        layouts.remove(next(layout for layout in layouts if layout.name == name))
    _theme_fonts(show, FONT)
    _title_colour(show, TITLE_COLOUR)
    _master_drawings(show, _logo_png(folder / "logo.png"))
    example = show.slides.add_slide(show.slide_layouts[0])
    example.shapes.title.text = EXAMPLE
    path = folder / ("gabarit-4-3.pptx" if four_three else "gabarit-16-9.pptx")
    show.save(path)
    return path


@pytest.fixture(scope="module")
def templated(demo_db, tmp_path_factory):
    """(template, ReportData, pptx bytes, rendered PDF) of an MRC in French made with the pôle's 16:9 template."""
    folder = tmp_path_factory.mktemp("template")
    template = make_template(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(office.TEMPLATE_ENV, str(template))
        with db.connect(demo_db) as con:
            context = reports.Context.load(con, reports.Organisation("Pôle d'économie sociale de la Montérégie"))
            with reports.ChartRenderer() as renderer:
                data = reports.report_data(con, reports.territory("mrc", "54"), 2024, "fr", context)
                pptx = reports.build(data, "pptx", renderer)
    return template, data, pptx, render(pptx, folder)


def _words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(page)]
            for page in xml.split("<page ")[1:]]


def test_the_deck_uses_the_templates_layouts_and_title_placeholders(templated):
    template, data, pptx, _ = templated
    show = Presentation(io.BytesIO(pptx))
    names = {layout.name for layout in Presentation(template).slide_layouts}
    assert (show.slide_width, show.slide_height) == (SLIDE_W, SLIDE_H)
    assert len(show.slides) >= 6
    for slide in show.slides:
        assert slide.slide_layout.name in names
        title = slide.shapes.title
        assert title is not None and title.is_placeholder and title.text.strip()
        assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        # the title keeps clear of the template's logo
        assert title.left + title.width <= LOGO[0]
        assert all(EXAMPLE not in shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_every_word_inside_its_slide_and_off_the_logo_and_the_band(templated):
    _, _, pptx, pdf = templated
    assert words_outside(pdf) == []
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    scale = width / SLIDE_W  # points per EMU
    logo = [v * scale for v in LOGO]
    band = BAND_TOP * scale
    pages = _words(pdf)
    assert len(pages) == len(Presentation(io.BytesIO(pptx)).slides)
    for number, words in enumerate(pages, start=1):
        assert words, number
        for x0, y0, x1, y1, word in words:
            on_logo = x1 > logo[0] and x0 < logo[2] and y1 > logo[1] and y0 < logo[3]
            assert not on_logo, (number, word)
            assert y1 <= band + 0.5, (number, word, y1, band)


def test_the_templates_font_is_used(templated):
    *_, pdf = templated
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSerif" in fonts.replace(" ", "")


def test_a_4_3_template_is_refused_with_a_french_message(tmp_path, monkeypatch):
    monkeypatch.setenv(office.TEMPLATE_ENV, str(make_template(tmp_path, four_three=True)))
    with pytest.raises(reports.ReportError) as refused:
        office.check_template()
    assert refused.value.key == "report_template_not_16_9"
    french = refused.value.message("fr")
    assert "4:3" in french and "16:9" in french and "Taille des diapositives" in french
    assert "Slide Size" in refused.value.message("en")


def test_an_unreadable_template_is_refused(tmp_path, monkeypatch):
    broken = tmp_path / "gabarit.pptx"
    broken.write_bytes(b"PK\x03\x04 pas un gabarit")
    monkeypatch.setenv(office.TEMPLATE_ENV, str(broken))
    with pytest.raises(reports.ReportError) as refused:
        office.check_template()
    assert refused.value.key == "report_template_unreadable"
