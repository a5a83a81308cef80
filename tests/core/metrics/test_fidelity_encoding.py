"""The shared integer codes behind contingency, k-way and detection metrics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.encoding import codes, joint_counts, tv_similarity
from core.schema import ColumnSpec, Schema


def test_numbers_use_real_quantile_bins_and_missing_gets_its_own_code() -> None:
    # Setup
    schema = Schema(columns=(ColumnSpec("age", "numerical"), ColumnSpec("g", "categorical")))
    real = pd.DataFrame({"age": [20.0, 30.0, 40.0, 50.0], "g": ["a", "b", None, "a"]})
    synth = pd.DataFrame({"age": [90.0, np.nan, 10.0, 35.0], "g": ["c", "a", "b", None]})
    ctx = EvalContext(real, real.iloc[:0], synth, schema, EvalConfig(bins=2))

    # Run
    enc = codes(ctx)

    # Assert
    assert enc.real[:, 0].tolist() == [0, 0, 1, 1]
    assert enc.synthetic[:, 0].tolist() == [1, 2, 0, 1]  # 90 top-coded, NaN -> 2, 35 -> bin 1
    assert enc.cardinality[0] == 3
    g_real, g_synth = enc.real[:, 1], enc.synthetic[:, 1]
    assert g_real[0] == g_real[3] == g_synth[1]  # "a" has one code in every table
    assert g_real[2] == g_synth[3]  # missing is a category of its own
    assert len(set(g_real) | set(g_synth)) == enc.cardinality[1] == 4


def test_sparse_and_huge_joint_codes_give_the_dense_answer() -> None:
    # Setup
    a = np.array([[0, 1], [1, 1], [2, 0], [0, 1]])
    b = np.array([[0, 1], [2, 0], [2, 0], [1, 0]])
    dense = np.array([3, 2])

    # Run
    expected = tv_similarity(a, b, dense)
    sparse = tv_similarity(a, b, np.array([100_000, 100_000]))
    huge = tv_similarity(a, b, np.array([2**40, 2**40]))
    ca, cb = joint_counts(a, b, dense)

    # Assert
    # real cells: (0,1) x2, (1,1), (2,0); synthetic: (0,1), (2,0) x2, (1,0)
    assert expected == pytest.approx(1 - 0.5 * (0.25 + 0.25 + 0.25 + 0.25))
    assert sparse == pytest.approx(expected) and huge == pytest.approx(expected)
    assert ca.sum() == 4 and cb.sum() == 4
