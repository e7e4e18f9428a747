"""Statistical disclosure control: primary and secondary (complementary) cell suppression.

A *cell* is an aggregate over enterprises (jobs of one MRC, of one sector x MRC, ...).
Published tables also contain totals, linked to their cells by additive constraints
(``value(parent) == sum(value(children))``).

* Primary suppression: fewer than ``min_count`` enterprises (all columns), or one enterprise
  holding more than ``dominance_share`` of the cell value (that column only).
* Secondary suppression: complementary cells are suppressed until no suppressed value can
  be pinned down from the published values, the constraints and ``x >= 0``.

Safety check (per column; S = suppressed cells, A = constraint matrix, x0 = true values).
The attacker's feasible set is {x_S >= 0 : A_S x_S = b}; around x0 it moves along the cone
C = {d : A_S d = 0, d_Z >= 0}, Z being the suppressed cells whose value is 0 (they can only
go up), P the positive ones. A suppressed cell is pinned iff d_i = 0 for every d in C:
  1. find F, the zero cells that C forces to stay at 0: repeatedly try to lift all remaining
     zero cells at once (non-negative least squares after projecting out the columns of P);
     when that fails, the residual is a Farkas certificate naming cells forced to 0; drop them.
  2. the other cells are free iff some vector of null(A[:, S - F]) is non-zero there
     (relative interior argument); computed from the leverages of an SVD.
Without zero cells this is the plain linear-algebra (null space) check.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PRIMARY = "primary"
SECONDARY = "secondary"
_TOL = 1e-8


@dataclass(frozen=True)
class Rules:
    min_count: int = 3
    dominance_share: float = 0.85


@dataclass(frozen=True)
class Constraint:
    parent: str  # cell id of the total
    children: tuple[str, ...]  # cell ids whose values sum to the parent


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


class _Structure:
    """Constraint matrix and adjacency lists, indexed by cell position."""

    def __init__(self, index: pd.Index, constraints: list[Constraint]):
        if not index.is_unique:
            raise ValueError("cell index must be unique")
        self.ids = [str(i) for i in index]
        pos = {cid: k for k, cid in enumerate(self.ids)}
        used = {c for con in constraints for c in (con.parent, *con.children)}
        missing = sorted(used - pos.keys())
        if missing:
            raise ValueError(f"constraint cells missing from cells: {missing}")
        n = len(self.ids)
        self.A = np.zeros((len(constraints), n))
        for k, con in enumerate(constraints):
            self.A[k, pos[con.parent]] += 1.0
            for c in con.children:
                self.A[k, pos[c]] -= 1.0
        linked = self.A != 0
        self.members = [np.flatnonzero(row) for row in linked]
        self.cons_of = [np.flatnonzero(col) for col in linked.T]
        self.linked = linked
        self.in_constraint = linked.any(axis=0)
        self.is_total = np.zeros(n, bool)
        self.is_total[[pos[con.parent] for con in constraints]] = True


def _dominated(cells: pd.DataFrame, col: str, share: float) -> np.ndarray:
    max_col = f"{col}__max"
    if max_col not in cells.columns:
        return np.zeros(len(cells), bool)
    value = cells[col].to_numpy(float)
    top = cells[max_col].to_numpy(float)
    with np.errstate(invalid="ignore"):  # NaN compares False: never a reason to suppress
        return (value > 0) & (top > share * value * (1 + 1e-12))


def _svd_rank(M: np.ndarray, full: bool = False):
    u, s, vt = np.linalg.svd(M, full_matrices=full)
    rank = int((s > max(M.shape) * np.finfo(float).eps * max(s[0] if len(s) else 0.0, 1.0)).sum())
    return u, s, vt, rank


def _nnls(M: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Lawson-Hanson non-negative least squares: argmin ||M x - b|| subject to x >= 0."""
    n = M.shape[1]
    x, passive = np.zeros(n), np.zeros(n, bool)
    for _ in range(3 * n + 10):
        w = M.T @ (b - M @ x)
        w[passive] = -np.inf
        if not n or w.max() <= _TOL:
            break
        passive[np.argmax(w)] = True
        while True:
            z = np.zeros(n)
            z[passive] = np.linalg.lstsq(M[:, passive], b, rcond=None)[0]
            neg = passive & (z <= 0)
            if not neg.any():
                break
            step = x[neg] - z[neg]
            alpha = np.min(np.divide(x[neg], step, out=np.zeros_like(step), where=step > 0))
            x = x + alpha * (z - x)
            passive &= x > _TOL
        x = z
    return x


def _forced_zeros(A_P: np.ndarray, A_Z: np.ndarray) -> np.ndarray:
    """Mask of the zero cells that every feasible direction keeps at 0 (step 1)."""
    if A_P.shape[1]:
        u, _, _, rank = _svd_rank(A_P, full=True)
        A_Z = u[:, rank:].T @ A_Z  # coordinates orthogonal to the span of the P columns
    free = np.linalg.norm(A_Z, axis=0) < _TOL  # liftable alone, compensated by P cells
    todo = ~free
    while todo.any():
        M = A_Z[:, todo]
        b = -M.sum(axis=1)  # try d_Z = 1 + e, e >= 0, for all remaining cells at once
        resid = b - M @ _nnls(M, b)
        if np.linalg.norm(resid) <= 1e-7 * max(1.0, np.linalg.norm(b)):
            break
        g = -M.T @ resid  # >= 0; sum_k g_k d_k = 0 on C, so g_k > 0 forces d_k = 0
        drop = g > max(1e-12, 1e-6 * g.max())
        drop[np.argmax(g)] = True  # always progress (conservative if NNLS was inexact)
        todo[np.flatnonzero(todo)[drop]] = False
    return ~(free | todo)


def _unsafe(st: _Structure, sup: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """Suppressed cells that the attacker could pin down (see module docstring)."""
    S = np.flatnonzero(sup & st.in_constraint)
    if not len(S):
        return S
    A = st.A[st.linked[:, S].any(axis=1)]
    is_zero = ~positive[S]
    forced = np.zeros(len(S), bool)
    if is_zero.any():
        forced[is_zero] = _forced_zeros(A[:, S[~is_zero]], A[:, S[is_zero]])
    keep = S[~forced]
    pinned = np.zeros(len(keep), bool)
    if len(keep):
        _, _, vt, rank = _svd_rank(A[:, keep])
        # e_i in the row space (leverage 1) <=> every null vector vanishes at i
        pinned = (vt[:rank] ** 2).sum(axis=0) > 1 - _TOL
    return np.sort(np.concatenate([S[forced], keep[pinned]]))


class _Chooser:
    """Deterministic ranking of complementary candidates for one column."""

    def __init__(self, st: _Structure, values: np.ndarray, n: np.ndarray):
        self.st, self.values = st, values
        useful = (values > 0) & (n > 0)
        self.useless = ~useful
        # useful cells: children before totals; zero cells: totals first (a zero child cannot
        # unlock a zero total, while suppressing the total opens the next level).
        self.total_rank = np.where(useful, st.is_total, ~st.is_total)

    def best(self, candidates, needy: set[int]) -> int:
        def key(j):
            cover = sum(int(k) in needy for k in self.st.cons_of[j])
            return (self.useless[j], self.total_rank[j], -cover, self.values[j], self.st.ids[j])

        return min(candidates, key=key)


def _close_lines(st: _Structure, sup: np.ndarray, chooser: _Chooser) -> None:
    """Cheap pass: every constraint with exactly one suppressed member gets a second one."""
    count = st.linked.astype(int) @ sup.astype(int)
    dead: set[int] = set()
    while True:
        exposed = [int(k) for k in np.flatnonzero(count == 1) if k not in dead]
        if not exposed:
            return
        k = exposed[0]
        candidates = [int(j) for j in st.members[k] if not sup[j]]
        if not candidates:  # degenerate constraint (single member)
            dead.add(k)
            continue
        j = chooser.best(candidates, set(exposed))
        sup[j] = True
        count[st.cons_of[j]] += 1


def _secondary(st: _Structure, primary: np.ndarray, values: np.ndarray,
               n: np.ndarray) -> np.ndarray:
    sup = primary.copy()
    chooser = _Chooser(st, values, n)
    positive = values > 0
    while True:
        _close_lines(st, sup, chooser)
        unsafe = _unsafe(st, sup, positive)
        if not len(unsafe):
            break
        needy = {int(k) for i in unsafe for k in st.cons_of[i]}
        touched: set[int] = set()  # constraints that received a complement this round
        added = 0
        for i in unsafe:
            cons = [int(k) for k in st.cons_of[i]]
            if touched.intersection(cons):
                continue
            candidates = {int(j) for k in cons for j in st.members[k] if not sup[j]}
            if candidates:
                j = chooser.best(sorted(candidates), needy)
                sup[j] = True
                touched.update(int(k) for k in st.cons_of[j])
                added += 1
        if not added:  # fall back to any cell linked to a suppressed cell
            linked = st.linked[:, sup].any(axis=1)
            candidates = np.flatnonzero(st.linked[linked].any(axis=0) & ~sup)
            if not len(candidates):
                break  # nothing left to suppress: best effort
            sup[chooser.best([int(j) for j in candidates], needy)] = True
    return sup & ~primary


def suppress(cells: pd.DataFrame, value_cols: list[str], constraints: list[Constraint],
             rules: Rules = Rules()) -> pd.DataFrame:
    """Status per cell and column: '' (published), 'primary' or 'secondary'."""
    original_index = cells.index
    # canonical order (cell ids, constraints) so that the result does not depend on input order
    cells = cells.iloc[np.argsort([str(i) for i in cells.index], kind="stable")]
    constraints = sorted(constraints, key=lambda c: (c.parent, sorted(c.children)))
    st = _Structure(cells.index, constraints)
    n = np.nan_to_num(cells["n"].to_numpy(float), nan=0.0)
    small = (n >= 1) & (n < rules.min_count)
    status = {}
    for col in ["n", *value_cols]:
        values = np.nan_to_num(cells[col].to_numpy(float), nan=0.0)
        primary = small | (_dominated(cells, col, rules.dominance_share) if col != "n" else False)
        secondary = _secondary(st, primary, values, n)
        status[col] = np.where(primary, PRIMARY, np.where(secondary, SECONDARY, "")).tolist()
    return pd.DataFrame(status, index=cells.index, dtype=object).reindex(original_index)


def apply(cells: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """Published copy: suppressed entries set to NaN, plus a 'suppressed' column."""
    cols = list(status.columns)
    hidden = status.reindex(index=cells.index).fillna("").ne("")
    out = cells[cols].astype(float).mask(hidden[cols].to_numpy())
    names = sorted(cols)
    flags = hidden[names].to_numpy(bool)
    out["suppressed"] = [",".join(c for c, h in zip(names, row) if h) for row in flags]
    return out
