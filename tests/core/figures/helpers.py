"""Hand-made reports and small readers shared by the figure tests."""

from __future__ import annotations

from typing import Any

from core.gate import apply_gate, get_policy
from core.metrics.config import EvalConfig
from core.metrics.value import MetricValue
from core.report import Report, family_scores
from core.schema import Schema


def make_report(rows: list[MetricValue], schema: dict | None = None,
                config: dict | None = None, sizes: dict | None = None,
                policy: str = "internal") -> Report:
    """A report from hand-made rows, judged by a real policy."""
    results = tuple(rows)
    return Report(
        schema=Schema.from_dict(schema or {"columns": [], "target": None, "protected": [],
                                           "quasi_identifiers": []}),
        config={**EvalConfig().to_dict(), **(config or {})}, results=results,
        families=family_scores(results), warnings=(),
        verdict=apply_gate(results, get_policy(policy)),
        sizes=sizes or {"real": 0, "holdout": 0, "synthetic": 0},
    )


def annotation_text(fig: Any) -> str:
    """The text of a not-computed figure's single annotation."""
    annotations = fig.to_dict()["layout"].get("annotations", [])
    assert len(annotations) == 1
    return annotations[0]["text"]
