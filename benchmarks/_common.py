"""Shared helpers of the benchmark scripts: where scratch files go, timing statistics, machine description."""

from __future__ import annotations

import gc
import os
import platform
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"  # git-ignored (/benchmarks/_work/ in .gitignore)


def work_dir() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    return WORK


def scratch_database(source: Path | None, folder: Path, name: str) -> Path:
    """A database in `folder` that a run may write to: a copy of `source`, or a fresh demo database when None."""
    from ess_impact.store import db, history

    path = folder / name
    if source is None:
        with db.connect(path) as con:
            history.load_demo(con)
    else:
        shutil.copy(source, path)
    return path


def forget_protection(con) -> None:
    """Forget the stored cubes and the published patterns (a demo database holds the shipped ones: store/history.py),
    so that the next read protects from nothing: what a cold measurement needs."""
    from ess_impact import sql

    con.execute(sql.load("forget_protection"))


def timed(fn, *args, **kwargs):
    """(wall seconds, CPU seconds of this process, result) of one call, after a garbage collection so that
    earlier garbage is not billed to it. CPU time (all threads) is steadier than wall time when other
    processes share the machine; for single-threaded Python code it is the time the work itself needs."""
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu, result


def fingerprint(names: list[str]) -> str:
    """Short SHA-256 of the package files a benchmark exercises: ties the figures to a version of the code."""
    import hashlib

    root = Path(__file__).resolve().parent.parent / "ess_impact"
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + (root / name).read_bytes())
    return digest.hexdigest()[:12]


def blas_threads() -> str:
    keys = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    found = [f"{k}={os.environ[k]}" for k in keys if k in os.environ]
    return ", ".join(found) if found else "BLAS threads: library default (one per CPU)"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def stats(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples)}


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def machine() -> str:
    import duckdb
    import openpyxl
    import pandas

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version
        calamine = version("python-calamine")
    except Exception:  # pragma: no cover
        calamine = "?"
    return (f"{os.cpu_count()} CPU ({cpu or platform.processor()}), RAM {mem}, {platform.system()} "
            f"{platform.release()}, Python {sys.version.split()[0]}, duckdb {duckdb.__version__}, "
            f"pandas {pandas.__version__}, openpyxl {openpyxl.__version__}, python-calamine {calamine}")
