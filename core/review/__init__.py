"""The human review of a run: decisions per column (and flagged pairs and rows), then a sign-off.

``decisions`` stores what a reviewer decided on each target, ``signoff`` approves or rejects the
run, ``access`` says which role may do what, and ``evidence`` is what the reviewer saw.
"""

from core.review._checks import MSG_NO_REVIEWER
from core.review.access import CAN_DECIDE, CAN_SIGN_OFF, ROLES, role_for
from core.review.decisions import (
    DECISIONS,
    KINDS,
    MSG_REJECT_NEEDS_COMMENT,
    MSG_SEEN_UNKNOWN,
    MSG_VIEWER_CANNOT_DECIDE,
    ReviewConflict,
    current_decisions,
    history,
    next_undecided,
    pair_target,
    progress,
    record_decision,
    row_target,
)
from core.review.evidence import evidence_for, pair_targets
from core.review.signoff import SIGNOFFS, current_signoff, sign_off, signoff_history
from core.store.reviews import Decision, SignOff

__all__ = [
    "CAN_DECIDE",
    "CAN_SIGN_OFF",
    "DECISIONS",
    "KINDS",
    "MSG_NO_REVIEWER",
    "MSG_REJECT_NEEDS_COMMENT",
    "MSG_SEEN_UNKNOWN",
    "MSG_VIEWER_CANNOT_DECIDE",
    "ROLES",
    "SIGNOFFS",
    "Decision",
    "ReviewConflict",
    "SignOff",
    "current_decisions",
    "current_signoff",
    "evidence_for",
    "history",
    "next_undecided",
    "pair_target",
    "pair_targets",
    "progress",
    "record_decision",
    "role_for",
    "row_target",
    "sign_off",
    "signoff_history",
]
