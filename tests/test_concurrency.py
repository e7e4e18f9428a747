"""Several processes on one DuckDB file: an import killed mid-transaction leaves the database exactly as before;
a writer waits while another process holds the file, and says so in French when it waits too long."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ess_impact.store import db

FIXTURES = Path(__file__).parent / "fixtures"
EXE = str(Path(sys.executable).parent / "ess-impact")
TABLES = ["annual_figures", "annual_figures_history", "imports", "enterprises", "meta", "settings"]


def snapshot(path) -> dict:
    with db.connect(path) as con:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}


def test_killed_import_leaves_the_database_as_before(tmp_path):
    path = tmp_path / "kill.duckdb"
    subprocess.run([EXE, "import", FIXTURES / "ugly_fr.xlsx", "--db", path], check=True, capture_output=True)
    before = snapshot(path)
    env = dict(os.environ, ESS_IMPACT_TEST_PAUSE_IN_TRANSACTION="60")
    proc = subprocess.Popen([EXE, "import", FIXTURES / "warnings.xlsx", "--db", path, "--accept-warnings"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 60
    for line in proc.stdout:  # the rows are written, the transaction is open
        if line.strip() == "ESS_IMPACT_IN_TRANSACTION" or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(path) == before
    done = subprocess.run([EXE, "import", FIXTURES / "warnings.xlsx", "--db", path, "--accept-warnings"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert snapshot(path)["annual_figures"] != before["annual_figures"]


HOLD = """
import sys, time
from ess_impact.store import db
with db.connect(sys.argv[1]) as con:
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(path, seconds):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_import_waits_while_another_process_holds_the_file(tmp_path):
    path = tmp_path / "busy.duckdb"
    with db.connect(path):
        pass
    holder = _hold(path, 2)
    start = time.monotonic()
    out = subprocess.run([EXE, "import", FIXTURES / "ugly_fr.xlsx", "--db", path], capture_output=True, text=True)
    waited = time.monotonic() - start
    holder.wait(timeout=10)
    assert out.returncode == 0, out.stderr
    assert waited > 1.0  # it really had to wait for the other process
    assert len(snapshot(path)["annual_figures"]) == 6


def test_busy_database_gives_a_french_message(tmp_path):
    path = tmp_path / "busy2.duckdb"
    with db.connect(path):
        pass
    holder = _hold(path, 5)
    out = subprocess.run([EXE, "import", FIXTURES / "ugly_fr.xlsx", "--db", path], capture_output=True, text=True,
                         env=dict(os.environ, ESS_IMPACT_DB_TIMEOUT="0.5"))
    holder.kill()
    holder.wait()
    assert out.returncode == 4
    assert "La base de données est occupée par un autre traitement ; réessayez dans un moment." in out.stderr
    assert "Traceback" not in out.stderr
