"""The NumPy query search gives exactly Anonymeter's multivariate singling-out attack."""

import logging
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from anonymeter.evaluators import SinglingOutEvaluator
from anonymeter.evaluators import singling_out_evaluator as so

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.privacy import singling_out
from core.metrics.privacy._calc.singling_out_search import (
    SinglingOutMultivariateSearch,
    correction_model,
)
from core.metrics.privacy.singling_out import SinglingOutMultivariate
from core.schema import ColumnSpec, Schema


def untidy(n: int, seed: int) -> pd.DataFrame:
    """A table like a published one: names, blank ids, codes as integers, quotes, duplicates."""
    rng = np.random.default_rng(seed)
    names = np.array(["Ann O'Neil", 'Bo "Bear" Li', "Cy", "Dee", "Ed", "Flo", "Gus", "Hal"])
    df = pd.DataFrame({
        "name": rng.choice(names, n).astype(object),
        "person id": pd.array(np.where(rng.random(n) < 0.8, None,
                                       rng.integers(10_000, 99_999, n)), dtype="Int64"),
        "county code": rng.choice([1, 3, 5, 7, 9, 11], n),
        "outcome": rng.integers(0, 2, n).astype(bool),
        "income": np.round(rng.lognormal(10, 1, n), 2),
        "age": rng.integers(16, 95, n).astype(float),
        "visit date": rng.integers(1.5e9, 1.7e9, n) / 1.0,
        "note": [f"free text {i % 37}" for i in range(n)],
        "status": rng.choice(["A", "B", "N", "(missing)"], n).astype(object),
    })
    df.loc[rng.random(n) < 0.15, "income"] = np.nan
    df.loc[rng.random(n) < 0.1, "age"] = np.nan
    df.loc[rng.random(n) < 0.05, "name"] = None
    dupes = df.sample(n // 20, random_state=seed)  # repeated rows: unique sizes differ
    return pd.concat([df, dupes], ignore_index=True).iloc[:n]


def both(ori, syn, control, seed, attacks=40, max_attempts=4_000):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SinglingOutEvaluator(ori, syn, n_attacks=attacks, control=control, seed=seed,
                                   max_attempts=max_attempts).evaluate(mode="multivariate")
        ours = SinglingOutMultivariateSearch(ori, syn, n_attacks=attacks, control=control,
                                             seed=seed, max_attempts=max_attempts).evaluate()
    return ref, ours


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_same_queries_counts_and_risk_as_anonymeter_on_an_untidy_table(seed):
    # Setup: the synthetic table copies a third of the training rows
    ori, control = untidy(400, 10 + seed), untidy(380, 20 + seed)
    syn = pd.concat([ori.iloc[:130], untidy(270, 30 + seed)], ignore_index=True)
    assert SinglingOutMultivariateSearch.mirrors(ori, syn, control)

    # Run
    ref, ours = both(ori, syn, control, seed)

    # Assert: the baseline is left out (Anonymeter draws it from an unordered polars unique)
    assert [str(q) for q in ours.queries] == [str(q) for q in ref.queries()]
    r, o = ref.results(), ours.results()
    assert (o.n_attacks_ori, o.n_success, o.n_control) == (r.n_attacks_ori, r.n_success,
                                                           pytest.approx(r.n_control))
    assert o.n_success > 0
    ours_risk, ref_risk = o.risk(), r.risk()
    assert (ours_risk.value, *ours_risk.ci) == pytest.approx((ref_risk.value, *ref_risk.ci))


def test_same_when_the_attempts_run_out_and_it_says_so(caplog):
    # Setup: 40 attacks from at most 300 attempts on three columns with few distinct rows
    ori = untidy(300, 1)[["status", "county code", "outcome"]]
    syn, control = untidy(300, 2)[ori.columns], untidy(300, 3)[ori.columns]

    # Run
    with caplog.at_level(logging.WARNING, logger="anonymeter"):
        ref, _ = both(ori, syn, control, 5, max_attempts=300)
        ref_logs = [r.getMessage() for r in caplog.records]
        caplog.clear()
        _, ours = both(ori, syn, control, 5, max_attempts=300)
    ours_logs = [r.getMessage() for r in caplog.records]

    # Assert: each call ran both; the last two messages are ours
    assert [str(q) for q in ours.queries] == [str(q) for q in ref.queries()]
    assert ours_logs[-2:] == ref_logs[-2:]
    assert ours_logs[-2].startswith("Reached maximum number of attempts 300")
    assert "could generate only" in ours_logs[-1]


def test_the_size_correction_is_anonymeters_own_fit():
    # Setup
    control = pl.DataFrame(untidy(700, 4))
    queries = so.multivariate_singling_out_queries(
        control, n_queries=30, n_cols=3, max_attempts=3_000, rng=np.random.default_rng(0))

    # Run
    theirs = so.fit_correction_term(df=control, queries=queries)
    ours = correction_model(control.height, len(queries))

    # Assert
    for n in (650, 700, 1_000, 5_000):
        assert ours(n) == pytest.approx(theirs(n))


@pytest.mark.parametrize("change", ["datetime column", "categorical dtype", "types differ",
                                    "integers past 2**53"])
def test_tables_it_cannot_mirror_are_left_to_anonymeter(change):
    # Setup
    ori, syn, control = untidy(50, 1), untidy(50, 2), untidy(50, 3)
    if change == "datetime column":
        ori["when"] = syn["when"] = control["when"] = pd.Timestamp("2020-01-01")
    elif change == "categorical dtype":
        for df in (ori, syn, control):
            df["status"] = df["status"].astype("category")
    elif change == "types differ":
        syn["county code"] = syn["county code"].astype(float)
    else:
        ori["person id"] = pd.array([2**60] * 50, dtype="Int64")

    # Run / Assert
    assert not SinglingOutMultivariateSearch.mirrors(ori, syn, control)


def test_the_metric_runs_the_search_and_reports_anonymeters_risk(monkeypatch):
    # Setup: Anonymeter's evaluator is not called for the three-attribute attack
    real, holdout = untidy(300, 5), untidy(300, 6)
    synthetic = pd.concat([real.iloc[:100], untidy(200, 7)], ignore_index=True)
    numeric = {"person id", "county code", "income", "age", "visit date"}
    schema = Schema(columns=tuple(
        ColumnSpec(c, "numerical" if c in numeric else "boolean" if c == "outcome"
                   else "categorical") for c in real.columns))
    config = EvalConfig(seed=3, anonymeter_attacks=30, max_rows_anonymeter=250)
    ctx = EvalContext(real, holdout, synthetic, schema, config)
    from core.metrics.privacy._calc.anonymeter import anonymeter_frames, max_attempts

    ori, syn, control = anonymeter_frames(ctx)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SinglingOutEvaluator(ori, syn, n_attacks=30, control=control, seed=3,
                                   max_attempts=max_attempts(30)).evaluate("multivariate")

    def refuse(*args, **kwargs):
        raise AssertionError("Anonymeter's evaluator was called")

    monkeypatch.setattr(singling_out, "SinglingOutEvaluator", refuse)

    # Run
    row = SinglingOutMultivariate().run(ctx)[0]

    # Assert
    risk = ref.risk()
    assert row.status == "ok"
    assert (row.value, row.ci_low, row.ci_high) == pytest.approx((risk.value, *risk.ci))
    assert row.details["n_success"] == ref.results().n_success
