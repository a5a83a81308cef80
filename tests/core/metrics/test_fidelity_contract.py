"""Every fidelity metric keeps the metric contract on small and awkward tables."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import numpy as np
import pandas as pd
import pytest

import core.metrics.fidelity as fidelity_pkg
from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.metric import Metric
from core.metrics.registry import BUILTIN_PATHS, metrics_of
from core.metrics.value import ERROR, NOT_COMPUTED, OK
from core.schema import ColumnSpec, Schema

FIDELITY = metrics_of("fidelity")

MIXED = Schema(
    columns=(
        ColumnSpec("n", "numerical"),
        ColumnSpec("m", "numerical"),
        ColumnSpec("d", "datetime"),
        ColumnSpec("c", "categorical"),
        ColumnSpec("b", "boolean"),
    )
)
REAL = pd.DataFrame(
    {
        "n": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, np.nan],
        "m": [2.0, 1.0, 4.0, 3.0, 6.0, 5.0, 8.0, 7.0],
        "d": pd.to_datetime(
            [
                "2020-01-01",
                "2020-02-01",
                "2020-03-01",
                "2020-04-01",
                "2020-05-01",
                None,
                "2020-07-01",
                "2020-08-01",
            ]
        ),
        "c": ["alpha", "beta", "alpha", "beta", "alpha", "gamma", None, "alpha"],
        "b": ["True", "False", "True", "True", "False", "False", "True", "False"],
    }
)
SYNTH = pd.DataFrame(
    {
        "n": [1.5, 2.0, 9.0, 4.0, 5.0, 6.0, 7.0, 3.0],
        "m": [2.0, 2.0, 4.0, 3.0, 6.0, 5.0, 8.0, 1.0],
        "d": pd.to_datetime(
            [
                "2020-01-05",
                "2020-02-01",
                "2021-03-01",
                "2020-04-01",
                "2020-05-01",
                "2020-06-01",
                None,
                "2020-08-01",
            ]
        ),
        "c": ["alpha", "beta", "zeta", "beta", "alpha", "alpha", "alpha", "alpha"],
        "b": ["True", "True", "True", "True", "False", "False", "True", "False"],
    }
)

CASES = {
    "mixed": (REAL, REAL.iloc[2:6], SYNTH, MIXED),
    "no_holdout": (REAL, REAL.iloc[:0], SYNTH, MIXED),
    "one_row": (REAL.iloc[:1], REAL.iloc[:0], SYNTH.iloc[:1], MIXED),
    "empty_synthetic": (REAL, REAL.iloc[:2], SYNTH.iloc[:0], MIXED),
    "constant": (
        pd.DataFrame(
            {
                "n": [1.0] * 4,
                "m": [2.0] * 4,
                "d": pd.to_datetime(["2020-01-01"] * 4),
                "c": ["a"] * 4,
                "b": ["True"] * 4,
            }
        ),
        REAL.iloc[:0],
        pd.DataFrame(
            {
                "n": [1.0] * 4,
                "m": [2.0] * 4,
                "d": pd.to_datetime(["2020-01-01"] * 4),
                "c": ["a"] * 4,
                "b": ["True"] * 4,
            }
        ),
        MIXED,
    ),
    "only_categories": (
        REAL[["c", "b"]],
        REAL.iloc[:0][["c", "b"]],
        SYNTH[["c", "b"]],
        Schema(columns=(ColumnSpec("c", "categorical"), ColumnSpec("b", "boolean"))),
    ),
    "only_numbers": (
        REAL[["n"]],
        REAL.iloc[:3][["n"]],
        SYNTH[["n"]],
        Schema(columns=(ColumnSpec("n", "numerical"),)),
    ),
}


def make_ctx(case: str) -> EvalContext:
    real, holdout, synth, schema = CASES[case]
    return EvalContext(real, holdout, synth, schema, EvalConfig(kway_k=2, kway_combinations=5))


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("metric", FIDELITY, ids=[m.key for m in FIDELITY])
def test_scores_in_unit_interval_or_a_reason(metric: Metric, case: str) -> None:
    # Setup
    ctx = make_ctx(case)

    # Run
    rows = metric.run(ctx)

    # Assert
    assert rows[0].columns == () and rows[0].group is None
    assert rows[0].status != ERROR, rows[0].reason
    assert all(r.key == metric.key and r.family == "fidelity" for r in rows)
    for r in rows:
        if r.status == OK:
            assert r.value is not None and 0.0 <= r.score <= 1.0, r
            assert r.reason is None
            if r.baseline is not None:
                assert np.isfinite(r.baseline)
        else:
            assert r.status == NOT_COMPUTED and r.reason, r
            assert r.value is None
    json.dumps([r.to_dict() for r in rows], allow_nan=False)


@pytest.mark.parametrize("metric", FIDELITY, ids=[m.key for m in FIDELITY])
def test_deterministic_given_the_seed(metric: Metric) -> None:
    # Setup
    first, second = make_ctx("mixed"), make_ctx("mixed")

    # Run
    a = [r.to_dict() for r in metric.run(first)]
    b = [r.to_dict() for r in metric.run(second)]

    # Assert
    assert a == b


def test_rare_real_categories_never_named_in_details() -> None:
    # Setup: "gamma" occurs once in the real rows (below min_group_rows=5), is never produced.
    ctx = make_ctx("mixed")

    # Run
    rows = [r for m in FIDELITY for r in m.run(ctx)]

    # Assert
    text = json.dumps([r.details for r in rows])
    assert '"gamma"' not in text
    assert '"alpha"' not in text  # 4 real rows: also rare
    assert '"zeta"' in text  # a synthetic-only value may be named (invalid_values)


def test_every_fidelity_metric_is_registered() -> None:
    # Setup
    registered = {type(m) for m in FIDELITY}
    classes = set()
    for info in pkgutil.iter_modules(fidelity_pkg.__path__):
        module = importlib.import_module(f"{fidelity_pkg.__name__}.{info.name}")
        classes |= {
            c
            for _, c in inspect.getmembers(module, inspect.isclass)
            if issubclass(c, Metric) and c is not Metric and c.__module__ == module.__name__
        }

    # Run
    missing = sorted(f'"{c.__module__}.{c.__qualname__}",' for c in classes - registered)

    # Assert
    assert not missing, f"Add to BUILTIN_PATHS in core/metrics/registry.py: {missing}"
    in_folder = [p for p in BUILTIN_PATHS if p.startswith("core.metrics.fidelity.")]
    assert len({m.key for m in FIDELITY}) == len(FIDELITY) == len(in_folder)
    assert {"fidelity.pmse", "fidelity.alpha_precision", "fidelity.beta_recall"} <= {
        m.key for m in FIDELITY}


def test_pair_trends_reuses_correlation_and_contingency_values() -> None:
    # Setup
    ctx = make_ctx("mixed")
    by_key = {m.key: m for m in FIDELITY}

    # Run
    trends = {r.columns: r for r in by_key["fidelity.pair_trends"].run(ctx)}
    pearson = {r.columns: r for r in by_key["fidelity.correlation_pearson"].run(ctx)}
    contingency = {r.columns: r for r in by_key["fidelity.contingency_similarity"].run(ctx)}

    # Assert
    pairs = {k for k in trends if k}
    assert pairs == ({k for k in pearson if k} | {k for k in contingency if k})
    assert len(pairs) == 10
    for pair in pairs:
        source = pearson.get(pair) or contingency[pair]
        assert (trends[pair].value, trends[pair].baseline) == (source.value, source.baseline)


def test_detection_handles_dates_categories_and_missing_values() -> None:
    # Setup: 64 rows per side (enough to train), every column kind, missing values everywhere.
    real = pd.concat([REAL] * 8, ignore_index=True)
    synth = pd.concat([SYNTH] * 8, ignore_index=True)
    ctx = EvalContext(real, real.iloc[:0], synth, MIXED)

    # Run
    row = next(m for m in FIDELITY if m.key == "fidelity.detection").run(ctx)[0]

    # Assert
    assert row.status == OK, row.reason
    assert 0.0 <= row.value <= 1.0 and 0.0 <= row.score <= 1.0
    assert row.n == 128
    assert len(row.details["pca"]["real"]) == 64
    assert {f["column"] for f in row.details["top_features"]} <= set(MIXED.synth_columns)
