"""Turning one spreadsheet cell into a typed value, the way people really type them.

`1 234,50 $`, `1,234.50`, `12 %`, `(500)`, `n/d`, `-`, non-breaking spaces, numbers stored as text, NEQ read as
floats or in scientific notation... Each parser returns the value (None for empty/unknown) or raises CellError
with a message code from the label catalogue.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from ess_impact import errors

UNKNOWN = {"", "-", "--", "—", "–", "n/d", "nd", "n.d.", "n.d", "n/a", "na", "s.o.", "so", "s/o", "?", "inconnu",
           "unknown", "aucune donnee", "aucune donnée", "nil", "null", "none", "#n/a"}
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\u2007'")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_CURRENCY = re.compile(r"\$\s*CA|CAD|\$", re.IGNORECASE)
_SCALED = re.compile(r"\d\s*[MmKkG]\s*\$|\$\s*\d.*[MmKkB]$")
_SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?e\+?\d+$", re.IGNORECASE)
# The usual way of typing an amount in Québec, `537 261,00 $` (groups of three digits, a decimal comma with one or
# two decimals, a dollar sign), read at once: the general rules (_text_to_number) give the same number for it.
_AMOUNT = re.compile("([0-9]{1,3}(?:[ \u00a0\u202f\u2009\u2007'][0-9]{3})*)(?:,([0-9]{1,2}))?[ \u00a0\u202f\u2009\u2007]?[$]")
_GROUPS = str.maketrans("", "", " \u00a0\u202f\u2009\u2007'")


class CellError(errors.Invalid):
    """One cell that cannot be read as the value its column expects; `key` (also `code`) names the message."""


def is_unknown(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in UNKNOWN)


def parse_number(value) -> float | None:
    """A number ≥ 0 or None. Accepts Québec and English text forms."""
    if type(value) is float or type(value) is int:
        try:
            number = float(value)
        except OverflowError:  # an int beyond any float
            raise CellError("not_finite") from None
    elif value is None:
        return None
    elif isinstance(value, bool):
        raise CellError("not_number")
    elif isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise CellError("date_not_number")
    else:
        text = str(value).strip()
        usual = _AMOUNT.fullmatch(text)
        if usual is not None:
            whole, cents = usual.groups()
            return float(whole.translate(_GROUPS) + ("." + cents if cents else ""))
        if text.lower() in UNKNOWN:
            return None
        if text.startswith("#"):
            raise CellError("formula_error")
        number = _text_to_number(text)
    if not math.isfinite(number):  # NaN, inf, 1e309 read as inf: never a figure
        raise CellError("not_finite")
    if number < 0:
        raise CellError("negative")
    return number


def _text_to_number(text: str) -> float:
    s = text.translate(_SPACES)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.endswith("%"):
        raise CellError("percent")
    if _SCALED.search(s):
        raise CellError("scaled_amount")
    s = _CURRENCY.sub("", s)
    if s.startswith("-") or s.startswith("−"):
        negative, s = True, s[1:]
    s = s.lstrip("+")
    if "," in s and "." in s:
        # The last separator is the decimal one: 1.234,50 or 1,234.50
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif s.count(",") > 1:
        s = s.replace(",", "")          # 1,234,567
    elif re.fullmatch(r"\d{1,3},\d{3}", s):
        s = s.replace(",", "")          # 12,500: a thousands group (amounts and hours rarely have 3 decimals)
    elif "," in s:
        s = s.replace(",", ".")         # Québec decimal comma: 12,5
    elif s.count(".") > 1:
        s = s.replace(".", "")          # 1.234.567
    if not _NUMBER.fullmatch(s):
        raise CellError("not_number")
    number = float(s)
    return -number if negative else number


def parse_int(value) -> int | None:
    number = parse_number(value)
    if number is None:
        return None
    if not float(number).is_integer():
        raise CellError("not_integer")
    return int(number)


def parse_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def required_neq(value, error: type) -> str:
    """A valid NEQ, or `error("neq_format", value=…)` (an Invalid of the caller's family: an account's, the
    registry's) when it is missing or not one."""
    try:
        neq = parse_neq(value)
    except CellError:
        neq = None
    if neq is None:
        raise error("neq_format", value="" if value is None else value)
    return neq


def parse_neq(value) -> str | None:
    """10 digits. Spreadsheets turn NEQs into floats (1141234567.0) or, in CSV, scientific notation."""
    if value is None:
        return None
    if type(value) is float:
        if not math.isfinite(value) or not value.is_integer():
            raise CellError("neq_format")
        text = str(int(value))
    else:
        text = str(value).strip()
        if text.lower() in UNKNOWN:
            return None
        if _SCIENTIFIC.match(text.replace(" ", "")):
            raise CellError("neq_scientific")
        text = re.sub(r"[\s\u00a0\u202f\-.]", "", text)
        if text.upper().startswith("NEQ"):
            text = text[3:].lstrip(":")
    if not (len(text) == 10 and text.isdigit()):
        raise CellError("neq_format")
    return text


def parse_year(value, max_year: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        raise CellError("year_is_date")
    if type(value) is float or type(value) is int:
        if type(value) is int and not 0 <= value <= 9999:
            raise CellError("year_range")
        number = float(value)
    else:
        text = str(value).strip()
        if text.lower() in UNKNOWN:
            return None
        if not re.fullmatch(r"\d{4}(\.0+)?", text):
            raise CellError("year_format")
        number = float(text)
    if not math.isfinite(number) or not number.is_integer():
        raise CellError("year_format")
    if not 2000 <= number <= max_year:
        raise CellError("year_range")
    return int(number)
