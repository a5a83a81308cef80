"""Utility figures: the model trained on synthetic rows (TSTR) next to the one trained on real rows.

Both models are tested on the real holdout rows; the utility metrics stored each model's figure
and the gap, so the figures only lay them side by side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures import colors
from core.figures.common import (
    LEGEND_BELOW,
    check_of,
    esc,
    fmt,
    is_ok,
    metric_name,
    not_computed_figure,
    pct,
    styled,
    why_not,
)
from core.report import Report

GAP_KEYS = ("utility.accuracy", "utility.macro_f1", "utility.roc_auc", "utility.r2", "utility.mae")
FIGURE_NAME = {
    "utility.accuracy": "Accuracy",
    "utility.macro_f1": "Macro F1",
    "utility.roc_auc": "ROC AUC",
    "utility.r2": "R²",
    "utility.mae": "Mean absolute error",
}
TRTR_NAME = "Trained on real (TRTR)"
TSTR_NAME = "Trained on synthetic (TSTR)"
BASELINE_NAME = "Baseline (no model)"
LIFT_KEY = "utility.beats_baseline"
MSG_LIFT = (
    "Always predicting the {baseline} gives {figure} {base}; the model trained on synthetic rows "
    "gives {tstr}, the one trained on real rows {trtr}: the synthetic-trained model keeps {lift} "
    "of the real model's gain over that baseline."
)
MSG_PREDICTS = " It predicts {shares} of the holdout rows."
MSG_NO_BETTER = " It is no better than the baseline: utility fails under every policy."
WRONG_TASK = "applies only to"  # in MSG_WRONG_TASK: the figure does not fit the target's task


TABLE_COLUMNS = ["measure", "TRTR", "TSTR", "baseline", "gap", "score", "note"]


def _gap_rows(report: Report) -> list[tuple[str, object]]:
    return [(k, report.top(k)) for k in GAP_KEYS]


def tstr_vs_trtr(report: Report) -> go.Figure:
    """One panel per model figure (accuracy, macro F1, ROC AUC, or R², MAE): TRTR vs TSTR bars.

    Each panel's title gives the gap (TRTR − TSTR; for MAE the relative increase). Figures that
    do not fit the target's task are left out.
    """
    title = "Model trained on synthetic vs real rows, tested on real holdout rows"
    rows = [(k, r) for k, r in _gap_rows(report) if is_ok(r)]
    if not rows:
        first = report.top("utility.accuracy") or report.top("utility.r2")
        return not_computed_figure(why_not(first), title)
    fig = make_subplots(
        rows=1, cols=len(rows), horizontal_spacing=0.08,
        subplot_titles=[f"{FIGURE_NAME[k]}: gap {fmt(r.value)}" for k, r in rows],
    )
    for i, (k, r) in enumerate(rows):
        for name, value, colour in ((TRTR_NAME, r.details.get("trtr"), colors.REAL),
                                    (TSTR_NAME, r.details.get("tstr"), colors.SYNTHETIC),
                                    (BASELINE_NAME, r.details.get("baseline"), colors.NEUTRAL)):
            fig.add_bar(
                x=[name.split(" (")[0]], y=[value], name=name, marker_color=colour,
                legendgroup=name, showlegend=i == 0, text=[fmt(value)], textposition="outside",
                hovertemplate=f"{FIGURE_NAME[k]}, {name}: " + "%{y:.3f}<extra></extra>",
                row=1, col=i + 1,
            )
        fig.update_yaxes(title_text=FIGURE_NAME[k], row=1, col=i + 1)
        if k in ("utility.accuracy", "utility.macro_f1", "utility.roc_auc"):
            fig.update_yaxes(range=[0, 1.1], row=1, col=i + 1)
    fig.update_xaxes(showticklabels=False)
    positive = next((r.details.get("positive_label") for _, r in rows
                     if r.details.get("positive_label") is not None), None)
    sub = ("Gap = TRTR − TSTR (MAE: relative increase); 0 or less means no loss. Grey: "
           f"{esc(rows[0][1].details.get('baseline_name', 'the baseline'))} for every row.")
    if positive is not None:
        sub += f" Positive class: {esc(positive)}."
    return styled(fig, title, subtitle=sub, height=420, legend=LEGEND_BELOW)


def feature_importances(report: Report) -> go.Figure:
    """Permutation importance of every feature for both models, side by side.

    Features are ordered by their importance for the real-trained model; error bars are the
    standard deviation over the permutations. The title gives the Spearman agreement.
    """
    title = "Which columns the models rely on"
    r = report.top("utility.feature_importance")
    d = r.details if r is not None else {}
    if "features" not in d:
        return not_computed_figure(why_not(r), title)
    order = np.argsort(-np.nan_to_num(np.asarray(d["trtr"], dtype="float64")), kind="stable")
    feats = [esc(d["features"][i]) for i in order]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=(TRTR_NAME, TSTR_NAME))
    for col, (t, name, colour) in enumerate(
        (("trtr", TRTR_NAME, colors.REAL), ("tstr", TSTR_NAME, colors.SYNTHETIC)), start=1
    ):
        std = d.get(f"{t}_std")
        fig.add_bar(
            x=[d[t][i] for i in order], y=feats, orientation="h", name=name, marker_color=colour,
            error_x={"type": "data", "array": [std[i] for i in order]} if std else None,
            hovertemplate="%{y}: %{x:.4f}<extra>" + name + "</extra>", row=1, col=col,
        )
        fig.update_xaxes(title_text="Drop in score when shuffled", row=1, col=col)
    fig.update_yaxes(autorange="reversed")
    sub = (f"Spearman agreement {fmt(r.value)} (1.0 = same ranking)." if is_ok(r)
           else f"Agreement not computed: {esc(why_not(r))}")
    return styled(fig, title, subtitle=sub, height=max(360, 28 * len(feats)), showlegend=False)


def utility_table(report: Report) -> pd.DataFrame:
    """Every utility measure with both models' figures, the gap, its score and a note.

    Returns:
        Columns ``measure``, ``TRTR``, ``TSTR``, ``baseline`` (majority class or mean),
        ``gap``, ``score`` (1.0 = no loss) and
        ``note`` (why it was not computed). Measures that do not fit the target's task (R² for
        a categorical target) are left out.
    """
    rows = []
    fi_key = "utility.feature_importance"
    for key, r in _gap_rows(report) + [(fi_key, report.top(fi_key))]:
        if r is None or (not is_ok(r) and WRONG_TASK in (r.reason or "")):
            continue
        gap_metric = key != fi_key
        if not is_ok(r):
            note = f"Not computed: {why_not(r)}"
        elif gap_metric:
            note = ""
        else:
            note = f"Spearman rank correlation of the two rankings: {fmt(r.value)}"
        rows.append({
            "measure": metric_name(key),
            "TRTR": r.details.get("trtr") if gap_metric else None,
            "TSTR": r.details.get("tstr") if gap_metric else None,
            "baseline": r.details.get("baseline") if gap_metric else None,
            "gap": r.value if gap_metric and is_ok(r) else None,
            "score": r.score if is_ok(r) else None,
            "note": note,
        })
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def baseline_note(report: Report) -> str:
    """The TSTR model against the no-skill baseline, in plain words (empty when not computed).

    Plain text (not HTML-escaped): pages escape it for Markdown.

    Example: "Always predicting the majority class '<=50K' gives accuracy 0.76; the model trained
    on synthetic rows gives 0.764, ...: keeps 3.5% of the real model's gain ... It predicts
    '<=50K' for 98.9% ... It is no better than the baseline: utility fails under every policy."
    """
    r = report.top(LIFT_KEY)
    if r is None or "baseline" not in r.details:
        return ""
    d = r.details
    text = MSG_LIFT.format(baseline=d["baseline_name"], figure=d["figure"],
                           base=fmt(d["baseline"]), tstr=fmt(d["tstr"]), trtr=fmt(d["trtr"]),
                           lift=pct(r.value) if is_ok(r) else "n/a")
    shares = d.get("tstr_predicted_shares")
    if shares:
        text += MSG_PREDICTS.format(shares=", ".join(
            f"'{k}' for {pct(v)}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1])))
    check = check_of(report, LIFT_KEY)
    if check is not None and check.status == "fail":
        text += MSG_NO_BETTER
    return text
