"""The Secteurs heatmap: shares of each territory's total (one large territory does not flatten the scale), hidden
whenever the part or the total is, French labels, no 'k'."""

from __future__ import annotations

import json

from cubes_factory import cube, cube_row

from ess_impact.output import charts
from ess_impact.publish import slices
from ess_impact.publish.indicators import Filters

HAB, FIN = ("sector", "HAB", "Habitation"), ("sector", "FIN", "Finance et assurances")


def _cubes(total_hidden=()):
    rows = [cube_row(2024, "region", "06", "Montréal", region="06", jobs_total=60_000.0, hidden=total_hidden),
            cube_row(2024, "region", "16", "Montérégie", jobs_total=1_000.0)]
    for code, name, region, hab, fin in (("06", "Montréal", "06", 30_000.0, 20_000.0),
                                         ("16", "Montérégie", "16", 400.0, 123.0)):
        rows.append(cube_row(2024, "region", code, name, region=region, cat=HAB, jobs_total=hab))
        rows.append(cube_row(2024, "region", code, name, region=region, cat=FIN, jobs_total=fin,
                             hidden=("jobs_total",) if code == "16" else ()))
    return cube(rows)


def test_shares_are_hidden_with_their_part_or_their_total():
    matrix, level = slices.sector_matrix(_cubes(total_hidden=("jobs_total",)), Filters(2024), "fr")
    shares = slices.sector_shares(_cubes(total_hidden=("jobs_total",)), matrix, level, "jobs_total")
    by = shares.set_index(["sector", "territory"])
    assert by.loc[("Habitation", "Montérégie"), "share"] == 0.4 and not by.loc[("Habitation", "Montérégie"),
                                                                                 "share_hidden"]
    assert by.loc[("Finance et assurances", "Montérégie"), "share_hidden"]       # its part is suppressed
    assert by.loc[("Habitation", "Montréal"), "share_hidden"]                      # its total is suppressed


def test_heatmap_shows_shares_in_french_and_never_a_hidden_value():
    cubes = _cubes()
    matrix, level = slices.sector_matrix(cubes, Filters(2024), "fr")
    figure = charts.share_heatmap(slices.sector_shares(cubes, matrix, level, "jobs_total"), "jobs_total", "fr",
                                  "Emplois — Québec, 2024", "Source", "Part du territoire")
    trace = figure.data[0]
    alternative = charts.alternative(figure)
    assert list(alternative.columns[:1]) == ["Secteur"] and alternative.to_numpy()[:, 1:].tolist() == [
        [cell or "—" for cell in row] for row in trace.text]
    text = json.dumps([trace.text, trace.customdata, figure.layout.meta], ensure_ascii=False, default=list)
    assert "40\u00a0%" in text and "50\u00a0%" in text          # 400 / 1 000 and 30 000 / 60 000
    assert "123" not in text and "12\u00a0%" not in text        # the suppressed 123 and its share
    assert "k" not in "".join(str(v) for row in trace.text for v in row)
    assert trace.colorbar.ticksuffix == "\u00a0%"
    assert trace.zmax <= 50.0   # the scale follows shares, not Montréal's 30 000 jobs
