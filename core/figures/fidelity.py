"""Fidelity figures: per-column shapes, correlations, pair trends, detection and coverage.

Every figure reads the details the fidelity metrics stored; the per-column data are already
privacy-safe (rare categories grouped as "other", numbers top-coded to the real 1st–99th
percentile), see :mod:`core.metrics.fidelity.histograms`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures import colors
from core.figures.common import (
    column_rows,
    esc,
    fmt,
    is_ok,
    kinds,
    min_group_rows,
    not_computed_figure,
    pct,
    styled,
    why_not,
)
from core.report import Report

STATISTIC = {"KS": "KS complement", "TV": "TV complement"}
METHODS = ("pearson", "spearman")
MIN_DIFFERENCE_RANGE = 0.1  # the difference panel spans at least ±0.1, so noise stays pale
MSG_NO_COLUMN = "column '{column}' is not in this report"
MSG_METHOD = "Unknown correlation method {method!r}. Valid methods: {valid}."


def column_scores(report: Report) -> pd.DataFrame:
    """Every column's shape score next to its noise floor and missing shares, worst first.

    Returns:
        Columns ``column``, ``type``, ``statistic`` (KS or TV complement), ``score`` (1.0 =
        identical distributions; NaN when not computed), ``noise floor`` (the holdout's score),
        ``missing real %`` and ``missing synthetic %``.
    """
    kind = kinds(report)
    shapes = column_rows(report, "fidelity.column_shapes")
    missing = column_rows(report, "fidelity.missing_values")
    rows = []
    for col, r in shapes.items():
        m = missing[col].details if col in missing else {}
        real_m, synth_m = m.get("real_missing_share"), m.get("synthetic_missing_share")
        rows.append({
            "column": col,
            "type": kind.get(col, ""),
            "statistic": STATISTIC.get(r.details.get("statistic", ""), ""),
            "score": r.value if is_ok(r) else np.nan,
            "noise floor": r.baseline,
            "missing real %": None if real_m is None else 100 * real_m,
            "missing synthetic %": None if synth_m is None else 100 * synth_m,
        })
    cols = ["column", "type", "statistic", "score", "noise floor", "missing real %",
            "missing synthetic %"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values("score", kind="stable", na_position="last").reset_index(drop=True)


def _bins(plot: dict[str, Any]) -> tuple[list[Any], list[float], list[str]]:
    """Bar centres, widths and readable ranges of a numeric plot; the end bins are open."""
    if plot["kind"] == "datetime":
        edges = pd.to_datetime(pd.Series(plot["edges"]))
        centres = list(edges[:-1] + (edges.diff().iloc[1:].to_numpy() / 2))
        widths = list(edges.diff().iloc[1:].dt.total_seconds() * 1000)  # Plotly dates: ms
        shown = [str(e.date()) if e == e.normalize() else str(e) for e in edges]
    else:
        e = np.asarray(plot["edges"], dtype="float64")
        centres, widths = ((e[:-1] + e[1:]) / 2).tolist(), np.diff(e).tolist()
        shown = [fmt(x) for x in e]
    ranges = [f"{shown[i]} – {shown[i + 1]}" for i in range(len(shown) - 1)]
    if ranges:  # top-coded: the first and last bins hold everything beyond them
        ranges[0] = f"≤ {shown[1]}" if len(ranges) > 1 else ranges[0]
        ranges[-1] = f"≥ {shown[-2]}" if len(ranges) > 1 else ranges[-1]
    return centres, widths, ranges


def column_plot(report: Report, column: str) -> go.Figure:
    """Real vs synthetic distribution of one column, from the column-shapes details.

    Numbers and dates: overlaid bars on shared bins over the real 1st–99th percentile range
    (values beyond it are counted in the end bins). Categories: grouped bars, rare real
    categories and synthetic-only values as "other". Shares are of non-missing values; each
    legend entry gives its table's missing share. The title gives the score.
    """
    title = f"{esc(column)}: real vs synthetic"
    r = column_rows(report, "fidelity.column_shapes").get(column)
    if r is None:
        return not_computed_figure(MSG_NO_COLUMN.format(column=column), title)
    if not is_ok(r) or not r.details.get("plot"):
        return not_computed_figure(why_not(r), title)
    plot = r.details["plot"]
    names = {
        t: f"{t.capitalize()} ({pct(plot.get(f'{t}_missing'))} missing)"
        for t in ("real", "synthetic")
    }
    fig = go.Figure()
    if plot["kind"] == "categorical":
        cats = [esc(c) for c in plot["categories"]]
        for t, colour in (("real", colors.REAL), ("synthetic", colors.SYNTHETIC)):
            fig.add_bar(name=names[t], x=cats, y=plot[t], marker_color=colour,
                        hovertemplate="%{x}: %{y:.1%}<extra>" + t + "</extra>")
        fig.update_layout(barmode="group")
        x_title = "Category"
        note = f"Categories with fewer than {min_group_rows(report)} real rows and values only " \
               "the synthetic data has are shown as 'other'."
    else:
        centres, widths, ranges = _bins(plot)
        for t, colour in (("real", colors.REAL), ("synthetic", colors.SYNTHETIC)):
            fig.add_bar(name=names[t], x=centres, y=plot[t], width=widths, customdata=ranges,
                        marker_color=colour, opacity=0.55,
                        hovertemplate="%{customdata}: %{y:.1%}<extra>" + t + "</extra>")
        fig.update_layout(barmode="overlay", bargap=0)
        x_title = "Value"
        note = "Values beyond the real 1st–99th percentile are counted in the end bins."
    stat = STATISTIC.get(r.details.get("statistic", ""), "score")
    fig.update_yaxes(tickformat=".0%")
    return styled(
        fig, f"{esc(column)}: {stat} {fmt(r.value)} (noise floor {fmt(r.baseline)})",
        x_title, "Share of non-missing values", subtitle=note,
    )


def _matrix(rows: list[list[float | None]]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype="float64")


def _z(m: np.ndarray) -> list[list[float | None]]:
    return [[None if not np.isfinite(v) else float(v) for v in row] for row in m]


def correlation_heatmaps(report: Report, method: str = "pearson") -> go.Figure:
    """Real | synthetic | difference correlation matrices of the numerical columns.

    Real and synthetic share one colour axis fixed to [-1, 1]; the difference (synthetic −
    real) has its own diverging axis, symmetric around 0.

    Args:
        report: The evaluation report.
        method: ``"pearson"`` or ``"spearman"``.

    Raises:
        ValueError: ``method`` is not one of ``METHODS`` (a programming error, not user input).
    """
    if method not in METHODS:
        raise ValueError(MSG_METHOD.format(method=method, valid=", ".join(METHODS)))
    title = f"Correlations ({method.capitalize()})"
    r = report.top(f"fidelity.correlation_{method}")
    if not is_ok(r) or "real_matrix" not in r.details:
        return not_computed_figure(why_not(r), title)
    cols = [esc(c) for c in r.details["columns"]]
    real, synth = _matrix(r.details["real_matrix"]), _matrix(r.details["synthetic_matrix"])
    diff = synth - real
    span = float(np.nanmax(np.abs(diff))) if np.isfinite(diff).any() else 0.0
    span = max(span, MIN_DIFFERENCE_RANGE)
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=("Real", "Synthetic", "Synthetic − real"))
    for i, (z, axis, what) in enumerate(
        ((real, "coloraxis", "real r"), (synth, "coloraxis", "synthetic r"),
         (diff, "coloraxis2", "difference"))
    ):
        lo, hi = (-1.0, 1.0) if axis == "coloraxis" else (-span, span)
        fig.add_heatmap(
            z=_z(z), x=cols, y=cols, coloraxis=axis, zmin=lo, zmax=hi, name=what,
            hovertemplate="%{y} & %{x}: %{z:.2f}<extra>" + what + "</extra>", row=1, col=i + 1,
        )
    bar = {"orientation": "h", "y": -0.3, "yanchor": "top", "thickness": 14}
    fig.update_layout(
        coloraxis={"colorscale": colors.CORRELATION_SCALE, "cmin": -1, "cmax": 1,
                   "colorbar": {**bar, "title": {"text": "r", "side": "top"}, "x": 0.33,
                                "len": 0.6}},
        coloraxis2={"colorscale": colors.DIFFERENCE_SCALE, "cmin": -span, "cmax": span,
                    "colorbar": {**bar, "title": {"text": "synthetic − real", "side": "top"},
                                 "x": 0.84, "len": 0.3}},
        margin={"b": 170},
    )
    fig.update_yaxes(autorange="reversed")
    return styled(
        fig, f"{title}: similarity {fmt(r.value)} (noise floor {fmt(r.baseline)})",
        subtitle="Real and synthetic on one scale from −1 to 1; the difference on its own.",
        height=560,
    )


def pair_trend_heatmap(report: Report) -> go.Figure:
    """How well every pair of columns keeps its relationship (1.0 = preserved), as a heatmap."""
    title = "Pair trends"
    r = report.top("fidelity.pair_trends")
    if not is_ok(r) or "matrix" not in r.details:
        return not_computed_figure(why_not(r), title)
    cols = [esc(c) for c in r.details["columns"]]
    fig = go.Figure(go.Heatmap(
        z=r.details["matrix"], x=cols, y=cols, zmin=0, zmax=1, colorscale=colors.SCORE_SCALE,
        colorbar={"title": {"text": "score"}}, name="pair score",
        hovertemplate="%{y} ↔ %{x}: %{z:.3f}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed")
    sdm = r.details.get("sdmetrics_compatible")
    return styled(
        fig, f"{title}: mean {fmt(r.value)} (noise floor {fmt(r.baseline)})",
        subtitle="Correlation similarity (numbers) or contingency similarity (categories); "
        f"1.0 = preserved. SDMetrics' Column Pair Trends score: {fmt(sdm)}.",
        height=520,
    )


def detection_features(report: Report) -> go.Figure:
    """The columns that give synthetic rows away to the real-vs-synthetic classifier.

    Left: permutation importance (drop in held-out AUC when the column is shuffled). Right: the
    AUC of each column alone, with 0.5 (gives nothing away) marked.
    """
    title = "What gives the synthetic rows away"
    r = report.top("fidelity.detection")
    if not is_ok(r):
        return not_computed_figure(why_not(r), title)
    top = r.details.get("top_features", [])
    alone = r.details.get("column_auc", [])
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.25, subplot_titles=(
        "Classifier relies on (AUC drop when shuffled)", "Column alone (AUC)"))
    fig.add_bar(x=[f["auc_drop"] for f in top], y=[esc(f["column"]) for f in top],
                orientation="h", marker_color=colors.NEUTRAL, name="AUC drop",
                hovertemplate="%{y}: %{x:.3f}<extra></extra>", row=1, col=1)
    fig.add_bar(x=[f["auc"] for f in alone], y=[esc(f["column"]) for f in alone],
                orientation="h", marker_color=colors.NEUTRAL, name="AUC alone",
                hovertemplate="%{y}: %{x:.3f}<extra></extra>", row=1, col=2)
    fig.add_vline(x=0.5, line_dash="dash", line_color=colors.IDEAL, row=1, col=2)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="Drop in AUC", row=1, col=1)
    fig.update_xaxes(title_text="AUC (0.5 = indistinguishable)", range=[0.4, 1.0], row=1, col=2)
    return styled(
        fig, f"{title} (detection AUC {fmt(r.value)}, holdout {fmt(r.baseline)})",
        subtitle="AUC 0.5 means a classifier cannot tell real from synthetic rows.",
        showlegend=False, height=420,
    )


def projection_scatter(report: Report) -> go.Figure:
    """Real and synthetic rows projected on the first two principal components (2-D PCA)."""
    title = "Real and synthetic rows in two dimensions (PCA)"
    r = report.top("fidelity.detection")
    pca = r.details.get("pca") if is_ok(r) else None
    if not pca:
        return not_computed_figure(why_not(r) if not is_ok(r) else "no projection stored", title)
    fig = go.Figure()
    for t, colour in (("real", colors.REAL), ("synthetic", colors.SYNTHETIC)):
        pts = np.asarray(pca[t], dtype="float64").reshape(-1, 2)
        fig.add_scatter(x=pts[:, 0].tolist(), y=pts[:, 1].tolist(), mode="markers",
                        name=t.capitalize(),
                        marker={"color": colour, "size": 5, "opacity": 0.5},
                        hovertemplate="(%{x:.2f}, %{y:.2f})<extra>" + t + "</extra>")
    ev = list(pca.get("explained_variance") or [None, None]) + [None, None]
    return styled(
        fig, title, f"PC1 ({pct(ev[0])} of variance)", f"PC2 ({pct(ev[1])} of variance)",
        subtitle="Up to 500 rows of each; overlapping clouds mean the rows look alike.",
    )


def _not_covered(r: Any) -> str:
    d = r.details
    if "uncovered_below" in d:
        below, above = d.get("uncovered_below") or 0.0, d.get("uncovered_above") or 0.0
        if below == 0 and above == 0:
            return ""
        return f"{pct(below)} of the real range below, {pct(above)} above"
    parts = list(d.get("missing_categories", []))
    if d.get("missing_common_not_listed"):
        parts.append(f"{d['missing_common_not_listed']} more")
    if d.get("missing_rare_categories"):
        parts.append(f"{d['missing_rare_categories']} rare categories")
    return ", ".join(parts)


def _invalid(r: Any) -> str:
    d = r.details
    if "below_min_share" in d:
        below, above = d.get("below_min_share") or 0.0, d.get("above_max_share") or 0.0
        if below == 0 and above == 0:
            return ""
        return f"{pct(below)} below the real minimum, {pct(above)} above the maximum"
    cats = [f"{c} ({n})" for c, n in zip(d.get("invalid_categories", []),
                                          d.get("invalid_category_counts", []), strict=False)]
    if d.get("invalid_categories_not_listed"):
        cats.append(f"{d['invalid_categories_not_listed']} more")
    return ", ".join(cats)


def coverage_table(report: Report) -> pd.DataFrame:
    """Per column: range or category coverage, what was never produced, and invalid values.

    Returns:
        Columns ``column``, ``type``, ``coverage`` (1.0 = the whole real range or every real
        category is produced), ``noise floor`` (the holdout's coverage), ``not produced``,
        ``invalid share`` (synthetic values outside the real range or categories) and
        ``invalid values``. Rare real categories are only counted, never named.
    """
    kind = kinds(report)
    cover = {**column_rows(report, "fidelity.range_coverage"),
             **column_rows(report, "fidelity.category_coverage")}
    invalid = column_rows(report, "fidelity.invalid_values")
    rows = []
    for col in [c for c in kind if c in cover or c in invalid]:
        c, v = cover.get(col), invalid.get(col)
        rows.append({
            "column": col,
            "type": kind[col],
            "coverage": c.value if is_ok(c) else np.nan,
            "noise floor": c.baseline if c is not None else None,
            "not produced": _not_covered(c) if c is not None else "",
            "invalid share": v.value if is_ok(v) else np.nan,
            "invalid values": _invalid(v) if is_ok(v) else "",
        })
    cols = ["column", "type", "coverage", "noise floor", "not produced", "invalid share",
            "invalid values"]
    return pd.DataFrame(rows, columns=cols)
