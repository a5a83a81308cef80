"""The overview page: family scores, the acceptance gate, the worst columns and pairs, the badge."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.figures import colors
from core.figures.common import column_rows, is_ok, kinds, pair_rows, styled
from core.gate import Check
from core.metrics.value import FAMILIES
from core.report import Report

RESULT_TEXT = {"pass": "pass", "fail": "fail", "not_computed": "not computed",
               "inconclusive": "inconclusive (within noise)"}
VERDICT_TEXT = {"pass": "PASS", "fail": "FAIL", "incomplete": "INCOMPLETE"}
MSG_FAMILY_NOT_COMPUTED = "not computed: no metric of this family could be computed"


def family_label(report: Report, family: str) -> str:
    """A family's score with its checks beside it, e.g. ``"98 · 2 checks fail"``.

    ``Report.families`` stays the mean of the family's scores; this label keeps a high mean from
    reading as a clean result while the family's checks fail or are inconclusive.

    Example: score 98.2, two failing privacy checks -> ``"98 · 2 checks fail"``.
    """
    score = report.families.get(family)
    text = "not computed" if score is None else f"{score:.0f}"
    checks = [c for c in report.verdict.checks if c.family == family]
    n_fail = sum(c.status == "fail" for c in checks)
    n_inc = sum(c.status == "inconclusive" for c in checks)
    if n_fail:
        text += f" · {n_fail} check{'s' if n_fail > 1 else ''} fail{'' if n_fail > 1 else 's'}"
    if n_inc:
        text += f" · {n_inc} inconclusive"
    return text


def family_scores(report: Report) -> go.Figure:
    """One bar per family on 0–100 (100 = best); families without a score say "not computed".

    Args:
        report: The evaluation report.

    Returns:
        A bar figure: one trace of computed families (coloured on the score scale) and one grey
        trace of zero-height bars labelled "not computed" for the others.
    """
    done = [f for f in FAMILIES if report.families.get(f) is not None]
    missing = [f for f in FAMILIES if report.families.get(f) is None]
    fig = go.Figure()
    scores = [float(report.families[f]) for f in done]
    fig.add_bar(
        name="score", x=[f.capitalize() for f in done], y=scores,
        # the score, then each count on a line of its own: a bar is too narrow for one long line
        # (Plotly would shrink it until it is unreadable)
        text=[family_label(report, f).replace(" · ", "<br>") for f in done],
        textposition="outside", cliponaxis=False,
        marker={"color": scores, "colorscale": colors.SCORE_SCALE, "cmin": 0, "cmax": 100},
        hovertemplate="%{x}: %{y:.1f} / 100<extra></extra>",
    )
    fig.add_bar(
        name="not computed", x=[f.capitalize() for f in missing], y=[0] * len(missing),
        text=["not computed"] * len(missing), textposition="outside",
        marker={"color": colors.NOT_COMPUTED},
        hovertext=[MSG_FAMILY_NOT_COMPUTED] * len(missing), hoverinfo="text",
    )
    fig.update_xaxes(categoryorder="array", categoryarray=[f.capitalize() for f in FAMILIES])
    lines = max((family_label(report, f).count(" · ") + 1 for f in done), default=1)
    fig.update_yaxes(range=[0, 104 + 8 * lines], tickvals=[0, 20, 40, 60, 80, 100])
    fig.update_layout(uniformtext={"minsize": 11, "mode": "show"})
    return styled(
        fig, "Score per family", "Family", "Score (0–100, higher is better)",
        subtitle="Mean of the family's computed table-level scores;<br>failing and inconclusive "
        "checks of the policy are counted above it.", showlegend=False,
    )


def gate_table(report: Report) -> pd.DataFrame:
    """The acceptance gate as a table, one row per check of the report's policy.

    Returns:
        Columns ``check`` (metric name), ``family``, ``value`` (raw, None when not computed),
        ``bound`` (e.g. "≤ 0.02"), ``noise floor`` (the holdout's value, where it is one),
        ``result`` (pass / fail / inconclusive (within noise) / not computed), ``meaning`` and
        ``rule`` (how the value, bound and noise decided it).
    """
    rows = [
        {
            "check": c.name,
            "family": c.family,
            "value": c.value,
            "bound": Check(c.key, c.min, c.max, "").bound_text(),
            "noise floor": c.noise_floor,
            "result": RESULT_TEXT.get(c.status, c.status),
            "meaning": c.meaning,
            "rule": c.rule,
        }
        for c in report.verdict.checks
    ]
    cols = ["check", "family", "value", "bound", "noise floor", "result", "meaning", "rule"]
    return pd.DataFrame(rows, columns=cols)


def worst_columns(report: Report, n: int = 5) -> pd.DataFrame:
    """The ``n`` columns whose shapes match the real ones least (column-shapes score).

    Returns:
        Columns ``column``, ``type``, ``score`` (KS/TV complement, 1.0 = identical) and
        ``baseline`` (the same score of the holdout: the noise floor), worst first.
    """
    kind = kinds(report)
    rows = [
        {"column": col, "type": kind.get(col, ""), "score": r.value, "baseline": r.baseline}
        for col, r in column_rows(report, "fidelity.column_shapes").items()
        if is_ok(r)
    ]
    df = pd.DataFrame(rows, columns=["column", "type", "score", "baseline"])
    return df.sort_values("score", kind="stable").head(n).reset_index(drop=True)


def worst_pairs(report: Report, n: int = 5) -> pd.DataFrame:
    """The ``n`` column pairs whose relationship is kept least (pair-trends score).

    Returns:
        Columns ``pair`` ("a ↔ b") and ``score`` (1.0 = relationship preserved), worst first.
    """
    rows = [
        {"pair": f"{r.columns[0]} ↔ {r.columns[1]}", "score": r.value}
        for r in pair_rows(report, "fidelity.pair_trends")
        if is_ok(r)
    ]
    df = pd.DataFrame(rows, columns=["pair", "score"])
    return df.sort_values("score", kind="stable").head(n).reset_index(drop=True)


def verdict_badge(report: Report) -> tuple[str, str]:
    """The verdict as a short text and its colour, e.g. ``("FAIL · policy internal", FAIL)``.

    The text is plain (no markup); the policy name comes from ``policies.toml``.
    """
    outcome = report.verdict.outcome
    text = f"{VERDICT_TEXT.get(outcome, outcome.upper())} · policy {report.policy}"
    return text, colors.OUTCOME.get(outcome, colors.NOT_COMPUTED)
