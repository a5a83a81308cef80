"""The generator audit's figures read the report's audit row; without one they say why."""

from __future__ import annotations

import pytest

from core.audit.run import AuditInputs, run_audit
from core.export import render_html
from core.export.html_report import visible_text
from core.figures import audit, evidence, privacy
from core.metrics.privacy.shadow_membership import KEY, MSG_NO_AUDIT, ShadowMembershipInference
from core.schema import detect_schema
from tests.core.audit.generators import Memorising
from tests.core.figures.helpers import annotation_text, make_report
from tests.core.figures.test_evidence import SAFE, _with


@pytest.fixture(scope="module")
def result(adult):
    rows = adult.sample(450, random_state=5).reset_index(drop=True)
    inputs = AuditInputs(run_id="r1", generator="memorising", params={}, train=rows[:300],
                         reference=rows[300:], schema=detect_schema(rows), targets=4,
                         shadows=16, shadow_rows=50, seed=3)
    return run_audit(inputs, generator=Memorising())


@pytest.fixture(scope="module")
def audited(result):
    rows = ShadowMembershipInference().rows_from_audit(result.to_dict(), audit_id="a1")
    return make_report([r for r in _with(SAFE) if r.key != KEY] + rows, policy="partner")


def test_per_target_chart_has_three_panels_and_marks_the_riskiest(audited, result):
    # Run
    d = audit.audit_targets(audited).to_dict()

    # Assert
    assert [t["type"] for t in d["data"]] == ["bar"] * 3
    assert [t["x"] for t in d["data"]] == [
        [t.figures.auc for t in result.targets], [t.figures.advantage for t in result.targets],
        [t.figures.epsilon_lower for t in result.targets]]
    labels = d["data"][0]["y"]
    assert labels[0] == f"1 · row {result.targets[0].index} · vulnerable"
    assert labels[-1].endswith("· random")
    risky = result.targets.index(result.riskiest)
    assert d["data"][0]["marker"]["color"][risky] == "#cf222e"
    assert d["layout"]["title"]["text"] == audit.TITLE


def test_table_summary_overall_and_riskiest_row(audited, result):
    # Run
    table = audit.audit_table(audited)
    overall = audit.overall_figures(audited)

    # Assert
    assert list(table.columns) == audit.TABLE_COLUMNS and len(table) == 4
    assert list(table["training row"]) == [t.index for t in result.targets]
    assert overall["auc"] == result.overall.auc and overall["test_shadows"] == 40  # 4 x 10
    assert overall["epsilon_lower"] == result.overall.epsilon_lower
    assert audit.riskiest_row(audited) == result.riskiest.index
    text = audit.audit_summary(audited)
    assert text.startswith("Over 4 target records (1 of them picked at random, as controls) and "
                           "40 fresh test shadows, the attack reaches AUC 1 ")
    assert audit.audit_notes(audited) == list(result.notes)


def test_without_an_audit_every_figure_says_why():
    # Setup: the evaluation's own row (the audit is a job of its own)
    report = make_report(ShadowMembershipInference().compute(None))

    # Assert
    assert not audit.has_audit(report)
    shown = annotation_text(audit.audit_targets(report)).replace("<br>", " ")
    assert shown == f"Not computed: {MSG_NO_AUDIT}"
    assert audit.audit_table(report).empty and audit.overall_figures(report) is None
    assert audit.audit_summary(report) == f"Not computed: {MSG_NO_AUDIT}."
    assert audit.riskiest_row(report) is None


def test_distances_fine_but_the_audit_attack_wins_is_flagged(audited):
    # Run
    df = privacy.evidence_matrix(audited).set_index("evidence")

    # Assert: the audit says risk; every distance measure disagrees with it
    label = "Shadow-model membership inference (generator audit)"
    assert df.loc[label, "says"] == "risk" and df.loc[label, "kind"] == "attack"
    assert df.loc[label, "risk when"] == "> 0.6 (policy partner)"
    assert df.loc[label, "disagrees"] and df.loc["Exact copies", "disagrees"]
    assert privacy.evidence_summary(audited).startswith(
        evidence.SUMMARY_ATTACK_ONLY.format(names=label))


def test_the_html_report_includes_the_audit(audited, result):
    # Run
    seen = visible_text(render_html(audited, title="t", facts={}, decisions=[], signoff=None))

    # Assert
    part = seen.split("Generator audit", 1)[1].split("Fairness", 1)[0]
    assert audit.HEURISTICS in part
    assert audit.audit_summary(audited) in part
    assert "ε lower bound" in part and str(result.targets[0].index) in part
    assert all(note in part for note in result.notes)
