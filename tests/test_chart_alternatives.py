"""Every chart carries its text alternative (issue 13): a table of exactly what it shows, shown one click under it,
with "x" where the chart shows nothing and never a suppressed value."""

from __future__ import annotations

import json

import pandas as pd

from ess_impact.output import charts


def _sent(figure) -> str:
    return json.dumps(figure.layout.meta, ensure_ascii=False)


def test_bars_table_lists_what_each_bar_says_largest_first_and_x_for_a_suppressed_one():
    figure = charts.bars(["Petite", "Grande", "Cachée"], [10.0, 5000.0, 777.0], "jobs_total", "fr",
                         "Emplois — Québec, 2024", "Source", hidden=[False, False, True], references={"Région": 40.0})
    table = charts.alternative(figure)
    assert table.columns.tolist() == ["Nom", "Emplois (total)"]
    assert table.to_numpy().tolist() == [["Grande", "5\u00a0000"], ["Petite", "10"], ["Cachée", "x"], ["Région", "40"]]
    assert "777" not in _sent(figure)


def test_lines_table_has_a_row_per_year_and_a_column_per_series_in_english():
    frame = pd.DataFrame({"series": ["A"] * 3 + ["B"] * 2, "year": [2022, 2023, 2024, 2023, 2024],
                          "value": [1e6, 2e6, 3e6, 4e6, 123456.0], "hidden": [False, False, False, False, True]})
    figure = charts.lines(frame, "revenue_total", "en", "Revenue", "Source")
    table = charts.alternative(figure)
    assert table.columns.tolist() == ["Year", "A", "B"]
    assert table["Year"].tolist() == ["2022", "2023", "2024"]
    assert table["B"].tolist() == ["—", "$4M", "x"] and table["A"].tolist()[0] == "$1M"
    assert "123" not in _sent(figure)


def test_grouped_and_matrix_tables_follow_the_figure():
    figure = charts.grouped(["Emplois"], {"MRC": ([12.5], [False]), "Région": ([99.0], [True])}, "jobs_per_1000", "fr",
                            "T", "S")
    assert charts.alternative(figure).to_numpy().tolist() == [["Emplois", "12,5", "x"]]
    values = pd.DataFrame({"2023": [1.0, 2.0], "2024": [3.0, 456.0]}, index=["Secteur A", "Secteur B"])
    hidden = pd.DataFrame({"2023": [False, False], "2024": [False, True]}, index=values.index)
    figure = charts.heatmap(values, hidden, "jobs_total", "fr", "T", "S")
    assert charts.alternative(figure).to_numpy().tolist() == [["Secteur A", "1", "3"], ["Secteur B", "2", "x"]]
    assert "456" not in _sent(figure)


def test_a_figure_without_alternative_gives_none():
    import plotly.graph_objects as go
    assert charts.alternative(go.Figure()) is None
