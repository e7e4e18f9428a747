"""One HiGHS solver object (highspy), quiet: shared by the suppression (confidentiality) and the independent audit;
and how a solver is re-solved with one objective after another (`run_objective`).

highspy writes a banner ("Running HiGHS …") on the process's standard output, at the C level, when the process creates
its first solver: that would corrupt the CSV and JSON the command line writes on stdout. The first solver of the
process is therefore created with file descriptor 1 pointed at /dev/null, and every solver has its output off.
"""

from __future__ import annotations

import os
import sys
import threading

import highspy

_LOCK = threading.Lock()
_BANNER_DONE = False


def new_highs() -> highspy.Highs:
    global _BANNER_DONE
    with _LOCK:
        if _BANNER_DONE:
            solver = highspy.Highs()
        else:
            sys.stdout.flush()
            saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 1)
                solver = highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(null)
            _BANNER_DONE = True
    solver.setOptionValue("output_flag", False)
    return solver


_PRIMAL = 4  # HiGHS's simplex_strategy value of the primal simplex (0: its own choice)
WARM_PRIMAL = True  # False: HiGHS's own choice every time (the baseline of benchmarks/audit_dense.py --baseline)
# What is tried, each from scratch, after a solve that ended without an optimum. The callers' systems always hold
# the true values, so they are never infeasible, and a minimum is never unbounded; yet on billion-dollar revenues the
# primal simplex stopped on a false "unbounded", and HiGHS's presolve once declared a constant-sample system of the
# demo infeasible (the whole demo's audit, 2022's revenue grants: without presolve, and by interior point, the same
# system has an optimum).
_RETRIES = ({"simplex_strategy": 0}, {"presolve": "off"}, {"solver": "ipm"})
_DEFAULTS = {"simplex_strategy": _PRIMAL, "presolve": "choose", "solver": "choose"}


def run_objective(solver: highspy.Highs) -> None:
    """Solve, for a model whose objective changes from one solve to the next (the bounds and constraints staying):
    the first solve is HiGHS's own choice; every later one starts from the last optimal basis, still primal feasible
    under a new objective, with the primal simplex. HiGHS would otherwise choose the dual simplex, whose basis a new
    objective makes infeasible: on the demo data's constant-sample systems (18 000 columns) a re-solve took about
    4 000 iterations and 0.3 s in a profile, and 0.01 s with the primal simplex. `benchmarks/audit_dense.py
    --baseline` measures both ways in one run (docs/benchmarks.md, issue 11's fifth session).

    Whatever does not end as an optimum is solved again from scratch (`_RETRIES`): with HiGHS's own choice (whose
    "unbounded" stands), then without presolve, then by interior point, until one gives an optimum. A status that is
    still not an optimum is the caller's to treat as unknown (the engine counts the requirement unmet, the audit the
    value short)."""
    solver.run()
    if not WARM_PRIMAL:
        return
    tried = []
    for options in _RETRIES:
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal or (
                tried and status == highspy.HighsModelStatus.kUnbounded):
            break
        for name, value in options.items():
            solver.setOptionValue(name, value)
        tried.append(options)
        solver.clearSolver()
        solver.run()
    for name, value in _DEFAULTS.items():
        solver.setOptionValue(name, value)
