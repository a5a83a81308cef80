"""The acceptance gate: named policies of thresholds (``policies.toml``) and the verdict.

A check passes when the metric's table-level value is within its bound. A check whose metric was
not computed is ``not_computed``: never a pass. The verdict is ``fail`` when any check fails,
``incomplete`` when none fails but some could not be computed, and ``pass`` otherwise.
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

DEFAULTS = "defaults"  # the section of display limits in policies.toml, not a policy
SOURCES = "sources"  # the cited sources [1]–[n] in policies.toml (core.glossary), not a policy

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
    status: str  # pass | fail | not_computed
    meaning: str

    @property
    def passed(self) -> bool | None:
        """True/False, or None when not computed."""
        return None if self.status == NOT_COMPUTED else self.status == PASS


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
        checks = tuple(
            CheckResult(**{k: v for k, v in c.items() if k != "passed"}) for c in d["checks"]
        )
        return cls(policy=d["policy"], outcome=d["outcome"], checks=checks, summary=d["summary"])


@cache
def load_policies(path: Path = POLICIES_FILE) -> dict[str, Policy]:
    """Every policy in the TOML file, in file order."""
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    out = {}
    for name, body in raw.items():
        if name in (DEFAULTS, SOURCES):
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


def get_policy(name: str) -> Policy:
    """A policy by name; a clear error listing the valid names otherwise."""
    policies = load_policies()
    if name not in policies:
        raise UserInputError(MSG_UNKNOWN_POLICY.format(name=name, valid=", ".join(policies)))
    return policies[name]


def apply_gate(results: tuple[MetricValue, ...], policy: Policy) -> Verdict:
    """Apply every check of ``policy`` to the table-level metric values.

    Args:
        results: Every metric value of a report.
        policy: The policy to apply.

    Returns:
        The verdict with one result per check.
    """
    from core.metrics.registry import REGISTRY  # deferred: importing every metric takes seconds

    top = {r.key: r for r in results if r.columns == () and r.group is None}
    out = []
    for check in policy.checks:
        metric = REGISTRY.get(check.key)
        name = metric.name if metric else check.key
        family = metric.family if metric else check.key.split(".")[0]
        r = top.get(check.key)
        if r is None or r.status != OK or r.value is None:
            reason = (r.reason if r is not None else None) or "the metric was not computed"
            out.append(CheckResult(check.key, name, family, None, check.min, check.max,
                                   NOT_COMPUTED, f"Not computed: {reason}."))
            continue
        ok = (check.min is None or r.value >= check.min) and (
            check.max is None or r.value <= check.max
        )
        meaning = check.why if ok else f"Fails (needs {check.bound_text()}): {check.why}"
        out.append(CheckResult(check.key, name, family, r.value, check.min, check.max,
                               PASS if ok else FAIL, meaning))
    n_fail = sum(c.status == FAIL for c in out)
    n_nc = sum(c.status == NOT_COMPUTED for c in out)
    n_pass = len(out) - n_fail - n_nc
    if n_fail:
        outcome = FAIL
    elif n_nc:
        outcome = INCOMPLETE
    else:
        outcome = PASS
    summary = (f"{outcome.upper()} under policy '{policy.name}': {n_pass} of {len(out)} checks "
               f"pass, {n_fail} fail, {n_nc} not computed.")
    return Verdict(policy=policy.name, outcome=outcome, checks=tuple(out), summary=summary)
