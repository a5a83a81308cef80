"""The human review of a run: decisions per column (and flagged pairs and rows), then a sign-off.

``decisions`` stores what a reviewer decided on each target, ``signoff`` approves or rejects the
run, ``access`` says which role may do what, ``evidence`` is what the reviewer saw, and
``outcome`` says whether the data may be used.
"""

from core.review._checks import MSG_NO_REVIEWER
from core.review.access import CAN_DECIDE, CAN_SIGN_OFF, ROLES, role_for
from core.review.decisions import (
    DECISION_WORDS,
    DECISIONS,
    KINDS,
    MARKS,
    MSG_NO_DECISION,
    MSG_REJECT_NEEDS_COMMENT,
    MSG_SEEN_UNKNOWN,
    MSG_VIEWER_CANNOT_DECIDE,
    ReviewConflict,
    current_decisions,
    decision_count,
    history,
    next_undecided,
    pair_target,
    progress,
    progress_of,
    record_decision,
    row_target,
    status_label,
)
from core.review.evidence import PANELS, column_pairs, evidence_for, pair_targets, shown_text
from core.review.outcome import use_answer
from core.review.signoff import (
    MSG_NEEDS_OVERRIDE,
    MSG_NO_SIGNOFF_CHOICE,
    SIGNOFFS,
    current_signoff,
    current_signoffs,
    override_needed,
    sign_off,
    signoff_history,
    signoff_needs,
)
from core.store.reviews import Decision, SignOff

__all__ = [
    "CAN_DECIDE",
    "CAN_SIGN_OFF",
    "DECISIONS",
    "DECISION_WORDS",
    "KINDS",
    "MARKS",
    "MSG_NEEDS_OVERRIDE",
    "MSG_NO_DECISION",
    "MSG_NO_SIGNOFF_CHOICE",
    "MSG_NO_REVIEWER",
    "MSG_REJECT_NEEDS_COMMENT",
    "MSG_SEEN_UNKNOWN",
    "MSG_VIEWER_CANNOT_DECIDE",
    "PANELS",
    "ROLES",
    "SIGNOFFS",
    "Decision",
    "ReviewConflict",
    "SignOff",
    "column_pairs",
    "current_decisions",
    "current_signoff",
    "current_signoffs",
    "decision_count",
    "evidence_for",
    "history",
    "next_undecided",
    "override_needed",
    "pair_target",
    "pair_targets",
    "progress",
    "progress_of",
    "record_decision",
    "role_for",
    "row_target",
    "sign_off",
    "signoff_history",
    "shown_text",
    "signoff_needs",
    "status_label",
    "use_answer",
]
