"""render_html of a small hand-made report: verdict, decisions, sign-off, offline, escaped."""

import html
import re

import pytest
from plotly.offline import get_plotlyjs

from core.export import render_html
from core.export.html_report import visible_text
from core.figures import overview
from core.glossary import load_glossary, load_sources
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
    assert ("<b>Sign-off:</b> approved — by Ada (reviewer) at 2026-01-02 03:04 UTC: "
            "fit for release") in text
    assert "<td>Bob</td>" in text and "<td>approved</td>" in text
    assert "<td>seed</td><td>7</td>" in text


def test_without_sign_off_or_decisions_the_report_says_so(report):
    # Run
    text = _render(report, decisions=[], signoff=None, attribution="Licensed CC BY 4.0")
    # Assert
    assert "<p><b>Sign-off:</b> Not signed off yet.</p>" in text
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


OVERRIDE = {**SIGNOFF, "override": "the board accepts the pair trends",
            "label": "approved with override: the board accepts the pair trends"}


def test_the_executive_summary_comes_first_and_answers_the_question(report):
    # Run
    text = _render(report, signoff=OVERRIDE)
    seen = visible_text(text)
    # Assert: the summary is the first section, before every piece of evidence
    first = seen.index("Executive summary")
    assert first < min(seen.index(h) for h in ("What was generated", "Expert decision",
                                               "Acceptance gate", "Fidelity", "Sources"))
    summary = seen[first:seen.index("What was generated")]
    assert ("Yes, with an override — for internal use (use inside the organisation by people "
            "cleared for the real data's domain): it fails 1 of") in summary
    for heading in ("Verdict", "Sign-off", "Intended use", "What was checked", "What failed",
                    "Limitations and sampling"):
        assert heading in summary
    assert "approved with override: the board accepts the pair trends" in summary
    assert "Pair trends: 0.6 (needs ≥ 0.75)" in summary


def test_the_sources_list_every_citation_and_the_glossary_is_appended(report):
    # Run
    seen = visible_text(_render(report))
    body, sources = seen.split("Sources", 1)[0], seen.split("Appendix: glossary")[0]
    # Assert
    cited_numbers = set(re.findall(r"\[(\d+)\]", body))
    assert cited_numbers  # the gate's reasons cite [1], [4], [5] ...
    for n in cited_numbers:
        assert f"[{n}] {load_sources()[n].text}" in sources
    glossary = seen.split("Appendix: glossary", 1)[1]
    assert all(t.term in glossary for t in load_glossary())


def test_no_raw_float_or_key_reaches_the_reader(report):
    # Setup: a value with many decimals, a needs_work decision, a boolean and a long timestamp
    facts = {"fit time": 3.844883758999913, "seed": 7, "holdout": False}
    decisions = [{"target": "age", "kind": "column", "decision": "needs_work",
                  "reviewer": "Bob", "comment": ""}]
    # Run
    seen = visible_text(_render(report, facts=facts, decisions=decisions))
    # Assert
    assert not re.findall(r"\d\.\d{5,}", seen)
    assert "needs_work" not in seen and "needs work" in seen
    assert "False" not in seen and "3.845" in seen
    assert "fidelity.column_shapes" not in seen and "Column shapes" in seen
