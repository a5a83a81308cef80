"""What a reviewer saw when deciding: the metric values and thresholds of one column or pair.

Stored with every review decision, so a later reader knows what the decision was based on.
"""

from __future__ import annotations

from typing import Any

from core.report import Report


def evidence_for(report: Report, target: str, kind: str = "column") -> dict[str, Any]:
    """The values shown for ``target`` (a column name, or ``"a × b"`` for a pair).

    Returns:
        ``{"policy", "verdict", "metrics": {key: {value, score, baseline, status}},
        "thresholds": {key: {min, max}}}``: JSON-ready, small.
    """
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
            "metrics": metrics, "thresholds": thresholds}


def pair_targets(report: Report, n: int = 20) -> list[str]:
    """The ``n`` lowest-scoring column pairs as review targets ``"a × b"``."""
    pairs = [r for r in report.results if r.key == "fidelity.pair_trends" and len(r.columns) == 2
             and r.group is None and r.score is not None]
    pairs.sort(key=lambda r: r.score)
    return [" × ".join(r.columns) for r in pairs[:n]]
