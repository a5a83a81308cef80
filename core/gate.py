"""The acceptance gate: named policies of thresholds (``policies.toml``) and the verdict.

Every check is judged against its bound *and* the sampling noise (README "How the gate decides"):

- within the bound -> ``pass``;
- worse than the bound and beyond its noise -> ``fail``. Beyond the noise means: past the noise
  floor (the holdout's value of the same quantity, for metrics whose ``baseline`` is one) by more
  than ``noise_margin`` (10%) of the floor, e.g. a floor of 0.229 fails only above 0.252; and the
  whole 95% interval (``ci_low``/``ci_high``, where the metric has one) past the bound;
- worse than the bound but not beyond its noise -> ``inconclusive`` (within noise);
- a metric with no noise reference is judged by the plain bound, and its ``rule`` says so.

Fairness metrics whose table value is the worst attribute set's (``Metric.gate_by_set``) are
judged set by set, each against its own floor; attribute sets and pooled groups too small to
judge are counted in the rule, never gated. A check whose metric was not computed is
``not_computed``: never a pass. The verdict is ``fail`` when any check fails, ``incomplete``
when none fails but some are inconclusive or not computed (a pass needs evidence on every
check), and ``pass`` otherwise.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from core.errors import UserInputError
from core.metrics.value import OK, MetricValue

POLICIES_FILE = Path(__file__).with_name("policies.toml")
DEFAULT_POLICY = "internal"
PASS, FAIL, INCOMPLETE, NOT_COMPUTED = "pass", "fail", "incomplete", "not_computed"
INCONCLUSIVE = "inconclusive"  # worse than the bound, but within the sampling noise

DEFAULTS = "defaults"  # the section of display limits in policies.toml, not a policy
SETTINGS = "gate"  # the gate's own settings in policies.toml (noise_margin), not a policy
SOURCES = "sources"  # the cited sources [1]–[n] in policies.toml (core.glossary), not a policy
NOT_POLICIES = (DEFAULTS, SETTINGS, SOURCES)
DEFAULT_NOISE_MARGIN = 0.10

MSG_UNKNOWN_POLICY = "There is no policy '{name}'. Choose one of: {valid}."


@dataclass(frozen=True)
class Check:
    """One threshold of a policy."""

    key: str
    min: float | None
    max: float | None
    why: str

    def bound_text(self) -> str:
        """The bound in words, e.g. ``≥ 0.80`` or ``≤ 0.02``."""
        parts = []
        if self.min is not None:
            parts.append(f"≥ {self.min:g}")
        if self.max is not None:
            parts.append(f"≤ {self.max:g}")
        return " and ".join(parts)


@dataclass(frozen=True)
class Policy:
    """A named set of checks."""

    name: str
    description: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class DefaultLimit:
    """A display limit for a measure the chosen policy does not gate (``[defaults]``).

    Attributes:
        key: The metric key.
        max: Risk when the raw value is above it.
        min_score: Risk when the score (higher is better) is below it.
        above_baseline: Risk only when the value is also above the holdout's baseline.
        why: The reason, in words.
    """

    key: str
    max: float | None
    min_score: float | None
    above_baseline: bool
    why: str


@dataclass(frozen=True)
class CheckResult:
    """A check applied to a report: value, bound, outcome and its meaning in plain words."""

    key: str
    name: str
    family: str
    value: float | None
    min: float | None
    max: float | None
    status: str  # pass | fail | inconclusive | not_computed
    meaning: str
    # Added with the noise-aware gate; reports stored before it lack them (defaults below).
    noise_floor: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    rule: str = ""
    attribute_set: str | None = None  # the protected attribute set that decided, e.g. "race & age"

    @property
    def passed(self) -> bool | None:
        """True/False, or None when not computed or inconclusive."""
        return None if self.status in (NOT_COMPUTED, INCONCLUSIVE) else self.status == PASS

    @property
    def ci_reaches_bound(self) -> bool:
        """Whether the 95% interval reaches past the bound (the value itself may be within)."""
        hi_past = self.max is not None and self.ci_high is not None and self.ci_high > self.max
        lo_past = self.min is not None and self.ci_low is not None and self.ci_low < self.min
        return hi_past or lo_past


@dataclass(frozen=True)
class Verdict:
    """The gate's decision under one policy."""

    policy: str
    outcome: str  # pass | fail | incomplete
    checks: tuple[CheckResult, ...]
    summary: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        d = asdict(self)
        for c, obj in zip(d["checks"], self.checks, strict=True):
            c["passed"] = obj.passed
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Verdict:
        """Inverse of :meth:`to_dict`."""
        known = set(CheckResult.__dataclass_fields__)
        checks = tuple(
            CheckResult(**{k: v for k, v in c.items() if k in known}) for c in d["checks"]
        )
        return cls(policy=d["policy"], outcome=d["outcome"], checks=checks, summary=d["summary"])


@cache
def load_policies(path: Path = POLICIES_FILE) -> dict[str, Policy]:
    """Every policy in the TOML file, in file order."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    out = {}
    for name, body in raw.items():
        if name in NOT_POLICIES:
            continue
        checks = tuple(
            Check(key=k, min=v.get("min"), max=v.get("max"), why=v["why"])
            for k, v in body.get("checks", {}).items()
        )
        out[name] = Policy(name=name, description=body.get("description", ""), checks=checks)
    return out


@cache
def default_limits(path: Path = POLICIES_FILE) -> dict[str, DefaultLimit]:
    """The ``[defaults]`` display limits of the TOML file, by metric key."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh).get(DEFAULTS, {}).get("checks", {})
    return {
        k: DefaultLimit(key=k, max=v.get("max"), min_score=v.get("min_score"),
                        above_baseline=bool(v.get("above_baseline", False)), why=v["why"])
        for k, v in raw.items()
    }


@cache
def noise_margin(path: Path = POLICIES_FILE) -> float:
    """``[gate] noise_margin``: how far past its noise floor a value must be to fail (0.10)."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh).get(SETTINGS, {})
    return float(raw.get("noise_margin", DEFAULT_NOISE_MARGIN))


def get_policy(name: str) -> Policy:
    """A policy by name; a clear error listing the valid names otherwise."""
    policies = load_policies()
    if name not in policies:
        raise UserInputError(MSG_UNKNOWN_POLICY.format(name=name, valid=", ".join(policies)))
    return policies[name]


NO_NOISE = "this metric has no noise reference, so the plain bound decides"


def _num(x: float) -> str:
    return f"{x:.3g}"


def judge(row: MetricValue, check: Check, noise_floor: bool, margin: float) -> tuple[str, str]:
    """``(status, rule)`` of one computed value against a check's bound and its noise.

    Args:
        row: A computed metric value (table level, or one group's).
        check: The bound.
        noise_floor: Whether ``row.baseline`` is a noise floor (``Metric.baseline_is_noise_floor``).
        margin: How far past the floor, as a share of it, a value must be to fail.

    Returns:
        ``PASS``, ``FAIL`` or ``INCONCLUSIVE``, and the rule that decided, in words.

    Example:
        value 0.238, max 0.10, floor 0.229, margin 0.1 -> inconclusive ("fails only above 0.252").
    """
    v = float(row.value)
    high = check.max is not None and v > check.max
    low = check.min is not None and v < check.min
    has_ci = row.ci_low is not None and row.ci_high is not None
    floor = row.baseline if noise_floor else None
    if not (high or low):
        rule = f"{_num(v)} is within {check.bound_text()}"
        if has_ci and ((check.max is not None and row.ci_high > check.max)
                       or (check.min is not None and row.ci_low < check.min)):
            rule += (f"; its 95% interval [{_num(row.ci_low)}, {_num(row.ci_high)}] reaches past "
                     "the bound")
        if floor is None and not has_ci:
            rule += f"; {NO_NOISE}"
        return PASS, rule + ": pass."
    bound = f"{_num(v)} {'>' if high else '<'} {_num(check.max if high else check.min)}"
    if floor is None and not has_ci:
        return FAIL, f"{bound}; {NO_NOISE}: fail."
    beyond, parts = True, []
    if floor is not None:
        edge = floor + abs(floor) * margin if high else floor - abs(floor) * margin
        past = v > edge if high else v < edge
        beyond &= past
        side = "above" if high else "below"
        parts.append(f"{'beyond' if past else 'within'} {margin:.0%} of the holdout's noise floor "
                     f"{_num(floor)} (fails only {side} {_num(edge)})")
    if has_ci:
        past = row.ci_low > check.max if high else row.ci_high < check.min
        beyond &= past
        parts.append(f"its 95% interval [{_num(row.ci_low)}, {_num(row.ci_high)}] "
                     f"{'lies wholly past' if past else 'reaches'} the bound")
    if beyond:
        return FAIL, f"{bound} and {' and '.join(parts)}: fail."
    return INCONCLUSIVE, f"{bound} but {'; '.join(parts)}: inconclusive (within noise)."


def _by_set(
    rows: list[MetricValue], check: Check, noise_floor: bool, margin: float
) -> tuple[MetricValue | None, str, str]:
    """The deciding attribute-set row and its status and rule.

    Each attribute-set row holds the worst group's value and the worst holdout floor of the same
    groups: the largest of k noisy group figures is compared with the largest of k noise draws.
    The deciding row is the worst failing set, else the worst inconclusive one, else the worst
    passing one. Sets without a value (too few groups) or without a floor are not judged.
    """
    judged = [(r, *judge(r, check, noise_floor, margin)) for r in rows
              if r.status == OK and r.value is not None
              and (r.baseline is not None or not noise_floor)]
    if not judged:
        return None, NOT_COMPUTED, ""
    worse = -1.0 if check.max is not None else 1.0  # sort key: the worst value first
    for status in (FAIL, INCONCLUSIVE, PASS):
        hits = [j for j in judged if j[1] == status]
        if hits:
            row, _, rule = min(hits, key=lambda j: worse * float(j[0].value))
            return row, status, rule
    raise AssertionError("unreachable")


def _not_judged(results: tuple[MetricValue, ...], key: str) -> str:
    """What a per-set check left out: attribute sets and pooled groups too small to judge."""
    sets = [r for r in results if r.key == key and r.columns != () and r.group is None
            and (r.status != OK or r.value is None)]
    pooled = [r for r in results if r.key == key and r.group is not None
              and r.status != OK and str(r.group).endswith("=(other)")]
    if not sets and not pooled:
        return ""
    return (f" Too small to judge, reported but not gated: {len(sets)} attribute set(s) and "
            f"{len(pooled)} pooled group(s) of small groups.")


def _set_rows(results: tuple[MetricValue, ...], key: str) -> list[MetricValue]:
    """Attribute-set rows (``columns`` = the attribute set, no group) of one metric."""
    return [r for r in results if r.key == key and r.group is None and r.columns != ()]


def apply_gate(results: tuple[MetricValue, ...], policy: Policy) -> Verdict:
    """Apply every check of ``policy`` to the metric values, judging each against its noise.

    Args:
        results: Every metric value of a report.
        policy: The policy to apply.

    Returns:
        The verdict with one result per check (value, bound, noise floor, interval and rule).
    """
    from core.metrics.registry import REGISTRY  # deferred: importing every metric takes seconds

    margin = noise_margin()
    top = {r.key: r for r in results if r.columns == () and r.group is None}
    out = []
    for check in policy.checks:
        metric = REGISTRY.get(check.key)
        name = metric.name if metric else check.key
        family = metric.family if metric else check.key.split(".")[0]
        floor_ok = bool(metric and metric.baseline_is_noise_floor)
        r = top.get(check.key)
        if r is None or r.status != OK or r.value is None:
            reason = (r.reason if r is not None else None) or "the metric was not computed"
            out.append(CheckResult(check.key, name, family, None, check.min, check.max,
                                   NOT_COMPUTED, f"Not computed: {reason}.",
                                   rule="The metric was not computed: never a pass."))
            continue
        row, subject = r, None
        if metric is not None and metric.gate_by_set and _set_rows(results, check.key):
            row, status, rule = _by_set(_set_rows(results, check.key), check, floor_ok, margin)
            if row is None:
                row, (status, rule) = r, judge(r, check, floor_ok, margin)
            else:
                subject = " & ".join(row.columns)
                rule = f"Worst attribute set {subject}: {rule}"
            rule += _not_judged(results, check.key)
        else:
            status, rule = judge(r, check, floor_ok, margin)
        meaning = {
            PASS: check.why,
            FAIL: f"Fails (needs {check.bound_text()}): {check.why}",
            INCONCLUSIVE: f"Inconclusive, within noise (needs {check.bound_text()}): {check.why}",
        }[status]
        out.append(CheckResult(
            check.key, name, family, row.value, check.min, check.max, status, meaning,
            noise_floor=row.baseline if floor_ok else None, ci_low=row.ci_low,
            ci_high=row.ci_high, rule=rule, attribute_set=subject,
        ))
    n_fail = sum(c.status == FAIL for c in out)
    n_nc = sum(c.status == NOT_COMPUTED for c in out)
    n_inc = sum(c.status == INCONCLUSIVE for c in out)
    n_pass = len(out) - n_fail - n_nc - n_inc
    if n_fail:
        outcome = FAIL
    elif n_nc or n_inc:
        outcome = INCOMPLETE
    else:
        outcome = PASS
    inc = f", {n_inc} inconclusive (within noise)" if n_inc else ""
    summary = (f"{outcome.upper()} under policy '{policy.name}': {n_pass} of {len(out)} checks "
               f"pass, {n_fail} fail{inc}, {n_nc} not computed.")
    return Verdict(policy=policy.name, outcome=outcome, checks=tuple(out), summary=summary)
