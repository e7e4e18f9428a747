"""A new instance's first start, as its first visitor feels it: from `ess-impact run` on an empty database to the
overview showing the demo's figures in Chromium, and to the published snapshot being complete (every constant-sample
pair). Two cases in the same run:

- *shipped*: the empty database, as a new instance has it: the app loads the demo with its shipped patterns
  (ess_impact/data/demo_patterns.parquet), so the background preparer applies them;
- *baseline*: the demo loaded beforehand without them (`load_demo(shipped_patterns=False)`, what a load did before
  they shipped; its load time is added), so the preparer protects every year and pair from nothing.

    .venv/bin/python benchmarks/bench_first_start.py [--port 8655] [--json OUT.json]

Wall seconds (what a visitor waits), one run each; the machine's load average is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import SETTLED  # noqa: E402

from ess_impact.publish import snapshot  # noqa: E402
from ess_impact.store import db, history  # noqa: E402

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]
TIMEOUT_S = 600.0


def first_start(path: Path, port: int) -> dict:
    """Start the app on `path`; seconds until the overview shows figures, and until the snapshot is complete."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "ESS_IMPACT_DB": str(path)}
    started = time.perf_counter()
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "ess-impact"), "run", "--port", str(port), "--address",
                               "127.0.0.1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            while time.perf_counter() - started < TIMEOUT_S:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=30_000)
                    page.wait_for_function(SETTLED, timeout=120_000)
                    if page.locator('[data-testid="stMetric"]').count():
                        out["figures_shown_s"] = round(time.perf_counter() - started, 2)
                        break
                except Exception:  # noqa: BLE001 - the server is not listening yet: try again
                    pass
                time.sleep(0.5)
            browser.close()
        while time.perf_counter() - started < TIMEOUT_S:
            found = snapshot.current(path)
            if found is not None and found.complete and not snapshot.preparing(path):
                out["snapshot_complete_s"] = round(time.perf_counter() - started, 2)
                break
            time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8655)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    result = {"load_average_before": round(os.getloadavg()[0], 2)}
    result["shipped"] = first_start(folder / "new.duckdb", args.port)
    baseline = folder / "baseline.duckdb"
    loaded = time.perf_counter()
    with db.connect(baseline) as con:
        history.load_demo(con, shipped_patterns=False)
    load_s = time.perf_counter() - loaded
    result["baseline"] = {key: round(value + load_s, 2)
                          for key, value in first_start(baseline, args.port + 1).items()}
    result["baseline"]["demo_load_s_included"] = round(load_s, 2)
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
