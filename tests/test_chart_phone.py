"""Charts drawn by plotly.js in Chromium at a phone's width (a 390 px screen leaves 358 px to a chart) and at a
desktop's: every text stays inside the figure and no two texts overlap; a bar's name sits over its bar (the bars
keep the whole width); tick labels are level; the legend is a row under the title, not a column beside the plot.
Positions are read from the drawn SVG (getBoundingClientRect), not assumed."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from cubes_factory import cube, cube_row

from ess_impact import reference
from ess_impact.labels import INDICATORS
from ess_impact.publish import slices
from ess_impact.output import charts, maps
from ess_impact.publish import areas
from ess_impact.publish.indicators import Filters

SECTORS = ["Éducation, formation et services de garde", "Finance et assurances", "Santé et conditions de vie",
           "Commerce de détail", "Arts, culture et médias", "Loisirs et tourisme", "Agroalimentaire",
           "Services aux entreprises et technologies", "Environnement et matières résiduelles", "Autre",
           "Habitation", "Transport", "Ressources naturelles, fabrication et construction",
           "Insertion socioprofessionnelle"]
SOURCE = "Source : déclarations des entreprises, ess_impact — données fictives de démonstration."
WIDTHS = [358, 1200]

# Every text of the figure: its box, what it says, and which kind of text it is.
BOXES = """(div) => {
  const out = [];
  const kinds = {'.gtitle': 'title', '.gtitle-subtitle': 'subtitle', '.xtick text': 'xtick', '.ytick text': 'ytick',
    '.xtitle': 'xtitle', '.ytitle': 'ytitle', '.annotation-text': 'annotation', '.legendtext': 'legend',
    '.bartext': 'bartext'};
  for (const [selector, kind] of Object.entries(kinds)) {
    for (const el of div.querySelectorAll(selector)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || !el.textContent.trim()) continue;
      out.push({kind, text: el.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                transform: el.getAttribute('transform') || ''});
    }
  }
  const svg = div.querySelector('.main-svg').getBoundingClientRect();
  const plot = div.querySelector('.bglayer rect, .nsewdrag').getBoundingClientRect();
  const bars = [...div.querySelectorAll('.bars .point path')].map(p => { const r = p.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  return {texts: out, svg: {left: svg.left, right: svg.right, top: svg.top, bottom: svg.bottom},
          plot: {left: plot.left, right: plot.right, top: plot.top, bottom: plot.bottom}, bars};
}"""


def _figures(lang: str) -> dict:
    rng = np.random.default_rng(3)
    values = rng.integers(40, 900, len(SECTORS)).astype(float)
    hidden = np.zeros(len(SECTORS), dtype=bool)
    hidden[-2:] = True
    names = ["Les Maskoutains", "Montérégie", "Québec"]
    trend = pd.DataFrame([{"series": s, "year": y, "value": 100 + 5 * i + y - 2020, "hidden": False}
                          for i, s in enumerate(names) for y in range(2020, 2025)])
    series = {s: ([30.0 + i], [False]) for i, s in enumerate(names)}
    rate = slices.per_1000_key("jobs_total")
    return {
        "bars": charts.bars(SECTORS, values, "jobs_total", lang, "Emplois (total) par secteur — Les Maskoutains, 2024",
                            SOURCE, hidden=hidden),
        "bars_money": charts.bars(SECTORS[:5], values[:5] * 1e6, "revenue_total", lang,
                                  "Revenus totaux pour 1 000 habitants par MRC — Les Maskoutains, sa région et le Québec, 2024",
                                  SOURCE, references={"Montérégie": 4e8, "Québec": 3e8}),
        "lines": charts.lines(trend, "jobs_total", lang, "Emplois — Les Maskoutains, sa région et le Québec", SOURCE,
                              index_base=2020),
        "matrix": charts.share_heatmap(_shares(), "jobs_total", lang, "Part de chaque secteur dans emplois (total) — "
                                       "territoires comparés, 2024", SOURCE, "Part du territoire (%)"),
        "grouped": charts.grouped([INDICATORS[rate].label(lang)], series, rate, lang, "Emplois pour 1 000 habitants — 2024", SOURCE),
    }


def _shares() -> pd.DataFrame:
    """Each sector's share of six territories (Comparer's matrix), one cell suppressed."""
    places = ["Les Maskoutains (54)", "Pierre-De Saurel (53)", "Rouville (55)", "Montérégie (16)", "Montréal (66)",
              "Québec (23)"]
    rows = []
    for j, place in enumerate(places):
        values = np.arange(1, len(SECTORS) + 1, dtype=float) * (j + 1)
        for i, sector in enumerate(SECTORS):
            hidden = (i, j) == (2, 1)
            rows.append({"sector": sector, "territory": place, "value": values[i], "hidden": hidden,
                         "share": values[i] / values.sum(), "share_hidden": hidden})
    return pd.DataFrame(rows)


def _overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack)


@pytest.fixture(scope="module")
def drawn(browser):
    """Each figure in both languages drawn at each width: {(name, lang, width): boxes}."""
    plotly_js = resources.files("plotly").joinpath("package_data/plotly.min.js").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_content(f"<html><body style='margin:0'><div id='chart'></div><script>{plotly_js}</script></body></html>")
    out = {}
    try:
        for lang in ("fr", "en"):
            for name, fig in _figures(lang).items():
                spec = json.loads(fig.to_json())
                for width in WIDTHS:
                    layout = {**spec["layout"], "width": width}
                    page.evaluate("([data, layout]) => Plotly.newPlot('chart', data, layout, {staticPlot: false})",
                                  [spec["data"], layout])
                    out[(name, lang, width)] = (page.evaluate(BOXES, page.query_selector("#chart")), fig)
    finally:
        page.close()
    return out


def test_every_text_inside_the_figure_and_none_overlapping(drawn):
    for (name, lang, width), (boxes, _) in drawn.items():
        svg = boxes["svg"]
        texts = boxes["texts"]
        assert texts, (name, lang, width)
        for box in texts:
            assert svg["left"] - 1 <= box["left"] and box["right"] <= svg["right"] + 1, (name, lang, width, box)
            assert svg["top"] - 1 <= box["top"] and box["bottom"] <= svg["bottom"] + 1, (name, lang, width, box)
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if "rotate" in a["transform"] and "rotate" in b["transform"]:
                    continue  # two slanted names: their upright boxes overlap even when the names do not
                assert not _overlap(a, b), (name, lang, width, a["text"], b["text"])


def test_tick_labels_are_level(drawn):
    """Numbers on level ticks; a matrix's territory names are slanted on purpose (checked for overlaps above)."""
    for (name, lang, width), (boxes, _) in drawn.items():
        if name == "matrix":
            continue
        for box in boxes["texts"]:
            if box["kind"] == "xtick":
                assert "rotate" not in box["transform"], (name, lang, width, box)


def test_bar_names_sit_over_their_bars_and_leave_the_width_to_the_bars(drawn):
    for lang in ("fr", "en"):
        boxes, fig = drawn[("bars", lang, 358)]
        names = [b for b in boxes["texts"] if b["kind"] == "annotation" and b["text"] != ""]
        labels = {a.text for a in fig.layout.annotations if a.yref == "y"}
        over = [b for b in names if b["text"] in labels]
        assert len(over) == len(SECTORS)
        assert not [b for b in boxes["texts"] if b["kind"] == "ytick"]  # no names beside the bars
        assert boxes["plot"]["left"] - boxes["svg"]["left"] < 40  # the plot starts at the left edge
        for box in over:
            assert len(box["text"]) <= charts.NAME_WIDTH
            assert box["left"] - boxes["plot"]["left"] < 5
            # a bar just under it: its top within a few pixels of the name's bottom
            assert any(0 <= bar["top"] - box["bottom"] <= 8 for bar in boxes["bars"]), box
        # cut names end with "…" and keep their full text on hover
        cut = [a for a in fig.layout.annotations if a.yref == "y" and a.text.endswith("…")]
        assert cut and all(a.hovertext.startswith(a.text[:-1]) and len(a.hovertext) > len(a.text) for a in cut)


def test_the_legend_is_a_row_under_the_title(drawn):
    for width in WIDTHS:
        for name in ("lines", "grouped"):
            boxes, _ = drawn[(name, "fr", width)]
            legend = [b for b in boxes["texts"] if b["kind"] == "legend"]
            subtitle = [b for b in boxes["texts"] if b["kind"] == "subtitle"]
            assert len(legend) == 3 and subtitle
            assert all(b["top"] >= subtitle[0]["bottom"] and b["bottom"] <= boxes["plot"]["top"] for b in legend)
            # the plot keeps at least 80 % of the figure's width (a legend beside it took half of a phone's)
            assert boxes["plot"]["right"] - boxes["plot"]["left"] >= 0.8 * width - 40, (name, width)


def test_suppressed_bars_show_x_and_nothing_else(drawn):
    boxes, fig = drawn[("bars", "fr", 358)]
    assert [b["text"] for b in boxes["texts"] if b["kind"] == "bartext"].count("x") == 2
    bar = fig.data[0]
    shown = dict(zip(bar.y, bar.text))
    assert shown[SECTORS[-1]] == "x" and shown[SECTORS[-2]] == "x"


MAP_VIEWS = [("16", "54"), ("03", "23"), ("06", None), ("13", "65")]  # Montérégie, Capitale-Nationale, Montréal, Laval
NAMES = """(div) => [...div.querySelectorAll('.scattergeo text, .scattergeolayer text')].filter(e => e.textContent.trim())
  .map(e => { const r = e.getBoundingClientRect(); return {text: e.textContent, left: r.left, right: r.right,
                                                          top: r.top, bottom: r.bottom}; })"""

NOTES = """(div) => [...div.querySelectorAll('.annotation-text, .gtitle, .gtitle-subtitle, g.geo')].map(e => {
  const r = e.getBoundingClientRect();
  return {kind: e.getAttribute('class'), text: e.textContent, left: r.left, right: r.right, top: r.top,
          bottom: r.bottom}; })"""
SVG = """(div) => { const r = div.querySelector('.main-svg').getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; }"""


@pytest.fixture(scope="module")
def maps_drawn(browser):
    """The map of each region in MAP_VIEWS, its MRC highlighted, drawn at a phone's width and at a desktop's."""
    plotly_js = resources.files("plotly").joinpath("package_data/plotly.min.js").read_text(encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_content(f"<html><body style='margin:0'><div id='chart'></div><script>{plotly_js}</script></body></html>")
    frame = areas.area_values(_map_cubes(), Filters(2024), "jobs_total", "fr")
    out = {}
    try:
        for region, mrc in MAP_VIEWS:
            fig = maps.choropleth(frame, "jobs_total", "fr", "Emplois (total) pour 1 000 habitants — par MRC, 2024", SOURCE,
                                  region=region, highlight=mrc)
            spec = json.loads(fig.to_json())
            for width in WIDTHS:
                page.evaluate("([data, layout]) => Plotly.newPlot('chart', data, layout)",
                              [spec["data"], {**spec["layout"], "width": width}])
                chart = page.query_selector("#chart")
                out[(region, mrc, width)] = (page.evaluate(NAMES, chart), page.evaluate(SVG, chart), fig,
                                             page.evaluate(NOTES, chart))
    finally:
        page.close()
    return out


def _map_cubes() -> pd.DataFrame:
    """Every MRC published, with made-up jobs."""
    mrcs = reference.mrcs()
    return cube([cube_row(2024, "mrc", m.code, m.usual_name, region=m.region_code, population=50_000,
                          jobs_total=float(500 + 37 * i % 900)) for i, m in enumerate(mrcs.itertuples())])


def test_map_names_never_overlap_and_stay_inside(maps_drawn):
    for (region, mrc, width), (names, svg, _, notes) in maps_drawn.items():
        assert names, (region, width)
        assert notes  # the source line and the titles, whole inside the figure; the map under the titles
        titles = [b for b in notes if b["kind"] in ("gtitle", "gtitle-subtitle")]
        drawn = [b for b in notes if b["kind"] == "geo geo"]
        assert len(titles) == 2 and len(drawn) == 1
        assert drawn[0]["top"] >= max(t["bottom"] for t in titles) - 1, (region, width)
        for box in notes:
            assert svg["left"] - 1 <= box["left"] and box["right"] <= svg["right"] + 1, (region, width, box)
            assert svg["top"] - 1 <= box["top"] and box["bottom"] <= svg["bottom"] + 1, (region, width, box)
        for box in names:
            assert svg["left"] - 1 <= box["left"] and box["right"] <= svg["right"] + 1, (region, width, box)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert not _overlap(a, b), (region, width, a["text"], b["text"])


def test_map_names_the_chosen_mrc_and_every_mrc_on_hover(maps_drawn):
    mrcs = reference.mrcs()
    for (region, mrc, width), (names, _, fig, _) in maps_drawn.items():
        written = " ".join(box["text"] for box in names)
        if mrc:
            first = mrcs.set_index("code").loc[mrc, "usual_name"].split()[0].split("-")[0]
            assert first in written, (region, mrc, written)
        hover = {str(row[0]) for trace in fig.data if trace.type == "choropleth" and trace.customdata is not None
                 for row in trace.customdata}
        in_region = mrcs.loc[mrcs["region_code"] == region, "usual_name"]
        assert all(any(name in h for h in hover) for name in in_region), region
    # Montérégie's fifteen MRCs do not all fit a phone: some are left to the hover, and more fit a wider map
    phone, wide = maps_drawn[("16", "54", 358)][0], maps_drawn[("16", "54", 1200)][0]
    assert 3 <= len(phone) < 15 and len(wide) >= len(phone)


def test_a_matrix_keeps_the_width_and_its_colour_bar_sits_above_it(drawn, browser):
    for lang in ("fr", "en"):
        boxes, fig = drawn[("matrix", lang, 358)]
        # the matrix reaches the right edge (its colour bar no longer takes a third of the width)
        assert boxes["svg"]["right"] - boxes["plot"]["right"] <= 40
        names = [b for b in boxes["texts"] if b["kind"] == "ytick"]
        assert len(names) == len(SECTORS) and all(len(b["text"]) <= charts.MATRIX_NAME_WIDTH for b in names)
        assert all(b["left"] >= boxes["svg"]["left"] - 1 for b in names)  # not cut at the left edge
        cut = [n for n in fig.data[0].y if n.endswith("…")]
        assert cut and all(any(row[0][0].startswith(n[:-1]) for row in fig.data[0].customdata) for n in cut)
