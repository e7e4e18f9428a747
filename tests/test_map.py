"""The MRC map: boundaries cover every MRC/TE once, and a polygon covering several MRC/TE never shows a value that
would let a reader subtract the published ones and recover a suppressed one."""

from __future__ import annotations

import json

import numpy as np
import pytest
from cubes_factory import cube, cube_row

from ess_impact import reference
from ess_impact.labels import t
from ess_impact.output import maps
from ess_impact.publish import areas
from ess_impact.publish.indicators import Filters

SHARED = {"371+372", "941+942", "971+972", "981+982", "991+992+993"}


def test_boundaries_cover_every_mrc_exactly_once():
    codes = [c for feature in areas.boundaries()["features"] for c in feature["properties"]["codes"]]
    assert sorted(codes) == sorted(reference.mrcs()["code"])
    assert set(areas.features().loc[lambda f: f["shared"], "area"]) == SHARED


def test_attribution_names_statistics_canada():
    assert "Statistique Canada" in maps.attribution("fr") and "approbation" in maps.attribution("fr")
    assert "does not constitute an endorsement by Statistics Canada" in maps.attribution("en")
    assert "Statistics Canada Open Licence" in (reference.DATA / "README.md").read_text(encoding="utf-8")


def _cubes(jobs_371=500.0, jobs_372=40.0, hidden_372=(), with_372=True):
    rows = [cube_row(2024, "mrc", "371", "Trois-Rivières", region="04", population=140_000, jobs_total=jobs_371)]
    if with_372:
        rows.append(cube_row(2024, "mrc", "372", "Les Chenaux", region="04", population=19_000, jobs_total=jobs_372,
                             hidden=hidden_372))
    return cube(rows)


def _area(frame, code):
    return frame.set_index("area").loc[code]


def test_shared_polygon_is_the_sum_when_every_part_is_published():
    area = _area(areas.area_values(_cubes(), Filters(2024), "jobs_total"), "371+372")
    assert area["value"] == 540 and not area["hidden"]
    assert area["rate"] == pytest.approx(540 / (148_469 + 20_595) * 1000)  # reference populations


def test_shared_polygon_is_suppressed_when_one_part_is():
    frame = areas.area_values(_cubes(hidden_372=("jobs_total",)), Filters(2024), "jobs_total")
    area = _area(frame, "371+372")
    assert area["hidden"] and np.isnan(area["value"]) and np.isnan(area["rate"])


def test_an_mrc_without_reports_adds_nothing():
    area = _area(areas.area_values(_cubes(with_372=False), Filters(2024), "jobs_total"), "371+372")
    assert area["value"] == 500 and not area["hidden"]
    assert _area(areas.area_values(_cubes(), Filters(2024), "jobs_total"), "66")["missing"]


def test_the_figure_never_carries_a_suppressed_value():
    frame = areas.area_values(_cubes(jobs_371=1234.0, jobs_372=567.0, hidden_372=("jobs_total",)), Filters(2024),
                              "jobs_total")
    figure = maps.choropleth(frame, "jobs_total", "fr", "Emplois — Mauricie, 2024", "Source", region="04",
                             highlight="372")
    shown = [{k: getattr(trace, k, None) for k in ("z", "customdata", "text", "hovertemplate")}
             for trace in figure.data]
    # the text alternative shown under the map is part of what is sent: it carries the same texts, nothing more
    alternative = figure.layout.meta["alternative"]
    assert alternative["header"][0] == "Territoire" and len(alternative["rows"]) == len(frame)
    text = json.dumps([shown, alternative], default=lambda v: v.tolist(), ensure_ascii=False)
    numbers = [float(v) for trace in shown for v in (trace["z"] if trace["z"] is not None else [])]
    assert not ({567.0, 1801.0, 1234.0} & set(numbers))
    for leak in ("567", "1801", "1\u00a0801", "1\u00a0234", "1234"):  # 371 is published, but only inside its
        assert leak not in text                                          # shared polygon, which is suppressed
    assert "Trois-Rivières + Les Chenaux" in text


def test_demo_map_never_sums_over_a_suppressed_mrc(demo_db):
    from ess_impact.publish import indicators, snapshot

    cubes = snapshot.load(demo_db, snapshot.current(demo_db)).public  # what the map page reads
    checked = 0
    for sector in [None, *reference.sectors()["code"]]:
        f = Filters(2024, sector=sector)
        rows = indicators.select(cubes, "mrc", f)
        secret = dict(zip(rows["code"], indicators.hidden(rows, "jobs_total")))
        for area in areas.area_values(cubes, f, "jobs_total").itertuples():
            if any(secret.get(c, False) for c in area.codes):
                assert area.hidden and np.isnan(area.value) and np.isnan(area.rate)
                checked += area.shared
            else:
                assert not area.hidden
    assert checked > 0  # some shared polygon met a suppressed MRC: the rule was exercised


def test_region_outline_drops_inner_borders():
    lon, lat = maps.outline({"371+372", "51"})  # Mauricie: two neighbouring polygons
    segments = {((lon[i], lat[i]), (lon[i + 1], lat[i + 1])) for i in range(0, len(lon), 3)}
    one, _ = maps.outline({"371+372"})
    other, _ = maps.outline({"51"})
    assert 0 < len(segments) < (len(one) + len(other)) // 3


def test_map_title_and_labels_in_both_languages():
    assert "pour 1 000 habitants" in t("map_choropleth_title", "fr", indicator="Emplois", place="Québec", year=2024)
    assert "per 1,000 inhabitants" in t("map_choropleth_title", "en", indicator="Jobs", place="Québec", year=2024)
