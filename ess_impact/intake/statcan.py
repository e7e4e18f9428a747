"""Reading Statistics Canada's input-output multipliers (table 36-10-0595-01, "Input-output multipliers, provincial
and territorial, detail level") from the CSV Statistics Canada distributes, Québec rows only (issue 14). Runs in the
sandbox child process (the bytes are untrusted): `intake.multipliers.load` calls it through `sandbox`.

    found = statcan.read(data)
    found.rows       # (ref_year, industry_code, industry_label, multiplier, variable, value per dollar of output)
    found.problem    # (message code, params) when the file is not such a table, else None

The file's columns (the full-table download and "download selected data (for database loading)" share them):
REF_DATE, GEO, DGUID, Industry, Multipliers, Variable, UOM, UOM_ID, SCALAR_FACTOR, SCALAR_ID, VECTOR, COORDINATE,
VALUE, STATUS, SYMBOL, TERMINATED, DECIMALS — UTF-8 with a byte-order mark, every field quoted. What is kept:

* GEO "Quebec" / "Québec" (or Québec's DGUID 2016A000224);
* the dimension "Multipliers" (Statistics Canada's "multiplier type"): "Direct multiplier", "Indirect multiplier",
  "Induced multiplier" (also "Simple multiplier" = direct + indirect and "Total multiplier" = simple + induced, used
  only to derive a missing indirect or induced value); French labels ("Multiplicateur direct"…) are accepted;
* the dimension "Variable": jobs ("Jobs"), GDP ("Gross domestic product (GDP) at basic price(s)") and labour income
  ("Labour income"); every other variable (output, imports, taxes…) is left out;
* when the file also has a "Geographical coverage" column, only its "within the province" member;
* the latest reference year (REF_DATE) present for Québec.

VALUE × 10^SCALAR_ID (SCALAR_FACTOR "units", "thousands", "millions"…). Jobs multipliers are published as jobs per
million dollars of output (unless the UOM says "thousand"), GDP and labour income as dollars per dollar: every value
is stored per dollar of output. A row without a VALUE (STATUS "..", "x", "F") is skipped and counted.

The names of the dimensions' members above were checked against what public descriptions of the table show
(member names "Direct multiplier", "Indirect multiplier", "Simple multiplier", "Induced multiplier", "Total
multiplier"; variables "Jobs", "Gross domestic product (GDP) at basic price", "Labour income"); matching is tolerant
(case, accents, plural) so that a later edition's small wording change still loads.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from ess_impact.labels import N_

MAX_BYTES = 300 * 1048576   # a Québec extract is a few MB; the whole Canadian table is larger: extract Québec first
MAX_ROWS = 5_000_000
MAX_FIELD = 4096
QUEBEC_DGUID = "2016A000224"
REQUIRED = ("REF_DATE", "GEO", "Industry", "Multipliers", "Variable", "VALUE")
HEADER_ALIASES = {  # French download
    "periode de reference": "REF_DATE", "geo": "GEO", "industrie": "Industry", "multiplicateurs": "Multipliers",
    "unite de mesure": "UOM", "facteur scalaire": "SCALAR_FACTOR", "identificateur scalaire": "SCALAR_ID",
    "valeur": "VALUE", "statut": "STATUS", "symbole": "SYMBOL", "couverture geographique": "Geographical coverage",
}
MULTIPLIERS = ("direct", "indirect", "induced")
VARIABLES = ("jobs", "gdp", "labour_income")
SCALARS = {"units": 0, "unites": 0, "tens": 1, "hundreds": 2, "thousands": 3, "milliers": 3, "millions": 6,
           "billions": 9, "milliards": 9}


@dataclass
class Found:
    rows: list = field(default_factory=list)   # (ref_year, code, label, multiplier, variable, value)
    problem: tuple | None = None
    skipped: int = 0                           # Québec rows of a kept variable without a value
    ref_year: int | None = None


def _norm(text: str) -> str:
    """Lower case, no accents, single spaces (reference.normalize without pandas: this runs in the child)."""
    s = unicodedata.normalize("NFKD", str(text or ""))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("\u2019", "'")
    return " ".join(s.split())


def multiplier_kind(label: str) -> str | None:
    n = _norm(label)
    for kind, words in (("indirect", ("indirect",)), ("induced", ("induced", "induit")), ("direct", ("direct",)),
                        ("simple", ("simple",)), ("total", ("total",))):
        if any(re.search(rf"\b{w}", n) for w in words):
            return kind
    return None


def variable_kind(label: str) -> str | None:
    n = _norm(label)
    if re.search(r"\b(jobs?|emplois?)\b", n):
        return "jobs"
    if "gross domestic product" in n or "produit interieur brut" in n or re.match(r"(gdp|pib)\b", n):
        return "gdp"
    if "labour income" in n or "labor income" in n or "revenu du travail" in n or "revenus du travail" in n:
        return "labour_income"
    return None


def industry_code(label: str) -> tuple[str, str]:
    """'Social assistance [BS624000]' -> ('BS624000', 'Social assistance')."""
    m = re.search(r"\[([^\[\]]+)\]\s*$", label or "")
    if not m:
        return "", (label or "").strip()
    return m.group(1).strip(), label[:m.start()].strip()


def _per_dollar(variable: str, value: float, scalar: int, uom: str) -> float:
    value = value * 10 ** scalar
    if variable == "jobs":
        u = _norm(uom)
        return value / (1_000 if "thousand" in u or "millier" in u else 1_000_000)
    return value


def read(data: bytes) -> Found:
    """Parse the bytes of a 36-10-0595-01 CSV (run in the sandbox child: untrusted). Never raises on bad input."""
    if len(data) > MAX_BYTES:
        return Found(problem=(N_("multipliers_too_large"), {"max": MAX_BYTES // 1048576}))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            return Found(problem=(N_("multipliers_not_table"), {"missing": ", ".join(REQUIRED)}))
        names = []
        for h in header:
            h = h.strip().strip("\ufeff")
            names.append(HEADER_ALIASES.get(_norm(h), h))
        pos = {n: i for i, n in enumerate(names)}
        missing = [c for c in REQUIRED if c not in pos]
        if missing:
            return Found(problem=(N_("multipliers_not_table"), {"missing": ", ".join(missing)}))
        coverage = pos.get("Geographical coverage")
        raw: dict[tuple, float] = {}
        labels: dict[str, str] = {}
        skipped = 0
        for k, row in enumerate(reader):
            if k >= MAX_ROWS:
                return Found(problem=(N_("multipliers_too_large"), {"max": MAX_BYTES // 1048576}))
            if len(row) < len(names):
                continue
            geo = _norm(row[pos["GEO"]])
            dguid = row[pos["DGUID"]].strip() if "DGUID" in pos else ""
            if geo != "quebec" and dguid != QUEBEC_DGUID:
                continue
            if coverage is not None:
                c = _norm(row[coverage])
                if not ("within" in c or "interieur" in c or "dans la province" in c):
                    continue
            mult, var = multiplier_kind(row[pos["Multipliers"]]), variable_kind(row[pos["Variable"]])
            if mult is None or var is None:
                continue
            match = re.match(r"\s*(\d{4})", row[pos["REF_DATE"]])
            if not match:
                continue
            year = int(match.group(1))
            value = row[pos["VALUE"]].strip()
            if not value:
                skipped += 1
                continue
            try:
                number = float(value)
            except ValueError:
                skipped += 1
                continue
            if number != number or number in (float("inf"), float("-inf")) or abs(number) > 1e9:
                skipped += 1
                continue
            scalar_text = _norm(row[pos["SCALAR_FACTOR"]]) if "SCALAR_FACTOR" in pos else "units"
            scalar = SCALARS.get(scalar_text.split()[0] if scalar_text else "units")
            if scalar is None and "SCALAR_ID" in pos and row[pos["SCALAR_ID"]].strip().isdigit():
                scalar = int(row[pos["SCALAR_ID"]].strip())
            if scalar is None or scalar > 12:
                skipped += 1
                continue
            code, label = industry_code(row[pos["Industry"]])
            code = code or label
            labels[code] = label
            uom = row[pos["UOM"]] if "UOM" in pos else ""
            raw[(year, code, mult, var)] = _per_dollar(var, number, scalar, uom)
    except csv.Error as exc:
        return Found(problem=(N_("multipliers_malformed"), {"line": reader.line_num, "detail": str(exc)[:80]}))
    if not raw:
        return Found(problem=(N_("multipliers_no_quebec"), {}), skipped=skipped)
    year = max(y for y, *_ in raw)
    rows = []
    for code in sorted({c for y, c, *_ in raw if y == year}):
        for var in VARIABLES:
            got = {m: raw.get((year, code, m, var)) for m in ("direct", "indirect", "induced", "simple", "total")}
            if got["indirect"] is None and got["simple"] is not None and got["direct"] is not None:
                got["indirect"] = got["simple"] - got["direct"]
            if got["induced"] is None and got["total"] is not None and got["simple"] is not None:
                got["induced"] = got["total"] - got["simple"]
            for m in MULTIPLIERS:
                if got[m] is not None:
                    rows.append((year, code, labels[code], m, var, float(got[m])))
    return Found(rows=rows, skipped=skipped, ref_year=year)


