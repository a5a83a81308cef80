"""Showing user-supplied text safely: column names and values are text, never Markdown or HTML."""

from __future__ import annotations

import re

import streamlit as st

from core.errors import UserInputError

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text: object) -> str:
    r"""Escape Markdown so ``st.markdown``/``st.error`` show ``text`` literally.

    Example: ``md_escape("*a*")`` -> ``"\\*a\\*"``.
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def show_error(exc: UserInputError | Exception) -> None:
    """Show a user error: the message and every listed problem, as plain text."""
    message = getattr(exc, "message", str(exc))
    problems = getattr(exc, "problems", ())
    body = md_escape(message)
    if problems:
        body += "\n\n" + "\n".join(f"- {md_escape(p)}" for p in problems)
    st.error(body, icon=":material/warning:")
