"""Confidentiality cost on the demo data (issue 11): protecting one year, every year, the constant-sample cubes of
the latest pair of years, and everything a write invalidates (incremental: only the years whose figures changed),
with the cube SQL time measured in the same run as the baseline.

    .venv/bin/python benchmarks/bench_protection.py [--db PATH] [--json OUT.json] [--compare-with GIT_REV]

CPU seconds (time.process_time) of this process; the cube SQL is the median of 5 runs. Without --db a fresh demo
database is built in a temporary folder (the database given is copied: the run writes to its copy). Also prints the
share of 'x' (cells and value) per table of the latest year, and what a new version of the engine costs (every
released year protected again from its published pattern). `--compare-with REV` also protects the same year with
`ess_impact/publish/confidentiality.py` as it was at that git revision (same run, same cube), for before/after.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _common import forget_protection, scratch_database

from ess_impact.publish import confidentiality, indicators
from ess_impact.store import auth, db, demo, history

SHARE_COLUMNS = ["enterprises", "jobs_total", "revenue_total", "payroll", "volunteer_hours", "members"]
ROOT = Path(__file__).resolve().parents[1]


def cpu(fn, *args, **kwargs):
    start = time.process_time()
    out = fn(*args, **kwargs)
    return time.process_time() - start, out


def shares(public, true) -> dict:
    true = true.set_index("cell")
    out = {}
    public = public.assign(table=public["geo_level"] + "×" + public["cat_kind"])
    for table, part in [*public.groupby("table"), ("all tables", public)]:
        hidden = cells = 0
        row = {}
        for column in SHARE_COLUMNS:
            h = indicators.hidden(part, column)
            hidden, cells = hidden + h.sum(), cells + len(h)
            v = true.loc[part["cell"], column].to_numpy(float)
            row[f"value_x_{column}"] = round(float(np.nansum(v[h]) / max(np.nansum(v), 1e-9)), 4)
        row["cells_x"] = round(float(hidden / cells), 4)
        out[table] = row
    return out


def old_engine(rev: str):
    """confidentiality.py as it was at `rev`, loaded as a module of its own."""
    source = subprocess.run(["git", "show", f"{rev}:ess_impact/publish/confidentiality.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "confidentiality_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("confidentiality_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def protect_with(engine, true, rules):
    """indicators.protect with another confidentiality module."""
    saved = indicators.confidentiality
    indicators.confidentiality = engine
    try:
        return indicators.protect(true, engine.Rules(**vars(rules)))
    finally:
        indicators.confidentiality = saved


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--compare-with", help="git revision of the engine to compare with")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = scratch_database(args.db, folder, "demo.duckdb")
    load_before = os.getloadavg()
    with db.connect(path) as con:
        forget_protection(con)  # cold: no stored cube, no pattern to start from (publish/indicators.py)
        years = indicators.years(con)["year"].tolist()
        year, previous = int(years[-1]), int(years[-2])
        rules = indicators.settings(con).rules
        sql_times = [cpu(indicators.cube, con, year)[0] for _ in range(5)]
        cube_sql = statistics.median(sql_times)
        true = indicators.cube(con, year)
        protect_year, public = cpu(indicators.protect, true, rules)
        result = {"year": year, "cube_sql_cpu_s": round(cube_sql, 3),
                  "protect_one_year_cpu_s": round(protect_year, 3),
                  "protect_one_year_over_cube_sql": round(protect_year / cube_sql, 1)}
        if args.compare_with:
            before_cpu, before = cpu(protect_with, old_engine(args.compare_with), true, rules)
            result["before"] = {"rev": args.compare_with, "protect_one_year_cpu_s": round(before_cpu, 3),
                                "shares": shares(before, true)}
        all_years, _ = cpu(indicators.public_cubes, con)
        panel, panel_public = cpu(indicators.public_panels, con, previous, year)
        territories = panel_public[panel_public["cat_kind"] == "all"]
        panel_shares = {column: round(float(indicators.hidden(territories, column).mean()), 4)
                        for column in SHARE_COLUMNS if column != "enterprises"}
        # A write: 30 more enterprises in the latest year; what it invalidates is recomputed, the rest read back.
        extra = demo.generate(seed=11, years=(year,), n_enterprises=30)
        history.write_imports(con, [("bench", "bench", extra.assign(source_row=None))], auth.SYSTEM, "bench",
                             is_demo=db.is_demo(con))  # a demo database takes demo rows
        cubes_after, _ = cpu(indicators.public_cubes, con)
        panel_after, _ = cpu(indicators.public_panels, con, previous, year)
        result.update({
            "public_cubes_every_year_cold_cpu_s": round(all_years, 3),
            "panel_latest_pair_cold_cpu_s": round(panel, 3),
            "after_write_public_cubes_cpu_s": round(cubes_after, 3),
            "after_write_panel_cpu_s": round(panel_after, 3),
            "write_invalidates_cpu_s": round(cubes_after + panel_after, 3),
            "panel_time_budget_s_per_year": indicators.PANEL_TIME_BUDGET_S,
            "panel_territory_cells_x": panel_shares,
            "shares": shares(public, true),
        })
        # Last (it leaves stored cubes of another format): a new version of the engine (indicators.CUBE_FORMAT),
        # every released year protected again, each from the pattern it was published with (hiding at least as much).
        published = indicators.public_cubes(con)
        format_in_force = indicators.CUBE_FORMAT
        indicators.CUBE_FORMAT = format_in_force + "-bench"
        engine_change, republished = cpu(indicators.public_cubes, con)
        indicators.CUBE_FORMAT = format_in_force
        was = {c: indicators.hidden(published, c) for c in SHARE_COLUMNS}
        now = {c: indicators.hidden(republished, c) for c in SHARE_COLUMNS}
        result["engine_change"] = {
            "public_cubes_every_year_cpu_s": round(engine_change, 3),
            "values_hidden_before": int(sum(v.sum() for v in was.values())),
            "values_hidden_after": int(sum(v.sum() for v in now.values())),
            "values_published_again": int(sum((was[c] & ~now[c]).sum() for c in SHARE_COLUMNS)),  # must be 0
        }
    result["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    result["engine"] = confidentiality.__file__
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
