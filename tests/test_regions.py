"""Regional admins (issue 15): an admin bound to regions acts only on the enterprise-years its regions hold, in the
core. Every core function is called with a wrong actor (an admin of another region) and refused with nothing
written; a file holding an enterprise of another region is refused whole; an enterprise that moved is visible to both
regions for the years each holds; settings, rates and accounts stay provincial; `user add --region`.

The small data set (tests/conftest.py): six enterprises in MRC 54 (Les Maskoutains, region 16 Montérégie), two in
MRC 66 (Montréal, region 06), 2023 and 2024. Here 1170000007 moves from Montréal (2023) to MRC 53 (Pierre-De Saurel,
region 16) in 2024, by a provincial import.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import SMALL_ENTERPRISES, SMALL_HEADERS
from openpyxl import Workbook

from ess_impact import registry, settings_admin, sql
from ess_impact.intake import importer
from ess_impact.publish import completeness, indicators
from ess_impact.store import auth, db, history, notes

PASSWORD = "Érable-en-fleur-2026"
PROVINCIAL = auth.system("direction@quebec.example")
ERABLES, RANG = "1170000001", "1170000002"  # MRC 54, region 16
MOVER, FANAL = "1170000007", "1170000008"   # MRC 66 (region 06); MOVER moves to MRC 53 (region 16) in 2024
TABLES = ["annual_figures", "annual_figures_history", "imports", "enterprises", "enterprise_status", "accounts",
          "account_neqs", "account_regions", "settings", "volunteer_rates", "territory_notes", "import_files"]


@pytest.fixture
def world(small_db):
    """The small database with the move of MOVER, a Montérégie admin (16), a Montréal admin (06) and an Estrie and
    Montérégie admin (05 + 16), created through the core."""
    with db.connect(small_db) as con:
        rows = con.execute(sql.load("stored_figures"), [[MOVER]]).df()
        moved = rows[rows["year"] == 2024].assign(mrc="53", source_row=None)
        history.write_imports(con, [("demenagement.xlsx", "a" * 64, moved)], PROVINCIAL, "cli")
        monteregie = auth.add_account(con, auth.SYSTEM, "pole@monteregie.example", "admin", PASSWORD,
                                      regions=["16"])
        montreal = auth.add_account(con, auth.SYSTEM, "pole@montreal.example", "admin", PASSWORD, regions=["6"])
        two = auth.add_account(con, auth.SYSTEM, "pole@estrie.example", "admin", PASSWORD, regions=["16", "05"])
        yield con, monteregie, montreal, two


def _state(con) -> dict[str, list]:
    return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES}


def _records(con, neqs, **changes) -> pd.DataFrame:
    rows = con.execute(sql.load("stored_figures"), [list(neqs)]).df()
    return rows.assign(source_row=None, **changes)


def _xlsx(path: Path, rows: list[tuple[str, str, int]], factor: float = 1.1) -> Path:
    """A survey file: (NEQ, MRC, year) of the small enterprises, revenue scaled."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(SMALL_HEADERS)
    known = {e[0]: e for e in SMALL_ENTERPRISES}
    for neq, mrc, year in rows:
        _, name, form, sector, _, ft, pt, revenue, hours = known[neq]
        sheet.append([neq, name, form, sector, mrc, year, ft, pt, round(revenue * factor), hours])
    book.save(path)
    return path


# --------------------------------------------------------------------------------------------------- accounts
def test_a_regional_account_keeps_its_regions_through_login_and_session(world):
    con, monteregie, montreal, two = world
    assert monteregie == auth.Account("pole@monteregie.example", "admin", (), ("16",))
    assert montreal.regions == ("06",) and two.regions == ("05", "16")
    assert monteregie.is_regional and not monteregie.is_provincial and PROVINCIAL.is_provincial
    logged = auth.authenticate(con, "pole@montreal.example", PASSWORD)
    assert logged == montreal
    assert auth.resume_session(con, auth.open_session(con, logged)) == montreal
    listed = auth.list_accounts(con, auth.SYSTEM).set_index("email")
    assert listed.loc["pole@estrie.example", "regions"] == "05, 16"
    for regions, key in ((["99"], "account_bad_region"), (["Montérégie"], "account_bad_region")):
        with pytest.raises(auth.InvalidAccount) as refused:
            auth.add_account(con, auth.SYSTEM, "x@pole.example", "admin", PASSWORD, regions=regions)
        assert refused.value.key == key and refused.value.message("fr") != refused.value.message("en")
    with pytest.raises(auth.InvalidAccount) as refused:
        auth.add_account(con, auth.SYSTEM, "c@coop.example", "entreprise", PASSWORD, [ERABLES], regions=["16"])
    assert refused.value.key == "account_region_admin_only"


def test_cli_user_add_with_regions(tmp_path):
    exe = str(Path(sys.executable).parent / "ess-impact")
    path = tmp_path / "cli.duckdb"
    done = subprocess.run([exe, "user", "add", "pole@estrie.example", "--role", "admin", "--region", "16",
                           "--region", "05", "--password-stdin", "--db", str(path)], input=PASSWORD + "\n",
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    with db.connect(path) as con:
        assert auth.authenticate(con, "pole@estrie.example", PASSWORD).regions == ("05", "16")
    bad = subprocess.run([exe, "user", "add", "x@pole.example", "--role", "admin", "--region", "99",
                          "--password-stdin", "--db", str(path)], input=PASSWORD + "\n", capture_output=True,
                         text=True, timeout=120, check=False)
    assert bad.returncode == 1 and "99" in bad.stderr and "Traceback" not in bad.stderr


# ---------------------------------------------------------------------------------------------- every function
def test_every_core_function_refuses_an_admin_of_another_region(world, tmp_path):
    """The wrong actor: Montréal's admin on Montérégie's enterprises, imports and territories (and the provincial
    business), then Montérégie's on Montréal's. Each call is refused (Forbidden), nothing is written."""
    con, monteregie, montreal, two = world
    (provincial_import,) = history.write_imports(con, [("tout.xlsx", "b" * 64, _records(con, [ERABLES, FANAL],
                                                                                         jobs_full_time=9))],
                                                 PROVINCIAL, "cli")
    (own_16,) = history.write_imports(con, [("16.xlsx", "c" * 64, _records(con, [RANG], jobs_full_time=8), b"x")],
                                      monteregie, "app")
    before = _state(con)
    calls = {
        "registry.identity": lambda a: registry.identity(con, a, ERABLES),
        "registry.linked_accounts": lambda a: registry.linked_accounts(con, a, ERABLES),
        "registry.merge_plan": lambda a: registry.merge_plan(con, a, ERABLES, RANG),
        "registry.merge": lambda a: registry.merge(con, a, ERABLES, RANG),
        "registry.status_history": lambda a: registry.status_history(con, a, ERABLES),
        "registry.is_active": lambda a: registry.is_active(con, a, ERABLES),
        "registry.edit": lambda a: registry.edit(con, a, ERABLES, {"name": "Pris"}),
        "registry.set_active": lambda a: registry.set_active(con, a, ERABLES, False, "fermée"),
        "registry.search(region)": lambda a: registry.search(con, a, region="16"),
        "history.enterprise_figures": lambda a: history.enterprise_figures(con, a, ERABLES),
        "history.write_imports": lambda a: history.write_imports(con, [("x.xlsx", "d" * 64,
                                                                        _records(con, [ERABLES]))], a, "app"),
        "history.undo_import(own of 16)": lambda a: history.undo_import(con, a, own_16.import_id),
        "history.undo_import(provincial)": lambda a: history.undo_import(con, a, provincial_import.import_id),
        "history.original_file": lambda a: history.original_file(con, a, own_16.import_id),
        "history.retire_demo": lambda a: history.retire_demo(con, a),
        "completeness.missing": lambda a: completeness.missing(con, a, 2024, region="16"),
        "completeness.rates(mrc)": lambda a: completeness.rates(con, a, 2024, mrc="54"),
        "indicators.unprotected": lambda a: indicators.unprotected(con, a, "16", 2024),
        "notes.put": lambda a: notes.put(con, "mrc", "54", "fr", "Texte", a),
        "settings_admin.current_settings": lambda a: settings_admin.current_settings(con, a),
        "settings_admin.volunteer_rates": lambda a: settings_admin.volunteer_rates(con, a),
        "settings_admin.changes": lambda a: settings_admin.changes(con, a),
        "settings_admin.set_setting": lambda a: settings_admin.set_setting(con, a, "fte_basis_hours", 1900),
        "settings_admin.set_volunteer_rate": lambda a: settings_admin.set_volunteer_rate(con, a, 2026, 17, "x"),
        "settings_admin.delete_volunteer_rate": lambda a: settings_admin.delete_volunteer_rate(con, a, 2019),
        "auth.add_account": lambda a: auth.add_account(con, a, "n@coop.example", "entreprise", PASSWORD, [ERABLES]),
        "auth.list_accounts": lambda a: auth.list_accounts(con, a),
        "auth.disable_account": lambda a: auth.disable_account(con, a, "pole@monteregie.example"),
        "auth.set_password(other)": lambda a: auth.set_password(con, a, "pole@monteregie.example", "x" * 14),
    }
    for name, call in calls.items():
        with pytest.raises(auth.Forbidden):
            call(montreal)
            pytest.fail(f"{name} let Montréal's admin act on Montérégie")
    # and the other way round, on Montréal's enterprise (FANAL) and on the enterprise that moved away (2023)
    for name, call in {
        "registry.identity": lambda a: registry.identity(con, a, FANAL),
        "registry.edit(2023 held by 06)": lambda a: registry.edit(con, a, MOVER, {"name": "Pris"}, from_year=2023),
        "registry.edit(to another region)": lambda a: registry.edit(con, a, MOVER, {"mrc": "66"}, from_year=2024),
        "registry.merge(moved)": lambda a: registry.merge(con, a, ERABLES, MOVER),
        "history.enterprise_figures": lambda a: history.enterprise_figures(con, a, FANAL),
        "history.write_imports(year held by 06)": lambda a: history.write_imports(
            con, [("x.xlsx", "e" * 64, _records(con, [MOVER], mrc="54"))], a, "app"),
        "completeness.rates": lambda a: completeness.rates(con, a, 2024, region="06"),
        "indicators.unprotected": lambda a: indicators.unprotected(con, a, "06"),
    }.items():
        with pytest.raises(auth.Forbidden):
            call(monteregie)
            pytest.fail(f"{name} let Montérégie's admin act on Montréal")
    with pytest.raises(auth.Forbidden):
        indicators.unprotected(con, two)  # two regions, none chosen: not the whole province
    for actor in (None, auth.Account("c@coop.example", auth.ENTREPRISE, (ERABLES,))):
        for call in (calls["indicators.unprotected"], calls["registry.merge"], calls["settings_admin.set_setting"]):
            with pytest.raises(auth.Forbidden):
                call(actor)
    assert _state(con) == before


def test_a_regional_admins_own_password_is_its_own_to_change(world):
    con, monteregie, _, _ = world
    auth.set_password(con, monteregie, monteregie.email, "nouveau mot de passe long")
    assert auth.authenticate(con, monteregie.email, "nouveau mot de passe long") == monteregie


# ------------------------------------------------------------------------------------------------ what each sees
def test_each_region_sees_its_enterprises_and_the_mover_for_the_years_it_held(world):
    con, monteregie, montreal, two = world
    in_16 = set(registry.search(con, monteregie)["neq"])
    in_06 = set(registry.search(con, montreal)["neq"])
    assert in_16 == {e[0] for e in SMALL_ENTERPRISES if e[4] == "54"} | {MOVER}
    assert in_06 == {MOVER, FANAL}
    assert set(registry.search(con, PROVINCIAL)["neq"]) == {e[0] for e in SMALL_ENTERPRISES}
    assert set(registry.search(con, two)["neq"]) == in_16
    assert history.enterprise_figures(con, monteregie, MOVER)["year"].tolist() == [2024]
    assert history.enterprise_figures(con, montreal, MOVER)["year"].tolist() == [2023]
    assert history.enterprise_figures(con, PROVINCIAL, MOVER)["year"].tolist() == [2023, 2024]
    assert registry.identity(con, montreal, MOVER)["neq"] == MOVER
    # its status belongs to the region of its latest year
    registry.set_active(con, monteregie, MOVER, False, "Fermée")
    with pytest.raises(auth.Forbidden):
        registry.set_active(con, montreal, MOVER, True)
    assert not registry.is_active(con, montreal, MOVER)


def test_journal_undo_and_files_of_a_region(world, tmp_path):
    con, monteregie, montreal, _ = world
    path = _xlsx(tmp_path / "monteregie.xlsx", [(ERABLES, "54", 2024), (RANG, "54", 2024)])
    (check,) = importer.check_files([path], con, actor=monteregie)
    assert not check.errors, [p.line() for p in check.errors]
    (done,) = importer.commit(con, [check], monteregie, channel="app", accept_warnings=True)
    journal_16 = history.list_imports(con, monteregie)["id"].tolist()
    assert journal_16 == [done.import_id]  # the provincial imports (both regions) are not its business
    assert history.list_imports(con, montreal).empty
    assert done.import_id in history.list_imports(con, PROVINCIAL)["id"].tolist()
    assert history.original_file(con, monteregie, done.import_id)[1] == path.read_bytes()
    with pytest.raises(auth.Forbidden):
        history.original_file(con, montreal, done.import_id)
    undo = history.undo_import(con, monteregie, done.import_id)
    assert undo.restored == 2
    assert undo.import_id in history.list_imports(con, monteregie)["id"].tolist()


def test_a_file_holding_an_enterprise_of_another_region_is_refused_whole(world, tmp_path):
    con, monteregie, montreal, _ = world
    before = _state(con)
    path = _xlsx(tmp_path / "melange.xlsx", [(ERABLES, "54", 2024), (FANAL, "66", 2024), (MOVER, "53", 2023)])
    (check,) = importer.check_files([path], con, actor=monteregie)
    lines = [p.line("fr") for p in check.errors]
    assert lines[0] == ("melange.xlsx:::: Ce fichier contient des entreprises d'autres régions (1170000007, "
                        "1170000008) : il est refusé en entier. Retirez ces lignes ou confiez le fichier au pôle "
                        "concerné.")
    assert lines[1:] == [
        "melange.xlsx:Données:3:NEQ: L'entreprise « 1170000008 » relève de la région 06 en 2024, hors des régions "
        "de votre compte (16).",
        "melange.xlsx:Données:4:NEQ: L'entreprise « 1170000007 » relève de la région 06 en 2023, hors des régions "
        "de votre compte (16).",  # MRC 53 is in 16, but 2023 is held by Montréal
    ]
    assert check.records["neq"].tolist() == [ERABLES]
    with pytest.raises(importer.ImportRefused):
        importer.commit(con, [check], monteregie, channel="app", accept_warnings=True)
    # the guard in the write itself: checked by the provincial admin, committed by the regional one
    (provincial_check,) = importer.check_files([path], con, actor=PROVINCIAL)
    assert not provincial_check.errors
    with pytest.raises(auth.Forbidden) as refused:
        importer.commit(con, [provincial_check], monteregie, channel="app", accept_warnings=True)
    assert refused.value.message("en").startswith("These enterprises are not (or not wholly, for these years) in")
    assert _state(con) == before
    # without the database (a plain check), the MRC alone decides
    (plain,) = importer.check_files([path], actor=montreal)
    assert sorted(p.value for p in plain.errors if p.code == "foreign_region_row") == [ERABLES, MOVER]


def test_a_region_adds_the_year_of_an_enterprise_that_moved_in(world, tmp_path):
    con, monteregie, montreal, _ = world
    path = _xlsx(tmp_path / "2025.xlsx", [(MOVER, "53", 2025)])
    (check,) = importer.check_files([path], con, actor=monteregie, today=pd.Timestamp("2026-01-01").date())
    assert not check.errors
    importer.commit(con, [check], monteregie, channel="app", accept_warnings=True)
    assert history.enterprise_figures(con, monteregie, MOVER)["year"].tolist() == [2024, 2025]
    assert history.enterprise_figures(con, montreal, MOVER)["year"].tolist() == [2023]
    done = registry.edit(con, monteregie, MOVER, {"name": "Maison des jeunes (Sorel)"}, from_year=2024)
    assert done.changed == 2


def test_completeness_and_unprotected_figures_of_a_region(world):
    con, monteregie, montreal, _ = world
    rates = completeness.rates(con, monteregie, 2024)
    assert "quebec" not in set(rates["level"]) and set(rates["region_code"]) == {"16"}
    assert set(completeness.missing(con, montreal, 2025)["region_code"]) <= {"06"}
    assert set(completeness.rates(con, PROVINCIAL, 2024)["level"]) == {"quebec", "region", "mrc"}
    own = indicators.unprotected(con, monteregie, year=2024)
    assert set(own["geo_level"]) == {"region", "mrc"}
    assert set(own.loc[own["geo_level"] == "region", "geo_code"]) == {"16"}
    assert set(own.loc[own["geo_level"] == "mrc", "region_code"]) == {"16"}
    everything = own[(own["geo_level"] == "region") & (own["cat_kind"] == "all")].iloc[0]
    assert everything["enterprises"] == 7  # six in MRC 54 and the mover in MRC 53, 2024; 2 or fewer: not hidden
    assert set(indicators.unprotected(con, PROVINCIAL, year=2024)["geo_level"]) == {"all", "region", "mrc"}
    notes.put(con, "mrc", "53", "fr", "Pierre-De Saurel", monteregie)
    assert notes.get(con, "mrc", "53") == "Pierre-De Saurel"


# ------------------------------------------------------------------------------------------------------- pages
def test_pages_of_a_regional_admin(world, small_db, monkeypatch):
    """Montréal's admin: no Comptes or Paramètres page; the registry lists its two enterprises only; its region's
    unprotected figures, and no other region to choose."""
    from conftest import app_login, app_page

    con, _, _, _ = world
    auth.set_password(con, auth.SYSTEM, "pole@montreal.example", "un mot de passe assez long")
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db))
    at = app_login("pole@montreal.example")
    assert "Administrateur régional : Montréal" in " ".join(c.value for c in at.sidebar.caption)
    for page in ("ess_impact/web/admin/accounts.py", "ess_impact/web/admin/settings.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    app_page(at, "ess_impact/web/admin/registry.py")
    listed = at.dataframe[0].value
    assert sorted(listed["NEQ"]) == [MOVER, FANAL]
    assert at.selectbox(key="registry_region").options == ["Montréal"]
    app_page(at, "ess_impact/web/admin/figures.py")
    shown = at.dataframe[0].value
    assert shown.iloc[0, 0] == "Montréal" and len(shown) == 2  # the region and its one MRC
    app_page(at, "ess_impact/web/admin/log.py")
    assert at.dataframe[0].value.empty  # every import so far touched Montérégie too
