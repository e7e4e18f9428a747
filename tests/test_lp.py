"""publish/lp.py: a model re-solved with one objective after another (the suppression's checks, the audit's minima
and maxima) gives the optimum a fresh solver gives, and whatever does not end as an optimum is solved again from
scratch, in other ways, until one gives an optimum."""

from __future__ import annotations

import highspy
import numpy as np
from scipy import sparse

from ess_impact.publish import lp


def _table_model(rng: np.random.Generator, scale: float) -> highspy.HighsLp:
    """A published 2-D table with margins as an attacker sees it: the unknown cells (every inner cell and a few
    margins), additive rows equal to what the published cells leave, x >= 0; values up to `scale`."""
    rows, cols = 6, 8
    # whole numbers, as the cube's sums of dollars and hours (fractions would make the margins disagree in their
    # last bits: at a billion, by more than the solver's tolerance)
    inner = np.floor(rng.uniform(0, scale, size=(rows, cols))) * (rng.random((rows, cols)) < 0.8)
    n = rows * cols
    A_rows, b = [], []
    for r in range(rows):  # row totals published: sum of the row's cells
        A_rows.append(sparse.coo_matrix((np.ones(cols), (np.zeros(cols), r * cols + np.arange(cols))), shape=(1, n)))
        b.append(inner[r].sum())
    for c in range(cols):
        A_rows.append(sparse.coo_matrix((np.ones(rows), (np.zeros(rows), np.arange(rows) * cols + c)), shape=(1, n)))
        b.append(inner[:, c].sum())
    A = sparse.vstack(A_rows, format="csc")
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = n, A.shape[0]
    model.col_cost_ = np.zeros(n)
    model.col_lower_ = np.zeros(n)
    model.col_upper_ = np.full(n, highspy.kHighsInf)
    model.row_lower_ = model.row_upper_ = np.array(b)
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_, model.a_matrix_.index_ = A.indptr.astype(np.int32), A.indices.astype(np.int32)
    model.a_matrix_.value_ = A.data.astype(float)
    model.a_matrix_.num_col_, model.a_matrix_.num_row_ = n, A.shape[0]
    return model


def _optimum(solver: highspy.Highs, j: int, sense: float, warm: bool) -> float:
    solver.changeColsCost(solver.getNumCol(), np.arange(solver.getNumCol(), dtype=np.int32),
                          np.zeros(solver.getNumCol()))
    solver.changeColsCost(1, np.array([j], np.int32), np.array([sense]))
    if warm:
        lp.run_objective(solver)
    else:
        solver.run()
    assert solver.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return solver.getInfo().objective_function_value


def test_each_objective_in_turn_gives_the_optimum_of_a_fresh_solver():
    rng = np.random.default_rng(3)
    for scale in (10.0, 1e9):  # jobs, and revenues of a billion dollars (badly scaled)
        model = _table_model(rng, scale)
        warm = lp.new_highs()
        warm.passModel(model)
        for j in rng.choice(model.num_col_, size=20, replace=False):
            for sense in (1.0, -1.0):
                fresh = lp.new_highs()
                fresh.passModel(model)
                expected = _optimum(fresh, int(j), sense, warm=False)
                assert np.isclose(_optimum(warm, int(j), sense, warm=True), expected, rtol=1e-7,
                                  atol=1e-6 * scale)
        found = warm.getOptionValue("simplex_strategy")  # (status, value) in highspy 1.16
        assert (found[1] if isinstance(found, tuple) else found) == lp._PRIMAL  # the later solves use the primal


class _Solver:
    """A stand-in solver whose answers depend on its options, as HiGHS's did on the demo: the primal simplex stops on
    a false "unbounded", the presolve declares the system infeasible, and without presolve there is an optimum."""

    def __init__(self, answers):
        self.options = {"simplex_strategy": 0, "presolve": "choose", "solver": "choose"}
        self.answers, self.runs, self.cleared, self.status = answers, [], 0, None

    def run(self):
        self.runs.append(dict(self.options))
        self.status = self.answers(self.options)

    def getModelStatus(self):
        return self.status

    def setOptionValue(self, name, value):
        assert name in self.options
        self.options[name] = value

    def getOptionValue(self, name):
        return highspy.HighsStatus.kOk, self.options[name]

    def clearSolver(self):
        self.cleared += 1


S = highspy.HighsModelStatus


def _demo_like(options):
    if options["simplex_strategy"] == lp._PRIMAL:
        return S.kUnbounded
    return S.kInfeasible if options["presolve"] == "choose" and options["solver"] == "choose" else S.kOptimal


def test_what_does_not_end_as_an_optimum_is_solved_again_from_scratch_until_one_does():
    solver = _Solver(lambda options: S.kOptimal)
    lp.run_objective(solver)  # the first solve: HiGHS's choice, an optimum; the next ones primal
    assert [r["simplex_strategy"] for r in solver.runs] == [0] and solver.options["simplex_strategy"] == lp._PRIMAL
    solver = _Solver(_demo_like)
    solver.options["simplex_strategy"] = lp._PRIMAL  # a later solve
    lp.run_objective(solver)  # primal: "unbounded"; from scratch: "infeasible"; without presolve: an optimum
    assert [(r["simplex_strategy"], r["presolve"]) for r in solver.runs] == [
        (lp._PRIMAL, "choose"), (0, "choose"), (0, "off")]
    assert solver.cleared == 2 and solver.status == S.kOptimal
    assert solver.options == {"simplex_strategy": lp._PRIMAL, "presolve": "choose", "solver": "choose"}


def test_an_unbounded_maximum_stands_when_highs_own_choice_finds_it_too():
    solver = _Solver(lambda options: S.kUnbounded)
    solver.options["simplex_strategy"] = lp._PRIMAL
    lp.run_objective(solver)
    assert len(solver.runs) == 2 and solver.status == S.kUnbounded


def test_a_system_no_method_solves_stays_unknown_for_the_caller():
    solver = _Solver(lambda options: S.kInfeasible)
    solver.options["simplex_strategy"] = lp._PRIMAL
    lp.run_objective(solver)
    assert len(solver.runs) == 4 and solver.runs[-1]["solver"] == "ipm" and solver.status == S.kInfeasible
