"""Headline sentences derived from the same checks as the gate, and the fairness gap sentences.

Pages (Overview, Privacy, Fairness, Demo) and the HTML report state what the evidence shows and no
more: a check that fails or is inconclusive is named, and the worst group is taken over every
protected attribute and intersection, not only the first.
"""

from __future__ import annotations

from core.figures.common import fmt, is_ok, rows_of
from core.gate import FAIL, INCONCLUSIVE, CheckResult, noise_margin
from core.report import Report

AMP, ATT = "fairness.bias_amplification", "fairness.disparity_attenuation"
SENTENCE = {
    "widened": "{group}: the gap to everyone else widened from {real} to {synth}: the synthetic "
               "data amplifies a real disparity by {size}{noise}.",
    "narrowed": "{group}: the gap to everyone else narrowed from {real} to {synth}: the "
                "synthetic data hides {size} of a real disparity{noise}.",
    "flipped": "{group}: the gap to everyone else flipped from {real} to {synth}: the real "
               "disparity is hidden and reversed{noise}.",
    "kept": "{group}: the gap to everyone else is kept ({real} real, {synth} synthetic).",
}
WITHIN_NOISE = " (within the holdout's noise of {floor})"
BEYOND_NOISE = " (the holdout moves it by {floor})"
FAIRNESS_NONE = "Fairness was not computed: {reason}"
FAIRNESS_OK = "Every fairness check passes: no group's outcome gap grew or shrank past its limit."
WORST = "Largest {what}: {sentence}"


def _signed(x: float | None) -> str:
    return "n/a" if x is None else f"{x:+.3f}"


def checks_of(report: Report, family: str, status: str) -> list[CheckResult]:
    """The verdict's checks of one family with one status (e.g. every failing privacy check)."""
    return [c for c in report.verdict.checks if c.family == family and c.status == status]


def named(checks: list[CheckResult]) -> str:
    """``"Detection (0.998, ≤ 0.85), Accuracy gap (0.107, ≤ 0.1)"``."""
    from core.gate import Check  # the bound's text

    return ", ".join(f"{c.name} ({fmt(c.value)}, {Check(c.key, c.min, c.max, '').bound_text()})"
                     for c in checks)


def gap_sentence(group: str, real: float | None, synth: float | None, direction: str,
                 size: float | None, floor: float | None) -> str:
    """One group's gap change in words, e.g. "sex=Female: the gap ... narrowed from -0.195 ..."."""
    noise = ""
    if floor is not None and size is not None and direction != "kept":
        within = size <= floor * (1 + noise_margin())
        noise = (WITHIN_NOISE if within else BEYOND_NOISE).format(floor=fmt(floor))
    return SENTENCE.get(direction, SENTENCE["kept"]).format(
        group=group, real=_signed(real), synth=_signed(synth), size=fmt(size), noise=noise)


def gap_sentences(report: Report, attrs: tuple[str, ...]) -> list[str]:
    """What happened to each group's outcome gap in one attribute set, one sentence per group.

    Args:
        report: The evaluation report.
        attrs: The attribute set, e.g. ``("sex",)``.

    Returns:
        Sentences, largest change first; empty when the set was not computed.
    """
    def groups(key: str) -> dict[str, object]:
        return {r.group: r for r in rows_of(report, key)
                if r.columns == tuple(attrs) and r.group is not None and is_ok(r)}

    amp, att = groups(AMP), groups(ATT)
    out = []
    for g, r in sorted(amp.items(), key=lambda kv: -abs(kv[1].details.get("change") or 0.0)):
        d = r.details
        direction = d.get("direction", "kept")
        size = r.value if direction == "widened" else getattr(att.get(g), "value", None)
        out.append(gap_sentence(str(g), d.get("real_gap"), d.get("synthetic_gap"),
                                direction, size, r.baseline))
    return out


def _worst(report: Report, key: str, what: str) -> str | None:
    top = report.top(key)
    if not is_ok(top) or not top.value or not top.details.get("group_details"):
        return None
    d = top.details["group_details"]
    size = d.get("attenuation" if key == ATT else "amplification")
    floor = next((r.baseline for r in rows_of(report, key) if r.group == top.details["group"]
                  and list(r.columns) == top.details.get("attributes")), None)
    sentence = gap_sentence(top.details["group"], d.get("real_gap"), d.get("synthetic_gap"),
                            d.get("direction", "kept"), size, floor)
    return WORST.format(what=what, sentence=sentence)


def fairness_headline(report: Report) -> str:
    """The fairness verdict in words, from the gate's checks and the worst groups.

    Failing and inconclusive fairness checks are named, then the worst group in each direction
    (widened, hidden) over every protected attribute and intersection.
    """
    top = report.top(AMP)
    if top is None or not is_ok(top):
        reason = (top.reason if top is not None else None) or "no fairness metric ran."
        return FAIRNESS_NONE.format(reason=reason)
    parts = []
    failing = checks_of(report, "fairness", FAIL)
    unsure = checks_of(report, "fairness", INCONCLUSIVE)
    if failing:
        parts.append(f"{len(failing)} fairness check(s) fail: {named(failing)}.")
    if unsure:
        parts.append(f"{len(unsure)} inconclusive, within noise: {named(unsure)}.")
    if not failing and not unsure:
        parts.append(FAIRNESS_OK)
    for key, what in ((AMP, "widened gap"), (ATT, "hidden gap")):
        worst = _worst(report, key, what)
        if worst:
            parts.append(worst)
    return " ".join(parts)


VERDICT_HEADLINE = "{outcome} under policy '{policy}'."
VERDICT_PASS = " Every check passes, beyond its noise where it has one."


def verdict_headline(report: Report) -> str:
    """The verdict in one or two sentences naming what failed and what is within noise.

    For the Overview and the Demo, e.g. "FAIL under policy 'public'. 4 checks fail: Detection
    (0.998, ≤ 0.8), ... 3 inconclusive, within noise: ...".
    """
    v = report.verdict
    text = VERDICT_HEADLINE.format(outcome=v.outcome.upper(), policy=v.policy)
    failing = [c for c in v.checks if c.status == FAIL]
    unsure = [c for c in v.checks if c.status == INCONCLUSIVE]
    missing = [c for c in v.checks if c.status == "not_computed"]
    if failing:
        text += f" {len(failing)} check(s) fail: {named(failing)}."
    if unsure:
        text += f" {len(unsure)} inconclusive, within noise: {named(unsure)}."
    if missing:
        text += f" {len(missing)} not computed: {', '.join(c.name for c in missing)}."
    if not (failing or unsure or missing):
        text += VERDICT_PASS
    return text
