"""Where a database's published snapshot lives, and starting its background preparation: the light part of
`ess_impact.publish.snapshot` (no pandas, no solver), so that a command that only writes (`ess-impact import`)
starts the publication without loading the protection code itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def folder(db_path: str | Path) -> Path:
    return Path(f"{db_path}.published")


def start(db_path: str | Path) -> subprocess.Popen | None:
    """Prepare the current version in a background process (returns at once; None for an in-memory database).
    Pages keep serving the manifest in force until the new one replaces it."""
    if str(db_path) == ":memory:":
        return None
    base = folder(db_path)
    base.mkdir(parents=True, exist_ok=True)
    with open(base / "prepare.log", "ab") as log:
        return subprocess.Popen([sys.executable, "-m", "ess_impact.publish.snapshot", str(db_path)],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
