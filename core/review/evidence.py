"""What a reviewer saw when deciding: a column's or pair's values, and the panels open.

The metric values and thresholds of the target, and which of the page's panels were drawn.
Stored with every review decision, so a later reader knows what the decision was based on, and
can tell a decision made with the plot open from one made without looking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.report import Report

# The Review page's panels of evidence, in page order. "scores" is always drawn; the others are
# drawn only when the reviewer opens them.
PANELS = ("scores", "distribution plot", "pair trends", "pair list")
MSG_UNKNOWN_PANEL = "Unknown evidence panel(s) {names}; the panels are: {valid}."


def evidence_for(report: Report, target: str, kind: str = "column",
                 shown: Sequence[str] = ()) -> dict[str, Any]:
    """The values shown for ``target`` (a column name, or ``"a × b"`` for a pair).

    Args:
        report: The report the page showed.
        target: The column or pair.
        kind: ``"column"`` or ``"pair"``.
        shown: The panels of :data:`PANELS` that were drawn when deciding.

    Returns:
        ``{"policy", "verdict", "metrics": {key: {value, score, baseline, status}},
        "thresholds": {key: {min, max}}, "shown": [panel, ...]}``: JSON-ready, small.

    Raises:
        ValueError: A panel not in :data:`PANELS` (the page's names are written in code).
    """
    unknown = [p for p in shown if p not in PANELS]
    if unknown:
        raise ValueError(MSG_UNKNOWN_PANEL.format(names=unknown, valid=", ".join(PANELS)))
    cols = tuple(target.split(" × ")) if kind == "pair" else (target,)
    metrics: dict[str, Any] = {}
    for r in report.results:
        if r.group is not None:
            continue
        if r.columns == cols or (kind == "pair" and set(r.columns) == set(cols)):
            metrics[r.key] = {"value": r.value, "score": r.score, "baseline": r.baseline,
                              "status": r.status}
    thresholds = {c.key: {"min": c.min, "max": c.max, "value": c.value, "status": c.status}
                  for c in report.verdict.checks if c.key in metrics or c.family == "fidelity"}
    return {"policy": report.policy, "verdict": report.verdict.outcome, "run_id": report.run_id,
            "metrics": metrics, "thresholds": thresholds,
            "shown": [p for p in PANELS if p in shown]}


def shown_text(evidence: dict[str, Any]) -> str:
    """The panels a decision's evidence says were open, in words ("not recorded" before they were).

    Example: ``{"shown": ["scores", "distribution plot"]}`` -> ``"scores, distribution plot"``.
    """
    if "shown" not in evidence:
        return "not recorded"
    return ", ".join(evidence["shown"]) or "nothing"


def column_pairs(report: Report, column: str) -> list[dict[str, Any]]:
    """The pair-trend scores of every pair with ``column``, lowest first.

    Example: ``[{"pair": "age × sex", "score": 0.61}, {"pair": "age × income", "score": 0.9}]``.
    """
    rows = [r for r in report.results if r.key == "fidelity.pair_trends" and r.group is None
            and len(r.columns) == 2 and column in r.columns and r.score is not None]
    rows.sort(key=lambda r: r.score)
    return [{"pair": " × ".join(r.columns), "score": r.score} for r in rows]


def pair_targets(report: Report, n: int = 20) -> list[str]:
    """The ``n`` lowest-scoring column pairs as review targets ``"a × b"``."""
    pairs = [r for r in report.results if r.key == "fidelity.pair_trends" and len(r.columns) == 2
             and r.group is None and r.score is not None]
    pairs.sort(key=lambda r: r.score)
    return [" × ".join(r.columns) for r in pairs[:n]]
