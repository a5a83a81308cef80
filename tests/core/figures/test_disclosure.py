"""The quasi-identifier table: l-diversity and CAP per secret, and the k-anonymity sentence."""

from __future__ import annotations

import pytest

from core.figures import disclosure, privacy
from core.figures.common import column_rows
from core.metrics.value import MetricValue
from tests.core.figures.helpers import make_report


def test_disclosure_table_has_one_row_per_secret_with_the_metrics_figures(report):
    # Setup
    lrows = column_rows(report, disclosure.L_KEY)
    crows = column_rows(report, disclosure.CAP_KEY)

    # Run
    df = privacy.disclosure_table(report)

    # Assert: protected attributes sex, race, age, then the target
    assert list(df.columns) == disclosure.COLUMNS
    assert list(df["secret"]) == ["sex", "race", "age", "class"]
    for _, row in df.iterrows():
        lr, cr = lrows[row["secret"]], crows[row["secret"]]
        assert (row["l synthetic"], row["l training"]) == (lr.value, lr.baseline)
        if cr.status == "ok":
            assert row["CAP training rows"] == cr.details["train"]["cap_risk"]
            assert row["CAP holdout rows"] == cr.details["control"]["cap_risk"]
            assert row["SDMetrics DisclosureProtection"] == cr.details["disclosure_protection"]
            assert row["excess risk"] == cr.value
            assert row["95% interval"] == f"[{cr.ci_low:.3f}, {cr.ci_high:.3f}]"
        else:
            assert row["why not computed"] == f"CAP: {cr.reason}"


def test_anonymity_text_gives_k_beside_the_training_rows(report):
    # Setup
    r = report.top(disclosure.K_KEY)

    # Run
    text = privacy.anonymity_text(report)

    # Assert
    assert text.startswith("k-anonymity over age, sex, race, education, marital-status: the "
                           f"smallest group of synthetic rows sharing these values has "
                           f"{int(r.value)} row(s)")
    share = r.details["synthetic"]["share_below"]["5"]
    assert f"{100 * share:.1f}% of synthetic rows are in groups smaller than 5" in text


def test_without_the_metrics_the_table_is_empty_and_a_reason_is_given(bare_report):
    # Setup: a report whose privacy family did not run; one where k was not computed
    nc = make_report([MetricValue(disclosure.K_KEY, "privacy", status="not_computed",
                                  reason="no quasi-identifiers are set")])
    cap = make_report([MetricValue(disclosure.CAP_KEY, "privacy", ("sex",),
                                   status="not_computed", reason="no match")])

    # Run / Assert
    assert privacy.disclosure_table(bare_report).empty
    assert privacy.anonymity_text(bare_report) is None
    assert privacy.anonymity_text(nc) == ("k-anonymity not computed: no quasi-identifiers are "
                                          "set.")
    (row,) = privacy.disclosure_table(cap).to_dict("records")
    assert row["why not computed"] == ("l: the metric is not in this report; CAP: no match")
    assert row["l synthetic"] is None and row["excess risk"] is None


@pytest.mark.parametrize("key", [disclosure.K_KEY, disclosure.L_KEY, disclosure.CAP_KEY])
def test_the_privacy_summary_explains_each_measure(report, key):
    # Setup
    r = report.top(key)

    # Run
    df = privacy.privacy_summary(report).set_index("measure")

    # Assert
    row = df.loc[REGISTRY_NAMES[key]]
    assert row["value"] == r.value
    if key == disclosure.CAP_KEY:
        assert row["baseline or ideal"] == "ideal 0 (control rows give the chance level)"
        assert f"excess risk of {100 * r.value:.1f}%" in row["what it means"]
    else:
        assert row["baseline or ideal"] == f"training rows {r.baseline:.3g}"
        assert "training rows: " in row["what it means"]


REGISTRY_NAMES = {disclosure.K_KEY: "k-anonymity", disclosure.L_KEY: "l-diversity",
                  disclosure.CAP_KEY: "CAP disclosure"}
