"""Every registered privacy metric gives scores in [0, 1] or says why not, deterministically."""

import json

import numpy as np
import pandas as pd
import pytest

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.registry import BUILTIN_PATHS, metrics_of
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(
    columns=(ColumnSpec("age", "numerical"), ColumnSpec("hours", "numerical"),
             ColumnSpec("sex", "categorical"), ColumnSpec("y", "categorical")),
    target="y", protected=("sex", "age"), quasi_identifiers=("age", "sex"),
)
CONFIG = EvalConfig(anonymeter_attacks=10, max_rows_anonymeter=30)
PRIVACY = metrics_of("privacy")


def table(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age": rng.integers(18, 70, n).astype(float),
        "hours": rng.integers(10, 60, n).astype(float),
        "sex": rng.choice(["F", "M"], n),
        "y": rng.choice(["no", "yes"], n),
    })


def check(rows) -> None:
    assert rows and rows[0].columns == () and rows[0].group is None
    for r in rows:
        if r.status == "ok":
            assert 0.0 <= r.score <= 1.0, r
        else:
            assert r.status in ("not_computed", "error") and r.reason, r
        json.dumps(r.to_dict())  # details are JSON-ready


def test_registry_has_the_privacy_family():
    # Setup / Run
    keys = [m.key for m in PRIVACY]

    # Assert: every built-in under core/metrics/privacy/, in registry order, and nothing else
    in_folder = [p for p in BUILTIN_PATHS if p.startswith("core.metrics.privacy.")]
    assert keys and len(keys) == len(in_folder)
    assert [type(m).__module__ + "." + type(m).__qualname__ for m in PRIVACY] == in_folder
    assert all(k.startswith("privacy.") for k in keys)


@pytest.mark.parametrize("metric", PRIVACY, ids=lambda m: m.key)
def test_scores_in_unit_interval_or_a_reason(metric):
    # Setup
    ctx = EvalContext(table(40, 1), table(30, 2), table(40, 3), SCHEMA, CONFIG)

    # Run
    rows = metric.run(ctx)

    # Assert: every metric scores, except the generator audit, which is a job of its own and
    # is filled in from a stored audit by the report views (tests/core/audit/)
    check(rows)
    if metric.key == "privacy.shadow_membership_inference":
        assert rows[0].status == "not_computed" and "python -m core audit RUN" in rows[0].reason
    else:
        assert rows[0].status == "ok", rows[0].reason


@pytest.mark.parametrize("metric", PRIVACY, ids=lambda m: m.key)
def test_tiny_tables_give_scores_or_reasons(metric):
    # Setup
    ctx = EvalContext(table(2, 1), table(2, 2), table(3, 3), SCHEMA, CONFIG)

    # Run
    rows = metric.run(ctx)

    # Assert
    check(rows)


@pytest.mark.parametrize("metric", [m for m in PRIVACY if m.needs_holdout], ids=lambda m: m.key)
def test_metrics_needing_holdout_say_so(metric):
    # Setup
    ctx = EvalContext(table(20, 1), table(0, 2), table(20, 3), SCHEMA, CONFIG)

    # Run
    rows = metric.run(ctx)

    # Assert
    assert [(r.status, r.reason) for r in rows] == [("not_computed", "there are no holdout rows")]


# Anonymeter's univariate singling out lists rare values with an unordered polars group_by: when
# it finds more candidate queries than attacks, which ones it keeps varies from run to run.
REPRODUCIBLE = [m for m in PRIVACY if m.key != "privacy.singling_out_univariate"]


@pytest.mark.parametrize("metric", REPRODUCIBLE, ids=lambda m: m.key)
def test_same_seed_same_rows(metric):
    # Setup
    make = lambda: EvalContext(table(40, 1), table(30, 2), table(40, 3), SCHEMA, CONFIG)  # noqa: E731

    # Run
    first, second = metric.run(make()), metric.run(make())

    # Assert
    assert [r.to_dict() for r in first] == [r.to_dict() for r in second]


def test_univariate_singling_out_is_reproducible_when_every_candidate_query_is_used():
    # Setup: 40 rows give far fewer rare-value queries than 500 attacks
    metric = next(m for m in PRIVACY if m.key == "privacy.singling_out_univariate")
    config = EvalConfig(anonymeter_attacks=500, max_rows_anonymeter=30)
    make = lambda: EvalContext(table(40, 1), table(30, 2), table(40, 3), SCHEMA, config)  # noqa: E731

    # Run
    first, second = metric.run(make()), metric.run(make())

    # Assert
    assert [r.to_dict() for r in first] == [r.to_dict() for r in second]
