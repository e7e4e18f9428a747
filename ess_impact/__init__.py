"""ess_impact: the socio-economic impact of Québec's social economy, by MRC and sector."""

import os

# Confidentiality runs many small SVDs: multi-threaded BLAS only adds contention on a 2-core server
# (measured in docs/benchmarks.md). Effective when numpy is not imported yet (the CLI); `ess-impact run`
# passes it to the Streamlit process.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
