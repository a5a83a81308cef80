"""Links between pages that also work when a page runs on its own (AppTest runs page files).

With ``st.navigation`` in app.py, pages are registered only when app.py ran first; a page file
run directly has no registry, so a link falls back to plain text naming the page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException


def link(page: str, label: str, icon: str | None = None) -> None:
    """``st.page_link`` to ``page``, or its label as text when pages are not registered."""
    try:
        st.page_link(page, label=label, icon=icon)
    except StreamlitAPIException:
        st.text(f"→ {label}")


def go(page: str) -> None:
    """Switch to ``page``; when pages are not registered, rerun the current page instead."""
    try:
        st.switch_page(page)
    except StreamlitAPIException:
        st.rerun()
