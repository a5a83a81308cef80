"""Shared pieces: the privacy note, escaping, the not-computed figure, number formatting."""

from __future__ import annotations

from core.figures import colors
from core.figures.common import esc, fmt, not_computed_figure, pct, privacy_note
from tests.core.figures.helpers import annotation_text, make_report


def test_privacy_note_states_the_reports_threshold():
    # Setup
    report = make_report([], config={"min_group_rows": 7})

    # Run
    note = privacy_note(report)

    # Assert
    assert note == (
        "Categories with fewer than 7 real rows are grouped as 'other' and extreme values are "
        "top-coded (1st–99th percentile)."
    )


def test_esc_makes_markup_in_user_text_literal():
    # Setup
    name = '<a href="http://x">age</a> & <b>sex</b>'

    # Run
    shown = esc(name)

    # Assert
    assert "<" not in shown and ">" not in shown
    assert shown == '&lt;a href="http://x"&gt;age&lt;/a&gt; &amp; &lt;b&gt;sex&lt;/b&gt;'


def test_not_computed_figure_has_no_trace_and_a_centred_reason():
    # Setup
    reason = "no target column is set for '<b>class</b>'"

    # Run
    fig = not_computed_figure(reason, "Utility")

    # Assert
    d = fig.to_dict()
    assert d["data"] == []
    text = annotation_text(fig)
    assert text.startswith("Not computed: no target column")
    assert "<b>" not in text and "&lt;b&gt;" in text
    ann = d["layout"]["annotations"][0]
    assert (ann["x"], ann["y"], ann["xref"], ann["yref"]) == (0.5, 0.5, "paper", "paper")
    assert ann["font"]["color"] == colors.NOT_COMPUTED
    assert d["layout"]["title"]["text"] == "Utility"


def test_number_formats():
    # Setup / Run / Assert
    assert fmt(0.123456) == "0.123"
    assert fmt(None) == "n/a"
    assert fmt(float("nan")) == "n/a"
    assert fmt(123456.7) == "123,457"
    assert pct(0.0123) == "1.2%"
    assert pct(None) == "n/a"
