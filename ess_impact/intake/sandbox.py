"""Untrusted files are parsed in a short-lived child process with hard limits, never in the server's own process.

    result = sandbox.read(data, max_cells=filesafety.MAX_CELLS, on_progress=None)
    result.findings     # filesafety.Finding list (a refusal, or formula cells without a saved value)
    result.grids        # readers.Grid list (compact columns), or None when the file was refused or could not be read
    result.unreadable   # (code, params) of a file the reader refused, the child could not finish, or None
    pending = sandbox.start(data)           # the same read, begun now; pending.result(on_progress) gives the Result
    started = sandbox.prefetch(paths, max_mb)  # the command line's reads, begun first thing (importer.check_files)
    annotated = sandbox.mark(data, marks)   # the annotated copy of an upload (marking.annotate, openpyxl), or None

Every channel goes through here (importer.check_files: the app's upload, the admin's bulk import, `ess-impact
import`). The child runs the byte-level scan (filesafety.inspect) and the reader (python-calamine, Rust) under:

- RLIMIT_AS (address space, MEMORY_MB): an allocation of hundreds of GB for one far cell fails in the child, whose
  Rust code then aborts (SIGABRT); RLIMIT_CPU (CPU_SECONDS); RLIMIT_CORE 0 (no core dump of hostile data);
  RLIMIT_FSIZE 0 (it writes no file); RLIMIT_NOFILE (a few descriptors);
- a wall-clock timeout (WALL_SECONDS), after which the parent kills it;
- a cap on what it sends back (OUTPUT_MB), read by the parent in pieces, never past the cap.

The scan and the reader run side by side in the reading child (two threads; python-calamine and zlib release the
GIL), so that the scan's time hides in the read's (issue 16). The scan still decides: its refusal is the answer,
given without waiting for the reader. A reader that crashes the child first (on a file the scan refuses: one far
cell makes python-calamine ask for 512 GB) is followed by the scan alone in a child of its own, so that the
refusal names the problem, as when the scan ran first.

Whatever the child does — crash (SIGABRT, SIGSEGV), a limit reached, a timeout, too much output, output that is not
what the protocol says — the parent gets `unreadable = ("file_sandbox", {...})`: a French refusal ("Fichier
illisible ou trop volumineux…"), and the server goes on serving.

How the child is started. In the Streamlit server, a subprocess running `python -I -c …`, not a fork: the server
has threads (tornado, one per session script run), and fork() in a threaded process copies locks held by other
threads. subprocess.Popen without `preexec_fn` does fork+exec in C (_posixsubprocess) with nothing run in between,
which is safe in a threaded server; the child sets its own limits first thing, before it reads a byte of the file.
"spawn"/"forkserver" would also be safe but add a pickled-callable protocol for nothing, and forkserver keeps a
long-lived helper process whose address space the limits would have to spare. The cost is one interpreter start-up
and the import of the reader (~0.1 s). A reading child is instead a plain os.fork() when the process has exactly one
thread (counted in /proc/self/task, so DuckDB's and BLAS's native threads count too) and a small address space
(under FORK_ADDRESS_SHARE of the child's limit): then no other thread can hold a lock the copy would inherit, and
the copy sets the same limits first thing, keeps only its answer and error pipes, and leaves by os._exit. That is
`ess-impact import`, which starts its reads (prefetch) before it loads pandas or opens DuckDB (issue 16); the
server, the tests' processes with a database open, and `mark` and `read_multipliers` always spawn.

The answer. A reading child sends each sheet as compact columns (readers.Column: a number cell as its float, any
other cell as the index of its value in a list of the column's distinct values), so that the answer is a few lists
per column rather than one object per cell, and the importer parses each distinct text once. It is a pickle read
back with an unpickler that only knows the value types of cells (str, int, float, bool, None, datetime's
date/datetime/time/timedelta) and builds nothing else than those, lists, tuples and dicts: a child taken over
through a reader bug cannot make the parent run anything. Then every part is checked before the parent reads it
(_well_formed, _grid): message codes of the catalogue; as many items as rows in each column, each a float or an
index inside the column's values; values of the cell types only; row lengths within the width. Anything else is the
"protocol" refusal. At most MAX_PARALLEL children run at once (each may take MEMORY_MB), the others wait.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import logging
import os
import pickle
import selectors
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ess_impact.intake import filesafety, marking, readers, statcan
from ess_impact.labels import N_, known

MEMORY_MB = 1024
CPU_SECONDS = 60
WALL_SECONDS = 120
OUTPUT_MB = 512
MAX_PARALLEL = 2
STDERR_KEEP = 8192
MARK_FILE_MB = 256  # largest temporary file openpyxl may write for the annotated copy
SCAN_LIMITS = ("MAX_CELLS", "MAX_UNCOMPRESSED_MB", "MAX_RATIO", "RATIO_FLOOR_BYTES", "MAX_ZIP_MEMBERS")

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding the ess_impact package
_FRAME = struct.Struct(">cI")  # kind (b"P" progress, b"R" result), payload length
_SLOTS = threading.BoundedSemaphore(MAX_PARALLEL)
FORK_ADDRESS_SHARE = 0.25  # fork only while this process's address space is under this share of the child's limit


@dataclass
class Limits:
    memory_mb: int = MEMORY_MB
    cpu_seconds: int = CPU_SECONDS
    wall_seconds: float = WALL_SECONDS
    output_mb: float = OUTPUT_MB


@dataclass
class Result:
    findings: list = field(default_factory=list)       # filesafety.Finding
    grids: list | None = None                          # readers.Grid
    unreadable: tuple[str, dict] | None = None         # (message code, params)
    seconds: float = 0.0
    forked: bool = False                               # the child was a fork of this process (_may_fork)


# -------------------------------------------------------------------------------------------------------- parent
def read(data: bytes, max_cells: int | None = None, on_progress=None, limits: Limits | None = None) -> Result:
    """Scan and read `data` in a child process under `limits`. `on_progress(stage, done, total)`: stage 'scanned'
    once the byte-level scan is over, then 'sheet' after each sheet is read. The child uses filesafety's limits as
    they are here at the time of the call (MAX_CELLS overridden by `max_cells`)."""
    return start(data, max_cells, limits).result(on_progress)


def start(data: bytes, max_cells: int | None = None, limits: Limits | None = None, wait: bool = True) -> Pending | None:
    """Start reading `data` in a child process now (`read` = start + result): the caller does other work while the
    child reads, then asks for `result()`. Takes one of the MAX_PARALLEL slots until then; with `wait=False`, None
    when none is free."""
    limits = limits or Limits()
    scan = {name: getattr(filesafety, name) for name in SCAN_LIMITS}
    if max_cells is not None:
        scan["MAX_CELLS"] = max_cells
    if not _SLOTS.acquire(blocking=wait):
        return None
    try:
        return Pending(data, scan, limits, "read", _well_formed)
    except BaseException:
        _SLOTS.release()
        raise


def prefetch(paths, max_mb: float) -> dict[Path, Pending]:
    """Reads started now for the first files of `paths` (as many as slots are free; a file over `max_mb` or that
    cannot be read is left to the caller, who says so): path -> Pending, the bytes read in its `data`. The command
    line calls it first thing, while its process is single-threaded and light, so that the children are forks
    (see _may_fork) and read while the rest loads; importer.check_files(started=...) takes their answers."""
    started: dict[Path, Pending] = {}
    for path in map(Path, paths):
        if path in started:
            continue
        try:
            if filesafety.too_large(path.stat().st_size, max_mb) is not None:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        pending = start(data, filesafety.MAX_CELLS, wait=False)
        if pending is None:
            break
        started[path] = pending
    return started


class Pending:
    """A child started on some bytes; `result()` waits for its answer (once), `close()` ends it unread. Holds a
    slot of _SLOTS from its start to its end."""

    def __init__(self, data: bytes, scan: dict, limits: Limits, op: str, well_formed):
        self.data, self.scan, self.limits, self.op, self.well_formed = data, scan, limits, op, well_formed
        self.started = time.monotonic()
        self.deadline = self.started + limits.wall_seconds
        self.forked = op in ("read", "scan") and _may_fork(limits)
        # the spawned child's only temporary folder (a forked reader writes no file: RLIMIT_FSIZE 0)
        self.scratch = None if self.forked else tempfile.mkdtemp(prefix="ess_sandbox_")
        try:
            self.child = _fork(data, scan, limits, op) if self.forked else _spawn(data, scan, limits, op, self.scratch)
        except OSError as exc:
            self.child = None
            self.failed = ("start", str(exc)[:200])
        self.done = False

    def outcome(self, on_progress=None):
        """The child's result dict, or (reason, detail) when it did not give one."""
        if self.done:
            raise RuntimeError("the answer of a sandbox child is read once")
        self.done = True
        try:
            if self.child is None:
                return self.failed
            return _collect(self.child, on_progress, self.limits, self.deadline, self.well_formed)
        finally:
            self._end()

    def result(self, on_progress=None) -> Result:
        outcome = self.outcome(on_progress)
        if self.op == "read" and isinstance(outcome, tuple) and outcome[0] == "crash":
            # The child scans and reads side by side (parse): a reader that crashed on a file the scan refuses (one
            # far cell asks python-calamine for 512 GB) may have ended the child before the scan's answer. The scan
            # alone, in a child of its own, says whether the refusal is the scan's; otherwise the crash stands.
            scanned = _run_child(self.data, self.scan, self.limits, "scan", _well_formed)
            if isinstance(scanned, dict) and any(f["code"] in filesafety.REFUSALS for f in scanned["findings"]):
                outcome = scanned
        seconds = time.monotonic() - self.started
        if isinstance(outcome, tuple):  # the child did not finish: (reason, detail)
            reason, detail = outcome
            _log(f"sandbox refused a file: {reason} {detail}")
            return Result(unreadable=("file_sandbox", {"reason": reason}), seconds=seconds, forked=self.forked)
        try:
            findings = [filesafety.Finding(**f) for f in outcome.get("findings", [])]
        except TypeError as exc:  # fields that a Finding does not have: not our child's answer
            _log(f"sandbox refused a file: protocol {exc}")
            return Result(unreadable=("file_sandbox", {"reason": "protocol"}), seconds=seconds, forked=self.forked)
        return Result(findings, outcome.get("grids"), outcome.get("unreadable"), seconds, self.forked)

    def close(self) -> None:
        """End the child without reading its answer (a read started that is no longer needed)."""
        if not self.done:
            self.done = True
            if self.child is not None:
                _kill(self.child)
            self._end()

    def _end(self) -> None:
        try:
            if self.child is not None:
                _reap(self.child, self.deadline)
        finally:
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)
            _SLOTS.release()


def mark(data: bytes, marks: list[tuple[str, int, str, str, str]], limits: Limits | None = None) -> bytes | None:
    """The annotated copy of an uploaded workbook (marking.annotate, with openpyxl) made in a child process under
    `limits`; None when it cannot be made (not a workbook openpyxl opens, nothing to mark, or the child failed)."""
    scan = {name: getattr(filesafety, name) for name in SCAN_LIMITS}
    payload = pickle.dumps(marks, protocol=pickle.HIGHEST_PROTOCOL)
    outcome = _run_child(struct.pack(">I", len(payload)) + payload + data, scan, limits or Limits(), "mark",
                         lambda r: isinstance(r, dict) and (r.get("data") is None or isinstance(r["data"], bytes)))
    if isinstance(outcome, tuple):
        _log(f"sandbox could not annotate a file: {outcome[0]} {outcome[1]}")
        return None
    return outcome["data"]


def read_multipliers(data: bytes, limits: Limits | None = None) -> statcan.Found:
    """Statistics Canada's multipliers table (statcan.read) parsed in a child process under `limits` (issue 14):
    a refusal ("file_sandbox") when the child does not finish, like any other untrusted file."""
    if len(data) > statcan.MAX_BYTES:
        return statcan.Found(problem=(N_("multipliers_too_large"), {"max": statcan.MAX_BYTES // 1048576}))
    scan = {name: getattr(filesafety, name) for name in SCAN_LIMITS}
    outcome = _run_child(data, scan, limits or Limits(), "multipliers", _multipliers_well_formed)
    if isinstance(outcome, tuple):
        _log(f"sandbox refused a multipliers file: {outcome[0]} {outcome[1]}")
        return statcan.Found(problem=("file_sandbox", {"reason": outcome[0]}))
    return statcan.Found(rows=[tuple(r) for r in outcome["rows"]], problem=outcome["problem"],
                         skipped=outcome["skipped"], ref_year=outcome["ref_year"])


def _run_child(data: bytes, scan: dict, limits: Limits, op: str, well_formed):
    """The result dict of a child run on `data` (waiting for a slot), or (reason, detail) when it gave none."""
    _SLOTS.acquire()
    try:
        pending = Pending(data, scan, limits, op, well_formed)
    except BaseException:
        _SLOTS.release()
        raise
    return pending.outcome()


def _multipliers_well_formed(result) -> bool:
    if not isinstance(result, dict) or set(result) != {"rows", "problem", "skipped", "ref_year"}:
        return False
    rows, problem = result["rows"], result["problem"]
    kinds = (int, str, str, str, str, float)
    if not isinstance(rows, list) or not all(
            isinstance(r, tuple) and len(r) == 6 and all(isinstance(v, k) for v, k in zip(r, kinds))
            and r[3] in statcan.MULTIPLIERS and r[4] in statcan.VARIABLES for r in rows):
        return False
    if problem is not None and not (isinstance(problem, tuple) and len(problem) == 2 and isinstance(problem[0], str) and known(problem[0])
                                    and isinstance(problem[1], dict)):
        return False
    return isinstance(result["skipped"], int) and (result["ref_year"] is None or isinstance(result["ref_year"], int))


def _log(message: str) -> None:
    logging.getLogger("ess_impact.sandbox").warning(message)


def _command(scan: dict, limits: Limits, op: str = "read") -> list[str]:
    numbers = {name: float(scan[name]) for name in SCAN_LIMITS}  # numbers only: nothing else reaches the code
    if op not in ("read", "scan", "mark", "multipliers"):
        raise ValueError(op)
    code = (f"import sys; sys.path.insert(0, {_PACKAGE_ROOT!r}); from ess_impact.intake.sandbox import child_main; "
            f"child_main({numbers!r}, {int(limits.memory_mb)}, {int(limits.cpu_seconds)}, {op!r})")
    return [sys.executable, "-I", "-c", code]


def _spawn(data: bytes, scan: dict, limits: Limits, op: str, scratch: str) -> subprocess.Popen:
    """A new interpreter (`python -I -c`), its stdin the bytes: fork+exec with nothing run in between."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
           "PYTHONHASHSEED": "0", "TMPDIR": scratch}
    with tempfile.TemporaryFile() as source:  # stdin from a file: no pipe to feed while reading the answer
        source.write(data)
        source.seek(0)
        return subprocess.Popen(_command(scan, limits, op), stdin=source, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, close_fds=True, start_new_session=True)


def _may_fork(limits: Limits) -> bool:
    """Whether this process may fork its reading child: a Linux process with one thread only (then nothing can be
    holding a lock that the copy would inherit held), whose address space leaves the child most of its own limit."""
    if not hasattr(os, "fork"):
        return False
    try:
        threads = len(os.listdir("/proc/self/task"))
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return False
    return threads == 1 and size < limits.memory_mb * 1048576 * FORK_ADDRESS_SHARE


class _Forked:
    """A forked child, with the few parts of subprocess.Popen's interface that _collect and _reap use."""

    def __init__(self, pid: int, stdout: int, stderr: int):
        self.pid, self.returncode = pid, None
        self.stdout, self.stderr = os.fdopen(stdout, "rb", buffering=0), os.fdopen(stderr, "rb", buffering=0)

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.returncode is None:
            pid, status = os.waitpid(self.pid, 0 if end is None else os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
            elif time.monotonic() >= end:
                raise subprocess.TimeoutExpired("sandbox child", timeout)
            else:
                time.sleep(0.002)
        return self.returncode


def _fork(data: bytes, scan: dict, limits: Limits, op: str) -> _Forked:
    """The reading child as a fork of this (single-threaded, see _may_fork) process: no second interpreter
    start-up, and the bytes are already in its memory. Like the spawned child, it sets its limits first thing,
    before it reads a byte of the file; its only open files are its answer and error pipes (and /dev/null)."""
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    for stream in (sys.stdout, sys.stderr):  # nothing of ours left in a buffer that the child would also hold
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    try:
        pid = os.fork()
    except OSError:
        for fd in (out_r, out_w, err_r, err_w):
            os.close(fd)
        raise
    if pid == 0:  # the child: never returns
        code = 70
        try:
            os.setsid()
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.dup2(out_w, 1)
            os.dup2(err_w, 2)
            for fd in [int(name) for name in os.listdir("/proc/self/fd")]:
                if fd > 2:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            _limit(limits.memory_mb, limits.cpu_seconds, op)

            def write(payload: bytes) -> None:
                view = memoryview(payload)
                while view:
                    view = view[os.write(1, view):]

            _serve(op, data, scan, write)
            code = 0
        except BaseException as exc:  # noqa: BLE001 - the child reports a crash by its exit code
            try:
                os.write(2, f"{type(exc).__name__}: {str(exc)[:300]}".encode("utf-8", "replace"))
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(code)  # no atexit handler, no flush of the parent's buffers
    os.close(out_w)
    os.close(err_w)
    return _Forked(pid, out_r, err_r)


def _collect(child, on_progress, limits: Limits, deadline: float, well_formed):
    """Read the child's frames until it closes its pipes (or a limit is reached); its result dict, or (reason,
    detail) when it did not give one."""
    cap = int(limits.output_mb * 1048576)
    out, err, reason = bytearray(), bytearray(), None
    selector = selectors.DefaultSelector()
    selector.register(child.stdout, selectors.EVENT_READ, "out")
    selector.register(child.stderr, selectors.EVENT_READ, "err")
    frames = _Frames(on_progress)
    try:
        open_streams = 2
        while open_streams:
            left = deadline - time.monotonic()
            if left <= 0:
                reason = "timeout"
                break
            for key, _ in selector.select(timeout=min(left, 1.0)):
                chunk = os.read(key.fileobj.fileno(), 1 << 20)
                if not chunk:
                    selector.unregister(key.fileobj)
                    open_streams -= 1
                elif key.data == "out":
                    out += chunk
                    if len(out) > cap:
                        reason = "output"
                        break
                    frames.feed(out)
                elif len(err) < STDERR_KEEP:
                    err += chunk[:STDERR_KEEP - len(err)]
            if reason:
                break
    finally:
        selector.close()
        if reason:
            _kill(child)
        returncode = _reap(child, deadline)
    if reason:
        return (reason, "")
    if returncode != 0:
        name = signal.Signals(-returncode).name if returncode < 0 and -returncode in signal.Signals._value2member_map_ \
            else f"exit {returncode}"
        return ("crash", f"{name} {bytes(err[-400:]).decode('utf-8', 'replace')}")
    if frames.result is None:
        return ("protocol", "no result")
    try:
        result = _SafeUnpickler(io.BytesIO(frames.result)).load()
    except Exception as exc:  # noqa: BLE001 - anything wrong in the answer is a refusal
        return ("protocol", f"{type(exc).__name__}: {str(exc)[:200]}")
    checked = well_formed(result)  # a predicate (True), or the read's decoder (the decoded answer)
    if not checked:
        return ("protocol", "unexpected shape")
    return result if checked is True else checked


def _reap(child, deadline: float) -> int:
    """Wait for the child's end (killed when it outlives its deadline), close its pipes; its return code."""
    if child.returncode is None:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 5))
        except subprocess.TimeoutExpired:
            _kill(child)
            child.wait()
    for stream in (child.stdout, child.stderr):
        if not stream.closed:
            stream.close()
    return child.returncode


def _kill(child) -> None:
    try:
        child.kill()
    except ProcessLookupError:
        pass


class _Frames:
    """Splits the child's stdout into frames as they arrive: progress ones go to the callback at once."""

    def __init__(self, on_progress):
        self.on_progress, self.position, self.result = on_progress, 0, None

    def feed(self, buffer: bytearray) -> None:
        while len(buffer) - self.position >= _FRAME.size:
            kind, length = _FRAME.unpack_from(buffer, self.position)
            start = self.position + _FRAME.size
            if len(buffer) - start < length:
                return
            payload = bytes(buffer[start:start + length])
            self.position = start + length
            if kind == b"P" and self.on_progress is not None:
                try:
                    stage, done, total = payload.decode("ascii").split()
                    self.on_progress(stage, int(done), int(total))
                except ValueError:
                    pass
            elif kind == b"R":
                self.result = payload


_CELL_TYPES = {("datetime", "datetime"): dt.datetime, ("datetime", "date"): dt.date, ("datetime", "time"): dt.time,
               ("datetime", "timedelta"): dt.timedelta, ("datetime", "timezone"): dt.timezone}


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        found = _CELL_TYPES.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cell value type")
        return found


def _well_formed(result) -> dict | None:
    """The answer of a reading child, its grids made Grid objects, when it has the shape our child gives: message
    codes of the catalogue, grids as _grid reads them; else None."""
    if not isinstance(result, dict):
        return None
    findings, grids, unreadable = result.get("findings", []), result.get("grids"), result.get("unreadable")
    if not isinstance(findings, list) or not all(isinstance(f, dict) and isinstance(f.get("code"), str) and known(f["code"])
                                                 and isinstance(f.get("params", {}), dict) for f in findings):
        return None
    if not (unreadable is None or (isinstance(unreadable, tuple) and len(unreadable) == 2 and isinstance(unreadable[0], str)
                                   and known(unreadable[0]) and isinstance(unreadable[1], dict))):
        return None
    if grids is not None:
        if not isinstance(grids, list):
            return None
        try:
            grids = [_grid(g) for g in grids]
        except ValueError:
            return None
    return {**result, "grids": grids}


_VALUE_TYPES = frozenset({str, int, bool, type(None), dt.date, dt.datetime, dt.time, dt.timedelta})


def _grid(sent) -> readers.Grid:
    """A grid as the child sends it, `(sheet, height, lengths, columns)`, each column `(items, values)`
    (readers.Column), checked before anything reads it: `height` items in each column, each a float or an int that
    points into `values`, values of the cell types only, row lengths (None, or one per row) within the width.
    ValueError otherwise."""
    if not (isinstance(sent, tuple) and len(sent) == 4):
        raise ValueError("grid")
    sheet, height, lengths, sent_columns = sent
    if not (isinstance(sheet, str) and type(height) is int and height >= 0 and type(sent_columns) is list):
        raise ValueError("grid")
    columns = []
    for column in sent_columns:
        if not (type(column) is tuple and len(column) == 2 and type(column[0]) is list and type(column[1]) is list):
            raise ValueError("column")
        items, values = column
        if len(items) != height or not all(type(v) in _VALUE_TYPES for v in values):
            raise ValueError("column")
        kinds = set(map(type, items))
        if not kinds <= {float, int}:
            raise ValueError("items")
        if int in kinds:
            codes = [v for v in items if type(v) is int]
            if min(codes) < 0 or max(codes) >= len(values):
                raise ValueError("items")
        columns.append(readers.Column(items, values))
    if lengths is not None and not (type(lengths) is list and len(lengths) == height
                                    and all(type(n) is int and 0 <= n <= len(columns) for n in lengths)):
        raise ValueError("lengths")
    return readers.Grid(sheet, columns=columns, height=height, lengths=lengths)


def _sent_grid(grid: readers.Grid) -> tuple:
    """What the child sends of a grid (see _grid)."""
    return (grid.sheet, grid.height, grid.lengths, [(c.items, c.values) for c in grid.columns])


# --------------------------------------------------------------------------------------------------------- child
def child_main(scan: dict, memory_mb: int, cpu_seconds: int, op: str = "read") -> None:
    """The spawned child: limits first, then the file from stdin, the answer as frames on stdout."""
    _limit(memory_mb, cpu_seconds, op)
    out = sys.stdout.buffer
    data = sys.stdin.buffer.read()

    def write(payload: bytes) -> None:
        out.write(payload)
        out.flush()

    _serve(op, data, scan, write)
    os._exit(0)  # at once: a reading thread left on a refused file (parse) is not waited for


def _limit(memory_mb: int, cpu_seconds: int, op: str) -> None:
    """The child's own limits, set before it reads a byte of the file."""
    import resource

    memory = memory_mb * 1048576
    # Reading writes no file; openpyxl writes each sheet of the annotated copy to a temporary file (in TMPDIR, a folder
    # of its own that the parent deletes).
    written = MARK_FILE_MB * 1048576 if op == "mark" else 0
    for limit, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu_seconds),
                         (resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, written), (resource.RLIMIT_NOFILE, 64)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            if limit in (resource.RLIMIT_AS, resource.RLIMIT_CPU):
                raise


def _serve(op: str, data: bytes, scan: dict, write) -> None:
    """The child's work on `data`, its progress and answer written as frames by `write(bytes)`."""
    def send(kind: bytes, payload: bytes) -> None:
        write(_FRAME.pack(kind, len(payload)) + payload)

    if op == "multipliers":
        try:
            found = statcan.read(data)
        except MemoryError:
            found = statcan.Found(problem=("file_sandbox", {"reason": "memory"}))
        send(b"R", pickle.dumps(asdict(found), protocol=pickle.HIGHEST_PROTOCOL))
        return
    if op == "mark":
        (length,) = struct.unpack_from(">I", data)
        marks = pickle.loads(data[4:4 + length])  # written by the parent, not by the file
        try:
            annotated = marking.annotate(data[4 + length:], marks)
        except MemoryError:
            annotated = None
        send(b"R", pickle.dumps({"data": annotated}, protocol=pickle.HIGHEST_PROTOCOL))
        return
    if op == "scan":  # the scan alone (Pending.result, after a reading child crashed)
        found = parse(data, scan, read=False)
        send(b"R", pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
        return
    gc.disable()  # a short-lived process making a million small objects: no cycle to collect, only time to lose
    try:
        result = parse(data, scan, lambda stage, done, total: send(b"P", f"{stage} {done} {total}".encode()),
                       concurrent=True)
        if result["grids"] is not None:
            result["grids"] = [_sent_grid(g) for g in result["grids"]]
    except MemoryError:
        result = {"findings": [], "grids": None, "unreadable": ("file_sandbox", {"reason": "memory"})}
    except Exception as exc:  # noqa: BLE001 - a reader bug on a hostile file: a refusal with its kind, no traceback
        result = {"findings": [], "grids": None,
                  "unreadable": ("file_unreadable", {"detail": f"{type(exc).__name__}: {str(exc)[:120]}"})}
    send(b"R", pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


def parse(data: bytes, scan: dict | None = None, progress=None, concurrent: bool = False, read: bool = True) -> dict:
    """What the child computes (also callable in-process by tests): the scan's findings, then the grids
    (readers.Grid). `scan`: filesafety's limits to use (SCAN_LIMITS; the module's own values by default).

    `concurrent` (the child only, issue 16): the reader starts at once in a second thread while this one scans
    (python-calamine and zlib release the GIL, so the scan's time is hidden in the read's). The scan still decides:
    its refusal is the answer, and the child then leaves at once (os._exit), ending the reading thread unwaited.
    Never in a process that goes on: there a refused file would go on being parsed. `read=False`: the scan only."""
    progress = progress or (lambda stage, done, total: None)
    for name, value in (scan or {}).items():
        if name in SCAN_LIMITS:
            setattr(filesafety, name, int(value) if float(value).is_integer() else float(value))
    max_cells = filesafety.MAX_CELLS
    reading = _Reading(data, max_cells) if concurrent and read else None
    if reading is not None:
        try:
            reading.start()
        except RuntimeError:  # no room for a thread's stack under a small memory limit: one after the other
            reading = None
    findings = filesafety.inspect(data)
    refused = [f for f in findings if f.refuses]
    if refused or not read:
        return {"findings": [asdict(f) for f in refused[:1] or findings], "grids": None, "unreadable": None}
    progress("scanned", 0, 1)
    try:
        if reading is None:
            grids = readers.read_grids(data, max_cells=max_cells,
                                       on_sheet=lambda done, total: progress("sheet", done, total))
        else:
            grids = reading.wait(lambda done, total: progress("sheet", done, total))
    except readers.UnreadableFile as exc:
        return {"findings": [asdict(f) for f in findings], "grids": None, "unreadable": (exc.code, exc.params)}
    return {"findings": [asdict(f) for f in findings], "grids": grids, "unreadable": None}


class _Reading(threading.Thread):
    """readers.read_grids in a thread of the child (parse, concurrent): its grids, or the exception it raised, are
    handed over by `wait`, and the sheets it finished are reported only then (after the scan's "scanned")."""

    def __init__(self, data: bytes, max_cells: int):
        super().__init__(daemon=True)
        self.data, self.max_cells = data, max_cells
        self.sheets: list[tuple[int, int]] = []
        self.grids, self.error = None, None

    def run(self) -> None:
        try:
            self.grids = readers.read_grids(self.data, max_cells=self.max_cells,
                                            on_sheet=lambda done, total: self.sheets.append((done, total)))
        except BaseException as exc:  # noqa: BLE001 - raised again in the scanning thread (wait)
            self.error = exc

    def wait(self, on_sheet) -> list:
        told = 0
        while True:
            alive = self.is_alive()
            for done, total in self.sheets[told:]:
                on_sheet(done, total)
                told += 1
            if not alive:
                break
            self.join(0.05)
        if self.error is not None:
            raise self.error
        return self.grids
