"""AppTest fixtures: each page file runs on its own against a real DuckDB file in a temp dir."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


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
