"""Numbers the Québec way (fr_CA: `1 234 567 $`, `12,5 %`, `3,2 M$`) or the Canadian English way, through Babel.

Pure functions of (value, lang): no process-wide locale. Missing values print as an em dash, suppressed ones as
`SUPPRESSED` ("x").
"""

from __future__ import annotations

import math

import pandas as pd
from babel.lists import format_list
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
)

from ess_impact import reference
from ess_impact.labels import INDICATORS, tn

SUPPRESSED = "x"
MISSING = "—"
NBSP = "\u00a0"
PLOTLY_SEPARATORS = {"fr": ", ", "en": ".,"}  # plotly layout.separators: decimal then thousands


def _locale(lang: str) -> str:
    return "en_CA" if lang == "en" else "fr_CA"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _beyond(value) -> str | None:
    """Text for a value Babel cannot format (infinite, or too many digits for its decimal context): 1,0e308."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if math.isfinite(number) and abs(number) < 1e18:
        return None
    if not math.isfinite(number):
        return "∞" if number > 0 else "−∞" if number < 0 else MISSING
    return f"{number:.1e}".replace("e+", "e")


FORMATTED_KEPT = 50_000  # texts remembered per function (a page formats the same figures on every run)


def _guarded(fn):
    known: dict = {}

    def wrapper(value, lang: str = "fr", *args, **kwargs):
        try:
            key = (type(value), value, lang, args, tuple(sorted(kwargs.items())))
            text = known.get(key)
        except TypeError:  # an unhashable value: not remembered
            key = text = None
        if text is not None:
            return text
        text = _format(value, lang, *args, **kwargs)
        if key is not None:
            if len(known) >= FORMATTED_KEPT:
                known.clear()
            known[key] = text
        return text

    def _format(value, lang, *args, **kwargs):
        if not _missing(value):
            text = _beyond(value)
            if text is not None:
                if fn.__name__ not in ("money", "compact_money"):
                    return text if lang == "en" else text.replace(".", ",")
                return "$" + text if lang == "en" else text.replace(".", ",") + NBSP + "$"
        return fn(value, lang, *args, **kwargs)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


@_guarded
def counted(key: str, plural_key: str, n: float, lang: str = "fr") -> str:
    """A count with its words, singular or plural by the language's rule (French: 0 and 1 are singular): "1 erreur",
    "2 erreurs", "1 234 lignes valides". The catalogue's message holds the count as {n}."""
    return tn(key, plural_key, n, lang, n=number(n, lang))


def words(items, lang: str = "fr") -> str:
    """A list in a sentence, as Babel writes it: "2022, 2023 et 2024" / "2022, 2023 and 2024"."""
    return format_list([str(i) for i in items], locale=_locale(lang))


def number(value, lang: str = "fr", decimals: int = 0) -> str:
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    value = round(float(value), decimals) + 0.0  # never "-0" nor "-0,0": a value rounded to zero has no sign
    return format_decimal(value, format=pattern, locale=_locale(lang))


@_guarded
def money(value, lang: str = "fr", decimals: int = 0) -> str:
    """1 234 567 $ (fr) / $1,234,567 (en)."""
    if _missing(value):
        return MISSING
    digits = "." + "0" * decimals if decimals else ""
    value = round(float(value), decimals) + 0.0
    pattern = f"#,##0{digits}{NBSP}¤" if lang != "en" else f"¤#,##0{digits}"
    return format_currency(value, "CAD", format=pattern, locale=_locale(lang), currency_digits=False)


def percent(ratio, lang: str = "fr", decimals: int = 1) -> str:
    """12,5 % (fr) / 12.5% (en); `ratio` is a fraction (0.125)."""
    if _missing(ratio):
        return MISSING
    return number(ratio * 100, lang, decimals) + ("%" if lang == "en" else NBSP + "%")


@_guarded
def compact_money(value, lang: str = "fr") -> str:
    """3,2 M$ (fr) / $3.2M (en) from a million up; under a million in full (988 836 $): never "k$", which is not
    Québec usage (and not rounded to the hundred, which would look exact)."""
    if _missing(value):
        return MISSING
    if abs(value) < 999_950:
        return money(value, lang)
    return format_compact_currency(value, "CAD", locale=_locale(lang), fraction_digits=1)


@_guarded
def compact_number(value, lang: str = "fr") -> str:
    """Under a million in full (10 300, never "10,3 k"); then 1,2 M (fr) / 1.2M (en)."""
    if _missing(value):
        return MISSING
    if abs(value) < 999_950:
        return number(value, lang)
    return format_compact_decimal(value, locale=_locale(lang), fraction_digits=1)


def indicator(key: str, value, lang: str = "fr", compact: bool = False) -> str:
    """An indicator's value in its unit (labels.INDICATORS); NaN in a published table means suppressed."""
    unit = INDICATORS[key].unit if key in INDICATORS else "count"
    if unit == "money":
        return compact_money(value, lang) if compact else money(value, lang)
    if unit == "ratio":
        return percent(value, lang)
    if unit == "per_1000" or (unit == "fte" and not compact):
        return number(value, lang, 1)
    return compact_number(value, lang) if compact else number(value, lang)


def timestamp(value) -> str:
    """A stored date and time as the pages show it: 2026-05-01 10:12 (MISSING when there is none)."""
    if value is None or pd.isna(value):
        return MISSING
    return value.strftime("%Y-%m-%d %H:%M")


def field_value(kind: str, value, lang: str = "fr") -> str:
    """One stored cell of an enterprise's annual figures (fields.FIELDS kinds) as the reader sees it."""
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return MISSING
    if kind in ("sector", "legal_form", "mrc"):
        return reference.code_label(kind, value, lang)
    try:
        if kind == "amount":
            return money(float(value), lang, 2 if float(value) % 1 else 0)
        if kind in ("int", "hours"):
            return number(float(value), lang, 0 if float(value).is_integer() else 1)
    except (TypeError, ValueError):
        return MISSING
    if hasattr(value, "strftime"):
        return timestamp(value)
    return str(value)
