"""Confidentiality cost on the demo data (issue 11): protecting one year, the constant-sample cubes of the latest
pair of years, and everything a write invalidates, with the cube SQL time measured in the same run as the baseline.

    .venv/bin/python benchmarks/bench_protection.py [--db PATH] [--json OUT.json]

CPU seconds (time.process_time) of this process; the cube SQL is the median of 5 runs. Without --db a fresh demo
database is built in a temporary folder. Also prints the share of 'x' (cells and value) per table of the year.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from ess_impact.publish import indicators
from ess_impact.store import db, history

SHARE_COLUMNS = ["enterprises", "jobs_total", "revenue_total", "payroll", "volunteer_hours", "members"]


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    path = args.db
    if path is None:
        path = Path(tempfile.mkdtemp()) / "demo.duckdb"
        with db.connect(path) as con:
            history.load_demo(con)
    with db.connect(path) as con:
        years = indicators.years(con)["year"].tolist()
        year, previous = int(years[-1]), int(years[-2])
        rules = indicators.settings(con).rules
        sql_times = [cpu(indicators.cube, con, year)[0] for _ in range(5)]
        cube_sql = statistics.median(sql_times)
        true = indicators.cube(con, year)
        protect_year, public = cpu(indicators.protect, true, rules)
        all_years, _ = cpu(indicators.public_cube, con, None)
        panel, _ = cpu(indicators.public_panel, con, previous, year)
        result = {
            "cube_sql_cpu_s": round(cube_sql, 3),
            "protect_one_year_cpu_s": round(protect_year, 3),
            "protect_one_year_over_cube_sql": round(protect_year / cube_sql, 1),
            "public_cubes_every_year_cpu_s": round(all_years, 3),
            "panel_latest_pair_cpu_s": round(panel, 3),
            "write_invalidates_cpu_s": round(all_years + panel, 3),
            "shares": shares(public, true),
        }
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
