"""The deck as the room sees it: rendered through LibreOffice Impress, then checked on the PDF's words (every word
inside the 16:9 slide) and pictures (pdftoppm), and on the .pptx itself (a title on every slide, placeholders
placed for 16:9, the key messages in the speaker notes)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from ess_impact.output import reports
from ess_impact.output.reports.office import SLIDE_H, SLIDE_W
from ess_impact.store import db

IMPRESS = Path("/usr/lib/libreoffice/program/libsdlo.so")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("soffice") is None or not IMPRESS.exists() or shutil.which("pdftotext") is None,
    reason="LibreOffice Impress (libreoffice-impress-nogui) and poppler-utils are needed: make system-deps")]
WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@pytest.fixture(scope="module")
def decks(demo_db, tmp_path_factory):
    """(ReportData, pptx bytes) of an MRC in French and a region in English."""
    out = {}
    with db.connect(demo_db) as con:
        context = reports.Context.load(con, reports.Organisation("Pôle d'économie sociale de la Montérégie"))
        with reports.ChartRenderer() as renderer:
            for level, code, lang in (("mrc", "54", "fr"), ("region", "16", "en")):
                data = reports.report_data(con, reports.territory(level, code), 2024, lang, context)
                out[(level, lang)] = (data, reports.build(data, "pptx", renderer))
    return out


def render(pptx: bytes, folder: Path) -> Path:
    source = folder / "deck.pptx"
    source.write_bytes(pptx)
    done = subprocess.run(["soffice", f"-env:UserInstallation=file://{folder / 'lo'}", "--headless", "--convert-to",
                           "pdf", "--outdir", str(folder), str(source)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return folder / "deck.pdf"


def words_outside(pdf: Path) -> list[str]:
    """Words whose box leaves its page (pdftotext keeps the coordinates of text drawn off the page)."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for number, page in enumerate(xml.split("<page ")[1:], start=1):
        width, height = map(float, PAGE.match("<page " + page).groups())
        for x0, y0, x1, y1, word in WORD.findall(page):
            if float(x0) < -0.5 or float(y0) < -0.5 or float(x1) > width + 0.5 or float(y1) > height + 0.5:
                out.append(f"slide {number}: {word} ({x0}, {y0}, {x1}, {y1})")
    return out


def test_the_check_finds_text_that_leaves_the_slide(tmp_path):
    from pptx.util import Emu, Pt

    show = Presentation()
    show.slide_width, show.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    slide = show.slides.add_slide(show.slide_layouts[6])
    box = slide.shapes.add_textbox(Emu(SLIDE_W - 1_000_000), Emu(SLIDE_H - 600_000), Emu(3_000_000), Emu(500_000))
    box.text_frame.text = "Ce texte déborde de la diapositive " * 3
    box.text_frame.paragraphs[0].font.size = Pt(28)
    buffer = io.BytesIO()
    show.save(buffer)
    assert words_outside(render(buffer.getvalue(), tmp_path))


@pytest.mark.parametrize("key", [("mrc", "fr"), ("region", "en")])
def test_every_word_stays_inside_its_16_9_slide(decks, key, tmp_path):
    data, pptx = decks[key]
    pdf = render(pptx, tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width / height == pytest.approx(16 / 9, rel=0.01)
    assert words_outside(pdf) == []
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "slide")], check=True)
    assert len(list(tmp_path.glob("slide-*.png"))) == len(Presentation(io.BytesIO(pptx)).slides)


@pytest.mark.parametrize("key", [("mrc", "fr"), ("region", "en")])
def test_every_slide_has_a_title_and_notes_with_the_key_messages(decks, key):
    data, pptx = decks[key]
    show = Presentation(io.BytesIO(pptx))
    assert (show.slide_width, show.slide_height) == (SLIDE_W, SLIDE_H)
    titles = []
    for slide in show.slides:
        assert slide.shapes.title is not None and slide.shapes.title.text.strip()
        titles.append(slide.shapes.title.text)
        for shape in slide.shapes:  # nothing placed for a 4:3 slide: inside, and titles use the width
            assert 0 <= shape.left and shape.left + shape.width <= SLIDE_W
            assert 0 <= shape.top and shape.top + shape.height <= SLIDE_H
        assert slide.shapes.title.width > SLIDE_W * 0.8
        notes = slide.notes_slide.notes_text_frame.text
        assert all(m.text in notes for m in data.messages)
    assert len(set(titles)) == len(titles)  # one message per slide
    assert titles[2].startswith("Chiffres clés" if key[1] == "fr" else "Key figures")


def test_layouts_are_widened_for_16_9(decks):
    """Every placeholder of python-pptx's 4:3 layouts keeps its place relative to the slide (a title centred on
    4:3 is centred on 16:9, not left in the left three quarters)."""
    _, pptx = decks[("mrc", "fr")]
    wide, narrow = Presentation(io.BytesIO(pptx)), Presentation()
    for new_layout, old_layout in zip(wide.slide_layouts, narrow.slide_layouts):
        for new, old in zip(new_layout.placeholders, old_layout.placeholders):
            assert new.left / SLIDE_W == pytest.approx(old.left / narrow.slide_width, abs=0.002)
            assert new.width / SLIDE_W == pytest.approx(old.width / narrow.slide_width, abs=0.002)
            assert new.left + new.width <= SLIDE_W
