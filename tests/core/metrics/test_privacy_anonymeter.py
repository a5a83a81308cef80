"""The Anonymeter wrappers report exactly what Anonymeter's evaluators report on the same inputs."""

import warnings

import numpy as np
import pandas as pd
import pytest
from anonymeter.evaluators import InferenceEvaluator, LinkabilityEvaluator, SinglingOutEvaluator

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.privacy._calc.anonymeter import anonymeter_frames, max_attempts
from core.metrics.privacy.inference import InferenceRisk
from core.metrics.privacy.linkability import MSG_FEW_QI, LinkabilityRisk
from core.metrics.privacy.singling_out import SinglingOutMultivariate, SinglingOutUnivariate
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(
    columns=(ColumnSpec("a", "numerical"), ColumnSpec("b", "numerical"),
             ColumnSpec("c", "categorical"), ColumnSpec("d", "categorical")),
    target="c", protected=("d",), quasi_identifiers=("a", "b", "d"),
)
ATTACKS, SEED = 25, 3


def table(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "a": rng.integers(18, 80, n).astype(float),
        "b": rng.integers(0, 5, n).astype(float),
        "c": rng.choice(["x", "y", "z"], n).astype(object),
        "d": rng.choice(["p", "q"], n).astype(object),
    })
    df.loc[rng.random(n) < 0.1, "c"] = np.nan
    return df


@pytest.fixture(scope="module")
def ctx() -> EvalContext:
    real = table(80, 1)
    synthetic = pd.concat([real.iloc[:40], table(40, 3)], ignore_index=True)  # half copied
    config = EvalConfig(seed=SEED, anonymeter_attacks=ATTACKS, max_rows_anonymeter=70)
    return EvalContext(real, table(90, 2), synthetic, SCHEMA, config)


def direct(evaluator_factory):
    """Run an Anonymeter evaluator as its docs do, after seeding NumPy's global state."""
    np.random.seed(SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluator_factory().risk()


@pytest.mark.parametrize("metric", [SinglingOutUnivariate(), SinglingOutMultivariate()])
def test_singling_out_equals_anonymeter(ctx, metric):
    # Setup
    ori, syn, control = anonymeter_frames(ctx)

    # Run
    row = metric.run(ctx)[0]
    risk = direct(lambda: SinglingOutEvaluator(
        ori, syn, n_attacks=ATTACKS, control=control, seed=SEED,
        max_attempts=max_attempts(ATTACKS)).evaluate(mode=metric.mode))

    # Assert
    assert len(ori) == len(control) == 70 and len(syn) == 70
    assert row.status == "ok"
    assert (row.value, row.ci_low, row.ci_high) == pytest.approx((risk.value, *risk.ci))
    assert row.n == ATTACKS


def test_linkability_equals_anonymeter(ctx):
    # Setup
    ori, syn, control = anonymeter_frames(ctx)

    # Run
    row = LinkabilityRisk().run(ctx)[0]
    risk = direct(lambda: LinkabilityEvaluator(
        ori, syn, aux_cols=(["a", "b"], ["d"]), n_attacks=ATTACKS, control=control
    ).evaluate(n_jobs=-1))

    # Assert
    assert row.details["aux_cols"] == [["a", "b"], ["d"]]
    assert (row.value, row.ci_low, row.ci_high) == pytest.approx((risk.value, *risk.ci))


def test_inference_equals_anonymeter_per_secret_and_reports_the_worst(ctx):
    # Setup
    ori, syn, control = anonymeter_frames(ctx)

    # Run
    rows = InferenceRisk().run(ctx)
    risks = {
        secret: direct(lambda secret=secret: InferenceEvaluator(
            ori, syn, aux_cols=[c for c in "abcd" if c != secret], secret=secret,
            regression=False, n_attacks=ATTACKS, control=control).evaluate(n_jobs=-1))
        for secret in ("d", "c")
    }

    # Assert
    table_row, per_secret = rows[0], {r.columns[0]: r for r in rows[1:]}
    assert set(per_secret) == {"d", "c"}
    for secret, risk in risks.items():
        got = per_secret[secret]
        assert (got.value, got.ci_low, got.ci_high) == pytest.approx((risk.value, *risk.ci))
    assert table_row.columns == ()
    assert table_row.value == max(r.value for r in per_secret.values())


def test_missing_categories_reach_anonymeter_as_a_category(ctx):
    # Setup / Run
    ori, _, _ = anonymeter_frames(ctx)

    # Assert
    assert ori["c"].notna().all() and (ori["c"] == "(missing)").any()


def test_linkability_needs_two_quasi_identifiers():
    # Setup
    schema = Schema(columns=SCHEMA.columns, target="c", protected=("d",), quasi_identifiers=("d",))
    ctx = EvalContext(table(20, 1), table(20, 2), table(20, 3), schema, EvalConfig())

    # Run
    row = LinkabilityRisk().run(ctx)[0]

    # Assert
    assert row.status == "not_computed"
    assert row.reason == MSG_FEW_QI.format(n=1)


def test_anonymeter_failure_becomes_not_computed_with_its_reason():
    # Setup: three-attribute queries cannot be drawn from a two-column table
    schema = Schema(columns=(ColumnSpec("a", "numerical"), ColumnSpec("d", "categorical")))
    cols = ["a", "d"]
    ctx = EvalContext(table(20, 1)[cols], table(20, 2)[cols], table(20, 3)[cols], schema,
                      EvalConfig(anonymeter_attacks=5))

    # Run
    row = SinglingOutMultivariate().run(ctx)[0]

    # Assert
    assert row.status == "not_computed"
    assert row.reason.startswith("Anonymeter could not run this attack: ValueError")
