"""Privacy figures: distances to the closest record, the DCR share, attacks, risks per group.

Distances and attack results come from the privacy metrics' details; no real row is shown here
(see :mod:`core.drilldown` for the masked side-by-side of the riskiest rows). The evidence
matrix, which sets distance measures against attacks, is in :mod:`core.figures.evidence`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.figures import colors
from core.figures.common import (
    check_of,
    column_rows,
    esc,
    fmt,
    group_rows,
    is_ok,
    metric_name,
    not_computed_figure,
    pct,
    styled,
    why_not,
)
from core.figures.disclosure import anonymity_text, disclosure_table
from core.figures.evidence import evidence_matrix, evidence_summary
from core.figures.replay import replay_of_column, replay_table
from core.metrics.value import MetricValue
from core.report import Report

__all__ = [
    "anonymeter_risks",
    "anonymity_text",
    "dcr_distributions",
    "dcr_share",
    "disclosure_table",
    "evidence_matrix",
    "evidence_summary",
    "privacy_by_group",
    "privacy_summary",
    "replay_of_column",
    "replay_table",
]

ATTACKS = (
    ("privacy.singling_out_univariate", "Singling out (one attribute)"),
    ("privacy.singling_out_multivariate", "Singling out (three attributes)"),
    ("privacy.linkability", "Linkability"),
)
BY_GROUP = (
    ("privacy.dcr_closer_to_training", "Closer to training (ideal 50%)", 0.5),
    ("privacy.exact_copies", "Exact copies", None),
    ("privacy.membership_inference_auc", "Membership inference AUC (ideal 0.5)", 0.5),
)
SUMMARY_KEYS = (
    "privacy.dcr", "privacy.dcr_closer_to_training", "privacy.nndr", "privacy.exact_copies",
    "privacy.membership_inference_auc", "privacy.unique_qi_matches",
    "privacy.singling_out_univariate", "privacy.singling_out_multivariate",
    "privacy.linkability", "privacy.inference", "privacy.rare_value_replay",
    "privacy.cap_disclosure", "privacy.k_anonymity", "privacy.l_diversity",
    "privacy.authenticity",
)
MEANING = {
    "privacy.dcr": "A synthetic row's nearest training row is at a median distance of {v}; "
    "for real rows the generator never saw it is {b}. Much smaller than that would mean "
    "synthetic rows hug training rows.",
    "privacy.dcr_closer_to_training": "{vp} of synthetic rows are closer to a training row "
    "than to a holdout row; 50% means no sign of memorisation.",
    "privacy.nndr": "The median ratio of nearest to second-nearest training-row distance is {v} "
    "(holdout rows: {b}); much lower would mean synthetic rows sit next to one person.",
    "privacy.exact_copies": "{vp} of synthetic rows copy a training row exactly; {bp} of unseen "
    "real rows equal a training row by chance.",
    "privacy.membership_inference_auc": "An attacker guessing who was in the training data from "
    "distances to synthetic rows reaches AUC {v}; 0.5 is a coin toss.",
    "privacy.unique_qi_matches": "{vp} of synthetic rows have a unique quasi-identifier "
    "combination that points at one real person; {bp} of holdout rows do by chance.",
    "privacy.singling_out_univariate": "Singling out a person with one rare value succeeds {vp} "
    "more often on training rows than on unseen rows (0% = no risk).",
    "privacy.singling_out_multivariate": "Singling out a person with three-attribute queries "
    "succeeds {vp} more often on training rows than on unseen rows (0% = no risk).",
    "privacy.linkability": "Linking two halves of a person's quasi-identifiers succeeds {vp} more "
    "often on training rows than on unseen rows (0% = no risk).",
    "privacy.rare_value_replay": "In the worst column ({column}), {vp} of synthetic rows repeat "
    "a value that only one or a few training rows and no holdout row have; {bp} of holdout rows "
    "hold such a value by chance.",
    "privacy.inference": "Guessing a protected attribute or the target from the other columns "
    "succeeds {vp} more often on training rows (worst secret: {secret}; 0% = no risk).",
    "privacy.cap_disclosure": "Guessing a person's {secret} from their other quasi-identifiers "
    "with the synthetic rows is right {cap} of the time for training rows and {control} for "
    "holdout rows: an excess risk of {vp} (0% = no risk).",
    "privacy.k_anonymity": "The smallest group of synthetic rows sharing their quasi-identifier "
    "values has {k} row(s) (training rows: {b}); a synthetic row is not a person, so this "
    "describes the table, and the attacks say whether it points at someone.",
    "privacy.l_diversity": "In the worst group of synthetic rows sharing their other "
    "quasi-identifiers, the {secret} takes {k} distinct value(s) (training rows: {b}); 1 means "
    "finding the group gives the value away.",
    "privacy.authenticity": "{vp} of synthetic rows are farther from their nearest real row than "
    "that row is from its own nearest neighbour; {bp} of unseen real rows are (much lower would "
    "mean synthetic rows sit on real ones). A distance heuristic, like DCR.",
}
# Their baseline is the training rows' own figure, not a holdout's.
BASELINE_IS_REAL = ("privacy.k_anonymity", "privacy.l_diversity")
IDEAL_TEXT = {
    "privacy.dcr_closer_to_training": "ideal 0.5",
    "privacy.membership_inference_auc": "ideal 0.5",
}


def _shares(counts: list[int]) -> list[float]:
    total = float(sum(counts))
    return [c / total if total else 0.0 for c in counts]


def dcr_distributions(report: Report) -> go.Figure:
    """Distance to the closest training row: synthetic rows and holdout rows on one plot.

    Shares of rows per distance bin (the tables differ in size); the last bin holds everything
    beyond the 99.5th percentile. Dashed lines mark each median.
    """
    title = "Distance to the closest training row"
    r = report.top("privacy.dcr")
    if not is_ok(r) or "histogram" not in r.details:
        return not_computed_figure(why_not(r), title)
    hist = r.details["histogram"]
    edges = np.asarray(hist["bin_edges"], dtype="float64")
    centres, widths = ((edges[:-1] + edges[1:]) / 2).tolist(), np.diff(edges).tolist()
    fig = go.Figure()
    series = (("synthetic", "Synthetic → training", colors.SYNTHETIC,
               r.details.get("median_synthetic")),
              ("holdout", "Holdout → training", colors.HOLDOUT, r.details.get("median_holdout")))
    for t, name, colour, median in series:
        if t not in hist["counts"]:
            continue
        fig.add_bar(x=centres, y=_shares(hist["counts"][t]), width=widths, name=name,
                    marker_color=colour, opacity=0.6,
                    hovertemplate="distance %{x:.3f}: %{y:.1%}<extra>" + name + "</extra>")
        if median is not None:
            fig.add_vline(x=median, line_dash="dash", line_color=colour,
                          annotation_text=f"median {fmt(median)}",
                          annotation_font_color=colour)
    fig.update_layout(barmode="overlay", bargap=0)
    fig.update_yaxes(tickformat=".0%")
    return styled(
        fig, title, "Distance (0 = identical row)", "Share of rows",
        subtitle="Holdout rows are real people the generator never saw: synthetic rows should "
        "not be closer to training rows than they are.",
    )


def dcr_share(report: Report) -> go.Figure:
    """Share of synthetic rows closer to training than to holdout rows, against its ideal 50%.

    A bullet bar with its 95% interval; the ideal and (when the policy has one) the limit are
    marked. The bar is red when the policy's check fails.
    """
    title = "Synthetic rows closer to training than to holdout rows"
    r = report.top("privacy.dcr_closer_to_training")
    if not is_ok(r):
        return not_computed_figure(why_not(r), title)
    check = check_of(report, r.key)
    colour = colors.FAIL if check is not None and check.status == "fail" else colors.NEUTRAL
    err = None
    if r.ci_low is not None and r.ci_high is not None:
        err = {"type": "data", "symmetric": False, "array": [r.ci_high - r.value],
               "arrayminus": [r.value - r.ci_low]}
    fig = go.Figure(go.Bar(
        x=[r.value], y=["share"], orientation="h", marker_color=colour, error_x=err,
        name="closer to training", text=[pct(r.value)], textposition="inside",
        insidetextanchor="middle",
        hovertemplate="%{x:.1%} closer to training<extra></extra>",
    ))
    fig.add_vline(x=0.5, line_dash="dash", line_color=colors.IDEAL, annotation_text="ideal 50%")
    if check is not None and check.max is not None:
        fig.add_vline(x=check.max, line_dash="dot", line_color=colors.FAIL,
                      annotation_text=f"limit {pct(check.max, 0)} (policy {report.policy})",
                      annotation_position="bottom right")
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(showticklabels=False)
    return styled(
        fig, f"{title}: {pct(r.value)}", "Share of synthetic rows", None,
        subtitle="50% means synthetic rows are as close to unseen real rows as to training "
        "rows; more means they copy what they were trained on.", height=260, showlegend=False,
    )


def _error(rows: list[MetricValue]) -> dict | None:
    if not any(r.ci_low is not None and r.ci_high is not None for r in rows):
        return None
    hi = [(r.ci_high - r.value) if r.ci_high is not None else 0.0 for r in rows]
    lo = [(r.value - r.ci_low) if r.ci_low is not None else 0.0 for r in rows]
    return {"type": "data", "symmetric": False, "array": hi, "arrayminus": lo}


def _bar_colours(report: Report, key: str, values: list[float]) -> list[str]:
    check = check_of(report, key)
    limit = check.max if check is not None else None
    return [colors.FAIL if limit is not None and v > limit else colors.NEUTRAL for v in values]


def anonymeter_risks(report: Report) -> go.Figure:
    """Anonymeter's risk per attack and per inference secret, with 95% intervals.

    Bars beyond the policy's limit are red; the limits are marked. Attacks that were not run
    are listed in grey with the reason in the hover text.
    """
    title = "Attack-based risks (Anonymeter)"
    entries: list[tuple[str, str, MetricValue | None]] = [
        (label, key, report.top(key)) for key, label in ATTACKS
    ]
    secrets = column_rows(report, "privacy.inference")
    if secrets:
        entries += [(f"Inference: {esc(s)}", "privacy.inference", r) for s, r in secrets.items()]
    else:
        entries.append(("Inference", "privacy.inference", report.top("privacy.inference")))
    done = [(label, key, r) for label, key, r in entries if is_ok(r)]
    if not done:
        return not_computed_figure(why_not(entries[0][2]), title)
    fig = go.Figure()
    values = [float(r.value) for _, _, r in done]
    fig.add_bar(
        x=values, y=[label for label, _, _ in done], orientation="h", name="risk",
        marker_color=[_bar_colours(report, key, [v])[0] for (_, key, _), v in zip(done, values,
                                                                                  strict=True)],
        error_x=_error([r for _, _, r in done]),
        hovertemplate="%{y}: risk %{x:.3f}<extra></extra>",
    )
    limits = [(label, check_of(report, key)) for label, key, _ in done]
    limits = [(label, c.max) for label, c in limits if c is not None and c.max is not None]
    if limits:
        fig.add_scatter(x=[v for _, v in limits], y=[label for label, _ in limits],
                        mode="markers", name=f"limit (policy {report.policy})",
                        marker={"symbol": "line-ns-open", "size": 22, "color": colors.FAIL,
                                "line": {"width": 3}},
                        hovertemplate="limit %{x}<extra></extra>")
    missing = [(label, r) for label, _, r in entries if not is_ok(r)]
    if missing:
        fig.add_bar(x=[0] * len(missing), y=[label for label, _ in missing], orientation="h",
                    name="not computed", marker_color=colors.NOT_COMPUTED,
                    text=["not computed"] * len(missing), textposition="outside",
                    hovertext=[esc(why_not(r)) for _, r in missing], hoverinfo="text")
    fig.update_xaxes(range=[0, 1])
    fig.update_yaxes(autorange="reversed", ticksuffix="  ")
    return styled(
        fig, title, "Risk (0 = no more success on training rows than on unseen rows)", None,
        subtitle="Each attack runs against the training rows and, as a control, against "
        "holdout rows; the risk is the excess success.", height=max(300, 60 * len(entries)),
    )


def _in_set(label: str, attrs: str, protected: list[str]) -> bool:
    """Whether a group label (``"sex=Female & race=Black"``) belongs to the attribute set."""
    names = attrs.split(" & ")
    if not label.startswith(names[0] + "="):
        return False
    joined = [p for p in protected if f" & {p}=" in label]
    return joined == names[1:]


def privacy_by_group(report: Report, attrs: str | None = None) -> go.Figure:
    """DCR share, exact-copy share and membership-inference AUC within each protected group.

    Only groups with at least ``min_group_rows`` training rows were scored. Bars beyond the
    policy's limit are red; the ideal of 0.5 is marked for the share and the AUC.

    Args:
        report: The evaluation report.
        attrs: Only the groups of this attribute set (e.g. ``"sex"`` or ``"sex & race"``);
            every group when None.
    """
    title = "Privacy risk per protected group"
    protected = list(report.schema.protected)
    per_key = {}
    for key, _, _ in BY_GROUP:
        per_key[key] = {r.group: r for r in group_rows(report, key) if is_ok(r)
                        and (attrs is None or _in_set(str(r.group), attrs, protected))}
    labels = list(dict.fromkeys(g for rows in per_key.values() for g in rows))
    if not labels:
        top = report.top(BY_GROUP[0][0])
        reason = why_not(top) if not is_ok(top) else "no protected group has enough rows"
        return not_computed_figure(reason, title)
    fig = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[t for _, t, _ in BY_GROUP])
    shown = [esc(g) for g in labels]
    for i, (key, _, ideal) in enumerate(BY_GROUP, start=1):
        rows = [per_key[key].get(g) for g in labels]
        vals = [r.value if r is not None else None for r in rows]
        present = [r for r in rows if r is not None]
        fig.add_bar(
            x=vals, y=shown, orientation="h", name=metric_name(key),
            marker_color=_bar_colours(report, key, [v if v is not None else 0.0 for v in vals]),
            error_x=_error(present) if len(present) == len(rows) else None,
            hovertemplate="%{y}: %{x:.3f}<extra></extra>", row=1, col=i,
        )
        if ideal is not None:
            fig.add_vline(x=ideal, line_dash="dash", line_color=colors.IDEAL, row=1, col=i)
    copies = [r.value for r in per_key["privacy.exact_copies"].values()]
    fig.update_yaxes(autorange="reversed", ticksuffix="  ")
    fig.update_xaxes(title_text="share of synthetic rows", range=[0, 1], tickformat=".0%",
                     row=1, col=1)
    fig.update_xaxes(title_text="share of synthetic rows", tickformat=".1%",
                     range=[0, max([0.05] + [1.1 * v for v in copies])], row=1, col=2)
    fig.update_xaxes(title_text="AUC", range=[0, 1], row=1, col=3)
    return styled(
        fig, title + (f": {esc(attrs)}" if attrs else ""),
        subtitle="Groups with fewer training rows than the report's minimum are not shown.",
        height=160 + 24 * len(labels), showlegend=False,
    )


def _reference(key: str, baseline: float | None) -> str:
    """What a privacy value is compared with, in words."""
    if key in IDEAL_TEXT:
        return IDEAL_TEXT[key]
    if key in dict(ATTACKS) or key in ("privacy.inference", "privacy.cap_disclosure"):
        return "ideal 0 (control rows give the chance level)"
    if key in BASELINE_IS_REAL:
        return f"training rows {fmt(baseline)}"
    share = key in ("privacy.exact_copies", "privacy.unique_qi_matches",
                    "privacy.rare_value_replay", "privacy.authenticity")
    return f"holdout {pct(baseline) if share else fmt(baseline)}"


def privacy_summary(report: Report) -> pd.DataFrame:
    """Each privacy measure with its value, its baseline or ideal, and what it means.

    Returns:
        Columns ``measure``, ``value`` (raw, None when not computed), ``baseline or ideal``
        and ``what it means`` (one plain sentence).
    """
    rows = []
    for key in SUMMARY_KEYS:
        r = report.top(key)
        if r is None:
            continue
        if not is_ok(r):
            ref, meaning = "", f"Not computed: {why_not(r)}"
        else:
            b, secret = r.baseline, r.details.get("worst_secret", "n/a")
            ref = _reference(key, b)
            meaning = MEANING[key].format(
                v=fmt(r.value), b=fmt(b), vp=pct(r.value), bp=pct(b), secret=secret,
                column=r.details.get("worst_column", "n/a"), k=f"{r.value:g}",
                cap=pct(r.details.get("cap_risk", {}).get(secret)),
                control=pct(r.details.get("control_cap_risk", {}).get(secret)),
            )
        rows.append({"measure": metric_name(key), "value": r.value if is_ok(r) else None,
                     "baseline or ideal": ref, "what it means": meaning})
    return pd.DataFrame(rows, columns=["measure", "value", "baseline or ideal", "what it means"])

