"""Rare-value replay tables: the worst column first, counts, masked examples, one column's view."""

from __future__ import annotations

from core.figures import privacy
from core.metrics.value import MetricValue
from tests.core.figures.helpers import make_report

KEY = "privacy.rare_value_replay"


def _col(col: str, value: float, identifier: bool = False) -> MetricValue:
    examples = [{"shape": "########XX##X", "length": 13, "synthetic_rows": 3, "training_rows": 1},
                {"shape": "Xxxxxx", "length": 6, "synthetic_rows": 1, "training_rows": 1}]
    return MetricValue(KEY, "privacy", (col,), value=value, score=1 - value, baseline=0.001,
                       n=100, details={"synthetic_rows": int(value * 100), "k": 1,
                                       "rare_values_replayed": 4, "rare_training_values": 90,
                                       "identifier": identifier, "examples": examples})


def _report(policy: str = "internal"):
    rows = [MetricValue(KEY, "privacy", value=0.9, score=0.1, baseline=0.001,
                        details={"worst_column": "case"}),
            _col("race", 0.0), _col("case", 0.9, identifier=True), _col("surname", 0.3)]
    return make_report(rows, policy=policy)


def test_replay_table_lists_the_worst_column_first_with_masked_examples():
    # Run
    df = privacy.replay_table(_report())
    # Assert
    assert list(df["column"]) == ["case", "surname", "race"]
    assert list(df.columns) == ["column", "kind", "share of synthetic rows", "noise floor",
                                "synthetic rows", "rare values replayed", "rare training values",
                                "examples (masked)"]
    first = df.iloc[0]
    assert first["kind"] == "identifier (imported file)"
    assert first["synthetic rows"] == 90
    assert first["examples (masked)"] == "########XX##X (3 rows), Xxxxxx (1 row)"


def test_replay_of_column_gives_share_floor_and_the_policy_limit():
    # Run
    case = privacy.replay_of_column(_report("public"), "case")
    race = privacy.replay_of_column(_report("public"), "race")
    # Assert
    assert case["share"] == 0.9 and case["noise_floor"] == 0.001
    assert case["limit"] == 0.01 and case["over_limit"] is True
    assert race["over_limit"] is False
    assert case["text"].startswith("90.0% of synthetic rows (90) repeat one of 4 values")
    assert privacy.replay_of_column(_report(), "age") is None


def test_replay_table_is_empty_without_the_metric():
    assert privacy.replay_table(make_report([])).empty
