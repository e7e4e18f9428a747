"""Published snapshots: everything a public page or a report can show, prepared once after each write (and at
start-up) in a background process, stored on disk as immutable Parquet files, and read by the pages without
opening the database nor computing any protection on a visitor's time.

On disk, beside the database file (`<db>.published/`):

    CURRENT.json          the manifest in force: data version, context (years, demo, settings) and the part files
    parts/*.parquet       immutable, named by the SHA-256 of their inputs: a year's protected cube, a
                          constant-sample pair (year - 1, year), the years and the volunteer rates
    preparing.json        the preparer's process id while it works (pages say "update under way")
    prepare.lock          one preparer at a time (flock); a second one waits, then finds the work done
    prepare.log           what the background preparer printed (errors with their traceback)

A preparer copies the database into memory (a read-only attach held for the copy only, so writers and other
readers wait a fraction of a second at most), computes what changed — a year whose cube (its inputs) has not
changed keeps its protected part, a pair likewise — writes the new parts, then replaces CURRENT.json atomically
(os.replace). Readers keep serving the previous manifest until then; a cold server reads the manifest from disk.
Many processes (several Streamlit servers behind a proxy) read the same files; nobody holds a lock to read.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from ess_impact import errors, sql
from ess_impact.publish import impact, indicators, weight
from ess_impact.store import db, notes, publication

# Bump when the parts' content or the manifest's layout change: every part is then prepared again.
FORMAT = "2"
KEEP_MANIFESTS = 3  # old manifests (and the parts they name) kept for readers still holding one
COPY_TIMEOUT_S = 60.0

# How many times this process computed protection (a year or a pair); the tests assert that a page run never does.
COUNTERS = {"years": 0, "pairs": 0, "pair_years": 0, "prepared": 0}


folder = publication.folder  # <db>.published/
start = publication.start    # the background preparation (python -m ess_impact.publish.snapshot DB)


@dataclass(frozen=True)
class Manifest:
    data_version: int
    prepared_at: str
    is_demo: bool
    settings: dict
    years: str                                  # part file: year, enterprises
    rates: str                                  # part file: year, rate, source
    cubes: dict[str, str] = field(default_factory=dict)    # "2024" -> part file of the year's public cube
    panels: dict[str, str] = field(default_factory=dict)   # "2023-2024" -> part file of the constant-sample cubes
    format: str = FORMAT
    # issue 14: the input-output multipliers in force (their load, and (sector, multiplier, variable, value) rows);
    # the spin-offs are added to the public cube when it is read, so a new table needs no new protection
    impact_version: int = 0
    multipliers_load: dict | None = None
    multipliers: list = field(default_factory=list)
    complete: bool = True  # False: a new instance's first, yearly tables only (the pairs are on their way)
    panel_years: list = field(default_factory=list)  # the parts each pair is assembled from (one a year), kept
    notes: str = ""  # part file of the territories' local paragraphs (level, code, lang, body)
    # issue 14: the employment reference table in force (its last load, and its rows as weight.FIELDS lists); the
    # shares of the territory's jobs are added to the public cube when it is read, like the spin-offs
    employment_load: dict | None = None
    employment: list = field(default_factory=list)
    cube_format: str = ""  # indicators.CUBE_FORMAT of the engine that protected these tables

    @property
    def key(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class Published:
    """One manifest's tables, read from disk (what ess_impact.web caches per manifest)."""
    manifest: Manifest
    public: pd.DataFrame
    years: pd.DataFrame
    rates: pd.DataFrame
    settings: indicators.Settings
    base: Path
    _panels: dict = field(default_factory=dict)
    _notes: pd.DataFrame | None = None

    @property
    def is_demo(self) -> bool:
        return self.manifest.is_demo

    @property
    def data_version(self) -> int:
        return self.manifest.data_version

    @property
    def multipliers(self) -> dict:
        return _multipliers(self.manifest.multipliers)

    def note(self, level: str, code: str, lang: str) -> str | None:
        """The territory's local paragraph in that language (store/notes.py), as published."""
        if not self.manifest.notes:
            return None
        if self._notes is None:
            self._notes = _read(self.base / self.manifest.notes)
        found = self._notes
        row = found[(found["level"] == level) & (found["code"] == code) & (found["lang"] == lang)]
        return str(row["body"].iloc[0]) if len(row) else None

    @property
    def employment(self) -> pd.DataFrame:
        return weight.as_frame(self.manifest.employment)

    def panel(self, year_from: int, year_to: int) -> pd.DataFrame | None:
        """The constant-sample cubes of a pair the pages can show (consecutive years); None for any other pair:
        nothing is computed here."""
        key = f"{year_from}-{year_to}"
        if key not in self._panels:
            name = self.manifest.panels.get(key)
            self._panels[key] = _read(self.base / name) if name else None
        return self._panels[key]


# --- reading ------------------------------------------------------------------------------------------------------

def current(db_path: str | Path) -> Manifest | None:
    """The manifest in force, or None when nothing was ever published for this database (or in an older format)."""
    try:
        data = json.loads((folder(db_path) / "CURRENT.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    if data.get("format") != FORMAT:
        return None
    known = {f.name for f in fields(Manifest)}  # a later release's extra fields (several processes mid-upgrade)
    return Manifest(**{k: v for k, v in data.items() if k in known})


def stamp(db_path: str | Path) -> tuple[int, int] | None:
    """A cheap identity of the manifest in force (its file's change time and size), to notice a new one."""
    try:
        found = os.stat(folder(db_path) / "CURRENT.json")
    except FileNotFoundError:
        return None
    return found.st_mtime_ns, found.st_size


# The columns a page filters the cube on (indicators.select): categories, compared as integer codes.
KEYS = {"cat_kind", "cat_code", "geo_level", "geo_code", "region_code"}


def _read(path: Path) -> pd.DataFrame:
    """A part as the pages use it: the filter columns as categories, other text as Python objects (numpy), whose
    row selections are several times cheaper than pyarrow strings' (a page run selects rows of the public cube tens
    of times)."""
    frame = pd.read_parquet(path)
    text = {c: "category" if c in KEYS else object for c in frame.columns if pd.api.types.is_string_dtype(frame[c])}
    return frame.astype(text) if text else frame


def _multipliers(rows: list) -> dict:
    out: dict = {}
    for sector, multiplier, variable, value in rows:
        out.setdefault(sector, {})[(multiplier, variable)] = float(value)
    return out


def load(db_path: str | Path, manifest: Manifest) -> Published:
    base = folder(db_path)
    parts = [_read(base / manifest.cubes[y]) for y in sorted(manifest.cubes)]
    public = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(public):
        public = indicators.add_estimates(public, _multipliers(manifest.multipliers),
                                          weight.as_frame(manifest.employment))
    return Published(manifest, public, _read(base / manifest.years), _read(base / manifest.rates),
                     indicators.Settings(**manifest.settings), base)


def in_force(con: duckdb.DuckDBPyConnection) -> Published | None:
    """What the pages show for this connection's database: its published snapshot, loaded, when it is the database's
    version and complete (not `stale`); None otherwise (in memory, nothing published yet, or a newer version on its
    way), and the caller computes from the database."""
    path = db.file_of(con)
    if path is None or stale(path, db.data_version(con)):
        return None
    return load(path, current(path))


def preparing(db_path: str | Path) -> bool:
    """True while a preparer is at work on this database (a newer version is on its way)."""
    try:
        pid = int(json.loads((folder(db_path) / "preparing.json").read_text(encoding="utf-8"))["pid"])
    except (FileNotFoundError, ValueError, KeyError):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- preparing ----------------------------------------------------------------------------------------------------

def _copy_through(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """The database copied into memory through this process's own connection to it, table by table (Arrow)."""
    mem = duckdb.connect()
    with db.connect(db_path) as src:
        (name,), = src.execute(sql.load("current_database")).fetchall()
        for (table,) in src.execute(sql.load("backup_tables"), [name]).fetchall():
            quoted = '"' + table.replace('"', '""') + '"'
            mem.register("incoming", src.sql(sql.load("copy_table_read").format(table=quoted)).to_arrow_table())
            mem.execute(sql.load("copy_table_write").format(table=quoted))
            mem.unregister("incoming")
    return mem


def _copy(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """The database copied into memory: the file is held (read-only) for the copy only. Waits, with backoff, while
    another process holds it for writing."""
    mem = duckdb.connect()
    deadline = time.monotonic() + COPY_TIMEOUT_S
    delay = 0.02
    while True:
        try:
            mem.execute("ATTACH ? AS src (READ_ONLY)", [str(db_path)])
            break
        except duckdb.ResourceInUseException:
            # this process already holds the file through another connection (an app thread, a test): DuckDB
            # refuses a second attachment of it, so the tables are read through a connection of that instance
            mem.close()
            return _copy_through(db_path)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() + delay > deadline:
                mem.close()
                raise db.DatabaseBusy(path=str(db_path)) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    try:
        mem.execute("COPY FROM DATABASE src TO memory")
    finally:
        mem.execute("DETACH src")
    return mem


def _digest(*frames: pd.DataFrame, extra: str = "") -> str:
    digest = hashlib.sha256(f"{FORMAT}|{indicators.CUBE_FORMAT}|{extra}".encode())
    for frame in frames:
        digest.update("|".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(indicators.stable(frame), index=False).to_numpy().tobytes())
    return digest.hexdigest()[:24]


def _write_part(base: Path, name: str, frame: pd.DataFrame) -> str:
    """Write a part once (atomically: a temporary name, then a rename); its name says what it was computed from."""
    relative = f"parts/{name}.parquet"
    target = base / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        frame.to_parquet(temporary, index=False)
        os.replace(temporary, target)
    return relative


def _publish(base: Path, manifest: Manifest) -> None:
    """Replace CURRENT.json atomically; keep the last manifests in history/ for pruning."""
    text = json.dumps(asdict(manifest), sort_keys=True, indent=1)
    history = base / "history"
    history.mkdir(parents=True, exist_ok=True)
    stamp_ns = time.time_ns()  # names sort in the order of publication
    (history / f"{manifest.data_version:08d}-{stamp_ns:020d}-{manifest.key}.json").write_text(text, encoding="utf-8")
    temporary = base / f".CURRENT.{os.getpid()}.tmp"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, base / "CURRENT.json")


def _prune(base: Path) -> None:
    """Remove the parts no recent manifest names (old manifests beyond KEEP_MANIFESTS go first)."""
    kept = sorted((base / "history").glob("*.json"))
    for old in kept[:-KEEP_MANIFESTS]:
        old.unlink(missing_ok=True)
    named = set()
    for path in sorted((base / "history").glob("*.json")) + [base / "CURRENT.json"]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            continue
        named |= {data.get("years"), data.get("rates"), *data.get("cubes", {}).values(),
                  *data.get("panels", {}).values(), *data.get("panel_years", []), data.get("notes")}
    for part in (base / "parts").glob("*.parquet"):
        if f"parts/{part.name}" not in named:
            part.unlink(missing_ok=True)


def prepare(db_path: str | Path) -> Manifest | None:
    """Publish the database's current version (one preparer at a time; a second one waits, then finds the work
    done). Returns the manifest in force, or None when the database holds no figures."""
    base = folder(db_path)
    base.mkdir(parents=True, exist_ok=True)
    with open(base / "prepare.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = base / "preparing.json"
        marker.write_text(json.dumps({"pid": os.getpid(), "since": datetime.now().isoformat()}), encoding="utf-8")
        try:
            return _prepare(db_path, base)
        finally:
            marker.unlink(missing_ok=True)


def _prepare(db_path: str | Path, base: Path) -> Manifest | None:
    mem = _copy(db_path)
    try:
        version = db.data_version(mem)
        found = current(db_path)
        impact_version = db.impact_version(mem)
        paragraphs = notes.every(mem)
        notes_part = _write_part(base, f"notes-{_digest(paragraphs)}", paragraphs)
        if found is not None and found.data_version == version and found.impact_version == impact_version \
                and found.complete and found.notes == notes_part and found.cube_format == indicators.CUBE_FORMAT:
            return found
        load_info = impact.last_load(mem)
        multipliers = [[s, m, v, value] for s, values in impact.sector_multipliers(mem).items()
                       for (m, v), value in values.items()]
        employment_load = weight.last_load(mem)
        employment = [[int(y), str(c), float(e), None if pd.isna(i) else float(i), str(src)]
                      for y, c, e, i, src in weight.table(mem).itertuples(index=False)]
        known = [int(y) for y in indicators.years(mem)["year"]]
        in_force = indicators.settings(mem)
        settings = json.loads(json.dumps(asdict(in_force)))  # as a manifest reads it back (lists)
        # each released year with the rules it was released with (a later change of the settings applies to the
        # years released afterwards)
        by_year = indicators.year_rules(mem)
        recorded = set(map(tuple, mem.execute(sql.load("list_patterns")).df()[["part", "inputs"]].to_numpy()))
        cubes, public, raw = {}, [], {}
        for year in known:
            raw[year] = indicators.cube(mem, year)
            # the pattern the year was last published with, or protected again from it (a new engine, say)
            part, computed = indicators.published_year(mem, raw[year], by_year.get(year, in_force.rules))
            COUNTERS["years"] += computed
            cubes[str(year)] = _write_part(base, f"year-{year}-{_digest(part)}", part)
            public.append(part)
        if public:
            indicators.remember_public(mem, pd.concat(public, ignore_index=True))
        years = indicators.years(mem)
        rates = indicators.volunteer_rates(mem)

        def manifest_with(panels: dict, complete: bool = True) -> Manifest:
            return Manifest(
                data_version=version, prepared_at=datetime.now().isoformat(timespec="seconds"),
                is_demo=db.is_demo(mem), settings=settings,
                years=_write_part(base, f"years-{_digest(years)}", years),
                rates=_write_part(base, f"rates-{_digest(rates)}", rates),
                cubes=cubes, panels=panels, complete=complete, impact_version=impact_version,
                multipliers_load=None if load_info is None else json.loads(json.dumps(load_info, default=str)),
                multipliers=multipliers, notes=notes_part,
                employment_load=None if employment_load is None else json.loads(json.dumps(employment_load,
                                                                                           default=str)),
                employment=employment, cube_format=indicators.CUBE_FORMAT)

        if found is None and known:
            # Nothing was ever published here (a new instance): the yearly tables first, so that the first visitors
            # see the figures while the constant-sample pairs (the slow part) are prepared. An update never does
            # this: its pages keep the previous complete version until the new one is complete.
            recorded |= _record_patterns(db_path, mem, recorded)  # before they are published (below, likewise)
            _publish(base, manifest_with({}, complete=False))
        panels, sides, side_names = {}, [], {}
        for year in known:
            if year - 1 not in raw:
                continue
            pair = (year - 1, year)
            names = []
            for side in pair:  # each year of the pair on its own: a write often leaves one of them unchanged
                before = indicators.earlier_pair(mem, *pair, side)  # prepared just before (years ascending)
                earlier = None if before is None else _read(base / f"parts/{side_names[(before, side)]}.parquet")
                frame, computed = indicators.published_side(mem, *pair, side, earlier=earlier)
                COUNTERS["pair_years"] += computed
                name = f"panel-{pair[0]}-{pair[1]}-{side}-{_digest(frame)}"
                _write_part(base, name, frame)
                side_names[(pair, side)] = name
                names.append(name)
            sides += [f"parts/{name}.parquet" for name in names]
            name = f"panel-{pair[0]}-{pair[1]}-{hashlib.sha256('|'.join(names).encode()).hexdigest()[:24]}"
            if not (base / f"parts/{name}.parquet").exists():
                _write_part(base, name, pd.concat([_read(base / f"parts/{n}.parquet") for n in names],
                                                  ignore_index=True))
                COUNTERS["pairs"] += 1
            panels[f"{pair[0]}-{pair[1]}"] = f"parts/{name}.parquet"
        manifest = replace(manifest_with(panels), panel_years=sides)
        _record_patterns(db_path, mem, recorded)  # before they are published: the next engine starts from them
        _publish(base, manifest)
        _prune(base)
        COUNTERS["prepared"] += 1
        return manifest
    finally:
        mem.close()


def _record_patterns(db_path: str | Path, mem: duckdb.DuckDBPyConnection, recorded: set) -> set:
    """Write to the database the published patterns this preparation recorded in its copy, except those of
    `recorded` (publish/indicators.py: the next protection of those parts starts from them); the (part, inputs)
    written. Waits, with backoff, while another process writes; a database busy for longer stops the preparation
    before it publishes (the next write prepares again)."""
    rows = [row for row in mem.execute(sql.load("list_patterns")).fetchall() if (row[0], row[1]) not in recorded]
    if rows:
        with db.connect(db_path, timeout=COPY_TIMEOUT_S) as con, db.transaction(con):
            for row in rows:
                con.execute(sql.load("put_pattern"), list(row))
    return {(row[0], row[1]) for row in rows}


def stale(db_path: str | Path, version: int) -> bool:
    """True when the manifest in force is not the one of data version `version`, or was protected by another
    version of the engine (`indicators.CUBE_FORMAT`: a new release that changes the protection publishes again at
    start-up, without waiting for a write; the pages serve the previous version meanwhile)."""
    found = current(db_path)
    return (found is None or found.data_version != version or not found.complete
            or found.cube_format != indicators.CUBE_FORMAT)


def _main(argv: list[str]) -> int:
    path = argv[0] if argv else str(db.db_path())
    try:
        prepare(path)
    except Exception as exc:  # noqa: BLE001 - the background process: the traceback goes to prepare.log
        errors.report_bug(exc, None)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
