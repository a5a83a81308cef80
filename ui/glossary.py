"""The glossary on a page: an expander of plain-language terms (core.glossary)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.glossary import load_glossary
from ui.text import md_escape


def glossary_expander(terms: Sequence[str] | None = None, label: str = "Glossary") -> None:
    """An expander explaining ``terms`` (every glossary term when None), one per line."""
    wanted = [t for t in load_glossary() if terms is None or t.term in terms]
    with st.expander(label, icon=":material/menu_book:"):
        st.markdown("\n\n".join(f"**{md_escape(t.term)}** — {md_escape(t.text)}"
                                for t in wanted))
