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
import itertools
import math
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from _common import fingerprint, fmt_s, load, machine, stats, table, timed, work_dir
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ess_impact import reference
from ess_impact.fields import FIELDS
from ess_impact.intake import importer, readers
from ess_impact.store import auth, db, demo

TARGET_SECONDS = 3.0
TARGET_RATIO = 10.0
AMOUNT_FORMAT = '#,##0.00 "$"'
ACTOR = auth.system("benchmark")  # an admin, as the command line
CODE = ["intake/importer.py", "intake/sandbox.py", "intake/filesafety.py", "intake/readers.py", "parsing.py",
        "reference.py", "store/history.py", "store/db.py", "fields.py", "sql/stage_rows.sql", "sql/insert_staged.sql",
        "sql/refresh_enterprises.sql"]


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


TITLE = "Déclaration annuelle des entreprises d'économie sociale — 2020 à 2024 (données fictives)"


def data_rows(frame: pd.DataFrame, seed: int, amount):
    """The rows of the file, as people fill the template in; `amount(value)` writes an amount typed as a number."""
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
                    out.append(amount(float(value)))
            else:  # hours
                out.append(float(value))
        yield out


def write_workbook(frame: pd.DataFrame, path: Path, seed: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Données")

    def amount(value: float) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = AMOUNT_FORMAT
        return cell

    ws.append([TITLE])
    ws.append([f.header_fr for f in FIELDS])
    for row in data_rows(frame, seed, amount):
        ws.append(row)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)


def write_csv(frame: pd.DataFrame, path: Path, seed: int) -> None:
    """The same rows as French Excel exports them: `;`, decimal comma, Windows-1252."""
    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return (f"{value:.2f}" if not value.is_integer() else str(int(value))).replace(".", ",")
        return str(value).replace("\u00a0", " ")

    lines = [TITLE, ";".join(f.header_fr for f in FIELDS)]
    for row in data_rows(frame, seed, float):
        lines.append(";".join(text(v) if ";" not in str(v) else f'"{v}"' for v in row))
    tmp = path.with_suffix(".tmp.csv")
    tmp.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    tmp.replace(path)


def to_ods(xlsx: Path, path: Path) -> None:
    """The workbook converted by LibreOffice (as a pôle that works in LibreOffice Calc would send it)."""
    import shutil
    import subprocess

    office = shutil.which("soffice")
    if office is None:
        raise SystemExit("--format ods needs LibreOffice (soffice)")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "ods",
                        "--outdir", tmp, str(xlsx)], check=True, capture_output=True, timeout=600)
        (Path(tmp) / (xlsx.stem + ".ods")).replace(path)


def workbook(rows: int, seed: int, regenerate: bool, fmt: str = "xlsx") -> Path:
    path = work_dir() / f"import_{rows}_{seed}.{fmt}"
    if regenerate or not path.exists():
        print(f"generating {path} ...", file=sys.stderr, flush=True)
        if fmt == "ods":
            seconds, _, _ = timed(to_ods, workbook(rows, seed, regenerate), path)
        else:
            writer = write_csv if fmt == "csv" else write_workbook
            seconds, _, _ = timed(writer, make_frame(rows, seed), path, seed)
        print(f"  written in {seconds:.1f} s ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr, flush=True)
    return path


# ---------------------------------------------------------------------------------------------------- the runs
def pandas_read(path: Path) -> pd.DataFrame:
    # header=1: the header is on the 2nd row, under the title (the same work as header=0, a usable frame)
    return pd.read_excel(path, engine="openpyxl", header=1)


STAGES = {"progress_safety": "safety scan (`filesafety.inspect`, with reading the bytes and the SHA-256)",
          "progress_reading": "read the sheets (python-calamine)",
          "progress_validating": "validate the rows",
          "progress_plausibility": "duplicates and plausibility (against the stored figures), sort"}


def stage_times(marks: list[tuple[float, float, str]]) -> dict[str, float]:
    """Seconds spent in each stage, from the (time, fraction, label key) marks of check_files' progress hook."""
    spent = dict.fromkeys(STAGES, 0.0)
    for (t0, _, key), (t1, _, _) in itertools.pairwise(marks):
        spent[key] = spent.get(key, 0.0) + t1 - t0
    return spent


def import_once(path: Path, folder: Path) -> dict:
    """One full import into a fresh DuckDB file: wall and CPU times of check_files, commit, and both; the time of
    each stage of check_files (from its progress hook) and the fractions the hook reported when each stage began."""
    marks: list[tuple[float, float, str]] = []

    def progress(fraction: float, key: str) -> None:
        marks.append((time.perf_counter(), fraction, key))

    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        target = Path(tmp) / "bench.duckdb"
        t_open, c_open, con = timed(db.open_database, target)
        try:
            t_check, c_check, checks = timed(importer.check_files, [path], con, actor=ACTOR, progress=progress)
            t_commit, c_commit, results = timed(importer.commit, con, checks, actor=ACTOR,
                                                accept_warnings=True)
            check = checks[0]
            stored = db.first(con, "SELECT count(*) FROM annual_figures")[0]
        finally:
            con.close()
    return {"open": (t_open, c_open), "check": (t_check, c_check), "commit": (t_commit, c_commit),
            "total": (t_check + t_commit, c_check + c_commit),
            "errors": len(check.errors), "warnings": len(check.warnings), "records": len(check.records),
            "inserted": results[0].inserted, "stored": stored, "first_errors": [p.line() for p in check.errors[:5]],
            "stages": stage_times(marks),
            "reported": {key: min(f for _, f, k in marks if k == key) for key in STAGES
                         if any(k == key for *_, k in marks)},
            "original_bytes": path.stat().st_size}


def storage_cost(path: Path, folder: Path) -> tuple[int, int]:
    """Bytes of a fresh DuckDB file after importing `path` (then CHECKPOINT), with the original file kept and
    without it."""
    sizes = []
    for keep in (True, False):
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            target = Path(tmp) / "cost.duckdb"
            with db.connect(target) as con:
                checks = importer.check_files([path], con, actor=ACTOR)
                if not keep:
                    for check in checks:
                        check.content = None
                importer.commit(con, checks, actor=ACTOR, accept_warnings=True)
                con.execute("CHECKPOINT")
            sizes.append(target.stat().st_size)
    return sizes[0], sizes[1]


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


def _read_in_process(data: bytes, max_cells=None, on_progress=None, limits=None):
    """sandbox.read without the child process (`--in-process`): what the import cost before the isolation. Never in
    the product: only this benchmark swaps it in, to measure the isolation."""
    from ess_impact.intake import filesafety, sandbox

    found = sandbox.parse(data, None, on_progress)
    return sandbox.Result([filesafety.Finding(**f) for f in found["findings"]], found["grids"], found["unreadable"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="data rows in the workbook (default 50 000)")
    parser.add_argument("--repeat", "-n", type=int, default=5, help="repetitions of each measure (default 5)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the workbook even if present")
    parser.add_argument("--skip-pandas", action="store_true", help="do not time pandas + openpyxl")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one full import")
    parser.add_argument("--profile-top", type=int, default=25)
    parser.add_argument("--format", choices=["xlsx", "csv", "ods"], default="xlsx",
                        help="file format (csv: French Excel export; ods: the workbook converted by LibreOffice)")
    parser.add_argument("--in-process", action="store_true",
                        help="read in this process instead of the sandbox's child (the cost of the isolation)")
    parser.add_argument("--processes", action="store_true",
                        help="instead: whole processes (start-up included): `ess-impact import`, a process that only "
                             "reads the file with fastexcel, and one that reads it with pandas + openpyxl")
    parser.add_argument("--hostile", action="store_true",
                        help="instead: memory and time of reading small hostile files, with and without the checks")
    args = parser.parse_args(argv)
    if args.hostile:
        return hostile()
    if args.processes:
        return whole_processes(workbook(args.rows, args.seed, args.regenerate, "xlsx"), args.repeat, args.skip_pandas)
    if args.in_process:
        importer.sandbox.read = _read_in_process


    path = workbook(args.rows, args.seed, args.regenerate, args.format)
    if args.format != "xlsx":
        args.skip_pandas = True
    folder = work_dir()
    print(f"# Import benchmark: {args.rows} rows, {args.repeat} repetitions\n")
    print(f"Machine: {machine()}  ")
    print(f"File: {path.name}, {path.stat().st_size / 1e6:.1f} MB  ")
    print(f"Code fingerprint (importer, sandbox, filesafety, readers, parsing, reference, history, db, fields, write SQL): "
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
    spent = {key: stats([r["stages"][key] for r in runs])["median"] for key in STAGES}
    whole = sum(spent.values()) or 1
    print("\nWhere `check_files` spends its time (from its progress hook; median of the runs), and the fraction the "
          "hook reports when each stage begins:\n")
    print(table(["stage", "median (wall)", "share", "progress at its start"],
                [[label, fmt_s(spent[key]), f"{spent[key] / whole:.0%}",
                  f"{first['reported'][key]:.2f}" if key in first["reported"] else "—"]
                 for key, label in STAGES.items()]))
    kept, without = storage_cost(path, folder)
    print(f"\nOriginal file kept with the import: {first['original_bytes'] / 1e6:.2f} MB "
          f"({first['original_bytes'] / args.rows:.0f} bytes per row). DuckDB file after the import and a "
          f"CHECKPOINT: {kept / 1e6:.2f} MB with it, {without / 1e6:.2f} MB without "
          f"(+{(kept - without) / 1e6:.2f} MB).")
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


# ------------------------------------------------------------------------------------------------ hostile files
MEMORY_CAP = 4_000_000_000  # address-space cap of the unprotected reads (prlimit), so that they cannot hurt the machine


MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>')


def _process_times(command: list[str], repeat: int, fresh_db: Path | None = None) -> tuple[list, list]:
    """Wall and CPU (user + system of the child) seconds of `repeat` runs of a whole process."""
    import resource

    walls, cpus = [], []
    for _ in range(repeat):
        if fresh_db is not None:
            for leftover in fresh_db.parent.glob(fresh_db.name + "*"):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode != 0:
            raise AssertionError(f"{command[:3]} exit {done.returncode}: {done.stderr[-2000:]}")
    return walls, cpus


def whole_processes(path: Path, repeat: int, skip_pandas: bool) -> int:
    """Issue 16's import targets, each a whole process (start-up included), measured in one run."""
    python = sys.executable
    database = work_dir() / "import_process.duckdb"
    commands = {
        "fastexcel read only": [python, "-c", "import sys, fastexcel; "
                                "fastexcel.read_excel(sys.argv[1]).load_sheet(0).to_arrow()", str(path)],
        "ess-impact import": [str(Path(python).parent / "ess-impact"), "import", str(path), "--db", str(database),
                              "--accept-warnings", "--no-publish"],  # the background publication is not the import's time
    }
    if not skip_pandas:
        commands["pandas + openpyxl read"] = [python, "-c", "import sys, pandas; "
                                              "pandas.read_excel(sys.argv[1], engine='openpyxl')", str(path)]
    print(f"# Import as whole processes: {path.name}, {path.stat().st_size / 1e6:.1f} MB, {repeat} runs each\n")
    print(f"Machine: {machine()}  \nBefore: {load()}\n")
    results = {}
    for name, command in commands.items():
        results[name] = _process_times(command, repeat, database if name == "ess-impact import" else None)
    print("| process | wall median | CPU median |\n|---|---|---|")
    for name, (walls, cpus) in results.items():
        print(f"| {name} | {statistics.median(walls):.2f} s | {statistics.median(cpus):.2f} s |")
    ours = statistics.median(results["ess-impact import"][0])
    raw = statistics.median(results["fastexcel read only"][0])
    ours_cpu = statistics.median(results["ess-impact import"][1])
    raw_cpu = statistics.median(results["fastexcel read only"][1])
    print(f"\n`ess-impact import` / fastexcel read: {ours / raw:.2f}x wall, {ours_cpu / raw_cpu:.2f}x CPU "
          "(target <= 1.5x)")
    if not skip_pandas:
        slow = statistics.median(results["pandas + openpyxl read"][0])
        slow_cpu = statistics.median(results["pandas + openpyxl read"][1])
        print(f"pandas + openpyxl read / `ess-impact import`: {slow / ours:.1f}x wall, {slow_cpu / ours_cpu:.1f}x CPU "
              "(target >= 8x)")
    print(f"\nAfter: {load()}")
    return 0


def hostile_files(folder: Path) -> dict[str, Path]:
    """Small files that make a reader allocate far more than their size."""
    from openpyxl import Workbook as Book

    def xlsx(path: Path, cells: dict[str, object]) -> Path:
        book = Book()
        sheet = book.active
        sheet.title = "Données"
        for ref, value in cells.items():
            sheet[ref] = value
        book.save(path)
        return path

    def ods(path: Path, rows_xml: str) -> Path:
        head = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
                '<office:body><office:spreadsheet><table:table table:name="Données">')
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("META-INF/manifest.xml", MANIFEST)
            archive.writestr("content.xml", head + rows_xml + "</table:table></office:spreadsheet></office:body>"
                                                             "</office:document-content>")
        return path

    value = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    files = {
        "xlsx: values in A1 and XFD1048576": xlsx(folder / "hostile_corner.xlsx", {"A1": "NEQ", "XFD1048576": 1}),
        "xlsx: values in P1 and A1048576": xlsx(folder / "hostile_tall.xlsx", {"A1": "NEQ", "P1": 1, "A1048576": 1}),
        "ods: a row of 200 values repeated 100 000 times": ods(
            folder / "hostile_repeat.ods", f"<table:table-row>{value}</table:table-row>"
            '<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" '
            'office:value="1" table:number-columns-repeated="200"/></table:table-row>'),
    }
    office = __import__("shutil").which("soffice")
    if office:  # .xls: LibreOffice writes one from an .xlsx with a value in IV65536
        source = xlsx(folder / "hostile_xls.xlsx", {"A1": "NEQ", "IV65536": 1})
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
                            "xls", "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=300)
        files["xls: values in A1 and IV65536"] = folder / "hostile_xls.xls"
    return files


def _measured(code: str, path: Path, cap: bool) -> tuple[str, str, str]:
    """(peak RSS, wall time, outcome) of `code` run on `path` in a new Python process, under /usr/bin/time -v."""
    command = ["/usr/bin/time", "-v", sys.executable, "-c", code, str(path)]
    if cap:
        command = ["prlimit", f"--as={MEMORY_CAP}", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    report = dict(line.strip().split(": ", 1) for line in done.stderr.splitlines() if ": " in line and
                  line.startswith("\t"))
    rss = f"{int(report.get('Maximum resident set size (kbytes)', 0)) / 1024:.0f} MiB"
    errors = [line for line in done.stderr.split("\tCommand being timed")[0].splitlines() if line.strip()]
    outcome = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else (errors[-1] if errors else "")
    if "signal" in report.get("Command terminated by signal", "") or done.returncode < 0 or \
            "Command terminated by signal" in done.stderr:
        outcome = "process killed: " + next((l for l in done.stderr.splitlines() if "memory allocation" in l
                                             or "signal" in l), "signal")
    return rss, report.get("Elapsed (wall clock) time (h:mm:ss or m:ss)", "?"), outcome[:120]


READ_ALONE = ("import sys\nfrom ess_impact import readers\ngrids = readers.read_grids(sys.argv[1])\n"
              "print('read', [(g.sheet, len(g.rows), len(g.rows[0]) if g.rows else 0) for g in grids])")
CHECKED = ("import sys\nfrom ess_impact import auth, importer\ncheck = importer.check_file(sys.argv[1], "
           "actor=auth.SYSTEM)\nprint('refused:', [p.code for p in check.errors])")


def hostile() -> int:
    folder = work_dir()
    print("# Hostile files: a reader alone against the import's checks\n")
    print(f"Machine: {machine()}  \nBefore: {load()}  \nThe reader alone runs under `prlimit --as={MEMORY_CAP}` "
          "(a 4 GB address-space cap), each command in a new process under `/usr/bin/time -v`.\n")
    rows = []
    for label, path in hostile_files(folder).items():
        alone = _measured(READ_ALONE, path, cap=True)
        checked = _measured(CHECKED, path, cap=False)
        rows.append([label, f"{path.stat().st_size / 1024:.1f} KB", *alone, *checked])
    print(table(["file", "size", "read alone: peak RSS", "wall", "outcome",
                 "`check_file`: peak RSS", "wall", "outcome"], rows))
    print(f"\nAfter: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
