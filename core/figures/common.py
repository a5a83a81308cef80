"""What every figure builder shares: reading rows of a report, the not-computed figure, styling.

Builders only read a :class:`~core.report.Report`; nothing here recomputes a metric. Text that
comes from the user's data (column names, categories, group labels, reasons quoting them) goes
through :func:`esc` before Plotly sees it: Plotly renders a few HTML-like tags (``<b>``,
``<a href>``) in titles, ticks and hover text, and escaping makes it show them as typed.
"""

from __future__ import annotations

import html
import math
import textwrap
from functools import cache
from typing import Any

import plotly.graph_objects as go

from core.figures import colors
from core.gate import CheckResult
from core.metrics.value import OK, MetricValue
from core.report import Report

PRIVACY_NOTE = (
    "Categories with fewer than {min_rows} real rows are grouped as 'other' and extreme values "
    "are top-coded (1st–99th percentile)."
)
NOT_IN_REPORT = "the metric is not in this report"
NOT_COMPUTED_TEXT = "Not computed: {reason}"
WRAP = 80
# Legends stay at Plotly's default place (right of the plot); this one goes below subplots.
LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "center", "x": 0.5}


def privacy_note(report: Report) -> str:
    """The sentence shown under figures built from real data, with the report's threshold.

    Example: ``min_group_rows=5`` -> "Categories with fewer than 5 real rows are grouped as
    'other' and extreme values are top-coded (1st–99th percentile)."
    """
    return PRIVACY_NOTE.format(min_rows=min_group_rows(report))


def min_group_rows(report: Report) -> int:
    """The report's ``min_group_rows`` (5 when the config does not say)."""
    return int(report.config.get("min_group_rows", 5))


# -- text ------------------------------------------------------------------------------------
def esc(text: Any) -> str:
    """User text made literal for Plotly: ``<b>x</b>`` shows as typed, not in bold."""
    return html.escape(str(text), quote=False)


def wrapped(text: str, width: int = WRAP) -> str:
    """Escape ``text`` and break it into lines of at most ``width`` characters for Plotly."""
    return "<br>".join(textwrap.wrap(esc(text), width)) or esc(text)


def fmt(x: float | None, digits: int = 3) -> str:
    """A number for titles and hover text: ``0.12345`` -> ``"0.123"``, None -> ``"n/a"``."""
    if x is None or not math.isfinite(float(x)):
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 10**digits else f"{x:.{digits}g}"


def pct(x: float | None, digits: int = 1) -> str:
    """A share as a percentage: ``0.0123`` -> ``"1.2%"``, None -> ``"n/a"``."""
    if x is None or not math.isfinite(float(x)):
        return "n/a"
    return f"{100 * x:.{digits}f}%"


# -- reading the report ------------------------------------------------------------------------
def is_ok(row: MetricValue | None) -> bool:
    """Whether a row holds a computed value."""
    return row is not None and row.status == OK and row.value is not None


def why_not(row: MetricValue | None) -> str:
    """Why a row (None when absent from the report) has no value."""
    if row is None:
        return NOT_IN_REPORT
    return row.reason or "the value is undefined"


def rows_of(report: Report, key: str) -> list[MetricValue]:
    """Every row of one metric, in report order."""
    return [r for r in report.results if r.key == key]


def column_rows(report: Report, key: str) -> dict[str, MetricValue]:
    """Per-column rows of a metric (one column, no group), by column name."""
    return {
        r.columns[0]: r for r in rows_of(report, key) if len(r.columns) == 1 and r.group is None
    }


def pair_rows(report: Report, key: str) -> list[MetricValue]:
    """Per-pair rows of a metric (two columns, no group)."""
    return [r for r in rows_of(report, key) if len(r.columns) == 2 and r.group is None]


def set_row(report: Report, key: str, attributes: tuple[str, ...]) -> MetricValue | None:
    """The row of one attribute set (``columns == attributes``, no group) of a fairness metric."""
    for r in rows_of(report, key):
        if r.columns == tuple(attributes) and r.group is None:
            return r
    return None


def group_rows(report: Report, key: str) -> list[MetricValue]:
    """Per-group rows of a privacy metric (no columns, a group label)."""
    return [r for r in rows_of(report, key) if r.columns == () and r.group is not None]


def check_of(report: Report, key: str) -> CheckResult | None:
    """The verdict's check on a metric, when the report's policy has one."""
    return next((c for c in report.verdict.checks if c.key == key), None)


def kinds(report: Report) -> dict[str, str]:
    """Column -> sdtype, from the report's schema."""
    return {c.name: c.sdtype for c in report.schema.columns}


@cache
def metric_name(key: str) -> str:
    """The registered metric's short human name (the key when it is not registered)."""
    from core.metrics.registry import REGISTRY  # deferred: importing every metric takes seconds

    metric = REGISTRY.get(key)
    return metric.name if metric is not None else key


# -- figures -----------------------------------------------------------------------------------
SUBTITLE_WIDTH = 80  # characters per line: a half-width figure on a wide page holds about 85


def wrap_subtitle(text: str, width: int = SUBTITLE_WIDTH) -> str:
    """Break a subtitle into lines of at most ``width`` characters (Plotly never wraps one).

    Text that already holds ``<br>`` is taken as laid out. Example: a 120-character sentence
    -> two lines joined by ``<br>``.
    """
    if "<br>" in text or len(text) <= width:
        return text
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False,
                                     break_on_hyphens=False))


def styled(
    fig: go.Figure,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    subtitle: str | None = None,
    **layout: Any,
) -> go.Figure:
    """Apply the common look: white template, title (and subtitle), axis titles.

    ``title`` and ``subtitle`` are used as given: escape user text in them with :func:`esc`.
    """
    title_spec: dict[str, Any] = {"text": title, "x": 0.0, "xanchor": "left"}
    top = 70
    if subtitle:
        subtitle = wrap_subtitle(subtitle)
        title_spec["subtitle"] = {"text": subtitle}
        top = 72 + 18 * (subtitle.count("<br>") + 1)
    fig.update_layout(template=colors.TEMPLATE, title=title_spec, margin={"t": top}, **layout)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def not_computed_figure(reason: str, title: str) -> go.Figure:
    """An empty figure with a centred "Not computed: <reason>" note, so the page still renders.

    Args:
        reason: Why the figure cannot be drawn (escaped here; may quote column names).
        title: The figure's title (used as given).

    Returns:
        A figure without traces, axes hidden, one annotation.
    """
    fig = go.Figure()
    fig.add_annotation(
        text=wrapped(NOT_COMPUTED_TEXT.format(reason=reason)),
        x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
        font={"size": 14, "color": colors.NOT_COMPUTED},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return styled(fig, title, height=300)
