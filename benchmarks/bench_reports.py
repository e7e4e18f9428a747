"""Reports: one MRC's PDF, and the 13 MRC reports of Montérégie (region 16), on the demo data set.

    .venv/bin/python benchmarks/bench_reports.py            # 3 repetitions of each measure
    .venv/bin/python benchmarks/bench_reports.py -n 5

Timed as a director runs them, through the installed command (`ess-impact report ...`, a new process each time:
Python start, imports, database, cube, one Chromium for the charts, files written):

- one PDF (`--mrc 54`), **cold**: the protected cubes are not stored yet (the `cube_store` table emptied before
  each run, as after a change of settings), so the run protects every year and the constant-sample pair;
- one PDF, **warm**: the protected cubes are read back from the database (the usual case: they are prepared right
  after each import);
- `--all-mrc --region 16` (13 PDFs), warm and cold.

Then, in this process, where the time of a warm single PDF goes (reading the cubes, gathering the report,
starting the browser, drawing the charts, writing the PDF).

The database is built once into benchmarks/_work/reports_demo.duckdb (demo data, ≈ 50 000 rows) and reused.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import fingerprint, fmt_s, forget_protection, load, machine, stats, table, timed, work_dir

from ess_impact.output import reports
from ess_impact.store import db, history

EXE = str(Path(sys.executable).parent / "ess-impact")
CODE = ["reports/__init__.py", "reports/data.py", "reports/content.py", "reports/images.py", "reports/pdf.py",
        "reports/office.py", "reports/command.py", "charts.py", "tables.py", "indicators.py"]
TARGET_ONE_S = 5.0
TARGET_REGION_S = 60.0


def database() -> Path:
    path = work_dir() / "reports_demo.duckdb"
    if not path.exists():
        print(f"building {path.name} (demo data) ...", file=sys.stderr, flush=True)
        with db.connect(path) as con:
            history.load_demo(con)
    return path


def forget_cubes(path: Path) -> None:
    """Forget the protected cubes and patterns: the next run computes them (benchmark only)."""
    with db.connect(path) as con:
        forget_protection(con)


def command(path: Path, out: Path, *args) -> float:
    start = time.perf_counter()
    result = subprocess.run([EXE, "report", *args, "--db", str(path), "--out", str(out)], capture_output=True,
                            text=True, timeout=600)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"ess-impact report {' '.join(args)} failed:\n{result.stderr}")
    return seconds


def breakdown(path: Path) -> list[list]:
    """Where a warm single PDF spends its time, in this process."""
    rows = []
    with db.connect(path) as con:
        seconds, _, context = timed(reports.Context.load, con)
        rows.append(["read the protected cubes (`Context.load`)", fmt_s(seconds)])
        seconds, _, data = timed(reports.report_data, con, reports.territory("mrc", "54"), None, "fr", context)
        rows.append(["gather the report (`report_data`, constant-sample cubes included)", fmt_s(seconds)])
    renderer = reports.ChartRenderer()
    seconds, _, _ = timed(renderer.start)
    rows.append(["start Chromium (kaleido, 1 tab)", fmt_s(seconds)])
    charts = reports.all_charts(data)
    seconds, _, pngs = timed(renderer.render, charts)
    rows.append([f"draw the {len(charts)} charts (PNG, scale 2)", fmt_s(seconds)])
    seconds, _, _ = timed(renderer.render, charts)
    rows.append(["draw them again (browser warm)", fmt_s(seconds)])
    from ess_impact.output.reports import pdf

    seconds, _, document = timed(pdf.render, data, charts, pngs)
    rows.append([f"lay out and write the PDF ({len(document) // 1024} KiB)", fmt_s(seconds)])
    seconds, _, _ = timed(renderer.close)
    rows.append(["close Chromium", fmt_s(seconds)])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--repeat", type=int, default=3)
    args = parser.parse_args()
    path = database()
    scratch = Path(tempfile.mkdtemp(prefix="bench_reports_", dir=work_dir()))
    load_before = load()
    measures = {}
    try:
        command(path, scratch / "warmup.pdf", "--mrc", "54")  # disk cache, stored cubes
        for label, cold, extra in (("one PDF (MRC 54), cold cube", True, ["--mrc", "54"]),
                                   ("one PDF (MRC 54), warm cube", False, ["--mrc", "54"]),
                                   ("13 MRC PDFs of Montérégie (`--all-mrc --region 16`), warm cube", False,
                                    ["--all-mrc", "--region", "16"]),
                                   ("13 MRC PDFs of Montérégie, cold cube", True, ["--all-mrc", "--region", "16"])):
            samples = []
            for i in range(args.repeat):
                if cold:
                    forget_cubes(path)
                out = scratch / f"{len(measures)}-{i}" / ("r.pdf" if "--mrc" in extra else "")
                samples.append(command(path, out, *extra))
            measures[label] = stats(samples)
            print(f"{label}: {fmt_s(measures[label]['median'])}", file=sys.stderr, flush=True)
        count = len(list((scratch / "2-0").glob("*.pdf")))
        assert count == 13, count
        parts = breakdown(path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    one = measures["one PDF (MRC 54), warm cube"]["median"]
    region = measures["13 MRC PDFs of Montérégie (`--all-mrc --region 16`), warm cube"]["median"]
    print(f"## Reports ({time.strftime('%Y-%m-%d')}, code {fingerprint(CODE)})\n")
    print(f"Machine: {machine()}; {load_before} before, {load()} after.\n")
    print(f"Wall time of `ess-impact report` (new process each time), {args.repeat} runs each:\n")
    print(table(["run", "median", "min", "max"],
                [[k, f"**{fmt_s(v['median'])}**", fmt_s(v["min"]), fmt_s(v["max"])] for k, v in measures.items()]))
    print("\nTargets: one PDF under 5 s: " + ("**met**" if one < TARGET_ONE_S else "**not met**") +
          f" ({fmt_s(one)}, warm cube); 13 MRCs under 60 s: " +
          ("**met**" if region < TARGET_REGION_S else "**not met**") + f" ({fmt_s(region)}, warm cube).\n")
    print("Where a warm single PDF spends its time (in-process):\n")
    print(table(["step", "wall"], parts))


if __name__ == "__main__":
    main()
