"""Plotly figure builders shared by the dashboard and the reports.

Made for a projector: a title that says what, where and when; large type; colour-blind-safe colours (Okabe–Ito
for categories, cividis for scales); Québec number formats on axes and hover labels; a source line; no chart junk.
Suppressed values are drawn as nothing, labelled "x", and their hover text is "x": a chart never shows more than
the table next to it.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ess_impact import formatting
from ess_impact.labels import INDICATORS, t

# Okabe & Ito (2008), the colour-blind-safe qualitative palette; blue first.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
SCALE = "cividis"
HIGHLIGHT = "#D55E00"
MUTED = "#9AA5B1"
SOURCE_WIDTH = 42   # characters of the source line per line: 12 px type fits beside a y axis in a phone's 358 px
TITLE_WIDTH = 32    # characters of a chart's title (19 px) per line, and of its subtitle (15 px): a phone's width
SUBTITLE_WIDTH = 42
LEGEND_TOP = 76     # px from a figure's top edge to its legend, under the title and subtitle
LEGEND_ROWS = 3     # rows of legend kept under a chart's title (a phone wraps three or four series on three rows)
MATRIX_NAME_WIDTH = 16  # characters of a matrix's row names (sectors) beside it
NAME_WIDTH = 38    # characters of a bar's name written over it on a screen (14 px type, a phone's width)
NAMED_ROW = 48     # px per bar when its name is written over it
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=15, color="#1F2933")


def _scale(values, key: str, lang: str) -> tuple[float, str]:
    """Divisor and unit for an axis: money in k$/M$/G$ ($K/$M/$B), other units as they are."""
    unit = INDICATORS[key].unit if key in INDICATORS else "count"
    finite = [abs(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    top = max(finite) if finite else 0
    if unit == "money":
        for divisor, fr, en in ((1e9, "G$", "$B"), (1e6, "M$", "$M"), (1e3, "milliers de $", "thousands of $")):
            if top >= divisor:
                return divisor, en if lang == "en" else fr
        return 1.0, "$"
    if unit == "ratio":
        return 0.01, "%"
    return 1.0, ""


def axis_title(key: str, values, lang: str) -> tuple[float, str]:
    divisor, unit = _scale(values, key, lang)
    label = INDICATORS[key].label(lang) if key in INDICATORS else t(key, lang)
    return divisor, f"{label} ({unit})" if unit else label


def texts(key: str, values, hidden, lang: str, compact: bool = True) -> list[str]:
    """Each value as the reader sees it ('x' when suppressed)."""
    hidden = np.zeros(len(values), dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    return [formatting.SUPPRESSED if h else formatting.indicator(key, v, lang, compact=compact)
            for v, h in zip(values, hidden)]


def describe(fig: go.Figure, header: list[str], rows: list[list]) -> go.Figure:
    """Attach the chart's text alternative: a table of exactly what it shows (the same texts, "x" where it shows
    nothing), kept in the figure's layout.meta so that every screen shows it next to its chart."""
    fig.update_layout(meta={"alternative": {"header": [str(h) for h in header],
                                            "rows": [[str(c) for c in row] for row in rows]}})
    return fig


def alternative(fig: go.Figure) -> pd.DataFrame | None:
    """The text alternative `describe` attached, as a table (None when the chart has none)."""
    # a plotly figure, or one already turned into its dict (web.ui.figure): read the dict, not a copy of it
    meta = fig.layout.meta if isinstance(fig, go.Figure) else (fig.to_dict().get("layout") or {}).get("meta")
    found = meta.get("alternative") if isinstance(meta, dict) else None
    if not found:
        return None
    header = list(found["header"])
    # repeated or empty headers cannot be DataFrame columns
    header = [h if h and header.index(h) == i else f"{h} ({i})" if h else " " * (i + 1) for i, h in enumerate(header)]
    return pd.DataFrame(found["rows"], columns=header)


def _masked(values, hidden) -> np.ndarray:
    out = np.asarray(values, dtype=float).copy()
    if hidden is not None:
        out[np.asarray(hidden, dtype=bool)] = np.nan
    return out


def source_lines(source: str, width: int = SOURCE_WIDTH) -> str:
    """The source line cut into lines of at most `width` characters, a new line before each " — " part (plotly does
    not wrap text): it stays inside a phone's 358 px chart as well as a projector's width."""
    parts = [part if i == 0 else f"— {part}" for i, part in enumerate(source.split(" — "))]
    return "<br>".join(line for part in parts
                       for line in textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False))


def _wrapped(text: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def finish(fig: go.Figure, title: str, source: str, lang: str, height: int = 460, bottom: int = 70,
           colour_bar: bool = False) -> go.Figure:
    """Common layout: title, then the legend as rows under it (wrapping on a phone instead of taking half its
    width), source line at the bottom edge, Québec separators, white background. `bottom` is the room kept under
    the plot for axis labels and the source line."""
    # "What — where, when": the what on the first line, where and when under it (keeps titles readable on a phone).
    what, _, where = title.partition(" — ")
    # plotly does not wrap titles either: cut to a phone's width, each extra line adding to the top margin
    what, where = (_wrapped(what, TITLE_WIDTH), _wrapped(where, SUBTITLE_WIDTH)) if "<br>" not in what else (what, where)
    above = 24 * what.count("<br>") + 19 * where.count("<br>")
    source = source_lines(source)
    extra = 15 * max(source.count("<br>") - 1, 0)  # source lines beyond the two the bottom margin holds
    legend = sum(1 for trace in fig.data if trace.showlegend is not False and trace.name) > 1
    top = 90 + above + (LEGEND_ROWS * 22 if legend or colour_bar else 0)
    height = height + top - 90 + extra
    fig.update_layout(
        template="plotly_white", font=FONT, colorway=PALETTE, separators=formatting.PLOTLY_SEPARATORS[lang],
        title=dict(text=what, x=0, xanchor="left", font=dict(size=19), y=1, yref="container", yanchor="top",
                   pad=dict(t=10 + 24 * what.count("<br>"), l=2),  # plotly lifts a title of several lines
                   subtitle=dict(text=where, font=dict(size=15, color="#52606D"))), height=height,
        margin=dict(l=10, r=30, t=top, b=bottom + 30 + extra), hoverlabel=dict(font_size=14), showlegend=legend,
        # the legend's rows start under the title and subtitle, at a fixed distance from the figure's top edge
        legend=dict(orientation="h", yref="container", y=1 - (LEGEND_TOP + above) / height, yanchor="top", x=0,
                    xanchor="left", title_text="", font=dict(size=14)),
    )
    if colour_bar:
        # a matrix's colour bar across, where a legend would be (beside the matrix it took a third of a phone's
        # width), its title under its ticks
        fig.update_traces(colorbar=dict(orientation="h", yref="container", y=1 - (LEGEND_TOP + above + 22) / height,
                                        yanchor="top", xref="container", x=0, xanchor="left", xpad=14,
                                        lenmode="pixels", len=240, thickness=12, title_side="bottom",
                                        title_font_size=13, nticks=4))
    # a matrix's names take the left of the figure: its source line ends at the right edge instead
    fig.add_annotation(text=source, xref="paper", yref="paper", x=1 if colour_bar else 0, y=0,
                       yshift=-(bottom - 10), showarrow=False, xanchor="right" if colour_bar else "left",
                       yanchor="top", align="left", font=dict(size=12, color="#52606D"))
    return fig


def bars(names, values, key: str, lang: str, title: str, source: str, hidden=None, highlight=None,
         sort: bool = True, references: dict[str, float] | None = None, shorten: bool = True) -> go.Figure:
    """Horizontal bars, largest on top; `highlight` names one bar drawn in the accent colour; `references` draws
    labelled dashed lines (e.g. the region's and Québec's values). `shorten` (a screen): each name is written above
    its bar, cut to NAME_WIDTH characters ("…") and in full on hover, so the bars keep the whole width of a phone;
    paper has no hover, so reports keep the names whole, on the axis."""
    frame = pd.DataFrame({"name": list(names), "value": _masked(values, hidden)})
    frame["text"] = texts(key, values, hidden, lang)
    frame["label"] = [_shorten(str(n).replace("<br>", " "), NAME_WIDTH) if shorten else str(n) for n in frame["name"]]
    if sort:
        frame = frame.sort_values("value", ascending=True, na_position="first")
    divisor, axis = axis_title(key, frame["value"], lang)
    colours = [HIGHLIGHT if highlight is not None and n == highlight else PALETTE[0] for n in frame["name"]]
    colon = ": " if lang == "en" else " : "
    fig = go.Figure(go.Bar(
        x=frame["value"].fillna(0) / divisor, y=frame["name"] if shorten else frame["label"], orientation="h",
        marker_color=colours, text=frame["text"], textposition="outside", cliponaxis=False,
        customdata=np.stack([frame["name"].str.replace("<br>", " "), frame["text"]], axis=-1),
        hovertemplate=f"%{{customdata[0]}}{colon}%{{customdata[1]}}<extra></extra>"))
    fig.update_xaxes(title_text=axis, tickformat=",~r" if divisor != 0.01 else ",.0f", rangemode="tozero",
                     nticks=5, tickangle=0)
    fig.update_yaxes(title_text="", automargin=True)
    row = NAMED_ROW if shorten else 28
    drawn = [v for v in [*(frame["value"].to_numpy(dtype=float) / divisor),
                         *(v / divisor for v in (references or {}).values() if v is not None)] if not np.isnan(v)]
    limit = max(drawn, default=0.0)
    if shorten:
        # the name over its bar, from the left edge; the bar's value written after it needs a quarter more room
        limit = limit * 1.3 or 1
        fig.update_xaxes(range=[0, limit])
        fig.update_yaxes(showticklabels=False)
        fig.update_traces(width=0.45)
        for name, label in zip(frame["name"], frame["label"]):
            fig.add_annotation(x=0, xref="paper", y=name, yref="y", yshift=row * 0.45 / 2 + 1, xanchor="left",
                               yanchor="bottom", showarrow=False, text=label, hovertext=str(name).replace("<br>", " "),
                               font=dict(size=14))
    for i, (name, value) in enumerate((references or {}).items()):
        if value is None or np.isnan(value):
            continue
        fig.add_vline(x=value / divisor, line_dash="dash", line_width=2, line_color=PALETTE[(i + 1) % len(PALETTE)])
        # over the plot, on the side of its line that has room (a phone's chart is narrow)
        fig.add_annotation(x=value / divisor, y=1, yref="paper", yanchor="bottom", showarrow=False, yshift=4 + 18 * i,
                           xanchor="left" if value / divisor <= limit / 2 else "right",
                           text=f"{name}{colon}{formatting.indicator(key, value, lang, compact=True)}",
                           font=dict(size=13, color=PALETTE[(i + 1) % len(PALETTE)]))
    lines_over = sum(1 for value in (references or {}).values() if value is not None and not np.isnan(value))
    # 190 px of margins (finish) around the rows; each name over its bar needs its row to be exactly `row` px
    height = 200 + row * len(frame) if shorten else max(300, 120 + row * len(frame))
    shown = frame.iloc[::-1]  # largest first, as read from the top
    extra = [[name, formatting.indicator(key, value, lang, compact=True)] for name, value in (references or {}).items()
             if value is not None and not np.isnan(value)]
    describe(fig, [t("name", lang), _label(key, lang)],
             [[n.replace("<br>", " "), v] for n, v in zip(shown["name"].astype(str), shown["text"])] + extra)
    finish(fig, title, source, lang, height)
    if lines_over:  # the reference lines' labels between the subtitle (or legend) and the plot
        fig.update_layout(height=fig.layout.height + 20 * lines_over, margin_t=fig.layout.margin.t + 20 * lines_over)
    return fig


def grouped(categories, series: dict[str, tuple], key: str, lang: str, title: str, source: str) -> go.Figure:
    """Vertical bars grouped by category, one colour per series; series values are (values, hidden)."""
    all_values = [v for values, hidden in series.values() for v in _masked(values, hidden)]
    divisor, axis = axis_title(key, all_values, lang)
    fig = go.Figure()
    for i, (name, (values, hidden)) in enumerate(series.items()):
        shown = _masked(values, hidden)
        text = texts(key, values, hidden, lang)
        fig.add_bar(x=list(categories), y=np.nan_to_num(shown) / divisor, name=name, marker_color=PALETTE[i % len(PALETTE)],
                    text=text, textposition="outside", cliponaxis=False, customdata=text,
                    hovertemplate=f"{name}<br>%{{x}} : %{{customdata}}<extra></extra>")
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=axis, tickformat=",~r", rangemode="tozero")
    columns = [texts(key, values, hidden, lang) for values, hidden in series.values()]
    describe(fig, ["", *series], [[str(c), *(col[i] for col in columns)] for i, c in enumerate(categories)])
    return finish(fig, title, source, lang)


def lines(frame: pd.DataFrame, key: str, lang: str, title: str, source: str, value_label: str | None = None,
          index_base: int | None = None) -> go.Figure:
    """Trend lines. `frame`: series, year, value, hidden. With `index_base`, values are indexed (base year = 100)
    and the hover shows both the index and the value."""
    fig = go.Figure()
    shown_all = []
    table: dict[str, dict[int, str]] = {}
    for i, (series, part) in enumerate(frame.groupby("series", sort=False)):
        part = part.sort_values("year")
        shown = _masked(part["value"], part["hidden"])
        text = texts(key, part["value"], part["hidden"], lang)
        if index_base is not None:
            base = part.loc[part["year"] == index_base, "value"]
            base_hidden = part.loc[part["year"] == index_base, "hidden"]
            base_value = float(base.iloc[0]) if len(base) and not bool(base_hidden.iloc[0]) else np.nan
            shown = shown / base_value * 100 if base_value else np.full(len(shown), np.nan)
            text = [f"{formatting.number(s, lang, 1)} ({v})" if not np.isnan(s) else v for s, v in zip(shown, text)]
        shown_all.extend(shown)
        table[str(series)] = dict(zip(part["year"].astype(int), text))
        fig.add_scatter(x=part["year"], y=shown, mode="lines+markers", name=str(series),
                        line=dict(width=3, color=PALETTE[i % len(PALETTE)]), marker=dict(size=8),
                        customdata=text, hovertemplate=f"{series}<br>%{{x}} : %{{customdata}}<extra></extra>")
    if index_base is not None:
        fig.update_yaxes(title_text=value_label or t("index_axis", lang, year=index_base), tickformat=",~r")
    else:
        divisor, axis = axis_title(key, shown_all, lang)
        for trace in fig.data:
            trace.y = np.asarray(trace.y, dtype=float) / divisor
        fig.update_yaxes(title_text=value_label or axis, tickformat=",~r", rangemode="tozero")
    fig.update_xaxes(title_text="", dtick=1, tickformat="d")
    years = sorted({year for column in table.values() for year in column})
    describe(fig, [t("year", lang), *table],
             [[year, *(column.get(year, formatting.MISSING) for column in table.values())] for year in years])
    return finish(fig, title, source, lang)


def heatmap(table_values: pd.DataFrame, hidden: pd.DataFrame, key: str, lang: str, title: str, source: str
            ) -> go.Figure:
    """A matrix of one indicator (rows × columns), each cell labelled; suppressed cells blank with 'x'."""
    shown = table_values.to_numpy(dtype=float).copy()
    mask = hidden.reindex_like(table_values).fillna(False).to_numpy(dtype=bool)
    shown[mask] = np.nan
    text = [[formatting.SUPPRESSED if h else formatting.indicator(key, v, lang, compact=True)
             for v, h in zip(row_v, row_h)] for row_v, row_h in zip(table_values.to_numpy(dtype=float), mask)]
    divisor, axis = axis_title(key, shown.ravel(), lang)
    fig = go.Figure(go.Heatmap(
        z=shown / divisor, x=[str(c) for c in table_values.columns], y=[str(i) for i in table_values.index],
        text=text, texttemplate="%{text}", customdata=text, colorscale=SCALE, hoverongaps=False,
        hovertemplate="%{y} — %{x} : %{customdata}<extra></extra>", colorbar=dict(title=dict(text=axis, side="right"))))
    longest = max((len(str(c)) for c in table_values.columns), default=0)
    angle = 0 if longest * 8 < 300 / max(len(table_values.columns), 1) else -40
    bottom = 80 if angle == 0 else 70 + int(longest * 6.5)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(tickangle=angle, automargin=False, side="bottom")
    describe(fig, ["", *table_values.columns], [[i, *row] for i, row in zip(table_values.index, text)])
    return finish(fig, title, source, lang, height=bottom + 110 + 40 * len(table_values), bottom=bottom)


def share_heatmap(frame: pd.DataFrame, key: str, lang: str, title: str, source: str, colour_title: str,
                  cell_text: bool = True) -> go.Figure:
    """Sectors (rows) × territories (columns) coloured by each sector's share of its territory's total, so that a
    single large territory does not flatten the scale. Cells say the share ('x' when suppressed); the hover adds
    the value itself. Long sector names are shortened on the axis, in full on hover. `frame`: sector, territory,
    value, hidden, share, share_hidden (slices.sector_shares)."""
    sectors = list(dict.fromkeys(frame["sector"]))
    places = list(dict.fromkeys(frame["territory"]))
    grid = frame.set_index(["sector", "territory"])
    z, text, custom = [], [], []
    for sector in sectors:
        z_row, text_row, custom_row = [], [], []
        for place in places:
            cell = grid.loc[(sector, place)] if (sector, place) in grid.index else None
            if cell is None or bool(cell["share_hidden"]) or pd.isna(cell["share"]):
                z_row.append(None)
                shown = formatting.SUPPRESSED if cell is not None and bool(cell["share_hidden"]) else ""
            else:
                z_row.append(float(cell["share"]) * 100)
                shown = formatting.percent(float(cell["share"]), lang, 0)
            value = "" if cell is None else formatting.SUPPRESSED if bool(cell["hidden"]) else \
                formatting.indicator(key, float(cell["value"]), lang)
            text_row.append(shown)
            custom_row.append([sector, place, shown or formatting.MISSING, value or formatting.MISSING])
        z.append(z_row)
        text.append(text_row)
        custom.append(custom_row)
    finite = [v for row in z for v in row if v is not None]
    top = float(np.percentile(finite, 95)) if finite else 1.0
    label = INDICATORS[key].label(lang)
    colon = " : " if lang != "en" else ": "
    short = [_shorten(s, MATRIX_NAME_WIDTH) for s in sectors]
    fig = go.Figure(go.Heatmap(
        z=z, x=places, y=short, text=text, texttemplate="%{text}" if cell_text else None,
        # 10 px: "21 %" fits a phone's column of six territories
        textfont=dict(size=10), customdata=custom, colorscale="Blues", zmin=0, zmax=top or 1, hoverongaps=False,
        xgap=1, ygap=1,
        hovertemplate=f"<b>%{{customdata[0]}}</b> — %{{customdata[1]}}<br>{colour_title}{colon}%{{customdata[2]}}"
                      f"<br>{label}{colon}%{{customdata[3]}}<extra></extra>",
        colorbar=dict(title=dict(text=colour_title), ticksuffix="\u00a0%" if lang != "en" else "%",
                      tickformat=",~r", nticks=6)))
    longest = max((len(p) for p in places), default=0)
    bottom = 40 + int(min(longest, 28) * 6.5)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(tickangle=-45, automargin=True, side="bottom")
    describe(fig, [t("sector", lang), *places],
             [[sector, *(cell[2] for cell in row)] for sector, row in zip(sectors, custom)])
    return finish(fig, title, source, lang, height=bottom + 130 + 34 * len(sectors), bottom=bottom, colour_bar=True)


def _label(key: str, lang: str) -> str:
    return INDICATORS[key].label(lang) if key in INDICATORS else t(key, lang)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip(" ,") + "…"
