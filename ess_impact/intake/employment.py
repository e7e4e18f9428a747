"""Loading a reference table of total employment by MRC (issue 14, the weight of the social economy in its
territory): e.g. the census labour force by census division — employed persons, optionally total employment
income — with its source line, as an admin has it (CSV, Excel or LibreOffice).

    loaded = employment.load(con, actor, "emploi-2021.csv", data, source="Statistique Canada, Recensement 2021, …")

The bytes are untrusted: they are scanned and read in the sandbox child process (`sandbox.read`, like every upload),
never in the server's own process; this module only checks the cells the child sends back. Columns (headers in
French or English, in any order, below title rows): the MRC (code, name, or a census division code 24NN / its DGUID),
the reference year, the employed persons, and optionally the total employment income. Every problem names its row
and column (`FILE:SHEET:ROW:COLUMN: message`); nothing is written unless the whole file is valid. A load replaces
the reference years its file holds (and keeps the others), logged (who, when, file, SHA-256, source, years).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ess_impact import errors, formatting, parsing, reference, sql
from ess_impact.intake import filesafety, sandbox
from ess_impact.labels import N_, t
from ess_impact.store import auth, db
from ess_impact.store.auth import Account

MAX_PROBLEMS_SHOWN = 20
MAX_SOURCE = 300
MIN_YEAR = 1991
MAX_EMPLOYED = 5_000_000          # more than Québec's whole labour force: not one MRC
MAX_INCOME = 1e12
HEADER_ROWS = 20                   # the header is looked for in the first rows (title rows above it)
# Normalised header texts (reference.normalize) -> column kind.
HEADERS = {
    "mrc": ("mrc", "code mrc", "mrc code", "code de la mrc", "nom de la mrc", "mrc te", "territoire", "territory",
            "division de recensement", "census division", "code dr", "dr", "cd", "cd code", "geo", "geo code",
            "code geo", "geographie", "geography", "dguid", "regional county municipality", "rcm"),
    "year": ("annee", "year", "annee de reference", "reference year", "annee du recensement", "census year",
             "ref date", "ref_date", "periode de reference"),
    "employed": ("personnes occupees", "personnes en emploi", "population occupee", "employed", "employed persons",
                 "emploi total", "total employment", "employment", "emplois", "nombre d emplois", "jobs",
                 "total des personnes occupees"),
    "income": ("revenu d emploi", "revenus d emploi", "revenu d emploi total", "total du revenu d emploi",
               "employment income", "total employment income", "masse salariale totale", "total payroll"),
}
REQUIRED = ("mrc", "year", "employed")
KIND_OF = {text: kind for kind, texts in HEADERS.items() for text in texts}


def _header_key(cell) -> str:
    """A header as compared with HEADERS: normalised, without a unit in brackets nor punctuation."""
    text = re.sub(r"\(.*?\)", " ", reference.normalize(cell))
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    key: str
    value: str = ""


class EmploymentInvalid(errors.Invalid):
    """The employment reference table cannot be loaded: not such a table, or cells that are not what their column
    expects (each named by its row and column), or no source line."""

    def __init__(self, key: str, file: str = "", problems: list | None = None, **params):
        super().__init__(key, **params)
        self.file, self.problems = file, list(problems or [])

    def message(self, lang: str = "fr") -> str:
        head = t(self.key, lang, **self.params)
        lines = [f"{self.file}:{p.sheet}:{'' if p.row is None else p.row}:{p.column}: {t(p.key, lang, value=p.value)}"
                 for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            lines.append(t("employment_more_problems", lang, more=formatting.counted(
                "count_errors", "count_errors_plural", len(self.problems) - MAX_PROBLEMS_SHOWN, lang)))
        return "\n".join([head, *lines])


@dataclass
class Loaded:
    years: list[int]
    rows: int
    with_income: int
    missing: dict = field(default_factory=dict)   # year -> MRC codes of the reference list without a row


def _mrc(value) -> str | None:
    """An MRC code from a code, a name, a census division code (24NN, its DGUID ending in 24NN) or None."""
    text = parsing.parse_text(value)
    if text is None:
        return None
    m = re.fullmatch(r"(?:\d{4}A\d{4})?24(\d{2})", text.replace(" ", ""))
    if m:  # a census division of Québec (province 24): its last two digits are the MRC's code
        found = reference.mrc_matcher().match(m.group(1))
        if found.code:
            return found.code
    return reference.mrc_matcher().match(text).code


def _header(rows: list[list]) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """(row index, kind -> column index, kind -> header as written) of the first row naming the required columns."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found, texts = {}, {}
        for col, cell in enumerate(row):
            kind = KIND_OF.get(_header_key(cell)) if cell is not None else None
            if kind and kind not in found:
                found[kind], texts[kind] = col, str(cell).strip()
        if all(k in found for k in REQUIRED):
            return index, found, texts
    return None


def check(file_name: str, grids: list) -> list[tuple]:
    """The rows (ref_year, mrc_code, employed, income or None) of the grids the sandbox read; EmploymentInvalid with
    every problem when a cell is wrong."""
    problems: list[Problem] = []
    out: dict[tuple[int, str], tuple] = {}
    seen_at: dict[tuple[int, str], int] = {}
    header_found = False
    this_year = date.today().year
    for grid in grids:
        header = _header(grid.rows)
        if header is None:
            continue
        header_found = True
        index, columns, texts = header
        for number, row in enumerate(grid.rows[index + 1:], start=index + 2):
            cells = {k: row[c] if c < len(row) else None for k, c in columns.items()}
            if all(parsing.is_unknown(v) or parsing.parse_text(v) is None for v in cells.values()):
                continue  # a blank line, or a note under the table

            def bad(kind: str, key: str) -> None:
                problems.append(Problem(grid.sheet, number, texts[kind], key, str(cells[kind] or "")[:80]))

            code = _mrc(cells["mrc"])
            if code is None:
                bad("mrc", N_("employment_bad_mrc"))
            try:
                year = parsing.parse_year(cells["year"], this_year)
            except parsing.CellError:
                year = None
                bad("year", N_("employment_bad_year"))
            else:
                if year is None:
                    bad("year", N_("employment_bad_year"))
            try:
                employed = parsing.parse_number(cells["employed"])
            except parsing.CellError:
                employed = None
            if employed is None or not 0 < employed <= MAX_EMPLOYED:
                bad("employed", N_("employment_bad_employed"))
                employed = None
            income = None
            if "income" in cells:
                try:
                    income = parsing.parse_number(cells["income"])
                except parsing.CellError:
                    bad("income", N_("employment_bad_income"))
                else:
                    if income is not None and income > MAX_INCOME:
                        bad("income", N_("employment_bad_income"))
                        income = None
            if code is None or year is None or employed is None:
                continue
            if (year, code) in seen_at:
                problems.append(Problem(grid.sheet, number, texts["mrc"], N_("employment_duplicate"),
                                        f"{reference.mrc_matcher().display[code]}, {year}"))
                continue
            seen_at[(year, code)] = number
            out[(year, code)] = (year, code, float(employed), None if income is None else float(income))
    if not header_found:
        raise EmploymentInvalid(N_("employment_not_table"), file_name)
    if problems:
        raise EmploymentInvalid(N_("employment_invalid"), file_name, problems)
    if not out:
        raise EmploymentInvalid(N_("employment_no_rows"), file_name)
    return sorted(out.values())


def read(file_name: str, data: bytes) -> list[tuple]:
    """Scan and read the file in the sandbox child, then check its cells here."""
    found = sandbox.read(data, filesafety.MAX_CELLS)
    refused = [f for f in found.findings if f.refuses]
    if refused:
        raise EmploymentInvalid(refused[0].code, file_name, **refused[0].params)
    if found.unreadable is not None or found.grids is None:
        code, params = found.unreadable or (N_("file_sandbox"), {"reason": "protocol"})
        raise EmploymentInvalid(code, file_name, **params)
    return check(file_name, found.grids)


def clean_source(source: str | None) -> str:
    text = " ".join(str(source or "").split())
    if not text:
        raise EmploymentInvalid(N_("employment_source_required"))
    if len(text) > MAX_SOURCE:
        raise EmploymentInvalid(N_("employment_source_too_long"), max=MAX_SOURCE)
    return text


def load(con, actor: Account | None, file_name: str, data: bytes, source: str | None) -> Loaded:
    """Check the file (sandbox child), then replace the reference years it holds in one transaction (provincial
    admins only: one table for the whole province), logged. EmploymentInvalid when anything is wrong."""
    auth.require_provincial(actor)
    source = clean_source(source)
    rows = read(file_name, data)
    years = sorted({r[0] for r in rows})
    with db.transaction(con):
        for year in years:
            con.execute(sql.load("delete_employment_year"), [year])
        con.executemany(sql.load("insert_employment"), [[*r, source] for r in rows])
        con.execute(sql.load("insert_employment_load"),
                    [datetime.now(), actor.email, file_name, hashlib.sha256(data).hexdigest(), source,
                     ",".join(map(str, years)), len(rows)])
        db.bump_impact_version(con)  # the published snapshot carries the table in force (no new protection)
    codes = set(reference.mrcs()["code"])
    missing = {y: sorted(codes - {r[1] for r in rows if r[0] == y}) for y in years}
    return Loaded(years, len(rows), sum(r[3] is not None for r in rows), missing)
