"""A self-contained HTML report of a run: opens offline, figures embedded and interactive.

Written for a board: an executive summary first (the answer, verdict and why, sign-off and any
override, intended use, what was checked and failed, limitations), values in words and rounded
(:mod:`core.export.readable`), then the evidence, the sources of every citation [n], and a
glossary. Everything from uploads (column names, values, comments) is escaped; plotly.js is
inlined once.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from core.export.readable import number, signoff_text, summary_rows, words
from core.figures import (
    audit,
    common,
    fairness,
    fidelity,
    overview,
    privacy,
    sample_level,
    utility,
)
from core.glossary import cited, load_glossary, load_sources
from core.report import Report

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2328}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{margin-bottom:4px}h2{border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:36px}
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.badge{display:inline-block;padding:6px 14px;border-radius:16px;
color:#fff;font-weight:600}.note{color:#57606a;font-size:13px}.grid{display:grid;
grid-template-columns:1fr 1fr;gap:8px}.warn{background:#fff8c5;padding:6px 10px;margin:4px 0}
.summary th{width:190px}.answer{font-size:18px;font-weight:600}
"""
TAGS = re.compile(r"<[^>]+>")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _table(df: pd.DataFrame) -> str:
    """An HTML table with every cell escaped (no pandas to_html: it would pass HTML through)."""
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = [f"<td>{_e(number(v))}</td>" for v in rec]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _fig(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})


def visible_text(page: str) -> str:
    """The text a reader sees: scripts (plotly.js, figure data) and tags removed."""
    no_scripts = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(TAGS.sub(" ", no_scripts))


def _sources(parts: list[str]) -> list[str]:
    """The sources section: every [n] cited anywhere in ``parts`` (the report so far)."""
    known = load_sources()
    numbers = sorted(set(cited(visible_text("\n".join(parts)))), key=int)
    if not numbers:
        return ["<h2>Sources</h2><p class='note'>No sources are cited in this report.</p>"]
    items = []
    for n in numbers:
        src = known.get(n)
        if src is None:
            items.append(f"<li value='{n}'>(source [{n}] is not listed in policies.toml)</li>")
            continue
        link = f" <a href='{_e(src.url)}'>{_e(src.url)}</a>" if src.url else ""
        items.append(f"<li value='{n}'>[{n}] {_e(src.text)}{link}</li>")
    return ["<h2 id='sources'>Sources</h2>",
            "<p class='note'>The bracketed numbers in the checks above cite these.</p>",
            f"<ol>{''.join(items)}</ol>"]


def _glossary() -> list[str]:
    rows = "".join(f"<dt><b>{_e(t.term)}</b></dt><dd>{_e(t.text)}</dd>" for t in load_glossary())
    return ["<h2 id='glossary'>Appendix: glossary</h2>", f"<dl>{rows}</dl>"]


def render_html(
    report: Report,
    *,
    title: str,
    facts: dict[str, Any],
    decisions: list[dict[str, Any]],
    signoff: dict[str, Any] | None,
    attribution: str | None = None,
    max_column_plots: int = 24,
) -> str:
    """The whole report as one HTML document.

    Args:
        report: The stored report.
        title: Heading, e.g. "Adult · gaussian_copula run 1a2b…".
        facts: What was generated how (generator, parameters, seed, timings), shown as a table.
        decisions: Current review decisions (target, kind, decision, reviewer, time, comment),
            as they should be shown (words, times to the minute).
        signoff: The current sign-off (with ``override`` and ``label``), or None.
        attribution: Data licence line to print (e.g. the Adult CC BY 4.0 attribution).
        max_column_plots: Worst columns to plot (all when fewer).

    Returns:
        HTML text that needs no network to display.
    """
    text, colour = overview.verdict_badge(report)
    colours = {"green": "#2da44e", "red": "#cf222e", "orange": "#bf8700", "gray": "#57606a",
               "blue": "#0969da", "violet": "#8250df"}
    summary = summary_rows(report, signoff)
    parts = [
        f"<h1>{_e(title)}</h1>",
        f"<p class='note'>Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by synthreview.</p>",
        "<h2 id='summary'>Executive summary</h2>",
        f"<p class='answer'>{_e(summary[0][1])}</p>",
        f"<p><span class='badge' style='background:{colours.get(colour, colour)}'>{_e(text)}"
        f"</span> {_e(report.verdict.summary)}</p>",
        "<table class='summary'><tbody>"
        + "".join(f"<tr><th>{_e(h)}</th><td>{_e(t)}</td></tr>" for h, t in summary[1:])
        + "</tbody></table>",
        "<h2>What was generated, and how</h2>",
        _table(pd.DataFrame({"what": list(facts), "value": list(facts.values())})),
        "<h2>Expert decision</h2>",
        f"<p><b>Sign-off:</b> {_e(signoff_text(signoff))}</p>",
    ]
    if decisions:
        shown = [{**d, "decision": words(d["decision"])} if "decision" in d else d
                 for d in decisions]  # "needs_work" -> "needs work"
        parts.append(_table(pd.DataFrame(shown)))
    else:
        parts.append("<p class='note'>No review decisions yet.</p>")
    parts += [
        "<h2>Acceptance gate</h2>", _table(overview.gate_table(report)),
        _fig(overview.family_scores(report), "families"),
    ]
    if report.warnings:
        parts.append("<h2>Warnings</h2>")
        parts += [f"<div class='warn'>{_e(w)}</div>" for w in report.warnings]
    scores = fidelity.column_scores(report)
    quasi = privacy.disclosure_table(report)  # l-diversity and CAP per secret
    parts += ["<h2>Fidelity</h2>", f"<p class='note'>{_e(common.privacy_note(report))}</p>",
              _table(scores), "<div class='grid'>"]
    for i, col in enumerate(list(scores["column"])[:max_column_plots]):
        parts.append(_fig(fidelity.column_plot(report, col), f"col{i}"))
    parts += ["</div>", _fig(fidelity.correlation_heatmaps(report), "corr"),
              _fig(fidelity.pair_trend_heatmap(report), "pairs"),
              _fig(fidelity.detection_features(report), "detect"),
              _table(sample_level.sample_level_table(report)),
              "<h2>Utility</h2>", _table(utility.utility_table(report)),
              _fig(utility.tstr_vs_trtr(report), "tstr"),
              "<h2>Privacy</h2>", f"<p>{_e(privacy.evidence_summary(report))}</p>",
              _table(privacy.evidence_matrix(report)), _table(privacy.privacy_summary(report)),
              f"<p>{_e(privacy.anonymity_text(report) or '')}</p>",
              "" if quasi.empty else _table(quasi),
              _fig(privacy.dcr_distributions(report), "dcr"),
              _fig(privacy.anonymeter_risks(report), "anon"),
              _fig(privacy.privacy_by_group(report), "privgroups"),
              "<h3 id='audit'>Generator audit</h3>", f"<p class='note'>{_e(audit.HEURISTICS)}</p>",
              f"<p>{_e(audit.audit_summary(report))}</p>"]
    if audit.has_audit(report):
        parts += [_table(audit.audit_table(report)), _fig(audit.audit_targets(report), "audit")]
        parts += [f"<p class='note'>{_e(n)}</p>" for n in audit.audit_notes(report)]
    parts += ["<h2>Fairness</h2>", _fig(fairness.bias_amplification(report), "amp")]
    for i, attrs in enumerate(fairness.attribute_sets(report)[:6]):
        parts += [f"<h3>{_e(attrs)}</h3>", "<div class='grid'>",
                  _fig(fairness.representation(report, attrs), f"rep{i}"),
                  _fig(fairness.outcome_rates(report, attrs), f"rate{i}"), "</div>"]
    if attribution:
        parts.append(f"<h2>Data</h2><p class='note'>{_e(attribution)}</p>")
    parts += _sources(parts) + _glossary()
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{CSS}</style>"
        f"<script type='text/javascript'>{get_plotlyjs()}</script></head>"
        f"<body><main>{body}</main></body></html>"
    )
