"""Fuzzing the readers and the validator: whatever the input — random or mutated .xlsx/.xlsm/.ods/.xls/.csv, extreme
numbers, huge fields, odd encodings — the result is a clean refusal or a clean result, with every message rendered in
French and English, in bounded time and memory, and never a traceback.

The validator is fuzzed in this process with hypothesis (cell values of every type the reader gives); the files go
through importer.check_file, so through the sandbox's child process, as every upload does.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import time
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from conftest import peak_rss, reset_peak_rss
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ess_impact import parsing
from ess_impact.fields import FIELDS
from ess_impact.intake import importer, readers
from ess_impact.store import auth

FIXTURES = Path(__file__).parent / "fixtures"
ADMIN = auth.system("admin@pole.example")
HEADERS = [f.header_fr for f in FIELDS]
SEED = 20261125

EXTREMES = [0, -0.0, 1e308, -1e308, 1e309, float("inf"), float("-inf"), float("nan"), 1e20, 2**63, 2**64 + 1,
            -(2**63), 5e-324, 1e-300, 9007199254740993, 10**400]
TEXTS = ["1e308", "1e309", "inf", "-inf", "NaN", "nan", "Infinity", "1 234,50 $", "(500)", "1.234.567,89", "12,5 %",
         "n/d", "-", "=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "\u202e", "\x00", "é" * 1000, "9" * 400, "0x10",
         "1_000", "١٢٣", "½", "1e-5", "1,,2", ",", ".", "$", "(", "1 2 3", "1\u00a0234", "1.5e3", "2024.0", "02024"]

cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True),
    st.sampled_from(EXTREMES), st.sampled_from(TEXTS), st.text(max_size=40),
    st.dates(min_value=dt.date(1900, 1, 1)), st.datetimes(min_value=dt.datetime(1900, 1, 1)), st.times(),
    st.timedeltas(min_value=dt.timedelta(days=-10_000), max_value=dt.timedelta(days=10_000)),
)


def _messages(problems) -> None:
    for problem in problems:
        for lang in ("fr", "en"):
            assert problem.line(lang)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(st.lists(cell_values, min_size=len(FIELDS), max_size=len(FIELDS)), min_size=1, max_size=6))
def test_the_validator_never_raises_and_keeps_only_sane_values(rows):
    grid = readers.Grid("Données", [HEADERS, *rows])
    header = importer._find_header(grid.rows)
    problems: list = []
    frame = importer._check_sheet("fuzz.xlsx", grid, header, 2025, problems, ADMIN)
    check = importer.FileCheck(Path("fuzz.xlsx"), "fuzz.xlsx", "", frame, problems,
                               {("Données", f.key): f.header_fr for f in FIELDS})
    importer._check_duplicates([check])
    importer._check_plausibility([check], None, ADMIN)
    _messages(check.problems)
    limits = importer.ceilings(None)
    for f in FIELDS:  # what would be stored: finite, ≥ 0, under its ceiling
        if f.kind in ("int", "amount", "hours"):
            values = pd.to_numeric(check.records[f.key], errors="raise").dropna()
            assert all(math.isfinite(v) and v >= 0 for v in values)
            if f.key in importer.CEILINGS:
                assert all(v <= limits[importer.CEILINGS[f.key]] for v in values)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(cell_values)
def test_cell_parsers_raise_only_cell_errors(value):
    for parse in (parsing.parse_number, parsing.parse_int, parsing.parse_neq, parsing.parse_text,
                  lambda v: parsing.parse_year(v, 2025)):
        try:
            result = parse(value)
        except parsing.CellError:
            continue
        if isinstance(result, float):
            assert math.isfinite(result)


amount_texts = st.builds(
    lambda digits, groups, sep, cents, space, pad: pad + f"{digits:,}".replace(",", sep if groups else "")
    + (f",{cents}" if cents is not None else "") + space + "$" + pad,
    st.integers(min_value=0, max_value=10**15), st.booleans(), st.sampled_from([" ", "\u00a0", "\u202f", "'", "."]),
    st.one_of(st.none(), st.from_regex(r"[0-9]{1,3}", fullmatch=True)), st.sampled_from(["", " ", "\u00a0", "  "]),
    st.sampled_from(["", " "]))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.one_of(amount_texts, st.text(alphabet="0123456789 ,.$'\u00a0-()", max_size=20)))
def test_the_usual_amount_form_reads_as_the_general_rules_read_it(text):
    """parse_number reads `537 261,00 $` at once (issue 16): the same number, or the same error, as the general
    rules give."""
    def parsed():
        try:
            return parsing.parse_number(text)
        except parsing.CellError as exc:
            return exc.code

    fast = parsed()
    with mock.patch.object(parsing, "_AMOUNT", re.compile("(?!)")):  # never matches: the general rules only
        assert parsed() == fast, text


# ----------------------------------------------------------------------------------------- files, mutated
def _mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    kind = rng.randrange(5)
    if kind == 0:  # flip bytes
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 1:  # truncate
        del data[rng.randrange(1, len(data)):]
    elif kind == 2:  # duplicate a slice
        start = rng.randrange(len(data))
        data[start:start] = data[start:start + rng.randint(1, 2000)] * rng.randint(1, 50)
    elif kind == 3:  # zero a run
        start = rng.randrange(len(data))
        data[start:start + rng.randint(1, 500)] = bytes(min(500, len(data) - start))
    else:  # random bytes inside
        start = rng.randrange(len(data))
        data[start:start] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    return bytes(data)


def _csv(rows: list[list], encoding: str, delimiter: str = ";") -> bytes:
    text = "\r\n".join(delimiter.join(str(v) for v in row) for row in rows) + "\r\n"
    return text.encode(encoding, errors="replace")


def _odd_csvs(rng: random.Random) -> list[tuple[str, bytes]]:
    good = [HEADERS, ["1170000001", "Coop", "Coopérative", "Agroalimentaire", "54", "2024", "3", "2", "", "",
                      "250 000,00 $", "", "", "", "0", ""]]
    extreme = [HEADERS] + [["1170000001", "x", "OBNL", "Autre", "54", "2024", str(rng.choice(EXTREMES)),
                            rng.choice(TEXTS), str(rng.choice(EXTREMES)), "", str(rng.choice(EXTREMES)), "", "",
                            rng.choice(TEXTS), "0", ""] for _ in range(20)]
    return [
        ("utf16.csv", b"\xff\xfe" + _csv(good, "utf-16-le")),
        ("utf16_sans_bom.csv", _csv(good, "utf-16-le")),
        ("utf32.csv", _csv(good, "utf-32")),
        ("latin1.csv", _csv(good, "latin-1")),
        ("cp1252.csv", _csv(good, "cp1252", ",")),
        ("extremes.csv", _csv(extreme, "utf-8")),
        ("guillemets.csv", b'"' * 5000 + b"\n" + _csv(good, "utf-8")),
        ("une_ligne.csv", b"NEQ;" + b";" * 200_000),
        ("nul.csv", _csv(good, "utf-8").replace(b"Coop", b"Co\x00op")),
        ("long.csv", _csv([HEADERS, ["1170000001", "y" * 300_000] + [""] * 14], "utf-8")),
    ]


def test_random_and_mutated_files_get_a_clean_answer(tmp_path):
    reset_peak_rss()
    rng = random.Random(SEED)
    sources = [FIXTURES / n for n in ("ugly_fr.xlsx", "ugly_fr.xlsm", "ugly_fr.ods", "ugly_fr.xls", "excel_fr.csv",
                                      "errors.xlsx")]
    files = _odd_csvs(rng)
    for index in range(24):
        source = sources[index % len(sources)]
        files.append((f"mute{index}{source.suffix}", _mutate(source.read_bytes(), rng)))
    files.append(("hasard.bin", bytes(rng.randrange(256) for _ in range(4096))))
    slowest = 0.0
    for name, data in files:
        path = tmp_path / name
        path.write_bytes(data)
        started = time.monotonic()
        check = importer.check_file(path, actor=ADMIN)  # any exception fails the test
        slowest = max(slowest, time.monotonic() - started)
        _messages(check.problems)
        if check.errors:
            with pytest.raises(importer.ImportRefused):
                importer.commit(None, [check], ADMIN)
    assert slowest < 20
    assert peak_rss() < 1 << 30
