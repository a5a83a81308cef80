"""render_html of a small hand-made report: verdict, decisions, sign-off, offline, escaped."""

import html
import re

import pytest
from plotly.offline import get_plotlyjs

from core.export import render_html
from core.figures import overview
from core.metrics.value import MetricValue
from tests.core.figures.helpers import make_report

SCHEMA = {"columns": [{"name": "age", "sdtype": "numerical"},
                      {"name": "sex", "sdtype": "categorical"}],
          "target": None, "protected": [], "quasi_identifiers": []}
SIGNOFF = {"decision": "approved", "reviewer": "Ada", "role": "reviewer",
           "created_at": "2026-01-02T03:04:05+00:00", "reason": "fit for release"}


@pytest.fixture(scope="module")
def report():
    return make_report([
        MetricValue("fidelity.column_shapes", "fidelity", ("age",), value=0.9, score=0.9),
        MetricValue("fidelity.column_shapes", "fidelity", ("sex",), value=0.7, score=0.7),
        MetricValue("fidelity.column_shapes", "fidelity", (), value=0.8, score=0.8),
        MetricValue("fidelity.pair_trends", "fidelity", ("age", "sex"), value=0.6, score=0.6),
        MetricValue("fidelity.pair_trends", "fidelity", (), value=0.6, score=0.6),
    ], schema=SCHEMA)


def _render(report, **kwargs):
    args = {"title": "Adult · gaussian_copula run r1", "facts": {"seed": 7},
            "decisions": [{"kind": "column", "target": "age", "decision": "approve",
                           "reviewer": "Bob", "comment": "<script>alert(1)</script>"}],
            "signoff": SIGNOFF, "attribution": None, **kwargs}
    return render_html(report, **args)


def test_the_report_shows_verdict_decisions_and_sign_off(report):
    # Run
    text = _render(report)
    # Assert
    assert text.startswith("<!DOCTYPE html>")
    badge = re.search(r"<span class='badge'[^>]*>([^<]*)</span> ([^<]*)</p>", text)
    assert badge.group(1) == html.escape(overview.verdict_badge(report)[0])
    assert "FAIL" in badge.group(1).upper()  # pair trends 0.6 is below the policy's 0.75
    assert badge.group(2) == html.escape(report.verdict.summary)
    assert ("<b>Signed off: approved</b> by Ada (reviewer) at 2026-01-02T03:04:05+00:00 — "
            "fit for release") in text
    assert "<td>Bob</td>" in text and "<td>approve</td>" in text
    assert "<td>seed</td><td>7</td>" in text


def test_without_sign_off_or_decisions_the_report_says_so(report):
    # Run
    text = _render(report, decisions=[], signoff=None, attribution="Licensed CC BY 4.0")
    # Assert
    assert "<p>Not signed off yet.</p>" in text
    assert "No review decisions yet." in text
    assert "<h2>Data</h2><p class='note'>Licensed CC BY 4.0</p>" in text


def test_the_report_needs_no_network_and_escapes_what_came_from_users(report):
    # Run
    text = _render(report)
    # Assert
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", text, re.I)
    assert not re.search(r"<link\b[^>]*\bhref\s*=\s*['\"]?https?:", text, re.I)
    assert text.count(get_plotlyjs()) == 1  # plotly.js inlined once
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
