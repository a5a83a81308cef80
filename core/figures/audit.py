"""The generator audit's figures: per target and overall AUC, advantage and ε lower bound.

Read from the report's ``privacy.shadow_membership_inference`` row, which ``core.evaluation``
fills in from the run's stored audit. Targets are named by their position in the training rows,
never by a value; the page shows the riskiest target's row masked (``core.drilldown``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures import colors
from core.figures.common import fmt, is_ok, not_computed_figure, styled, why_not
from core.metrics.value import MetricValue
from core.report import Report

KEY = "privacy.shadow_membership_inference"
TITLE = "Generator audit: the attack on each target record"
HEURISTICS = (
    "Distance measures (DCR, NNDR, the distance-based membership AUC, exact copies) are "
    "heuristics: they can look fine while records leak. An attack is the evidence: the "
    "generator audit retrains the generator with and without each target record and tries to "
    "tell the two apart from the synthetic output."
)
SUMMARY = (
    "Over {n} target records ({controls} of them picked at random, as controls) and {shadows} "
    "fresh test shadows, the attack reaches AUC {auc} (95% interval {low}–{high}; 0.5 is a coin "
    "toss), advantage {adv} and ε ≥ {eps}. Riskiest: target {best} (training row {row}, {kind}), "
    "AUC {t_auc}, advantage {t_adv}, ε ≥ {t_eps}. Each target's figures rest on {per} test "
    "shadows only, so one target's AUC is noisy; the ε bounds allow for that."
)
TABLE_COLUMNS = ["target", "kind", "training row", "isolation", "AUC", "advantage",
                 "ε lower bound", "TPR", "FPR", "test shadows"]
PANELS = (("auc", "AUC (0.5 = no leak)", 0.5, (0.0, 1.0)),
          ("advantage", "Advantage (TPR − FPR)", 0.0, (-1.0, 1.0)),
          ("epsilon_lower", "ε lower bound (95%)", 0.0, None))


def audit_row(report: Report) -> MetricValue | None:
    """The audit's table-level row (None when the report has none)."""
    return report.top(KEY)


def has_audit(report: Report) -> bool:
    """Whether the report shows a computed generator audit."""
    return is_ok(audit_row(report))


def _label(i: int, t: dict[str, Any]) -> str:
    return f"{i + 1} · row {t['index']} · {t['kind']}"


def audit_targets(report: Report) -> go.Figure:
    """AUC, advantage and ε lower bound per target, side by side (the riskiest in red).

    Returns:
        Three panels of horizontal bars, one bar per target, each with its reference line
        (AUC 0.5, advantage 0, ε 0); a "not computed" figure without an audit.
    """
    row = audit_row(report)
    if not is_ok(row):
        return not_computed_figure(why_not(row), TITLE)
    targets, risky = row.details["targets"], row.details.get("riskiest")
    labels = [_label(i, t) for i, t in enumerate(targets)]
    fill = [colors.FAIL if i == risky else colors.NEUTRAL if t["kind"] == "vulnerable"
            else colors.HOLDOUT for i, t in enumerate(targets)]
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[p[1] for p in PANELS])
    for col, (field, _, ref, rng) in enumerate(PANELS, start=1):
        values = [t.get(field) for t in targets]
        fig.add_trace(go.Bar(x=values, y=labels, orientation="h", marker_color=fill,
                             name=field, showlegend=False,
                             hovertemplate="%{y}: %{x:.3f}<extra></extra>"), row=1, col=col)
        fig.add_vline(x=ref, line_dash="dot", line_color=colors.IDEAL, row=1, col=col)
        if rng is not None:
            fig.update_xaxes(range=list(rng), row=1, col=col)
    fig.update_yaxes(autorange="reversed")
    overall = row.details["overall"]
    sub = (f"Overall AUC {fmt(overall['auc'])}, advantage {fmt(overall['advantage'])}, "
           f"ε ≥ {fmt(overall['epsilon_lower'])}; {targets[0]['test_shadows']} test shadows per "
           "target. Grey bars are random controls, red the riskiest target.")
    return styled(fig, TITLE, subtitle=sub, height=160 + 28 * len(targets))


def audit_table(report: Report) -> pd.DataFrame:
    """One row per target with its figures (empty without an audit)."""
    row = audit_row(report)
    if not is_ok(row):
        return pd.DataFrame(columns=TABLE_COLUMNS)
    return pd.DataFrame([{
        "target": i + 1, "kind": t["kind"], "training row": t["index"],
        "isolation": t["isolation"], "AUC": t["auc"], "advantage": t["advantage"],
        "ε lower bound": t["epsilon_lower"], "TPR": t["tpr"], "FPR": t["fpr"],
        "test shadows": t["test_shadows"],
    } for i, t in enumerate(row.details["targets"])], columns=TABLE_COLUMNS)


def overall_figures(report: Report) -> dict[str, Any] | None:
    """``auc`` (with ``ci_low``/``ci_high``), ``advantage``, ``epsilon_lower``, ``test_shadows``."""
    row = audit_row(report)
    if not is_ok(row):
        return None
    o = row.details["overall"]
    return {"auc": o["auc"], "ci_low": row.ci_low, "ci_high": row.ci_high,
            "advantage": o["advantage"], "epsilon_lower": o["epsilon_lower"],
            "test_shadows": o["test_shadows"]}


def riskiest_row(report: Report) -> int | None:
    """The riskiest target's position in the training rows (None without an audit)."""
    row = audit_row(report)
    if not is_ok(row) or row.details.get("riskiest") is None:
        return None
    return int(row.details["targets"][row.details["riskiest"]]["index"])


def audit_summary(report: Report) -> str:
    """The audit in one paragraph of plain words (why not, without one)."""
    row = audit_row(report)
    if not is_ok(row):
        return f"Not computed: {why_not(row)}."
    d, o = row.details, row.details["overall"]
    i = d["riskiest"]
    t = d["targets"][i]
    return SUMMARY.format(
        n=d["design"]["targets"], controls=d["design"]["controls"], shadows=o["test_shadows"],
        auc=fmt(o["auc"]), low=fmt(row.ci_low), high=fmt(row.ci_high),
        adv=fmt(o["advantage"]), eps=fmt(o["epsilon_lower"]), best=i + 1, row=t["index"],
        kind=t["kind"], t_auc=fmt(t["auc"]), t_adv=fmt(t["advantage"]),
        t_eps=fmt(t["epsilon_lower"]), per=t["test_shadows"])


def audit_notes(report: Report) -> list[str]:
    """The audit's notes (fewer epochs, budget, shadow sizes, the reference data)."""
    row = audit_row(report)
    return list(row.details.get("notes", [])) if is_ok(row) else []
