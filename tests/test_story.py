"""Key messages: words chosen by rules, and never a suppressed value."""

from __future__ import annotations

import pytest
from cubes_factory import cube, cube_row

from ess_impact.output import story
from ess_impact.publish.indicators import Filters

SECTOR_A = ("sector", "HAB", "Habitation")
SECTOR_B = ("sector", "CULT", "Arts, culture et médias")
SECTOR_C = ("sector", "AGRO", "Agroalimentaire")


@pytest.mark.parametrize("value, reference, word", [
    (111, 100, "above"), (110, 100, "similar"), (109, 100, "similar"), (91, 100, "similar"), (89, 100, "below"),
    (50, 0, "similar")])
def test_compare_says_above_only_beyond_ten_percent(value, reference, word):
    assert story.compare(value, reference) == word


@pytest.mark.parametrize("change, word", [(0.02, "up"), (0.005, "stable"), (-0.005, "stable"), (-0.03, "down")])
def test_trend_is_stable_under_one_percent(change, word):
    assert story.trend(change) == word


def _territory(year=2024, mrc_jobs=1100.0, mrc_hidden=(), region_jobs=10_000.0, quebec_jobs=90_000.0,
               sectors=((SECTOR_A, 600.0, ()), (SECTOR_B, 300.0, ()), (SECTOR_C, 200.0, ()))):
    rows = [
        cube_row(year, "mrc", "54", "Les Maskoutains", population=100_000, enterprises=40, jobs_total=mrc_jobs,
                 revenue_total=50_000_000, volunteers=900, volunteer_hours=36_400, volunteer_fte=20,
                 volunteer_value=580_000, hidden=mrc_hidden),
        cube_row(year, "region", "16", "Montérégie", population=1_000_000, enterprises=400, jobs_total=region_jobs),
        cube_row(year, "all", "QC", "Québec", region=None, population=10_000_000, enterprises=4000,
                 jobs_total=quebec_jobs),
    ]
    for cat, jobs, hidden in sectors:
        rows.append(cube_row(year, "mrc", "54", "Les Maskoutains", population=100_000, cat=cat, enterprises=10,
                             jobs_total=jobs, hidden=hidden))
    return rows


F = Filters(2024, "16", "54")


def test_density_words_follow_the_rule():
    # 11 jobs per 1 000 vs region 10 (+10 %: not meaningful) and Québec 9 (+22 %)
    messages = {m.kind: m.text for m in story.key_messages(cube(_territory()), None, F, "fr")}
    assert "près de sa région (Montérégie\u00a0: 10,0)" in messages["density"]
    assert "au-dessus de l'ensemble du Québec (9,0)" in messages["density"]
    below = {m.kind: m.text for m in story.key_messages(cube(_territory(mrc_jobs=800)), None, F, "fr")}
    assert "en dessous de sa région" in below["density"] and "en dessous de l'ensemble du Québec" in below["density"]


def test_weight_and_volunteers_in_french_and_english():
    fr = {m.kind: m.text for m in story.key_messages(cube(_territory()), None, F, "fr")}
    assert fr["weight"] == ("En 2024, Les Maskoutains compte 40 entreprises d'économie sociale, qui déclarent "
                            "1\u00a0100 emplois et 50\u00a0M$ de revenus.")
    assert "900 bénévoles" in fr["volunteers"] and "36\u00a0400 heures" in fr["volunteers"]
    assert "580\u00a0000\u00a0$" in fr["volunteers"] and "k$" not in fr["volunteers"]
    en = {m.kind: m.text for m in story.key_messages(cube(_territory()), None, F, "en")}
    assert en["weight"] == "In 2024, 40 social economy enterprises in Les Maskoutains report 1,100 jobs and $50M of revenue."
    assert "$580,000" in en["volunteers"]


def test_a_suppressed_value_is_never_said():
    rows = _territory(mrc_jobs=1234.0, mrc_hidden=("jobs_total", "volunteers"))
    messages = story.key_messages(cube(rows), None, F, "fr")
    text = " ".join(m.text for m in messages)
    assert "1\u00a0234" not in text and "1234" not in text and "12,3" not in text
    assert "density" not in {m.kind for m in messages}      # the rate derives from the suppressed jobs
    assert "emplois et" not in text                            # the weight sentence drops the jobs
    assert "900 bénévoles" not in text and "36\u00a0400 heures" in text


def test_leading_sectors_are_qualified_when_one_is_suppressed():
    complete = {m.kind: m.text for m in story.key_messages(cube(_territory()), None, F, "fr")}
    assert complete["sectors"].startswith("Les secteurs qui emploient le plus\u00a0: Habitation (55\u00a0% des emplois)")
    rows = _territory(sectors=((SECTOR_A, 600.0, ()), (SECTOR_B, 300.0, ("jobs_total",)), (SECTOR_C, 200.0, ())))
    partial = {m.kind: m.text for m in story.key_messages(cube(rows), None, F, "fr")}
    assert partial["sectors"].startswith("Parmi les secteurs dont les chiffres sont publiés")
    assert "Arts, culture" not in partial["sectors"]
    assert "Agroalimentaire" in partial["sectors"]


def test_change_at_constant_sample():
    panel = cube([cube_row(2023, "mrc", "54", "Les Maskoutains", enterprises=35, jobs_total=1000.0),
                  cube_row(2024, "mrc", "54", "Les Maskoutains", enterprises=35, jobs_total=1004.0)])
    stable = {m.kind: m.text for m in story.key_messages(cube(_territory()), panel, F, "fr")}
    assert "l'emploi est stable" in stable["change"] and "1\u00a0000 puis 1\u00a0004" in stable["change"]
    assert "35" not in stable["change"]  # the sample's count is never published (indicators.public_panel)
    panel.loc[panel["year"] == 2024, "jobs_total"] = 950.0
    down = {m.kind: m.text for m in story.key_messages(cube(_territory()), panel, F, "fr")}
    assert "en baisse de 5,0\u00a0%" in down["change"] and "-" not in down["change"]
    panel.loc[panel["year"] == 2023, "suppressed"] = "jobs_total"
    hidden = {m.kind for m in story.key_messages(cube(_territory()), panel, F, "fr")}
    assert "change" not in hidden


def test_three_to_five_messages_on_the_demo(demo_cubes):
    cubes, panel = demo_cubes
    for f in (Filters(2024, "16", "54"), Filters(2024, "16"), Filters(2024)):
        for lang in ("fr", "en"):
            messages = story.key_messages(cubes, panel, f, lang)
            assert 3 <= len(messages) <= 5, messages


@pytest.fixture(scope="module")
def demo_cubes(demo_db):
    """The demo's published cubes, as the pages read them (the fixture's snapshot: nothing protected here)."""
    from ess_impact.publish import snapshot

    published = snapshot.load(demo_db, snapshot.current(demo_db))
    return published.public, published.panel(2023, 2024)


def test_presentation_mode_shows_one_message_per_screen(demo_db, demo_cubes, monkeypatch):
    """The full-screen story: screen 1 the title, then one key message per screen, then the map; the counter and
    the buttons say where one is; an out-of-range screen number opens the last screen."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ESS_IMPACT_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"region": "16", "mrc": "54", "annee": "2024", "ecran": "2"})
    at.run()
    at.switch_page("ess_impact/web/public/presentation.py").run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    # the messages the page must show, one per screen, between title and map (from what the page reads)
    expected = story.key_messages(*demo_cubes, Filters(2024, "16", "54"), "fr")
    screens = len(expected) + 2
    shown = " ".join(m.value for m in at.markdown)
    assert "Les Maskoutains compte 161 entreprises" in shown and f"2 / {screens}" in shown
    assert expected[0].text.split(",")[0] in shown
    assert at.button(key="presentation_next").label == "Suivant →"
    at.button(key="presentation_next").click().run()
    shown = " ".join(m.value for m in at.markdown)
    assert f"3 / {screens}" in shown and expected[1].text.split(",")[0] in shown


def test_a_link_to_an_unknown_year_or_region_says_so(demo_db, monkeypatch):
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ESS_IMPACT_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"region": "42", "annee": "1999"})
    at.run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    assert "« 1999 » pour « Année »" in warnings and "« 42 » pour « Région »" in warnings
