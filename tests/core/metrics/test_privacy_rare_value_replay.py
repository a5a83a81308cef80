"""Rare-value replay: known answers on tiny frames, the noise floor, k, and masked examples."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from core.metrics.config import EvalConfig
from core.metrics.context import EvalContext, as_text
from core.metrics.privacy.rare_value_replay import (
    MSG_NO_COLUMNS,
    RareValueReplay,
    replay_of,
    shape_of,
)
from core.schema import ColumnSpec, Schema

KEY = "privacy.rare_value_replay"
# Training: case numbers unique to one person each (c1..c8), surnames shared except "Okonkwo".
TRAIN = pd.DataFrame({
    "case": [f"C{i:03d}X" for i in range(1, 9)],
    "surname": ["Smith", "Smith", "Jones", "Jones", "Okonkwo", "Brown", "Brown", "Smith"],
    "age": [30.0, 41, 52, 23, 34, 45, 56, 67],
})
HOLDOUT = pd.DataFrame({
    "case": ["C100X", "C101X", "C008X", "C102X"],  # C008X: a real twin, shared with holdout
    "surname": ["Smith", "Jones", "Brown", "Nakamura"],
    "age": [31.0, 42, 53, 24],
})
SCHEMA = Schema(columns=(ColumnSpec("case", "categorical"), ColumnSpec("surname", "categorical"),
                         ColumnSpec("age", "numerical")))


def _run(synthetic: pd.DataFrame, schema: Schema = SCHEMA, k: int = 1, train=TRAIN,
         holdout=HOLDOUT):
    ctx = EvalContext(train, holdout, synthetic, schema, EvalConfig(rare_value_k=k))
    rows = RareValueReplay().run(ctx)
    return rows[0], {r.columns[0]: r for r in rows[1:]}


def test_identical_copy_replays_every_rare_training_row():
    # Run
    top, cols = _run(TRAIN.copy())
    # Assert: 7 of 8 case numbers are rare (C008X is also in the holdout); one rare surname
    assert cols["case"].value == pytest.approx(7 / 8)
    assert cols["surname"].value == pytest.approx(1 / 8)
    assert top.value == pytest.approx(7 / 8)
    assert top.details["worst_column"] == "case"
    assert cols["case"].details["rare_values_replayed"] == 7
    assert cols["case"].details["synthetic_rows"] == 7
    assert cols["case"].details["rare_training_values"] == 7
    assert top.score == pytest.approx(1 / 8)


def test_synthetic_drawn_from_holdout_values_replays_nothing():
    # Setup: values only the holdout has, or that holdout and training share
    syn = pd.DataFrame({"case": ["C100X", "C101X", "C008X", "C102X"] * 3,
                        "surname": ["Smith", "Jones", "Brown", "Nakamura"] * 3,
                        "age": [30.0] * 12})
    # Run
    top, cols = _run(syn)
    # Assert
    assert top.value == 0.0
    assert cols["case"].details["synthetic_rows"] == 0
    assert cols["surname"].details["examples"] == []


def test_k_two_counts_values_held_by_two_training_rows():
    # Setup: "Jones" occurs twice in training and once in the holdout; "Brown" twice in training
    # and once in the holdout; with a holdout without them, both become rare at k=2.
    holdout = HOLDOUT.assign(surname=["Smith", "Lee", "Lee", "Nakamura"])
    syn = pd.DataFrame({"case": ["Z"] * 4, "surname": ["Jones", "Brown", "Smith", "Okonkwo"],
                        "age": [1.0] * 4})
    # Run
    _, k1 = _run(syn, holdout=holdout, k=1)
    _, k2 = _run(syn, holdout=holdout, k=2)
    # Assert: k=1 catches only Okonkwo; k=2 adds Jones and Brown (Smith: 3 rows, not rare)
    assert k1["surname"].value == pytest.approx(1 / 4)
    assert k2["surname"].value == pytest.approx(3 / 4)
    assert k2["surname"].details["k"] == 2


def test_noise_floor_is_the_holdout_share_of_rare_training_values():
    # Setup: holdout rows whose value occurs 1..k times in training: C008X (case), none (surname)
    _, cols = _run(TRAIN.copy())
    # Assert
    assert cols["case"].baseline == pytest.approx(1 / 4)
    assert cols["case"].details["holdout_rows_rare"] == 1
    assert cols["surname"].baseline == 0.0


def test_examples_are_masked_and_no_real_rare_value_appears_in_the_details():
    # Run
    top, cols = _run(pd.concat([TRAIN, TRAIN]).reset_index(drop=True))
    blob = json.dumps([top.to_dict()] + [r.to_dict() for r in cols.values()])
    # Assert
    for value in list(TRAIN["case"]) + ["Okonkwo", "Smith", "Jones", "Brown"]:
        assert value not in blob
    shapes = {e["shape"] for e in cols["case"].details["examples"]}
    assert shapes == {"X###X"}
    assert cols["surname"].details["examples"] == [
        {"shape": "Xxxxxxx", "length": 7, "synthetic_rows": 2, "training_rows": 1}]


def test_identifier_columns_an_imported_file_holds_are_checked_too():
    # Setup: "case" is an identifier; the imported synthetic file still carries it
    schema = SCHEMA.with_sdtype("case", "identifier")
    # Run
    top, cols = _run(TRAIN.copy(), schema=schema)
    # Assert
    assert cols["case"].value == pytest.approx(7 / 8)
    assert cols["case"].details["identifier"] is True
    assert top.details["worst_column"] == "case"


def test_identifier_columns_absent_from_the_synthetic_rows_are_skipped():
    schema = SCHEMA.with_sdtype("case", "identifier")
    top, cols = _run(TRAIN.drop(columns="case"), schema=schema)
    assert set(cols) == {"surname"}
    assert top.value == pytest.approx(1 / 8)


def test_no_categorical_column_is_not_computed():
    schema = Schema(columns=(ColumnSpec("age", "numerical"),))
    top, _ = _run(TRAIN[["age"]], schema=schema)
    assert top.status == "not_computed" and top.reason == MSG_NO_COLUMNS


def test_replay_of_known_answer_from_the_docstring():
    r = replay_of(pd.Series(list("abcc")), pd.Series(list("cd")), pd.Series(list("aace")), 1)
    assert r["share"] == 0.5 and r["baseline"] == 0.0


def test_shape_masks_letters_and_digits_and_caps_the_length():
    assert shape_of("Mo-12") == "Xx-##"
    assert shape_of("13004561CF10A") == "########XX##X"
    assert shape_of("a" * 30) == "x" * 24 + "…"


def test_as_text_drops_the_point_zero_of_whole_floats():
    assert as_text(pd.Series([1.0, 2.5, None])).tolist()[:2] == ["1", "2.5"]
    assert as_text(pd.Series([1, 2])).tolist() == ["1", "2"]
    assert pd.isna(as_text(pd.Series(["a", None])).iloc[1])
