"""A complete run to review: a stored run whose synthetic rows were written."""

import pandas as pd
import pytest

from core.store import Store
from core.store import runs as runs_q

COLUMNS = ["age", "sex", "income"]


def complete_run(store: Store, run_id: str = "run1") -> str:
    runs_q.start_run(store, run_id=run_id, dataset_id="ds1", schema_version=1,
                     generator="gaussian_copula", params={}, seed=0, rows_requested=2,
                     versions={})
    runs_q.complete_run(store, run_id, pd.DataFrame({"age": [30, 40]}), fit_seconds=0.1,
                        sample_seconds=0.1, peak_memory_mb=1.0)
    return run_id


@pytest.fixture()
def run(store) -> str:
    return complete_run(store)
