"""Values as a board reads them: numbers rounded, times to the minute, words instead of keys.

Examples: ``number(3.844883758999913)`` -> ``"3.845"``; ``seconds(3.8448)`` -> ``"3.8 s"``;
``when("2026-01-02T03:04:05.123456+00:00")`` -> ``"2026-01-02 03:04 UTC"``;
``words("needs_work")`` -> ``"needs work"``; ``number(False)`` -> ``"no"``.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from core.gate import FAIL, NOT_COMPUTED, PASS, Verdict, get_policy
from core.report import Report
from core.review import DECISION_WORDS, use_answer

SMALL = 0.001


def number(value: Any) -> str:
    """A value for a table cell: at most 3 decimals, booleans as words, None as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        if abs(value) < SMALL:
            return "< 0.001" if value > 0 else "> −0.001"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:.3f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    return str(value)


def seconds(value: float | None) -> str:
    """Seconds to 0.1, e.g. ``"3.8 s"`` (a dash when unknown)."""
    return "—" if value is None else f"{value:.1f} s"


def when(iso: str | None) -> str:
    """An ISO time as ``YYYY-MM-DD HH:MM UTC`` (stored times are UTC)."""
    if not iso:
        return "—"
    return f"{datetime.fromisoformat(iso):%Y-%m-%d %H:%M} UTC"


def words(key: str | None) -> str:
    """A stored key in words: decisions (``needs_work`` -> ``needs work``), else ``_`` -> space."""
    if key is None:
        return "—"
    return DECISION_WORDS.get(key, key.replace("_", " "))


def signoff_text(signoff: dict[str, Any] | None) -> str:
    """The sign-off in one line, e.g. ``"approved with override: … — by Ada (reviewer) …"``."""
    if not signoff:
        return "Not signed off yet."
    label = signoff.get("label") or signoff["decision"]
    return (f"{label} — by {signoff['reviewer']} ({signoff.get('role') or 'reviewer'}) at "
            f"{when(signoff['created_at'])}: {signoff['reason']}")


def _checks(verdict: Verdict, status: str) -> list[str]:
    out = []
    for c in verdict.checks:
        if c.status != status:
            continue
        if status == FAIL:
            bound = " and ".join(
                ([f"≥ {c.min:g}"] if c.min is not None else [])
                + ([f"≤ {c.max:g}"] if c.max is not None else []))
            out.append(f"{c.name}: {number(c.value)} (needs {bound})")
        else:
            out.append(c.name)
    return out


def summary_rows(report: Report, signoff: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The executive summary as (heading, text) rows, in reading order."""
    v = report.verdict
    policy = get_policy(v.policy)
    n = len(v.checks)
    n_pass = sum(c.status == PASS for c in v.checks)
    failed, missing = _checks(v, FAIL), _checks(v, NOT_COMPUTED)
    families = sorted({c.family for c in v.checks})
    limits = list(report.warnings) or ["No warnings: the inputs raised no doubts."]
    return [
        ("Answer", use_answer(v, signoff)),
        ("Verdict", f"{v.outcome.upper()} under policy '{v.policy}': {n_pass} of {n} checks "
                    f"pass, {len(failed)} fail, {len(missing)} could not be computed."),
        ("Sign-off", signoff_text(signoff)),
        ("Intended use", f"Policy '{policy.name}': {policy.description}"),
        ("What was checked", f"{n} checks across {', '.join(families)}, on "
                             f"{number(report.sizes.get('real'))} training, "
                             f"{number(report.sizes.get('holdout'))} holdout and "
                             f"{number(report.sizes.get('synthetic'))} synthetic rows."),
        ("What failed", "; ".join(failed) if failed else "Nothing failed."),
        ("Not computed", "; ".join(missing) if missing else "Every check was computed."),
        ("Limitations and sampling", " ".join(limits)),
    ]
