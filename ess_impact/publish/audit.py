"""An independent audit of the public figures: plays a determined reader with linear programs.

It does not use the suppression code (nothing from `confidentiality`): it reads what the public sees — the public cube
of every year (every page's tables, `summary --public` and the report tables are cut from it) and the constant-sample
cubes of consecutive years (the change cards) — with NaN where a value is suppressed and cells absent where no
enterprise is. From the structure of those tables alone it rebuilds the identities a reader can rely on:

* MRCs sum to their region, regions to Québec (every category); sectors, and separately legal forms, sum to 'all';
* full-time + part-time = total jobs; earned + grants <= total revenue (when the data obey it);
* a value published through a rescaled column (FTE from paid hours, volunteer value or FTE from volunteer hours,
  per-1000 values from the population) counts as published;
* at constant sample: raw = constant sample + outside (the enterprises that entered or left), every table additive,
  the outside cells unknown and >= 0; a cell absent from a table (no enterprise) is a known zero (a reader who
  knows which enterprises reported knows which cells are empty);
* every value >= 0;
* a year shared by two constant-sample pairs is attacked with both at once (raw = sample + outside for each);
* a constant-sample or outside value needs no more protection than what was public before its pair: its required
  interval stops at the bounds a reader derives from the raw values, which cells are empty and the earlier pair's
  sample of the same year, whatever its own pair shows (τ-ARGUS's a priori bounds; computed exactly, by the same
  programs with that pair's sample unknown).

Then, per suppressed value that the primary rules make sensitive, it minimises and maximises that value (HiGHS) and
compares the interval with the protection level, computed here from the true cube (the auditor's privilege; the
attacker's programs use published values only): count rule p % of the value (one enterprise for the count), p % rule
p·x1 − (T − x1 − x2), (n, k) rule top/k − T; a zero value must reach one unit above.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import duckdb
import highspy
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ess_impact.labels import N_
from ess_impact.publish import indicators
from ess_impact.publish.lp import new_highs, run_objective

GROUPS = [("enterprises",), ("jobs_full_time", "jobs_part_time", "jobs_total"),
          ("revenue_total", "revenue_earned", "revenue_grants"), ("fte",), ("payroll",),
          ("volunteers",), ("volunteer_hours",), ("members",), ("expenses_total",), ("people_served",)]
SUMS = {"jobs_total": ("jobs_full_time", "jobs_part_time")}
AT_MOST = {"revenue_total": ("revenue_earned", "revenue_grants")}  # earned includes public service agreements
# A published rescaling of a column gives the column itself.
RESCALED = {"fte": ("paid_hours",), "volunteer_hours": ("volunteer_value", "volunteer_fte", "volunteer_hours_per_1000",
                                                  "volunteer_value_low", "volunteer_value_high"),
            "jobs_total": ("jobs_per_1000",), "revenue_total": ("revenue_per_1000",),
            "people_served": ("people_served_per_1000",)}
# Published linear combinations of columns (issue 14): value added = payroll + revenue - expenses. Published only
# where its three terms are (publish/indicators.DERIVED); `combination_leaks` checks that it stays so.
# Optional columns whose unreported cell (NULL: no enterprise reported the column) holds nobody's figure, restated
# here from the published rule (not imported from the suppression code).
NAN_NOT_SENSITIVE = frozenset({"expenses_total", "people_served"})
COMBINATIONS = {"value_added": (("payroll", 1.0), ("revenue_total", 1.0), ("expenses_total", -1.0))}
COLUMNS = ["year", "system", "table", "cell", "column", "value", "protection", "low", "high", "required_low",
           "required_high", "ok"]


@dataclasses.dataclass(frozen=True)
class AuditRules:
    min_count: int
    p_percent: float
    dominance_n: int
    dominance_share: float


def _rules(con, year: int) -> AuditRules:
    """The published rules of `year`: those it was released with (`indicators.rules_for`)."""
    s = indicators.rules_for(con, year)
    return AuditRules(s.min_count, s.p_percent, s.dominance_n, s.dominance_share)


def _table_rules(rules: AuditRules | dict, table: tuple) -> AuditRules:
    """The rules a table was published under: one set for every table, or by (kind, pair) (`run`: a year's raw
    table with the rules of its release, a constant-sample pair's sample and outside cells with those of its later
    year)."""
    return rules[table] if isinstance(rules, dict) else rules


def levels(true: pd.DataFrame, column: str, rules: AuditRules) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sensitive, required low, required high) of one column, restated from the published rules."""
    n = true["enterprises"].fillna(0).to_numpy(float)
    small = (n >= 1) & (n < rules.min_count)
    v = true[column].fillna(0).to_numpy(float)
    if column == "enterprises":
        return small, v - 1, v + 1
    if column in NAN_NOT_SENSITIVE:  # nobody in the cell reported it (issue 14's optional columns): nobody's figure
        small = small & true[column].notna().to_numpy()
    p = rules.p_percent / 100
    pl = np.where(small, p * v, 0.0)
    sens = small.copy()
    if f"{column}__max" in true:
        x1 = true[f"{column}__max"].to_numpy(float)
        x2 = np.nan_to_num(true[f"{column}__max2"].to_numpy(float), nan=0.0)
        ok = ~np.isnan(x1) & (v > 0) & ~small
        x1 = np.nan_to_num(x1)
        need = p * x1 - (v - x1 - x2)
        hit = ok & (need > 1e-7 * np.maximum(v, 1))
        sens |= hit
        pl = np.where(hit, np.maximum(pl, need), pl)
        top = x1 + (x2 if rules.dominance_n >= 2 else 0)
        hit = ok & (top > rules.dominance_share * v * (1 + 1e-12))
        sens |= hit
        pl = np.where(hit, np.maximum(pl, top / rules.dominance_share - v), pl)
    low = v - np.minimum(pl, v)
    high = v + np.where(v <= 0, np.maximum(pl, 1.0), pl)
    return sens, low, high


def _published(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Where a column's value is readable: published itself or through a published rescaling."""
    names = [column, *RESCALED.get(column, ())]
    listed = [set((s or "").split(",")) for s in frame["suppressed"]]
    out = np.zeros(len(frame), bool)
    for name in names:
        if name in frame:
            out |= np.array([name not in h for h in listed])
    return out


class _System:
    """Unknowns, equalities and inequalities of one attacker system (one year, one group of columns)."""

    def __init__(self):
        self.var: dict[tuple, int] = {}
        self.eq: list[tuple[dict[int, float], float]] = []
        self.ub: list[tuple[dict[int, float], float]] = []

    def term(self, known: dict, key) -> tuple[int | None, float]:
        if key in known:
            return None, known[key]
        if key not in self.var:
            self.var[key] = len(self.var)
        return self.var[key], 0.0

    def add(self, known: dict, terms: list[tuple[tuple, float]], inequality: bool = False) -> None:
        row, rhs = {}, 0.0
        for key, coef in terms:
            j, value = self.term(known, key)
            if j is None:
                rhs -= coef * value
            else:
                row[j] = row.get(j, 0.0) + coef
        row = {j: c for j, c in row.items() if c != 0}
        if row:
            (self.ub if inequality else self.eq).append((row, rhs))


def _hierarchy(frame: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """(parent, children) cell ids from the published table structure (absent children are zeros)."""
    ids = frame["geo_level"] + ":" + frame["geo_code"] + "|" + frame["cat_kind"] + ":" + frame["cat_code"]
    frame = frame.assign(_id=ids)
    out = []
    mrcs = frame[frame["geo_level"] == "mrc"][["geo_code", "region_code"]].drop_duplicates()
    regions = sorted(frame.loc[frame["geo_level"] == "region", "geo_code"].unique())
    cats = frame[["cat_kind", "cat_code"]].drop_duplicates().itertuples(index=False)
    for kind, code in cats:
        cat = f"{kind}:{code}"
        for region in regions:
            out.append((f"region:{region}|{cat}",
                        [f"mrc:{m}|{cat}" for m in sorted(mrcs[mrcs["region_code"] == region]["geo_code"])]))
        out.append((f"all:QC|{cat}", [f"region:{r}|{cat}" for r in regions]))
    geos = frame[["geo_level", "geo_code"]].drop_duplicates().itertuples(index=False)
    for level, code in geos:
        for kind in ("sector", "legal_form"):
            kids = sorted(frame[(frame["geo_level"] == level) & (frame["geo_code"] == code)
                                & (frame["cat_kind"] == kind)]["_id"])
            if kids:
                out.append((f"{level}:{code}|all:ALL", kids))
    return out


def _solve(system: _System, targets: list[tuple[tuple, float, float]]) -> dict[tuple, tuple[float, float]]:
    """Tightest [low, high] of each target unknown (inf when unbounded), component by component."""
    n = len(system.var)
    if not n:
        return {}
    rows = system.eq + system.ub
    r, c = [], []
    for k, (row, _) in enumerate(rows):
        r += [k] * len(row)
        c += list(row)
    incidence = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), n))
    _, label = connected_components(incidence.T @ incidence, directed=False)
    out = {}
    by_comp: dict[int, list] = {}
    for key, *_ in targets:
        by_comp.setdefault(label[system.var[key]], []).append(key)
    for comp, keys in by_comp.items():
        cols = np.flatnonzero(label == comp)
        local = {int(j): a for a, j in enumerate(cols)}
        mine = [k for k, (row, _) in enumerate(rows) if label[next(iter(row))] == comp]
        vals, ri, ci, lower, upper = [], [], [], [], []
        for a, k in enumerate(mine):
            row, rhs = rows[k]
            for j, coef in row.items():
                ri.append(a), ci.append(local[j]), vals.append(coef)
            lower.append(rhs if k < len(system.eq) else -highspy.kHighsInf)
            upper.append(rhs)
        A = sparse.csc_matrix((vals, (ri, ci)), shape=(len(mine), len(cols)))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(cols), len(mine)
        lp.col_cost_ = np.zeros(len(cols))
        lp.col_lower_ = np.zeros(len(cols))
        lp.col_upper_ = np.full(len(cols), highspy.kHighsInf)
        lp.row_lower_, lp.row_upper_ = np.array(lower, float), np.array(upper, float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_ = A.indptr.astype(np.int32), A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(float)
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = len(cols), len(mine)
        h = new_highs()
        h.passModel(lp)
        previous = None
        for key in keys:
            j = np.int32(local[system.var[key]])
            bounds = []
            for sense in (1.0, -1.0):
                if previous is not None:
                    h.changeColsCost(1, np.array([previous], np.int32), np.zeros(1))
                h.changeColsCost(1, np.array([j], np.int32), np.array([sense]))
                previous = j
                run_objective(h)
                status = h.getModelStatus()
                if status == highspy.HighsModelStatus.kOptimal:
                    bounds.append(sense * h.getInfo().objective_function_value)
                elif status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
                    bounds.append(-sense * np.inf)
                else:
                    bounds.append(np.nan)
            out[key] = (bounds[0], bounds[1])
    return out


def _attack(tables: dict[tuple, tuple[pd.DataFrame | None, pd.DataFrame]], rules: AuditRules | dict, year: int,
            system_name: str) -> list[dict]:
    """tables: (kind, pair) -> (published frame or None when never published, true frame), cell-indexed like the
    cube; kind is 'raw' (pair None), 'panel' or 'outside'. Every pair present is linked by raw = panel + outside, so
    that a year shared by two constant-sample pairs is attacked with both at once (a reader combines them)."""
    structure = tables[("raw", None)][1]
    hierarchy = _hierarchy(structure.reset_index())
    pairs = sorted({pair for _, pair in tables if pair is not None})
    out = []
    for group in GROUPS:
        system, known, targets = _group_system(tables, hierarchy, structure.index, pairs, group, rules)
        for key, value, lo, hi, is_known in targets:
            if is_known:
                out.append(_row(year, system_name, key, value, value, value, lo, hi, False))
        targets = [t[:4] for t in targets if not t[4]]
        for key, *_ in targets:
            system.term(known, key)
        intervals = _solve(system, [(k, lo, hi) for k, _, lo, hi in targets])
        results = []
        for key, value, lo, hi in targets:
            low, high = intervals.get(key, (0.0, np.inf))
            results.append([key, value, low, high, lo, hi])
        # A constant-sample or outside value of a pair needs no more protection than what was public before that
        # pair: the raw tables (with which cells are empty) and the earlier pair's sample, whatever this pair shows
        # (τ-ARGUS's a priori bounds). Exact: the same system with this pair's (and any later pair's) sample unknown.
        for pair in pairs:
            short = [r for r in results if r[0][3] == pair and not _meets(*r[1:])]
            if not short:
                continue
            prior_tables = {k: (None if k[0] == "panel" and k[1] >= pair else pub, true)
                            for k, (pub, true) in tables.items()}
            prior, prior_known, _ = _group_system(prior_tables, hierarchy, structure.index, pairs, group, rules)
            keys = [r[0] for r in short]
            for key in keys:
                prior.term(prior_known, key)
            bounds = _solve(prior, [(k, 0.0, 0.0) for k in keys])
            for r in short:
                a_low, a_high = bounds.get(r[0], (0.0, np.inf))
                r[4] = max(r[4], min(a_low, r[1]))
                r[5] = min(r[5], max(a_high, r[1]))
        for key, value, low, high, lo, hi in results:
            pair = key[3]
            name = system_name if key[0] == "raw" else f"constant {pair[0]}-{pair[1]}"
            out.append(_row(year, name, key, value, low, high, lo, hi, _meets(value, low, high, lo, hi)))
    return out


def _meets(value: float, low: float, high: float, required_low: float, required_high: float) -> bool:
    tol = 1e-6 * max(1.0, abs(value))
    return bool(low <= required_low + tol and high >= required_high - tol)


def _row(year, system_name, key, value, low, high, required_low, required_high, ok) -> dict:
    return dict(year=year, system=system_name, table=key[0], cell=key[1], column=key[2], value=value,
                protection=required_high - value, low=low, high=high, required_low=required_low,
                required_high=required_high, ok=ok)


def _group_system(tables, hierarchy, all_cells, pairs, group, rules):
    """The attacker's system of one group of columns: (system, known values, targets). A target is (key,
    value, required low, required high, readable as such); a key is (kind, cell, column, pair)."""
    system = _System()
    known: dict = {}
    targets = []
    for (kind, pair), (pub, true) in tables.items():
        ids = true.index
        for col in group:
            if pub is None:
                readable = np.zeros(len(true), bool)
            else:
                frame = pub.reindex(ids)
                readable = _published(frame.assign(suppressed=frame["suppressed"].astype(object).fillna("")), col)
            values = true[col].fillna(0).to_numpy(float)
            for cell, is_known, value in zip(ids, readable, values):
                if is_known:
                    known[(kind, cell, col, pair)] = value
            sens, low, high = levels(true, col, _table_rules(rules, (kind, pair)))
            if kind == "outside" and col == "enterprises":  # the number of leavers/entrants is not confidential
                sens = np.zeros(len(true), bool)
            for cell, s, lo, hi, value, is_known in zip(ids, sens, low, high, values, readable):
                if s:
                    targets.append(((kind, cell, col, pair), value, lo, hi, bool(is_known)))
    for (kind, pair), (pub, true) in tables.items():
        present = set(true.index)
        for col in group:
            for cell in all_cells:  # cells absent from a table are zeros (a reader who knows who reported sees it)
                if cell not in present:
                    known[(kind, cell, col, pair)] = 0.0
            for parent, kids in hierarchy:
                system.add(known, [((kind, parent, col, pair), 1.0)] + [((kind, k, col, pair), -1.0) for k in kids])
        for total, parts in SUMS.items():
            if total in group:
                for cell in true.index:
                    system.add(known, [((kind, cell, total, pair), 1.0)] + [((kind, cell, p, pair), -1.0)
                                                                           for p in parts])
        for total, parts in AT_MOST.items():
            if total in group:
                t = true[total].fillna(0).to_numpy(float)
                s = sum(true[p].fillna(0).to_numpy(float) for p in parts)
                if (s <= t * (1 + 1e-9) + 1e-6).all():
                    for cell in true.index:
                        system.add(known, [((kind, cell, p, pair), 1.0) for p in parts]
                                   + [((kind, cell, total, pair), -1.0)], inequality=True)
    for pair in pairs:
        for col in group:
            for cell in all_cells:
                system.add(known, [(("raw", cell, col, None), 1.0), (("panel", cell, col, pair), -1.0),
                                   (("outside", cell, col, pair), -1.0)])
    return system, known, targets


def _true(con, year, panel=None, outside=False) -> pd.DataFrame:
    return indicators.cube(con, year, panel, outside).set_index("cell")


def run(con: duckdb.DuckDBPyConnection, year: int | None = None, panels: bool = True,
        progress: Callable[[str, dict], None] | None = None) -> pd.DataFrame:
    """One row per sensitive value the public cannot read directly: its interval and whether it is protected.
    A sensitive value readable as such appears with ok = False. Each year is attacked alone (system 'raw'), then
    with every constant-sample pair it belongs to at once (system 'constant Y0-Y1', or 'constant Y0-Y1 + Y1-Y2' for
    the raw values of a year shared by two pairs). ``progress(key, values)``: called before each step (a text key of
    the catalogues and its values), for a long audit's messages."""
    def step(key: str, **values) -> None:
        if progress is not None:
            progress(key, values)

    known_years = [int(y) for y in indicators.years(con)["year"]]
    chosen = known_years if year is None else [y for y in known_years if y == int(year)]
    step(N_("audit_progress_published"))
    public = indicators.public_cubes(con)
    rows = []
    for y in chosen:
        step(N_("audit_progress_raw"), year=y)
        pub = public[public["year"] == y].set_index("cell")
        rows += _attack({("raw", None): (pub, _true(con, y))}, _rules(con, y), y, "raw")
    if panels:
        all_pairs = indicators.year_pairs(con)
        step(N_("audit_progress_published"))
        published = {pair: indicators.public_panels(con, *pair) for pair in all_pairs
                     if year is None or int(year) in pair}
        for y in chosen:
            pairs = [pair for pair in all_pairs if y in pair]
            if not pairs:
                continue
            names = " + ".join(f"{a}-{b}" for a, b in pairs)
            step(N_("audit_progress_panel"), year=y, pairs=names)
            tables = {("raw", None): (public[public["year"] == y].set_index("cell"), _true(con, y))}
            for pair in pairs:
                ppub = published[pair]
                tables[("panel", pair)] = (ppub[ppub["year"] == y].set_index("cell"), _true(con, y, pair))
                tables[("outside", pair)] = (None, _true(con, y, pair, outside=True))
            # each table with the rules it was published under: the year's raw table with its release's, a pair's
            # sample and outside cells with its later year's
            rules = {key: _rules(con, y if key[1] is None else key[1][1]) for key in tables}
            rows += _attack(tables, rules, y, "constant " + names)
    return pd.DataFrame(rows, columns=COLUMNS)


def combination_leaks(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(cell, combination, term) wherever a published linear combination (COMBINATIONS) sits beside a hidden term:
    the identity would then give the hidden term back. Empty when the publication is safe."""
    out = []
    listed = [set((s or "").split(",")) for s in frame["suppressed"].fillna("")]
    for combo, terms in COMBINATIONS.items():
        if combo not in frame:
            continue
        shown = frame[combo].notna().to_numpy()
        for cell, is_shown, hidden in zip(frame["cell"], shown, listed):
            if is_shown:
                out += [(cell, combo, term) for term, _ in terms if term in hidden]
    return out
