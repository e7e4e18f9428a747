"""Confidentiality walk: every page, for many filters, in both languages, on a data set made of small groups
(conftest.small_groups_db); every number a reader can get — table cells (the numbers sent to the browser and the
text shown), headline cards, every chart's data, labels and hover texts, the CSV and Excel downloads — is collected
and compared with the values of the *primary-sensitive* cells of the unprotected (admin) cube: cells of fewer than
`min_count` enterprises (all their values) and cells where one enterprise holds more than `dominance_share` of a
value (that value and what is derived from it), plus what would give them back through the pages' own arithmetic
(a sector's share of its territory's total, a value indexed to another year).

The walk must be able to fail: the same walk over pages fed the unprotected cube finds leaks through every kind
of output (test_the_walk_finds_leaks_in_unprotected_pages), and the collector catches a chart whose labels say
more than its bars (test_a_chart_label_that_says_more_than_its_bar_is_caught).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from test_pages import display_values, download, start, tour

from ess_impact import formatting, labels, reference
from ess_impact.labels import INDICATORS
from ess_impact.output import charts
from ess_impact.publish import indicators
from ess_impact.store import db

# Charts draw values in the unit their axis names (k$, M$, G$, %): a chart number v stands for v × that divisor.
AXIS_UNITS = {"k$": 1e3, "M$": 1e6, "G$": 1e9, "$K": 1e3, "$M": 1e6, "$B": 1e9, "$": 1.0, "%": 0.01,
              "milliers de $": 1e3, "thousands of $": 1e3}
EXACT = 1e-9  # relative: a number sent as data is the value itself
MONEY = {k for k, i in INDICATORS.items() if i.unit == "money"}
RATIO = {k for k, i in INDICATORS.items() if i.unit == "ratio"}


def unit_class(key: str | None) -> str | None:
    if key is None:
        return None
    return "money" if key in MONEY else "ratio" if key in RATIO else "plain"


def plotly_array(value) -> np.ndarray:
    """A plotly JSON array: a list, or a typed array {"dtype", "bdata" (base64), "shape"}."""
    import base64

    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            data = data.reshape([int(s) for s in str(shape).split(",")])
        return data
    return np.asarray(value, dtype=object)


# ------------------------------------------------------------------------------------ what must not be shown
@dataclass
class Values:
    """Numbers with where they come from, searchable by value (and by key or unit class)."""
    value: np.ndarray
    key: np.ndarray
    origin: list[str]

    @classmethod
    def of(cls, rows: list[tuple[float, str, str]]) -> Values:
        rows = sorted(rows)
        return cls(np.array([r[0] for r in rows], dtype=float), np.array([r[1] for r in rows], dtype=object),
                   [r[2] for r in rows])

    def near(self, value: float, tolerance: float, keys: set[str] | None = None) -> list[int]:
        """Positions of the values within `tolerance` of `value` (of one of `keys`, when given)."""
        lo = np.searchsorted(self.value, value - tolerance, side="left")
        hi = np.searchsorted(self.value, value + tolerance, side="right")
        return [i for i in range(lo, hi) if keys is None or self.key[i] in keys]


def trivial(value: float) -> bool:
    """Values that every table shows legitimately somewhere, whatever the data: 0, tiny counts (1 enterprise, 2
    jobs… also ranks and row counts), 1 (a share of 100 %) and 100 (any value indexed to its own base year).
    Comparing them would only find coincidences; a confidential cell is protected here by its other values."""
    return value == 0 or value == 100 or (float(value).is_integer() and abs(value) <= 10)


def sensitive_cells(cube: pd.DataFrame, rules) -> pd.DataFrame:
    """year, cell, key, value, rule of every primary-sensitive value of an (unprotected) cube."""
    n = cube["enterprises"].to_numpy(dtype=float)
    few = (n > 0) & (n < rules.min_count)
    dominated = {}
    for key in indicators.PROTECTED:
        value, top = cube[key].to_numpy(dtype=float), cube[f"{key}__max"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            dominated[key] = (value > 0) & (top > rules.dominance_share * value * (1 + 1e-12))
    parts = []
    for key in indicators.VALUES:
        inputs = indicators.DERIVED.get(key, (key,))
        by_share = np.logical_or.reduce([dominated.get(i, np.zeros(len(cube), bool)) for i in inputs])
        mask = (few | by_share) & cube[key].notna().to_numpy()
        parts.append(pd.DataFrame({"year": cube.loc[mask, "year"], "cell": cube.loc[mask, "cell"], "key": key,
                                   "value": cube.loc[mask, key].astype(float),
                                   "rule": np.where(few[mask], "count", "dominance")}))
    return pd.concat(parts, ignore_index=True)


def simple_fraction(numerator: float, denominator: float) -> bool:
    """A ratio of two whole numbers with a small reduced denominator (9 jobs of 20: 45 %): such ratios are shown
    legitimately all the time (any 9 of 20, 18 of 40); comparing them would only find coincidences."""
    if not (float(numerator).is_integer() and float(denominator).is_integer()):
        return False
    a, b = int(numerator), int(denominator)
    return b // math.gcd(a, b) < 1_000


def derived_sensitive(cube: pd.DataFrame, sensitive: pd.DataFrame) -> list[tuple[float, str, str]]:
    """What gives a sensitive value back through the pages' arithmetic: its share of the territory's total (a
    sector or legal form in its MRC/region), and the value indexed to another year of the same cell (and the
    other way round)."""
    out = []
    by_cell = cube.set_index(["year", "cell"])
    flagged = set(zip(sensitive["year"], sensitive["cell"], sensitive["key"]))
    for (year, cell, key) in sorted(flagged):
        value = float(by_cell.at[(year, cell), key])
        geo, category = cell.split("|")
        if category != "all:ALL" and (year, f"{geo}|all:ALL") in by_cell.index:
            total = float(by_cell.at[(year, f"{geo}|all:ALL"), key])
            if total and not simple_fraction(value, total):
                out.append((value / total, "share", f"share of {cell} in {geo} ({key}, {year})"))
        for other in cube["year"].unique():
            if other != year and (other, cell) in by_cell.index:
                base = float(by_cell.at[(other, cell), key])
                if base and value and not simple_fraction(value, base):
                    out.append((value / base * 100, "index", f"{cell} {key} {year} indexed to {other}"))
                    out.append((base / value * 100, "index", f"{cell} {key} {other} indexed to {year}"))
    return out


@dataclass
class Secrets:
    sensitive: Values       # primary-sensitive values (keyed by indicator)
    derived: Values         # shares and indices that give them back
    published: Values       # what the public cube and the reference data show legitimately
    cells: pd.DataFrame


@pytest.fixture(scope="module")
def secrets(small_groups_db) -> Secrets:
    with db.connect(small_groups_db) as con:
        cube = indicators.cube(con, None)
        rules = indicators.settings(con).rules
        public = indicators.public_cube(con, None)
        settings = indicators.settings(con)
        rates = indicators.volunteer_rates(con)
    cells = sensitive_cells(cube, rules)
    sensitive = [(v, k, f"{c} {k} {y} ({r})") for y, c, k, v, r in cells.itertuples(index=False)
                 if not trivial(v)]
    derived = [row for row in derived_sensitive(cube, cells) if not trivial(row[0])]
    # A number shown legitimately elsewhere (a published cell that happens to have the same value, a population,
    # a year, a setting) says nothing about a confidential cell: such coincidences are not leaks.
    published = [(float(v), k, "published") for k in indicators.VALUES for v in public[k].dropna()]
    published += [(float(p), "population", "population") for p in
                  pd.concat([reference.mrcs()["population"], reference.regions()["population"]])]
    published += [(float(y), "year", "year") for y in cube["year"].unique()]
    published += [(settings.fte_basis_hours, "setting", "fte basis")] + \
        [(float(r), "rate", "rate") for r in rates["rate"]]
    return Secrets(Values.of(sensitive), Values.of(derived), Values.of(published), cells)


# ----------------------------------------------------------------------------------- what the pages show
@dataclass
class Shown:
    value: float
    tolerance: float        # absolute: how far the true value may be from `value`
    channel: str            # table, table text, card, chart, chart text, csv, xlsx
    where: str
    key: str | None = None  # the indicator, when the output says
    unit: str | None = None  # money | ratio | plain, when only the text's format says
    divisor: float = 1.0    # a chart's number stands for value ÷ divisor (its axis unit)


@dataclass
class Collected:
    shown: list[Shown] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)  # a text that says more than the data it labels
    unparsed: list[str] = field(default_factory=list)


_S = "[\u00a0\u202f ]"
TEXT_FORMATS = {
    "fr": re.compile(rf"^(?P<int>\d{{1,3}}(?:{_S}\d{{3}})+|\d+)(?:,(?P<dec>\d+))?(?:{_S}?(?P<mult>k|M|G))?"
                     rf"(?:{_S}?(?P<unit>\$|%))?$"),
    "en": re.compile(r"^(?P<cur>\$)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<mult>K|M|B)?(?P<unit>%)?$"),
}
MULTIPLIERS = {None: 1.0, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "B": 1e9}
RANK = re.compile(r"^\d+ (?:sur|of) \d+$")
NO_NUMBER = {formatting.SUPPRESSED, formatting.MISSING, ""}


def _strings(value, into: set) -> None:
    """Every string inside a JSON value, and the parts of HTML-ish hover texts."""
    if isinstance(value, str):
        into.add(value)
        into.update(part.strip() for part in re.split(r"<br>|:|\(|\)", value))
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, into)
    elif isinstance(value, list):
        for v in value:
            _strings(v, into)


def parse(text: str, lang: str) -> tuple[float, float, str] | None:
    """A formatted number → (value, half a unit of its last digit, unit class); None if it is not one."""
    match = TEXT_FORMATS[lang].match(text.strip())
    if not match:
        return None
    digits = re.sub(r"\D", "", match["int"])
    decimals = match["dec"] or ""
    scale = MULTIPLIERS[match["mult"]]
    value = float(f"{digits}.{decimals}" if decimals else digits) * scale
    tolerance = 0.5 * 10 ** -len(decimals) * scale
    unit = "ratio" if match["unit"] == "%" else "money" if "$" in text else "plain"
    if unit == "ratio":
        value, tolerance = value / 100, tolerance / 100
    return value, tolerance + 1e-9 * abs(value), unit


def _numbers(values) -> list[tuple[int, float]]:
    out = []
    for i, v in enumerate(np.asarray(values, dtype=object).ravel()):
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and np.isfinite(v):
            out.append((i, float(v)))
    return out


def axis_divisor(title) -> float:
    """'Revenus totaux (M$)' → 1e6; a title without a unit → 1."""
    found = re.search(r"\(([^()]*)\)$", str(title or "").strip())
    return AXIS_UNITS.get(found.group(1), 1.0) if found else 1.0


def _title(part: dict | None) -> str:
    title = (part or {}).get("title", {})
    return title.get("text", "") if isinstance(title, dict) else str(title or "")


def _text_piece(text, lang: str, raw: float | None, where: str, got: Collected, key: str | None = None,
                divisor: float = 1.0) -> None:
    """A label drawn next to a data value (raw, or None when it labels nothing the data carry): if it agrees with
    its data value, the data value (compared exactly) covers it; a number that its data do not carry is compared
    with a tolerance, and a number over a hidden or different value is a disagreement."""
    text = str(text).strip()
    if text in NO_NUMBER:
        return
    parsed = parse(text, lang)
    if parsed is None:
        got.unparsed.append(f"{where}: {text!r}")
        return
    value, tolerance, unit = parsed
    if raw is None:
        got.shown.append(Shown(value, tolerance, "chart text", where, key, unit))
        return
    if abs(raw * divisor - value) <= tolerance:
        return
    got.disagreements.append(f"{where}: label “{text}” over the value {raw!r}")


def _float(value) -> float:
    return float(value) if value is not None else np.nan


def collect_figure(spec: dict, lang: str, where: str, got: Collected) -> None:
    """Every number of a plotly figure: the data of each trace, its labels and hover texts, reference lines."""
    layout = spec.get("layout", {})
    index_axis = re.escape(labels.t("index_axis", lang, year="YEAR")).replace("YEAR", r"\d{4}")
    indexed = re.fullmatch(index_axis, _title(layout.get("yaxis"))) is not None
    x_divisor, y_divisor = axis_divisor(_title(layout.get("xaxis"))), axis_divisor(_title(layout.get("yaxis")))
    for t, trace in enumerate(spec["data"]):
        here = f"{where} trace {t} ({trace.get('type')}, {trace.get('name', '')})"
        kind = trace.get("type")
        divisors = {"x": x_divisor, "y": 1.0 if indexed else y_divisor,
                    "z": axis_divisor(_title(trace.get("colorbar"))), "marker.color": 1.0}
        arrays = {name: plotly_array(trace[name]) for name in ("x", "y", "z") if name in trace}
        marker_colour = trace.get("marker", {}).get("color")
        if isinstance(marker_colour, (list, dict)):
            arrays["marker.color"] = plotly_array(marker_colour)
        for name, array in arrays.items():
            if kind == "choropleth":
                continue  # the map: its colours are taken below, only where its hover says a number
            if kind == "scatter" and name == "x" and trace.get("mode") == "lines+markers":
                continue  # years
            if kind == "bar" and name == ("y" if trace.get("orientation") == "h" else "x"):
                continue  # category names
            for _, v in _numbers(array):
                got.shown.append(Shown(v, 0.0, "chart", f"{here} {name}", divisor=divisors[name]))
        if kind == "bar":
            axis = "x" if trace.get("orientation") == "h" else "y"
            for label in ("text", "customdata"):
                texts = np.asarray(trace.get(label, []), dtype=object)
                if texts.ndim == 2:  # customdata [full name, text]: the text
                    texts = texts[:, -1]
                for i, text in enumerate(texts.ravel()):
                    _text_piece(text, lang, _float(arrays[axis][i]), f"{here} {label}[{i}]", got,
                                divisor=divisors[axis])
        elif kind == "heatmap":
            z = np.asarray(arrays["z"], dtype=object)
            custom = np.asarray(trace.get("customdata", []), dtype=object)
            pieces = [("text", np.asarray(trace.get("text", []), dtype=object), True)]
            if custom.ndim == 3:  # shares (charts.share_heatmap): [sector, territory, share text, value text]
                pieces += [("share", custom[..., 2], True), ("value", custom[..., 3], False)]
            else:
                pieces.append(("customdata", custom, True))
            for label, texts, over_z in pieces:
                for (i, j), text in np.ndenumerate(texts):
                    _text_piece(text, lang, _float(z[i][j]) if over_z else None, f"{here} {label}[{i},{j}]", got,
                                divisor=divisors["z"])
        elif kind == "choropleth":  # the MRC map: [name, value text, rate text]; the colour is the rate
            z = plotly_array(trace["z"]) if "z" in trace else []
            for i, (_name, value_text, rate_text) in enumerate(trace.get("customdata", [])):
                _text_piece(value_text, lang, None, f"{here} value[{i}]", got)
                if str(rate_text).strip() not in NO_NUMBER:
                    got.shown.append(Shown(float(z[i]), 0.0, "chart", f"{here} z[{i}]", divisor=divisors["z"]))
                    _text_piece(rate_text, lang, float(z[i]), f"{here} rate[{i}]", got, divisor=divisors["z"])
        elif kind == "scattergeo":
            pass  # the map's names and the region's outline: no figures
        elif kind == "scatter" and trace.get("mode") == "lines+markers":
            y = arrays["y"]
            for i, text in enumerate(trace.get("customdata", [])):
                index, _, value = str(text).partition(" (")
                if value:  # indexed: "105,3 (1,2 M$)": the index is the point, the value is only said
                    _text_piece(index, lang, _float(y[i]), f"{here} index[{i}]", got)
                    _text_piece(value.rstrip(")"), lang, None, f"{here} value[{i}]", got)
                elif indexed:  # no index (its base year is hidden): the value alone, said
                    _text_piece(text, lang, None, f"{here} value[{i}]", got)
                else:
                    _text_piece(text, lang, _float(y[i]), f"{here} customdata[{i}]", got, divisor=divisors["y"])
        elif kind == "scatter" and trace.get("mode") == "markers":  # the map: name, size text, colour text
            colours = arrays.get("marker.color")
            for i, (_name, size_text, colour_text) in enumerate(trace.get("customdata", [])):
                _text_piece(size_text, lang, None, f"{here} size[{i}]", got)
                _text_piece(colour_text, lang, float(colours[i]) if colours is not None else None,
                            f"{here} colour[{i}]", got)
        else:
            raise AssertionError(f"{here}: the walk does not know this kind of chart; teach it (collect_figure)")
    for s, shape in enumerate(layout.get("shapes", [])):  # reference lines (vertical, on the value axis)
        for name in ("x0", "x1"):
            if isinstance(shape.get(name), (int, float)) and shape.get("xref", "x") == "x":
                got.shown.append(Shown(float(shape[name]), 0.0, "chart", f"{where} line {s}", divisor=x_divisor))
    for a, note in enumerate(layout.get("annotations", [])):
        name, sep, said = str(note.get("text", "")).rpartition(" : ")
        if sep and parse(said, lang):  # a reference line: "Montérégie : 12,3"
            _text_piece(said, lang, None, f"{where} annotation {a} ({name})", got)


def collect_page(at, lang: str, where: str, captured: dict, got: Collected) -> None:
    labels_to_keys = {i.label(lang): k for k, i in INDICATORS.items()}
    # Cards: their value. Their change (+2,7 %, and at constant sample) is a ratio of two published values, or of
    # two constant-sample values guarded against revealing the enterprises outside the sample (tested in
    # test_indicators); it is not a cell's value, so it is not compared here.
    for m in at.metric:
        value = str(m.value)
        if value in NO_NUMBER or RANK.match(value):
            continue  # 'x', or a rank ("3 sur 12"): a position among published values, not a value
        parsed = parse(value, lang)
        if parsed is None:
            got.unparsed.append(f"{where} card {m.label}: {value!r}")
            continue
        got.shown.append(Shown(parsed[0], parsed[1], "card", f"{where} card {m.label}",
                               labels_to_keys.get(m.label), parsed[2]))
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        collect_figure(spec, lang, f"{where} chart {spec['layout'].get('title', {}).get('text', '')!r}", got)
    # The charts' text alternatives (tables under the charts) may only repeat texts their charts show, which are
    # attacked above: every number in them must be one of the charts' own texts.
    chart_texts = set()
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        _strings({"data": spec["data"], "annotations": spec["layout"].get("annotations")}, chart_texts)
    for t_index, text_table in enumerate(at.table):
        frame = text_table.value  # its index: the chart's categories (names, years)
        for column in frame.columns:
            for i, text in enumerate(frame[column]):
                if parse(str(text), lang) and str(text) not in chart_texts:
                    got.unparsed.append(f"{where} chart table {t_index} [{column}] row {i}: {text!r} is not a text "
                                        "of the page's charts")
    buttons = iter(at.download_button)  # two under each published table, in order
    for f, frame in enumerate(at.dataframe):
        raw, shown = frame.value, display_values(frame)
        here = f"{where} table {f}"
        numeric = [c for c in raw.columns if pd.api.types.is_numeric_dtype(raw[c])]
        for column in numeric:
            for i, v in _numbers(raw[column].to_numpy()):
                got.shown.append(Shown(v, 0.0, "table", f"{here} [{column}] row {i}",
                                       labels_to_keys.get(column)))
            if shown is not None:
                for i, (v, text) in enumerate(zip(raw[column], shown[column])):
                    _text_piece(text, lang, float(v), f"{here} text [{column}] row {i}", got)
        if shown is None:  # a table of texts (Méthodologie): every cell that is a number
            for column in raw.columns:
                if column in numeric:
                    continue
                for i, text in enumerate(raw[column]):
                    parsed = parse(str(text), lang)
                    if parsed:
                        got.shown.append(Shown(parsed[0], parsed[1], "table text", f"{here} [{column}] row {i}",
                                               None, parsed[2]))
            continue
        # The two downloads that follow the table.
        csv_button, xlsx_button = next(buttons), next(buttons)
        _, data = download(csv_button, captured)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";" if lang == "fr" else ","))
        header = rows[1]
        for r, row in enumerate(rows[2:2 + len(raw)]):
            for column, cell in zip(header, row):
                if column in numeric and cell not in NO_NUMBER:
                    number = float(cell.replace(",", ".")) if lang == "fr" else float(cell)
                    tolerance = 0.0 if "," not in cell and "." not in cell else 0.5e-4
                    got.shown.append(Shown(number, tolerance + EXACT * abs(number), "csv",
                                           f"{here} csv [{column}] row {r}", labels_to_keys.get(column)))
        from openpyxl import load_workbook

        _, data = download(xlsx_button, captured)
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        for row in sheet.iter_rows(min_row=4, max_row=3 + len(raw)):
            for cell in row:
                column = sheet.cell(row=3, column=cell.column).value
                if column in numeric and isinstance(cell.value, (int, float)):
                    got.shown.append(Shown(float(cell.value), 0.0, "xlsx", f"{here} xlsx {cell.coordinate}",
                                           labels_to_keys.get(column)))


# ------------------------------------------------------------------------------------------- comparison
def leaks(got: Collected, secrets: Secrets) -> list[str]:
    """Every shown number equal to a sensitive value (exactly for numbers sent as data, within the rounding of
    the text otherwise) that no published value explains."""
    found = []
    for item in got.shown:
        if item.tolerance == 0.0:  # a number as data: the value itself (or the value in its axis unit)
            candidate = item.value * item.divisor
            tolerance = EXACT * max(abs(candidate), 1.0)
            if secrets.published.near(candidate, tolerance):
                continue
            for values, what in ((secrets.sensitive, "sensitive"), (secrets.derived, "derived")):
                for i in values.near(candidate, tolerance):
                    found.append(f"{item.channel}: {item.where} = {item.value!r} is {what} "
                                 f"{values.origin[i]} = {values.value[i]!r}")
            continue
        # A rounded number: only the values of its indicator (cards, downloads) or of its unit (chart labels).
        if item.key is not None and item.key in INDICATORS:
            keys = {item.key}
        else:
            unit = item.unit or unit_class(item.key)
            keys = {k for k in INDICATORS if unit_class(k) == unit} if unit else None
        if secrets.published.near(item.value, item.tolerance, keys | {"population", "year", "setting", "rate"}
                                  if keys else None):
            continue
        for i in secrets.sensitive.near(item.value, item.tolerance, keys):
            found.append(f"{item.channel}: {item.where} = {item.value!r} (±{item.tolerance:g}) is sensitive "
                         f"{secrets.sensitive.origin[i]} = {secrets.sensitive.value[i]!r}")
    return found


# ------------------------------------------------------------------------------------------------ the walk
ALL_SECTORS = ["SAN", "HAB", "EDU", "COM", "ENV", "ART", "LOI", "AGR"]
SMALL_MRCS = ["mrc:54", "mrc:53", "mrc:55", "mrc:66", "mrc:39", "mrc:65"]
WALK = {  # the link each visit starts from; every page is then visited with these filters
    "quebec": {"ind": "jobs_total", "comparer": SMALL_MRCS, "secteurs": ALL_SECTORS},
    "region": {"region": "16", "ind": "revenue_total",
               "comparer": ["region:16", "region:06", "region:17", "region:13", "mrc:57", "mrc:49"]},
    "mrc_many_sectors": {"region": "16", "mrc": "54", "ind": "volunteer_hours", "secteurs": ALL_SECTORS,
                         "comparer": ["mrc:54", "region:16"], "base": "2023"},
    "mrc_dominated": {"region": "16", "mrc": "53", "ind": "revenue_total", "comparer": ["mrc:53", "mrc:54"]},
    "mrc_of_two": {"region": "16", "mrc": "55", "ind": "fte", "comparer": ["mrc:55", "mrc:54", "region:16"]},
    "mrc_hours_dominated": {"region": "17", "mrc": "39", "ind": "volunteer_value",
                            "comparer": ["mrc:39", "mrc:49", "region:17"]},
    "mrc_of_one": {"region": "13", "mrc": "65", "ind": "members", "comparer": ["mrc:65", "region:13"]},
    "earlier_year": {"region": "06", "mrc": "66", "annee": "2023", "ind": "payroll",
                     "comparer": ["mrc:66", "region:06"]},
    "sector": {"secteur": "SAN", "ind": "volunteers", "comparer": SMALL_MRCS[:3]},
    "legal_form": {"forme": "COOP", "region": "16", "ind": "enterprises", "comparer": SMALL_MRCS[3:]},
    "sector_in_mrc": {"secteur": "COM", "region": "16", "mrc": "53", "ind": "revenue_total"},
    "rare_form": {"forme": "MUT", "ind": "revenue_total", "region": "16", "mrc": "54"},
    "first_year_only": {"region": "16", "mrc": "57", "annee": "2022", "ind": "jobs_total",
                        "comparer": ["mrc:57", "region:16"], "base": "2022"},
    "first_year": {"annee": "2022", "ind": "revenue_total", "comparer": SMALL_MRCS, "base": "2024"},
}


def walk(names, lang: str, captured: dict) -> Collected:
    got = Collected()
    for name in names:
        at = start(WALK[name], lang)
        for page in tour(at):
            collect_page(at, lang, f"[{lang} {name} {page}]", captured, got)
    return got


@pytest.mark.slow  # over 5 s: not in `make check`
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_shows_a_confidential_value(monkeypatch, downloads, small_groups_db, secrets, lang):
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_groups_db))
    # The data set holds what the walk is about: cells below the count and cells with a dominant enterprise.
    rules = set(secrets.cells["rule"])
    assert rules == {"count", "dominance"}, rules
    assert len(secrets.sensitive.value) > 100 and len(secrets.derived.value) > 100

    got = walk(WALK, lang, downloads)
    channels = {s.channel for s in got.shown}
    assert channels >= {"table", "card", "chart", "chart text", "csv", "xlsx"}, channels
    assert len(got.shown) > 2_000, len(got.shown)
    assert not got.unparsed, got.unparsed[:20]
    found = leaks(got, secrets)
    assert not got.disagreements, got.disagreements[:20]
    assert not found, f"{len(found)} confidential values shown:\n" + "\n".join(found[:40])


def _unprotected(version):
    with db.connect(version[0]) as con:
        cube = indicators.cube(con, None)
    return cube.drop(columns=[c for c in cube if c.endswith(("__max", "_base"))]).assign(suppressed="")


def _unprotected_panel(version, year_from, year_to):
    with db.connect(version[0]) as con:
        cube = pd.concat([indicators.cube(con, y, (year_from, year_to)) for y in (year_from, year_to)],
                         ignore_index=True)
    return cube.drop(columns=[c for c in cube if c.endswith(("__max", "_base"))]).assign(suppressed="")


@pytest.mark.slow  # over 5 s: not in `make check`
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_walk_finds_leaks_in_unprotected_pages(monkeypatch, downloads, small_groups_db, secrets, lang):
    """The same walk over pages fed the admin cube instead of the protected one: it must find the confidential
    values, through every kind of output."""
    from ess_impact.web import ui

    monkeypatch.setenv("ESS_IMPACT_DB", str(small_groups_db))
    version = (str(small_groups_db), 0)
    raw = _unprotected(version)
    panels = {}

    def raw_panel(year_from, year_to):
        if (year_from, year_to) not in panels:
            panels[(year_from, year_to)] = _unprotected_panel(version, year_from, year_to)
        return panels[(year_from, year_to)]

    # the pages read the published snapshot through these two: fed the admin cube instead
    monkeypatch.setattr(ui, "public_cubes", lambda: raw)
    monkeypatch.setattr(ui, "panel_cubes", raw_panel)
    got = walk(["quebec", "mrc_dominated", "mrc_of_one", "legal_form"], lang, downloads)
    assert not got.unparsed, got.unparsed[:20]
    found = leaks(got, secrets)
    by_channel = {channel: [f for f in found if f.startswith(channel + ":")] for channel in
                  ("table", "card", "chart", "chart text", "csv", "xlsx")}
    assert all(by_channel.values()), {c: len(f) for c, f in by_channel.items()}
    assert any("(count)" in f for f in found) and any("(dominance)" in f for f in found)
    assert any(" is derived share " in f for f in found) and any(" is derived " in f and "indexed" in f
                                                                   for f in found)


def test_a_chart_label_that_says_more_than_its_bar_is_caught(secrets):
    """A bar hidden (drawn as nothing) but labelled with its value: the collector reports the disagreement."""
    values, hidden = [1_234_567.0, 2_345_678.0], [False, True]
    fig = charts.bars(["A", "B"], values, "revenue_total", "fr", "Revenus — test, 2024", "Source : test.",
                      hidden=hidden)
    spec = json.loads(fig.to_json())
    got = Collected()
    collect_figure(spec, "fr", "clean", got)
    assert not got.disagreements and not got.unparsed
    leaky = charts.texts("revenue_total", values, None, "fr")  # labels made without the mask
    spec["data"][0]["text"] = leaky[::-1] if spec["data"][0]["y"][0] == "B" else leaky
    collect_figure(spec, "fr", "leaky", got)
    assert got.disagreements == ["leaky trace 0 (bar, ) text[0]: label “2,3\u00a0M$” over the value 0.0"], \
        got.disagreements
