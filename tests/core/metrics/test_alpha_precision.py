"""α-precision, β-recall and authenticity: hand-computed answers, torch agreement, known answers.

Tolerance of the identical-copy answers: with ``n`` distinct distances, the share of a copy's
rows inside the real α-quantile (numpy's linear interpolation) is within 1/n of α at each of the
30 levels, so the integrated score is at least ``1 - 30 / (n * sum α) = 1 - 2 / n``; an identical
copy's authenticity is exactly 0 (a distance of 0 is never larger than a neighbour distance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.io import load_table
from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.fidelity._calc import faithfulness as faith
from core.metrics.fidelity._calc.alpha_precision import ALPHAS, integrated, sample_level_scores
from core.metrics.fidelity._calc.one_class import fit_one_class, initial_weights
from core.metrics.fidelity.alpha_precision import AlphaPrecision
from core.metrics.fidelity.beta_recall import BetaRecall
from core.metrics.privacy.authenticity import Authenticity
from core.metrics.value import NOT_COMPUTED, OK
from core.schema import ColumnSpec, Schema
from core.schema.detect import detect_schema
from tests.published import RECORDS_IDENTIFIERS, census_csv, records_csv

METRICS = (AlphaPrecision(), BetaRecall(), Authenticity())
SCHEMA = Schema((ColumnSpec("x", "numerical"), ColumnSpec("y", "numerical"),
                 ColumnSpec("g", "categorical")))


def table(n: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    """Two related numbers and a category that follows them."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n) + shift
    return pd.DataFrame({"x": x, "y": x + rng.normal(scale=0.5, size=n),
                         "g": np.where(x > shift, "hi", "lo")})


def top(metric, ctx):
    rows = metric.run(ctx)
    assert len(rows) == 1 and rows[0].columns == ()
    return rows[0]


def test_hand_computed_curves_and_authenticity_on_a_line():
    # Setup: identity embedding, centre 1.5. Real distances to the centre [1.5, .5, .5, 1.5]
    # give radii .5 (α <= 1/3), .5 + (3α - 1) (up to 2/3), 1.5; synthetic distances are
    # [1.4, .4, .6, 8.5]: .4 is always inside, .6 from α >= 11/29, 1.4 from α >= 19/29.
    real = np.array([[0.0], [1.0], [2.0], [3.0]])
    synth = np.array([[0.1], [1.1], [2.1], [10.0]])
    i = np.arange(30)
    precision = np.where(i >= 19, 0.75, np.where(i >= 11, 0.5, 0.25))
    # Every real row's nearest synthetic row (0.1, 1.1, 2.1, 2.1) is nearer than its nearest
    # real neighbour (1). Their distances to the synthetic mean 3.325 are [3.225, 2.225,
    # 1.225, 1.225]; 2.225 is inside the quantile radius from α >= 20/29, 3.225 only at α = 1.
    recall = np.where(i == 29, 1.0, np.where(i >= 20, 0.75, 0.5))
    # Run
    s = sample_level_scores(real, synth, np.array([1.5]))
    # Assert
    np.testing.assert_array_equal(s.precision_curve, precision)
    np.testing.assert_array_equal(s.recall_curve, recall)
    assert s.alpha_precision == pytest.approx(1 - np.abs(i / 29 - precision).sum() / 15)
    assert s.beta_recall == pytest.approx(1 - np.abs(i / 29 - recall).sum() / 15)
    # only the synthetic 10 is farther from its nearest real row (3, at 7) than 3 is from 2
    assert s.authenticity == 0.25


def test_integrated_score_is_one_on_the_diagonal_and_zero_for_all_or_nothing():
    assert integrated(ALPHAS) == pytest.approx(1.0)
    assert integrated(np.ones(30)) == pytest.approx(0.0)
    assert integrated(np.zeros(30)) == pytest.approx(0.0)


def test_one_class_training_agrees_with_torch_autograd_and_adamw():
    # Setup: the network synthcity builds, in torch, from the same initial weights
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).random((200, 7)).astype(np.float32)
    w0 = initial_weights(7, seed=3)
    layers = []
    for j, w in enumerate(w0):
        lin = torch.nn.Linear(*w.shape, bias=False)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w.T.copy()))
        layers += [lin] + ([torch.nn.ReLU()] if j < len(w0) - 1 else [])
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=2e-3)
    centre, rows = torch.full((7,), 10.0), torch.from_numpy(x)
    for _ in range(150):
        opt.zero_grad()
        loss = torch.sum((net(rows) - centre) ** 2, dim=1).mean() / 1e-2
        loss.backward()
        opt.step()
    # Run
    ours = fit_one_class(x, epochs=150, seed=3)
    # Assert
    with torch.no_grad():
        np.testing.assert_allclose(ours.transform(x), net(rows).numpy(), rtol=1e-4, atol=1e-4)
    assert ours.last_loss < ours.first_loss / 10


def test_the_embedding_is_deterministic_for_a_seed():
    x = np.random.default_rng(1).random((100, 5))
    a, b = fit_one_class(x, 50, seed=0), fit_one_class(x, 50, seed=0)
    np.testing.assert_array_equal(a.transform(x), b.transform(x))
    assert not np.array_equal(a.transform(x), fit_one_class(x, 50, seed=1).transform(x))


def test_identical_copy_is_precise_and_recalled_but_not_authentic():
    # Setup
    real = table(400, 0)
    ctx = EvalContext(real, table(300, 1), real.copy(), SCHEMA)
    # Run
    a, b, auth = (top(m, ctx) for m in METRICS)
    # Assert: see the module docstring for the 2/n tolerance
    assert a.status == b.status == auth.status == OK
    assert a.value >= 1 - 2 / 400 and b.value >= 1 - 2 / 400
    assert auth.value == 0.0
    assert a.n == b.n == auth.n == 800 and a.details["rows_per_side"] == 400
    # the holdout is a fresh sample: precise, half covered, half authentic
    assert a.baseline > 0.9 and 0.3 < b.baseline < 0.7 and 0.3 < auth.baseline < 0.7
    assert len(a.details["curve"]) == len(a.details["holdout_curve"]) == 30


def test_a_shifted_copy_is_less_precise_than_a_fresh_sample():
    # Setup: the same relationships, moved 2 standard deviations along x and y
    real = table(400, 0)
    shifted = table(400, 2, shift=2.0)
    shifted["y"] = shifted["y"] + 2.0
    fresh, shift = (EvalContext(real, table(300, 1), s, SCHEMA) for s in (table(400, 3), shifted))
    # Run
    a_fresh, a_shift = top(AlphaPrecision(), fresh), top(AlphaPrecision(), shift)
    b_fresh, b_shift = top(BetaRecall(), fresh), top(BetaRecall(), shift)
    # Assert
    assert a_fresh.value > 0.85 and a_shift.value < a_fresh.value - 0.3
    assert a_shift.value < a_shift.baseline - 0.3 and a_shift.score == a_shift.value
    assert b_shift.value < b_fresh.value


def test_the_three_metrics_share_one_embedding(monkeypatch):
    # Setup: count the trainings
    calls = []
    real_fit = faith.fit_one_class
    monkeypatch.setattr(faith, "fit_one_class",
                        lambda *a, **k: calls.append(1) or real_fit(*a, **k))
    ctx = EvalContext(table(200, 0), table(100, 1), table(200, 2), SCHEMA)
    # Run
    rows = [top(m, ctx) for m in METRICS]
    # Assert: one network for the three, and the same samples behind each
    assert len(calls) == 1
    assert len({r.details["embedding"]["last_loss"] for r in rows}) == 1


def test_rows_above_the_cap_are_sampled_and_the_sample_size_is_stated(monkeypatch):
    # Setup
    monkeypatch.setattr(faith, "ROWS_PER_SIDE", 150)
    monkeypatch.setattr(faith, "TRAIN_ROWS", 100)
    ctx = EvalContext(table(400, 0), table(120, 1), table(300, 2), SCHEMA)
    # Run
    row = top(AlphaPrecision(), ctx)
    # Assert
    assert row.n == 300 and row.details["rows_per_side"] == 150
    assert row.details["holdout_rows_per_side"] == 120
    assert row.details["embedding"]["training_rows"] == 100
    assert ("fidelity.alpha_precision", 150, 400, "training") in ctx.sampling
    assert ("fidelity.alpha_precision", 150, 300, "synthetic") in ctx.sampling


def test_too_few_rows_is_not_computed_with_the_reason():
    ctx = EvalContext(table(10, 0), table(5, 1), table(30, 2), SCHEMA)
    for m in METRICS:
        row = top(m, ctx)
        assert row.status == NOT_COMPUTED and row.value is None
        assert row.reason == faith.MSG_TOO_FEW.format(need=20, real=10, synthetic=30)


def _published_contexts():
    """The census-style and records-style tables as loaded, split, against a GaussianCopula copy."""
    from core.generators.registry import get_generator

    for data, name in ((census_csv(600), "census.csv"), (records_csv(600), "records.csv")):
        df, _ = load_table(data, name)
        schema = detect_schema(df)
        train, hold = df.iloc[:450].reset_index(drop=True), df.iloc[450:].reset_index(drop=True)
        synth = get_generator("gaussian_copula").fit_sample(train, schema, 450, seed=0).synthetic
        yield name, EvalContext(train, hold, synth, schema, EvalConfig())


def test_published_tables_with_blank_ids_sentinels_and_codes_are_scored():
    for name, ctx in _published_contexts():
        # Setup: 'N' markers read as missing numbers; names and mostly blank case numbers are
        # identifiers, left out
        if name == "census.csv":
            assert ctx.real["PINCP"].isna().any() and "SEX" in ctx.categorical
        else:
            assert not set(RECORDS_IDENTIFIERS) & set(ctx.columns) and "dob" in ctx.numerical
        for m in METRICS:
            # Run
            row = top(m, ctx)
            # Assert
            assert row.status == OK, (name, m.key, row.reason)
            assert 0.0 <= row.value <= 1.0 and 0.0 <= row.baseline <= 1.0
            assert row.n == 900
