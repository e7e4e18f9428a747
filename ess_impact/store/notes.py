"""The local paragraph a pôle writes once per territory and language, printed on the territory's one-page sheet.

Plain text only: stored as typed (after removing control characters), passed to SQL as bound parameters, and shown
as text (escaped on screen, never interpreted as markdown or HTML; printed as is in the PDF).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import duckdb
import pandas as pd

from ess_impact import errors, sql
from ess_impact.store import auth

MAX_CHARS = 700     # about six lines on the sheet
LEVELS = ("mrc", "region")


def clean(text: str) -> str:
    """Normalised (NFC) text without control characters except line breaks; spaces trimmed; blank lines collapsed."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c)[0] != "C")
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def get(con: duckdb.DuckDBPyConnection, level: str, code: str, lang: str = "fr") -> str | None:
    row = con.execute(sql.load("get_territory_note"), [level, code, lang]).fetchone()
    return row[0] if row else None


def every(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """level, code, lang, body of every paragraph (the published snapshot carries them to the pages)."""
    return con.execute(sql.load("all_territory_notes")).df()


def put(con: duckdb.DuckDBPyConnection, level: str, code: str, lang: str, text: str, who: str | auth.Account,
        now: datetime | None = None) -> str | None:
    """Store (or, when blank, delete) the paragraph; returns what is stored. `who` is an admin Account (a regional
    admin writes only its regions' territories), or a name for scripts that hold the database file."""
    if level not in LEVELS or lang not in ("fr", "en"):
        raise ValueError((level, lang))
    if not isinstance(who, str):
        auth.require_region(who, code if level == "region" else auth.mrc_regions().get(code))
        who = who.email
    body = clean(text)
    if len(body) > MAX_CHARS:
        raise errors.Invalid("note_too_long", max=MAX_CHARS, length=len(body))
    if not body:
        con.execute(sql.load("delete_territory_note"), [level, code, lang])
        return None
    con.execute(sql.load("upsert_territory_note"), [level, code, lang, body, now or datetime.now(), who])
    return body
