"""May the synthetic data be used? One answer from the verdict and the sign-off.

The Demo's first sentence and the HTML report's executive summary say the same thing: "Yes —
for internal use: …", "Yes, with an override — …", "No: …" or "Not yet: …".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.gate import FAIL, NOT_COMPUTED, PASS, Verdict, get_policy
from core.store.reviews import SignOff

MAX_NAMED = 3


def _names(verdict: Verdict, status: str) -> tuple[int, str]:
    found = [c.name for c in verdict.checks if c.status == status]
    named = ", ".join(found[:MAX_NAMED]) + (f" and {len(found) - MAX_NAMED} more"
                                           if len(found) > MAX_NAMED else "")
    return len(found), named


def _gate_clause(verdict: Verdict) -> str:
    n = len(verdict.checks)
    if verdict.outcome == PASS:
        return f"it passes all {n} checks of policy '{verdict.policy}'"
    if verdict.outcome == FAIL:
        k, named = _names(verdict, FAIL)
        return f"it fails {k} of {n} checks of policy '{verdict.policy}' ({named})"
    k, named = _names(verdict, NOT_COMPUTED)
    return f"{k} of {n} checks of policy '{verdict.policy}' could not be computed ({named})"


def use_answer(verdict: Verdict, signoff: SignOff | Mapping[str, Any] | None) -> str:
    """Whether the data may be used under the verdict's policy, in one or two sentences.

    ``signoff`` is the current sign-off, or its provenance dict (:func:`core.export.provenance`).

    Example: ``"Not yet: it fails 2 of 13 checks of policy 'internal' (Pair trends, Detection
    …), and no expert has signed it off."``
    """
    policy = get_policy(verdict.policy)
    use = f"for {policy.name} use ({policy.description.rstrip('.').lower()})"
    gate = _gate_clause(verdict)
    if signoff is None:
        return f"Not yet: {gate}, and no expert has signed it off."
    so = signoff if isinstance(signoff, Mapping) else vars(signoff)
    who, reason = so["reviewer"], so["reason"]
    if so["decision"] != "approved":
        return f"No: {who} rejected it ({reason}); {gate}."
    if so.get("override"):
        return (f"Yes, with an override — {use}: {gate}, but {who} approved it knowingly: "
                f"{so['override']}")
    return f"Yes — {use}: {gate}, and {who} approved it ({reason})."
