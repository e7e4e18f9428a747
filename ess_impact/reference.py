"""Reference data shipped in the package (ess_impact/data/, read with importlib.resources): regions, MRC/TE, sectors, legal forms, and tolerant matching of what people type."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

import pandas as pd

DATA = resources.files("ess_impact").joinpath("data")

_STR = {"code": str, "region_code": str}


@lru_cache(maxsize=None)
def _read(name: str) -> pd.DataFrame:
    with DATA.joinpath(name).open("rb") as file:
        return pd.read_csv(file, dtype=_STR | {"alias": str}, keep_default_na=False, encoding="utf-8")


def regions() -> pd.DataFrame:
    """code, name, population (17 administrative regions)."""
    return _read("regions.csv").copy()


def mrcs() -> pd.DataFrame:
    """code, name (official), usual_name, type (MRC|TE), region_code, population, lat, lon (104 MRC/TE)."""
    return _read("mrc.csv").copy()


def sectors() -> pd.DataFrame:
    """code, label_fr, label_en."""
    return _read("sectors.csv").copy()


def legal_forms() -> pd.DataFrame:
    """code, label_fr, label_en, aliases (| separated)."""
    return _read("legal_forms.csv").copy()


def code_label(kind: str, code: str, lang: str = "fr") -> str:
    """The reader's name of a code of kind 'sector', 'legal_form' or 'mrc' ('Montréal (66)' for an MRC, with its code
    because MRC names repeat region names); the code itself when it is unknown."""
    return _code_names(kind, "en" if lang == "en" else "fr").get(str(code), str(code))


@lru_cache(maxsize=None)
def _code_names(kind: str, lang: str) -> dict[str, str]:
    if kind == "mrc":
        frame = mrcs()
        return dict(zip(frame["code"], frame["name"] + " (" + frame["code"] + ")"))
    frame = sectors() if kind == "sector" else legal_forms()
    return dict(zip(frame["code"], frame[f"label_{lang}"]))


def reference_files() -> list[Traversable]:
    return sorted((item for item in DATA.iterdir() if item.name.endswith(".csv")), key=lambda item: item.name)


_ARTICLES = {"mrc", "te", "municipalite", "regionale", "de", "comte", "du", "des", "d", "la", "le", "les", "l"}
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―-_/'’`´.,;:()\"«»"), " ")


def normalize(text: object) -> str:
    """Lower case, no accents, dashes and apostrophes as spaces, single spaces."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().translate(_DASHES)
    return " ".join(s.split())


def _core(text: str) -> str:
    """Normalized name without leading 'MRC de la' and articles: 'MRC des Maskoutains' -> 'maskoutains'."""
    words = normalize(text).split()
    while len(words) > 1 and words[0] in _ARTICLES:
        words.pop(0)
    return " ".join(words)


@dataclass(frozen=True)
class Match:
    code: str | None
    suggestion: str | None = None  # display text of the closest known entry, when no match


class Matcher:
    """Matches free text to a code: exact code, 'Name (code)', names, aliases, accents/case/dash/article tolerant."""

    def __init__(self, entries: dict[str, list[str]], display: dict[str, str], numeric_codes: bool = False):
        self.display = display
        self.numeric_codes = numeric_codes
        self._codes = {c.lower(): c for c in display}
        self._by_key: dict[str, str] = {}
        ambiguous: set[str] = set()
        for code, names in entries.items():
            for name in names:
                for key in {normalize(name), _core(name)}:
                    if key in self._by_key and self._by_key[key] != code:
                        ambiguous.add(key)
                    self._by_key[key] = code
        for key in ambiguous:
            del self._by_key[key]
        if numeric_codes:
            self._by_int = {int(c): c for c in display if c.isdigit()}
        self._seen: dict[object, Match] = {}  # a file repeats the same few spellings thousands of times

    def match(self, value: object) -> Match:
        key = (type(value), value)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = self._match(value)
            if len(self._seen) > 100_000:
                self._seen.clear()
        return found

    def _match(self, value: object) -> Match:
        if value is None:
            return Match(None)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if not text:
            return Match(None)
        if text.lower() in self._codes:
            return Match(self._codes[text.lower()])
        if self.numeric_codes:
            m = re.fullmatch(r"(?:.*\()?\s*(\d{1,3})\s*\)?\s*", text)
            if m and int(m.group(1)) in self._by_int:
                return Match(self._by_int[int(m.group(1))])
        m = re.fullmatch(r"(.*?)\s*\(\s*([A-Za-z0-9]{1,5})\s*\)\s*", text)
        if m:
            inner = self._match(m.group(2))
            if inner.code:
                return inner
            text = m.group(1)
        for key in (normalize(text), _core(text)):
            if key in self._by_key:
                return Match(self._by_key[key])
        close = difflib.get_close_matches(_core(text), list(self._by_key), n=1, cutoff=0.75)
        return Match(None, self.display[self._by_key[close[0]]] if close else None)


@lru_cache(maxsize=None)
def mrc_matcher() -> Matcher:
    df = mrcs()
    entries = {r.code: [r.name, r.usual_name] for r in df.itertuples()}
    for a in _read("mrc_aliases.csv").itertuples():
        entries[a.code].append(a.alias)
    display = {r.code: f"{r.usual_name} ({r.code})" for r in df.itertuples()}
    return Matcher(entries, display, numeric_codes=True)


@lru_cache(maxsize=None)
def region_matcher() -> Matcher:
    df = regions()
    return Matcher({r.code: [r.name] for r in df.itertuples()},
                   {r.code: f"{r.name} ({r.code})" for r in df.itertuples()}, numeric_codes=True)


@lru_cache(maxsize=None)
def sector_matcher() -> Matcher:
    df = sectors()
    entries = {r.code: [r.label_fr, r.label_en] for r in df.itertuples()}
    for a in _read("sector_aliases.csv").itertuples():
        entries[a.code].append(a.alias)
    return Matcher(entries, {r.code: r.label_fr for r in df.itertuples()})


@lru_cache(maxsize=None)
def legal_form_matcher() -> Matcher:
    df = legal_forms()
    entries = {r.code: [r.label_fr, r.label_en, *filter(None, r.aliases.split("|"))] for r in df.itertuples()}
    return Matcher(entries, {r.code: r.label_fr for r in df.itertuples()})
