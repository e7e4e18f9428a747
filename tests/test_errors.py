"""Errors never show internals: an unexpected exception in a page or in a write (ui.attempt) shows a French message
with a reference number, and the traceback goes to the server log under that reference."""

from __future__ import annotations

import logging
import re

from conftest import APP
from streamlit.testing.v1 import AppTest

from ess_impact import labels
from ess_impact.web import ui

REFERENCE = re.compile(r"référence ([0-9A-F]{8})")


def _reference(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    shown = [str(e.value) for e in at.error if "erreur inattendue" in str(e.value)]
    assert len(shown) == 1, [str(e.value) for e in at.error]
    assert "Traceback" not in shown[0] and "secret interne" not in shown[0]
    return REFERENCE.search(shown[0]).group(1)


def test_an_error_in_a_page_shows_a_reference_and_logs_the_details(demo_db, monkeypatch, caplog):
    monkeypatch.setenv("ESS_IMPACT_DB", str(demo_db))

    def boom():
        raise RuntimeError("secret interne: /srv/ess/données.duckdb")
    monkeypatch.setattr(ui, "context", boom)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("ess_impact/web/public/methodology.py").run()
    with caplog.at_level(logging.ERROR, logger="ess_impact.app"):
        at.run()
    reference = _reference(at)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info and "secret interne" in str(logged[0].exc_info[1])


def test_an_error_in_a_write_shows_a_reference(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("ESS_IMPACT_DB", str(tmp_path / "vide.duckdb"))

    def script():
        from ess_impact.web import ui

        def operation(con):
            raise ZeroDivisionError("secret interne")
        ui.attempt(operation, "done", lambda result: [])

    at = AppTest.from_function(script, default_timeout=60)
    with caplog.at_level(logging.ERROR, logger="ess_impact.app"):
        at.run()
    reference = _reference(at)
    assert any(reference in r.getMessage() for r in caplog.records)
    assert labels.t("internal_error", "en", reference=reference).endswith(f"reference {reference}.")
