"""publish/lp.py: a model re-solved with one objective after another (the suppression's checks, the audit's minima
and maxima) gives the optimum a fresh solver gives, and whatever the primal simplex does not finish as an optimum is
solved again from scratch."""

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
        assert lp._strategy(warm) == lp._PRIMAL  # the later solves did use the primal simplex


class _Solver:
    """A solver whose primal simplex stops on a false 'unbounded' (as HiGHS did on the demo's revenues)."""

    def __init__(self):
        self.strategy, self.runs, self.cleared = 0, [], 0

    def run(self):
        self.runs.append(self.strategy)

    def getModelStatus(self):
        return highspy.HighsModelStatus.kUnbounded if self.strategy == lp._PRIMAL else highspy.HighsModelStatus.kOptimal

    def setOptionValue(self, name, value):
        assert name == "simplex_strategy"
        self.strategy = value

    def getOptionValue(self, name):
        return highspy.HighsStatus.kOk, self.strategy

    def clearSolver(self):
        self.cleared += 1


def test_what_the_primal_simplex_does_not_finish_is_solved_again_from_scratch():
    solver = _Solver()
    lp.run_objective(solver)  # the first solve: HiGHS's choice, an optimum
    assert solver.runs == [0] and solver.cleared == 0
    lp.run_objective(solver)  # primal: "unbounded", then from scratch with HiGHS's choice
    assert solver.runs == [0, lp._PRIMAL, 0] and solver.cleared == 1
    assert solver.getModelStatus() == highspy.HighsModelStatus.kUnbounded  # primal again for the next objective
