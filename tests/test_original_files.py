"""The original file of every import, kept byte for byte in the import's own transaction (command line and app, not
demo data nor undos), read back by history.original_file: admins any, an enterprise account only the files it sent,
nobody else; downloaded from the Journal des envois and from Mes données (AppTest, the button's own bytes)."""

from __future__ import annotations

import pytest
from conftest import ROOT, SMALL_ENTERPRISES, SMALL_HEADERS, write_small_xlsx
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from ess_impact.intake import importer, uploads
from ess_impact.labels import t
from ess_impact.store import auth, db, history

APP = str(ROOT / "app.py")
PASSWORD = "un mot de passe assez long"
ADMIN = auth.system("admin@pole.example")
COOP = auth.Account("coop@example.org", auth.ENTREPRISE, ("1170000001",))
OTHER = auth.Account("autre@example.org", auth.ENTREPRISE, ("1170000002",))


def _coop_file(path) -> bytes:
    """The coop's own rows only, as it would fill the template in (2025, a year the fixtures do not have)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(SMALL_HEADERS)
    neq, name, form, sector, mrc, ft, pt, revenue, hours = SMALL_ENTERPRISES[0]
    sheet.append([neq, name, form, sector, mrc, 2025, ft + 1, pt, revenue, hours])
    book.save(path)
    return path.read_bytes()


def _coop_sends(con, tmp_path) -> tuple[int, bytes]:
    data = _coop_file(tmp_path / "source.xlsx")
    check = uploads.check_upload(con, COOP, "mes données 2025.xlsx", data, tmp_path / "upload")
    assert not check.errors, [p.line() for p in check.errors]
    (result,) = importer.commit(con, [check], COOP, channel="app", accept_warnings=True)
    return result.import_id, data


@pytest.fixture
def con(tmp_path):
    with db.connect(tmp_path / "files.duckdb") as connection:
        yield connection


def test_cli_import_keeps_the_file_byte_for_byte(con, tmp_path):
    source = write_small_xlsx(tmp_path / "déclarations régionales.xlsx")
    csv = tmp_path / "ajouts.csv"  # French Excel's CSV: Windows-1252, kept as sent (not re-encoded)
    csv.write_bytes(";".join(SMALL_HEADERS).encode("cp1252") + b"\r\n" +
                    "1170000009;Coopérative du Fjord;Coopérative;HAB;54;2024;1;0;90000;10\r\n".encode("cp1252"))
    checks = importer.check_files([source, csv], con, actor=ADMIN)
    assert not any(c.errors for c in checks)
    results = importer.commit(con, checks, ADMIN, accept_warnings=True)
    for result, path in zip(results, (source, csv)):
        assert history.original_file(con, ADMIN, result.import_id) == (path.name, path.read_bytes())
    log = history.list_imports(con, ADMIN).set_index("id")
    assert [int(log.loc[r.import_id, "file_size"]) for r in results] == [source.stat().st_size, csv.stat().st_size]
    # The same file again changes nothing: no import row, no second copy.
    again = importer.commit(con, importer.check_files([source], con, actor=ADMIN), ADMIN, accept_warnings=True)
    assert again[0].import_id is None
    assert db.first(con, "SELECT count(*) FROM import_files")[0] == 2


def test_undo_and_unknown_imports_have_no_file(con, tmp_path):
    checks = importer.check_files([write_small_xlsx(tmp_path / "a.xlsx")], con, actor=ADMIN)
    (result,) = importer.commit(con, checks, ADMIN, accept_warnings=True)
    undo = history.undo_import(con, ADMIN, result.import_id)
    assert history.original_file(con, ADMIN, undo.import_id) is None
    assert history.original_file(con, ADMIN, result.import_id)[1] == (tmp_path / "a.xlsx").read_bytes()
    assert history.original_file(con, ADMIN, 99_999) is None
    log = history.list_imports(con, ADMIN).set_index("id")
    assert log["file_size"].isna().loc[undo.import_id]


def test_file_is_written_in_the_import_transaction(con, tmp_path, monkeypatch):
    checks = importer.check_files([write_small_xlsx(tmp_path / "a.xlsx")], con, actor=ADMIN)

    def crash():
        raise RuntimeError("crash inside the transaction")
    monkeypatch.setattr(history, "_pause_for_fault_injection", crash)
    with pytest.raises(RuntimeError):
        importer.commit(con, checks, ADMIN, accept_warnings=True)
    assert db.first(con, "SELECT (SELECT count(*) FROM imports) + (SELECT count(*) FROM import_files)")[0] == 0


def test_only_admins_and_the_sender_may_read_a_file(con, tmp_path):
    admin_checks = importer.check_files([write_small_xlsx(tmp_path / "tout.xlsx")], con, actor=ADMIN)
    (admin_import,) = importer.commit(con, admin_checks, ADMIN, accept_warnings=True)
    coop_import, data = _coop_sends(con, tmp_path)
    assert history.original_file(con, COOP, coop_import) == ("mes données 2025.xlsx", data)
    assert history.original_file(con, ADMIN, coop_import) == ("mes données 2025.xlsx", data)
    for actor, import_id in ((OTHER, coop_import), (COOP, admin_import.import_id), (COOP, 99_999)):
        with pytest.raises(auth.Forbidden) as refused:
            history.original_file(con, actor, import_id)
        assert refused.value.message("fr") == t("forbidden_import_file", "fr", import_id=import_id)
    with pytest.raises(auth.Forbidden):
        history.original_file(con, None, coop_import)


def test_demo_data_keep_no_file(demo_db):
    with db.connect(demo_db) as con:
        assert db.first(con, "SELECT count(*) FROM imports WHERE is_demo")[0] >= 1
        assert db.first(con, "SELECT count(*) FROM import_files")[0] == 0


# ------------------------------------------------------------------------------------------------------ the app
@pytest.fixture
def app_db(small_db, tmp_path, monkeypatch):
    """small_db (imported from declarations.xlsx by the command line's actor), two accounts, and one submission
    the coop made itself in the app."""
    with db.connect(small_db) as connection:
        auth.add_account(connection, auth.SYSTEM, ADMIN.email, auth.ADMIN, PASSWORD)
        auth.add_account(connection, auth.SYSTEM, COOP.email, auth.ENTREPRISE, PASSWORD, list(COOP.neqs))
        coop_import, data = _coop_sends(connection, tmp_path)
    monkeypatch.setenv("ESS_IMPACT_DB", str(small_db))
    return coop_import, data


def _logged_in(email: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run(timeout=180)
    at.switch_page("ess_impact/web/public/login.py").run()
    at.text_input(key="login_email").set_value(email)
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button[0].click().run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _download(downloads: dict, name: str) -> bytes:
    found = [call for file_name, _, call in downloads.values() if file_name == name]
    assert found, [v[0] for v in downloads.values()]
    return found[-1]()


def test_admin_downloads_an_original_from_the_log(app_db, tmp_path, downloads):
    coop_import, coop_data = app_db
    at = _logged_in(ADMIN.email, "ess_impact/web/admin/log.py")
    assert t("original_heading", "fr") in [s.value for s in at.subheader]
    choice = at.selectbox(key="log_original")
    with db.connect() as con:
        first = int(db.first(con, "SELECT min(id) FROM imports")[0])
    assert len(choice.options) == 2 and choice.options[1].startswith(f"n° {first} — ")
    size = round((tmp_path / "declarations.xlsx").stat().st_size / 1024)
    assert choice.options[1].endswith(f"— declarations.xlsx ({size} ko)")
    assert choice.value == coop_import  # the latest first
    assert _download(downloads, "mes données 2025.xlsx") == coop_data
    choice.select(first).run()
    assert _download(downloads, "declarations.xlsx") == (tmp_path / "declarations.xlsx").read_bytes()


def test_enterprise_downloads_only_its_own_files(app_db, downloads):
    coop_import, coop_data = app_db
    at = _logged_in(COOP.email, "ess_impact/web/enterprise/my_data.py")
    choice = at.selectbox(key="my_data_original")
    assert choice.value == coop_import and len(choice.options) == 1  # not the import the pôle made
    assert _download(downloads, "mes données 2025.xlsx") == coop_data
    assert "declarations.xlsx" not in [v[0] for v in downloads.values()]
