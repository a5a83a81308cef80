"""The privacy drill-down masks real values: rare categories hidden, extremes top-coded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.drilldown import RARE, copied_rows, mask_real_frame, riskiest_pairs
from core.metrics.value import MetricValue
from core.schema import Schema
from tests.core.figures.helpers import make_report

SCHEMA = {
    "columns": [
        {"name": "id", "sdtype": "identifier"},
        {"name": "age", "sdtype": "numerical"},
        {"name": "job", "sdtype": "categorical"},
        {"name": "joined", "sdtype": "datetime", "datetime_format": "%Y-%m-%d"},
    ],
    "target": None, "protected": [], "quasi_identifiers": [],
}
# 100 training rows: ages 1..100 (1st percentile 1.99, 99th 99.01); "clerk" 95 times,
# "pilot" 3 times, "astronaut" twice; one join date per day from 2020-01-01.
TRAIN = pd.DataFrame({
    "id": [f"p{i}" for i in range(100)],
    "age": np.arange(1, 101),
    "job": ["clerk"] * 95 + ["pilot"] * 3 + ["astronaut"] * 2,
    "joined": pd.date_range("2020-01-01", periods=100).strftime("%Y-%m-%d"),
})


def test_mask_real_frame_hides_rare_categories_and_top_codes():
    # Setup
    shown = TRAIN.iloc[[99, 49, 0, 97]]

    # Run
    out = mask_real_frame(TRAIN, shown, Schema.from_dict(SCHEMA), min_count=5)

    # Assert
    assert list(out.columns) == ["age", "job", "joined"]  # the identifier is never shown
    assert list(out.index) == [99, 49, 0, 97]
    assert out["age"].tolist() == ["≥ 99.01", "50", "≤ 1.99", "98"]
    assert out["job"].tolist() == [RARE, "clerk", "clerk", RARE]
    assert out["joined"].tolist() == ["≥ 2020-04-08", "2020-02-19", "≤ 2020-01-01", "2020-04-07"]


def test_mask_real_frame_threshold_and_missing_values():
    # Setup: "pilot" has 3 real rows: shown with min_count 3, hidden with 4.
    shown = pd.DataFrame({"age": [np.nan, 10.5], "job": ["pilot", None],
                          "joined": [None, "2020-01-10"]})

    # Run
    three = mask_real_frame(TRAIN, shown, Schema.from_dict(SCHEMA), min_count=3)
    four = mask_real_frame(TRAIN, shown, Schema.from_dict(SCHEMA), min_count=4)

    # Assert
    assert three["job"].tolist() == ["pilot", None]
    assert four["job"].tolist() == [RARE, None]
    assert three["age"].tolist() == [None, "10.5"]
    assert three["joined"].tolist() == [None, "2020-01-10"]


def test_mask_real_frame_unknown_category_is_rare():
    # Setup: a value no training row has (e.g. a synthetic-only value) has 0 real rows.
    shown = pd.DataFrame({"job": ["ceo", "clerk"]})

    # Run
    out = mask_real_frame(TRAIN, shown, Schema.from_dict(SCHEMA), min_count=1)

    # Assert
    assert out["job"].tolist() == [RARE, "clerk"]


SYNTHETIC = pd.DataFrame({
    "id": ["s0", "s1", "s2"],
    "age": [100.0, 50.0, 30.0],
    "job": ["astronaut", "clerk", "clerk"],
    "joined": ["2020-04-09", "2020-02-19", "2020-01-30"],
})


def _dcr_report(riskiest: dict | None, **kw) -> object:
    row = MetricValue("privacy.dcr", "privacy", value=0.2, score=1.0,
                      details={"riskiest": riskiest} if riskiest else {}, **kw)
    return make_report([row], schema=SCHEMA,
                       sizes={"real": len(TRAIN), "holdout": 10, "synthetic": len(SYNTHETIC)})


def test_riskiest_pairs_side_by_side_masked():
    # Setup: synthetic row 0 is a near-copy of training row 99 (the oldest, a rare job).
    report = _dcr_report({"synthetic_row": [0, 2], "training_row": [99, 29],
                          "distance": [0.0, 0.05]})

    # Run
    df = riskiest_pairs(TRAIN, SYNTHETIC, report, k=20)

    # Assert
    assert list(df.columns) == [
        "synthetic row", "distance", "age (synthetic)", "age (nearest real)",
        "job (synthetic)", "job (nearest real)", "joined (synthetic)", "joined (nearest real)"]
    assert df["synthetic row"].tolist() == [0, 2]
    assert df["distance"].tolist() == [0.0, 0.05]
    assert df.iloc[0].tolist()[2:] == ["≥ 99.01", "≥ 99.01", RARE, RARE,
                                       "≥ 2020-04-08", "≥ 2020-04-08"]
    assert df.iloc[1].tolist()[2:] == ["30", "30", "clerk", "clerk", "2020-01-30", "2020-01-30"]


def test_riskiest_pairs_k_and_unmasked_synthetic_side():
    # Setup
    report = _dcr_report({"synthetic_row": [0, 2], "training_row": [99, 29],
                          "distance": [0.0, 0.05]})

    # Run
    df = riskiest_pairs(TRAIN, SYNTHETIC, report, k=1, mask_synthetic=False)

    # Assert
    assert len(df) == 1
    assert df.loc[0, "age (synthetic)"] == 100.0 and df.loc[0, "age (nearest real)"] == "≥ 99.01"
    assert df.loc[0, "job (synthetic)"] == "astronaut" and df.loc[0, "job (nearest real)"] == RARE


def test_riskiest_pairs_not_computed_gives_empty_table_with_reason():
    # Setup
    row = MetricValue("privacy.dcr", "privacy", status="not_computed",
                      reason="there are no synthetic rows")
    report = make_report([row], schema=SCHEMA,
                         sizes={"real": len(TRAIN), "holdout": 10, "synthetic": len(SYNTHETIC)})

    # Run
    df = riskiest_pairs(TRAIN, SYNTHETIC, report)

    # Assert
    assert df.empty and df.attrs["reason"] == "there are no synthetic rows"
    assert list(df.columns)[:3] == ["synthetic row", "distance", "age (synthetic)"]


def test_riskiest_pairs_refuse_other_tables():
    # Setup
    report = _dcr_report({"synthetic_row": [0], "training_row": [99], "distance": [0.0]})

    # Run / Assert
    with pytest.raises(ValueError, match="The training table has 50 rows but the report was"):
        riskiest_pairs(TRAIN[:50], SYNTHETIC, report)


def test_riskiest_pairs_on_a_real_report(evaluated):
    # Setup
    report = evaluated.report
    risky = report.top("privacy.dcr").details["riskiest"]
    counts = evaluated.train["native-country"].value_counts()

    # Run
    df = riskiest_pairs(evaluated.train, evaluated.synthetic, report, k=5)

    # Assert
    assert len(df) == 5
    assert df["synthetic row"].tolist() == risky["synthetic_row"][:5]
    assert df["distance"].is_monotonic_increasing
    real = evaluated.train.iloc[risky["training_row"][:5]]
    expected = [c if counts[c] >= 5 else RARE for c in real["native-country"]]
    assert df["native-country (nearest real)"].tolist() == expected
    assert df["class (nearest real)"].tolist() == real["class"].tolist()


def test_copied_rows_are_the_listed_synthetic_rows_masked():
    # Setup: synthetic rows 0 and 2 are listed as copies (0 has a rare job and an extreme age);
    # a listed row beyond the table (a stale report) is left out
    row = MetricValue("privacy.exact_copies", "privacy", value=2 / 3, score=0.0,
                      details={"count": 2, "synthetic_rows": [0, 2, 7]})
    report = make_report([row], schema=SCHEMA, config={"min_group_rows": 5},
                         sizes={"real": len(TRAIN), "holdout": 10, "synthetic": len(SYNTHETIC)})

    # Run
    df = copied_rows(TRAIN, SYNTHETIC, report)

    # Assert: masked exactly as the drill-down masks real rows, indexed by synthetic row number
    assert df.index.tolist() == [0, 2]
    assert list(df.columns) == ["age", "job", "joined"]
    assert df.loc[0].tolist() == ["≥ 99.01", RARE, "≥ 2020-04-08"]
    assert df.loc[2].tolist() == ["30", "clerk", "2020-01-30"]


@pytest.mark.parametrize("row", [
    MetricValue("privacy.exact_copies", "privacy", value=0.0, score=1.0,
                details={"count": 0, "synthetic_rows": []}),
    MetricValue("privacy.exact_copies", "privacy", status="not_computed", reason="no rows"),
])
def test_copied_rows_is_empty_without_copies(row):
    # Setup
    report = make_report([row], schema=SCHEMA,
                         sizes={"real": len(TRAIN), "holdout": 10, "synthetic": len(SYNTHETIC)})
    # Run
    df = copied_rows(TRAIN, SYNTHETIC, report)
    # Assert
    assert df.empty
