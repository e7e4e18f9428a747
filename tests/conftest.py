"""Shared fixtures: databases (demo, small real import), the Streamlit server, a headless Chromium.

Nothing here skips a test: a missing browser or a server that does not start makes the tests fail, loudly.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ess_impact import labels
from ess_impact.intake import importer
from ess_impact.publish import snapshot
from ess_impact.store import auth, db, history, releases
from ess_impact.web import server

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT_S = 60.0



# ------------------------------------------------------------------------------------- background publications
def publishers_under(folder: Path) -> list[int]:
    """The background publications (python -m ess_impact.publish.snapshot DB) running for a database in `folder`."""
    found = []
    prefix = str(folder).encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if len(args) >= 4 and args[2] == b"ess_impact.publish.snapshot" and args[3].startswith(prefix):
            found.append(int(entry.name))
    return found


@pytest.fixture(autouse=True)
def _no_publication_left(request):
    """A test that writes to a database in its `tmp_path` (an import, the demo's load, a setting) starts that
    database's background publication: a process of its own, most of a minute of CPU for the demo data. Nobody reads
    it once the test is over, so it is stopped then instead of slowing the tests that follow."""
    if "tmp_path" not in request.fixturenames:
        yield
        return
    folder = request.getfixturevalue("tmp_path")  # the test's own (set up here, torn down after this fixture)
    yield
    for pid in publishers_under(folder):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# --------------------------------------------------------------------------------------------------- databases
def _build_demo(path: Path) -> None:
    with db.connect(path) as con:
        assert history.load_demo(con) is not None
    snapshot.prepare(path)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A DuckDB file holding the fictitious demonstration data set, with its published snapshot (what the app's
    background preparation leaves after the load: pages and reports read it instead of computing protection).

    Its protection is most of a minute of CPU: under pytest-xdist the first worker to need it builds it once, in the
    folder the workers of this run share, and every worker takes its own copy (a test may write to its copy; DuckDB
    lets one process at a time open a file for writing)."""
    path = tmp_path_factory.mktemp("demo_db") / "demo.duckdb"
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        _build_demo(path)
        return path
    shared = tmp_path_factory.getbasetemp().parent / "demo_db_shared"  # this run's folder, above each worker's
    shared.mkdir(exist_ok=True)
    built = shared / "demo.duckdb"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        if not (shared / "done").exists():
            _build_demo(built)
            (shared / "done").touch()
    return copy_database(built, path)


def copy_database_file(source: Path, target: Path) -> Path:
    """A copy of a closed database file (and of its write-ahead log, when there is one)."""
    shutil.copyfile(source, target)
    if source.with_name(source.name + ".wal").exists():
        shutil.copyfile(source.with_name(source.name + ".wal"), target.with_name(target.name + ".wal"))
    return target


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a closed database file with its published snapshot, as a running instance has them."""
    copy_database_file(source, target)
    shutil.copytree(snapshot.folder(source), snapshot.folder(target))
    return target


# 8 enterprises, 2 MRCs in 2 regions, 2 years. Montréal (region 06) has only 2 enterprises: fewer than the
# minimum count of 3, so its cells are suppressed, and so is Montérégie (region 16), else Québec minus
# Montérégie would give Montréal back.
SMALL_YEARS = (2023, 2024)
SMALL_ENTERPRISES = [
    # NEQ, name, legal form, sector, MRC, full-time jobs, part-time jobs, revenue, volunteer hours
    ("1170000001", "Coop d'habitation Les Érables (test)", "Coopérative", "HAB", "54", 2, 1, 180_000, 300),
    ("1170000002", "Centre communautaire du Rang (test)", "OBNL", "SAN", "54", 6, 4, 520_000, 2_400),
    ("1170000003", "Café-coop La Marée (test)", "Coopérative", "COM", "54", 3, 5, 410_000, 150),
    ("1170000004", "CPE Le Bercail (test)", "OBNL", "EDU", "54", 18, 6, 1_600_000, 500),
    ("1170000005", "Ressourcerie du Vallon (test)", "OBNL", "ENV", "54", 4, 2, 350_000, 1_200),
    ("1170000006", "Théâtre La Lanterne (test)", "OBNL", "ART", "54", 3, 7, 420_000, 3_000),
    ("1170000007", "Maison des jeunes du Quai (test)", "OBNL", "SAN", "66", 2, 3, 260_000, 900),
    ("1170000008", "Coop de travail Le Fanal (test)", "Coopérative", "SER", "66", 5, 0, 610_000, 0),
]
SMALL_HEADERS = ["NEQ", "Nom de l'entreprise", "Forme juridique", "Secteur", "MRC", "Année",
                 "Emplois à temps plein", "Emplois à temps partiel", "Revenus totaux ($)", "Heures de bénévolat"]


def write_small_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(SMALL_HEADERS)
    for year in SMALL_YEARS:
        growth = 1.0 if year == SMALL_YEARS[0] else 1.06
        for neq, name, form, sector, mrc, ft, pt, revenue, hours in SMALL_ENTERPRISES:
            sheet.append([neq, name, form, sector, mrc, year, ft, pt, round(revenue * growth), hours])
    book.save(path)
    return path


@pytest.fixture(scope="session")
def _small_db_template(tmp_path_factory) -> Path:
    """small_db as the importer leaves it, built once per worker: each test gets a copy (a copy is milliseconds, an
    import through the sandboxed reader over half a second). Not small_db_session: page tests read and cache into
    that one while others run."""
    folder = tmp_path_factory.mktemp("small_db_template")
    path = folder / "small.duckdb"
    assert import_declarations(write_small_xlsx(folder / "declarations.xlsx"), path) == \
        len(SMALL_ENTERPRISES) * len(SMALL_YEARS)
    return path


@pytest.fixture
def small_db(tmp_path, _small_db_template) -> Path:
    """A DuckDB file with a handful of real (non-demo) rows, imported like a user would (from declarations.xlsx,
    beside it), the test's own copy."""
    shutil.copyfile(_small_db_template.with_name("declarations.xlsx"), tmp_path / "declarations.xlsx")
    return copy_database_file(_small_db_template, tmp_path / "small.duckdb")


def import_declarations(source: Path, path: Path, release: bool = True) -> int:
    """Import a declarations file into the database at `path` as the command line would, then (`release`) release
    the years never released, as a pôle does once its survey is over (store/releases.py); the rows written."""
    with db.connect(path) as con:
        checks = importer.check_files([source], con, actor=auth.system("pytest"))
        problems = [p.line("fr") for c in checks for p in c.errors]
        assert not problems, problems
        results = importer.commit(con, checks, actor=auth.system("pytest"), channel="cli", accept_warnings=True)
        assert not db.is_demo(con)
        if release:
            releases.release_new_years(con, auth.system("pytest"))
    return sum(r.inserted for r in results)


@pytest.fixture(scope="session")
def small_db_session(tmp_path_factory) -> Path:
    """small_db, once per session, for tests that only read it (the page tests: one set of cached cubes)."""
    folder = tmp_path_factory.mktemp("small_db")
    path = folder / "small.duckdb"
    assert import_declarations(write_small_xlsx(folder / "declarations.xlsx"), path) == \
        len(SMALL_ENTERPRISES) * len(SMALL_YEARS)
    return path


# A data set made of small groups, for the confidentiality walk: 3 years, 4 regions; MRCs of 1, 2, 3, 4 and more
# enterprises; sectors and legal forms with one or two enterprises in an MRC; an MRC where one enterprise holds
# most of the revenue (dominance rule) and one where one enterprise gives most of the volunteer hours; enterprises
# that start or stop reporting (constant sample differs from the raw one); an MRC that reported in the first year
# only. Figures come from a seeded generator so that amounts are distinctive (not round): a shown number equal to
# a confidential one is then a leak, not a coincidence.
GROUPS_YEARS = (2022, 2023, 2024)
GROUPS_ENTERPRISES = [
    # MRC, sector, legal form, years reported (None: all), what it dominates in its MRC (None, revenue, hours)
    ("54", "SAN", "OBNL", None, None), ("54", "SAN", "OBNL", None, None), ("54", "SAN", "COOP", None, None),
    ("54", "HAB", "COOP", None, None), ("54", "HAB", "OBNL", None, None), ("54", "EDU", "OBNL", None, None),
    ("54", "COM", "COOP", None, None), ("54", "ENV", "OBNL", None, None), ("54", "ART", "MUT", None, None),
    ("53", "COM", "COOP", None, "revenue"), ("53", "SAN", "OBNL", None, None), ("53", "LOI", "OBNL", None, None),
    ("53", "LOI", "OBNL", None, None),
    ("55", "SAN", "OBNL", None, None), ("55", "HAB", "COOP", None, None),
    ("57", "LOI", "OBNL", (2022,), None),
    ("66", "SAN", "OBNL", None, None), ("66", "SAN", "OBNL", None, None), ("66", "ART", "OBNL", None, None),
    ("66", "EDU", "COOP", None, None), ("66", "SER", "COOP", (2022, 2023), None), ("66", "COM", "COOP", (2024,), None),
    ("39", "SAN", "OBNL", None, None), ("39", "LOI", "OBNL", None, None), ("39", "AGR", "COOP", None, "hours"),
    ("49", "SAN", "OBNL", None, None), ("49", "EDU", "OBNL", None, None), ("49", "HAB", "COOP", None, None),
    ("49", "ENV", "OBNL", None, None), ("49", "SER", "COOP", None, None),
    ("65", "ART", "OBNL", None, None),
]
GROUPS_HEADERS = ["NEQ", "Nom de l'entreprise", "Forme juridique", "Secteur", "MRC", "Année",
                  "Emplois à temps plein", "Emplois à temps partiel", "Heures rémunérées", "Masse salariale ($)",
                  "Revenus totaux ($)", "Revenus autonomes ($)", "Subventions publiques ($)", "Nombre de bénévoles",
                  "Heures de bénévolat", "Membres"]
GROUPS_FORMS = {"COOP": "Coopérative", "OBNL": "OBNL", "MUT": "Mutuelle"}


def gathered_rows(seed: int, years, n_enterprises: int = 900):
    """Demo-like rows gathered in eight MRCs of two regions (Montérégie, Mauricie), so that territories are published
    and some sector cells are not."""
    from ess_impact import reference
    from ess_impact.store import demo

    frame = demo.generate(seed=seed, years=years, n_enterprises=n_enterprises)
    mrcs = reference.mrcs()
    chosen = [code for region in ("16", "05") for code in sorted(mrcs[mrcs["region_code"] == region]["code"])[:4]]
    codes = {neq: chosen[k % len(chosen)] for k, neq in enumerate(sorted(frame["neq"].unique()))}
    return frame.assign(mrc=frame["neq"].map(codes))


def write_small_groups_xlsx(path: Path, seed: int = 20240531) -> Path:
    import numpy as np
    from openpyxl import Workbook

    rng = np.random.default_rng(seed)
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    sheet.append(GROUPS_HEADERS)
    for i, (mrc, sector, form, years, dominates) in enumerate(GROUPS_ENTERPRISES, start=1):
        full, part = int(rng.integers(2, 38)), int(rng.integers(0, 23))
        hourly = rng.uniform(19, 31)
        revenue = rng.uniform(1.4, 2.3) * hourly * (full * 1_800 + part * 800) + rng.integers(1, 997)
        revenue *= 60 if dominates == "revenue" else 1
        volunteers = int(rng.integers(4, 90))
        per_volunteer = rng.uniform(9, 55) * (45 if dominates == "hours" else 1)
        members = int(rng.integers(25, 1_900)) if form != "OBNL" else int(rng.integers(0, 260))
        earned, grants = rng.uniform(0.2, 0.85), rng.uniform(0.3, 0.95)
        for year in GROUPS_YEARS:
            if years is not None and year not in years:
                continue
            drift = 1 + (year - GROUPS_YEARS[0]) * rng.uniform(-0.04, 0.09)
            paid_hours = round((full * rng.uniform(1_650, 1_950) + part * rng.uniform(450, 1_050)) * drift)
            total = round(revenue * drift)
            sheet.append([f"33{i:08d}", f"Entreprise d'essai {i} ({sector}, MRC {mrc})", GROUPS_FORMS[form], sector,
                          mrc, year, full, part, paid_hours, round(paid_hours * hourly), total,
                          round(total * earned), round(total * (1 - earned) * grants), volunteers,
                          round(volunteers * per_volunteer * drift), members])
    book.save(path)
    return path


@pytest.fixture(scope="session")
def small_groups_db(tmp_path_factory) -> Path:
    """The small-groups data set above, imported like a user would."""
    folder = tmp_path_factory.mktemp("small_groups_db")
    path = folder / "groups.duckdb"
    rows = sum(len(GROUPS_YEARS) if years is None else len(years) for *_, years, _ in GROUPS_ENTERPRISES)
    assert import_declarations(write_small_groups_xlsx(folder / "declarations.xlsx"), path) == rows
    return path


# ------------------------------------------------------------------------------------------------------ server
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def serve(db_path: Path, log_dir: Path, command=None, cwd: Path = ROOT):
    """The app as `ess-impact run` starts it, on a free port, on the given database; yields the base URL.
    `command(port)` gives another way of starting it (e.g. an installed `ess-impact run`), run in `cwd`."""
    port = _free_port()
    log_path = log_dir / "streamlit.log"
    env = {**os.environ, "ESS_IMPACT_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
    command = command(port) if command else server.command(port, address="127.0.0.1")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _healthy(f"{base}/_stcore/health"):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with code {process.returncode}:\n{log_path.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer /_stcore/health within {SERVER_START_TIMEOUT_S:.0f} s:\n"
                            f"{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base
    finally:
        _stop(process)
        server_log = log_path.read_text(errors="replace")
        if "Traceback" in server_log:
            print(f"\n--- streamlit server log ({log_path}) ---\n{server_log}")
        if "internal error, reference" in server_log:  # a page failed; ui.guarded showed a message instead
            pytest.fail(f"a page raised an unexpected error (ui.guarded), see the server log above: {log_path}")


@contextlib.contextmanager
def serve_small_with_enterprise(tmp_path_factory, name: str):
    """The small data set plus the enterprise account COOP_EMAIL, served; yields (base URL, database, folder)."""
    folder = tmp_path_factory.mktemp(f"{name}_e2e")
    source = write_small_xlsx(folder / "declarations.xlsx")
    path = folder / f"{name}.duckdb"
    with db.connect(path) as con:
        checks = importer.check_files([source], con, actor=auth.SYSTEM)
        importer.commit(con, checks, actor=auth.SYSTEM, accept_warnings=True)
        releases.release_new_years(con, auth.SYSTEM)
        auth.add_account(con, auth.SYSTEM, COOP_EMAIL, auth.ENTREPRISE, PASSWORD, [COOP_NEQ])
    with serve(path, folder) as base:
        yield base, path, folder


@pytest.fixture(scope="session")
def app_server(demo_db, tmp_path_factory):
    """The app on the demo database, for the whole session."""
    with serve(demo_db, tmp_path_factory.mktemp("server")) as base:
        yield base


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# ----------------------------------------------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Never downloads a browser; fails (not skips) without one."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: the end-to-end tests need Debian's Chromium "
                    "(`apt-get install chromium`, done by `make test`).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ at the repository root (git-ignored): screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# ------------------------------------------------------------------------------------------- AppTest downloads
@pytest.fixture
def downloads(monkeypatch) -> dict:
    """The data behind every st.download_button of an AppTest run, by the file id the button carries. The app's
    buttons make their file on click (a callable registered with Streamlit's media file manager); AppTest cannot
    click them, so the callable is kept here for the test to call: the very bytes a reader would get."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    captured: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)
        captured[file_id] = (file_name, mimetype, data_callable)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return captured


# ------------------------------------------------------------------------------------------ logged-in app tests
APP = str(ROOT / "app.py")
PASSWORD = "un mot de passe assez long"
ADMIN_EMAIL, COOP_EMAIL, COOP_NEQ = "admin@pole.example", "coop@example.org", "1170000001"
# In the browser: the app's script has finished its run (Streamlit marks it on the page) and no element is left
# dimmed from an earlier run (Streamlit fades a stale element until the run that replaces it ends: an accessibility
# audit would see its faded text as a contrast failure), no element still waits for its code (Streamlit loads each
# kind of element's code when first needed and shows a skeleton meanwhile: under load, a caption could be drawn before
# the st.html that carries the page's style, in Streamlit's own grey) and every chart is drawn.
SETTLED = """() => document.querySelector('[data-test-script-state]')?.getAttribute('data-test-script-state')
        === 'notRunning' && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(e => e.querySelector('.main-svg'))"""


# What the page shows and what screen readers read of it: text (icons' names, scripts and styles left out) and the
# attributes that name or describe an element.
SHOWN_TEXTS = """() => {
    const out = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const text = walker.currentNode.textContent.trim();
        if (text && !walker.currentNode.parentElement.closest(
                'script, style, noscript, [data-testid=stIconMaterial], [translate=no]')) out.add(text);
    }
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [aria-valuetext]'))
        for (const name of ['aria-label', 'title', 'placeholder', 'aria-valuetext'])
            if (element.getAttribute(name)) out.add(element.getAttribute(name).trim());
    return [...out];
}"""
# English words of Streamlit's texts that no French text of the app uses: one of them in the French interface is a
# text the catalogue does not translate yet (ui.STREAMLIT_TEXTS)
ENGLISH_WORDS = {"upload", "drag", "browse", "choose", "selected", "search", "clear", "show", "hide", "press",
                 "enter", "apply", "submit", "sort", "fullscreen", "autoscale", "reset", "increment", "decrement",
                 "previous", "next", "month", "year", "day", "per", "file", "files", "password", "results",
                 "sidebar", "collapse", "expand", "skip", "download", "plot", "help", "remove", "app", "the", "and",
                 "of", "to", "no"}


def english_of_streamlit(texts: list[str]) -> list[str]:
    """The texts of `texts` that are Streamlit's own English ones (ui.STREAMLIT_TEXTS, exactly or by pattern) or
    hold an English word of ENGLISH_WORDS."""
    from ess_impact.web import ui

    config = ui.streamlit_texts_config("fr")
    patterns = [re.compile(f"^{source}$") for source, french in config["patterns"]
                if re.sub(r"\$\d", "", french) != re.sub(r"\(\.\+\?\)", "", source).replace("\\", "")]
    return [text for text in texts if text in config["exact"] or any(p.match(text) for p in patterns)
            or set(re.findall(r"[a-zà-ÿ]+", re.sub(r"--[\w-]+", "", text.lower()))) & ENGLISH_WORDS]


def with_admin(path: Path, monkeypatch, email: str = ADMIN_EMAIL) -> Path:
    """The database at `path` with an admin account, and the app (AppTest) pointed at it."""
    with db.connect(path) as con:
        auth.add_account(con, auth.SYSTEM, email, auth.ADMIN, PASSWORD)
    monkeypatch.setenv("ESS_IMPACT_DB", str(path))
    return path


def reset_peak_rss() -> None:
    """Start measuring this process's peak memory afresh (Linux: VmHWM is reset by writing 5 to clear_refs), so that
    a test measures itself and not the tests the same worker ran before."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss() -> int:
    """This process's peak resident memory in bytes since reset_peak_rss() (or since it started)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def app_clean(at) -> None:
    """No exception on the page, neither Streamlit's nor one the app's catch-all (ui.guarded) turned into a message."""
    assert not at.exception, [e.value for e in at.exception]
    marker = labels.t("internal_error", "fr", reference="").split(";")[0]
    assert not [e.value for e in at.error if marker in str(e.value)], "ui.guarded caught an error: see the log"


def app_login(email: str, password: str = PASSWORD):
    """An AppTest run of the app, logged in through the login page. The database's snapshot is published first, in
    this process: a test that holds the file open (its own connection) would otherwise keep the app's background
    preparer waiting for the file for a minute."""
    from streamlit.testing.v1 import AppTest

    if os.environ.get("ESS_IMPACT_DB"):
        snapshot.prepare(os.environ["ESS_IMPACT_DB"])
    at = AppTest.from_file(APP, default_timeout=60)
    at.run(timeout=180)
    app_clean(at)
    at.switch_page("ess_impact/web/public/login.py").run()
    app_clean(at)
    at.text_input(key="login_email").set_value(email)
    at.text_input(key="login_password").set_value(password)
    at.button[0].click().run()
    app_clean(at)
    return at


def app_page(at, page: str):
    at.switch_page(page).run()
    app_clean(at)
    return at


# ------------------------------------------------------------------------------------------ the everyday subset
# `make check` runs the core tests only (under a minute on 2 CPUs): tests that drive the app (AppTest or a browser),
# start a command-line process or LibreOffice, or need the full demo data set are marked `app`/`slow` here, from
# what their code calls, so that a new test is classified without anyone remembering to mark it.
_APP_CALLS = ("AppTest", "app_login", "app_page", "_login(", "_on_page(", "_logged_in(", "tour(", "start(")
_SLOW_CALLS = ("subprocess", "run(\"", "run('", "ess-impact", "soffice", "demo_db", "demo_con", "load_demo(",
               "serve(", "_cli(", "gathered_rows(")


def pytest_collection_modifyitems(config, items):
    import inspect

    for item in items:
        function = getattr(item, "function", None)
        if function is None:
            continue
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):
            continue
        fixtures = set(getattr(item, "fixturenames", ()))
        if any(call in source for call in _APP_CALLS):
            item.add_marker(pytest.mark.app)
        if any(call in source for call in _SLOW_CALLS) or fixtures & {"demo_db", "demo_con", "app_server", "browser"}:
            item.add_marker(pytest.mark.slow)
