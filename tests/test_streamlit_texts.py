"""Streamlit's own texts in the French interface (ess_impact/web/streamlit_texts.js, ui.streamlit_texts): each text
the catalogue translates is one Streamlit (the pinned version) really shows, and the script the page receives is
one Streamlit runs. The browser side is tested in tests/test_e2e_admin.py
(test_streamlit_own_texts_follow_the_interface_language)."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from ess_impact import labels
from ess_impact.web import ui


@pytest.fixture(scope="module")
def streamlit_code() -> str:
    """Streamlit's browser code, as the pinned version ships it."""
    folder = resources.files("streamlit").joinpath("static/static/js")
    return "".join(path.read_text(encoding="utf-8", errors="ignore") for path in folder.iterdir()
                   if path.name.endswith(".js"))


@pytest.mark.parametrize("key", ui.STREAMLIT_TEXTS)
def test_each_translated_text_is_one_streamlit_shows(key, streamlit_code):
    """The English text (its fixed parts, around the {parts} that vary) is in Streamlit's code: after an upgrade
    that changes a text, this fails instead of the French interface showing the new English text."""
    english = labels.t(key, "en")
    parts = [part.strip(" ,:") for part in re.split(r"\{\w+\}", english)]
    assert [part for part in parts if part], key
    for part in parts:
        assert not part or part in streamlit_code, (key, part)
    assert labels.t(key, "fr") != english or "{" in english, key  # a French text of its own


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_page_gets_a_script_streamlit_runs(lang, monkeypatch):
    """Streamlit's st.html cleans its HTML with DOMPurify, which drops a script whose text holds '<' followed by a
    letter, '/' or '!' (its guard against markup in text): the script must have none, whatever the catalogue says."""
    written = []
    monkeypatch.setattr(ui, "lang", lambda: lang)
    monkeypatch.setattr(ui.st.sidebar, "html", lambda body, **kwargs: written.append((body, kwargs)))
    ui.streamlit_texts()
    (body, kwargs), = written
    assert kwargs["unsafe_allow_javascript"] is True
    assert body.startswith("<script>") and body.endswith("</script>")
    inner = body[len("<script>"):-len("</script>")]
    assert not re.search(r"<[/\w!]", inner)
    config = json.loads(re.search(r"const config = (\{.*?\});\n", inner).group(1))
    assert config == ui.streamlit_texts_config(lang)
    assert config["htmlLang"] == f"{lang}-CA"
    if lang == "en":
        assert config["exact"] == {} and all(re.sub(r"\$\d", "", french) == re.sub(r"\(\.\+\?\)", "", source)
                                              .replace("\\", "") for source, french in config["patterns"])
    else:
        assert config["exact"]["Upload"] == "Téléverser" and config["exact"]["October"] == "octobre"
        sizes = [french for source, french in config["patterns"] if "per" in source]
        assert sizes == ["$1 par fichier"]
