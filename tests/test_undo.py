"""Undoing an import: the previous state comes back exactly (figures in force and enterprise identities), the versions
the import wrote are kept in the history, the undo is logged; admins only; refusals with a reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ess_impact.intake import importer
from ess_impact.store import auth, db, history

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN = auth.system("admin@pole.example")


@pytest.fixture
def con():
    connection = db.open_database(":memory:")
    yield connection
    connection.close()


def _state(con) -> dict[str, list]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in ("annual_figures", "enterprises")}


def _first(con):
    checks = importer.check_files([FIXTURES / "ugly_fr.xlsx"], con, actor=auth.SYSTEM)
    return importer.commit(con, checks, actor=ADMIN)[0]


def _second(con):
    """One changed row, one new enterprise-year, the rest unchanged."""
    check = importer.check_file(FIXTURES / "ugly_fr.xlsx", con, actor=auth.SYSTEM)
    records = check.records
    records.loc[records["neq"] == "1141234567", "jobs_full_time"] = 15
    extra = records.iloc[[0]].copy()
    extra["neq"], extra["name"] = "1199999999", "Nouvelle coop"
    check.records = pd.concat([records, extra], ignore_index=True)
    return importer.commit(con, [check], actor=ADMIN)[0]


def test_undo_restores_exactly_the_previous_state(con):
    _first(con)
    before = _state(con)
    version = db.data_version(con)
    second = _second(con)
    assert (second.inserted, second.replaced) == (1, 1)
    assert _state(con) != before

    result = history.undo_import(con, ADMIN, second.import_id)

    assert _state(con) == before
    assert (result.undone, result.deleted, result.restored) == (second.import_id, 1, 1)
    assert db.data_version(con) == version + 2
    # What the undone import wrote is kept in the history, replaced by the undo.
    kept = con.execute("SELECT neq, jobs_full_time FROM annual_figures_history WHERE replaced_by_import_id = ? "
                       "ORDER BY neq", [result.import_id]).fetchall()
    assert kept == [("1141234567", 15), ("1199999999", kept[1][1])]
    log = con.execute("SELECT actor, channel, undoes FROM imports WHERE id = ?", [result.import_id]).fetchall()
    assert log == [(ADMIN.email, "undo", second.import_id)]
    shown = history.list_imports(con, ADMIN)
    assert shown.loc[shown["id"] == second.import_id, "undone_by"].iloc[0] == result.import_id


def test_undo_of_the_first_import_empties_the_tables(con):
    first = _first(con)
    history.undo_import(con, ADMIN, first.import_id)
    assert _state(con) == {"annual_figures": [], "enterprises": []}


def test_undo_refusals(con):
    first = _first(con)
    second = _second(con)
    with pytest.raises(history.UndoRefused) as refused:
        history.undo_import(con, ADMIN, first.import_id)  # its changed row was replaced by the second
    assert refused.value.key == "undo_replaced_later"
    state = _state(con)
    undo = history.undo_import(con, ADMIN, second.import_id)
    for target, key in ((second.import_id, "undo_already"), (undo.import_id, "undo_not_undoable"),
                        (999, "undo_unknown")):
        with pytest.raises(history.UndoRefused) as refused:
            history.undo_import(con, ADMIN, target)
        assert refused.value.key == key and refused.value.message("fr")
    assert _state(con) != state  # the one allowed undo did its work


def test_undo_is_for_admins_only(con):
    first = _first(con)
    before = _state(con)
    coop = auth.Account("coop@example.org", auth.ENTREPRISE, ("1141234567",))
    for actor in (None, coop):
        with pytest.raises(auth.Forbidden):
            history.undo_import(con, actor, first.import_id)
    assert _state(con) == before


def test_submission_log_by_role(con):
    first = _first(con)
    coop = auth.Account("coop@example.org", auth.ENTREPRISE, ("1141234567",))
    assert history.list_imports(con, ADMIN)["id"].tolist() == [first.import_id]
    assert history.list_imports(con, coop).empty  # it made no submission
    with pytest.raises(auth.Forbidden):
        history.list_imports(con, None)


def _figures(con) -> list:
    """The figures in force without the import numbers (a reload writes the same rows under a new number)."""
    return con.execute("SELECT * EXCLUDE (import_id) FROM annual_figures ORDER BY neq, year").fetchall()


def test_undoing_the_first_real_import_never_brings_the_demo_back(con):
    history.load_demo(con, seed=7)
    history.retire_demo(con, ADMIN)
    first = _first(con)
    assert not db.is_demo(con)
    history.undo_import(con, ADMIN, first.import_id)
    assert not db.is_demo(con) and _figures(con) == []  # an instance that held real data never loads the demo
