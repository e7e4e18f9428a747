"""Server-side time of each dashboard page, at the demo scale (≈ 50 000 rows) and at 10× it (≈ 500 000 rows).

    .venv/bin/python benchmarks/bench_pages.py                  # demo and 10x, 5 interactions per page
    .venv/bin/python benchmarks/bench_pages.py --scales demo -n 10

A page is run in-process with streamlit.testing (AppTest): the time of `run()` is the time the server spends
executing the page script for one request (no network, no browser rendering). For each database:

1. *protect*: computing the protected (public) cubes of every year and storing them in the database
   (`indicators.public_cubes`), what the very first visitor after an import waits for; then *read back*: the
   same call once stored, what a new server process pays.
2. per page, *first view*: the first run in this process (Streamlit's in-memory cache empty, the stored cube read
   back from the database);
3. per page, *interaction*: the median of N runs after changing a filter or the indicator (the in-memory cache
   warm), the target being under 300 ms at the demo scale.

Databases: benchmarks/_work/pages_demo.duckdb (the demo data set) and the 500k-row database of bench_summary.py
(the demo set replicated under new NEQs).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import blas_threads, fingerprint, fmt_s, forget_protection, load, timed, work_dir  # noqa: E402

from ess_impact.publish import indicators  # noqa: E402
from ess_impact.store import db, history  # noqa: E402

# page, query parameters of the first view, interactions: (widget kind, key, values to alternate)
PAGES = [
    ("ess_impact/web/public/overview.py", {}, ("selectbox", "region", [None, "16"])),
    ("ess_impact/web/public/territories.py", {"region": "16"}, ("selectbox", "mrc", ["54", "58"])),
    ("ess_impact/web/public/sectors.py", {"region": "16"}, ("selectbox", "ind", ["revenue_total", "jobs_total"])),
    ("ess_impact/web/public/compare.py", {"comparer": ["mrc:54", "region:16", "region:06"]},
     ("selectbox", "ind", ["revenue_total", "jobs_total"])),
    ("ess_impact/web/public/methodology.py", {}, None),
]


def demo_database() -> Path:
    path = work_dir() / "pages_demo.duckdb"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        with db.connect(tmp) as con:
            history.load_demo(con)
        tmp.replace(path)
    return path


def ten_times_database() -> Path:
    import bench_summary

    path, _ = bench_summary.database(500_000, 2026, rebuild=False)
    return path


def reset_store(path: Path) -> None:
    with db.connect(path) as con:
        forget_protection(con)


def protect_times(path: Path) -> dict:
    reset_store(path)
    with db.connect(path) as con:
        rows = db.first(con, "SELECT count(*) FROM annual_figures")[0]
        wall, cpu, _ = timed(indicators.public_cubes, con)
        back, _, _ = timed(indicators.public_cubes, con)
        years = indicators.years(con)["year"].tolist()
        # the constant-sample cubes of the latest pair, shown on the overview cards
        panel, _, _ = timed(indicators.public_panels, con, years[-2], years[-1])
    return {"rows": rows, "protect": wall, "protect_cpu": cpu, "read_back": back, "panel": panel}


def page_times(path: Path, repeat: int) -> list[dict]:
    from streamlit.testing.v1 import AppTest

    os.environ["ESS_IMPACT_DB"] = str(path)
    out = []
    for page, params, interaction in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()  # the router's first run computes nothing page-specific; switch to the page next
        start = time.perf_counter()
        at.switch_page(page).run()
        first = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
        samples = []
        if interaction:
            kind, key, values = interaction
            for i in range(repeat):
                widget = at.get(kind)
                target = [w for w in widget if w.key == key]
                if not target:
                    target = [w for w in at.sidebar.get(kind) if w.key == key]
                target[0].set_value(values[i % len(values)])
                start = time.perf_counter()
                at.run()
                samples.append(time.perf_counter() - start)
                if at.exception:
                    raise RuntimeError(f"{page}: {at.exception[0].value}")
        else:
            for _ in range(repeat):
                start = time.perf_counter()
                at.run()
                samples.append(time.perf_counter() - start)
        out.append({"page": Path(page).stem, "first": first, "median": statistics.median(samples),
                    "max": max(samples)})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="demo,10x", help="comma-separated: demo, 10x")
    parser.add_argument("-n", "--repeat", type=int, default=5, help="interactions per page")
    args = parser.parse_args(argv)
    scales = {"demo": demo_database, "10x": ten_times_database}
    print(f"# Page benchmark — {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, {blas_threads()}")
    print(f"# before: {load()}; code {fingerprint(['indicators.py', 'confidentiality.py', 'views.py', 'charts.py', 'tables.py'])}\n")
    for scale in args.scales.split(","):
        source = scales[scale]()
        path = work_dir() / f"pages_{scale}_run.duckdb"
        shutil.copyfile(source, path)
        protect = protect_times(path)
        print(f"## {scale}: {protect['rows']:,} rows\n")
        print(f"- protect every year and store: {fmt_s(protect['protect'])} wall ({fmt_s(protect['protect_cpu'])} CPU)")
        print(f"- read the stored cube back: {fmt_s(protect['read_back'])}")
        print(f"- constant-sample cubes of the latest two years: {fmt_s(protect['panel'])}\n")
        print("| page | first view | interaction (median) | interaction (max) | < 300 ms? |")
        print("|---|---|---|---|---|")
        for row in page_times(path, args.repeat):
            ok = "yes" if row["median"] < 0.3 else "no"
            print(f"| {row['page']} | {fmt_s(row['first'])} | {fmt_s(row['median'])} | {fmt_s(row['max'])} | {ok} |")
        print()
        path.unlink(missing_ok=True)
    print(f"# after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
