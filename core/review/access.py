"""Who may do what: roles from a configured mapping of signed-in identities.

With sign-in configured (Streamlit OIDC, ``[auth]`` in ``.streamlit/secrets.toml``), a user's role
comes from ``[synthreview.roles]`` (lists of e-mail addresses per role); anyone else is a
``viewer``. Without sign-in (local use, the default) people type their name and pick a role:
convenient, not a security boundary — the README says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

ROLES = ("reviewer", "analyst", "viewer")
CAN_DECIDE = ("reviewer", "analyst")
CAN_SIGN_OFF = ("reviewer",)


def role_for(identity: str, mapping: Mapping[str, Sequence[str]], default: str = "viewer") -> str:
    """The role of ``identity`` (an e-mail, case-insensitive) under ``mapping``.

    Example: ``role_for("Ann@x.org", {"reviewer": ["ann@x.org"]})`` -> ``"reviewer"``.
    """
    who = identity.strip().lower()
    for role in ROLES:  # the most powerful role wins when listed twice
        if who in {str(e).strip().lower() for e in mapping.get(role, ())}:
            return role
    return default
