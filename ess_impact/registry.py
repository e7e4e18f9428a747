"""The enterprise registry (admins only): search the enterprises, correct an identity, merge two records of the same
enterprise, deactivate or reactivate one.

    found = search(con, admin, "erables", region="16")             # DataFrame, found.attrs["total"] before the limit
    done = edit(con, admin, "1170000001", {"name": "Coop Les Érables"}, from_year=2024)
    done = merge(con, admin, keep_neq="1170000001", drop_neq="1170000010")
    set_active(con, admin, "1170000002", False, "Fermée en 2024")

Corrections and merges change figures, so they are written like an import (channel 'registre' or 'fusion'): the
versions they replace go to `annual_figures_history`, the new ones carry the new import number, the log names who,
when and what (a canonical JSON of the change, hashed), `enterprises` is rebuilt and the data version bumped, all in
one transaction; `history.undo_import` undoes them like any import. On the fictitious demo data they are flagged as
demo (like the data they change): the first real import removes them with the rest, and they cannot be undone.

The status (table `enterprise_status`, no row = active) says whether an enterprise is still expected to report; it
deletes no figure. Every change of it is kept in `enterprise_status_history`.

A regional admin (auth.Account.regions) sees the enterprises that held at least one year in its regions, and the
figures of those years only; it corrects the years its regions hold (to an MRC of its regions), merges two records
only when both lie wholly in its regions, and decides the status of an enterprise whose latest year its regions hold.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from ess_impact import errors, formatting, parsing, reference, sql
from ess_impact.fields import FIELD_BY_KEY, header
from ess_impact.intake import importer
from ess_impact.labels import N_, t
from ess_impact.output import tables
from ess_impact.store import auth, db, history
from ess_impact.store.auth import Account

CHANNEL_EDIT, CHANNEL_MERGE = "registre", "fusion"
IDENTITY = ("name", "legal_form", "sector", "mrc")
_MATCHERS = {"legal_form": reference.legal_form_matcher, "sector": reference.sector_matcher,
             "mrc": reference.mrc_matcher}
DEFAULT_LIMIT = 200


class RegistryError(errors.Invalid):
    """A registry operation refused for its input: unknown NEQ, the same NEQ twice, an invalid code, nothing to
    change... `message(lang)` is the sentence to show; nothing was written."""

    def message(self, lang: str = "fr") -> str:
        params = dict(self.params)
        if self.key.startswith("unknown_"):  # the importer's messages for codes, with the same hints
            importer.add_code_hint(self.key, params, lang)
        return t(self.key, lang, **params)


@dataclass
class EditResult:
    import_id: int       # the correction's number in the import log (undo it from the Journal des envois)
    neq: str
    changed: int         # enterprise-years rewritten
    unchanged: int       # enterprise-years that already had these values
    is_demo: bool        # made on demo data: removed with them, not undoable


@dataclass
class MergeResult:
    import_id: int
    keep_neq: str
    drop_neq: str
    moved: int           # years of drop_neq now under keep_neq
    archived: int        # years both had: keep_neq's row stays, drop_neq's is only in the history
    accounts: list[str]  # accounts still linked to drop_neq (to fix on the Comptes page)
    is_demo: bool


@dataclass
class StatusChange:
    neq: str
    active: bool
    note: str
    changed_at: datetime
    changed_by: str


# ------------------------------------------------------------------------------------------------------- reading
def search(con: duckdb.DuckDBPyConnection, actor: Account | None, text: str = "", region: str | None = None,
           mrc: str | None = None, sector: str | None = None, active: bool | None = None,
           limit: int | None = DEFAULT_LIMIT) -> pd.DataFrame:
    """Enterprises whose NEQ contains the digits typed, or whose name contains every word typed (accents, case,
    dashes and apostrophes ignored), within the filters (codes; None = any). Columns: neq, name, legal_form,
    sector, mrc, mrc_name, region, region_name, first_year, last_year, active, status_note, status_changed_at,
    status_changed_by, accounts (linked e-mails, comma-separated). Sorted by name; at most `limit` rows, the number
    found before the limit in `.attrs["total"]`."""
    auth.require_admin(actor)
    if region:
        auth.require_region(actor, region)
    found = con.execute(sql.load("registry_search"), [region or None, mrc or None, sector or None, active, None]).df()
    if actor.is_regional:  # the enterprises that held at least one year in its regions
        held = {row[0] for row in con.execute(sql.load("neqs_in_regions"), [list(actor.regions)]).fetchall()}
        found = found[found["neq"].isin(held)]
    wanted = reference.normalize(text or "")
    if wanted:
        digits = re.sub(r"[\s.\-]", "", text or "")
        words = wanted.split()
        names = found["name"].map(reference.normalize)
        by_name = names.map(lambda name: all(word in name for word in words))
        by_neq = found["neq"].str.contains(digits, regex=False) if digits.isdigit() else False
        found = found[by_name | by_neq]
    total = len(found)
    found = found.head(limit) if limit else found
    found = found.reset_index(drop=True)
    found.attrs["total"] = total
    return found


def identity(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str) -> dict:
    """One enterprise's registry row (the columns of `search`) as a dict; RegistryError for an unknown NEQ. A regional
    admin: only an enterprise that held a year in its regions."""
    auth.require_admin(actor)
    found = _identity(con, neq)
    auth.require_neq_regions(con, actor, [found["neq"]], whole=False)
    return found


def linked_accounts(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str) -> pd.DataFrame:
    """The accounts linked to a NEQ: email, active."""
    auth.require_neq_regions(con, actor, [_neq(neq)], whole=False)
    return con.execute(sql.load("registry_accounts"), [neq]).df()


def merge_plan(con: duckdb.DuckDBPyConnection, actor: Account | None, keep_neq: str, drop_neq: str) -> pd.DataFrame:
    """What merge(keep_neq, drop_neq) would do, one row per year of drop_neq: kept_has_year False = the row moves to
    keep_neq; True = keep_neq's row for that year stays and drop_neq's is only archived. Also the main figures of
    both (name, jobs, revenue, volunteer hours; kept_* for keep_neq), to compare."""
    auth.require_admin(actor)
    keep, drop = _pair(con, keep_neq, drop_neq)
    auth.require_neq_regions(con, actor, [keep, drop])  # a regional admin: both wholly in its regions
    return con.execute(sql.load("merge_plan"), [keep, drop]).df()


def is_active(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str) -> bool:
    """Whether the enterprise is still expected to report (True unless deactivated). An enterprise account may ask
    about its own NEQs; a regional admin about those that held a year in its regions."""
    auth.require_neqs(actor, [neq])
    if actor.is_regional:
        auth.require_neq_regions(con, actor, [neq], whole=False)
    row = db.first(con, sql.load("get_status"), [neq])
    return True if row is None else bool(row[0])


def status_history(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str) -> pd.DataFrame:
    """Every status change of a NEQ, latest first: active, note, changed_at, changed_by."""
    auth.require_neq_regions(con, actor, [_neq(neq)], whole=False)
    return con.execute(sql.load("status_history"), [neq]).df()


def results_table(found: pd.DataFrame, lang: str) -> tables.Table:
    """The search results as a published table (screen, CSV and Excel): codes shown by name, status in words."""
    frame = pd.DataFrame({
        "NEQ": found["neq"],
        t("name", lang): found["name"],
        t("legal_form", lang): [reference.code_label("legal_form", c, lang) for c in found["legal_form"]],
        t("sector", lang): [reference.code_label("sector", c, lang) for c in found["sector"]],
        t("mrc", lang): [reference.code_label("mrc", c, lang) for c in found["mrc"]],
        t("region", lang): found["region_name"],
        t("registry_col_first", lang): found["first_year"].astype(str),
        t("registry_col_last", lang): found["last_year"].astype(str),
        t("registry_status", lang): [t(N_("registry_active") if a else N_("registry_inactive"), lang) for a in found["active"]],
        t("registry_col_accounts", lang): found["accounts"],
    })
    return tables.Table(frame, {}, t("registry_results_title", lang))


def plan_table(plan: pd.DataFrame, keep_neq: str, lang: str) -> pd.DataFrame:
    """merge_plan as the reader sees it: each year of the record merged away, what happens to its row, its main
    figures and the kept record's revenue that year (to compare)."""
    def money(values):
        return [formatting.field_value("amount", v, lang) for v in values]

    return pd.DataFrame({
        t("year", lang): plan["year"].astype(str),
        t("registry_merge_what", lang): [t(N_("registry_merge_archived") if kept else N_("registry_merge_moves"), lang,
                                           keep=keep_neq) for kept in plan["kept_has_year"]],
        t("name", lang): plan["name"],
        header(FIELD_BY_KEY["jobs_full_time"], lang): [formatting.field_value("int", v, lang)
                                                       for v in plan["jobs_full_time"]],
        header(FIELD_BY_KEY["jobs_part_time"], lang): [formatting.field_value("int", v, lang)
                                                       for v in plan["jobs_part_time"]],
        header(FIELD_BY_KEY["revenue_total"], lang): money(plan["revenue_total"]),
        t("registry_merge_kept_revenue", lang, keep=keep_neq): money(plan["kept_revenue_total"]),
    })


# ------------------------------------------------------------------------------------------------------- writing
def edit(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str, changes: dict,
         from_year: int | None = None) -> EditResult:
    """Correct the identity (name, legal_form, sector, mrc: codes, or names matched like in a file) of an enterprise
    on its rows in force from `from_year` on (None: every year), as one undoable import (channel 'registre').
    RegistryError: unknown NEQ, unknown field, invalid code, empty name, no year from `from_year`, nothing to change."""
    auth.require_admin(actor)
    neq = _neq(neq)
    clean = _validated(changes)
    if from_year is not None:
        from_year = int(from_year)
    now = datetime.now()
    with db.transaction(con):
        _identity(con, neq)
        rows = con.execute(sql.load("stored_figures"), [[neq]]).df()
        if from_year is not None:
            rows = rows[rows["year"] >= from_year]
        if rows.empty:
            raise RegistryError("registry_no_years", neq=neq, year=from_year)
        records = rows.assign(**clean, source_row=None)  # a correction has no row in a file
        auth.require_rows(con, actor, records)  # a regional admin: years held in its regions, an MRC of its regions
        _, changed, unchanged = history.stage(con, records)
        if not changed:
            raise RegistryError("registry_nothing_to_change", neq=neq)
        demo = db.is_demo(con)
        import_id = history.next_import_id(con)
        history.apply_staged(con, import_id, now)
        since = t("registry_file_since", "fr", year=from_year) if from_year is not None else ""
        history.log_import(con, import_id, now, actor, CHANNEL_EDIT,
                           t("registry_file_edit", "fr", neq=neq, since=since),
                           _digest({"operation": "edit", "neq": neq, "changes": clean, "from_year": from_year}),
                           (len(records), 0, changed, unchanged), demo)
        con.execute("DROP TABLE IF EXISTS staged")
        db.bump_data_version(con)
    return EditResult(import_id, neq, changed, unchanged, demo)


def merge(con: duckdb.DuckDBPyConnection, actor: Account | None, keep_neq: str, drop_neq: str) -> MergeResult:
    """Two records of the same enterprise (e.g. a mistyped NEQ): the years of drop_neq that keep_neq lacks move to
    keep_neq as they are; where both have a year, keep_neq's row stays. Every row of drop_neq leaves the figures in
    force (kept in the history, replaced by the merge), as one undoable import (channel 'fusion'). Accounts are not
    changed: those still linked to drop_neq are returned. RegistryError: unknown NEQ, the same NEQ twice."""
    auth.require_admin(actor)
    now = datetime.now()
    with db.transaction(con):
        keep, drop = _pair(con, keep_neq, drop_neq)
        auth.require_neq_regions(con, actor, [keep, drop])  # a regional admin: both wholly in its regions
        plan = con.execute(sql.load("merge_plan"), [keep, drop]).df()
        moving = set(plan.loc[~plan["kept_has_year"], "year"])
        rows = con.execute(sql.load("stored_figures"), [[drop]]).df()
        records = rows[rows["year"].isin(moving)].assign(neq=keep, source_row=None)
        inserted, _, _ = history.stage(con, records)  # all new: keep_neq has none of these years
        demo = db.is_demo(con)
        import_id = history.next_import_id(con)
        con.execute(sql.load("merge_archive"), [import_id, now, drop])
        con.execute(sql.load("merge_delete"), [drop])
        con.execute(sql.load("stage_neq"), [drop])  # its identity goes too
        history.apply_staged(con, import_id, now)
        history.log_import(con, import_id, now, actor, CHANNEL_MERGE,
                           t("registry_file_merge", "fr", keep=keep, drop=drop),
                           _digest({"operation": "merge", "keep": keep, "drop": drop}),
                           (len(plan), inserted, len(plan) - inserted, 0), demo)
        con.execute("DROP TABLE IF EXISTS staged")
        db.bump_data_version(con)
    accounts = con.execute(sql.load("registry_accounts"), [drop]).df()["email"].tolist()
    return MergeResult(import_id, keep, drop, inserted, len(plan) - inserted, accounts, demo)


def set_active(con: duckdb.DuckDBPyConnection, actor: Account | None, neq: str, active: bool,
               note: str = "") -> StatusChange:
    """Deactivate (closed, merged, no longer in scope: a note is required) or reactivate an enterprise. No figure is
    deleted: it stays in the aggregates of the years it reported; a deactivated enterprise is just not expected to
    report any more. Traced (who, when, note) in the status and its history; bumps the data version so that cached
    views see it. RegistryError: unknown NEQ, no note, already in that state."""
    auth.require_admin(actor)
    neq = _neq(neq)
    note = " ".join((note or "").split())
    if not active and not note:
        raise RegistryError("registry_note_required")
    now = datetime.now()
    with db.transaction(con):
        found = _identity(con, neq)
        # a regional admin decides the status of the enterprises whose latest year its regions hold
        auth.require_neq_regions(con, actor, [neq], years=[int(found["last_year"])])
        row = db.first(con, sql.load("get_status"), [neq])
        if (True if row is None else bool(row[0])) == bool(active):
            raise RegistryError(N_("registry_already_active") if active else N_("registry_already_inactive"), neq=neq)
        params = [neq, bool(active), note, now, actor.email]
        con.execute(sql.load("set_status"), params)
        con.execute(sql.load("log_status"), params)
        db.bump_data_version(con)
    return StatusChange(neq, bool(active), note, now, actor.email)


# ------------------------------------------------------------------------------------------------------- helpers
def _neq(value) -> str:
    return parsing.required_neq(value, RegistryError)


def _identity(con: duckdb.DuckDBPyConnection, neq: str) -> dict:
    found = con.execute(sql.load("registry_search"), [None, None, None, None, _neq(neq)]).df()
    if found.empty:
        raise RegistryError("registry_unknown_neq", neq=neq)
    return found.iloc[0].to_dict()


def _pair(con: duckdb.DuckDBPyConnection, keep_neq: str, drop_neq: str) -> tuple[str, str]:
    keep, drop = _neq(keep_neq), _neq(drop_neq)
    if keep == drop:
        raise RegistryError("registry_same_neq", neq=keep)
    _identity(con, keep)
    _identity(con, drop)
    return keep, drop


def _validated(changes: dict) -> dict:
    """The changes with codes for legal form, sector and MRC (matched like in an uploaded file) and a tidy name."""
    clean = {}
    for key, value in (changes or {}).items():
        if key not in IDENTITY:
            raise RegistryError("registry_unknown_field", name=key)
        if key == "name":
            name = " ".join(str(value or "").split())
            if not name:
                raise RegistryError("registry_name_required")
            clean[key] = name
            continue
        found = _MATCHERS[key]().match(value)
        if found.code is None:
            raise RegistryError(importer.UNKNOWN[key], value="" if value is None else value, suggestion=found.suggestion)
        clean[key] = found.code
    if not clean:
        raise RegistryError("registry_no_change_given")
    return clean


def _digest(change: dict) -> str:
    """SHA-256 of the change as canonical JSON: what the log records in place of a file's digest."""
    text = json.dumps(change, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
