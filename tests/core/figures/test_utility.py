"""Utility figures: TRTR vs TSTR bars, feature importances side by side, the utility table."""

from __future__ import annotations

from core.figures import colors, utility
from tests.core.figures.helpers import annotation_text


def test_tstr_vs_trtr_and_the_baseline_per_model_figure(report):
    # Setup: Adult's target is categorical, so the classification figures are computed.
    keys = ["utility.accuracy", "utility.macro_f1", "utility.roc_auc"]

    # Run
    d = utility.tstr_vs_trtr(report).to_dict()

    # Assert
    bars = d["data"]
    assert len(bars) == 3 * len(keys)  # TRTR, TSTR and (new) the majority-class baseline
    assert all(b["type"] == "bar" for b in bars)
    assert [b["marker"]["color"] for b in bars] == [colors.REAL, colors.SYNTHETIC,
                                                    colors.NEUTRAL] * 3
    assert [b["name"] for b in bars[:3]] == ["Trained on real (TRTR)",
                                             "Trained on synthetic (TSTR)", "Baseline (no model)"]
    for i, key in enumerate(keys):
        r = report.top(key)
        assert [bars[3 * i + j]["y"][0] for j in range(3)] == [
            r.details["trtr"], r.details["tstr"], r.details["baseline"]]
    titles = [a["text"] for a in d["layout"]["annotations"]]
    assert titles[0] == f"Accuracy: gap {report.top('utility.accuracy').value:.3g}"
    assert d["layout"]["yaxis"]["title"]["text"] == "Accuracy"
    assert [b["showlegend"] for b in bars] == [True, True, True] + [False] * 6


def test_feature_importances_side_by_side(report):
    # Setup
    details = report.top("utility.feature_importance").details

    # Run
    d = utility.feature_importances(report).to_dict()

    # Assert
    real, synth = d["data"]
    assert real["orientation"] == synth["orientation"] == "h"
    assert (real["marker"]["color"], synth["marker"]["color"]) == (colors.REAL,
                                                                   colors.SYNTHETIC)
    assert sorted(real["y"]) == sorted(details["features"])
    assert list(real["x"]) == sorted(details["trtr"], reverse=True)
    assert d["layout"]["xaxis"]["title"]["text"] == "Drop in score when shuffled"


def test_utility_table_leaves_out_figures_of_another_task(report):
    # Setup / Run
    df = utility.utility_table(report)

    # Assert
    assert list(df.columns) == ["measure", "TRTR", "TSTR", "baseline", "gap", "score", "note"]
    assert list(df["measure"]) == ["Accuracy gap", "Macro F1 gap", "ROC AUC gap",
                                   "Feature-importance agreement"]
    acc = report.top("utility.accuracy")
    assert df.iloc[0][["TRTR", "TSTR", "baseline", "gap", "score"]].tolist() == [
        acc.details["trtr"], acc.details["tstr"], acc.details["baseline"], acc.value, acc.score]


def test_without_target_figures_say_why(bare_report):
    # Setup / Run
    bars = utility.tstr_vs_trtr(bare_report)
    importances = utility.feature_importances(bare_report)
    table = utility.utility_table(bare_report)

    # Assert
    assert bars.to_dict()["data"] == [] and importances.to_dict()["data"] == []
    assert annotation_text(bars) == (
        "Not computed: no target column is set (choose one on the Data page)"
    )
    assert annotation_text(importances).startswith("Not computed: no target column")
    assert table["note"].str.startswith("Not computed: no target column").all()
    assert table["gap"].isna().all()


def test_baseline_note_sets_tstr_against_the_majority_class(report):
    # Setup
    d = report.top("utility.beats_baseline").details

    # Run
    text = utility.baseline_note(report)

    # Assert
    assert text.startswith(f"Always predicting the {d['baseline_name']} gives accuracy ")
    assert "It predicts " in text and "of the holdout rows." in text
