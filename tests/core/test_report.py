"""evaluate() end to end: known answers, bad inputs as messages, storage that reloads the same."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from core.metrics.config import EvalConfig
from core.report import MSG_MISSING_COLUMNS, MSG_TOO_FEW, WARN_ALL_NULL, Report, evaluate
from core.schema import detect_schema

FAST = EvalConfig(anonymeter_attacks=100, max_rows_anonymeter=600, kway_combinations=10)


@pytest.fixture(scope="module")
def split(adult):
    df = adult.sample(1500, random_state=3).reset_index(drop=True)
    schema = detect_schema(df).with_roles(
        "class", ["sex", "race"], ["age", "sex", "race", "education"])
    return df.iloc[:1200].reset_index(drop=True), df.iloc[1200:].reset_index(drop=True), schema


def _top(report: Report, key: str):
    return report.top(key)


def test_identical_copy_scores_full_fidelity_and_fails_privacy(split):
    # Setup
    train, hold, schema = split
    # Run
    rep = evaluate(train, hold, train.copy(), schema, FAST)
    # Assert
    assert _top(rep, "fidelity.column_shapes").value == pytest.approx(1.0)
    assert _top(rep, "fidelity.pair_trends").value == pytest.approx(1.0)
    assert _top(rep, "privacy.exact_copies").value == pytest.approx(1.0)
    assert rep.families["fidelity"] > 95
    assert rep.verdict.outcome == "fail"
    failed = {c.key for c in rep.verdict.checks if c.status == "fail"}
    assert {"privacy.exact_copies", "privacy.dcr_closer_to_training"} <= failed
    assert not any(c.family == "fidelity" and c.status == "fail" and c.key != "fidelity.detection"
                   for c in rep.verdict.checks)


def test_independent_shuffle_keeps_shapes_and_loses_pair_trends(split):
    train, hold, schema = split
    rng = np.random.default_rng(0)
    shuffled = pd.DataFrame({c: rng.permutation(train[c].to_numpy()) for c in train.columns})
    rep = evaluate(train, hold, shuffled, schema, FAST)
    copy = evaluate(train, hold, train.copy(), schema, FAST)
    assert _top(rep, "fidelity.column_shapes").value == pytest.approx(1.0)
    assert _top(rep, "fidelity.pair_trends").value < _top(copy, "fidelity.pair_trends").value - 0.05


def test_flipped_outcome_for_one_group_shows_disparity_attenuation(split):
    # A flip hides the real disparity (women's gap -0.2 becomes a reversed one): it is reported
    # as attenuation, not as amplification, which counts only gaps that keep their sign and grow.
    train, hold, schema = split
    flipped = train.copy()
    women = flipped["sex"] == "Female"
    flipped.loc[women, "class"] = np.where(flipped.loc[women, "class"] == ">50K", "<=50K", ">50K")
    rep = evaluate(train, hold, flipped, schema, FAST)
    copy = evaluate(train, hold, train.copy(), schema, FAST)
    att = _top(rep, "fairness.disparity_attenuation")
    assert att.value > 0.3 > _top(copy, "fairness.disparity_attenuation").value
    sex = [r for r in rep.results if r.group == "sex=Female" and r.columns == ("sex",)
           and r.key in ("fairness.disparity_attenuation", "fairness.bias_amplification")]
    by_key = {r.key: r for r in sex}
    assert by_key["fairness.disparity_attenuation"].value > 0.3
    assert by_key["fairness.disparity_attenuation"].details["direction"] == "flipped"
    assert by_key["fairness.bias_amplification"].value == 0.0


def test_bad_inputs_reach_the_evaluator_as_messages(split):
    train, hold, schema = split
    # a synthetic table missing a column
    with pytest.raises(UserInputError) as err:
        evaluate(train, hold, train.drop(columns=["sex"]), schema, FAST)
    assert err.value.message == MSG_MISSING_COLUMNS.format(cols="'sex'")
    # a holdout of two rows
    with pytest.raises(UserInputError) as err:
        evaluate(train, hold.head(2), train, schema, FAST)
    assert err.value.message == MSG_TOO_FEW.format(
        which="holdout", n=2, s="s", need=5,
        fix="Add the dataset again with a larger holdout share.")
    # a target with one class: utility is not computed, with the reason
    one_class = train.assign(**{"class": "<=50K"})
    rep = evaluate(train, hold, one_class, schema, FAST)
    acc = _top(rep, "utility.accuracy")
    assert acc.status == "not_computed" and "only one value of 'class'" in acc.reason
    assert next(c for c in rep.verdict.checks if c.key == "utility.accuracy").passed is None
    # a protected attribute with a single group
    single = schema.with_roles("class", ["workclass"], [])
    only = train.assign(workclass="Private")
    rep = evaluate(only, hold.assign(workclass="Private"), only, single, FAST)
    rows = [r for r in rep.results if r.family == "fairness" and r.columns == ()
            and r.group is None]
    assert rows and all(r.status == "not_computed" and r.reason for r in rows)
    # an all-null column: a warning, and the rest still computes
    nulls = train.assign(fnlwgt=np.nan)
    rep = evaluate(nulls, hold.assign(fnlwgt=np.nan), nulls, schema, FAST)
    assert WARN_ALL_NULL.format(col="fnlwgt") in rep.warnings
    assert _top(rep, "fidelity.column_shapes").status == "ok"


def test_report_json_has_the_documented_top_level_keys(split):
    train, hold, schema = split
    d = evaluate(train, hold, train.sample(frac=1, random_state=1), schema, FAST).to_dict()
    assert {"verdict", "policy", "families", "metrics"} <= set(d)
    assert set(d["families"]) == {"fidelity", "utility", "privacy", "fairness"}
    assert all("score" in v for v in d["families"].values())
    for m in d["metrics"]:
        assert {"key", "family", "columns", "value", "threshold", "passed", "status"} <= set(m)


def test_each_sampling_note_names_the_table_its_rows_came_from(split):
    # Setup: training and synthetic both 1,200 rows, so "500 of 1,200 rows" alone would not say
    # which table a metric sampled
    import re
    from dataclasses import replace

    train, hold, schema = split
    config = replace(FAST, max_rows_detection=500)

    # Run
    rep = evaluate(train, hold, train.sample(frac=1.0, random_state=2).reset_index(drop=True),
                   schema, config)

    # Assert: every part of every note names its table; detection's names both of its tables
    notes = [w for w in rep.warnings if "was computed on samples" in w]
    parts = [p for w in notes for p in re.findall(r"[\d,]+ of [\d,]+ [a-z]+ rows", w)]
    assert notes and len(parts) >= len(notes), notes
    assert {p.split()[3] for p in parts} <= {"training", "holdout", "synthetic"}, parts
    detection = next(w for w in notes if "(fidelity.detection)" in w)
    assert "500 of 1,200 training rows" in detection and "500 of 1,200 synthetic rows" in detection
    # Anonymeter's samples (drawn once, by the first of its metrics): training and synthetic
    anonymeter = next(w for w in notes if "(privacy.singling_out_univariate)" in w)
    assert "300 of 1,200 training rows" in anonymeter, anonymeter
    assert "600 of 1,200 synthetic rows" in anonymeter, anonymeter
