"""Idempotent start of every page: page config, session defaults, the store.

Every page calls ``bootstrap(title)`` first, so a page works on its own (AppTest runs page files
directly; a browser may open any page's URL).
"""

from __future__ import annotations

import gc
import os

import streamlit as st

from core.config import db_path
from core.datasets import add_sample, list_datasets
from core.errors import StoreError, UserInputError
from core.lifecycle import finish_pending, run_retention
from core.runs import complete_runs
from core.store import Store, open_store
from ui import state
from ui.auth import sign_in_configured
from ui.nav import sidebar as nav_sidebar
from ui.text import show_error

APP_NAME = "synthreview"
ANONYMOUS_ENV = "SYNTHREVIEW_ALLOW_ANONYMOUS"
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
MSG_EXPOSED = (
    "This server listens on '{address}' without sign-in, so anyone who can reach it may act "
    "under any name: configure OIDC sign-in ([auth] in .streamlit/secrets.toml), or set "
    "SYNTHREVIEW_ALLOW_ANONYMOUS=1 to serve anonymously on purpose."
)
MSG_ANONYMOUS = (
    "Anonymous mode (SYNTHREVIEW_ALLOW_ANONYMOUS=1): this server listens on '{address}' without "
    "sign-in; names and roles are self-declared."
)


def exposure_check(address: str | None, signed_in: bool, env: dict | None = None) -> str | None:
    """``"refuse"``, ``"banner"`` or None for a server on ``address`` (empty: every interface)."""
    env = os.environ if env is None else env
    if (address or "") in LOCAL_ADDRESSES or signed_in:
        return None
    return "banner" if env.get(ANONYMOUS_ENV, "").strip() == "1" else "refuse"


@st.cache_resource(show_spinner="Opening the database…")
def _open_store(path: str) -> Store:
    store = open_store(path)
    # Once per process: finish an erasure a crash cut short, then apply the retention limit
    # (SYNTHREVIEW_RETENTION_DAYS; off when unset).
    finish_pending(store)
    run_retention(store)
    if not list_datasets(store):
        add_sample(store)  # the app opens on the Adult sample with no upload needed
    # Once per process, after start-up: the objects every import made (~375,000 with Streamlit,
    # pandas and Plotly) leave the garbage collector's full passes, which otherwise scan them all
    # (~0.3 s each) whenever enough new objects have piled up.
    gc.collect()
    gc.freeze()
    return store


def get_store() -> Store:
    """The process's store (one DuckDB connection per process; a cursor per call)."""
    return _open_store(str(db_path(None).resolve()))


def bootstrap(title: str, sidebar: bool = True) -> Store:
    """Configure the page, open the store and fill session defaults. Safe to call on every run.

    Stops the page with a clear message when the database cannot be opened.
    """
    st.set_page_config(
        page_title=f"{title} · {APP_NAME}", page_icon=":material/fact_check:", layout="wide"
    )
    address = st.get_option("server.address")
    verdict = exposure_check(address, sign_in_configured())
    if verdict == "refuse":
        st.error(MSG_EXPOSED.format(address=address or "every interface"))
        st.stop()
    if verdict == "banner":
        st.warning(MSG_ANONYMOUS.format(address=address or "every interface"),
                   icon=":material/public:")
    try:
        store = get_store()
    except (StoreError, UserInputError) as exc:
        show_error(exc)
        st.stop()
    from ui.jobs import manager  # deferred: ui.jobs reads the store through this module

    manager()  # from the first page on, it answers `jobs cancel` / `jobs list` from the CLI
    datasets = list_datasets(store)
    if st.session_state.get(state.DATASET_ID, "") not in {d.id for d in datasets}:
        # first run of the session, or its dataset was deleted (maybe in another session)
        st.session_state[state.DATASET_ID] = datasets[0].id if datasets else None
        st.session_state.pop(state.RUN_ID, None)
    if state.RUN_ID not in st.session_state:
        ds = st.session_state[state.DATASET_ID]
        runs = complete_runs(store, ds)
        st.session_state[state.RUN_ID] = runs[0].id if runs else None
    if sidebar:
        nav_sidebar()
    flash = st.session_state.pop(state.FLASH, None)
    if flash:
        st.success(flash)
    return store
