"""The demo's published patterns, made once and shipped with the package (ess_impact/data/demo_patterns.parquet).

The demo data set is always the same (store/demo.py, one seed), and so is its protection: over a minute of CPU that
every new instance, every `ess-impact demo` and every test run on the demo data would otherwise spend again. Loading
the demo (store/history.load_demo) records these patterns as the ones its tables were published with; each keeps the
hash of what it was computed from (the true cubes, the rules, indicators.CUBE_FORMAT), so a part is read as it is
only when nothing changed, and is protected again otherwise, starting from it (publish/indicators.py).

    make demo-patterns      (after a change of the demo generator, the cube or the engine: tests/test_demo.py says so)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ess_impact import reference, sql
from ess_impact.publish import snapshot
from ess_impact.store import db, history


def build(target: Path) -> int:
    """Protect the demo from nothing in a scratch database, as the app publishes it, and write its patterns with
    the stamp of that load to `target`; the number of parts."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.duckdb"
        with db.connect(path) as con:
            loaded = history.load_demo(con, shipped_patterns=False)
        snapshot.prepare(path)
        with db.connect(path) as con:
            rows = con.execute(sql.load("list_patterns")).df()
    rows = rows[["part", "inputs", "pattern"]].assign(stamp=loaded.stamp)
    rows["pattern"] = rows["pattern"].map(bytes)
    rows.to_parquet(target, index=False, compression="zstd")
    return len(rows)


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path(str(reference.DATA.joinpath(history.DEMO_PATTERNS)))
    count = build(target)
    print(f"{count} parts -> {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
