"""One HiGHS solver object (highspy), quiet: shared by the suppression (confidentiality) and the independent audit.

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
