"""Headlines follow the gate's checks; fairness sentences say which way each gap moved."""

from __future__ import annotations

from core.figures import headlines
from core.metrics.value import MetricValue
from tests.core.figures.helpers import make_report

AMP, ATT = "fairness.bias_amplification", "fairness.disparity_attenuation"


def _gap_rows(group, real_gap, synth_gap, direction, amp, att, floor):
    d = {"real_gap": real_gap, "synthetic_gap": synth_gap, "direction": direction,
         "change": synth_gap - real_gap}
    return [MetricValue(AMP, "fairness", ("sex",), group=group, value=amp, baseline=floor,
                        details={**d, "amplification": amp}),
            MetricValue(ATT, "fairness", ("sex",), group=group, value=att, baseline=floor,
                        details={**d, "attenuation": att})]


def _fairness_report(policy="partner"):
    # Adult, men vs women earning >50K: real 0.305 vs 0.110, synthetic 0.260 vs 0.197
    women = _gap_rows("sex=Female", -0.195, -0.063, "narrowed", 0.0, 0.132, 0.01)
    men = _gap_rows("sex=Male", 0.195, 0.063, "narrowed", 0.0, 0.132, 0.01)
    top_details = {"attributes": ["sex"], "group": "sex=Female"}
    tops = [
        MetricValue(AMP, "fairness", value=0.0, baseline=0.01,
                    details={**top_details, "group_details": women[0].details}),
        MetricValue(ATT, "fairness", value=0.132, baseline=0.01,
                    details={**top_details, "group_details": women[1].details}),
        MetricValue(AMP, "fairness", ("sex",), value=0.0, baseline=0.01),
        MetricValue(ATT, "fairness", ("sex",), value=0.132, baseline=0.01),
    ]
    return make_report(tops + women + men, policy=policy)


def test_a_gap_that_shrank_is_told_as_hidden_not_amplified():
    # Setup
    report = _fairness_report()

    # Run
    sentences = headlines.gap_sentences(report, ("sex",))

    # Assert
    assert sentences[0] == (
        "sex=Female: the gap to everyone else narrowed from -0.195 to -0.063: the synthetic "
        "data hides 0.132 of a real disparity (the holdout moves it by 0.01).")
    assert len(sentences) == 2 and all("amplif" not in s for s in sentences)


def test_fairness_headline_names_the_failing_check_and_the_hidden_gap():
    # Setup: partner gates attenuation at ≤ 0.05
    report = _fairness_report("partner")

    # Run
    text = headlines.fairness_headline(report)

    # Assert
    assert text.startswith("1 fairness check(s) fail: Disparity attenuation (0.132, ≤ 0.05).")
    assert "Largest hidden gap: sex=Female: the gap to everyone else narrowed" in text
    assert "widened gap" not in text  # nothing widened: amplification is 0


def test_gap_sentence_says_when_a_change_is_within_noise():
    # Setup / Run
    text = headlines.gap_sentence("race=Other", 0.10, 0.25, "widened", 0.15, 0.14)

    # Assert: 0.15 is within 10% of the holdout's 0.14
    assert text == ("race=Other: the gap to everyone else widened from +0.100 to +0.250: the "
                    "synthetic data amplifies a real disparity by 0.15 (within the holdout's "
                    "noise of 0.14).")
