"""Tests of ess_impact.confidentiality.

The key tests play the attacker: for every suppressed cell, scipy's linprog minimises and
maximises its value subject to all the constraints, the published values and x >= 0;
no suppressed cell may be pinned (max - min > 1e-6), and every sensitive value's interval must
reach its protection level on both sides (restated here from the rules, not taken from the module).
"""
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from ess_impact.publish.confidentiality import (
    Constraint,
    Rules,
    apply,
    hierarchy_constraints,
    suppress,
    table_constraints,
)

VALUE_COLS = ["jobs", "revenue", "volunteers"]


# ---------------------------------------------------------------- helpers: data
def make_leaves(rng, leaves, small_share=0.12, empty_share=0.05, dominance_share=0.08,
                zero_share=0.3):
    """Enterprise-level contributions (n x len(VALUE_COLS)) for every leaf cell."""
    out = {}
    for leaf in leaves:
        r = rng.random()
        if r < empty_share:
            n = 0
        elif r < empty_share + small_share:
            n = int(rng.integers(1, 3))
        else:
            n = int(rng.integers(3, 20))
        x = np.round(rng.lognormal(2.0, 1.0, size=(n, len(VALUE_COLS))))
        x[rng.random(size=x.shape) < 0.1] = 0.0  # some enterprises report 0
        if rng.random() < zero_share:  # 'volunteers' is sparse: whole cells at 0
            x[:, 2] = 0.0
        if n and rng.random() < dominance_share:
            x[0, 0] = 50 * x[:, 0].sum() + 100  # a dominant employer
        out[leaf] = x
    return out


def aggregate(covers, leaf_data):
    """cells DataFrame: each cell id covers a list of leaves."""
    rows = {}
    for cid, leaves in covers.items():
        e = np.vstack([leaf_data[leaf] for leaf in leaves])
        row = {"n": len(e)}
        for k, v in enumerate(VALUE_COLS):
            row[v] = float(e[:, k].sum())
            row[f"{v}__max"] = float(e[:, k].max()) if len(e) else np.nan
            top = np.sort(e[:, k])[::-1]
            row[f"{v}__max2"] = float(top[1]) if len(e) > 1 else np.nan
        rows[cid] = row
    df = pd.DataFrame.from_dict(rows, orient="index")
    df["n"] = df["n"].astype(int)
    return df


def hierarchy_case(rng, mrc_per_region, leaf_data=None, **kw):
    parent_of, covers = {}, {"all": []}
    for r, k in enumerate(mrc_per_region):
        covers[f"region:{r}"] = []
        parent_of[f"region:{r}"] = "all"
        for m in range(k):
            mrc = f"mrc:{r}.{m}"
            parent_of[mrc] = f"region:{r}"
            covers[mrc] = [mrc]
            covers[f"region:{r}"].append(mrc)
            covers["all"].append(mrc)
    leaf_data = leaf_data or make_leaves(rng, [c for c in covers if c.startswith("mrc:")], **kw)
    return aggregate(covers, leaf_data), hierarchy_constraints(parent_of)


def table_case(rng, n_rows, n_cols, **kw):
    rows, cols = [f"s{i}" for i in range(n_rows)], [f"m{j}" for j in range(n_cols)]
    leaves = [f"{r}|{c}" for r in rows for c in cols]
    covers = {leaf: [leaf] for leaf in leaves}
    covers.update({f"{r}|*": [f"{r}|{c}" for c in cols] for r in rows})
    covers.update({f"*|{c}": [f"{r}|{c}" for r in rows] for c in cols})
    covers["*|*"] = leaves
    cons = table_constraints(rows, cols, lambda r, c: f"{r}|{c}", lambda r: f"{r}|*",
                             lambda c: f"*|{c}", "*|*")
    return aggregate(covers, make_leaves(rng, leaves, **kw)), cons


def linked_case(rng, mrc_per_region, n_sectors, **kw):
    """Sector x geography, geography being the hierarchy MRC -> region -> all."""
    parent_of = {}
    for r, k in enumerate(mrc_per_region):
        parent_of[f"region:{r}"] = "all"
        parent_of.update({f"mrc:{r}.{m}": f"region:{r}" for m in range(k)})
    geo = sorted(set(parent_of) | {"all"})
    mrcs = [g for g in geo if g.startswith("mrc:")]
    sectors = [f"s{i}" for i in range(n_sectors)]

    def leaves_of(g):
        out, frontier = [], [g]
        while frontier:
            x = frontier.pop()
            kids = [c for c, p in parent_of.items() if p == x]
            out += [x] if not kids else []
            frontier += kids
        return out

    covers = {}
    for g in geo:
        for s in sectors:
            covers[f"{s}|{g}"] = [f"{s}|{m}" for m in leaves_of(g)]
        covers[f"*|{g}"] = [f"{s}|{m}" for s in sectors for m in leaves_of(g)]
    cons = []
    for s in [*sectors, "*"]:
        cons += hierarchy_constraints({f"{s}|{c}": f"{s}|{p}" for c, p in parent_of.items()})
    cons += [Constraint(f"*|{g}", tuple(f"{s}|{g}" for s in sectors)) for g in geo]
    leaf_data = make_leaves(rng, [f"{s}|{m}" for s in sectors for m in mrcs], **kw)
    return aggregate(covers, leaf_data), cons


def expected_primary(cells, col, rules=Rules()):
    """Independent restatement of the primary rules."""
    return expected_levels(cells, col, rules)[0]


def expected_levels(cells, col, rules=Rules()):
    """(sensitive, protection level) per cell: count rule (pl = p % of the value), p % rule
    (pl = p x1 - (T - x1 - x2)), (n, k) rule (pl = top / k - T); the largest applies."""
    small = (cells["n"] >= 1) & (cells["n"] < rules.min_count)
    if col == "n":
        return small, small.astype(float)
    v = cells[col].fillna(0)
    pl = pd.Series(np.where(small, rules.p_percent / 100 * v, 0.0), index=cells.index)
    sens = small.copy()
    if f"{col}__max" in cells:
        x1 = cells[f"{col}__max"]
        x2 = cells[f"{col}__max2"] if f"{col}__max2" in cells else np.minimum(x1, v - x1)
        x2 = x2.fillna(0)
        ok = x1.notna() & (v > 0) & ~small
        p_need = rules.p_percent / 100 * x1 - (v - x1 - x2)
        k_need = x1 / rules.dominance_share - v
        p_hit = ok & (p_need > 1e-7 * np.maximum(v, 1))
        k_hit = ok & (x1 > rules.dominance_share * v)
        sens = sens | p_hit | k_hit
        pl = np.maximum(pl, np.where(p_hit, p_need, 0.0))
        pl = np.maximum(pl, np.where(k_hit, k_need, 0.0))
    return sens.fillna(False).astype(bool), pd.Series(np.asarray(pl, float), index=cells.index)


# ---------------------------------------------------------------- helpers: attacker
def attacker_system(values, status_col, constraints):
    """What the attacker knows: the suppressed cells (unknowns) and the constraints A x = b that the published
    values leave on them (values, hidden cells, their positions, A rows, b)."""
    vals = values.fillna(0.0).astype(float)
    hidden = [c for c in status_col.index if status_col[c] != ""]
    pos = {c: k for k, c in enumerate(hidden)}
    a_eq, b_eq = [], []
    for con in constraints:
        coef, rhs = np.zeros(len(hidden)), 0.0
        for cid, sign in [(con.parent, 1.0)] + [(c, -1.0) for c in con.children]:
            if cid in pos:
                coef[pos[cid]] += sign
            else:
                rhs -= sign * vals[cid]
        if coef.any():
            a_eq.append(coef)
            b_eq.append(rhs)
        else:
            assert abs(rhs) < 1e-6  # published values are consistent
    return vals, hidden, pos, a_eq, b_eq


def pinned_cells(values, status_col, constraints):
    """Suppressed cells whose value the LP attacker can determine exactly."""
    vals, hidden, pos, a_eq, b_eq = attacker_system(values, status_col, constraints)
    pinned = []
    for cid in hidden:
        if not a_eq:
            continue
        c = np.zeros(len(hidden))
        c[pos[cid]] = -1.0
        hi = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
        if hi.status == 3:  # unbounded above
            continue
        assert hi.status == 0, hi.message
        if -hi.fun - vals[cid] > 1e-6:  # the true value is feasible, so min <= true
            continue
        c[pos[cid]] = 1.0
        lo = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
        assert lo.status == 0, lo.message
        if -hi.fun - lo.fun <= 1e-6:
            pinned.append(cid)
    return pinned


def short_intervals(values, status_col, constraints, sensitive, pl):
    """Sensitive cells whose attacker interval does not reach value ± protection level."""
    vals, hidden, pos, a_eq, b_eq = attacker_system(values, status_col, constraints)
    short = []
    for cid in hidden:
        if not sensitive[cid] or not a_eq:
            continue
        v, level = vals[cid], pl[cid]
        need_up = max(level, 1.0) if v <= 0 else level
        c = np.zeros(len(hidden))
        c[pos[cid]] = -1.0
        hi = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
        top = np.inf if hi.status == 3 else -hi.fun
        c[pos[cid]] = 1.0
        lo = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs")
        tol = 1e-6 * max(1.0, abs(v))
        if top < v + need_up - tol or lo.fun > v - min(level, v) + tol:
            short.append((cid, lo.fun, top, v, level))
    return short


def assert_protected(cells, status, constraints, rules=Rules()):
    for col in status.columns:
        sensitive, pl = expected_levels(cells, col, rules)
        # a complement pinned by the others is only a wasted suppression; a sensitive value never may be
        assert [c for c in pinned_cells(cells[col], status[col], constraints) if sensitive[c]] == [], col
        assert short_intervals(cells[col], status[col], constraints, sensitive, pl) == [], col


def assert_primary_ok(cells, status):
    for col in status.columns:
        exp = expected_primary(cells, col)
        assert ((status[col] == "primary") == exp).all(), col
        assert set(status[col]) <= {"", "primary", "secondary"}


# ---------------------------------------------------------------- primary rules
def test_primary_rules_by_hand():
    cells = pd.DataFrame(
        {
            "n": [2, 5, 5, 0, 4, 4, 1, 6, 6],
            "jobs": [10.0, 100.0, 100.0, 0.0, np.nan, 50.0, 0.0, 100.0, 100.0],
            "jobs__max": [6.0, 90.0, 85.0, np.nan, 3.0, np.nan, 0.0, 50.0, 50.0],
            "jobs__max2": [4.0, 5.0, 10.0, np.nan, 1.0, np.nan, np.nan, 46.0, 44.0],
            "revenue": [20.0, 100.0, 100.0, 0.0, 40.0, 0.0, 5.0, 100.0, 100.0],
            "revenue__max": [15.0, 30.0, 86.0, np.nan, 40.0, 0.0, 5.0, 30.0, 30.0],
            "revenue__max2": [5.0, 30.0, 2.0, np.nan, 0.0, 0.0, np.nan, 30.0, 30.0],
        },
        index=["two", "dominated", "exactly85", "empty", "nan_value", "nan_max", "one", "p_rule", "p_rule_ok"],
    )
    st = suppress(cells, ["jobs", "revenue"], [])
    assert list(st.columns) == ["n", "jobs", "revenue"]
    assert list(st.loc["two"]) == ["primary"] * 3
    assert list(st.loc["one"]) == ["primary"] * 3
    assert list(st.loc["dominated"]) == ["", "primary", ""]
    # jobs: 85 % is fine for (1, k), and the rest (5) is 5.9 % of the largest: the p % rule (10 %) applies
    assert list(st.loc["exactly85"]) == ["", "primary", "primary"]
    assert list(st.loc["empty"]) == ["", "", ""]
    assert list(st.loc["nan_value"]) == ["", "", "primary"]  # NaN value: no dominance check
    assert list(st.loc["nan_max"]) == ["", "", ""]  # unknown max / zero value: no dominance
    # p % rule: the second (46) could estimate the largest (50) within 4 / 50 = 8 % < 10 %; with 44 it is 12 %
    assert list(st.loc["p_rule"]) == ["", "primary", ""]
    assert list(st.loc["p_rule_ok"]) == ["", "", ""]


def test_rules_are_parameters():
    cells = pd.DataFrame({"n": [4], "jobs": [100.0], "jobs__max": [70.0], "jobs__max2": [10.0]}, index=["a"])
    assert list(suppress(cells, ["jobs"], []).loc["a"]) == ["", ""]
    st = suppress(cells, ["jobs"], [], Rules(min_count=5, dominance_share=0.6))
    assert list(st.loc["a"]) == ["primary", "primary"]
    st = suppress(cells, ["jobs"], [], Rules(min_count=3, dominance_share=0.6))
    assert list(st.loc["a"]) == ["", "primary"]
    st = suppress(cells, ["jobs"], [], Rules(dominance_n=2, dominance_share=0.75))  # 70 + 10 > 75 %
    assert list(st.loc["a"]) == ["", "primary"]
    st = suppress(cells, ["jobs"], [], Rules(p_percent=30))  # rest 20 < 30 % of 70
    assert list(st.loc["a"]) == ["", "primary"]


def test_constraint_builders():
    cons = hierarchy_constraints({"mrc:1": "region:A", "mrc:2": "region:A", "region:A": "all"})
    assert set(cons) == {Constraint("region:A", ("mrc:1", "mrc:2")),
                         Constraint("all", ("region:A",))}
    cons = table_constraints(["a", "b"], ["x"], lambda r, c: r + c, lambda r: r + "*",
                             lambda c: "*" + c, "**")
    assert set(cons) == {
        Constraint("a*", ("ax",)), Constraint("b*", ("bx",)), Constraint("*x", ("ax", "bx")),
        Constraint("**", ("a*", "b*")), Constraint("**", ("*x",)),
    }


def test_missing_constraint_cells_raise():
    cells = pd.DataFrame({"n": [5], "jobs": [1.0], "jobs__max": [1.0]}, index=["a"])
    with pytest.raises(ValueError, match="ghost"):
        suppress(cells, ["jobs"], [Constraint("a", ("ghost",))])


# ---------------------------------------------------------------- hierarchies
def small_hierarchy():
    """Region R1 with 4 MRCs (m3 has 2 enterprises), region R2 with 3 MRCs, Québec."""
    n = {"m1": 10, "m2": 8, "m3": 2, "m4": 12, "p1": 9, "p2": 7, "p3": 11}
    jobs = {"m1": 100.0, "m2": 80.0, "m3": 30.0, "m4": 150.0, "p1": 90.0, "p2": 60.0, "p3": 95.0}
    parent_of = {"m1": "R1", "m2": "R1", "m3": "R1", "m4": "R1", "p1": "R2", "p2": "R2", "p3": "R2",
                 "R1": "QC", "R2": "QC"}
    for tot in ["R1", "R2", "QC"]:
        leaves = [k for k in n if k.startswith(("m", "p")) and tot in (parent_of[k], "QC")]
        n[tot] = sum(n[k] for k in leaves)
        jobs[tot] = sum(jobs[k] for k in leaves)
    cells = pd.DataFrame({"n": n, "jobs": jobs})
    cells["jobs__max"] = cells["jobs"] / 4
    return cells, hierarchy_constraints(parent_of)


def test_attacker_recovers_primary_only_suppression():
    """Sanity check of the attacker: with primary suppression only, m3 is recovered."""
    cells, cons = small_hierarchy()
    naive = pd.Series("", index=cells.index)
    naive["m3"] = "primary"
    assert pinned_cells(cells["jobs"], naive, cons) == ["m3"]
    naive["m1"] = "secondary"  # now two unknowns in R1: protected
    assert pinned_cells(cells["jobs"], naive, cons) == []


def test_hierarchy_small_mrc():
    cells, cons = small_hierarchy()
    st = suppress(cells, ["jobs"], cons)
    assert_primary_ok(cells, st)
    assert_protected(cells, st, cons)
    for col in ["n", "jobs"]:
        assert st.loc["m3", col] == "primary"
        assert (st.loc[["m1", "m2", "m4"], col] == "secondary").sum() >= 1
        assert (st.loc[["R1", "R2", "QC", "p1", "p2", "p3"], col] == "").all()  # minimal here
    assert st.loc["m1", "jobs"] == "" and st.loc["m2", "jobs"] == "secondary"  # smallest value


def test_single_mrc_region_like_laval():
    cells = pd.DataFrame.from_dict(
        {  # id: (n, jobs); region:laval == mrc:laval (single-MRC region)
            "mrc:laval": (2, 40.0), "region:laval": (2, 40.0),
            "mrc:a1": (20, 300.0), "mrc:a2": (15, 200.0), "region:a": (35, 500.0),
            "mrc:b1": (12, 250.0), "region:b": (12, 250.0), "all": (49, 790.0),
        },
        orient="index", columns=["n", "jobs"],
    )
    cells["jobs__max"] = np.nan
    cons = hierarchy_constraints({"mrc:laval": "region:laval", "mrc:a1": "region:a",
                                  "mrc:a2": "region:a", "mrc:b1": "region:b",
                                  "region:laval": "all", "region:a": "all", "region:b": "all"})
    st = suppress(cells, ["jobs"], cons)
    assert_protected(cells, st, cons)
    for col in ["n", "jobs"]:
        assert st.loc["mrc:laval", col] == "primary"
        assert st.loc["region:laval", col] == "primary"  # n=2 as well
        # Québec level: another region (and so one of its MRCs) must be hidden
        assert (st.loc[["region:a", "region:b", "all"], col] != "").any()

    # a dominated MRC whose (identical) region has no known max: the region becomes secondary
    cells.loc[["mrc:laval", "region:laval"], "n"] = 5
    cells.loc["all", "n"] = 52
    cells.loc["mrc:laval", "jobs__max"] = 39.0
    st = suppress(cells, ["jobs"], cons)
    assert (st["n"] == "").all()
    assert st.loc["mrc:laval", "jobs"] == "primary"
    assert st.loc["region:laval", "jobs"] == "secondary"
    assert (st.loc[["region:a", "region:b"], "jobs"] == "secondary").any()
    assert_protected(cells, st, cons)


def test_zero_total_forces_suppression_upwards():
    """A zero MRC in a region whose total is 0: sibling zeros cannot protect it (x >= 0)."""
    idx = ["z1", "z2", "z3", "RZ", "a1", "a2", "RA", "b1", "b2", "RB", "QC"]
    n = [1, 4, 5, 10, 6, 7, 13, 8, 9, 17, 40]
    jobs = [0, 0, 0, 0, 30, 40, 70, 20, 25, 45, 115]
    cells = pd.DataFrame({"n": n, "jobs": np.array(jobs, float), "jobs__max": 5.0}, index=idx)
    cons = hierarchy_constraints({"z1": "RZ", "z2": "RZ", "z3": "RZ", "a1": "RA", "a2": "RA",
                                  "b1": "RB", "b2": "RB", "RZ": "QC", "RA": "QC", "RB": "QC"})
    st = suppress(cells, ["jobs"], cons)
    assert st.loc["z1", "jobs"] == "primary"
    assert st.loc["RZ", "jobs"] == "secondary"
    assert_protected(cells, st, cons)


# ---------------------------------------------------------------- 2-D tables
def test_table_6x8():
    rng = np.random.default_rng(7)
    cells, cons = table_case(rng, 6, 8, small_share=0.15, dominance_share=0.1)
    counts = cells.loc[[i for i in cells.index if "*" not in i], "n"]
    assert ((counts >= 1) & (counts < 3)).sum() >= 2  # the fixture does contain small cells
    dom = expected_primary(cells, "jobs") & (cells["n"] >= 3)
    assert dom.any()  # ... and a dominated one
    st = suppress(cells, VALUE_COLS, cons)
    assert_primary_ok(cells, st)
    assert_protected(cells, st, cons)
    assert (st["jobs"] == "secondary").any()


def test_table_zero_row():
    """A primary zero cell in a zero row (row total 0, published) must not be pinned."""
    rows, cols = ["r0", "r1", "r2"], ["c0", "c1", "c2"]
    val = np.array([[0, 0, 0], [10, 20, 30], [5, 15, 25]], float)
    cnt = np.array([[1, 4, 5], [6, 7, 8], [9, 10, 11]])
    data = {}
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            data[f"{r}|{c}"] = (cnt[i, j], val[i, j])
        data[f"{r}|*"] = (cnt[i].sum(), val[i].sum())
    for j, c in enumerate(cols):
        data[f"*|{c}"] = (cnt[:, j].sum(), val[:, j].sum())
    data["*|*"] = (cnt.sum(), val.sum())
    cells = pd.DataFrame.from_dict(data, orient="index", columns=["n", "jobs"])
    cells["jobs__max"] = np.nan
    cons = table_constraints(rows, cols, lambda r, c: f"{r}|{c}", lambda r: f"{r}|*",
                             lambda c: f"*|{c}", "*|*")
    st = suppress(cells, ["jobs"], cons)
    assert st.loc["r0|c0", "jobs"] == "primary"
    assert_protected(cells, st, cons)


# ---------------------------------------------------------------- randomized attack
def random_case(seed):
    """Hierarchies, 2-D tables and linked tables; the second half has many zero cells."""
    rng = np.random.default_rng(1000 + seed)
    kind, kw = seed % 3, {"zero_share": 0.3 if seed < 15 else 0.7}
    if kind == 0:
        sizes = rng.integers(1, 6, size=int(rng.integers(2, 7)))
        return hierarchy_case(rng, sizes, **kw)
    if kind == 1:
        return table_case(rng, int(rng.integers(2, 8)), int(rng.integers(2, 9)), **kw)
    sizes = rng.integers(1, 4, size=int(rng.integers(2, 4)))
    return linked_case(rng, sizes, int(rng.integers(2, 5)), **kw)


@pytest.mark.parametrize("seed", range(30))
def test_randomized_attack_fails(seed):
    cells, cons = random_case(seed)
    st = suppress(cells, VALUE_COLS, cons)
    assert_primary_ok(cells, st)
    assert_protected(cells, st, cons)


def test_randomized_cases_have_zeros_and_suppressions():
    """The randomized fixtures exercise what they claim to exercise."""
    zero_primary = secondary = 0
    for seed in range(30):
        cells, cons = random_case(seed)
        st = suppress(cells, VALUE_COLS, cons)
        zero_primary += ((st["volunteers"] == "primary") & (cells["volunteers"] == 0)).sum()
        secondary += (st == "secondary").to_numpy().sum()
    assert zero_primary >= 10 and secondary >= 100


@pytest.mark.parametrize("seed", range(4))
def test_all_zero_and_unknown_columns(seed):
    """A column that is 0 everywhere (totals too) and NaN (unknown) values."""
    rng = np.random.default_rng(seed)
    cells, cons = hierarchy_case(rng, [3, 1, 4, 2]) if seed % 2 else table_case(rng, 5, 6)
    cells["volunteers"] = 0.0
    cells["revenue"] = cells["revenue"].where(cells["revenue"] > 0)  # 0 reported as unknown
    cells[[f"{v}__max" for v in VALUE_COLS]] = np.nan  # unknown max: count rule only
    st = suppress(cells, VALUE_COLS, cons)
    small = (cells["n"] >= 1) & (cells["n"] < 3)
    assert ((st[["jobs", "revenue", "volunteers"]] == "primary").any(axis=1) == small).all()
    assert small.any()
    assert_protected(cells, st, cons)


@pytest.mark.slow  # over 5 s: not in `make check`
def test_quebec_like_linked_table():
    """16 sectors x (104 MRCs, 17 regions, Québec) with sector totals; sparse column."""
    rng = np.random.default_rng(9)
    sizes = [7] * 10 + [5] * 4 + [1, 1, 12]
    cells, cons = linked_case(rng, sizes, 16, zero_share=0.4)
    assert len(cells) == 17 * 122
    st = suppress(cells, VALUE_COLS, cons)
    assert_primary_ok(cells, st)
    for col in st.columns:  # protection intervals around employers 50x the rest of their cell need more room
        assert (st[col] == "secondary").mean() < 0.25, col
    assert_protected(cells, st[["n", "volunteers"]], cons)


# ---------------------------------------------------------------- properties
def test_deterministic():
    rng = np.random.default_rng(3)
    cells, cons = linked_case(rng, [3, 1, 4, 2], 4)
    a = suppress(cells, VALUE_COLS, cons)
    b = suppress(cells.sample(frac=1.0, random_state=1), VALUE_COLS, list(reversed(cons)))
    pd.testing.assert_frame_equal(a, suppress(cells, VALUE_COLS, cons))
    pd.testing.assert_frame_equal(a, b.loc[a.index])


def test_not_excessive_on_quebec_like_hierarchy():
    rng = np.random.default_rng(11)
    sizes = [7] * 10 + [5] * 4 + [1, 1, 12]  # 17 regions, 104 MRCs, two single-MRC regions
    assert sum(sizes) == 104
    mrcs = [f"mrc:{r}.{m}" for r, k in enumerate(sizes) for m in range(k)]
    leaf_data = {m: np.full((int(rng.integers(5, 40)), 3), 10.0) for m in mrcs}
    for m in ["mrc:0.2", "mrc:7.5", "mrc:16.11"]:
        leaf_data[m] = np.full((2, 3), 10.0)
    cells, cons = hierarchy_case(rng, sizes, leaf_data)
    st = suppress(cells, VALUE_COLS, cons)
    assert (st == "primary").any(axis=1).sum() == 3
    for col in st.columns:
        assert (st[col] != "").mean() < 0.15, col
    assert_protected(cells, st, cons)


@pytest.mark.slow  # over 5 s: not in `make check`
def test_large_table_with_margins():
    rng = np.random.default_rng(5)
    cells, cons = table_case(rng, 104, 16)  # 105 x 17 with margins
    st = suppress(cells, VALUE_COLS, cons)
    assert_primary_ok(cells, st)
    assert (st["jobs"] == "secondary").any()
    assert_protected(cells, st[["jobs"]], cons)


def test_module_depends_on_numpy_pandas_and_highs_only():
    import ess_impact.publish.confidentiality as mod

    source = open(mod.__file__, encoding="utf-8").read()
    imports = {line.split()[1] if line.split()[1].startswith("ess_impact") else line.split()[1].split(".")[0]
               for line in source.splitlines() if line.startswith(("import ", "from "))}
    assert imports <= {"__future__", "dataclasses", "logging", "time", "numpy", "pandas", "scipy", "highspy",
                       "ess_impact.publish.lp"}


def test_apply():
    cells, cons = small_hierarchy()
    st = suppress(cells, ["jobs"], cons)
    out = apply(cells, st)
    assert list(out.columns) == ["n", "jobs", "suppressed"]
    assert out.loc["m3", "suppressed"] == "jobs,n"
    assert out.loc["m3", ["n", "jobs"]].isna().all()
    assert out.loc["m1", "suppressed"] == "" and out.loc["m1", "jobs"] == 100.0
    assert out.loc["m2", "suppressed"] == "jobs,n" and np.isnan(out.loc["m2", "jobs"])
    assert out["n"].dtype == float
    assert cells.loc["m3", "n"] == 2  # input untouched


def test_the_pure_module_default_rules_are_the_settings_defaults():
    """confidentiality depends on numpy, pandas and HiGHS only, so its Rules repeat the defaults: they must not drift
    from settings.py, the one place the settings live."""
    from ess_impact import settings
    from ess_impact.publish import confidentiality

    d = settings.defaults()
    assert confidentiality.Rules() == confidentiality.Rules(min_count=d.min_count, dominance_share=d.dominance_share,
                                                            dominance_n=d.dominance_n, p_percent=d.p_percent)


# ---------------------------------------------------------------- cells proven by an earlier protection
@pytest.mark.parametrize("seed", [2, 5, 8])
def test_verified_cells_are_not_solved_again_unless_a_new_constraint_reaches_them(seed, monkeypatch):
    """`verified` (the raw cube, protected on its own before its constant-sample cubes): the same cells under the
    same constraints are not solved again; a new constraint that pins one of them still gets a complement."""
    from ess_impact.publish import confidentiality

    cells, cons = random_case(seed)
    first = suppress(cells, VALUE_COLS, cons)
    assert (first != "").to_numpy().any()
    solved = []
    original = confidentiality._check_component
    monkeypatch.setattr(confidentiality, "_check_component",
                        lambda *a, **k: solved.append(1) or original(*a, **k))
    again = suppress(cells, VALUE_COLS, cons, frozen=first, verified=cells.index)
    assert again.equals(first) and solved == []
    # a new published cell equal to a suppressed sensitive cell plus a published one would give it back
    col = "jobs"
    hidden = first.index[first[col] == "primary"]
    shown = first.index[(first[col] == "") & (cells[col] > 0)]
    target, other = hidden[0], shown[0]
    joint = pd.concat([cells, cells.loc[[target]].rename(index={target: "new"})])
    joint.loc["new", ["n", *VALUE_COLS]] = cells.loc[target, ["n", *VALUE_COLS]] + cells.loc[other, ["n", *VALUE_COLS]]
    joint_cons = [*cons, Constraint("new", (target, other))]
    # frozen and published, the new cell cannot be hidden: the component is still solved again (not skipped)
    frozen = pd.concat([first, first.loc[[target]].rename(index={target: "new"}).map(lambda _: "")])
    suppress(joint, VALUE_COLS, joint_cons, frozen=frozen, verified=cells.index)
    assert solved
    solved.clear()
    status = suppress(joint, VALUE_COLS, joint_cons, frozen=first, verified=cells.index)
    assert solved and status.loc["new", col] != ""
    assert status.drop(index="new").equals(first)
    assert_protected(joint.drop(columns=[c for c in joint.columns if c.endswith("__max")], errors="ignore"),
                     status, joint_cons)


# ---------------------------------------------------------------- a priori bounds (τ-ARGUS), `prior`
def prior_case():
    """Raw table R (published), a sample P (to publish) and the outside O = R - P (never published), over a total t
    of two cells a and b. The three enterprises of R/a have no job (published zero: nobody dominates a zero); one
    of them is outside the sample, and nobody is outside in b. So O/t = O/a + O/b <= R/a + 0 = 0 from the raw table
    alone: O/t's zero (one enterprise, sensitive) is out of reach of any complement in P."""
    ids = ["R/t", "R/a", "R/b", "P/t", "P/a", "P/b", "O/t", "O/a", "O/b"]
    n = [23, 3, 20, 22, 2, 20, 1, 1, 0]
    jobs = [200.0, 0.0, 200.0, 200.0, 0.0, 200.0, 0.0, 0.0, 0.0]
    cells = pd.DataFrame({"n": n, "jobs": jobs, "jobs__max": [20.0, 0.0, 20.0, 20.0, 0.0, 20.0, 0.0, 0.0, 0.0]},
                         index=ids)
    cons = [Constraint(f"{x}/t", (f"{x}/a", f"{x}/b")) for x in "RP"]
    cons += [Constraint(f"R/{c}", (f"P/{c}", f"O/{c}")) for c in "tab"]
    frozen = pd.DataFrame("", index=["R/t", "R/a", "R/b", "O/b"], columns=["n", "jobs"])
    return cells, cons, frozen


def test_a_value_out_of_reach_a_priori_needs_no_more_than_its_prior_interval():
    cells, cons, frozen = prior_case()
    kwargs = dict(unpublished=["O/t", "O/a"], frozen=frozen)
    # without a priori bounds, O/t cannot be protected: the engine falls back to hiding every cell it may hide
    blind = suppress(cells, ["jobs"], cons, **kwargs)
    assert (blind.loc[["P/t", "P/a", "P/b"], "jobs"] != "").all()
    # with them, its requirement stops at what the raw table already gives (0): nothing more is hidden for it. P/a
    # (two enterprises) stays hidden, with a second unknown in its line (P/b).
    status = suppress(cells, ["jobs"], cons, prior=["P/t", "P/a", "P/b"], **kwargs)
    assert status.loc["P/a", "jobs"] == "primary"
    assert status.loc["P/t", "jobs"] == ""
    assert (status.loc[["P/a", "P/b"], "jobs"] != "").all()
