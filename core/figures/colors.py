"""Colours of every figure, as constants (SDMetrics ``PlotConfig``).

Real rows are always blue and synthetic rows always orange, in every figure; holdout rows (real
people the generator never saw) are grey. Outcomes of checks use GitHub's pass/fail colours.
"""

from __future__ import annotations

REAL = "#1f6feb"  # blue: real (training) rows
SYNTHETIC = "#f28e2b"  # orange: synthetic rows
HOLDOUT = "#7f7f7f"  # grey: real rows the generator never saw (the noise floor)

PASS = "#2da44e"
FAIL = "#cf222e"
INCOMPLETE = "#bf8700"  # amber: nothing failed, but something was not computed
NOT_COMPUTED = "#8c959f"
NEUTRAL = "#57606a"  # a measure that is neither real nor synthetic data (risks, scores)
IDEAL = "#1a7f37"  # reference lines at the ideal value

# Result of a check or verdict -> colour.
OUTCOME = {
    "pass": PASS,
    "fail": FAIL,
    "incomplete": INCOMPLETE,
    "not_computed": NOT_COMPUTED,
    "not computed": NOT_COMPUTED,
}

# Correlations in [-1, 1]: red negative, white 0, blue positive (ColorBrewer RdBu, reversed).
CORRELATION_SCALE = [
    [0.0, "#67001f"],
    [0.25, "#d6604d"],
    [0.5, "#f7f7f7"],
    [0.75, "#4393c3"],
    [1.0, "#053061"],
]
# Differences (synthetic minus real), centred on 0: brown below, green above (ColorBrewer BrBG),
# so a difference panel never reads like a correlation panel.
DIFFERENCE_SCALE = [
    [0.0, "#543005"],
    [0.25, "#bf812d"],
    [0.5, "#f5f5f5"],
    [0.75, "#35978f"],
    [1.0, "#003c30"],
]
# Scores in [0, 1] or 0-100 (1 = best): light to dark purple (ColorBrewer Purples), neither the
# real blue nor the synthetic orange.
SCORE_SCALE = [
    [0.0, "#efedf5"],
    [0.25, "#bcbddc"],
    [0.5, "#9e9ac8"],
    [0.75, "#6a51a3"],
    [1.0, "#3f007d"],
]

TEMPLATE = "plotly_white"
