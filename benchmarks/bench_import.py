"""Import of a large .xlsx: our importer (python-calamine read, validation, one-transaction write to DuckDB)
against pandas + openpyxl merely reading the same file.

    .venv/bin/python benchmarks/bench_import.py                # 50 000 rows, 5 repetitions
    .venv/bin/python benchmarks/bench_import.py --rows 10000 --repeat 3
    .venv/bin/python benchmarks/bench_import.py --profile      # + cProfile of one full import (top functions)

The workbook is generated once (benchmarks/_work/import_<rows>_<seed>.xlsx, reused by later runs; --regenerate
to rebuild it) from `demo.generate`, the way people fill the template in: a title row above the French headers,
MRC as "Usual name (code)" or by name, sectors and legal forms as French labels, NEQs as text or numbers, some
amounts typed as text ("1 234 567,50 $"), "n/d" for some unknown values, a currency number format on amount cells.

Every repetition imports into a fresh temporary DuckDB file (created and migrated outside the timed part).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import pstats
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from _common import fingerprint, fmt_s, load, machine, stats, table, timed, work_dir
from ess_impact import auth, db, demo, importer, readers, reference
from ess_impact.fields import FIELDS

TARGET_SECONDS = 3.0
TARGET_RATIO = 10.0
AMOUNT_FORMAT = '#,##0.00 "$"'
ACTOR = auth.system("benchmark")  # an admin, as the command line
CODE = ["importer.py", "readers.py", "cells.py", "reference.py", "storage.py", "db.py", "fields.py",
        "sql/stage_rows.sql", "sql/insert_staged.sql", "sql/refresh_enterprises.sql"]


# ------------------------------------------------------------------------------------------------- the workbook
def _french_money(value: float, space: str) -> str:
    """1234567.5 -> '1 234 567,50 $' (with the given thousands separator)."""
    whole, cents = divmod(round(value * 100), 100)
    return f"{whole:,}".replace(",", space) + f",{cents:02d}" + space + "$"


def _mrc_texts() -> dict[str, tuple[str, str, str]]:
    """code -> ('Usual name (code)', usual name, official name); a bare name only where it matches unambiguously."""
    matcher = reference.mrc_matcher()
    out = {}
    for r in reference.mrcs().itertuples():
        coded = f"{r.usual_name} ({r.code})"
        usual = r.usual_name if matcher.match(r.usual_name).code == r.code else coded
        official = r.name if matcher.match(r.name).code == r.code else coded
        out[r.code] = (coded, usual, official)
    return out


def make_frame(rows: int, seed: int) -> pd.DataFrame:
    """`rows` enterprise-years of fictitious data (one (NEQ, year) each), columns = fields.FIELDS keys."""
    years = (2020, 2021, 2022, 2023, 2024)
    n_enterprises = max(1, math.ceil(rows / (len(years) * 0.85)))
    frame = demo.generate(seed=seed, years=years, n_enterprises=n_enterprises)
    if len(frame) < rows:
        raise SystemExit(f"demo.generate gave {len(frame)} rows, fewer than {rows}")
    return frame.head(rows).reset_index(drop=True)


def write_workbook(frame: pd.DataFrame, path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed + 1)
    n = len(frame)
    mrc_text = _mrc_texts()
    sector_label = dict(zip(reference.sectors()["code"], reference.sectors()["label_fr"]))
    form_label = dict(zip(reference.legal_forms()["code"], reference.legal_forms()["label_fr"]))
    form_variant = {"COOP": "coop", "OBNL": "OBNL", "MUT": "mutuelle"}
    kinds = {f.key: f.kind for f in FIELDS}

    style = rng.random((n, 4))           # per row: NEQ, MRC, sector and legal form spelling
    as_text = rng.random((n, len(FIELDS))) < 0.15   # amounts typed as text
    unknown_word = rng.random((n, len(FIELDS))) < 0.2  # an empty optional cell written "n/d" rather than blank

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Données")
    ws.append(["Déclaration annuelle des entreprises d'économie sociale — 2020 à 2024 (données fictives)"])
    ws.append([f.header_fr for f in FIELDS])
    columns = {f.key: frame[f.key].tolist() for f in FIELDS}
    for i in range(n):
        out = []
        for j, f in enumerate(FIELDS):
            value = columns[f.key][i]
            kind = kinds[f.key]
            if kind == "neq":
                out.append(int(value) if style[i, 0] < 0.3 else value)
            elif kind == "mrc":
                coded, usual, official = mrc_text[value]
                out.append(coded if style[i, 1] < 0.5 else usual if style[i, 1] < 0.9 else official)
            elif kind == "sector":
                out.append(value if style[i, 2] < 0.1 else sector_label[value])
            elif kind == "legal_form":
                out.append(form_variant[value] if style[i, 3] < 0.1 else form_label[value])
            elif kind == "text":
                out.append(value)
            elif kind == "year":
                out.append(int(value))
            elif value != value:  # NaN: optional and unknown
                out.append("n/d" if unknown_word[i, j] else None)
            elif kind == "int":
                out.append(int(value))
            elif kind == "amount":
                if as_text[i, j]:
                    out.append(_french_money(value, "\u00a0" if j % 2 else " "))
                else:
                    cell = WriteOnlyCell(ws, value=float(value))
                    cell.number_format = AMOUNT_FORMAT
                    out.append(cell)
            else:  # hours
                out.append(float(value))
        ws.append(out)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)


def workbook(rows: int, seed: int, regenerate: bool) -> Path:
    path = work_dir() / f"import_{rows}_{seed}.xlsx"
    if regenerate or not path.exists():
        print(f"generating {path} ...", file=sys.stderr, flush=True)
        seconds, _, _ = timed(write_workbook, make_frame(rows, seed), path, seed)
        print(f"  written in {seconds:.1f} s ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr, flush=True)
    return path


# ---------------------------------------------------------------------------------------------------- the runs
def pandas_read(path: Path) -> pd.DataFrame:
    # header=1: the header is on the 2nd row, under the title (the same work as header=0, a usable frame)
    return pd.read_excel(path, engine="openpyxl", header=1)


def import_once(path: Path, folder: Path) -> dict:
    """One full import into a fresh DuckDB file: wall and CPU times of check_files, commit, and both."""
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        target = Path(tmp) / "bench.duckdb"
        t_open, c_open, con = timed(db.open_database, target)
        try:
            t_check, c_check, checks = timed(importer.check_files, [path], con, actor=ACTOR)
            t_commit, c_commit, results = timed(importer.commit, con, checks, actor=ACTOR,
                                                accept_warnings=True)
            check = checks[0]
            stored = db.first(con, "SELECT count(*) FROM annual_figures")[0]
        finally:
            con.close()
    return {"open": (t_open, c_open), "check": (t_check, c_check), "commit": (t_commit, c_commit),
            "total": (t_check + t_commit, c_check + c_commit),
            "errors": len(check.errors), "warnings": len(check.warnings), "records": len(check.records),
            "inserted": results[0].inserted, "stored": stored, "first_errors": [p.line() for p in check.errors[:5]]}


def profile_once(path: Path, folder: Path, top: int) -> str:
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        con = db.open_database(Path(tmp) / "bench.duckdb")
        profiler = cProfile.Profile()
        try:
            profiler.enable()
            checks = importer.check_files([path], con, actor=ACTOR)
            importer.commit(con, checks, actor=ACTOR, accept_warnings=True)
            profiler.disable()
        finally:
            con.close()
    out = io.StringIO()
    stats_ = pstats.Stats(profiler, stream=out).strip_dirs()
    stats_.sort_stats("cumulative").print_stats(top)
    stats_.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="data rows in the workbook (default 50 000)")
    parser.add_argument("--repeat", "-n", type=int, default=5, help="repetitions of each measure (default 5)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the workbook even if present")
    parser.add_argument("--skip-pandas", action="store_true", help="do not time pandas + openpyxl")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one full import")
    parser.add_argument("--profile-top", type=int, default=25)
    args = parser.parse_args(argv)

    path = workbook(args.rows, args.seed, args.regenerate)
    folder = work_dir()
    print(f"# Import benchmark: {args.rows} rows, {args.repeat} repetitions\n")
    print(f"Machine: {machine()}  ")
    print(f"File: {path.name}, {path.stat().st_size / 1e6:.1f} MB  ")
    print(f"Code fingerprint (importer, readers, cells, reference, storage, db, fields, write SQL): "
          f"{fingerprint(CODE)}  ")
    print(f"Before: {load()}\n")

    # calamine read alone (the first step of check_files), then the full import, then pandas
    read = [timed(readers.read_grids, path)[:2] for _ in range(args.repeat)]
    runs = [import_once(path, folder) for _ in range(args.repeat)]
    first = runs[0]
    if first["errors"] or first["records"] != args.rows or first["stored"] != args.rows:
        print("\n".join(first["first_errors"]), file=sys.stderr)
        raise AssertionError(f"expected {args.rows} valid rows and 0 errors, got {first['records']} rows, "
                             f"{first['errors']} errors, {first['stored']} stored")
    pandas_times = [] if args.skip_pandas else [timed(pandas_read, path)[:2] for _ in range(args.repeat)]

    def both(samples):  # (wall stats, cpu stats)
        return stats([w for w, _ in samples]), stats([c for _, c in samples])

    reads = both(read)
    check, commit, total, opened = (both([r[k] for r in runs]) for k in ("check", "commit", "total", "open"))
    validate = both([(c[0] - reads[0]["median"], c[1] - reads[1]["median"]) for c in (r["check"] for r in runs)])

    def row(label, measure, bold=False):
        cells = [fmt_s(measure[0]["median"]), fmt_s(measure[0]["min"]), fmt_s(measure[1]["median"])]
        if bold:
            cells[0] = f"**{cells[0]}**"
        return [label, *cells]

    rows = [
        row("read (python-calamine, `readers.read_grids` alone)", reads),
        row("validate (`check_files` − median read)", validate),
        row("`check_files` (read + validate)", check),
        row("write (`commit`, one transaction)", commit),
        row("**full import** (`check_files` + `commit`)", total, bold=True),
        row("(outside the import) create + migrate the empty DuckDB file", opened),
    ]
    if pandas_times:
        p = both(pandas_times)
        rows.append(row('`pd.read_excel(path, engine="openpyxl", header=1)` (read only)', p))
    print(table(["step", "median (wall)", "min (wall)", "median (CPU)"], rows))
    print(f"\nAfter: {load()}  ")
    print(f"Imported {first['records']} rows, 0 errors, {first['warnings']} plausibility warnings (accepted).")
    met_time = total[0]["median"] < TARGET_SECONDS
    print(f"\nTarget full import < {TARGET_SECONDS:.0f} s: {'met' if met_time else 'NOT met'} "
          f"(median {fmt_s(total[0]['median'])} wall, {fmt_s(total[1]['median'])} CPU)  ")
    if pandas_times:
        ratio = p[0]["median"] / total[0]["median"]
        ratio_cpu = p[1]["median"] / total[1]["median"]
        print(f"Ratio pandas+openpyxl read / full import: {ratio:.1f}x wall, {ratio_cpu:.1f}x CPU "
              f"(target ≥ {TARGET_RATIO:.0f}x: {'met' if min(ratio, ratio_cpu) >= TARGET_RATIO else 'NOT met'})  ")
        print(f"Ratio pandas+openpyxl read / calamine read alone: {p[0]['median'] / reads[0]['median']:.1f}x wall, "
              f"{p[1]['median'] / reads[1]['median']:.1f}x CPU")
    if args.profile:
        print("\n## cProfile of one full import (check_files + commit)\n\n```")
        print(profile_once(path, folder, args.profile_top))
        print("```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
