"""k-anonymity and l-diversity: known answers, a direct pandas groupby, missing values, sampling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext
from core.metrics.privacy._calc.equivalence import (
    MSG_NO_QI,
    MSG_NO_SECRETS,
    MSG_SECRET_ONLY_QI,
)
from core.metrics.privacy.k_anonymity import KAnonymity
from core.metrics.privacy.l_diversity import LDiversity
from core.schema import ColumnSpec, Schema

COLUMNS = (ColumnSpec("age", "numerical"), ColumnSpec("sex", "categorical"),
           ColumnSpec("edu", "categorical"), ColumnSpec("y", "categorical"))
SCHEMA = Schema(COLUMNS, target="y", protected=("sex", "age"),
                quasi_identifiers=("age", "sex", "edu"))


def frame(n: int, seed: int, ages: int = 8) -> pd.DataFrame:
    """Ages 30..30+ages, sex, education with missing values, an outcome with missing values."""
    rng = np.random.default_rng(seed)
    edu = rng.choice(["hs", "ba", "ms", None], n, p=[0.4, 0.3, 0.2, 0.1])
    y = rng.choice(["no", "yes", None], n, p=[0.6, 0.35, 0.05])
    return pd.DataFrame({"age": rng.integers(30, 30 + ages, n).astype(float),
                         "sex": rng.choice(["F", "M"], n), "edu": edu, "y": y})


def run(metric, real, synthetic, schema=SCHEMA, holdout=None, **config):
    holdout = real.iloc[:0] if holdout is None else holdout
    ctx = EvalContext(real, holdout, synthetic, schema, EvalConfig(**config))
    return metric.run(ctx), ctx


# --- the oracle: a direct pandas groupby on the context's frames -------------------------------
def groupby_sizes(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    return df.groupby(cols, dropna=False).size()


def share_below(df: pd.DataFrame, cols: list[str], t: int) -> float:
    sizes = groupby_sizes(df, cols)
    return float(sizes[sizes < t].sum() / len(df))


def binned(real: pd.Series, other: pd.Series, bins: int = 10) -> tuple[pd.Series, pd.Series]:
    """Equal-width bins over ``real``'s range, outer edges open (as SDMetrics cuts numbers)."""
    _, edges = pd.cut(real, bins, retbins=True)
    edges[0], edges[-1] = -np.inf, np.inf
    return pd.cut(real, edges).astype(str), pd.cut(other, edges).astype(str)


def groupby_l(df: pd.DataFrame, known: list[str], secret: pd.Series) -> int:
    return int(df[known].assign(_s=secret.to_numpy()).groupby(known, dropna=False)["_s"]
               .nunique(dropna=False).min())


# --- k-anonymity --------------------------------------------------------------------------------
def test_every_quasi_identifier_combination_unique_gives_k_1():
    # Setup: 20 rows, each with its own age
    real = pd.DataFrame({"age": np.arange(20.0), "sex": ["F"] * 20, "edu": ["hs"] * 20,
                         "y": ["no"] * 20})
    # Run
    (top,), _ = run(KAnonymity(), real, real.copy())
    # Assert
    assert (top.status, top.value, top.baseline) == ("ok", 1.0, 1.0)
    assert top.score == 1.0  # as anonymous as the training rows
    assert top.details["synthetic"]["classes"] == 20
    assert top.details["synthetic"]["share_below"] == {"2": 1.0, "5": 1.0, "10": 1.0}


def test_known_class_sizes_give_k_and_the_shares_below_common_k():
    # Setup: synthetic classes (30, F, hs) x3 and (31, M, ba) x2; training all unique
    syn = pd.DataFrame({"age": [30.0, 30, 30, 31, 31], "sex": ["F", "F", "F", "M", "M"],
                        "edu": ["hs", "hs", "hs", "ba", "ba"], "y": ["no"] * 5})
    real = pd.DataFrame({"age": [30.0, 31, 32], "sex": ["F", "M", "F"], "edu": ["hs"] * 3,
                         "y": ["no"] * 3})
    # Run
    (top,), _ = run(KAnonymity(), real, syn)
    # Assert
    assert (top.value, top.baseline, top.n) == (2.0, 1.0, 5)
    assert top.score == 1.0  # more anonymous than the training rows: capped at 1
    assert top.details["synthetic"]["share_below"] == {"2": 0.0, "5": 1.0, "10": 1.0}
    assert top.details["numeric_distinct_values"] == {"age": 3}
    assert top.details["sampled"] is False


def test_missing_values_form_their_own_class():
    # Setup: two rows with a missing education, two with "ba" (pandas' default groupby drops NaN)
    syn = pd.DataFrame({"age": [40.0] * 4, "sex": ["F"] * 4, "edu": [None, None, "ba", "ba"],
                        "y": ["no"] * 4})
    # Run
    (top,), _ = run(KAnonymity(), syn, syn)
    # Assert
    assert top.value == 2.0
    assert top.details["synthetic"]["classes"] == 2


def test_k_agrees_with_a_direct_groupby():
    # Setup
    qis = ["age", "sex", "edu"]
    # Run
    (top,), ctx = run(KAnonymity(), frame(300, 1), frame(300, 2))
    # Assert
    assert top.value == groupby_sizes(ctx.synthetic, qis).min()
    assert top.baseline == groupby_sizes(ctx.real, qis).min()
    for side, df in (("synthetic", ctx.synthetic), ("real", ctx.real)):
        assert top.details[side]["classes"] == len(groupby_sizes(df, qis))
        for t in (2, 5, 10):
            assert top.details[side]["share_below"][str(t)] == pytest.approx(
                share_below(df, qis, t)), (side, t)


def test_k_scores_relative_to_the_training_rows():
    # Setup: training classes of 4 rows each; synthetic classes of 2 and 4 rows
    real = pd.DataFrame({"age": [30.0] * 4 + [31.0] * 4, "sex": ["F"] * 8, "edu": ["hs"] * 8,
                         "y": ["no"] * 8})
    syn = real.iloc[2:].reset_index(drop=True)
    # Run
    (top,), _ = run(KAnonymity(), real, syn)
    # Assert
    assert (top.value, top.baseline, top.score) == (2.0, 4.0, 0.5)
    assert top.details["score_basis"] == "synthetic k / training k, capped at 1"


def test_k_samples_above_max_rows_and_says_so():
    # Run
    (top,), ctx = run(KAnonymity(), frame(300, 1), frame(300, 2), max_rows=100)
    # Assert
    assert top.n == 100 and top.details["rows"] == {"real": 100, "synthetic": 100}
    assert top.details["sampled"] is True and top.details["max_rows"] == 100
    assert ("privacy.k_anonymity", 100, 300, "training") in ctx.sampling


def test_without_quasi_identifiers_k_and_l_are_not_computed():
    # Setup
    schema = Schema(COLUMNS, target="y", protected=("sex",))
    # Run / Assert
    for metric in (KAnonymity(), LDiversity()):
        (top,), _ = run(metric, frame(50, 1), frame(50, 2), schema)
        assert (top.status, top.reason) == ("not_computed", MSG_NO_QI)


# --- l-diversity --------------------------------------------------------------------------------
def test_l_agrees_with_a_direct_groupby_for_each_secret():
    # Setup: secrets sex (also a quasi-identifier), age (numerical: binned, also a QI), y
    real, syn = frame(400, 3), frame(400, 4)
    # Run
    rows, ctx = run(LDiversity(), real, syn)
    top, per = rows[0], {r.columns[0]: r for r in rows[1:]}
    # Assert
    assert list(per) == ["sex", "age", "y"]
    for secret, row in per.items():
        known = [q for q in ("age", "sex", "edu") if q != secret]
        real_s, syn_s = ctx.real[secret], ctx.synthetic[secret]
        if secret == "age":
            real_s, syn_s = binned(ctx.real["age"], ctx.synthetic["age"])
        assert row.value == groupby_l(ctx.synthetic, known, syn_s), secret
        assert row.baseline == groupby_l(ctx.real, known, real_s), secret
        assert row.details["quasi_identifiers"] == known
    assert per["age"].details["secret_binned"] is True
    for row in per.values():
        assert row.score == pytest.approx(min(row.value / row.baseline, 1.0))
    worst = min(per, key=lambda s: (per[s].score, per[s].value))
    assert top.details["worst_secret"] == worst
    assert (top.value, top.baseline, top.score) == (per[worst].value, per[worst].baseline,
                                                    per[worst].score)


def test_a_column_of_one_value_gives_l_1():
    # Setup: coarse classes (sex x edu), every one holding both outcomes in the training rows
    schema = Schema(COLUMNS, target="y", quasi_identifiers=("sex", "edu"))
    real = frame(400, 5)
    syn = real.assign(y="no")
    # Run
    rows, ctx = run(LDiversity(), real, syn, schema)
    # Assert
    (y,) = rows[1:]
    assert y.value == 1.0
    assert y.baseline == groupby_l(ctx.real, ["sex", "edu"], ctx.real["y"])
    assert y.baseline >= 2  # every training class holds both outcomes
    assert y.score == pytest.approx(1 / y.baseline)  # less diverse than the training rows
    assert y.details["synthetic"]["share_below"]["2"] == 1.0
    assert y.details["synthetic"]["homogeneous_share_of_shared_classes"] == 1.0
    assert rows[0].value == 1.0 and rows[0].details["worst_secret"] == "y"


def test_missing_secret_values_count_as_a_value():
    # Setup: one class whose outcomes are "no" and missing: two distinct values
    syn = pd.DataFrame({"age": [40.0] * 4, "sex": ["F"] * 4, "edu": ["ba"] * 4,
                        "y": ["no", None, "no", None]})
    schema = Schema(COLUMNS, target="y", quasi_identifiers=("sex", "edu"))
    # Run
    rows, _ = run(LDiversity(), syn, syn, schema)
    # Assert
    assert rows[1].value == 2.0


def test_a_secret_that_is_the_only_quasi_identifier_says_why():
    # Setup
    schema = Schema(COLUMNS, protected=("sex",), quasi_identifiers=("sex",))
    # Run
    rows, _ = run(LDiversity(), frame(50, 1), frame(50, 2), schema)
    # Assert
    top, sex = rows
    assert sex.columns == ("sex",) and sex.status == "not_computed"
    assert sex.reason == MSG_SECRET_ONLY_QI.format(secret="sex")
    assert top.status == "not_computed"


def test_without_secrets_l_is_not_computed():
    # Setup
    schema = Schema(COLUMNS, quasi_identifiers=("age", "sex"))
    # Run
    (top,), _ = run(LDiversity(), frame(50, 1), frame(50, 2), schema)
    # Assert
    assert (top.status, top.reason) == ("not_computed", MSG_NO_SECRETS)
