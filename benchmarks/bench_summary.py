"""Summary queries (one year, by MRC) on DuckDB files of 100 000, 1 000 000 and 10 000 000 annual-figure rows.

    .venv/bin/python benchmarks/bench_summary.py                      # 100k, 1M and 10M rows, 10 repetitions
    .venv/bin/python benchmarks/bench_summary.py --sizes 100k,1M -n 20
    .venv/bin/python benchmarks/bench_summary.py --profile            # + cProfile of the slowest call, largest size

The databases are built once into benchmarks/_work/summary_<rows>.duckdb and reused by later runs (--rebuild to
rebuild them). Building: the schema and reference tables through `db.open_database`, then the fictitious demo
data set (`demo.generate`, 5 years, ≈ 50 000 rows for 11 360 enterprises) replicated in SQL under new NEQs
(amounts varied by copy) until the size is reached, one `imports` row for their import_id, and the
`enterprises` table derived from them. Every copy keeps the years 2020–2024, so a one-year filter selects a
fifth of the table; rows are in NEQ order, not year order (no pruning by year on storage).

Timed, warm (one untimed call first, then the median of N): `indicators.summary(con, "mrc", Filters(year=Y))`
(admin view), the cube SQL alone (`sql/cube.sql` to an Arrow table, no pandas), and
`indicators.summary(..., public=True)` (with confidentiality suppression).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

import pandas as pd
from _common import (
    blas_threads,
    fingerprint,
    fmt_s,
    load,
    machine,
    peak_rss_mib,
    stats,
    table,
    timed,
    work_dir,
)

from ess_impact import sql
from ess_impact.publish import indicators
from ess_impact.publish.indicators import Filters
from ess_impact.store import db, demo

DEFAULT_SIZES = "100k,1M,10M"
TARGET_ROWS = 1_000_000
TARGET_SECONDS = 0.100
YEARS = (2020, 2021, 2022, 2023, 2024)
BUILD_META = "benchmark_rows"
CODE = ["indicators.py", "confidentiality.py", "sql/cube.sql"]


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def label(rows: int) -> str:
    return f"{rows // 1_000_000} M" if rows % 1_000_000 == 0 else f"{rows // 1_000} k" if rows % 1_000 == 0 \
        else str(rows)


# ---------------------------------------------------------------------------------------------------- building
def build(path: Path, rows: int, seed: int) -> dict:
    """Create the database file (at a temporary name, renamed when complete)."""
    tmp = path.with_suffix(".building.duckdb")
    for leftover in (tmp, Path(f"{tmp}.wal")):
        leftover.unlink(missing_ok=True)
    start = time.perf_counter()
    base = demo.generate(seed=seed, years=YEARS)
    base["ent"] = pd.factorize(base["neq"])[0]
    base["pos"] = range(len(base))
    n_ent, n_base = int(base["ent"].max()) + 1, len(base)
    copies = math.ceil(rows / n_base)
    con = db.open_database(tmp)
    try:
        with db.transaction(con):
            import_id = db.first(con, "SELECT nextval('import_id_seq')")[0]
            con.execute(sql.load("insert_import"), [import_id, datetime.now(), "benchmark", "cli",
                                                    f"benchmark-{rows}", "0" * 64, rows, rows, 0, 0, False])
            con.register("base", base)
            # NEQ: 11 followed by 8 digits, a distinct one per (copy, enterprise); amounts scaled by 0.95–1.05
            con.execute("""
                INSERT INTO annual_figures
                SELECT CAST(1100000000 + c.copy * $n_ent + b.ent AS VARCHAR) AS neq,
                       b.year, b.name, b.legal_form, b.sector, b.mrc,
                       b.jobs_full_time, b.jobs_part_time, b.paid_hours,
                       round(b.payroll * (0.95 + (c.copy % 11) * 0.01)),
                       round(b.revenue_total * (0.95 + (c.copy % 11) * 0.01)),
                       round(b.revenue_earned * (0.95 + (c.copy % 11) * 0.01)),
                       round(b.revenue_grants * (0.95 + (c.copy % 11) * 0.01)),
                       b.volunteers, b.volunteer_hours, b.members,
                       $import_id AS import_id, NULL AS source_row
                FROM range($copies) c(copy), base b
                WHERE c.copy * $n_base + b.pos < $rows
                ORDER BY c.copy, b.pos
            """, {"n_ent": n_ent, "import_id": import_id, "copies": copies, "n_base": n_base, "rows": rows})
            con.unregister("base")
            con.execute("""
                INSERT INTO enterprises
                SELECT neq, arg_max(name, year), arg_max(legal_form, year), arg_max(sector, year),
                       arg_max(mrc, year), min(year), max(year)
                FROM annual_figures GROUP BY neq
            """)
            con.execute(sql.load("set_meta"), [BUILD_META, str(rows)])
            db.bump_data_version(con)
        con.execute("CHECKPOINT")
        stored = db.first(con, "SELECT count(*) FROM annual_figures")[0]
    finally:
        con.close()
    if stored != rows:
        raise AssertionError(f"built {stored} rows instead of {rows}")
    tmp.replace(path)
    return {"seconds": time.perf_counter() - start, "size_mb": path.stat().st_size / 1e6}


def database(rows: int, seed: int, rebuild: bool) -> tuple[Path, dict | None]:
    path = work_dir() / f"summary_{rows}.duckdb"
    if path.exists() and not rebuild:
        try:
            with db.connect(path) as con:
                row = db.first(con, sql.load("get_meta"), [BUILD_META])
            if row and int(row[0]) == rows:
                return path, None
        except Exception as exc:  # a broken leftover: rebuild it
            print(f"{path.name}: {exc}; rebuilding", file=sys.stderr)
        path.unlink(missing_ok=True)
    print(f"building {path.name} ...", file=sys.stderr, flush=True)
    built = build(path, rows, seed)
    print(f"  {fmt_s(built['seconds'])}, {built['size_mb']:.0f} MB, peak RSS so far {peak_rss_mib():.0f} MiB",
          file=sys.stderr, flush=True)
    return path, built


# ------------------------------------------------------------------------------------------------------ timing
class _Recorder:
    """Connection proxy that records the queries run through it (to replay exactly what `indicators.cube` runs)."""

    def __init__(self, con):
        self._con, self.calls = con, []

    def execute(self, query, params=None):
        self.calls.append((query, params))
        return self._con.execute(query) if params is None else self._con.execute(query, params)

    def __getattr__(self, name):
        return getattr(self._con, name)


def cube_query(con, year: int) -> tuple[str, object]:
    """The cube SQL and the parameters `indicators.cube(con, year)` executes it with."""
    recorder = _Recorder(con)
    indicators.cube(recorder, year)
    text = sql.load("cube")
    return next((q, p) for q, p in recorder.calls if q == text)


def cube_sql(con, query: tuple[str, object]):
    with warnings.catch_warnings():  # "extra copy of the rows": ~2 000 rows, negligible
        warnings.simplefilter("ignore")
        return con.execute(*query).to_arrow_table()


def measures(con, year: int) -> dict:
    query = cube_query(con, year) if con is not None else None
    return {
        "summary (admin)": lambda: indicators.summary(con, "mrc", Filters(year=year)),
        "cube SQL alone": lambda: cube_sql(con, query),
        "summary (public)": lambda: indicators.summary(con, "mrc", Filters(year=year), public=True),
    }


def run_size(path: Path, repeat: int) -> dict:
    out = {}
    t_open, _, con = timed(db.open_database, path)
    try:
        year = indicators.latest_year(con)
        out["year"] = year
        out["rows"] = db.first(con, "SELECT count(*) FROM annual_figures")[0]
        out["rows_year"] = db.first(con, "SELECT count(*) FROM annual_figures WHERE year = ?", [year])[0]
        out["open"] = t_open
        for name, fn in measures(con, year).items():
            first, _, result = timed(fn)  # warm-up (the first one right after opening: "cold" for the admin summary)
            if name == "summary (admin)":
                out["first_call"] = first
                out["mrc_rows"] = len(result)
            samples = [timed(fn)[:2] for _ in range(repeat)]
            out[name] = stats([wall for wall, _ in samples])
            out[name + " cpu"] = stats([cpu for _, cpu in samples])
    finally:
        con.close()
    return out


def profile(path: Path, name: str, top: int) -> str:
    """cProfile of one warm call of a measure."""
    con = db.open_database(path)
    try:
        fn = measures(con, indicators.latest_year(con))[name]
        fn()
        profiler = cProfile.Profile()
        profiler.enable()
        fn()
        profiler.disable()
    finally:
        con.close()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def operator_profile(path: Path, top: int) -> str:
    """DuckDB's own profile of one warm run of the cube SQL: the operators that take the time (CPU, all threads)."""
    import json

    out_file = work_dir() / "cube_profile.json"
    con = db.open_database(path)
    try:
        query = cube_query(con, indicators.latest_year(con))
        cube_sql(con, query)
        con.execute("PRAGMA enable_profiling = 'json'")
        con.execute(f"PRAGMA profiling_output = '{out_file}'")
        cube_sql(con, query)
        con.execute("PRAGMA disable_profiling")
    finally:
        con.close()
    data = json.loads(out_file.read_text())
    ops = []

    def walk(node):
        info = node.get("extra_info") or {}
        detail = info.get("CTE Name") or info.get("Table") or info.get("Groups") or info.get("Conditions") or ""
        ops.append((node.get("timing") or 0.0, node.get("type"), node.get("operator_cardinality", node.get("intermediate_rows")), str(detail)[:70]))
        for child in node.get("children", []):
            walk(child)

    for node in data["operator"]:
        walk(node)
    total = sum(o[0] for o in ops)
    lines = [f"query CPU time {total * 1000:.1f} ms (all threads); top operators:"]
    for timing, kind, rows, detail in sorted(ops, key=lambda o: -o[0])[:top]:
        lines.append(f"{timing * 1000:8.1f} ms  {kind:<22} rows out {rows!s:>8}  {detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated row counts (default {DEFAULT_SIZES})")
    parser.add_argument("--repeat", "-n", type=int, default=10, help="timed repetitions per measure (default 10)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if present")
    parser.add_argument("--profile", action="store_true",
                        help="DuckDB operator profile of the cube SQL at the largest size, and a cProfile of one "
                             "public summary at the smallest size (the one with the most suppressed cells)")
    parser.add_argument("--profile-top", type=int, default=25)
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]

    built, results = {}, {}
    for rows in sizes:
        path, info = database(rows, args.seed, args.rebuild)
        if info:
            built[rows] = info
    print(f"# Summary benchmark: {', '.join(label(r) for r in sizes)} rows, {args.repeat} warm repetitions\n")
    print(f"Machine: {machine()}  ")
    print(f"DuckDB threads: default (one per CPU); {blas_threads()}  ")
    print(f"Code fingerprint (indicators.py, confidentiality.py, sql/cube.sql): {fingerprint(CODE)}  ")
    print(f"Before: {load()}\n")
    for rows in sizes:
        results[rows] = run_size(work_dir() / f"summary_{rows}.duckdb", args.repeat)

    names = list(measures(None, 0))
    header = ["rows (that year)", *[f"{n}: median / min / max" for n in names], "first admin call after open"]
    lines = []
    for rows, r in results.items():
        cells = [f"{label(rows)} ({r['rows_year']:,} in {r['year']})".replace(",", " ")]
        cells += [f"**{fmt_s(r[n]['median'])}** / {fmt_s(r[n]['min'])} / {fmt_s(r[n]['max'])}" for n in names]
        cells.append(fmt_s(r["first_call"]))
        lines.append(cells)
    print(table(header, lines))
    print("\nCPU time of this process (all threads; steadier than wall time when the machine is shared), median:\n")
    print(table(["rows", *names], [[label(rows), *[fmt_s(r[n + " cpu"]["median"]) for n in names]]
                                   for rows, r in results.items()]))
    print(f"\nAfter: {load()}  ")
    print(f"Peak RSS of this process: {peak_rss_mib():.0f} MiB")
    if built:
        print("\nBuilt in this run: " + "; ".join(
            f"{label(r)}: {fmt_s(b['seconds'])}, {b['size_mb']:.0f} MB" for r, b in built.items()))
    if TARGET_ROWS in results:
        admin = results[TARGET_ROWS]["summary (admin)"]["median"]
        public = results[TARGET_ROWS]["summary (public)"]["median"]
        print(f"\nTarget one-year summary by MRC < {TARGET_SECONDS * 1000:.0f} ms at 1 M rows: "
              f"admin {'met' if admin < TARGET_SECONDS else 'NOT met'} ({fmt_s(admin)}), "
              f"public {'met' if public < TARGET_SECONDS else 'NOT met'} ({fmt_s(public)})")
    if args.profile:
        largest, smallest = max(sizes), min(sizes)
        print(f"\n## DuckDB profile of the cube SQL at {label(largest)} rows\n\n```")
        print(operator_profile(work_dir() / f"summary_{largest}.duckdb", 12))
        print("```")
        print(f"\n## cProfile of one warm public summary at {label(smallest)} rows\n\n```")
        print(profile(work_dir() / f"summary_{smallest}.duckdb", "summary (public)", args.profile_top))
        print("```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
