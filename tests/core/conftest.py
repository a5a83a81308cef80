"""Fixtures shared by the core tests of more than one package."""

from __future__ import annotations

import pytest

from core.metrics.config import EvalConfig

# Small attack counts and folds: a report of 600 rows in a few seconds.
FAST_EVAL = EvalConfig(anonymeter_attacks=50, max_rows_anonymeter=300, kway_combinations=5,
                       cv_folds=2)


@pytest.fixture(scope="session")
def evaluated_template(tmp_path_factory, adult_small):
    """A database file with a 600-row Adult dataset, a 480-row GaussianCopula run and its report.

    Tests copy the file (``shutil.copy(template["path"], db_file)``) and open their own store, so
    none of them sees another's writes.
    """
    from core.datasets import add_dataset
    from core.evaluation import evaluate_run
    from core.runs import generate
    from core.store import Store

    path = tmp_path_factory.mktemp("evaluated") / "synthreview.duckdb"
    store = Store(path)
    info, _ = add_dataset(store, adult_small, {}, name="Adult small", source_name="a.csv",
                          target="class", protected=["sex"], quasi_identifiers=["age", "sex"])
    run = generate(store, info.id, "gaussian_copula", n_rows=480, seed=1)
    evaluate_run(store, run.id, "partner", FAST_EVAL)
    store.close()
    return {"path": path, "dataset": info.id, "run": run.id}
