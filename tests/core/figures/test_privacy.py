"""Privacy figures: DCR distributions and share, Anonymeter risks, risks per group, summary."""

from __future__ import annotations

import pytest

from core.figures import colors, privacy
from tests.core.figures.helpers import annotation_text


def test_dcr_distributions_synthetic_and_holdout_on_one_plot(report):
    # Setup
    details = report.top("privacy.dcr").details
    n_bins = len(details["histogram"]["bin_edges"]) - 1

    # Run
    d = privacy.dcr_distributions(report).to_dict()

    # Assert
    synth, hold = d["data"]
    assert (synth["name"], hold["name"]) == ("Synthetic → training", "Holdout → training")
    assert (synth["marker"]["color"], hold["marker"]["color"]) == (colors.SYNTHETIC,
                                                                   colors.HOLDOUT)
    assert len(synth["x"]) == len(hold["y"]) == n_bins
    assert sum(synth["y"]) == pytest.approx(1.0) and sum(hold["y"]) == pytest.approx(1.0)
    medians = sorted(s["x0"] for s in d["layout"]["shapes"])
    assert medians == sorted([details["median_synthetic"], details["median_holdout"]])
    assert d["layout"]["xaxis"]["title"]["text"] == "Distance (0 = identical row)"


def test_dcr_share_marks_ideal_and_policy_limit(report):
    # Setup
    r = report.top("privacy.dcr_closer_to_training")

    # Run
    d = privacy.dcr_share(report).to_dict()

    # Assert
    (bar,) = d["data"]
    assert bar["x"] == [r.value]
    assert bar["error_x"]["array"][0] == pytest.approx(r.ci_high - r.value)
    assert sorted(s["x0"] for s in d["layout"]["shapes"]) == [0.5, 0.6]  # ideal, internal limit
    assert d["layout"]["xaxis"]["range"] == [0, 1]


def test_anonymeter_risks_per_attack_and_secret(report):
    # Setup
    secrets = [r.columns[0] for r in report.results
               if r.key == "privacy.inference" and len(r.columns) == 1]

    # Run
    d = privacy.anonymeter_risks(report).to_dict()

    # Assert
    risk = d["data"][0]
    assert risk["type"] == "bar" and risk["orientation"] == "h"
    assert list(risk["y"]) == ["Singling out (one attribute)", "Singling out (three attributes)",
                               "Linkability"] + [f"Inference: {s}" for s in secrets]
    assert risk["error_x"]["arrayminus"][0] >= 0
    limits = d["data"][1]
    assert limits["name"] == "limit (policy internal)"
    assert set(limits["x"]) == {0.25}  # linkability and inference bounds of "internal"
    assert d["layout"]["xaxis"]["range"] == [0, 1]


def test_privacy_by_group_three_panels_for_one_attribute(report):
    # Setup
    groups = sorted(r.group for r in report.results
                    if r.key == "privacy.exact_copies" and r.group is not None
                    and r.group.startswith("sex=") and " & " not in r.group
                    and r.status == "ok")

    # Run
    d = privacy.privacy_by_group(report, "sex").to_dict()

    # Assert
    assert [t["type"] for t in d["data"]] == ["bar"] * 3
    assert sorted(d["data"][1]["y"]) == groups == ["sex=Female", "sex=Male"]
    assert [a["text"] for a in d["layout"]["annotations"]] == [
        "Closer to training (ideal 50%)", "Exact copies", "Membership inference AUC (ideal 0.5)"]
    assert d["layout"]["xaxis3"]["title"]["text"] == "AUC"


def test_privacy_by_group_intersections_only(report):
    # Setup / Run
    labels = privacy.privacy_by_group(report, "sex & race").to_dict()["data"][0]["y"]

    # Assert
    assert labels and all(g.startswith("sex=") and " &amp; race=" in g for g in labels)


def test_privacy_summary_a_sentence_per_measure(report):
    # Setup / Run
    df = privacy.privacy_summary(report)

    # Assert
    assert list(df.columns) == ["measure", "value", "baseline or ideal", "what it means"]
    assert len(df) == 15  # every key of SUMMARY_KEYS the report holds
    auth = df[df["measure"] == "Authenticity (one-class embedding)"].iloc[0]
    r = report.top("privacy.authenticity")
    assert auth["baseline or ideal"] == f"holdout {100 * r.baseline:.1f}%"
    assert auth["what it means"].endswith("A distance heuristic, like DCR.")
    copies = df[df["measure"] == "Exact copies of training rows"].iloc[0]
    r = report.top("privacy.exact_copies")
    assert copies["value"] == r.value
    assert copies["what it means"].startswith(f"{100 * r.value:.1f}% of synthetic rows copy")
    share = df[df["measure"] == "Closer to training than holdout"].iloc[0]
    assert share["baseline or ideal"] == "ideal 0.5"


@pytest.mark.parametrize("build", [privacy.dcr_distributions, privacy.dcr_share,
                                   privacy.anonymeter_risks, privacy.privacy_by_group])
def test_without_privacy_family_figures_say_why(bare_report, build):
    # Setup / Run
    fig = build(bare_report)

    # Assert
    assert fig.to_dict()["data"] == []
    assert annotation_text(fig) == "Not computed: the metric is not in this report"
