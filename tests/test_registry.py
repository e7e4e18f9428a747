"""The enterprise registry: tolerant search, identity corrections from a year, merges with overlapping years, undo of
both restoring exactly the previous state, deactivation traced and reversible, admins only, French messages; and the
Registre page (AppTest)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from conftest import (
    ADMIN_EMAIL,
    PASSWORD,
    SMALL_ENTERPRISES,
    SMALL_YEARS,
    app_login,
    app_page,
    with_admin,
)
from streamlit.testing.v1 import AppTest

from ess_impact import labels, registry
from ess_impact.store import auth, db, demo, history

ADMIN = auth.system("admin@pole.example")
COOP = auth.Account("coop@example.org", auth.ENTREPRISE, ("1170000001",))
ERABLES, RANG, MAREE = "1170000001", "1170000002", "1170000003"  # conftest.SMALL_ENTERPRISES
TYPO = "1170000099"  # a mistyped NEQ of Les Érables, made by the tests below


@pytest.fixture
def con(small_db):
    with db.connect(small_db) as connection:
        yield connection


def _state(con) -> dict[str, list]:
    """The figures in force and the identities, whole (like tests/test_undo.py)."""
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
            for table in ("annual_figures", "enterprises")}


def _log(con, import_id: int) -> dict:
    row = con.execute("SELECT * FROM imports WHERE id = ?", [import_id]).df()
    assert len(row) == 1
    return row.iloc[0].to_dict()


def _rows(con, neq: str) -> pd.DataFrame:
    return con.execute("SELECT * FROM annual_figures WHERE neq = ? ORDER BY year", [neq]).df()


def _add_typo_record(con, years: tuple[int, ...]) -> pd.DataFrame:
    """Les Érables also reported under a mistyped NEQ, with other figures, for `years` (through a real import)."""
    base = _rows(con, ERABLES).iloc[[0]]
    records = pd.concat([base.assign(year=year, jobs_full_time=40 + i, revenue_total=123_456.0 + i)
                         for i, year in enumerate(years)], ignore_index=True)
    records = records.assign(neq=TYPO, name="Coop d'habitation Les Erables", source_row=None)
    (result,) = history.write_imports(con, [("coquille.xlsx", "f" * 64, records)], ADMIN, "cli")
    assert result.inserted == len(years)
    return records


# ---------------------------------------------------------------------------------------------------------- search
def test_search_is_tolerant_of_accents_case_and_spacing(con):
    for typed in ("érables", "ERABLES", "Les-Érables", "coop  habitation erables", "1170000001", "1170 000 001"):
        assert registry.search(con, ADMIN, typed)["neq"].tolist() == [ERABLES], typed
    assert registry.search(con, ADMIN, "café coop marée")["neq"].tolist() == [MAREE]
    assert registry.search(con, ADMIN, "nothing like this").empty
    everyone = registry.search(con, ADMIN)
    assert sorted(everyone["neq"]) == sorted(e[0] for e in SMALL_ENTERPRISES)
    assert everyone.attrs["total"] == len(SMALL_ENTERPRISES)
    row = everyone.set_index("neq").loc[ERABLES]
    assert (row["first_year"], row["last_year"], row["mrc"], row["region"]) == (min(SMALL_YEARS), max(SMALL_YEARS),
                                                                               "54", "16")
    assert row["active"] and row["accounts"] == ""


def test_search_filters_and_limit(con):
    in_mrc = {e[0] for e in SMALL_ENTERPRISES if e[4] == "66"}
    assert set(registry.search(con, ADMIN, mrc="66")["neq"]) == in_mrc
    assert set(registry.search(con, ADMIN, region="06")["neq"]) == in_mrc
    health = {e[0] for e in SMALL_ENTERPRISES if e[3] == "SAN"}
    assert set(registry.search(con, ADMIN, sector="SAN")["neq"]) == health
    assert set(registry.search(con, ADMIN, sector="SAN", mrc="66")["neq"]) == health & in_mrc
    limited = registry.search(con, ADMIN, limit=3)
    assert len(limited) == 3 and limited.attrs["total"] == len(SMALL_ENTERPRISES)
    registry.set_active(con, ADMIN, RANG, False, "Fermé en 2024")
    assert registry.search(con, ADMIN, active=False)["neq"].tolist() == [RANG]
    assert RANG not in set(registry.search(con, ADMIN, active=True)["neq"])


def test_search_shows_the_linked_accounts(con):
    auth.add_account(con, auth.SYSTEM, "b@coop.example", auth.ENTREPRISE, "un mot de passe assez long", [ERABLES])
    auth.add_account(con, auth.SYSTEM, "a@coop.example", auth.ENTREPRISE, "un mot de passe assez long", [ERABLES])
    assert registry.search(con, ADMIN, ERABLES)["accounts"].tolist() == ["a@coop.example, b@coop.example"]
    assert registry.linked_accounts(con, ADMIN, ERABLES)["email"].tolist() == ["a@coop.example", "b@coop.example"]


# ------------------------------------------------------------------------------------------------------------ edit
def test_edit_from_a_year_is_an_import(con):
    before = _rows(con, ERABLES)
    version = db.data_version(con)
    done = registry.edit(con, ADMIN, ERABLES, {"name": "  Coop Les Érables ", "sector": "Loisirs et tourisme",
                                               "mrc": "MRC de Pierre-De Saurel"}, from_year=2024)
    after = _rows(con, ERABLES)
    assert (done.changed, done.unchanged, done.is_demo) == (1, 0, False)
    old, new = before.set_index("year"), after.set_index("year")
    assert new.loc[2023].equals(old.loc[2023])  # the year before is untouched
    assert (new.loc[2024, "name"], new.loc[2024, "sector"], new.loc[2024, "mrc"]) == ("Coop Les Érables", "LOI", "53")
    figures = [c for c in before.columns if c not in ("year", "name", "sector", "mrc", "import_id", "source_row")]
    assert new.loc[2024, figures].equals(old.loc[2024, figures])  # the figures do not change
    assert new.loc[2024, "import_id"] == done.import_id
    history = con.execute("SELECT year, name, import_id FROM annual_figures_history WHERE replaced_by_import_id = ?",
                          [done.import_id]).fetchall()
    assert history == [(2024, old.loc[2024, "name"], old.loc[2024, "import_id"])]
    log = _log(con, done.import_id)
    assert (log["actor"], log["channel"], log["n_rows"], log["n_replaced"]) == (ADMIN.email, "registre", 1, 1)
    assert ERABLES in log["file_name"] and "2024" in log["file_name"]
    change = {"operation": "edit", "neq": ERABLES, "from_year": 2024,
              "changes": {"name": "Coop Les Érables", "sector": "LOI", "mrc": "53"}}
    canonical = json.dumps(change, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert log["sha256"] == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    identity = registry.identity(con, ADMIN, ERABLES)  # the latest year gives the identity
    assert (identity["name"], identity["sector"], identity["mrc"]) == ("Coop Les Érables", "LOI", "53")
    assert db.data_version(con) == version + 1


def test_edit_of_every_year_skips_rows_already_right(con):
    registry.edit(con, ADMIN, RANG, {"legal_form": "coop"}, from_year=2024)
    done = registry.edit(con, ADMIN, RANG, {"legal_form": "Coopérative"})
    assert (done.changed, done.unchanged) == (1, 1)
    assert set(_rows(con, RANG)["legal_form"]) == {"COOP"}
    assert "2024" not in _log(con, done.import_id)["file_name"]


def test_undo_of_an_edit_restores_exactly(con):
    before = _state(con)
    done = registry.edit(con, ADMIN, ERABLES, {"name": "Autre nom", "legal_form": "OBNL"})
    assert _state(con) != before
    undone = history.undo_import(con, ADMIN, done.import_id)
    assert _state(con) == before
    assert (undone.deleted, undone.restored) == (0, len(SMALL_YEARS))


@pytest.mark.parametrize("changes, from_year, key, words", [
    ({"mrc": "Maskoutin"}, None, "unknown_mrc", ["Maskoutin", "Vouliez-vous dire"]),
    ({"mrc": "Zzyzx"}, None, "unknown_mrc", ["Zzyzx", "Indiquez le code"]),
    ({"sector": "Pêche sportive"}, None, "unknown_sector", ["Pêche sportive", "Secteurs acceptés"]),
    ({"legal_form": "SARL"}, None, "unknown_legal_form", ["SARL", "Coopérative, OBNL ou Mutuelle"]),
    ({"name": "   "}, None, "registry_name_required", ["nom"]),
    ({"neq": "1170000002"}, None, "registry_unknown_field", ["neq"]),
    ({}, None, "registry_no_change_given", ["au moins une valeur"]),
    ({"name": "Coop d'habitation Les Érables (test)"}, None, "registry_nothing_to_change", [ERABLES]),
    ({"name": "Nouveau nom"}, 2030, "registry_no_years", [ERABLES, "2030"]),
])
def test_edit_refusals_in_french_change_nothing(con, changes, from_year, key, words):
    before, logged = _state(con), con.execute("SELECT count(*) FROM imports").fetchone()
    with pytest.raises(registry.RegistryError) as refused:
        registry.edit(con, ADMIN, ERABLES, changes, from_year)
    assert refused.value.key == key
    message = refused.value.message("fr")
    assert all(word in message for word in words), message
    assert refused.value.message("en") != message
    assert _state(con) == before and con.execute("SELECT count(*) FROM imports").fetchone() == logged


def test_unknown_or_malformed_neq(con):
    for neq, key in (("1170000077", "registry_unknown_neq"), ("11700", "neq_format")):
        with pytest.raises(registry.RegistryError) as refused:
            registry.edit(con, ADMIN, neq, {"name": "X"})
        assert refused.value.key == key and neq in refused.value.message("fr")
        with pytest.raises(registry.RegistryError):
            registry.set_active(con, ADMIN, neq, False, "fermée")


# ----------------------------------------------------------------------------------------------------------- merge
def test_merge_with_overlapping_years(con):
    auth.add_account(con, auth.SYSTEM, "typo@coop.example", auth.ENTREPRISE, "un mot de passe assez long", [TYPO])
    typo = _add_typo_record(con, (2022, 2024)).set_index("year")
    kept_before = _rows(con, ERABLES).set_index("year")
    plan = registry.merge_plan(con, ADMIN, ERABLES, TYPO)
    assert plan[["year", "kept_has_year"]].values.tolist() == [[2022, False], [2024, True]]
    version = db.data_version(con)

    done = registry.merge(con, ADMIN, keep_neq=ERABLES, drop_neq=TYPO)

    assert (done.moved, done.archived, done.accounts) == (1, 1, ["typo@coop.example"])
    assert _rows(con, TYPO).empty
    kept = _rows(con, ERABLES).set_index("year")
    assert sorted(kept.index) == [2022, 2023, 2024]
    assert kept.loc[2022, "jobs_full_time"] == typo.loc[2022, "jobs_full_time"]  # moved as it was
    assert kept.loc[2022, "import_id"] == done.import_id
    pd.testing.assert_frame_equal(kept.loc[[2023, 2024]], kept_before, check_dtype=False)  # its rows stay
    archived = con.execute("SELECT neq, year, jobs_full_time FROM annual_figures_history "
                           "WHERE replaced_by_import_id = ? ORDER BY year", [done.import_id]).fetchall()
    assert archived == [(TYPO, 2022, typo.loc[2022, "jobs_full_time"]), (TYPO, 2024, typo.loc[2024, "jobs_full_time"])]
    assert registry.search(con, ADMIN, TYPO).empty
    assert registry.identity(con, ADMIN, ERABLES)["first_year"] == 2022
    log = _log(con, done.import_id)
    assert (log["channel"], log["n_rows"], log["n_inserted"], log["n_replaced"]) == ("fusion", 2, 1, 1)
    assert TYPO in log["file_name"] and ERABLES in log["file_name"]
    assert db.data_version(con) == version + 1
    # Accounts are not changed by a merge.
    assert registry.linked_accounts(con, ADMIN, TYPO)["email"].tolist() == ["typo@coop.example"]


def test_undo_of_a_merge_restores_exactly(con):
    _add_typo_record(con, (2022, 2024))
    before = _state(con)
    done = registry.merge(con, ADMIN, ERABLES, TYPO)
    assert _state(con) != before
    undone = history.undo_import(con, ADMIN, done.import_id)
    assert _state(con) == before
    assert (undone.deleted, undone.restored) == (1, 2)


def test_undo_of_a_merge_is_refused_once_the_merged_neq_is_imported_again(con):
    records = _add_typo_record(con, (2024,))
    done = registry.merge(con, ADMIN, ERABLES, TYPO)
    history.write_imports(con, [("encore.xlsx", "e" * 64, records)], ADMIN, "cli")  # the typo comes back
    state = _state(con)
    with pytest.raises(history.UndoRefused) as refused:
        history.undo_import(con, ADMIN, done.import_id)
    assert refused.value.key == "undo_replaced_later"
    assert _state(con) == state


def test_merge_refusals(con):
    before = _state(con)
    for keep, drop, key in ((ERABLES, ERABLES, "registry_same_neq"), (ERABLES, "1170000077", "registry_unknown_neq"),
                            ("1170000077", ERABLES, "registry_unknown_neq")):
        with pytest.raises(registry.RegistryError) as refused:
            registry.merge(con, ADMIN, keep, drop)
        assert refused.value.key == key and refused.value.message("fr")
    assert _state(con) == before


# ---------------------------------------------------------------------------------------------------------- status
def test_deactivate_then_reactivate_is_traced_and_keeps_the_figures(con):
    before = _state(con)
    version = db.data_version(con)
    with pytest.raises(registry.RegistryError) as refused:
        registry.set_active(con, ADMIN, RANG, False, "  ")
    assert refused.value.key == "registry_note_required"
    gone = registry.set_active(con, ADMIN, RANG, False, "Fermé en 2024")
    assert not registry.is_active(con, ADMIN, RANG) and registry.is_active(con, ADMIN, ERABLES)
    assert _state(con) == before  # no figure deleted: still in the totals of the years it reported
    assert db.data_version(con) == version + 1
    assert con.execute("SELECT active, note, changed_by FROM enterprise_status WHERE neq = ?", [RANG]).fetchall() == \
        [(False, "Fermé en 2024", ADMIN.email)]
    with pytest.raises(registry.RegistryError) as refused:
        registry.set_active(con, ADMIN, RANG, False, "encore")
    assert refused.value.key == "registry_already_inactive"
    back = registry.set_active(con, auth.system("autre@pole.example"), RANG, True, "Rouvert")
    assert registry.is_active(con, ADMIN, RANG)
    history = registry.status_history(con, ADMIN, RANG)
    assert history[["active", "note", "changed_by"]].values.tolist() == [
        [True, "Rouvert", "autre@pole.example"], [False, "Fermé en 2024", ADMIN.email]]
    assert history["changed_at"].tolist() == [back.changed_at, gone.changed_at]
    with pytest.raises(registry.RegistryError) as refused:
        registry.set_active(con, ADMIN, RANG, True)
    assert refused.value.key == "registry_already_active"


# ---------------------------------------------------------------------------------------------------------- access
def test_enterprise_accounts_and_anonymous_are_refused_everywhere(con):
    _add_typo_record(con, (2022,))
    before = _state(con)
    calls = [
        lambda actor: registry.search(con, actor),
        lambda actor: registry.identity(con, actor, ERABLES),
        lambda actor: registry.linked_accounts(con, actor, ERABLES),
        lambda actor: registry.merge_plan(con, actor, ERABLES, TYPO),
        lambda actor: registry.status_history(con, actor, ERABLES),
        lambda actor: registry.edit(con, actor, ERABLES, {"name": "Pris"}),
        lambda actor: registry.merge(con, actor, ERABLES, TYPO),
        lambda actor: registry.set_active(con, actor, ERABLES, False, "fermée"),
    ]
    for actor in (None, COOP):
        for call in calls:
            with pytest.raises(auth.Forbidden):
                call(actor)
    with pytest.raises(auth.Forbidden):
        registry.is_active(con, None, ERABLES)
    with pytest.raises(auth.Forbidden):
        registry.is_active(con, COOP, RANG)  # another enterprise's status
    assert registry.is_active(con, COOP, ERABLES)  # its own
    assert _state(con) == before
    assert con.execute("SELECT count(*) FROM enterprise_status").fetchone()[0] == 0


# ------------------------------------------------------------------------------------------------------------ demo
def test_on_demo_data_a_correction_is_flagged_demo_and_goes_with_them(small_db, tmp_path):
    with db.connect(tmp_path / "demo.duckdb") as con:
        frame = demo.generate(seed=7).assign(sheet="demo", source_row=None)
        frame = frame[frame["neq"].isin(frame["neq"].unique()[:5])]
        history.write_imports(con, [("demo", "d" * 64, frame)], auth.system("demo"), "demo", is_demo=True)
        neq = frame["neq"].iloc[0]
        done = registry.edit(con, ADMIN, neq, {"name": "Essai sur la démo"})
        registry.set_active(con, ADMIN, frame["neq"].iloc[1], False, "essai")
        assert done.is_demo and db.is_demo(con)
        with pytest.raises(history.UndoRefused):
            history.undo_import(con, ADMIN, done.import_id)
        real = _rows_of_small(small_db)
        with pytest.raises(history.DemoInForce):
            history.write_imports(con, [("vraies.xlsx", "r" * 64, real)], ADMIN, "cli")
        history.retire_demo(con, ADMIN)
        history.write_imports(con, [("vraies.xlsx", "r" * 64, real)], ADMIN, "cli")
        assert not db.is_demo(con)
        assert set(con.execute("SELECT DISTINCT neq FROM annual_figures").df()["neq"]) == set(real["neq"])
        assert con.execute("SELECT count(*) FROM enterprise_status").fetchone()[0] == 0


def _rows_of_small(path) -> pd.DataFrame:
    with db.connect(path) as other:
        return other.execute("SELECT * FROM annual_figures").df().assign(source_row=None)


# -------------------------------------------------------------------------------------------------------- the page
def test_results_and_plan_tables_speak_the_readers_language(con):
    found = registry.search(con, ADMIN, mrc="66")
    french, english = registry.results_table(found, "fr"), registry.results_table(found, "en")
    assert list(french.frame["NEQ"]) == list(found["neq"])
    assert "SAN" in set(found["sector"])  # Maison des jeunes du Quai
    assert "Santé et conditions de vie" in set(french.frame[labels.t("sector", "fr")])
    assert "Health and living conditions" in set(english.frame[labels.t("sector", "en")])
    assert set(french.frame[labels.t("registry_status", "fr")]) == {labels.t("registry_active", "fr")}
    _add_typo_record(con, (2022, 2024))
    plan = registry.plan_table(registry.merge_plan(con, ADMIN, ERABLES, TYPO), ERABLES, "fr")
    assert plan[labels.t("registry_merge_what", "fr")].tolist() == [
        labels.t("registry_merge_moves", "fr", keep=ERABLES), labels.t("registry_merge_archived", "fr", keep=ERABLES)]


APP_PAGE = "ess_impact/web/admin/registry.py"


@pytest.fixture
def admin_app(small_db, monkeypatch):
    with_admin(small_db, monkeypatch)
    with db.connect(small_db) as connection:
        _add_typo_record(connection, (2022, 2024))
        auth.add_account(connection, auth.SYSTEM, "typo@coop.example", auth.ENTREPRISE, PASSWORD, [TYPO])
    return app_page(app_login(ADMIN_EMAIL), APP_PAGE)


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.app
def test_page_search_and_edit(admin_app, small_db):
    at = admin_app
    _clean(at)
    assert [t.value for t in at.title] == [labels.t("nav_admin_registry", "fr")]
    at.text_input(key="registry_text").set_value("ÉRABLES").run()
    _clean(at)
    assert set(at.dataframe[0].value["NEQ"]) == {ERABLES, TYPO}
    at.selectbox(key="registry_neq").set_value(ERABLES).run()
    _clean(at)
    assert f"({ERABLES})" in at.subheader[0].value
    at.text_input(key=f"registry_name_{ERABLES}").set_value("Coop Les Érables du Rang")
    at.selectbox(key=f"registry_since_{ERABLES}").set_value(2024)
    at.button(key=f"FormSubmitter:registry_edit_{ERABLES}-{labels.t('registry_edit_button', 'fr')}").click().run()
    _clean(at)
    with db.connect(small_db) as connection:
        rows = _rows(connection, ERABLES).set_index("year")
        import_id = int(rows.loc[2024, "import_id"])
        assert _log(connection, import_id)["channel"] == "registre"
    assert rows.loc[2024, "name"] == "Coop Les Érables du Rang" and rows.loc[2023, "name"] != rows.loc[2024, "name"]
    assert [s.value for s in at.success] == [f"Correction enregistrée (envoi n° {import_id}) : 1 année modifiée. " +
                                             labels.t("registry_undo_hint", "fr")]


@pytest.mark.app
def test_page_merge_and_deactivate(admin_app, small_db):
    at = admin_app
    at.text_input(key="registry_text").set_value(TYPO).run()
    _clean(at)
    assert at.selectbox(key="registry_neq").value == TYPO  # the only result opens
    at.text_input(key=f"registry_merge_text_{TYPO}").set_value("erables").run()
    at.selectbox(key=f"registry_merge_other_{TYPO}").set_value(ERABLES).run()
    at.radio(key=f"registry_merge_keep_{TYPO}_{ERABLES}").set_value(ERABLES).run()
    _clean(at)
    assert at.button(key=f"registry_merge_button_{TYPO}").disabled
    at.checkbox(key=f"registry_merge_sure_{TYPO}_{ERABLES}").check().run()
    at.button(key=f"registry_merge_button_{TYPO}").click().run()
    _clean(at)
    with db.connect(small_db) as connection:
        assert _rows(connection, TYPO).empty
        merge_id = int(_rows(connection, ERABLES).set_index("year").loc[2022, "import_id"])
    assert [s.value for s in at.success] == [
        f"Fusion enregistrée (envoi n° {merge_id}) : 1 année déplacée de {TYPO} vers {ERABLES}, 1 archivée. "
        + labels.t("registry_undo_hint", "fr")]
    assert [w.value for w in at.warning] == [labels.t("registry_merge_accounts", "fr", drop=TYPO,
                                                      emails="typo@coop.example")]
    assert at.selectbox(key="registry_neq").value == ERABLES  # the record kept is open
    at.text_input(key=f"registry_note_{ERABLES}").set_value("Fermée en 2025")
    at.button(key=f"FormSubmitter:registry_status_{ERABLES}-{labels.t('registry_deactivate_button', 'fr')}"
              ).click().run()
    _clean(at)
    assert [s.value for s in at.success] == [labels.t("registry_deactivated", "fr", neq=ERABLES)]
    with db.connect(small_db) as connection:
        assert not registry.is_active(connection, ADMIN, ERABLES)
