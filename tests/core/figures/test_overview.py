"""Overview: family scores, the gate table, worst columns and pairs, the verdict badge."""

from __future__ import annotations

from core.figures import colors, overview
from core.metrics.value import FAMILIES


def test_family_scores_one_bar_per_family(report):
    # Setup / Run
    d = overview.family_scores(report).to_dict()

    # Assert
    scores, missing = d["data"]
    assert scores["type"] == missing["type"] == "bar"
    assert scores["x"] == [f.capitalize() for f in FAMILIES]
    assert scores["y"] == [report.families[f] for f in FAMILIES]
    assert missing["x"] == []
    # each bar's label: the score, then each count of checks on a line of its own, at a
    # readable size however narrow the bar (never shrunk to fit)
    assert scores["text"] == [overview.family_label(report, f).replace(" · ", "<br>")
                              for f in FAMILIES]
    assert d["layout"]["uniformtext"] == {"minsize": 11, "mode": "show"}
    assert d["layout"]["yaxis"]["range"][1] > 100
    assert d["layout"]["yaxis"]["title"]["text"] == "Score (0–100, higher is better)"
    assert d["layout"]["template"]["layout"]["paper_bgcolor"] == "white"  # plotly_white


def test_family_scores_shows_missing_families_as_not_computed(bare_report):
    # Setup: utility and fairness ran but computed nothing; the other two did not run.
    assert all(v is None for v in bare_report.families.values())

    # Run
    scores, missing = overview.family_scores(bare_report).to_dict()["data"]

    # Assert
    assert scores["x"] == []
    assert missing["x"] == [f.capitalize() for f in FAMILIES]
    assert missing["y"] == [0, 0, 0, 0]
    assert missing["text"] == ["not computed"] * 4
    assert missing["marker"]["color"] == colors.NOT_COMPUTED


def test_gate_table_one_row_per_check(report):
    # Setup
    checks = report.verdict.checks

    # Run
    df = overview.gate_table(report)

    # Assert
    assert list(df.columns) == ["check", "family", "value", "bound", "noise floor", "result",
                                "meaning", "rule"]  # noise floor and rule: the noise-aware gate
    assert len(df) == len(checks)
    assert set(df["result"]) <= {"pass", "fail", "inconclusive (within noise)", "not computed"}
    assert df["rule"].tolist() == [c.rule for c in checks]
    first = df.iloc[0]
    assert first["check"] == checks[0].name
    assert first["bound"] == f"≥ {checks[0].min:g}"  # fidelity.column_shapes has a minimum
    exact = df[df["check"] == "Exact copies of training rows"].iloc[0]
    assert exact["bound"] == "≤ 0.02"


def test_gate_table_marks_not_computed_checks(bare_report):
    # Setup / Run
    df = overview.gate_table(bare_report)

    # Assert
    assert (df["result"] == "not computed").all()
    assert df["value"].isna().all()
    assert df["meaning"].str.startswith("Not computed: ").all()


def test_worst_columns_sorted_worst_first(report):
    # Setup / Run
    df = overview.worst_columns(report, n=3)

    # Assert
    assert list(df.columns) == ["column", "type", "score", "baseline"]
    assert len(df) == 3
    assert df["score"].is_monotonic_increasing
    all_scores = [r.value for r in report.results
                  if r.key == "fidelity.column_shapes" and len(r.columns) == 1]
    assert df["score"].iloc[0] == min(all_scores)
    assert set(df["type"]) <= {"numerical", "categorical", "datetime", "boolean"}


def test_worst_pairs_sorted_worst_first(report):
    # Setup / Run
    df = overview.worst_pairs(report, n=4)

    # Assert
    assert list(df.columns) == ["pair", "score"]
    assert len(df) == 4
    assert df["score"].is_monotonic_increasing
    assert df["pair"].str.contains(" ↔ ").all()


def test_worst_tables_empty_without_fidelity(bare_report):
    # Setup / Run / Assert
    assert overview.worst_columns(bare_report).empty
    assert overview.worst_pairs(bare_report).empty


def test_verdict_badge_text_and_colour(report, bare_report):
    # Setup / Run
    text, colour = overview.verdict_badge(report)
    bare_text, bare_colour = overview.verdict_badge(bare_report)

    # Assert
    assert text == f"{report.verdict.outcome.upper()} · policy internal"
    assert colour == colors.OUTCOME[report.verdict.outcome]
    assert bare_report.verdict.outcome == "incomplete"
    assert (bare_text, bare_colour) == ("INCOMPLETE · policy internal", colors.INCOMPLETE)


def test_a_long_subtitle_is_broken_into_lines_and_the_top_margin_grows():
    # Setup: Plotly draws a subtitle on one line, cut off at the figure's edge
    import plotly.graph_objects as go

    from core.figures.common import SUBTITLE_WIDTH, styled

    text = "A group's gap is its outcome rate minus everyone else's; only gaps that keep " \
        "their sign and grow count. 0 = no gap grew."
    # Run
    long = styled(go.Figure(), "T", subtitle=text)
    short = styled(go.Figure(), "T", subtitle="One short line.")
    # Assert: the same words, on lines no longer than the width, the margin one line taller
    lines = long.layout.title.subtitle.text.split("<br>")
    assert len(lines) == 2 and " ".join(lines) == text
    assert all(len(line) <= SUBTITLE_WIDTH for line in lines)
    assert short.layout.title.subtitle.text == "One short line."
    assert long.layout.margin.t == short.layout.margin.t + 18
