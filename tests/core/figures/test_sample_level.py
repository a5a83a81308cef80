"""The pMSE / α-precision / β-recall table and curves, from a real report and from none."""

from __future__ import annotations

from core.figures import sample_level
from tests.core.figures.helpers import annotation_text


def test_table_has_a_row_per_measure_with_its_floor(report):
    # Setup / Run
    df = sample_level.sample_level_table(report)
    # Assert
    assert list(df.columns) == sample_level.COLUMNS
    assert list(df["measure"]) == ["pMSE ratio (propensity score)",
                                   "α-precision (one-class embedding)",
                                   "β-recall (one-class embedding)"]
    pmse = report.top("fidelity.pmse")
    row = df.iloc[0]
    assert row["value"] == pmse.value and row["holdout (noise floor)"] == pmse.baseline
    assert row["rows per side"] == 1200
    assert row["what it means"].startswith(
        f"A logistic model with every two-way interaction tells synthetic rows from real ones "
        f"{pmse.value:.3g} times")


def test_curves_show_synthetic_holdout_and_the_diagonal(report):
    # Setup / Run
    fig = sample_level.alpha_beta_curves(report).to_dict()
    # Assert: per panel the ideal, the synthetic and the holdout curve
    names = [t["name"] for t in fig["data"]]
    assert names == ["Ideal", "Synthetic", "Holdout (real, unseen)"] * 2
    a = report.top("fidelity.alpha_precision")
    assert list(fig["data"][1]["y"]) == a.details["curve"] and len(a.details["curve"]) == 30


def test_without_the_fidelity_family_the_table_is_empty_and_the_figure_says_why(bare_report):
    assert sample_level.sample_level_table(bare_report).empty
    assert annotation_text(sample_level.alpha_beta_curves(bare_report)).startswith(
        "Not computed")
