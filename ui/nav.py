"""The page list (one place), the sidebar, and links that work in every way a page can run.

Streamlit treats an app with a ``pages/`` folder as a "pages directory" app until some session
has run ``st.navigation``: a browser that opens a page's URL first on a fresh server gets that
page alone. So app.py registers the pages with a hidden ``st.navigation`` and every page draws
this sidebar itself (from ``ui.bootstrap``): the same sections whichever way it was opened. A page
file run on its own (AppTest) has no registered pages: links fall back to plain text.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

# (section, file, title, icon)
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("Start", "pages/0_Home.py", "Home", ":material/home:"),
    ("Start", "pages/1_Demo.py", "Demo", ":material/slideshow:"),
    ("Prepare", "pages/2_Data.py", "Data", ":material/table_view:"),
    ("Prepare", "pages/3_Generate.py", "Generate", ":material/model_training:"),
    ("Prepare", "pages/4_Preview.py", "Preview", ":material/compare:"),
    ("Evaluate", "pages/5_Overview.py", "Overview", ":material/dashboard:"),
    ("Evaluate", "pages/6_Fidelity.py", "Fidelity", ":material/query_stats:"),
    ("Evaluate", "pages/7_Utility.py", "Utility", ":material/construction:"),
    ("Evaluate", "pages/8_Privacy.py", "Privacy", ":material/shield:"),
    ("Evaluate", "pages/9_Fairness.py", "Fairness", ":material/balance:"),
    ("Evaluate", "pages/10_Compare.py", "Compare", ":material/leaderboard:"),
    ("Decide", "pages/11_Review.py", "Review", ":material/rate_review:"),
    ("Decide", "pages/12_Report.py", "Report", ":material/ios_share:"),
    ("History", "pages/13_Runs.py", "Runs", ":material/history:"),
    ("History", "pages/14_Jobs.py", "Jobs", ":material/pending_actions:"),
)


def sidebar() -> None:
    """Draw the navigation in the sidebar (skipped when pages are not registered)."""
    with st.sidebar:
        st.markdown("**synthreview**")
        section = None
        for sec, path, title, icon in PAGES:
            if sec != section:
                st.caption(sec)
                section = sec
            try:
                st.page_link(path, label=title, icon=icon)
            except StreamlitAPIException:
                return


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
