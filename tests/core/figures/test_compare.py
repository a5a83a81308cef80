"""Comparing runs: the leaderboard table and the privacy–fidelity scatter."""

from __future__ import annotations

from core.evaluation import LeaderboardRow
from core.figures import colors, compare
from tests.core.figures.helpers import annotation_text

ROWS = [
    LeaderboardRow("r1", "gaussian_copula", {}, 1000, 80.0, 70.0, 95.0, 75.0, "pass", "internal"),
    LeaderboardRow("r2", "ctgan", {"epochs": 10}, 1000, 60.0, None, 90.0, None, "incomplete",
                   "internal"),
    LeaderboardRow("r3", "tvae", {"epochs": 5}, 500, 85.0, 72.0, 40.0, 70.0, "fail", "internal"),
    LeaderboardRow("r4", "uploaded", {}, None, None, None, 99.0, None, "fail", "internal"),
]


def test_leaderboard_keeps_order_and_scores():
    # Setup / Run
    df = compare.leaderboard(ROWS)

    # Assert
    assert list(df.columns) == ["run", "generator", "settings", "rows", "fidelity", "utility",
                                "privacy", "fairness", "verdict", "policy"]
    assert list(df["run"]) == ["r1", "r2", "r3", "r4"]
    assert df.loc[1, "settings"] == '{"epochs": 10}'
    assert df.loc[0, "settings"] == ""
    assert df.loc[2, ["fidelity", "privacy", "verdict"]].tolist() == [85.0, 40.0, "fail"]


def test_tradeoff_scatter_one_trace_per_verdict():
    # Setup / Run
    d = compare.tradeoff_scatter(ROWS).to_dict()

    # Assert
    traces = {t["name"]: t for t in d["data"]}
    assert list(traces) == ["pass", "incomplete", "fail"]
    assert all(t["type"] == "scatter" for t in d["data"])
    assert traces["pass"]["marker"]["color"] == colors.PASS
    assert traces["fail"]["marker"]["color"] == colors.FAIL
    assert traces["incomplete"]["marker"]["color"] == colors.INCOMPLETE
    # r4 has no fidelity score: it cannot be placed and the subtitle says so.
    assert (list(traces["fail"]["x"]), list(traces["fail"]["y"])) == ([40.0], [85.0])
    assert list(traces["fail"]["text"]) == ["tvae"]
    assert "1 run(s) without both scores" in d["layout"]["title"]["subtitle"]["text"]
    assert d["layout"]["xaxis"]["title"]["text"] == "Privacy score (0–100)"
    assert d["layout"]["yaxis"]["title"]["text"] == "Fidelity score (0–100)"


def test_no_runs_says_why():
    # Setup / Run
    empty = compare.tradeoff_scatter([])
    unplaced = compare.tradeoff_scatter(ROWS[3:])

    # Assert
    assert annotation_text(empty) == "Not computed: there is no evaluated run to compare yet"
    assert annotation_text(unplaced) == (
        "Not computed: no run has both a privacy and a fidelity score")
    assert compare.leaderboard([]).empty
