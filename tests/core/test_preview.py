"""Preview statistics: real next to synthetic, percentiles instead of extremes."""

from __future__ import annotations

import pandas as pd

from core.preview import summary_stats
from core.schema import ColumnSpec, Schema

SCHEMA = Schema(columns=(
    ColumnSpec("id", "identifier"), ColumnSpec("age", "numerical"),
    ColumnSpec("job", "categorical"),
))


def _stat(df: pd.DataFrame, column: str, statistic: str) -> tuple[str, str]:
    row = df[(df["column"] == column) & (df["statistic"] == statistic)]
    assert len(row) == 1, (column, statistic)
    return row["real"].iloc[0], row["synthetic"].iloc[0]


def test_summary_stats_real_beside_synthetic():
    # Setup
    real = pd.DataFrame({"id": range(4), "age": [20.0, 30.0, 40.0, None],
                         "job": ["a", "a", "b", None]})
    synthetic = pd.DataFrame({"age": [25.0, 35.0], "job": ["b", "b"]})

    # Run
    df = summary_stats(real, synthetic, SCHEMA)

    # Assert
    assert list(df.columns) == ["column", "type", "statistic", "real", "synthetic"]
    assert set(df["column"]) == {"age", "job"}  # identifiers are never summarised
    assert _stat(df, "age", "mean") == ("30", "30")
    assert _stat(df, "age", "median") == ("30", "30")
    assert _stat(df, "age", "missing share") == ("0.25", "0")
    assert _stat(df, "job", "distinct") == ("2", "1")
    assert _stat(df, "job", "most common") == ("a", "b")
    assert _stat(df, "job", "its share") == ("0.5", "1")


def test_summary_stats_never_shows_the_real_extremes():
    # Setup: one outlier that would identify a person if shown as the maximum
    real = pd.DataFrame({"id": range(101), "age": [*range(100), 1000], "job": ["a"] * 101})

    # Run
    df = summary_stats(real, real.drop(columns="id"), SCHEMA)

    # Assert
    assert "max" not in set(df["statistic"]) and "min" not in set(df["statistic"])
    real_99 = float(_stat(df, "age", "99th percentile")[0].replace(",", ""))
    assert real_99 < 1000


def test_summary_stats_with_an_empty_synthetic_column():
    # Setup
    real = pd.DataFrame({"id": [1, 2], "age": [1.0, 2.0], "job": ["a", "b"]})
    synthetic = pd.DataFrame({"age": [None, None], "job": [None, None]})

    # Run
    df = summary_stats(real, synthetic, SCHEMA)

    # Assert
    assert _stat(df, "age", "mean") == ("1.5", "—")
    assert _stat(df, "job", "most common") == ("a", "—")
    assert _stat(df, "age", "missing share") == ("0", "1")
