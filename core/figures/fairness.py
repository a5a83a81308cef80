"""Fairness figures: group shares, outcome rates, bias amplification, model and fidelity per group.

An attribute set is one protected attribute (``"sex"``) or an intersection of two
(``"sex & race"``). Groups with fewer than ``min_group_rows`` real rows were pooled by the
metrics into ``"<attrs>=(other)"`` and are never named; figures show what the metrics stored.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.figures import colors
from core.figures.common import (
    check_of,
    esc,
    fmt,
    is_ok,
    not_computed_figure,
    rows_of,
    set_row,
    styled,
    why_not,
)
from core.gate import default_limits
from core.report import Report

SEP = " & "
OTHER = "(other)"
MSG_NO_SET = "'{attrs}' is not an attribute set of this report"
MSG_NO_REFERENCE = "'{group}' is not a scored group of '{attrs}'"
MODEL_COLUMNS = {
    "selection_rate": "selection rate",
    "true_positive_rate": "TPR",
    "false_positive_rate": "FPR",
    "accuracy": "accuracy",
}
MODEL_NAMES = {"tstr": "TSTR", "trtr": "TRTR"}


def attribute_sets(report: Report) -> list[str]:
    """Each protected attribute, then each pair, e.g. ``["sex", "race", "sex & race"]``.

    Same order as the fairness metrics (:func:`core.metrics.groups.attribute_sets`); empty when
    no protected attribute is set.
    """
    kinds = {c.name: c.sdtype for c in report.schema.columns}
    prot = [p for p in report.schema.protected if kinds.get(p, "identifier")
            != "identifier"]
    pairs = [f"{a}{SEP}{b}" for i, a in enumerate(prot) for b in prot[i + 1:]]
    return prot + pairs


def attributes_of(attrs: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``"sex & race"`` -> ``("sex", "race")``."""
    return tuple(attrs.split(SEP)) if isinstance(attrs, str) else tuple(attrs)


_attributes = attributes_of


def _set_details(report: Report, key: str, attrs: str | tuple[str, ...], title: str,
                 need: str = "groups") -> tuple[dict | None, go.Figure | None]:
    """The attribute set row's details (holding ``need``), or a not-computed figure saying why."""
    attributes = _attributes(attrs)
    r = set_row(report, key, attributes)
    if r is None:
        top = report.top(key)
        reason = why_not(top) if not is_ok(top) else MSG_NO_SET.format(attrs=SEP.join(attributes))
        return None, not_computed_figure(reason, title)
    if not r.details.get(need):
        return None, not_computed_figure(why_not(r), title)
    return r.details, None


def _real_vs_synthetic(groups: list[str], real: list, synth: list) -> go.Figure:
    fig = go.Figure()
    shown = [esc(g) for g in groups]
    for name, values, colour in (("Real", real, colors.REAL), ("Synthetic", synth,
                                                                colors.SYNTHETIC)):
        fig.add_bar(name=name, x=shown, y=values, marker_color=colour,
                    hovertemplate="%{x}: %{y:.3f}<extra>" + name + "</extra>")
    fig.update_layout(barmode="group")
    return fig


def representation(report: Report, attrs: str | tuple[str, ...]) -> go.Figure:
    """Each group's share of the real and the synthetic rows (grouped bars)."""
    title = f"Group shares: {esc(SEP.join(_attributes(attrs)))}"
    d, nc = _set_details(report, "fairness.representation", attrs, title)
    if d is None:
        return nc
    r = set_row(report, "fairness.representation", _attributes(attrs))
    fig = _real_vs_synthetic(d["groups"], d["real_share"], d["synthetic_share"])
    fig.update_yaxes(tickformat=".0%")
    return styled(fig, title, "Group", "Share of rows",
                  subtitle=f"1 − total variation distance: {fmt(r.value)} "
                  f"(noise floor {fmt(r.baseline)}); 1.0 = every group keeps its share.")


def groups(report: Report, attrs: str | tuple[str, ...]) -> list[str]:
    """The scored groups of an attribute set (for a reference-group picker); pooled ones left out.

    Returns:
        Group labels such as ``"sex=Female"``, largest real group first; empty when the set was
        not computed.
    """
    r = set_row(report, "fairness.outcome_rate", _attributes(attrs))
    if r is None or "rates" not in r.details:
        r = set_row(report, "fairness.representation", _attributes(attrs))
        labels = r.details.get("groups", []) if r is not None else []
    else:
        labels = r.details["rates"]["groups"]
    return [g for g in labels if not str(g).endswith(f"={OTHER}")]


def outcome_rates(report: Report, attrs: str | tuple[str, ...], reference: str | None = None
                  ) -> go.Figure:
    """Positive-outcome rate (or mean target) per group, real vs synthetic.

    Args:
        report: The evaluation report.
        attrs: The attribute set, e.g. ``"sex"``.
        reference: A group label; when given, each group's rate minus the reference group's
            rate is shown instead (0 for the reference itself), in real and in synthetic rows.
    """
    name = SEP.join(_attributes(attrs))
    title = f"Outcome rate per group: {esc(name)}"
    d, nc = _set_details(report, "fairness.outcome_rate", attrs, title, need="rates")
    if d is None:
        return nc
    r = set_row(report, "fairness.outcome_rate", _attributes(attrs))
    rates = pd.DataFrame(d["rates"]).set_index("groups")[["real", "synthetic"]].astype(float)
    unit = d.get("unit", "outcome")
    y_title = f"Outcome ({unit})"
    if reference is not None:
        if reference not in groups(report, attrs):
            return not_computed_figure(MSG_NO_REFERENCE.format(group=reference, attrs=name),
                                       title)
        rates = rates - rates.loc[reference]
        y_title = f"Difference to {reference} ({unit})"
        title += f" (vs {esc(reference)})"
    fig = _real_vs_synthetic(list(rates.index), rates["real"].tolist(),
                             rates["synthetic"].tolist())
    if reference is not None:
        fig.add_hline(y=0, line_color=colors.NEUTRAL)
    return styled(fig, title, "Group", esc(y_title),
                  subtitle=f"Largest change of a group's rate: {fmt(r.value)} "
                  f"(noise floor {fmt(r.baseline)}). Pooled small groups have no rate shown.")


def _gap_change(report: Report, key: str, part: str, title: str, y_title: str,
                subtitle: str) -> go.Figure:
    """Per attribute set, the worst group's gap change in one direction, with the holdout's."""
    rows = [r for r in rows_of(report, key) if r.group is None and r.columns and is_ok(r)]
    if not rows:
        return not_computed_figure(why_not(report.top(key)), title)
    check = check_of(report, key)
    limit = check.max if check is not None and check.max is not None else \
        default_limits()[key].max
    names = [esc(SEP.join(r.columns)) for r in rows]
    worst = []
    for r in rows:
        change = r.details.get(part, [])
        gs = r.details.get("groups", [])
        i = max(range(len(change)), key=lambda j: abs(change[j] or 0.0)) if change else None
        worst.append(esc(gs[i]) if i is not None else "")
    fig = go.Figure()
    fig.add_bar(
        x=names, y=[r.value for r in rows], name=part, customdata=worst,
        marker_color=[colors.FAIL if r.value > limit else colors.NEUTRAL for r in rows],
        hovertemplate="%{x}: %{y:.3f} (group %{customdata})<extra></extra>",
    )
    fig.add_scatter(x=names, y=[r.baseline for r in rows], mode="markers", name="holdout",
                    marker={"color": colors.HOLDOUT, "symbol": "diamond", "size": 10})
    # the label on a light box, so it stays readable where it crosses a bar
    fig.add_hline(y=limit, line_dash="dot", line_color=colors.FAIL,
                  annotation_text=f"limit {fmt(limit)}", annotation_position="top left",
                  annotation_bgcolor="rgba(255,255,255,0.85)")
    return styled(fig, title, "Attribute set", y_title, subtitle=subtitle)


def bias_amplification(report: Report) -> go.Figure:
    """Per attribute set, the largest growth of a group's outcome gap (real → synthetic).

    Sets above the policy's limit (or the ``[defaults]`` one without it) are red; the holdout's
    change (the noise floor) is marked. Hover text names the group behind each bar.
    """
    return _gap_change(
        report, "fairness.bias_amplification", "amplification",
        "Bias amplification per attribute set", "Largest growth of a group's outcome gap",
        "A group's gap is its outcome rate minus everyone else's; only gaps that keep their "
        "sign and grow count. 0 = no gap grew.")


def disparity_attenuation(report: Report) -> go.Figure:
    """Per attribute set, the largest shrinking or flip of a group's outcome gap.

    A real disparity hidden; the same layout as :func:`bias_amplification`.
    """
    return _gap_change(
        report, "fairness.disparity_attenuation", "attenuation",
        "Disparity attenuation per attribute set", "Largest shrinking of a group's outcome gap",
        "A gap that shrinks or flips hides a real disparity; a flip counts in full. 0 = every "
        "real gap kept.")


def model_group_metrics(report: Report, attrs: str | tuple[str, ...]) -> pd.DataFrame:
    """Fairlearn's per-group figures of the models trained on synthetic (TSTR) and real (TRTR).

    Returns:
        One row per group: ``group``, ``holdout rows``, then selection rate, TPR, FPR and
        accuracy for TSTR and TRTR (e.g. ``"TPR (TSTR)"``). TPR and FPR are blank for groups
        with fewer than ``min_group_rows`` positive or negative holdout rows (too few to say
        anything). Empty with ``attrs["reason"]`` set when not computed.
    """
    cols = ["group", "holdout rows"] + [f"{m} ({n})" for m in MODEL_COLUMNS.values()
                                        for n in MODEL_NAMES.values()]
    attributes = _attributes(attrs)
    d = None
    for key in ("fairness.demographic_parity", "fairness.equalized_odds"):
        r = set_row(report, key, attributes)
        if r is not None and "tstr" in r.details:
            d = r.details
            break
    if d is None:
        df = pd.DataFrame(columns=cols)
        r = set_row(report, "fairness.demographic_parity", attributes)
        df.attrs["reason"] = why_not(r if r is not None else
                                     report.top("fairness.demographic_parity"))
        return df
    eo = set(d.get("eo_groups", []))
    out = pd.DataFrame({"group": d["groups"], "holdout rows": d.get("n")})
    for metric, label in MODEL_COLUMNS.items():
        for model, model_name in MODEL_NAMES.items():
            values = list(d[model][metric])
            if metric in ("true_positive_rate", "false_positive_rate"):
                values = [v if g in eo else None for g, v in zip(d["groups"], values,
                                                                 strict=True)]
            out[f"{label} ({model_name})"] = values
    return out[cols]


def group_fidelity(report: Report, attrs: str | tuple[str, ...]) -> go.Figure:
    """Column-shape score of each group's synthetic rows, with the holdout's (noise floor)."""
    title = f"Fidelity within groups: {esc(SEP.join(_attributes(attrs)))}"
    d, nc = _set_details(report, "fairness.group_fidelity", attrs, title)
    if d is None:
        return nc
    shown = [esc(g) for g in d["groups"]]
    fig = go.Figure()
    fig.add_bar(x=shown, y=d["scores"], name="Synthetic", marker_color=colors.SYNTHETIC,
                hovertemplate="%{x}: %{y:.3f}<extra>synthetic</extra>")
    fig.add_scatter(x=shown, y=d.get("holdout_scores"), mode="markers", name="Holdout",
                    marker={"color": colors.HOLDOUT, "symbol": "diamond", "size": 10},
                    hovertemplate="%{x}: %{y:.3f}<extra>holdout</extra>")
    fig.update_yaxes(range=[0, 1.05])
    gap = d.get("gap")
    return styled(fig, title, "Group", "Column-shape score (1 = identical)",
                  subtitle=f"Best − worst group: {fmt(gap)}; holdout diamonds show the noise "
                  "floor of a sample of the same size.")
