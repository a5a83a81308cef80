"""What a reviewer saw: evidence_for and pair_targets on a small hand-made report."""

import pytest

from core.metrics.value import MetricValue
from core.review import column_pairs, evidence_for, pair_targets, shown_text
from tests.core.figures.helpers import make_report


@pytest.fixture(scope="module")
def report():
    return make_report([
        MetricValue("fidelity.column_shapes", "fidelity", ("age",), value=0.9, score=0.9,
                    baseline=0.95),
        MetricValue("fidelity.column_shapes", "fidelity", ("sex",), value=0.7, score=0.7,
                    baseline=0.97),
        MetricValue("fidelity.column_shapes", "fidelity", ("sex",), group="race=White",
                    value=0.6, score=0.6),
        MetricValue("fidelity.column_shapes", "fidelity", (), value=0.8, score=0.8),
        MetricValue("fidelity.pair_trends", "fidelity", ("age", "sex"), value=0.6, score=0.6),
        MetricValue("fidelity.pair_trends", "fidelity", ("age", "income"), value=0.9,
                    score=0.9),
        MetricValue("fidelity.pair_trends", "fidelity", ("sex", "income"), status="error",
                    reason="TypeError: boom"),
        MetricValue("fidelity.pair_trends", "fidelity", (), value=0.75, score=0.75),
        MetricValue("privacy.exact_copies", "privacy", (), value=0.0, score=1.0),
    ])


def test_evidence_of_a_column_holds_its_own_values_and_the_fidelity_thresholds(report):
    # Run
    ev = evidence_for(report, "sex")
    # Assert: the group row and the other columns are left out
    assert ev["metrics"] == {"fidelity.column_shapes": {"value": 0.7, "score": 0.7,
                                                        "baseline": 0.97, "status": "ok"}}
    assert (ev["policy"], ev["verdict"], ev["run_id"]) == ("internal", "incomplete", None)
    assert ev["thresholds"]["fidelity.column_shapes"] == {"min": 0.8, "max": None, "value": 0.8,
                                                          "status": "pass"}
    assert "privacy.exact_copies" not in ev["thresholds"]
    assert {c.key for c in report.verdict.checks if c.family == "fidelity"} == set(
        ev["thresholds"])


def test_evidence_of_a_pair_matches_either_order(report):
    # Run
    ev = evidence_for(report, "sex × age", kind="pair")
    # Assert
    assert ev["metrics"] == {"fidelity.pair_trends": {"value": 0.6, "score": 0.6,
                                                      "baseline": None, "status": "ok"}}
    assert evidence_for(report, "sex × age")["metrics"] == {}  # as a column name: no such column


def test_pair_targets_are_the_lowest_scoring_pairs_first_without_failed_ones(report):
    # Run
    targets = pair_targets(report)
    # Assert
    assert targets == ["age × sex", "age × income"]
    assert pair_targets(report, n=1) == ["age × sex"]


def test_evidence_records_which_panels_were_open_in_page_order(report):
    # Run
    ev = evidence_for(report, "age", shown=["pair trends", "scores"])
    closed = evidence_for(report, "age", shown=["scores"])
    # Assert
    assert ev["shown"] == ["scores", "pair trends"]
    assert shown_text(ev) == "scores, pair trends"
    assert shown_text(closed) == "scores"
    assert shown_text({"metrics": {}}) == "not recorded"  # decisions stored before panels were
    with pytest.raises(ValueError, match="Unknown evidence panel"):
        evidence_for(report, "age", shown=["a glance"])


def test_column_pairs_are_the_pairs_with_the_column_lowest_first(report):
    assert column_pairs(report, "age") == [{"pair": "age × sex", "score": 0.6},
                                           {"pair": "age × income", "score": 0.9}]
    assert column_pairs(report, "income") == [{"pair": "age × income", "score": 0.9}]
