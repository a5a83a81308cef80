"""Fairness figures read the per-attribute-set details of the fairness metrics."""

from __future__ import annotations

import pytest

from core.figures import colors, fairness
from core.figures.common import set_row
from tests.core.figures.helpers import annotation_text


def test_attribute_sets_singles_then_pairs(report, bare_report):
    # Setup / Run / Assert
    assert fairness.attribute_sets(report) == ["sex", "race", "age", "sex & race", "sex & age",
                                               "race & age"]
    assert fairness.attribute_sets(bare_report) == []


def test_groups_leave_out_the_pooled_small_groups(report):
    # Setup
    rates = set_row(report, "fairness.outcome_rate", ("race", "age")).details["rates"]

    # Run
    labels = fairness.groups(report, "race & age")

    # Assert
    assert labels == [g for g in rates["groups"] if not g.endswith("=(other)")]
    assert fairness.groups(report, "sex") == ["sex=Male", "sex=Female"]


def test_representation_real_vs_synthetic_shares(report):
    # Setup
    d = set_row(report, "fairness.representation", ("sex",)).details

    # Run
    fig = fairness.representation(report, "sex").to_dict()

    # Assert
    real, synth = fig["data"]
    assert (real["marker"]["color"], synth["marker"]["color"]) == (colors.REAL,
                                                                   colors.SYNTHETIC)
    assert list(real["x"]) == d["groups"]
    assert (list(real["y"]), list(synth["y"])) == (d["real_share"], d["synthetic_share"])
    assert fig["layout"]["yaxis"]["title"]["text"] == "Share of rows"


def test_outcome_rates_without_and_with_a_reference(report):
    # Setup
    rates = set_row(report, "fairness.outcome_rate", ("sex",)).details["rates"]

    # Run
    plain = fairness.outcome_rates(report, "sex").to_dict()
    versus = fairness.outcome_rates(report, "sex", reference="sex=Male").to_dict()

    # Assert
    real, synth = plain["data"]
    assert (list(real["y"]), list(synth["y"])) == (rates["real"], rates["synthetic"])
    v_real, v_synth = versus["data"]
    assert v_real["y"][0] == v_synth["y"][0] == 0.0  # the reference itself
    assert v_real["y"][1] == pytest.approx(rates["real"][1] - rates["real"][0])
    assert v_synth["y"][1] == pytest.approx(rates["synthetic"][1] - rates["synthetic"][0])
    assert versus["layout"]["yaxis"]["title"]["text"].startswith("Difference to sex=Male (")
    assert plain["layout"]["yaxis"]["title"]["text"] == "Outcome (share of 'class' = '&gt;50K')"


def test_outcome_rates_unknown_reference_says_why(report):
    # Setup / Run
    fig = fairness.outcome_rates(report, "sex", reference="sex=Unknown")

    # Assert
    assert fig.to_dict()["data"] == []
    assert annotation_text(fig) == "Not computed: 'sex=Unknown' is not a scored group of 'sex'"


def test_bias_amplification_highlights_amplified_sets(report):
    # Setup
    rows = [r for r in report.results if r.key == "fairness.bias_amplification"
            and r.group is None and r.columns and r.status == "ok"]

    # Run
    d = fairness.bias_amplification(report).to_dict()

    # Assert
    bars, holdout = d["data"]
    assert list(bars["x"]) == [" &amp; ".join(r.columns) for r in rows]
    assert list(bars["marker"]["color"]) == [
        colors.FAIL if r.value > 0.10 else colors.NEUTRAL for r in rows]  # internal: ≤ 0.10
    assert holdout["marker"]["color"] == colors.HOLDOUT
    assert any(s.get("y0") == 0.10 for s in d["layout"]["shapes"])


def test_model_group_metrics_both_models_per_group(report):
    # Setup
    d = set_row(report, "fairness.demographic_parity", ("sex",)).details

    # Run
    df = fairness.model_group_metrics(report, "sex")

    # Assert
    assert list(df.columns) == [
        "group", "holdout rows", "selection rate (TSTR)", "selection rate (TRTR)",
        "TPR (TSTR)", "TPR (TRTR)", "FPR (TSTR)", "FPR (TRTR)", "accuracy (TSTR)",
        "accuracy (TRTR)"]
    assert list(df["group"]) == d["groups"]
    assert list(df["selection rate (TSTR)"]) == d["tstr"]["selection_rate"]
    assert list(df["accuracy (TRTR)"]) == d["trtr"]["accuracy"]
    assert list(df["holdout rows"]) == d["n"]


def test_model_group_metrics_blank_rates_of_groups_with_few_positives(report):
    # Setup: an intersection where some groups lack min_group_rows positives in the holdout.
    sets = [a for a in fairness.attribute_sets(report) if " & " in a]
    details = [set_row(report, "fairness.demographic_parity", tuple(a.split(" & "))).details
               for a in sets]
    attrs, d = next((a, d) for a, d in zip(sets, details, strict=True)
                    if "eo_groups" in d and set(d["eo_groups"]) != set(d["groups"]))

    # Run
    df = fairness.model_group_metrics(report, attrs).set_index("group")

    # Assert
    thin = next(g for g in d["groups"] if g not in d["eo_groups"])
    assert df.loc[thin, ["TPR (TSTR)", "FPR (TRTR)"]].isna().all()
    assert df.loc[thin, "selection rate (TSTR)"] == d["tstr"]["selection_rate"][
        d["groups"].index(thin)]


def test_group_fidelity_synthetic_scores_and_noise_floor(report):
    # Setup
    d = set_row(report, "fairness.group_fidelity", ("race",)).details

    # Run
    fig = fairness.group_fidelity(report, "race").to_dict()

    # Assert
    bars, floor = fig["data"]
    assert bars["marker"]["color"] == colors.SYNTHETIC
    assert floor["marker"]["color"] == colors.HOLDOUT
    assert (list(bars["x"]), list(bars["y"])) == (d["groups"], d["scores"])
    assert fig["layout"]["yaxis"]["range"] == [0, 1.05]


@pytest.mark.parametrize("build", [
    fairness.representation, fairness.outcome_rates, fairness.group_fidelity,
])
def test_without_protected_attributes_figures_say_why(bare_report, build):
    # Setup / Run
    fig = build(bare_report, "sex")

    # Assert
    assert fig.to_dict()["data"] == []
    assert annotation_text(fig).startswith("Not computed: no ")


def test_without_target_or_protected_the_rest_says_why(bare_report):
    # Setup / Run
    fig = fairness.bias_amplification(bare_report)
    df = fairness.model_group_metrics(bare_report, "sex")

    # Assert
    assert annotation_text(fig).startswith("Not computed: no ")
    assert df.empty and df.attrs["reason"].startswith("no ")
    assert fairness.groups(bare_report, "sex") == []
