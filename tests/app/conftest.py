"""AppTest fixtures: each page file runs on its own against a real DuckDB file in a temp dir."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
# `streamlit run` puts the main script's folder on sys.path once (its bootstrap); AppTest does not,
# so each run of a page file would insert ``pages/`` and remove it again, racing the imports of the
# job threads. Put it there once, as the server has it (appended: it shadows nothing).
if str(ROOT / "pages") not in sys.path:
    sys.path.append(str(ROOT / "pages"))


@pytest.fixture()
def seeded_db(db_file, adult_small):
    """A database holding a 600-row Adult dataset with one complete GaussianCopula run."""
    from core.datasets import add_dataset
    from core.runs import generate
    from core.store import Store

    store = Store(db_file)
    info, _ = add_dataset(
        store, adult_small, {"file_name": "adult_small.csv", "file_format": "csv",
                             "encoding": "utf-8", "delimiter": ",", "rows_read": 600,
                             "rows_rejected": 0, "nulls_mapped": {"?": 12}},
        name="Adult small", source_name="adult_small.csv", target="class",
        protected=["sex", "race"], quasi_identifiers=["age", "sex"],
    )
    run = generate(store, info.id, "gaussian_copula", n_rows=200, seed=1)
    store.close()
    return {"path": db_file, "dataset": info.id, "run": run.id}


def page(name: str) -> AppTest:
    """An AppTest of one page file (or app.py), not yet run."""
    return AppTest.from_file(str(ROOT / name), default_timeout=TIMEOUT)


@pytest.fixture(scope="session")
def evaluated_template(tmp_path_factory, adult_small):
    """A database file with a 600-row Adult dataset, one GaussianCopula run and its report."""
    from core.datasets import add_dataset
    from core.evaluation import evaluate_run
    from core.metrics.config import EvalConfig
    from core.runs import generate
    from core.store import Store

    path = tmp_path_factory.mktemp("template") / "synthreview.duckdb"
    store = Store(path)
    info, _ = add_dataset(
        store, adult_small, {"file_name": "adult_small.csv"}, name="Adult small",
        source_name="adult_small.csv", target="class", protected=["sex", "race"],
        quasi_identifiers=["age", "sex", "race"],
    )
    run = generate(store, info.id, "gaussian_copula", n_rows=480, seed=1)
    evaluate_run(store, run.id, config=EvalConfig(anonymeter_attacks=100,
                                                  max_rows_anonymeter=400,
                                                  kway_combinations=10))
    store.close()
    return {"path": path, "dataset": info.id, "run": run.id}


@pytest.fixture()
def evaluated_db(evaluated_template, db_file):
    """A private copy of the evaluated template for one test."""
    import shutil

    db_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(evaluated_template["path"], db_file)
    return {**evaluated_template, "path": db_file}
