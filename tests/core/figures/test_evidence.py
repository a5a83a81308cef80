"""The evidence matrix sets distance measures against attacks and flags where they disagree."""

from __future__ import annotations

from core.figures import evidence, privacy
from core.metrics.value import MetricValue
from tests.core.figures.helpers import make_report


def _row(key: str, value: float, score: float | None = None, baseline: float | None = None
         ) -> MetricValue:
    return MetricValue(key, "privacy", value=value, score=value if score is None else score,
                       baseline=baseline)


# No sign of risk by any distance measure, and every attack fails.
SAFE = [
    _row("privacy.dcr_closer_to_training", 0.50),
    _row("privacy.exact_copies", 0.0, baseline=0.001),
    _row("privacy.nndr", 0.9, score=1.0, baseline=0.85),
    _row("privacy.dcr", 0.2, score=1.0, baseline=0.18),
    _row("privacy.membership_inference_auc", 0.51),
    _row("privacy.singling_out_univariate", 0.0),
    _row("privacy.singling_out_multivariate", 0.02),
    _row("privacy.linkability", 0.01),
    _row("privacy.inference", 0.03),
    _row("privacy.cap_disclosure", 0.01),
    _row("privacy.unique_qi_matches", 0.05, baseline=0.09),
    _row("privacy.rare_value_replay", 0.002, baseline=0.0),
    _row("privacy.authenticity", 0.52, baseline=0.50),
    _row("privacy.shadow_membership_inference", 0.52),
]


def _with(rows: list[MetricValue], **values: float) -> list[MetricValue]:
    """``rows`` with some raw values replaced, e.g. ``membership_inference_auc=0.9``."""
    out = []
    for r in rows:
        name = r.key.removeprefix("privacy.")
        out.append(_row(r.key, values[name], baseline=r.baseline) if name in values else r)
    return out


def test_no_copies_but_a_winning_attack_is_flagged():
    # Setup: exact copies 0 and every distance measure fine, but membership inference AUC 0.9.
    report = make_report(_with(SAFE, membership_inference_auc=0.9))

    # Run
    df = privacy.evidence_matrix(report)

    # Assert
    assert list(df.columns) == ["evidence", "kind", "value", "risk when", "says", "disagrees"]
    by_name = df.set_index("evidence")
    assert by_name.loc["Membership inference AUC", "says"] == "risk"
    assert by_name.loc["Membership inference AUC", "risk when"] == "> 0.6 (policy internal)"
    assert by_name.loc["Exact copies", "value"] == 0.0
    flagged = set(df.loc[df["disagrees"], "evidence"])
    assert flagged == {"DCR share (closer to training)", "Exact copies", "NNDR vs holdout",
                       "DCR median vs holdout", "Authenticity (one-class embedding)",
                       "Membership inference AUC"}
    assert privacy.evidence_summary(report) == evidence.SUMMARY_ATTACK_ONLY.format(
        names="Membership inference AUC")


def test_copies_without_a_winning_attack_is_flagged_the_other_way():
    # Setup: 10% exact copies, no attack succeeds.
    report = make_report(_with(SAFE, exact_copies=0.10))

    # Run
    df = privacy.evidence_matrix(report)

    # Assert
    flagged = set(df.loc[df["disagrees"], "evidence"])
    assert "Exact copies" in flagged and "Membership inference AUC" in flagged
    assert "DCR share (closer to training)" not in flagged  # says no risk, as its kind does not
    assert privacy.evidence_summary(report) == evidence.SUMMARY_DISTANCE_ONLY.format(
        names="Exact copies")


def test_synthetic_rows_sitting_on_real_ones_are_a_distance_risk():
    # Setup: authenticity 0.1 against a holdout's 0.5; the internal policy has no check on it
    report = make_report(_with(SAFE, authenticity=0.1))
    # Run
    row = privacy.evidence_matrix(report).set_index("evidence").loc[
        "Authenticity (one-class embedding)"]
    # Assert
    assert (row["kind"], row["says"]) == ("distance", "risk")
    assert row["risk when"] == "score < 0.35 (default)"
    # under the public policy its own check decides
    public = make_report(_with(SAFE, authenticity=0.1), policy="public")
    row = privacy.evidence_matrix(public).set_index("evidence").loc[
        "Authenticity (one-class embedding)"]
    assert row["risk when"] == "< 0.4 (policy public)" and row["says"] == "risk"


def test_agreement_flags_nothing():
    # Setup
    safe, risky = make_report(SAFE), make_report(_with(SAFE, exact_copies=0.1,
                                                       membership_inference_auc=0.8))

    # Run
    safe_df, risky_df = privacy.evidence_matrix(safe), privacy.evidence_matrix(risky)

    # Assert
    assert not safe_df["disagrees"].any() and not risky_df["disagrees"].any()
    assert (safe_df["says"] == "no risk").all()
    assert privacy.evidence_summary(safe) == evidence.SUMMARY_AGREE_SAFE
    assert privacy.evidence_summary(risky) == evidence.SUMMARY_AGREE_RISK.format(
        names="Exact copies, Membership inference AUC")


def test_defaults_apply_where_the_policy_has_no_check():
    # Setup: "internal" has no check on NNDR, singling out or unique QI matches.
    rows = _with(SAFE, singling_out_multivariate=0.3)
    rows = [_row("privacy.nndr", 0.4, score=0.5, baseline=0.8) if r.key == "privacy.nndr" else r
            for r in rows]
    report = make_report(rows)

    # Run
    df = privacy.evidence_matrix(report).set_index("evidence")

    # Assert
    assert df.loc["NNDR vs holdout", "says"] == "risk"
    assert df.loc["NNDR vs holdout", "risk when"] == "score < 0.8 (default)"
    assert df.loc["Singling out (three attributes)", "says"] == "risk"
    assert df.loc["Singling out (three attributes)", "risk when"] == "> 0.25 (default)"
    # 5% unique matches is below the 9% the holdout rows reach by chance: no risk.
    assert df.loc["Unique quasi-identifier matches", "says"] == "no risk"
    assert df.loc["Unique quasi-identifier matches", "risk when"] == (
        "> 0.02 and > holdout 0.09 (default)")


def test_the_reports_policy_decides_when_it_has_a_check():
    # Setup: "public" allows no exact copy at all; "internal" allows 2%.
    rows = _with(SAFE, exact_copies=0.01)

    # Run
    public = privacy.evidence_matrix(make_report(rows, policy="public")).set_index("evidence")
    internal = privacy.evidence_matrix(make_report(rows)).set_index("evidence")

    # Assert
    assert public.loc["Exact copies", "says"] == "risk"
    assert public.loc["Exact copies", "risk when"] == "> 0 (policy public)"
    assert internal.loc["Exact copies", "says"] == "no risk"


def test_nothing_computed():
    # Setup
    report = make_report([MetricValue("privacy.dcr", "privacy", status="not_computed",
                                      reason="there are no synthetic rows")])

    # Run
    df = privacy.evidence_matrix(report)

    # Assert
    assert (df["says"] == "not computed").all()
    assert df["value"].isna().all() and not df["disagrees"].any()
    assert privacy.evidence_summary(report) == evidence.SUMMARY_NONE


def test_real_report_rows(report):
    # Setup / Run
    df = privacy.evidence_matrix(report)

    # Assert
    assert len(df) == len(evidence.RULES)
    assert list(df["kind"]) == ["distance"] * 5 + ["attack"] * 9
    assert set(df["says"]) <= {"risk", "no risk", "within noise", "not computed"}
    assert df["disagrees"].dtype == bool
    assert isinstance(privacy.evidence_summary(report), str)
