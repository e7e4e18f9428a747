"""Statistical disclosure control: primary sensitivity rules and secondary (complementary) cell suppression with
**protection intervals**.

A *cell* is an aggregate over enterprises (jobs of one MRC, of one sector x MRC, ...). Published tables also contain
totals, linked to their cells by additive constraints (``value(parent) == sum(value(children))``).

Primary rules (``Rules``), as official statistics state them (Hundepool et al., *Statistical Disclosure Control*,
Wiley 2012, §4.2; τ-ARGUS manual §4.1):

* **minimum count**: a cell of 1 .. ``min_count - 1`` enterprises is sensitive in every column;
* **p % rule**: with x1 >= x2 the two largest contributions of a cell of total T, the cell is sensitive when the
  second-largest contributor could estimate x1 within p %: ``T - x1 - x2 < p/100 * x1``;
* **(n, k) dominance**: the ``dominance_n`` largest contributions exceed ``dominance_share`` of T.

Each sensitive value v gets a **protection level** pl (Hundepool et al. §4.3.4; τ-ARGUS "protection levels";
sdcTable ``protectTable``): p % rule ``pl = p/100 * x1 - (T - x1 - x2)``; (n, k) rule ``pl = (x1 + .. + xn) / k - T``;
count rule ``pl = p/100 * v`` (10 % when the p % rule is off); the largest applies. A value that no enterprise of
the cell reported (the optional columns of UNREPORTED_NOT_SENSITIVE, a NULL sum) is not sensitive: it discloses
nobody's figure. A zero value must not be confirmed
either: its upper protection is at least one unit. The count column itself has ``pl = 1`` enterprise.

Secondary suppression: the attacker knows every published value, every additive constraint, the identities between
columns of a ``Linked`` group (full-time + part-time = total jobs; earned + grants <= total revenue) and x >= 0. For
each sensitive value i the two linear programs ``min x_i`` and ``max x_i`` over that feasible set must give an
interval reaching ``v - pl`` below and ``v + pl`` above (the "audit" formulation of Fischetti & Salazar, *Solving the
cell suppression problem on tabular statistical data protection*, Management Science 2001, and of de Wolf's
hypercube/modular methods — here with a greedy choice of complements instead of their exact MIP). The engine:

1. suppresses the sensitive cells; columns of a ``Linked`` group share one pattern (a cell suppressed in one of them
   is suppressed in all: an identity between a published and a suppressed column would otherwise give it back);
2. cheap pass: a constraint whose only unknown is a suppressed cell gets a second unknown;
3. verifies each connected component of the constraint graph restricted to suppressed cells with HiGHS (scipy's
   ``linprog(method="highs")``) on sparse matrices; feasible points found on the way are kept as witnesses, so that a
   requirement already met by one of them needs no linear program of its own;
4. for each requirement not met, solves a *deviation* LP (Fischetti & Salazar's single-cell protection problem as a
   heuristic): the cheapest move y with A y = 0 and x + y >= 0 that moves the cell by its protection level, cells
   already suppressed moving for free; the support of y is suppressed, and y, completed for the identities between
   linked columns, is itself a feasible point of the attacker's system: the requirement (and every other one y moves
   far enough) is met without a second LP. Requirements whose cells share no constraint are moved together in one
   LP (one per batch; each on its own when the joint move is infeasible). Goes back to 2 until every sensitive value
   meets its protection level.

Suppression only grows, so a requirement met once (by any feasible point) stays met: only the requirements not yet
met are ever solved again. Work limits are HiGHS iteration limits, not clocks, so the result does not depend on
the machine's load (only the optional ``time_budget`` of a whole call is a wall clock).

Cells can be marked *unpublished* (never shown, always unknown to the attacker: e.g. the enterprises outside a
constant sample, whose values are raw - panel) and *frozen* (their status is already decided by another table: no
complement may be added there, but their protection is checked in the joint system).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ess_impact.publish.lp import new_highs, run_objective

# Optional columns (issue 14) whose cell is not sensitive when no enterprise of it reported the column (a NULL sum
# discloses nobody's figure, and is published as "—"). The older columns keep treating it as a sensitive zero.
UNREPORTED_NOT_SENSITIVE = frozenset({"expenses_total", "people_served"})
LOG = logging.getLogger(__name__)
PRIMARY = "primary"
SECONDARY = "secondary"
_REL = 1e-7


@dataclass(frozen=True)
class Rules:
    min_count: int = 3
    dominance_share: float = 0.85   # k of the (n, k) rule, as a share; 1 switches the rule off
    dominance_n: int = 1            # n of the (n, k) rule: 1 or 2
    p_percent: float = 10.0         # p of the p % rule; 0 switches the rule off


@dataclass(frozen=True)
class Constraint:
    parent: str  # cell id of the total
    children: tuple[str, ...]  # cell ids whose values sum to the parent


@dataclass(frozen=True)
class Linked:
    """Columns protected together: one suppression pattern, and their identities in the attacker's system.
    ``sums``: (total, parts) with total == sum(parts) in every cell; ``at_most``: (total, parts) with
    sum(parts) <= total in every cell."""
    columns: tuple[str, ...]
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    at_most: tuple[tuple[str, tuple[str, ...]], ...] = ()


def hierarchy_constraints(parent_of: dict[str, str]) -> list[Constraint]:
    """One constraint per parent of a child -> parent mapping."""
    groups: dict[str, list[str]] = {}
    for child, parent in parent_of.items():
        groups.setdefault(parent, []).append(child)
    return [Constraint(p, tuple(sorted(ch))) for p, ch in sorted(groups.items())]


def table_constraints(rows, cols, cell_id, row_total_id, col_total_id,
                      grand_total_id) -> list[Constraint]:
    """Constraints of a 2-D table with margins."""
    out = [Constraint(row_total_id(r), tuple(cell_id(r, c) for c in cols)) for r in rows]
    out += [Constraint(col_total_id(c), tuple(cell_id(r, c) for r in rows)) for c in cols]
    out.append(Constraint(grand_total_id, tuple(row_total_id(r) for r in rows)))
    out.append(Constraint(grand_total_id, tuple(col_total_id(c) for c in cols)))
    return out


# ------------------------------------------------------------------------------------------------ primary rules
def _column(cells: pd.DataFrame, name: str) -> np.ndarray | None:
    return cells[name].to_numpy(float) if name in cells.columns else None


def protection(cells: pd.DataFrame, col: str, rules: Rules = Rules()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sensitive, lower protection, upper protection) of one column of every cell."""
    n = np.nan_to_num(cells["n"].to_numpy(float), nan=0.0)
    count = (n >= 1) & (n < rules.min_count)
    if col == "n":
        pl = np.where(count, 1.0, 0.0)
        return count, pl, pl
    raw = cells[col].to_numpy(float)
    if col in UNREPORTED_NOT_SENSITIVE:  # nobody in the cell reported it (NULL sum): it discloses no one's figure
        count = count & ~np.isnan(raw)
    v = np.nan_to_num(raw, nan=0.0)
    p = max(rules.p_percent, 0.0) / 100.0
    pl = np.where(count, (p if p > 0 else 0.10) * v, 0.0)
    sensitive = count.copy()
    x1 = _column(cells, f"{col}__max")
    if x1 is not None:
        x2 = _column(cells, f"{col}__max2")
        if x2 is None:  # unknown: the worst case for the p % rule (the second holds all the rest, up to x1)
            x2 = np.minimum(x1, v - x1)
        x2 = np.nan_to_num(x2, nan=0.0)
        known = ~np.isnan(x1) & (v > 0) & ~count
        x1 = np.nan_to_num(x1, nan=0.0)
        with np.errstate(invalid="ignore"):
            if p > 0:
                need = p * x1 - (v - x1 - x2)
                hit = known & (need > _REL * np.maximum(v, 1.0))
                sensitive |= hit
                pl = np.where(hit, np.maximum(pl, need), pl)
            if rules.dominance_share < 1:
                top = x1 + (x2 if rules.dominance_n >= 2 else 0.0)
                need = top / rules.dominance_share - v
                hit = known & (top > rules.dominance_share * v * (1 + 1e-12))
                sensitive |= hit
                pl = np.where(hit, np.maximum(pl, need), pl)
    lower = np.minimum(pl, v)
    upper = np.where(sensitive & (v <= 0), np.maximum(pl, 1.0), pl)
    return sensitive, np.where(sensitive, lower, 0.0), np.where(sensitive, upper, 0.0)


def _protection_of(cells: pd.DataFrame, col: str, rules: Rules, other_rules: tuple = ()):
    """`protection`, with the cells of each (ids, rules) pair of ``other_rules`` judged by their own rules."""
    sens, low, high = protection(cells, col, rules)
    for ids, own in other_rules:
        mask = cells.index.isin(list(ids))
        if mask.any() and own != rules:
            sens[mask], low[mask], high[mask] = protection(cells[mask], col, own)
    return sens, low, high


# ------------------------------------------------------------------------------------------------ structure
class _Structure:
    """Sparse constraint matrix (+1 parent, -1 children), indexed by cell position."""

    def __init__(self, ids: list[str], constraints: list[Constraint]):
        pos = {cid: k for k, cid in enumerate(ids)}
        used = {c for con in constraints for c in (con.parent, *con.children)}
        missing = sorted(used - pos.keys())
        if missing:
            raise ValueError(f"constraint cells missing from cells: {missing}")
        rows, cols, vals = [], [], []
        for k, con in enumerate(constraints):
            rows.append(k), cols.append(pos[con.parent]), vals.append(1.0)
            for c in con.children:
                rows.append(k), cols.append(pos[c]), vals.append(-1.0)
        n = len(ids)
        self.n, self.m = n, len(constraints)
        self.A = sparse.csr_matrix((vals, (rows, cols)), shape=(self.m, n))
        self.A.sum_duplicates()
        self.At = self.A.T.tocsr()
        self.ids = ids
        self.level = np.asarray((self.A > 0).sum(axis=0)).ravel()
        self.pattern = (self.A != 0).astype(np.int64).tocsr()  # how many constraints a cell is the total of

    def rows_of(self, j: int) -> np.ndarray:
        return self.At.indices[self.At.indptr[j]:self.At.indptr[j + 1]]

    def members(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        sl = slice(self.A.indptr[r], self.A.indptr[r + 1])
        return self.A.indices[sl], self.A.data[sl]


@dataclass
class _Group:
    columns: list[str]
    V: np.ndarray            # true values, cells x columns (NaN -> 0)
    sens: np.ndarray         # sensitive, cells x columns
    lo: np.ndarray           # lower protection
    up: np.ndarray           # upper protection
    sums: list[tuple[int, list[int]]]
    at_most: list[tuple[int, list[int]]]
    cost: np.ndarray         # share of the group's value lost when a cell is suppressed


class _LP:
    """One component's attacker system in HiGHS, built once; each objective is solved from the previous basis."""

    def __init__(self, A_eq, b_eq, A_ub, b_ub, ub):
        n = len(ub)
        blocks = [m for m in (A_eq, A_ub) if m is not None]
        if len(blocks) > 1:
            A = sparse.vstack(blocks, format="csc")
        else:
            A = blocks[0].tocsc() if blocks else sparse.csc_matrix((0, n))
        lower = np.concatenate([b_eq if A_eq is not None else [], np.full(0 if A_ub is None else A_ub.shape[0],
                                                                            -highspy.kHighsInf)])
        upper = np.concatenate([b_eq if A_eq is not None else [], b_ub if A_ub is not None else []])
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, A.shape[0]
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.zeros(n)
        lp.col_upper_ = np.asarray(ub, float)
        lp.row_lower_ = np.asarray(lower, float)
        lp.row_upper_ = np.asarray(upper, float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(float)
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, A.shape[0]
        self.h = new_highs()
        # no optimum within the work limit: the requirement counts as failing (an iteration limit, not a clock: the
        # result must not depend on the machine's load)
        self.h.setOptionValue("simplex_iteration_limit", 200_000)
        self.h.passModel(lp)
        self.n = n
        self.cost_at = np.array([], dtype=np.int32)

    def minimize(self, idx: np.ndarray, cost: np.ndarray) -> np.ndarray | None:
        """argmin of sum(cost * x[idx]) (None when HiGHS finds no optimum)."""
        h = self.h
        if len(self.cost_at):
            h.changeColsCost(len(self.cost_at), self.cost_at, np.zeros(len(self.cost_at)))
        self.cost_at = np.asarray(idx, dtype=np.int32)
        h.changeColsCost(len(self.cost_at), self.cost_at, np.asarray(cost, float))
        run_objective(h)
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(h.getSolution().col_value)


def _component_system(st: _Structure, g: _Group, comp: np.ndarray, sup: np.ndarray):
    """The attacker's system over one component of unknown cells (every column of the group, column-major):
    (A_eq, b_eq, A_ub, b_ub, upper bounds), or None when no constraint reaches them."""
    k = len(comp)
    ncol = len(g.columns)
    rows = np.unique(st.At[comp].indices) if k else np.array([], int)
    if not len(rows) and not g.sums and not g.at_most:
        return None
    sub = st.A[rows]
    A_S = sub[:, comp]
    # the published cells' part of each row (the unknown cells' values masked to 0 add nothing to the sums)
    b_eq = -(sub @ np.where(sup[:, None], 0.0, g.V)).ravel(order="F") if len(rows) else None
    if not len(rows):
        A_eq = None
    elif ncol == 1:
        A_eq = A_S
    else:
        A_eq = sparse.kron(sparse.identity(ncol, format="csr"), A_S, format="csr")
    local = np.arange(k)

    def _ident(pairs, sign_total):
        blocks = []
        for total, parts in pairs:
            r = np.concatenate([local] * (1 + len(parts)))
            c = np.concatenate([total * k + local, *[p * k + local for p in parts]])
            v = np.concatenate([np.full(k, sign_total), *[np.full(k, -sign_total) for _ in parts]])
            blocks.append(sparse.csr_matrix((v, (r, c)), shape=(k, ncol * k)))
        return sparse.vstack(blocks, format="csr") if blocks else None

    E = _ident(g.sums, 1.0)
    if E is not None:
        A_eq = E if A_eq is None else sparse.vstack([A_eq, E], format="csr")
        b_eq = np.zeros(E.shape[0]) if b_eq is None else np.concatenate([b_eq, np.zeros(E.shape[0])])
    A_ub = _ident(g.at_most, -1.0)
    b_ub = np.zeros(A_ub.shape[0]) if A_ub is not None else None
    colmax = np.maximum(g.V.max(axis=0), 1.0)
    ub = np.concatenate([np.full(k, 4 * colmax[c] + 10) for c in range(ncol)])
    return A_eq, b_eq, A_ub, b_ub, ub


def _check_component(st: _Structure, g: _Group, comp: np.ndarray, sup: np.ndarray, met: np.ndarray,
                     verify: np.ndarray, deadline: float = float("inf")) -> list[tuple[int, int, int]]:
    """Requirements (cell, column, direction +1/-1) of this component not yet met (``met``: cells x columns x
    (up, down), updated in place with every requirement a feasible point of the attacker's LP reaches). LPs pushing
    many requirements at once come first; a requirement left over is solved on its own only when ``verify`` says so
    (a deviation was already tried for it), otherwise it is returned unmet (the deviation LP decides it)."""
    k = len(comp)
    ncol = len(g.columns)
    system = _component_system(st, g, comp, sup)
    if system is None:  # no constraint at all: anything in [0, inf)
        met[comp] = True
        return []
    A_eq, b_eq, A_ub, b_ub, ub = system
    x0 = np.concatenate([g.V[comp, c] for c in range(ncol)])
    todo_hi = np.concatenate([g.sens[comp, c] & ~met[comp, c, 0] for c in range(ncol)])
    todo_lo = np.concatenate([g.sens[comp, c] & ~met[comp, c, 1] for c in range(ncol)])
    req_hi = np.where(todo_hi, np.concatenate([g.V[comp, c] + g.up[comp, c] for c in range(ncol)]), -np.inf)
    req_lo = np.where(todo_lo, np.concatenate([g.V[comp, c] - g.lo[comp, c] for c in range(ncol)]), np.inf)
    tol = _REL * np.maximum(np.abs(x0), 1.0) + 1e-9
    hi_w, lo_w = x0.copy(), x0.copy()
    failures = []
    check = np.concatenate([verify[comp, c] for c in range(ncol)])

    model = None

    def solve(idx, cost):
        nonlocal model
        if model is None:
            model = _LP(A_eq, b_eq, A_ub, b_ub, ub)
        x = model.minimize(idx, cost)
        if x is None:
            return None
        np.maximum(hi_w, x, out=hi_w)
        np.minimum(lo_w, x, out=lo_w)
        return x

    for sign, req, wit, d in ((-1.0, req_hi, hi_w, 0), (1.0, req_lo, lo_w, 1)):
        def unmet():
            return np.flatnonzero((wit < req - tol) if sign < 0 else (wit > req + tol))
        todo = unmet()
        while len(todo) > 0:  # LPs pushing all of them at once (witnesses for many), while they make progress
            solve(todo, sign / np.maximum(np.abs(x0[todo]), 1.0))
            left = unmet()
            if len(left) > 0.8 * len(todo) or len(todo) == 1:
                todo = left
                break
            todo = left
        for v in todo:
            if (wit[v] >= req[v] - tol[v]) if sign < 0 else (wit[v] <= req[v] + tol[v]):
                continue
            if check[v] and time.monotonic() <= deadline:
                x = solve(np.array([v]), np.array([sign]))
                reached = None if x is None else x[v]
                if reached is not None and ((reached >= req[v] - tol[v]) if sign < 0 else (reached <= req[v] + tol[v])):
                    continue
            failures.append((int(comp[v % k]), int(v // k), 1 if sign < 0 else -1))
        reached = (wit >= req - tol) if sign < 0 else (wit <= req + tol)
        for c in range(ncol):
            met[comp, c, d] |= reached[c * k:(c + 1) * k]
    return failures


def _components(st: _Structure, sup: np.ndarray) -> list[np.ndarray]:
    idx = np.flatnonzero(sup)
    if not len(idx):
        return []
    B = st.A[:, idx]
    B = (B != 0).astype(np.int8)
    adj = (B.T @ B).tocsr()
    n_comp, labels = connected_components(adj, directed=False)
    order = np.argsort(labels, kind="stable")
    splits = np.flatnonzero(np.diff(labels[order])) + 1
    return [idx[part] for part in np.split(order, splits)]


def _best(st: _Structure, g: _Group, candidates: list[tuple[int, bool]]) -> int:
    """Cheapest candidate: able to absorb the move, lowest level, smallest share of the value, then id."""
    return min(candidates, key=lambda jc: (not jc[1], st.level[jc[0]], g.cost[jc[0]], st.ids[jc[0]]))[0]


def _close_lines(st: _Structure, g: _Group, sup: np.ndarray, free: np.ndarray, unpublished: np.ndarray) -> None:
    """A constraint whose only unknown is a suppressed published cell gets a second unknown."""
    while True:
        count = st.pattern @ sup.astype(np.int64)
        lonely = np.flatnonzero(count == 1)
        added = False
        for r in lonely:
            cells, _ = st.members(int(r))
            hidden = cells[sup[cells]]
            if len(hidden) != 1 or unpublished[hidden[0]]:
                continue
            if sup[cells].sum() != 1:
                continue
            cand = [(int(j), True) for j in cells if not sup[j] and free[j]]
            if cand:
                sup[_best(st, g, cand)] = True
                added = True
        if not added:
            return


class _Deviation:
    """The cheapest way to move one value (Fischetti & Salazar's single-cell protection LP, here as a heuristic):
    find y with A y = 0, x0 + y >= 0, y_i = ±pl, minimising the weighted movement of published cells (cells already
    suppressed move for free). Suppressing the support of y lets the attacker's interval reach x0_i ± pl."""

    def __init__(self, st: _Structure, values: np.ndarray, weight: np.ndarray, movable: np.ndarray):
        n = st.n
        A = sparse.hstack([st.A, -st.A], format="csc")
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 2 * n, st.m
        self.weight = np.concatenate([weight, weight])
        lp.col_cost_ = self.weight.copy()
        lp.col_lower_ = np.zeros(2 * n)
        self.upper = np.concatenate([np.where(movable, highspy.kHighsInf, 0.0), np.where(movable, values, 0.0)])
        lp.col_upper_ = self.upper.copy()
        lp.row_lower_ = np.zeros(st.m)
        lp.row_upper_ = np.zeros(st.m)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr.astype(np.int32)
        lp.a_matrix_.index_ = A.indices.astype(np.int32)
        lp.a_matrix_.value_ = A.data.astype(float)
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = 2 * n, st.m
        self.h = new_highs()
        self.h.setOptionValue("simplex_iteration_limit", 50_000)  # a heuristic: a long solve is skipped, never trusted
        self.h.passModel(lp)
        self.n = n
        self.free = np.zeros(n, bool)

    def set_free(self, sup: np.ndarray) -> None:
        changed = np.flatnonzero(sup != self.free)
        if len(changed):
            idx = np.concatenate([changed, changed + self.n]).astype(np.int32)
            cost = np.where(np.concatenate([sup[changed], sup[changed]]), 0.0, self.weight[idx])
            self.h.changeColsCost(len(idx), idx, cost)
            self.free = sup.copy()

    def move(self, cells: np.ndarray, amounts: np.ndarray) -> np.ndarray | None:
        """The cheapest move (one value per cell) that moves each of `cells` by its `amounts` (signed) at once, or
        None when it cannot."""
        h, n = self.h, self.n
        cells = np.asarray(cells, np.int32)
        amounts = np.asarray(amounts, float)
        up = amounts > 0
        plus = np.where(up, cells, cells + n)
        minus = np.where(up, cells + n, cells)
        idx = np.concatenate([plus, minus]).astype(np.int32)
        fixed = np.concatenate([np.abs(amounts), np.zeros(len(cells))])
        h.changeColsBounds(len(idx), idx, fixed, fixed)
        h.run()
        ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        y = np.asarray(h.getSolution().col_value) if ok else None
        h.changeColsBounds(len(idx), idx, np.zeros(len(idx)), self.upper[idx])
        if y is None:
            return None
        return y[:n] - y[n:]


def _witness(g: _Group, moved: dict[int, np.ndarray], sup: np.ndarray) -> np.ndarray | None:
    """A feasible move of the whole group (cells x columns) built from per-column deviations (each in the null space
    of the additive constraints), with the identities between columns restored; None when it is not a feasible
    point of the attacker's system (then an LP decides)."""
    Y = np.zeros_like(g.V)
    for c, y in moved.items():
        Y[:, c] = y
    for total, parts in g.sums:
        if total in moved and not any(p in moved for p in parts):
            return None
        if any(p in moved for p in parts):
            Y[:, total] = Y[:, parts].sum(axis=1)
    for total, parts in g.at_most:
        if total not in moved:
            Y[:, total] = Y[:, parts].sum(axis=1) if any(p in moved for p in parts) else 0.0
    X = g.V + Y
    tol = _REL * np.maximum(np.abs(g.V), 1.0) + 1e-9
    if (X < -tol).any() or (np.abs(Y).max(axis=1) > 0)[~sup].any():
        return None
    for total, parts in g.sums:
        if (np.abs(X[:, total] - X[:, parts].sum(axis=1)) > tol[:, total] * 10).any():
            return None
    for total, parts in g.at_most:
        if (X[:, parts].sum(axis=1) > X[:, total] + tol[:, total] * 10).any():
            return None
    return Y


def _batches(failures: list[tuple[int, int, int]], comp_of: np.ndarray) -> list[list[tuple[int, int, int]]]:
    """Failing requirements in batches of at most one per component of suppressed cells (they hardly interact: one
    deviation LP moves them all at once; when it cannot, each is moved on its own)."""
    by_comp: dict[int, list] = {}
    for f in failures:
        by_comp.setdefault(int(comp_of[f[0]]), []).append(f)
    out = []
    for k in range(max((len(v) for v in by_comp.values()), default=0)):
        out.append([v[k] for v in by_comp.values() if k < len(v)])
    return out


def _deviate(st: _Structure, g: _Group, todo: list, sup: np.ndarray, free: np.ndarray, met: np.ndarray,
             verify: np.ndarray, deviations: dict, weight: np.ndarray, movable: np.ndarray, tol: np.ndarray,
             parts_of: dict, blocked: list) -> int:
    """Deviation LPs moving every requirement of `todo` by its protection level at once (one LP per column, or one
    per requirement when the joint move is infeasible); their supports become complements and the move, made a
    feasible point of the attacker's system, marks every requirement it reaches as met. A requirement that no move
    can reach on its own goes to ``blocked``. Returns the LPs solved."""
    solves = 0
    if len(todo) > 1:
        solves += _deviate_once(st, g, todo, sup, free, met, deviations, weight, movable, tol, parts_of, blocked)
        todo = [(c, k, d) for c, k, d in todo if not met[c, k, 0 if d > 0 else 1]]
    for req in todo:
        verify[req[0], req[1]] = True
        solves += _deviate_once(st, g, [req], sup, free, met, deviations, weight, movable, tol, parts_of, blocked)
    return solves


def _deviate_once(st, g, todo, sup, free, met, deviations, weight, movable, tol, parts_of, blocked) -> int:
    per_col: dict[int, dict[int, float]] = {}
    for cell, col, direction in todo:
        pl = g.up[cell, col] if direction > 0 else g.lo[cell, col]
        total = g.V[cell, col]
        # a total of parts (full + part-time = total) moves through its parts
        moves = [(c, pl * (g.V[cell, c] / total if total > 0 else 1.0 / len(parts_of[col])))
                 for c in parts_of[col]] if col in parts_of else [(col, pl)]
        for c, amount in moves:
            per_col.setdefault(c, {})[cell] = direction * max(amount, 1e-6)
    moved = {}
    solves = 0
    for c, wanted in per_col.items():
        if c not in deviations:
            deviations[c] = _Deviation(st, g.V[:, c], weight, movable)
        dev = deviations[c]
        dev.set_free(sup)
        solves += 1
        cells = np.fromiter(wanted.keys(), int, len(wanted))
        amounts = np.fromiter(wanted.values(), float, len(wanted))
        y = dev.move(cells, amounts)
        if y is None:
            if len(todo) > 1:
                return solves  # the joint move is infeasible: each requirement on its own
            blocked.append(todo[0])
            continue
        y = np.where(np.abs(y) > 1e-9 * max(np.abs(amounts).max(), 1.0), y, 0.0)
        support = np.flatnonzero(y)
        sup[support[free[support]]] = True
        moved[c] = y
    Y = _witness(g, moved, sup) if moved else None
    if Y is not None:
        met[:, :, 0] |= g.sens & (Y >= g.up - tol)
        met[:, :, 1] |= g.sens & (Y <= -g.lo + tol)
    return solves


def _cap_to_prior(st: _Structure, g: _Group, requirements: list, unknown: np.ndarray) -> int:
    """τ-ARGUS's a priori bounds: a value needs no more protection than a reader has without the cells of
    ``unknown`` published (e.g. a constant-sample value, from the raw tables alone and which cells are empty). For
    each requirement (cell, column, direction), the exact extreme of that value in the attacker's system where
    ``unknown`` cells are unknowns; its protection level is lowered to reach no further. Returns how many were."""
    lowered = 0
    by_comp: dict[int, list] = {}
    comps = _components(st, unknown)
    comp_of = np.full(st.n, -1)
    for label, comp in enumerate(comps):
        comp_of[comp] = label
    for req in requirements:
        by_comp.setdefault(int(comp_of[req[0]]), []).append(req)
    for label, reqs in by_comp.items():
        if label < 0:
            continue
        comp = comps[label]
        system = _component_system(st, g, comp, unknown)
        if system is None:
            continue
        model = _LP(*system)
        at = {int(c): a for a, c in enumerate(comp)}
        k = len(comp)
        for cell, col, direction in reqs:
            j = col * k + at[cell]
            x = model.minimize(np.array([j]), np.array([-1.0 if direction > 0 else 1.0]))
            if x is None:
                continue
            v = g.V[cell, col]
            if direction > 0 and x[j] - v < g.up[cell, col]:
                g.up[cell, col] = max(x[j] - v, 0.0)
                lowered += 1
            elif direction < 0 and v - x[j] < g.lo[cell, col]:
                g.lo[cell, col] = max(v - x[j], 0.0)
                lowered += 1
    return lowered


def _protect_group(st: _Structure, g: _Group, sup: np.ndarray, free: np.ndarray, unpublished: np.ndarray,
                   max_rounds: int = 15, max_solves: int = 4000,
                   deadline: float = float("inf"), verified: np.ndarray | None = None,
                   prior: np.ndarray | None = None) -> tuple[np.ndarray, list]:
    """Add complements to `sup` (cells) until every sensitive value of the group meets its protection. Returns the
    requirements still failing when the rounds or the work budget run out (the caller then falls back).

    Suppression only grows, so a requirement met once (by a feasible point of the attacker's system) stays met:
    ``met`` is kept across rounds, and the deviation that adds a complement is itself that feasible point.
    ``prior``: cells a reader is not assumed to know a priori (`_cap_to_prior`), for requirements no move reaches."""
    sup = sup.copy()
    cache: dict[bytes, list] = {}
    failures: list = []
    movable = free | sup | unpublished
    # what a complement costs: one cell (more when it is a total of several constraints), plus its share of the
    # group's value; on the demo data this hides fewer cells than a value-only weight, for the same value hidden
    weight = (1.0 + st.level) + g.cost
    deviations: dict[int, _Deviation] = {}
    parts_of = {t: ps for t, ps in g.sums}
    ncol = len(g.columns)
    met = np.zeros((st.n, ncol, 2), bool)
    met[:, :, 0] = ~g.sens
    met[:, :, 1] = ~g.sens | (g.lo <= 0)
    verify = np.zeros((st.n, ncol), bool)  # a deviation was tried: the LP verifies it on its own next time
    tol = _REL * np.maximum(np.abs(g.V), 1.0) + 1e-9
    last, stalled = None, 0
    solves = 0
    capped: set = set()
    # rows that hold a cell not verified by an earlier protection (they were not in that earlier system)
    new_rows = (st.pattern @ (~verified).astype(np.int64) > 0) if verified is not None else None
    for _ in range(max_rounds):
        _close_lines(st, g, sup, free, unpublished)
        failures = []
        comp_of = np.full(st.n, -1)
        for label, comp in enumerate(_components(st, sup)):
            comp_of[comp] = label
            if verified is not None and verified[comp].all() and not new_rows[st.At[comp].indices].any():
                met[comp] = True  # the same cells and rows as in the system that proved them: the same LP
            if met[comp].all():
                continue
            key = comp.tobytes() + met[comp].tobytes() + verify[comp].tobytes()
            if key not in cache:
                cache[key] = _check_component(st, g, comp, sup, met, verify, deadline)
            if time.monotonic() > deadline:
                return sup, failures + cache[key] + [(-1, 0, 0)]
            failures += cache[key]
        if not failures:
            return sup, []
        signature = sorted(failures)
        stalled = stalled + 1 if signature == last else 0
        last = signature
        if stalled >= 2:  # the same requirements fail whatever is added: best effort (the audit reports them)
            break
        before = int(sup.sum())
        blocked: list = []
        for batch in _batches(failures, comp_of):
            if time.monotonic() > deadline:
                break
            todo = [(cell, col, direction) for cell, col, direction in batch
                    if not met[cell, col, 0 if direction > 0 else 1]]  # met by an earlier witness of this round
            if not todo:
                continue
            solves += _deviate(st, g, todo, sup, free, met, verify, deviations, weight, movable, tol, parts_of,
                               blocked)
        blocked = [b for b in blocked if b not in capped]
        lowered = 0
        if prior is not None and blocked:  # no move reaches them: perhaps the raw tables alone already narrow them
            capped.update(blocked)
            lowered = _cap_to_prior(st, g, blocked, sup | prior | unpublished)
            if lowered:
                cache.clear()  # the levels changed: the components are checked again
                stalled, last = 0, None
        if solves > max_solves or time.monotonic() > deadline:  # work budget spent: the caller falls back to suppressing every free cell
            break
        if lowered:
            continue
        progress = any(met[c, k, 0 if s > 0 else 1] for c, k, s in failures)
        if int(sup.sum()) == before and not progress:
            for cell, _, _ in failures:  # no progress: widen around the failing cells
                cand = [int(j) for r in st.rows_of(cell) for j in st.members(int(r))[0] if not sup[j] and free[j]]
                if cand:
                    sup[_best(st, g, [(j, True) for j in cand])] = True
            if int(sup.sum()) == before:
                break
    return sup, failures


def suppress(cells: pd.DataFrame, value_cols: list[str], constraints: list[Constraint],
             rules: Rules = Rules(), linked: list[Linked] | tuple = (), unpublished=None,
             frozen: pd.DataFrame | None = None, time_budget: float | None = None,
             start: pd.DataFrame | None = None, ceiling: pd.DataFrame | None = None,
             verified=None, prior=None, other_rules: tuple = ()) -> pd.DataFrame:
    """Status per cell and column: '' (published), 'primary' (sensitive) or 'secondary' (complement or linked).

    ``linked``: groups of columns protected together (every other column is a group of its own; 'n' always is).
    ``unpublished``: ids of cells never published (always unknown to the attacker).
    ``frozen``: a status frame for cells whose suppression is already decided (no complement is added there).
    The count of an unpublished cell is not sensitive (only its values are).
    ``start``: cells x columns (bool) suppressed from the start, as if sensitive but with no protection of their own
    (e.g. a constant-sample cell whose raw cell is suppressed: it then hides the raw cell's moves).
    ``ceiling``: cells x columns, an upper bound every reader already has from elsewhere (e.g. a constant-sample
    cell is at most its published raw cell): the upper protection stops there (τ-ARGUS's a priori bounds).
    ``verified``: ids of frozen or unpublished cells whose protection an earlier call already proved, in a system
    made of the same cells and constraints (e.g. the raw cube, protected on its own before its constant-sample
    cubes): a component of suppressed cells made only of them, whose constraints hold only them, is the same linear
    program as then, and is not solved again. A component that reaches any other cell (a constant-sample or outside
    cell) is.
    ``prior``: ids of cells a reader is not assumed to know beforehand (e.g. the constant-sample cells, next to the
    raw tables): a sensitive value that no complement can protect needs no more protection than the interval a
    reader has with them all unknown (τ-ARGUS's a priori bounds, computed exactly by linear programs; `ceiling` is
    the cheap special case of a cell at most its published raw cell). Without it, such a value fails.
    ``other_rules``: (cell ids, Rules) pairs: those cells are judged by those rules instead of ``rules`` (e.g. a
    year's raw cells, released under the rules of their own release, in the system of a constant-sample pair whose
    cells follow its later year's).
    ``time_budget`` (seconds, wall clock): when spent, every group not yet proven safe falls back to suppressing
    every cell that may be suppressed (safe, costly)."""
    deadline = time.monotonic() + time_budget if time_budget else float("inf")
    original_index = cells.index
    if not cells.index.is_unique:
        raise ValueError("cell index must be unique")
    cells = cells.iloc[np.argsort([str(i) for i in cells.index], kind="stable")]
    constraints = sorted(constraints, key=lambda c: (c.parent, sorted(c.children)))
    ids = [str(i) for i in cells.index]
    st = _Structure(ids, constraints)
    hidden_always = np.zeros(st.n, bool)
    if unpublished is not None:
        hidden_always = cells.index.isin(list(unpublished))
    is_frozen = np.zeros(st.n, bool)
    if frozen is not None:
        fz = frozen.reindex(cells.index)
        is_frozen = fz.notna().any(axis=1).to_numpy()
    free = ~is_frozen & ~hidden_always
    prior_mask = None if prior is None else cells.index.isin(list(prior))
    proven = None
    if verified is not None:
        proven = cells.index.isin(list(verified)) & (is_frozen | hidden_always)
    groups: list[Linked] = [Linked(("n",))]
    seen = set()
    for grp in linked:
        if set(grp.columns) <= set(value_cols):
            groups.append(grp)
            seen.update(grp.columns)
    groups += [Linked((c,)) for c in value_cols if c not in seen]
    status: dict[str, np.ndarray] = {}
    for grp in groups:
        cols = list(grp.columns)
        V = np.column_stack([np.nan_to_num(cells[c].to_numpy(float), nan=0.0) for c in cols])
        parts = [_protection_of(cells, c, rules, other_rules) for c in cols]
        sens = np.column_stack([p[0] for p in parts])
        if cols == ["n"]:
            sens[:, 0] &= ~hidden_always
        lo = np.column_stack([np.where(sens[:, a], p[1], 0.0) for a, p in enumerate(parts)])
        up = np.column_stack([np.where(sens[:, a], p[2], 0.0) for a, p in enumerate(parts)])
        if ceiling is not None:
            bound = ceiling.reindex(index=cells.index, columns=cols).to_numpy(float)
            up = np.where(np.isnan(bound), up, np.clip(np.minimum(up, bound - V), 0.0, None))
        pos = {c: a for a, c in enumerate(cols)}
        sums = [(pos[t], [pos[p] for p in ps]) for t, ps in grp.sums]
        at_most = []
        for t, ps in grp.at_most:  # only an identity the data satisfies
            if (V[:, [pos[p] for p in ps]].sum(axis=1) <= V[:, pos[t]] * (1 + 1e-9) + 1e-6).all():
                at_most.append((pos[t], [pos[p] for p in ps]))
        totals = np.maximum(V.max(axis=0), 1.0)
        cost = (V / totals).sum(axis=1)
        g = _Group(cols, V, sens, lo, up, sums, at_most, cost)
        sup = sens.any(axis=1) | hidden_always
        if start is not None:
            first = start.reindex(index=cells.index, columns=[c for c in cols if c in start.columns])
            sup |= free & first.fillna(False).to_numpy(bool).any(axis=1)
        if frozen is not None:
            fz = frozen.reindex(cells.index)
            fsup = np.zeros(st.n, bool)
            for c in cols:
                if c in fz.columns:
                    fsup |= fz[c].fillna("").ne("").to_numpy()
            sup = np.where(is_frozen, fsup, sup)
            g.sens[is_frozen & ~fsup] = False  # a published frozen cell: nothing to protect here
        sup, failures = _protect_group(st, g, sup, free, hidden_always, deadline=deadline, verified=proven,
                                       prior=prior_mask)
        if failures:
            LOG.warning("protection fell back to hiding every free cell of %s (%d requirements unmet, e.g. %s)", cols,
                        len(failures), [(st.ids[c], cols[k], d) for c, k, d in failures[:3] if c >= 0])
        if failures:  # best effort exhausted: hide every cell that may be hidden (more unknowns never narrow an
            sup |= free  # interval, so this is safe; it is costly, and the audit shows where it happened)
        for a, c in enumerate(cols):
            status[c] = np.where(sens[:, a] & sup, PRIMARY, np.where(sup, SECONDARY, ""))
    order = ["n", *value_cols]
    out = pd.DataFrame({c: status[c].tolist() for c in order}, index=cells.index, dtype=object)
    return out.reindex(original_index)


def apply(cells: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Published copy: suppressed entries set to NaN, plus a 'suppressed' column."""
    cols = list(status.columns)
    hidden = status.reindex(index=cells.index).fillna("").ne("")
    out = cells[cols].astype(float).mask(hidden[cols].to_numpy())
    names = sorted(cols)
    flags = hidden[names].to_numpy(bool)
    out["suppressed"] = [",".join(c for c, h in zip(names, row) if h) for row in flags]
    return out
