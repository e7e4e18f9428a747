"""Many visitors at once, as Streamlit's own browser client talks to the server: N concurrent sessions over the
websocket protocol (no browser), each asking for a page and waiting for the end of its run.

    .venv/bin/python benchmarks/bench_load.py                         # N = 1, 10, 50 on the demo data
    .venv/bin/python benchmarks/bench_load.py --sessions 1 10 --runs 5 --url http://127.0.0.1:8501

Protocol: connect to /_stcore/stream with the `streamlit` subprotocol, send a BackMsg `rerun_script` (the page's
name and query string, as the browser sends them on navigation), read ForwardMsgs until `script_finished`. The time
of a run is from the BackMsg sent to `script_finished` received: the server time a visitor waits for, network
excepted (loopback). Each session makes `--runs` runs of each page in turn (overview, an MRC profile, Comparer).

Figures: per N, the median and 95th percentile of a run, runs per second in all, errors (an exception element in
a run, a run that did not finish within the timeout, a refused connection). The N = 1 figure of the same run is
the baseline the targets refer to (issue 16): overview at N = 1 ≤ 150 ms; p95 at N = 10 ≤ 1 s; N = 50 without
errors, p95 ≤ 5 s. Without --url, a server is started on a copy of the demo database (benchmarks/_work/), and the
first view of the fresh server is timed too (target ≤ 2 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import websockets  # noqa: E402
from _common import load, work_dir  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from ess_impact import labels  # noqa: E402
from ess_impact.publish import snapshot  # noqa: E402
from ess_impact.store import db, history  # noqa: E402
from ess_impact.web import server  # noqa: E402

PAGES = [("overview", "", ""), ("mrc", "territoires", "region=16&mrc=54"),
         ("compare", "comparer", "comparer=mrc%3A54&comparer=region%3A16&comparer=region%3A06")]
RUN_TIMEOUT_S = 120.0


class Session:
    def __init__(self, url: str):
        self.url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
        self.socket = None

    async def __aenter__(self):
        self.socket = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                               origin=self.url.replace("ws", "http", 1).split("/_stcore")[0],
                                               open_timeout=RUN_TIMEOUT_S)
        return self

    async def __aexit__(self, *exc):
        await self.socket.close()

    async def run(self, page_name: str, query: str) -> tuple[float, bool]:
        """(seconds from the request to script_finished, whether the run showed an exception)"""
        message = BackMsg()
        message.rerun_script.page_name = page_name
        message.rerun_script.query_string = query
        start = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        failed = False
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), RUN_TIMEOUT_S)
            if isinstance(raw, str):
                continue
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element" \
                    and forward.delta.new_element.WhichOneof("type") == "exception":
                failed = True
            if kind == "script_finished":
                return time.perf_counter() - start, failed


async def _session(url: str, runs: int, results: dict, errors: list) -> None:
    try:
        async with Session(url) as session:
            for _ in range(runs):
                for name, page, query in PAGES:
                    seconds, failed = await session.run(page, query)
                    results.setdefault(name, []).append(seconds)
                    if failed:
                        errors.append(f"{name}: exception on the page")
    except Exception as exc:  # a refused connection or a timeout is an error of the load test, counted
        errors.append(f"{type(exc).__name__}: {exc}")


async def _load(urls: str | list[str], sessions: int, runs: int) -> tuple[dict, list, float]:
    """`sessions` sessions spread over the servers (as a proxy with sticky sessions would: each session keeps its
    server for all its runs)."""
    urls = [urls] if isinstance(urls, str) else urls
    results: dict[str, list[float]] = {}
    errors: list[str] = []
    start = time.perf_counter()
    await asyncio.gather(*(_session(urls[k % len(urls)], runs, results, errors) for k in range(sessions)))
    return results, errors, time.perf_counter() - start


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _wait_healthy(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def _database() -> Path:
    """A copy of the demo database with its published snapshot (what a write leaves behind, once the background
    preparation is done): the server starts cold but finds the snapshot on disk."""
    source = work_dir() / "load_demo.duckdb"
    if not source.exists():
        with db.connect(source) as con:
            history.load_demo(con)
    snapshot.prepare(source)
    copy = work_dir() / "load_run.duckdb"
    shutil.copy(source, copy)
    shutil.rmtree(snapshot.folder(copy), ignore_errors=True)
    shutil.copytree(snapshot.folder(source), snapshot.folder(copy))
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--runs", type=int, default=3, help="runs of each page per session")
    parser.add_argument("--url", help="a running server (default: start one on the demo data)")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--bare", action="store_true",
                        help="start `streamlit run` directly (no warm-up visit) instead of `ess-impact run`")
    parser.add_argument("--processes", type=int, default=1,
                        help="Streamlit processes started on consecutive ports, sessions spread over them (sticky)")
    args = parser.parse_args()
    processes = []
    urls = [args.url] if args.url else []
    cpu_before = _children_cpu()
    print(f"# load test — {time.strftime('%Y-%m-%d %H:%M')} — {os.cpu_count()} CPU — {load()} — "
          f"{args.processes if not args.url else 'external'} server process(es)")
    if not urls:
        path = _database()
        env = {**os.environ, "ESS_IMPACT_DB": str(path)}
        for k in range(args.processes):
            url = f"http://127.0.0.1:{args.port + k}"
            started = time.perf_counter()
            if args.bare:
                processes.append(subprocess.Popen(server.command(args.port + k, address="127.0.0.1"), env=env,
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                  start_new_session=True))
                _wait_healthy(url)
            else:  # the production command: start-up, then one warm-up visit, then "ready" on stderr
                process = subprocess.Popen([str(Path(sys.executable).parent / "ess-impact"), "run", "--port",
                                            str(args.port + k), "--address", "127.0.0.1"], env=env,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                           start_new_session=True)
                processes.append(process)
                _wait_ready(process)
            ready = time.perf_counter() - started
            first, errors, _ = asyncio.run(_load(url, 1, 1))
            print(f"fresh server {k + 1} ({'bare streamlit' if args.bare else 'ess-impact run'}): "
                  f"{'healthy' if args.bare else 'ready'} after {ready:.2f} s; first views: "
                  + ", ".join(f"{name} {values[0] * 1000:.0f} ms" for name, values in first.items())
                  + (f"; errors: {errors}" if errors else ""))
            urls.append(url)
    try:
        print("| N | page | runs | p50 | p95 | runs/s (all pages) | errors | server CPU s |")
        print("|---|---|---|---|---|---|---|---|")
        for n in args.sessions:
            cpu = _servers_cpu(processes)
            results, errors, elapsed = asyncio.run(_load(urls, n, args.runs))
            cpu = _servers_cpu(processes) - cpu
            total = sum(len(v) for v in results.values())
            for name, _page, _query in PAGES:
                values = results.get(name, [])
                if not values:
                    continue
                print(f"| {n} | {name} | {len(values)} | {statistics.median(values) * 1000:.0f} ms | "
                      f"{percentile(values, 0.95) * 1000:.0f} ms | {total / elapsed:.1f} | {len(errors)} | "
                      f"{cpu:.1f} |")
            for error in sorted(set(errors))[:5]:
                print(f"  error: {error}")
        print(f"{load()} at the end; client process CPU {time.process_time():.1f} s; "
              f"children CPU {_children_cpu() - cpu_before:.1f} s")
    finally:
        for process in processes:
            os.killpg(process.pid, 15)
            process.wait(timeout=20)


def _wait_ready(process: subprocess.Popen, timeout: float = 300.0) -> None:
    """Read the server's stderr until `ess-impact run` says it is ready; then keep draining it in a thread."""
    import threading

    deadline = time.monotonic() + timeout
    ready = labels.t("server_ready", "fr", url="").strip()
    for line in process.stderr:
        if line.startswith(ready):
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not become ready")
    threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()


def _servers_cpu(processes: list) -> float:
    """CPU seconds (user + system) used so far by the server processes (from /proc)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pending = [process.pid for process in processes]
    while pending:  # each process and its children (`ess-impact run` -> streamlit)
        pid = pending.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            pending += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except (OSError, IndexError, ValueError):
            pass
    return total


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
