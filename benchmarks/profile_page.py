"""Where a page run's time goes: cProfile around the app's router in AppTest (in-process), on the demo data.

    .venv/bin/python benchmarks/profile_page.py                       # the overview, 5 warm runs profiled
    .venv/bin/python benchmarks/profile_page.py --page territories --query region=16 --query mrc=54 --top 40

The database is benchmarks/_work/load_demo.duckdb (made by bench_load.py) with its published snapshot. The first run
(cold: the snapshot read from disk) is timed apart; then N runs are profiled together and the functions with the
largest cumulative time are printed, with the CPU time of a run.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import load, work_dir  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ess_impact.publish import snapshot  # noqa: E402
from ess_impact.web import router  # noqa: E402

PAGES = {"overview": "ess_impact/web/public/overview.py", "territories": "ess_impact/web/public/territories.py",
         "compare": "ess_impact/web/public/compare.py", "sectors": "ess_impact/web/public/sectors.py"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", choices=list(PAGES), default="overview")
    parser.add_argument("--query", action="append", default=[], help="key=value, repeatable")
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime…")
    args = parser.parse_args()
    path = work_dir() / "load_demo.duckdb"
    if snapshot.current(path) is None:
        snapshot.prepare(path)
    os.environ["ESS_IMPACT_DB"] = str(path)

    profile = cProfile.Profile()
    original = router.main
    active = {"on": False}

    def profiled():
        if active["on"]:
            profile.enable()
        try:
            original()
        finally:
            if active["on"]:
                profile.disable()

    router.main = profiled
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for item in args.query:
        key, value = item.split("=", 1)
        at.query_params[key] = value
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    if args.page != "overview":
        at.switch_page(PAGES[args.page]).run()
    assert not at.exception, [e.value for e in at.exception]
    walls, cpus = [], []
    active["on"] = True
    for _ in range(args.n):
        cpu, wall = time.process_time(), time.perf_counter()
        at.run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"# profile of {args.page} — {time.strftime('%Y-%m-%d %H:%M')} — {load()}")
    print(f"first run (app start in this process, snapshot from disk): {first * 1000:.0f} ms")
    print(f"warm runs: median {statistics.median(walls) * 1000:.0f} ms wall, {statistics.median(cpus) * 1000:.0f} ms "
          f"CPU (n = {args.n})")
    stats = pstats.Stats(profile)
    stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
