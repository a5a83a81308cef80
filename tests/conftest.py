"""Shared fixtures: a real DuckDB file in a temp dir, the real Adult sample, small frames."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from tests.browser.fixtures import (  # noqa: F401 - fixtures and the hook they need
    browser,
    evaluated_sample_db,
    evaluated_server,
    page,
    pytest_runtest_makereport,
    server,
)

ROOT = Path(__file__).resolve().parent.parent
ADULT = ROOT / "sample_data" / "adult.csv"

os.environ.setdefault("PYTHONHASHSEED", "0")

# Tests that drive Chromium against a served app: under pytest-xdist they run one after another
# on one worker (``--dist loadgroup``), so two servers and browsers never share the two cores.
# The hook runs first so that the group is marked before pytest-xdist's own hook reads the markers
# (and needs pytest 8: xdist 3.8.0 renames ``item._nodeid``, which pytest 9.2 no longer reads)
BROWSER_FILES = ("tests/browser/", "tests/reliability/test_faults_browser.py")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put every browser test in one xdist group (a no-op without pytest-xdist)."""
    for item in items:
        if item.nodeid.startswith(BROWSER_FILES):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture()
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database path; SYNTHREVIEW_DB points at it for code that reads the env."""
    path = tmp_path / "db" / "synthreview.duckdb"
    monkeypatch.setenv("SYNTHREVIEW_DB", str(path))
    return path


@pytest.fixture()
def store(db_file: Path):
    from core.store import Store

    s = Store(db_file)
    yield s
    s.close()


@pytest.fixture(scope="session")
def adult() -> pd.DataFrame:
    """The full Adult sample as pandas reads it."""
    return pd.read_csv(ADULT)


@pytest.fixture(scope="session")
def adult_small(adult: pd.DataFrame) -> pd.DataFrame:
    """600 Adult rows: big enough for every generator, small enough to fit in seconds."""
    return adult.sample(600, random_state=7).reset_index(drop=True)


@pytest.fixture()
def small_dataset(store, adult_small):
    """A stored 600-row Adult dataset with roles set; returns its DatasetInfo."""
    from core.datasets import add_dataset

    info, _ = add_dataset(
        store, adult_small, {"file_name": "adult_small.csv"}, name="Adult small",
        source_name="adult_small.csv", target="class", protected=["sex", "race"],
        quasi_identifiers=["age", "sex", "race"],
    )
    return info
