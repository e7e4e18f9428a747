"""The Streamlit app run headless with streamlit.testing (AppTest): the overview page, in French and English,
on the demo data, on a small real import (confidentiality marks) and on an empty database (first-run demo); filters
restored from the URL."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SMALL_YEARS
from streamlit.testing.v1 import AppTest

from ess_impact import labels
from ess_impact.output import tables
from ess_impact.publish import indicators
from ess_impact.store import db

pytestmark = pytest.mark.app  # every test here drives the app (AppTest): not in `make check`
APP = ROOT / "app.py"
TIMEOUT_S = 60
# A run that computes protected cubes the cache does not hold yet (the first one on the demo data computes two,
# a few seconds each on an idle machine) gets more room, so that a busy CI machine does not make it flaky.
COLD_RUN_TIMEOUT_S = 180

# Québec French: 10 321 (non-breaking space), 10,3 k, 48,8 G$; Canadian English: 10,321, 10.3K, $48.8B.
QC_FR_NUMBER = re.compile(r"^\d{1,3}(?:[\u00a0\u202f]\d{3})*(?:,\d+)?(?:[\u00a0\u202f]?k)?$")
EN_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})*(?:\.\d+)?K?$")

def _use_db(monkeypatch, path: Path) -> None:
    """Point the app at `path`. ui.py keys its caches by database path and data version, so switching
    databases needs no cache clearing."""
    monkeypatch.setenv("ESS_IMPACT_DB", str(path))


def _run(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    if lang is not None:
        at.query_params["lang"] = lang
    at.run(timeout=COLD_RUN_TIMEOUT_S)
    _assert_clean(at)
    return at


def _assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _latest_year(path: Path) -> int:
    with db.connect(path) as con:
        return indicators.latest_year(con)


def _warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def _metric(at: AppTest, key: str, lang: str):
    label = labels.INDICATORS[key].label(lang)
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_on_demo_data(monkeypatch, demo_db, lang):
    _use_db(monkeypatch, demo_db)
    at = _run(lang)
    year = _latest_year(demo_db)

    assert labels.t("demo_banner", lang) in _warnings(at)
    assert [t.value for t in at.title] == [labels.t("overview_title", lang, place="Québec", year=year)]
    assert str(year) in at.title[0].value
    assert at.sidebar.selectbox[0].label == labels.t("year", lang)
    assert at.sidebar.selectbox[0].value == year

    assert len(at.metric) == 8 + 6  # the headline cards, then issue 14's impact cards (with the share of jobs)
    enterprises = _metric(at, "enterprises", lang).value
    assert (QC_FR_NUMBER if lang == "fr" else EN_NUMBER).match(enterprises), repr(enterprises)
    revenue = _metric(at, "revenue_total", lang).value
    if lang == "fr":
        assert re.fullmatch(r"\d+(?:,\d)?\u00a0[kMG]\$", revenue), repr(revenue)
        assert re.search(r"\d,\d\u00a0%$", _metric(at, "earned_share", lang).value)
    else:
        assert re.fullmatch(r"\$\d+(?:\.\d)?[KMB]", revenue), repr(revenue)
        assert re.search(r"\d\.\d%$", _metric(at, "earned_share", lang).value)
    # An earlier year exists: every card carries a change.
    assert all(m.delta for m in at.metric[:8]), [(m.label, m.delta) for m in at.metric]  # the impact cards carry none

    assert labels.t("by_region", lang) in [h.value for h in at.header]
    table = at.dataframe[0].value
    assert list(table.columns)[:2] == [labels.t("code", lang), labels.t("name", lang)]
    assert labels.INDICATORS["jobs_total"].label(lang) in table.columns
    assert len(table) == 17  # the administrative regions of Québec
    captions = " ".join(c.value for c in at.caption)
    assert labels.t("source_line_demo", lang) in captions
    assert len(at.get("plotly_chart")) == 4  # trend, by sector, by legal form, map


def test_language_switch_in_the_sidebar(monkeypatch, demo_db):
    _use_db(monkeypatch, demo_db)
    at = _run()
    control = at.sidebar.segmented_control[0]
    assert control.label == labels.t("language", "fr")
    assert control.value == "fr"
    control.set_value("en").run()
    _assert_clean(at)
    assert at.query_params.get("lang") == "en"
    assert at.title[0].value == labels.t("overview_title", "en", place="Québec", year=_latest_year(demo_db))
    assert labels.t("demo_banner", "en") in _warnings(at)


def test_earlier_year(monkeypatch, demo_db):
    _use_db(monkeypatch, demo_db)
    at = _run("fr")
    latest = _latest_year(demo_db)
    earlier = latest - 1
    assert at.sidebar.selectbox[0].options[:2] == [str(latest), str(earlier)]  # latest first
    at.sidebar.selectbox[0].select(earlier).run(timeout=COLD_RUN_TIMEOUT_S)
    _assert_clean(at)
    assert at.title[0].value == labels.t("overview_title", "fr", place="Québec", year=earlier)
    assert at.sidebar.selectbox[0].value == earlier
    assert at.query_params.get("annee") == str(earlier)  # kept in the URL
    assert labels.t("demo_banner", "fr") in _warnings(at)
    assert len(at.metric) == 8 + 6 and all(m.delta for m in at.metric[:8])  # impact cards carry no change


def test_empty_database_gets_the_demo_data(monkeypatch, tmp_path, demo_db):
    path = tmp_path / "new" / "fresh.duckdb"
    assert not path.exists()
    # The first run loads the same deterministic demo data set as demo_db: its cubes may stay cached, but the
    # first-run check and the context (years, is_demo) are computed afresh on the new file.
    _use_db(monkeypatch, path)
    at = _run()
    assert path.exists()
    with db.connect(path) as con:
        assert db.is_demo(con)
        version = db.data_version(con)
    with db.connect(demo_db) as con:
        assert db.data_version(con) == version
    assert labels.t("demo_banner", "fr") in _warnings(at)
    assert at.title[0].value == labels.t("overview_title", "fr", place="Québec", year=_latest_year(path))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_on_small_real_data(monkeypatch, small_db, lang):
    _use_db(monkeypatch, small_db)
    at = _run(lang)
    year = max(SMALL_YEARS)

    assert labels.t("demo_banner", lang) not in _warnings(at)
    assert not at.warning
    assert at.title[0].value == labels.t("overview_title", lang, place="Québec", year=year)
    assert _metric(at, "enterprises", lang).value == "8"

    # The table keeps numbers (sortable); suppressed cells are empty and drawn as "x" by the placeholder.
    table = at.dataframe[0].value
    shown = table.set_index(labels.t("code", lang))
    jobs = labels.INDICATORS["jobs_total"].label(lang)
    # Montréal (2 enterprises) is below the minimum count; Montérégie is suppressed along with it.
    assert pd.isna(shown.loc["06", jobs])
    assert pd.isna(shown.loc["16", jobs])
    captions = " ".join(c.value for c in at.caption)
    assert tables.suppressed_note(indicators.Settings(1820, 3, 0.85, 1, 10.0), lang) in captions

    at.sidebar.selectbox[0].select(min(SMALL_YEARS)).run()
    _assert_clean(at)
    assert at.title[0].value == labels.t("overview_title", lang, place="Québec", year=min(SMALL_YEARS))
    assert not any(m.delta for m in at.metric)  # no year before the first one



@pytest.mark.parametrize("lang", ["fr", "en"])
def test_methodology_page(monkeypatch, small_db, lang):
    """Definitions, settings, confidentiality rule and completeness table; suppressed counts show as x."""
    _use_db(monkeypatch, small_db)
    at = _run(lang)
    at.switch_page("ess_impact/web/public/methodology.py").run(timeout=COLD_RUN_TIMEOUT_S)
    _assert_clean(at)
    assert [t.value for t in at.title] == [labels.t("methodology_title", lang)]
    definitions = at.dataframe[0].value
    assert len(definitions) == len(labels.INDICATORS) - 1  # every indicator but the generic "share"
    assert labels.INDICATORS["volunteer_value"].definition(lang) in set(definitions.iloc[:, 2])
    rates = at.dataframe[1].value
    assert "2024" in set(rates.iloc[:, 0])
    completeness = at.dataframe[2].value
    assert list(completeness.columns[1:]) == [str(y) for y in SMALL_YEARS]
    assert completeness.iloc[:, 1:].isna().all().all()  # 8 enterprises in two regions: all confidential ("x")
    texts = " ".join(m.value for m in at.markdown)
    assert labels.t("confidentiality_text", lang, min_count=3, share="85\u00a0%" if lang == "fr" else "85%") in texts


def test_filters_restored_from_the_url(monkeypatch, demo_db):
    """A bookmarked link (?annee=…&region=16&mrc=54&lang=en) opens the same view; codes, not labels, are in the
    URL, so a link works in both languages; an unknown code is dropped."""
    _use_db(monkeypatch, demo_db)
    earlier = _latest_year(demo_db) - 1
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    for key, value in {"lang": "en", "annee": str(earlier), "region": "16", "mrc": "54", "secteur": "ZZZ"}.items():
        at.query_params[key] = value
    at.run(timeout=COLD_RUN_TIMEOUT_S)
    _assert_clean(at)
    assert at.title[0].value == labels.t("overview_title", "en", place="Les Maskoutains", year=earlier)
    values = {s.label: s.value for s in at.sidebar.selectbox}
    assert values[labels.t("region", "en")] == "16" and values[labels.t("mrc", "en")] == "54"
    assert values[labels.t("sector", "en")] is None
    assert "secteur" not in at.query_params
    # Going to another page keeps the filters.
    at.switch_page("ess_impact/web/public/territories.py").run(timeout=COLD_RUN_TIMEOUT_S)
    _assert_clean(at)
    assert at.title[0].value == labels.t("territories_title", "en", place="Les Maskoutains", year=earlier)
