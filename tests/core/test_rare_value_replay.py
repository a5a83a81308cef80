"""Rare-value replay end to end: the leak the other privacy checks miss, and no false alarm.

Real components: a DuckDB file in ``tmp_path``, ``add_dataset``, a GaussianCopula fit, the stored
evaluation, the Privacy page. The records-style table (tests/published.py) has its names and case
numbers typed ``categorical`` by hand, as a user might: GaussianCopula then samples real case
numbers back.
"""

from __future__ import annotations

import json

import pytest

from core.datasets import add_dataset, load_dataset
from core.evaluation import evaluate_run
from core.metrics.config import EvalConfig
from core.report import evaluate
from core.runs import generate, import_run, load_synthetic
from core.schema.detect import detect_schema
from tests.app.conftest import page
from tests.published import RECORDS_IDENTIFIERS, records_frame
from ui import state
from ui.bootstrap import _open_store

KEY = "privacy.rare_value_replay"
FAST = EvalConfig(anonymeter_attacks=100, max_rows_anonymeter=600, kway_combinations=10)
ROLES = {"target": "two_year_recid", "protected": ["sex", "race"],
         "quasi_identifiers": ["age", "sex", "race"]}


@pytest.fixture()
def leaking_run(store):
    """A records table with identifiers typed categorical, a GaussianCopula run and its report."""
    df = records_frame(600)
    schema = detect_schema(df)
    for col in RECORDS_IDENTIFIERS:
        schema = schema.with_sdtype(col, "categorical")
    info, _ = add_dataset(store, df, {"file_name": "records.csv"}, name="records",
                          source_name="records.csv", schema=schema, **ROLES)
    run = generate(store, info.id, "gaussian_copula", n_rows=300, seed=0)
    report, _ = evaluate_run(store, run.id, config=FAST)
    return {"dataset": info.id, "run": run.id, "report": report}


def test_replayed_case_numbers_fail_the_gate_under_every_policy(leaking_run):
    # Setup
    report = leaking_run["report"]
    top = report.top(KEY)
    # Assert: nearly every synthetic row carries a real, unique identifier value
    assert top.status == "ok" and top.value > 0.9
    assert top.baseline == pytest.approx(0.0, abs=0.01)
    assert top.details["worst_column"] in RECORDS_IDENTIFIERS
    for policy in ("internal", "partner", "public"):
        check = next(c for c in report.with_policy(policy).verdict.checks if c.key == KEY)
        assert check.status == "fail", policy
    # no real case number or e-mail address is in what the report stores
    blob = json.dumps([r.to_dict() for r in report.results if r.key == KEY])
    real = records_frame(600)
    assert not [v for v in list(real["c_case_number"]) + list(real["email"]) if v in blob]
    # the other privacy checks named in the issue do not see it
    assert report.top("privacy.exact_copies").value == 0.0
    # the 0/1 outcome is a classification target: accuracy is computed
    assert report.top("utility.accuracy").status == "ok"
    assert report.top("utility.accuracy").details["positive_label"] == "1"


def test_privacy_page_names_the_worst_column(leaking_run, db_file):
    # Setup
    _open_store.clear()
    at = page("pages/8_Privacy.py")
    at.session_state[state.DATASET_ID] = leaking_run["dataset"]
    at.session_state[state.RUN_ID] = leaking_run["run"]
    worst = leaking_run["report"].top(KEY).details["worst_column"]
    # Run
    at.run()
    _open_store.clear()
    # Assert
    assert not at.exception
    assert "Rare values replayed" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "examples (masked)" in d.value.columns)
    assert table["column"].iloc[0] == worst
    assert any(worst in e.value for e in at.error)


def test_adult_gaussian_copula_passes_the_replay_check(store, adult):
    # Setup: 3,000 Adult rows (2,400 training), GaussianCopula with a fixed seed
    df = adult.sample(3000, random_state=3).reset_index(drop=True)
    info, _ = add_dataset(store, df, {"file_name": "adult.csv"}, name="Adult 3k",
                          source_name="adult.csv", target="class", protected=["sex", "race"],
                          quasi_identifiers=["age", "sex", "race"])
    run = generate(store, info.id, "gaussian_copula", seed=0)
    ds = load_dataset(store, info.id)
    # Run: the privacy family only (the rest is not what this test is about)
    report = evaluate(ds.train, ds.holdout, load_synthetic(store, run.id), ds.schema, FAST,
                      families=("privacy",))
    top = report.top(KEY)
    # Assert: a few synthetic rows carry a native country that one training row and no holdout
    # row has. How many depends on the last bits of the fitted copula, which follow the CPU (not
    # the date, the thread count or the OpenBLAS kernel: all tried), so the count is read off the
    # frames, not written down: 7 or 10 of 2,400 on the machines seen. 3 of 600 holdout rows
    # have a country only one training row has, so the honest copy stays below its noise floor.
    col = "native-country"
    counts = ds.train[col].value_counts()
    rare = set(counts[counts == 1].index) - set(ds.holdout[col].dropna())
    syn = load_synthetic(store, run.id)[col]
    assert top.details["worst_column"] == col
    assert 0 < top.details["worst_synthetic_rows"] == int(syn.isin(rare).sum())
    assert top.value == pytest.approx(top.details["worst_synthetic_rows"] / len(syn))
    assert top.details["worst_rare_values_replayed"] == syn[syn.isin(rare)].nunique()
    assert top.baseline == pytest.approx(3 / 600)
    assert top.value < top.baseline
    for policy in ("internal", "partner", "public"):
        check = next(c for c in report.with_policy(policy).verdict.checks if c.key == KEY)
        assert check.status == "pass", policy


def test_identifier_columns_of_an_imported_file_are_checked_but_never_exported(store):
    # Setup: identifiers detected as such; the imported file is the training rows themselves
    df = records_frame(200)
    info, _ = add_dataset(store, df, {"file_name": "records.csv"}, name="records",
                          source_name="records.csv", **ROLES)
    ds = load_dataset(store, info.id)
    ids = [c for c in ds.schema.identifiers if c in ("c_case_number", "email")]
    assert ids, ds.schema.identifiers
    # Run
    run = import_run(store, info.id, ds.train.to_csv(index=False).encode(), "copy.csv")
    report, _ = evaluate_run(store, run.id, config=FAST)
    # Assert
    assert not set(ds.schema.identifiers) & set(load_synthetic(store, run.id).columns)
    assert set(ids) <= set(load_synthetic(store, run.id, identifiers=True).columns)
    rows = {r.columns[0]: r for r in report.results if r.key == KEY and r.columns}
    for col in ids:
        assert rows[col].details["identifier"] is True
        assert rows[col].value > 0.9
    assert report.top(KEY).value > 0.9


def test_review_page_shows_a_columns_replay_beside_its_fidelity(leaking_run, db_file):
    # Setup: open the worst column on the Review page
    report = leaking_run["report"]
    worst = report.top(KEY).details["worst_column"]
    _open_store.clear()
    at = page("pages/11_Review.py")
    at.session_state[state.DATASET_ID] = leaking_run["dataset"]
    at.session_state[state.RUN_ID] = leaking_run["run"]
    at.session_state[state.review_idx_key(leaking_run["run"])] = list(
        report.schema.synth_columns).index(worst)
    # Run
    at.run()
    _open_store.clear()
    # Assert: the replay is named, with shapes only, never a real value
    assert not at.exception
    [shown] = [e.value for e in at.error if e.value.startswith("Rare-value replay: ")]
    assert "Shapes of replayed values: " in shown
    real = records_frame(600)
    assert not [v for v in real[worst].astype(str) if len(v) > 3 and v in shown]
