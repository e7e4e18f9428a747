"""Named SQL queries shipped as package files: `load("summary")` returns the text of summary.sql."""

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load(name: str) -> str:
    return resources.files(__package__).joinpath(f"{name}.sql").read_text(encoding="utf-8")
