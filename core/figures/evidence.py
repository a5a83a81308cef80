"""The privacy evidence matrix: do distance measures and attacks point the same way?

Distance measures (how close synthetic rows sit to training rows) and attacks (what an attacker
actually achieves) answer the same question by different means. Each row says "risk" or
"no risk" by the report's own gate check on that metric when the policy has one, else by the
documented default below. When one kind says risk and the other does not, the rows behind each
side's conclusion are flagged ``disagrees``: the page should make the reader look at both.

Defaults (used only when the report's policy has no check on the metric) are the ``[defaults]``
section of ``core/policies.toml``: mostly the ``internal`` policy's bounds; NNDR and DCR median
judge the score (synthetic median / holdout median, capped at 1), and authenticity its value
(the partner policy's bound, 0.35); unique quasi-identifier matches and rare-value replay count
as a risk only above the holdout's share (the chance level).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.figures.common import check_of, fmt, group_rows, is_ok, metric_name
from core.gate import DefaultLimit, default_limits
from core.metrics.value import MetricValue
from core.report import Report

RISK, NO_RISK, NOT_COMPUTED = "risk", "no risk", "not computed"
WITHIN_NOISE = "within noise"  # the policy's check is inconclusive: past its bound, within noise
DISTANCE, ATTACK = "distance", "attack"

SUMMARY_NONE = "Neither distance measures nor attacks were computed, so there is no evidence."
SUMMARY_ONE = "Only the {kind} were computed; they say: {says}."
SUMMARY_AGREE_SAFE = "Distance measures and attacks agree: no sign of a privacy risk."
SUMMARY_AGREE_RISK = "Distance measures and attacks agree on a risk: {names}."
SUMMARY_DISTANCE_ONLY = (
    "They disagree: distance measures flag {names}, but no attack succeeded; synthetic rows sit "
    "close to training rows in a way the attacks did not exploit."
)
SUMMARY_ATTACK_ONLY = (
    "They disagree: attacks succeed ({names}) although distance measures see no risk; trust the "
    "attacks, which measure what an attacker achieves."
)
SUMMARY_NOT_CONCLUSIVE = (
    "No distance measure or attack clearly passes its limit, but the evidence is not conclusive: "
    "{caveats}."
)
SUMMARY_ALSO = " Also: {caveats}."
CAVEAT_FAILS = "{name} fails its check ({value}, {bound})"
CAVEAT_WITHIN_NOISE = "{name} is past its limit but within noise ({value}, {bound})"
CAVEAT_CI = "{name}'s 95% interval reaches {ci_high}, past its limit {limit}"
CAVEAT_GROUPS = (
    "{k} protected group(s) pass a limit within their group, worst {group} ({name} {value} > "
    "{limit}{noise})"
)
GROUP_KEYS = (  # privacy figures repeated within every protected group and intersection
    "privacy.dcr_closer_to_training", "privacy.exact_copies", "privacy.membership_inference_auc",
)


@dataclass(frozen=True)
class Rule:
    """One row of the matrix; judged by its ``[defaults]`` limit when the policy has no check.

    Attributes:
        label: Row name in the matrix.
        kind: ``DISTANCE`` or ``ATTACK``.
        key: The metric key (table-level row).
    """

    label: str
    kind: str
    key: str

    @property
    def default(self) -> DefaultLimit:
        """The metric's display limit from ``policies.toml``."""
        return default_limits()[self.key]

    def judge(self, row: MetricValue) -> tuple[bool, str]:
        """``(risk, "risk when ...")`` by this measure's default limit."""
        d = self.default
        if d.min_score is not None:
            return float(row.score or 0.0) < d.min_score, f"score < {d.min_score:g} (default)"
        limit = float(d.max)
        text = f"> {limit:g} (default)"
        if d.above_baseline and row.baseline is not None:
            limit = max(limit, float(row.baseline))
            text = f"> {d.max:g} and > holdout {row.baseline:.3g} (default)"
        return float(row.value) > limit, text


RULES = (
    Rule("DCR share (closer to training)", DISTANCE, "privacy.dcr_closer_to_training"),
    Rule("Exact copies", DISTANCE, "privacy.exact_copies"),
    Rule("NNDR vs holdout", DISTANCE, "privacy.nndr"),
    Rule("DCR median vs holdout", DISTANCE, "privacy.dcr"),
    Rule("Authenticity (one-class embedding)", DISTANCE, "privacy.authenticity"),
    Rule("Membership inference AUC", ATTACK, "privacy.membership_inference_auc"),
    Rule("Singling out (one attribute)", ATTACK, "privacy.singling_out_univariate"),
    Rule("Singling out (three attributes)", ATTACK, "privacy.singling_out_multivariate"),
    Rule("Linkability", ATTACK, "privacy.linkability"),
    Rule("Inference (worst secret)", ATTACK, "privacy.inference"),
    # CAP: the secret read off the synthetic rows sharing a person's other quasi-identifiers.
    Rule("CAP disclosure (worst secret)", ATTACK, "privacy.cap_disclosure"),
    Rule("Unique quasi-identifier matches", ATTACK, "privacy.unique_qi_matches"),
    # An attacker who holds the real table looks its rare values up in the synthetic one.
    Rule("Rare-value replay (worst column)", ATTACK, "privacy.rare_value_replay"),
    # The generator audit: an attacker who retrains the generator (a job of its own).
    Rule("Shadow-model membership inference (generator audit)", ATTACK,
         "privacy.shadow_membership_inference"),
)
COLUMNS = ["evidence", "kind", "value", "risk when", "says", "disagrees"]


def _says(report: Report, rule: Rule) -> tuple[float | None, str, str]:
    """``(value, risk when, says)`` of one rule's metric."""
    row = report.top(rule.key)
    if not is_ok(row):
        return None, "", NOT_COMPUTED
    check = check_of(report, rule.key)
    if check is not None and check.status in ("pass", "fail", "inconclusive"):
        parts = [f"< {check.min:g}"] if check.min is not None else []
        parts += [f"> {check.max:g}"] if check.max is not None else []
        says = {"fail": RISK, "pass": NO_RISK}.get(check.status, WITHIN_NOISE)
        return row.value, f"{' or '.join(parts)} (policy {report.policy})", says
    risk, text = rule.judge(row)
    return row.value, text, RISK if risk else NO_RISK


def _verdict(says: list[str]) -> str | None:
    """A kind's conclusion: risk if any measure says so; None when none was computed."""
    done = [s for s in says if s != NOT_COMPUTED]
    if not done:
        return None
    return RISK if RISK in done else NO_RISK


def evidence_matrix(report: Report) -> pd.DataFrame:
    """Distance measures and attacks, what each says, and where the two kinds disagree.

    Returns:
        One row per measure (distance measures first) with columns ``evidence``, ``kind``
        (distance / attack), ``value`` (raw, None when not computed), ``risk when`` (the rule
        used), ``says`` (risk / no risk / not computed) and ``disagrees``: True for the rows
        behind each kind's conclusion when the distance measures and the attacks conclude
        differently (e.g. no exact copies, but a membership-inference AUC of 0.9).
    """
    rows = []
    for rule in RULES:
        value, text, says = _says(report, rule)
        rows.append({"evidence": rule.label, "kind": rule.kind, "value": value,
                     "risk when": text, "says": says})
    df = pd.DataFrame(rows, columns=COLUMNS[:-1])
    verdicts = {k: _verdict(df.loc[df["kind"] == k, "says"].tolist()) for k in (DISTANCE, ATTACK)}
    split = None not in verdicts.values() and verdicts[DISTANCE] != verdicts[ATTACK]
    df["disagrees"] = split & (df["says"] == df["kind"].map(verdicts))
    return df


def _limit(report: Report, key: str) -> float | None:
    """The policy's upper bound on a privacy metric, else its ``[defaults]`` one."""
    check = check_of(report, key)
    if check is not None:
        return check.max
    d = default_limits().get(key)
    return d.max if d is not None else None


def privacy_caveats(report: Report) -> list[str]:
    """What keeps the privacy evidence from being a clean "no risk", in words.

    Failing privacy checks outside the matrix (e.g. a newly added metric), inconclusive ones,
    95% intervals
    whose upper end passes the limit, and protected groups (over every attribute and
    intersection) whose own DCR share, exact-copy share or membership AUC passes the limit.
    """
    from core.gate import Check  # the bound in words

    out = []
    in_matrix = {rule.key for rule in RULES}  # their failures are named by the matrix sentence
    for c in report.verdict.checks:
        if c.family != "privacy":
            continue
        bound = Check(c.key, c.min, c.max, "").bound_text()
        if c.status == "fail" and c.key not in in_matrix:
            out.append(CAVEAT_FAILS.format(name=c.name, value=fmt(c.value), bound=bound))
        elif c.status == "inconclusive":
            out.append(CAVEAT_WITHIN_NOISE.format(name=c.name, value=fmt(c.value), bound=bound))
        elif c.status == "pass" and c.ci_reaches_bound:
            out.append(CAVEAT_CI.format(name=c.name, ci_high=fmt(c.ci_high), limit=fmt(c.max)))
    checked = {c.key for c in report.verdict.checks}
    for rule in RULES:  # measures the policy does not gate: their display limit
        row = report.top(rule.key)
        limit = _limit(report, rule.key)
        if (rule.key not in checked and is_ok(row) and limit is not None
                and row.ci_high is not None and row.value <= limit < row.ci_high):
            out.append(CAVEAT_CI.format(name=rule.label, ci_high=fmt(row.ci_high),
                                        limit=fmt(limit)))
    flagged = []
    for key in GROUP_KEYS:
        limit = _limit(report, key)
        if limit is None:
            continue
        flagged += [(float(r.value) - limit, key, r, limit) for r in group_rows(report, key)
                    if is_ok(r) and r.value > limit]
    if flagged:
        _, key, r, limit = max(flagged, key=lambda f: f[0])
        noise = ""
        if r.ci_low is not None and r.ci_low <= limit:
            noise = f"; its 95% interval [{fmt(r.ci_low)}, {fmt(r.ci_high)}] reaches the limit"
        out.append(CAVEAT_GROUPS.format(k=len({f[2].group for f in flagged}), group=r.group,
                                        name=metric_name(key), value=fmt(r.value),
                                        limit=fmt(limit), noise=noise))
    return out


def evidence_summary(report: Report) -> str:
    """Plain sentences: do the distance measures and the attacks agree, and on what?

    Never "no sign of a privacy risk" while a privacy check fails or is inconclusive, a 95%
    interval passes its limit, or a protected group passes a limit: those are named instead.
    """
    base = _agreement(report)
    caveats = privacy_caveats(report)
    if not caveats:
        return base
    if base == SUMMARY_AGREE_SAFE:
        return SUMMARY_NOT_CONCLUSIVE.format(caveats="; ".join(caveats))
    return base + SUMMARY_ALSO.format(caveats="; ".join(caveats))


def _agreement(report: Report) -> str:
    """The agreement sentence of the matrix alone."""
    df = evidence_matrix(report)
    verdicts = {k: _verdict(df.loc[df["kind"] == k, "says"].tolist()) for k in (DISTANCE, ATTACK)}
    d, a = verdicts[DISTANCE], verdicts[ATTACK]
    risky = df.loc[df["says"] == RISK, "evidence"].tolist()
    if d is None and a is None:
        return SUMMARY_NONE
    if d is None or a is None:
        kind = "attacks" if d is None else "distance measures"
        return SUMMARY_ONE.format(kind=kind, says=a if d is None else d)
    if d == a:
        return SUMMARY_AGREE_SAFE if d == NO_RISK else SUMMARY_AGREE_RISK.format(
            names=", ".join(risky))
    if d == RISK:
        names = df.loc[(df["kind"] == DISTANCE) & (df["says"] == RISK), "evidence"]
        return SUMMARY_DISTANCE_ONLY.format(names=", ".join(names))
    names = df.loc[(df["kind"] == ATTACK) & (df["says"] == RISK), "evidence"]
    return SUMMARY_ATTACK_ONLY.format(names=", ".join(names))
