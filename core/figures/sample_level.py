"""Propensity and sample-level fidelity: the pMSE ratio, α-precision and β-recall, and curves.

Read from the details of ``fidelity.pmse``, ``fidelity.alpha_precision`` and
``fidelity.beta_recall``; nothing here shows a row.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures import colors
from core.figures.common import fmt, is_ok, metric_name, not_computed_figure, styled, why_not
from core.report import Report

KEYS = ("fidelity.pmse", "fidelity.alpha_precision", "fidelity.beta_recall")
MEANING = {
    "fidelity.pmse": "A logistic model with every two-way interaction tells synthetic rows from "
    "real ones {v} times as well as it could rows of a correct generator (1); a fresh real "
    "sample reaches {b}. {sep} would mean it separates them perfectly.",
    "fidelity.alpha_precision": "Synthetic rows are as typical of the real rows as {v} on a "
    "0-1 scale (1 = as typical as real rows); unseen real rows reach {b}.",
    "fidelity.beta_recall": "Synthetic rows cover the real rows {v} on a 0-1 scale; unseen real "
    "rows reach only {b} (half of their nearest neighbours are real), a copy 1.",
}
COLUMNS = ["measure", "value", "holdout (noise floor)", "rows per side", "what it means"]


def sample_level_table(report: Report) -> pd.DataFrame:
    """The three measures with their value, the holdout's value and what they mean.

    Returns:
        Columns ``measure``, ``value`` (None when not computed), ``holdout (noise floor)``,
        ``rows per side`` and ``what it means``; one row per measure in the report.
    """
    rows = []
    for key in KEYS:
        r = report.top(key)
        if r is None:
            continue
        ok = is_ok(r)
        sep = r.details.get("separation_ratio") if ok else None
        meaning = (MEANING[key].format(v=fmt(r.value), b=fmt(r.baseline), sep=fmt(sep, 2))
                   if ok else f"Not computed: {why_not(r)}")
        rows.append({"measure": metric_name(key), "value": r.value if ok else None,
                     "holdout (noise floor)": r.baseline if ok else None,
                     "rows per side": r.details.get("rows_per_side") if ok else None,
                     "what it means": meaning})
    return pd.DataFrame(rows, columns=COLUMNS)


def alpha_beta_curves(report: Report) -> go.Figure:
    """α-precision and β-recall curves of the synthetic and holdout rows against the diagonal."""
    title = "α-precision and β-recall curves"
    a, b = report.top("fidelity.alpha_precision"), report.top("fidelity.beta_recall")
    if not is_ok(a) or not is_ok(b):
        return not_computed_figure(why_not(a if not is_ok(a) else b), title)
    alphas = a.details.get("alphas", [])
    fig = make_subplots(rows=1, cols=2, subplot_titles=(
        f"α-precision {fmt(a.value)} (holdout {fmt(a.baseline)})",
        f"β-recall {fmt(b.value)} (holdout {fmt(b.baseline)})"))
    for col, r in ((1, a), (2, b)):
        fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="Ideal",
                        line={"dash": "dash", "color": colors.IDEAL}, showlegend=col == 1,
                        row=1, col=col)
        fig.add_scatter(x=alphas, y=r.details.get("curve", []), mode="lines", name="Synthetic",
                        line={"color": colors.SYNTHETIC}, showlegend=col == 1, row=1, col=col)
        if r.details.get("holdout_curve"):
            fig.add_scatter(x=alphas, y=r.details["holdout_curve"], mode="lines",
                            name="Holdout (real, unseen)", line={"color": colors.HOLDOUT},
                            showlegend=col == 1, row=1, col=col)
    fig.update_xaxes(title_text="level α (β)", range=[0, 1])
    fig.update_yaxes(range=[0, 1])
    emb = a.details.get("embedding", {})
    return styled(
        fig, title,
        subtitle=(f"On a one-class embedding ({emb.get('epochs', '?')} epochs on "
                  f"{emb.get('training_rows', '?')} real rows), "
                  f"{a.details.get('rows_per_side', '?')} rows per side; the closer to the "
                  "diagonal, the better."),
        height=420,
    )
