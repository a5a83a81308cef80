"""Two stored datasets, each with an evaluated run; one holds unique marker strings."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core import review as rv
from core.datasets import add_dataset
from core.evaluation import evaluate_run
from core.metrics.config import EvalConfig
from core.runs import generate
from core.store import Store
from core.store.backup import backup

FAST = EvalConfig(anonymeter_attacks=50, max_rows_anonymeter=100, kway_combinations=5)
ID_MARKER = b"MARKER-7f3a9c"       # only in real rows (an identifier column, never synthesised)
CAT_MARKER = b"MARKERCAT-b41e"     # a category: in real rows, synthetic rows and reports


def table(seed: int, marked: bool, n: int = 80) -> pd.DataFrame:
    """A small table; ``marked`` puts the markers in it."""
    rng = np.random.default_rng(seed)
    prefix = ID_MARKER.decode() if marked else f"P{seed}"
    ward = CAT_MARKER.decode() if marked else "east"
    return pd.DataFrame({
        "patient_id": [f"{prefix}-{i:04d}" for i in range(n)],
        "age": rng.integers(18, 90, n),
        "sex": rng.choice(["F", "M"], n),
        "ward": rng.choice([ward, "north", "south"], n),
        "outcome": rng.choice(["yes", "no"], n),
    })


def files_holding(folder: Path, needle: bytes) -> list[str]:
    """Every file under ``folder`` (database, WAL, backups) whose raw bytes contain ``needle``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and needle in p.read_bytes())


def add(store: Store, df: pd.DataFrame, name: str) -> dict:
    """Store, generate, evaluate; return the ids and the report."""
    info, _ = add_dataset(store, df, {"file_name": f"{name}.csv"}, name=name,
                          source_name=f"{name}.csv", target="outcome", protected=["sex"],
                          quasi_identifiers=["age", "sex"])
    run = generate(store, info.id, "gaussian_copula", n_rows=60, seed=1)
    report, _ = evaluate_run(store, run.id, config=FAST)
    return {"dataset": info.id, "run": run.id, "report": report, "name": name}


def sign_off_all(store: Store, run_id: str, columns: list[str]) -> None:
    """Approve every column of the run, then sign it off as approved."""
    for col in columns:
        rv.record_decision(store, run_id, col, "approve", "", "Ada")
    rv.sign_off(store, run_id, "approved", "fit for release", "Ada", columns=columns)


@pytest.fixture(scope="session")
def two_template(tmp_path_factory) -> dict:
    """Built once: a marked dataset and an unmarked one, each with an evaluated run, backed up."""
    folder = tmp_path_factory.mktemp("lifecycle") / "db"
    store = Store(folder / "synthreview.duckdb")
    marked = add(store, table(1, True), "patients")
    other = add(store, table(2, False), "controls")
    backup(store)
    store.close()
    return {"marked": marked, "other": other, "template": folder}


@pytest.fixture()
def two_files(two_template, db_file: Path) -> dict:
    """A private copy of the template's folder (database and backups), not opened."""
    shutil.copytree(two_template["template"], db_file.parent)
    return {**two_template, "folder": db_file.parent, "path": db_file}


@pytest.fixture()
def two(two_files) -> dict:
    """The private copy, opened; ``two["store"]`` is closed after the test."""
    store = Store(two_files["path"])
    yield {**two_files, "store": store}
    store.close()
