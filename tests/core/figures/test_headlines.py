"""Headlines follow the gate's checks; fairness sentences say which way each gap moved."""

from __future__ import annotations

from dataclasses import replace

from core.figures import evidence, headlines, overview, privacy
from core.gate import CheckResult
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


def _privacy_rows(inference=(0.02, 0.0, 0.04), groups=()):
    value, lo, hi = inference
    return [
        MetricValue("privacy.exact_copies", "privacy", value=0.0, score=1.0, baseline=0.0),
        MetricValue("privacy.dcr_closer_to_training", "privacy", value=0.5, score=1.0,
                    ci_low=0.49, ci_high=0.51),
        MetricValue("privacy.membership_inference_auc", "privacy", value=0.5, score=1.0,
                    ci_low=0.49, ci_high=0.51),
        MetricValue("privacy.inference", "privacy", value=value, score=0.98, ci_low=lo,
                    ci_high=hi),
        *groups,
    ]


def test_privacy_headline_says_no_risk_only_when_nothing_points_to_one():
    # Setup / Run / Assert
    assert privacy.evidence_summary(make_report(_privacy_rows())) == evidence.SUMMARY_AGREE_SAFE


def test_a_failing_privacy_check_is_in_the_headline_though_the_family_scores_98():
    # Setup: exact copies fail the public bound (≤ 0.0) while every score stays high
    rows = _privacy_rows()
    rows[0] = MetricValue("privacy.exact_copies", "privacy", value=0.004, score=0.996,
                          baseline=0.0)
    report = make_report(rows, policy="public")

    # Run
    text = privacy.evidence_summary(report)

    # Assert
    assert "no sign of a privacy risk" not in text
    assert text == evidence.SUMMARY_DISTANCE_ONLY.format(names="Exact copies")
    assert report.families["privacy"] > 95
    assert overview.family_label(report, "privacy").endswith(" · 1 check fails")


def test_a_failing_privacy_check_outside_the_matrix_is_named():
    # Setup: a privacy check the matrix has no row for (a metric added later) fails
    report = make_report(_privacy_rows())
    extra = CheckResult("privacy.later_check", "A later check", "privacy", 0.3, None,
                        0.1, "fail", "Fails")
    report = replace(report, verdict=replace(report.verdict,
                                             checks=(*report.verdict.checks, extra)))

    # Run
    text = privacy.evidence_summary(report)

    # Assert
    assert text == evidence.SUMMARY_NOT_CONCLUSIVE.format(
        caveats="A later check fails its check (0.3, ≤ 0.1)")


def test_a_confidence_interval_past_the_limit_is_named():
    # Setup: inference 0.20 passes the internal ≤ 0.25, but its interval reaches 0.31
    report = make_report(_privacy_rows(inference=(0.20, 0.09, 0.31)))

    # Run
    text = privacy.evidence_summary(report)

    # Assert
    assert text.startswith("No distance measure or attack clearly passes its limit, but the "
                           "evidence is not conclusive: ")
    assert "95% interval reaches 0.31, past its limit 0.25" in text


def test_a_small_group_of_the_second_attribute_is_named():
    # Setup: a race & age group (not the first attribute) has a DCR share of 0.8
    group = MetricValue("privacy.dcr_closer_to_training", "privacy", group="race & age=X & 1",
                        value=0.8, ci_low=0.55, ci_high=0.95, score=0.4)
    report = make_report(_privacy_rows(groups=(group,)))

    # Run
    text = privacy.evidence_summary(report)

    # Assert
    assert "1 protected group(s) pass a limit within their group, worst race & age=X & 1" in text
    assert "reaches the limit" in text  # 0.55 < 0.60: within noise, and said so


def test_verdict_headline_names_failing_and_inconclusive_checks():
    # Setup: the Adult race & age amplification (inconclusive) and a failing accuracy gap
    rows = [MetricValue("fairness.bias_amplification", "fairness", value=0.238, baseline=0.229),
            MetricValue("utility.accuracy", "utility", value=0.106)]
    report = make_report(rows)

    # Run
    text = headlines.verdict_headline(report)

    # Assert
    assert text.startswith("FAIL under policy 'internal'. 1 check(s) fail: Accuracy gap (0.106, "
                           "≤ 0.1). 1 inconclusive, within noise: Bias amplification (0.238, "
                           "≤ 0.1).")
