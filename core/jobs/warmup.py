"""Worker warm-up: a Dask preload that makes a new worker ready to evaluate at once.

The embedded cluster (``core/jobs/local_cluster.py``) starts its workers with this module as a
preload, so each worker imports what a job runs (the compute steps, every metric with
scikit-learn, Fairlearn, Anonymeter and Polars) and loads the compiled Numba kernels of the
nearest-neighbour searches from their on-disk cache, while the process that submits the first
job still reads its rows from the store. Without it the first evaluation paid those seconds
after the rows had arrived. It computes nothing a job reads: it only makes the first call cheap.
A team's cluster can use it as well: ``dask worker --preload core.jobs.warmup``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

log = logging.getLogger(__name__)


def _load_kernels() -> None:
    """Call the Numba kernels once on a 3-row table (loads them from Numba's cache)."""
    import numpy as np
    import pandas as pd
    from anonymeter.neighbors.mixed_types_kneighbors import MixedTypeKNeighbors

    from core.metrics.privacy._calc.anonymeter import _cache_anonymeter_jit
    from core.metrics.privacy._calc.distance import nearest

    tiny = pd.DataFrame({"n": np.array([1.0, 2.0, 3.0]), "c": np.array(["a", "b", "a"],
                                                                          dtype=object)})
    nearest(tiny, tiny, ("n",))
    _cache_anonymeter_jit()
    MixedTypeKNeighbors(n_neighbors=1, n_jobs=1).fit(tiny).kneighbors(tiny)


def warm_up() -> float:
    """Import what a job runs and load the compiled kernels; return the seconds it took."""
    t0 = time.perf_counter()
    import core.jobs.worker  # noqa: F401  (the compute steps: core.evaluation, core.report)
    from core.metrics.registry import BUILTIN

    assert BUILTIN  # every metric module, loaded now rather than inside the first job
    _load_kernels()
    return time.perf_counter() - t0


def dask_setup(worker: Any) -> None:
    """Dask's preload hook: warm the worker up before it takes tasks."""
    try:
        seconds = warm_up()
    except Exception:  # a warm-up failure must not stop the worker; the job will say what fails
        log.exception("worker warm-up failed")
        return
    log.info("worker %s warmed up in %.1f s", getattr(worker, "address", "?"), seconds)
