"""Comparing runs of one dataset: the leaderboard table and the privacy–fidelity trade-off."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from core.figures import colors
from core.figures.common import esc, not_computed_figure, styled

if TYPE_CHECKING:  # core.evaluation pulls in the store; figures only read the rows
    from core.evaluation import LeaderboardRow

LEADERBOARD_COLUMNS = ["run", "generator", "settings", "rows", "fidelity", "utility", "privacy",
                       "fairness", "verdict", "policy"]
VERDICT_ORDER = ("pass", "incomplete", "fail")
MSG_NO_RUNS = "there is no evaluated run to compare yet"
MSG_NO_POINTS = "no run has both a privacy and a fidelity score"


def leaderboard(rows: Sequence[LeaderboardRow]) -> pd.DataFrame:
    """The runs as a table, in the order given (``compare`` sorts them best first).

    Returns:
        Columns ``run``, ``generator``, ``settings`` (the generator's parameters as compact
        JSON), ``rows``, the four family scores (0–100, None when not computed), ``verdict``
        and ``policy``.
    """
    data = [
        {
            "run": r.run_id,
            "generator": r.generator,
            "settings": json.dumps(r.params, sort_keys=True, default=str) if r.params else "",
            "rows": r.rows,
            "fidelity": r.fidelity,
            "utility": r.utility,
            "privacy": r.privacy,
            "fairness": r.fairness,
            "verdict": r.verdict,
            "policy": r.policy,
        }
        for r in rows
    ]
    return pd.DataFrame(data, columns=LEADERBOARD_COLUMNS)


def tradeoff_scatter(rows: Sequence[LeaderboardRow]) -> go.Figure:
    """Privacy score against fidelity score, one labelled point per run, coloured by verdict.

    Runs without one of the two scores cannot be placed; the subtitle says how many.
    """
    title = "Privacy vs fidelity per run"
    if not rows:
        return not_computed_figure(MSG_NO_RUNS, title)
    placed = [r for r in rows if r.privacy is not None and r.fidelity is not None]
    if not placed:
        return not_computed_figure(MSG_NO_POINTS, title)
    fig = go.Figure()
    outcomes = list(VERDICT_ORDER) + sorted({r.verdict for r in placed} - set(VERDICT_ORDER))
    for outcome in outcomes:
        runs = [r for r in placed if r.verdict == outcome]
        if not runs:
            continue
        fig.add_scatter(
            x=[r.privacy for r in runs], y=[r.fidelity for r in runs], mode="markers+text",
            name=outcome, text=[esc(r.generator) for r in runs], textposition="top center",
            customdata=[r.run_id for r in runs],
            marker={"color": colors.OUTCOME.get(outcome, colors.NOT_COMPUTED), "size": 12},
            hovertemplate="%{text} (run %{customdata}): privacy %{x:.1f}, fidelity %{y:.1f}"
            "<extra>" + outcome + "</extra>",
        )
    fig.update_xaxes(range=[0, 105])
    fig.update_yaxes(range=[0, 105])
    left_out = len(rows) - len(placed)
    sub = "Top right is best: private and faithful."
    if left_out:
        sub += f" {left_out} run(s) without both scores are not shown."
    return styled(fig, title, "Privacy score (0–100)", "Fidelity score (0–100)", subtitle=sub,
                  legend_title_text="verdict")
