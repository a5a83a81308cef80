"""The process's job manager and the live job panels the pages show.

Pages only enqueue (``manager().submit_*``) and return; a fragment re-reads the job rows every
second while one is queued or running, so leaving a page and coming back (or another tab) shows
the same progress, and the whole page reruns once a job it showed has finished.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

from core.errors import UserInputError
from core.jobs import JobInfo, JobManager, jobs_signature, list_jobs
from ui import state
from ui.auth import sign_in_configured
from ui.bootstrap import get_store
from ui.text import md_escape, show_error

IDLE_POLL_S = 3  # how often an idle page checks whether any job was added, started or finished
STATE_LABELS = {"queued": "Queued", "running": "Running", "complete": "Complete",
                "failed": "Failed", "cancelled": "Cancelled", "interrupted": "Interrupted"}


_MANAGERS: dict[str, JobManager] = {}  # database path -> the manager of the process's store
_LOCK = threading.Lock()


def manager() -> JobManager:
    """The process's job manager (it owns the store's writes for jobs).

    One per database file, bound to the store the app has open: when that store was replaced
    (its cache cleared), the old manager stops answering requests and is let go, so it does not
    keep the old connection open beside the new one.
    """
    store = get_store()
    with _LOCK:
        found = _MANAGERS.get(str(store.path))
        if found is not None and found.store is store:
            return found
        if found is not None:
            found.stop_serving()
        # The Dask client (a local cluster) is started on the first job, not here.
        made = _MANAGERS[str(store.path)] = JobManager(store)
        return made


def current_user() -> str:
    """Who starts a job: the signed-in e-mail, else the name typed in this session."""
    if sign_in_configured():
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "signed-in user")
        return "anonymous"
    return st.session_state.get(state.REVIEWER) or "anonymous"


def remember(job_id: str) -> None:
    """Note a job started by this session (it may cancel it)."""
    mine = st.session_state.setdefault(state.MY_JOBS, [])
    if job_id not in mine:
        mine.append(job_id)


def can_cancel(job: JobInfo) -> bool:
    """One's own jobs: started in this session, or by the same signed-in identity."""
    if not job.is_active:
        return False
    if job.id in st.session_state.get(state.MY_JOBS, []):
        return True
    return sign_in_configured() and st.user.is_logged_in and job.started_by == current_user()


def cancel_button(job: JobInfo, key: str) -> None:
    """A Cancel button for one's own active job."""
    if can_cancel(job) and st.button("Cancel", key=key, icon=":material/cancel:"):
        try:
            manager().cancel(job.id, current_user())
        except UserInputError as exc:
            show_error(exc)
        st.rerun()


def show_progress(job: JobInfo, key: str) -> None:
    """One active job: its progress bar, where it runs, and a Cancel button for one's own."""
    where = f" on {job.worker}" if job.worker else ""
    st.progress(min(max(job.progress, 0.0), 1.0),
                text=f"{STATE_LABELS[job.state]}{where}: {job.message or ''}")
    cancel_button(job, key=f"{key}.cancel.{job.id}")


def live(select: Callable[[], list[JobInfo]], show_done: Callable[[JobInfo], None] | None,
         key: str) -> None:
    """Show the jobs ``select`` returns; refresh every second while one is active.

    Active jobs get a progress bar; the newest finished one goes to ``show_done``. When a job
    this panel showed as active has finished, the whole page reruns (its result is new data).
    """
    jobs = select()
    active = any(j.is_active for j in jobs)

    def panel() -> None:
        now = select()
        watched = st.session_state.setdefault(f"jobs.watch.{key}", [])
        if any(j.id in watched and not j.is_active for j in now):
            watched.clear()
            st.rerun(scope="app")
        for job in now:
            if job.is_active:
                show_progress(job, key)
                if job.id not in watched:
                    watched.append(job.id)
        done = [j for j in now if not j.is_active]
        if done and show_done is not None:
            show_done(done[0])

    st.fragment(panel, run_every=1 if active else None)()


def watch_jobs(key: str) -> None:
    """Rerun the page once a job is added, starts or finishes; cheap while nothing changes.

    For a page with nothing active to follow: every ``IDLE_POLL_S`` seconds one small query
    (:func:`core.jobs.jobs_signature`) instead of redrawing the page, so idle sessions cost
    (almost) nothing however many there are.
    """
    seen_key = f"jobs.seen.{key}"
    st.session_state[seen_key] = jobs_signature(get_store())

    def watcher() -> None:
        if jobs_signature(get_store()) != st.session_state.get(seen_key):
            st.rerun()  # the whole page: what it shows has changed

    st.fragment(watcher, run_every=IDLE_POLL_S)()


def jobs_of(kind: str, **match: Any) -> Callable[[], list[JobInfo]]:
    """A selector of the newest jobs of ``kind`` whose inputs have the ``match`` values."""
    def select() -> list[JobInfo]:
        return [j for j in list_jobs(get_store(), kind=kind, limit=50)
                if all(j.inputs.get(k) == v for k, v in match.items())][:10]
    return select


def failure(job: JobInfo) -> None:
    """A finished job that did not complete, in plain words (nothing for a complete one)."""
    if job.is_complete:
        return
    st.error(f"{STATE_LABELS[job.state]} job {job.id}: {md_escape(job.error or '')}")


def jobs_table(jobs: list[JobInfo]) -> list[dict[str, Any]]:
    """Rows for the Jobs page's table (newest first; times as shown)."""
    def when(t: Any) -> str:
        return "" if t is None else t.strftime("%Y-%m-%d %H:%M:%S")

    return [{"job": j.id, "kind": j.kind, "state": STATE_LABELS[j.state],
             "progress": round(j.progress * 100), "message": j.error or j.message or "",
             "started by": j.started_by or "", "worker": j.worker or "",
             "created": when(j.created_at), "started": when(j.started_at),
             "finished": when(j.finished_at), "result": j.result_id or ""} for j in jobs]
