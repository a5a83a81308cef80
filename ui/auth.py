"""The reviewer's identity: Streamlit's OIDC sign-in when configured, else a typed name."""

from __future__ import annotations

import streamlit as st

from core.review import ROLES, role_for
from ui import state


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}))
    except Exception:  # noqa: BLE001 - no secrets file at all: sign-in is off
        return {}


def sign_in_configured() -> bool:
    """True when ``[auth]`` is set in ``.streamlit/secrets.toml``."""
    return bool(_secrets_section("auth"))


def identity() -> tuple[str, str] | None:
    """(reviewer name, role), or None while the user still has to sign in or type a name."""
    if sign_in_configured():
        if not st.user.is_logged_in:
            st.info("Sign in to review and sign off.")
            st.button("Sign in", on_click=st.login, key="auth.login", icon=":material/login:")
            return None
        email = str(st.user.get("email") or st.user.get("name") or "")
        roles = _secrets_section("synthreview").get("roles", {})
        role = role_for(email, roles)
        c1, c2 = st.columns([3, 1])
        c1.text(f"Signed in as {email} ({role})")
        c2.button("Sign out", on_click=st.logout, key="auth.logout")
        return email, role
    c1, c2 = st.columns([3, 1])
    name = c1.text_input("Your name (recorded with every decision)",
                         value=st.session_state.get(state.REVIEWER, ""), key="auth.name")
    current = st.session_state.get(state.ROLE, "reviewer")
    role = c2.selectbox("Role", ROLES, index=ROLES.index(current), key="auth.role",
                        help="Only a reviewer may sign off. Without sign-in configured, roles "
                             "are self-declared (see README).")
    st.session_state[state.REVIEWER] = name.strip()
    st.session_state[state.ROLE] = role
    if not name.strip():
        st.info("Type your name to record decisions.")
        return None
    return name.strip(), role
