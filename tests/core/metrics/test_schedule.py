"""Metrics run as tasks of shared inputs, side by side: the same report as one after another."""

from __future__ import annotations

import json
import threading
import time

import numpy as np
import pandas as pd
import pytest

from core.datasets import add_dataset, load_dataset
from core.errors import UserInputError
from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.metric import Metric
from core.metrics.registry import BUILTIN, REGISTRY
from core.metrics.schedule import (
    MSG_BAD_THREADS,
    PRIORITY,
    THREADS_ENV,
    eval_threads,
    plan,
    run_metrics,
    task_name,
)
from core.metrics.value import MetricValue
from core.report import evaluate
from core.runs import generate, load_synthetic
from core.schema.detect import detect_schema
from tests.published import RECORDS_IDENTIFIERS, records_frame

FAST = EvalConfig(anonymeter_attacks=60, max_rows_anonymeter=300, kway_combinations=10)


def _without_seconds(report) -> dict:
    d = json.loads(report.to_json())
    d.pop("seconds")
    return d


# Anonymeter 1.1.0's univariate singling-out attack picks its queries through an unordered polars
# group_by, so its risk varies between any two runs once there are more candidate queries than
# attacks (core/metrics/privacy/_calc/anonymeter.py); its row is compared without the values.
UNORDERED = "privacy.singling_out_univariate"
VALUES = ("value", "score", "ci_low", "ci_high", "details", "passed")


def _compare(a: dict, b: dict) -> None:
    assert [m["key"] for m in a["metrics"]] == [m["key"] for m in b["metrics"]]
    for x, y in zip(a["metrics"], b["metrics"], strict=True):
        if x["key"] == UNORDERED:
            x, y = ({k: v for k, v in m.items() if k not in VALUES} for m in (x, y))
        assert x == y, x["key"]
    checks = [[c for c in d["verdict"]["checks"] if c["key"] != UNORDERED] for d in (a, b)]
    assert checks[0] == checks[1]
    # the privacy family's score averages the univariate risk's score in
    assert {f: v for f, v in a["families"].items() if f != "privacy"} == {
        f: v for f, v in b["families"].items() if f != "privacy"}
    for field in ("warnings", "sizes", "config", "schema"):
        assert a[field] == b[field], field


def test_adult_report_is_the_same_in_one_thread_and_in_four(adult, monkeypatch):
    # Setup: a synthetic table that differs from the real one (numbers jittered, a column
    # shuffled), so every metric has something to measure
    df = adult.sample(1500, random_state=3).reset_index(drop=True)
    schema = detect_schema(df).with_roles("class", ["sex", "race", "age"],
                                          ["age", "sex", "race", "education"])
    real, holdout = df.iloc[:1100].reset_index(drop=True), df.iloc[1100:].reset_index(drop=True)
    rng = np.random.default_rng(0)
    synth = real.sample(frac=1.0, random_state=1).reset_index(drop=True)
    synth["age"] = synth["age"] + rng.integers(-3, 4, len(synth))
    synth["occupation"] = rng.permutation(synth["occupation"].to_numpy())

    # Run
    monkeypatch.setenv(THREADS_ENV, "1")
    one = evaluate(real, holdout, synth, schema, FAST)
    monkeypatch.setenv(THREADS_ENV, "4")
    four = evaluate(real, holdout, synth, schema, FAST)

    # Assert: every value, warning (sampling notes included) and the verdict are the same
    _compare(_without_seconds(one), _without_seconds(four))
    assert one.top("privacy.inference").status == "ok"
    assert one.top("fairness.demographic_parity").status == "ok"
    notes = [w for w in one.warnings if "was computed on samples" in w]
    # each named as the pages name the metric, with its key
    from core.metrics.registry import REGISTRY

    labels = [f"{m.name} ({m.key}) was computed on samples (" for m in REGISTRY.values()]
    assert notes and all(any(w.startswith(lab) for lab in labels) for w in notes), notes


def test_published_records_table_with_a_real_fit_is_the_same_in_one_thread_and_in_two(
        store, monkeypatch):
    # Setup: names under plain headers, blank case numbers, a 0/1 outcome; a real SDV fit
    df = records_frame(400)
    schema = detect_schema(df)
    for col in RECORDS_IDENTIFIERS:
        schema = schema.with_sdtype(col, "categorical")
    info, _ = add_dataset(store, df, {"file_name": "records.csv"}, name="records",
                          source_name="records.csv", schema=schema, target="two_year_recid",
                          protected=["sex", "race"], quasi_identifiers=["sex", "race", "age"])
    run = generate(store, info.id, "gaussian_copula", n_rows=250, seed=0)
    ds = load_dataset(store, info.id)
    synth = load_synthetic(store, run.id, identifiers=True)

    # Run
    monkeypatch.setenv(THREADS_ENV, "1")
    one = evaluate(ds.train, ds.holdout, synth, ds.schema, FAST)
    monkeypatch.setenv(THREADS_ENV, "2")
    two = evaluate(ds.train, ds.holdout, synth, ds.schema, FAST)

    # Assert
    _compare(_without_seconds(one), _without_seconds(two))
    assert one.top("privacy.rare_value_replay").status == "ok"


def test_tasks_group_metrics_by_shared_inputs_heaviest_first():
    # Setup / Run
    tasks = plan(BUILTIN)
    by_name = {t.name: [m.key for m in t.metrics] for t in tasks}

    # Assert: every metric once; the attacks that seed NumPy's global state together, singling
    # out (its own generator) apart; the fairness figures on the fitted models after the
    # utility metrics that fit them
    assert sorted(k for t in tasks for k in (m.key for m in t.metrics)) == sorted(REGISTRY)
    assert by_name["anonymeter"] == ["privacy.linkability", "privacy.inference"]
    assert by_name["singling_out"] == [
        "privacy.singling_out_univariate", "privacy.singling_out_multivariate"]
    assert by_name["utility"][-2:] == ["fairness.demographic_parity", "fairness.equalized_odds"]
    assert by_name["utility"][0] == "utility.accuracy"
    assert by_name["detection"] == ["fidelity.detection"]
    # authenticity shares α-precision's embedding and samples: after it, in its task
    assert by_name["fidelity"].index("privacy.authenticity") > by_name["fidelity"].index(
        "fidelity.alpha_precision")
    assert [t.name for t in tasks] == list(PRIORITY)


class _Fixed(Metric):
    key = "fidelity.test_fixed"
    name = "test"
    description = "test"

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        return [self.value(0.5)]


class _OtherFamily(_Fixed):
    key = "privacy.test_fixed"


def test_a_metric_without_shared_inputs_runs_in_its_family_task_and_new_names_run_last():
    # Setup
    class Own(_Fixed):
        key = "fidelity.test_own"
        shared_inputs = "something_new"

    metrics = [Own(), _Fixed(), _OtherFamily()]

    # Run
    tasks = plan(metrics)

    # Assert
    assert task_name(_Fixed()) == "fidelity"
    assert [t.name for t in tasks] == ["fidelity", "privacy", "something_new"]  # PRIORITY


def _ctx() -> EvalContext:
    from core.schema import ColumnSpec, Schema

    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0]})
    return EvalContext(df, df, df, Schema(columns=(ColumnSpec("a", "numerical"),)))


def test_cached_computes_once_when_threads_ask_at_the_same_time():
    # Setup
    ctx = _ctx()
    calls: list[int] = []
    start = threading.Barrier(4)

    def compute() -> int:
        calls.append(1)
        time.sleep(0.05)
        return 7

    got: list[int] = []

    def ask() -> None:
        start.wait()
        got.append(ctx.cached("x", compute))

    # Run
    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # Assert
    assert got == [7, 7, 7, 7] and len(calls) == 1


def test_each_thread_logs_its_samples_under_its_own_metric():
    # Setup
    ctx = _ctx()
    big = pd.DataFrame({"a": np.arange(50.0)})
    seen = {}

    def work(key: str) -> None:
        ctx.current_key = key
        time.sleep(0.01)
        ctx.sample(big, 10, table="training")
        seen[key] = ctx.current_key

    # Run
    threads = [threading.Thread(target=work, args=(k,)) for k in ("m.one", "m.two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    # Assert
    assert seen == {"m.one": "m.one", "m.two": "m.two"}
    assert sorted(ctx.sampling) == [("m.one", 10, 50, "training"), ("m.two", 10, 50, "training")]


def test_a_progress_callback_that_raises_stops_the_evaluation():
    # Setup: the job was cancelled; tasks not started yet are dropped
    class Cancelled(Exception):
        pass

    def stop(done: int, total: int, name: str) -> None:
        raise Cancelled(name)

    # Run / Assert
    with pytest.raises(Cancelled):
        run_metrics(_ctx(), [_Fixed(), _OtherFamily()], threads=2, on_task_done=stop)


def test_threads_setting():
    # Setup: a context whose tables are larger than max_rows
    big = pd.DataFrame({"a": np.arange(20.0)})
    from core.schema import ColumnSpec, Schema

    schema = Schema(columns=(ColumnSpec("a", "numerical"),))
    large = EvalContext(big, big, big, schema, EvalConfig(max_rows=10))

    # Run / Assert
    assert eval_threads({THREADS_ENV: "3"}) == 3
    assert 1 <= eval_threads({}) <= 4
    # at most two once metrics sample (memory), never more than the cores
    assert eval_threads({}, large) == min(2, eval_threads({}))
    assert eval_threads({THREADS_ENV: "2"}, large) == 2  # unless asked for
    with pytest.raises(UserInputError) as err:
        eval_threads({THREADS_ENV: "zero"})
    assert err.value.message == MSG_BAD_THREADS.format(value="zero")
