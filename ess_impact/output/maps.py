"""The choropleth map of the MRC/TE: census-division boundaries (shipped in ess_impact/data), coloured per 1 000
inhabitants, with the chosen territory highlighted, its region outlined and the names of the region's MRCs.

Drawn by plotly's `geo` subplot from the shipped GeoJSON only: no tile server, no base map (`visible=False`), so
that it works offline, in the browser and in kaleido. The values come from `publish.areas.area_values` (protected):
a suppressed area is grey with "x", an area where nobody reported is light grey with "—".
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ess_impact import formatting, reference
from ess_impact.labels import INDICATORS, t
from ess_impact.output import charts
from ess_impact.publish import areas

SUPPRESSED_FILL = "#7B8794"
LABEL_WIDTH = 358  # px: names are placed so that they fit a phone's map (a wider map shows the same names)
NAME_PX = 11       # size of the names' type
MISSING_FILL = "#E4E7EB"  # nobody reported
BORDER = "#FFFFFF"
REGION_LINE = "#1F2933"
# ColorBrewer YlGnBu (colour-blind safe), without its darkest step so that names stay readable on every area; no
# grey in it, so that the grey of a suppressed area cannot be read as a value.
SCALE = [[0.0, "#ffffd9"], [0.2, "#d5eeb3"], [0.4, "#a9ddb7"], [0.6, "#73c8bd"], [0.8, "#3eb3c4"],
         [1.0, "#1d91c0"]]


def attribution(lang: str) -> str:
    """The credit the Statistics Canada Open Licence requires, shown with every map."""
    return t("map_attribution", lang)


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _bounds(codes: set[str]) -> tuple[float, float, float, float]:
    """lon_min, lon_max, lat_min, lat_max of the features of the given area codes."""
    xs, ys = [], []
    for feature in areas.boundaries()["features"]:
        if feature["properties"]["code"] in codes:
            for ring in _rings(feature["geometry"]):
                xs += [p[0] for p in ring]
                ys += [p[1] for p in ring]
    return min(xs), max(xs), min(ys), max(ys)


def outline(area_codes: set[str]) -> tuple[list, list]:
    """The outer boundary of a group of polygons (a region): every edge that belongs to one polygon only. The
    shipped boundaries share their common borders vertex for vertex (coverage-simplified, snapped to a grid), so
    an inner border appears twice and cancels out. lon, lat lists with None between segments."""
    edges: Counter = Counter()
    for feature in areas.boundaries()["features"]:
        if feature["properties"]["code"] not in area_codes:
            continue
        for ring in _rings(feature["geometry"]):
            for a, b in zip(ring, ring[1:]):
                edges[tuple(sorted((tuple(a), tuple(b))))] += 1
    lon, lat = [], []
    for (a, b), count in edges.items():
        if count == 1:
            lon += [a[0], b[0], None]
            lat += [a[1], b[1], None]
    return lon, lat


def area_of(mrc: str) -> str:
    """The polygon that covers an MRC ('372' -> '371+372')."""
    for feature in areas.boundaries()["features"]:
        if mrc in feature["properties"]["codes"]:
            return feature["properties"]["code"]
    raise KeyError(mrc)


def choropleth(frame: pd.DataFrame, key: str, lang: str, title: str, source: str, region: str | None = None,
               highlight: str | None = None, height: int = 620, geojson_url: str | None = None,
               label_width: float = LABEL_WIDTH) -> go.Figure:
    """`frame`: areas.area_values. Colour = value per 1 000 inhabitants; hover = name, value, rate. `region`
    zooms on a region, outlines it and names those of its MRCs whose names fit a map `label_width` px wide (the rest
    on hover); `highlight` (an MRC code) draws its polygon's edge in the
    accent colour. With `geojson_url` (the web app: the boundaries served once as a static file, cached by the
    browser) the figure names the file instead of carrying the polygons (≈ 450 kB less per page run); without it
    (static images, reports) the polygons are inlined."""

    def shapes(codes):
        return geojson_url if geojson_url else _subset(codes)

    label = INDICATORS[key].label(lang)
    rate_label = t("map_rate_label", lang, indicator=label)
    data = frame.copy()
    data["value_text"] = [formatting.SUPPRESSED if h else formatting.MISSING if m else
                          formatting.indicator(key, v, lang) for v, h, m in
                          zip(data["value"], data["hidden"], data["missing"])]
    data["rate_text"] = [formatting.SUPPRESSED if h else formatting.MISSING if m else formatting.number(r, lang, 1)
                         for r, h, m in zip(data["rate"], data["hidden"], data["missing"])]
    custom = np.stack([data["name"], data["value_text"], data["rate_text"]], axis=-1)
    template = (f"<b>%{{customdata[0]}}</b><br>{label} : %{{customdata[1]}}<br>{rate_label} : %{{customdata[2]}}"
                "<extra></extra>")
    if lang == "en":
        template = template.replace(" : ", ": ")
    fig = go.Figure()
    # A text trace first: plotly.js looks at the first trace to decide whether it needs its world base map; a
    # lon/lat trace says no, so nothing is fetched from the internet.
    every = areas.features()
    in_region = set(every.loc[every["region_code"] == region, "area"]) if region else set(every["area"])
    lon_min, lon_max, lat_min, lat_max = _bounds(in_region)
    pad_lon, pad_lat = (lon_max - lon_min) * 0.06 + 0.1, (lat_max - lat_min) * 0.06 + 0.1
    box = (lon_min - pad_lon, lon_max + pad_lon, lat_min - pad_lat, lat_max + pad_lat)
    names = _labels(region, highlight, box, label_width, height - 240)
    fig.add_scattergeo(lon=names["lon"], lat=names["lat"], text=names["name"], mode="text", hoverinfo="skip",
                       showlegend=False, textfont=dict(size=NAME_PX, color="#1F2933", family=charts.FONT["family"]))
    known = data["rate"].notna().to_numpy()
    for mask, colour in ((data["hidden"].to_numpy(), SUPPRESSED_FILL), (data["missing"].to_numpy(), MISSING_FILL)):
        if mask.any():
            fig.add_choropleth(geojson=shapes(data.loc[mask, "area"]), featureidkey="properties.code",
                               locations=data.loc[mask, "area"],
                               z=np.zeros(int(mask.sum())), colorscale=[[0, colour], [1, colour]], showscale=False,
                               marker_line_color=BORDER, marker_line_width=0.6, customdata=custom[mask],
                               hovertemplate=template)
    if known.any():
        rates = data.loc[known, "rate"].to_numpy(dtype=float)
        top = float(np.nanpercentile(rates, 95)) if len(rates) > 3 else float(np.nanmax(rates))
        fig.add_choropleth(
            geojson=shapes(data.loc[known, "area"]), featureidkey="properties.code", locations=data.loc[known, "area"],
            z=rates,
            zmin=0, zmax=top or 1, colorscale=SCALE, marker_line_color=BORDER, marker_line_width=0.6,
            customdata=custom[known], hovertemplate=template,
            # under the map, across: no empty band between a tall map and a bar at the far right, and room on a phone
            colorbar=dict(title=dict(text=rate_label, side="top"), orientation="h", thickness=12, len=0.6,
                          x=0.5, xanchor="center", y=0, yanchor="top", tickformat=",~r"))
    if highlight:
        fig.add_choropleth(geojson=shapes([area_of(highlight)]), featureidkey="properties.code",
                           locations=[area_of(highlight)], z=[0],
                           colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
                           marker_line_color=charts.HIGHLIGHT, marker_line_width=4, hoverinfo="skip")
    if region:
        lon, lat = outline(in_region)
        fig.add_scattergeo(lon=lon, lat=lat, mode="lines", line=dict(width=2.2, color=REGION_LINE),
                           hoverinfo="skip", showlegend=False)
    fig.update_geos(visible=False, projection_type="conic conformal", projection_parallels=[46, 60],
                    projection_rotation_lon=(lon_min + lon_max) / 2, bgcolor="rgba(0,0,0,0)",
                    lonaxis_range=[box[0], box[1]], lataxis_range=[box[2], box[3]])
    charts.describe(fig, [t("territory", lang), label, rate_label],
                    data[["name", "value_text", "rate_text"]].to_numpy().tolist())
    charts.finish(fig, title, source, lang, height=height, bottom=120)
    fig.update_layout(margin_l=0, margin_r=0, dragmode=False)  # finish kept room for the (wrapped) title and source
    return fig


def _subset(codes) -> dict:
    """The features of the given areas only: each polygon is sent to the browser once, not once per trace."""
    wanted = set(codes)
    every = areas.boundaries()
    return {"type": "FeatureCollection",
            "features": [f for f in every["features"] if f["properties"]["code"] in wanted]}


def _wrap(text: str, width: int = 18) -> str:
    """A colour-bar title on short lines."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def _labels(region: str | None, highlight: str | None, box: tuple[float, float, float, float] | None = None,
            width: float = LABEL_WIDTH, height: float = 380) -> pd.DataFrame:
    """The names written on the map: the highlighted MRC, then the region's other MRCs, largest first, each only
    where it fits at a map `width` × `height` px showing `box` (lon_min, lon_max, lat_min, lat_max): its name's box
    overlaps no name already written, stays inside the map, and is not much larger than its own polygon (the dense
    MRCs around Montréal or Québec City keep their name on hover). All of Québec: the highlighted MRC only."""
    mrcs = reference.mrcs()
    if region:
        chosen = mrcs[mrcs["region_code"] == region]
    elif highlight:
        chosen = mrcs[mrcs["code"] == highlight]
    else:
        chosen = mrcs.iloc[0:0]
    empty = pd.DataFrame({"code": [], "name": [], "lon": [], "lat": []})
    if chosen.empty:
        return empty
    if box is None:
        box = _bounds({area_of(c) for c in chosen["code"]})
    lon_min, lon_max, lat_min, lat_max = box
    # plotly fits the box in the map, keeping its proportions; east-west degrees shrink by cos(latitude)
    squeeze = np.cos(np.radians((lat_min + lat_max) / 2))
    scale = min(width / ((lon_max - lon_min) * squeeze), height / (lat_max - lat_min))  # px per degree of latitude

    def pixels(lon, lat):
        return (lon - lon_min) * squeeze * scale, (lat_max - lat) * scale

    polygons = {code: _bounds({area_of(code)}) for code in chosen["code"]}
    size = {code: (b[1] - b[0]) * squeeze * (b[3] - b[2]) for code, b in polygons.items()}
    order = sorted(chosen.itertuples(), key=lambda m: (m.code != highlight, -size[m.code]))
    placed, rows = [], []
    for mrc in order:
        text = _short(mrc.usual_name)
        lines = text.split("<br>")
        w, h = max(len(line) for line in lines) * NAME_PX * 0.62 + 4, len(lines) * NAME_PX * 1.25 + 2
        x, y = pixels(mrc.lon, mrc.lat)
        label = (x - w / 2, x + w / 2, y - h / 2, y + h / 2)
        if mrc.code != highlight:
            b = polygons[mrc.code]
            room_w, room_h = (b[1] - b[0]) * squeeze * scale, (b[3] - b[2]) * scale
            if room_w < w * 0.6 or room_h < h * 0.8:
                continue  # a small polygon: its name would spill over its neighbours
            if label[0] < 0 or label[1] > width or label[2] < 0 or label[3] > height:
                continue
            if any(label[0] < o[1] and o[0] < label[1] and label[2] < o[3] and o[2] < label[3] for o in placed):
                continue
        placed.append(label)
        rows.append({"code": mrc.code, "name": text, "lon": mrc.lon, "lat": mrc.lat})
    return pd.DataFrame(rows) if rows else empty


def _short(name: str) -> str:
    """Long names on two lines, cut at the space or hyphen nearest the middle ('La Vallée-de-<br>l'Or')."""
    if len(name) <= 16:
        return name
    cuts = [i for i, c in enumerate(name) if c in " -"]
    if not cuts:
        return name
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    return name[:cut + 1].rstrip() + "<br>" + name[cut + 1:]
