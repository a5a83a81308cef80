"""The run picker, the stored report and the Evaluate button shared by the evaluation pages.

Everything a page draws from a stored report is computed once per report, for every session
(:func:`from_report`): a rerun, another session or another reviewer gets the cached figure or
table instead of building it again. A report never changes once stored (a new evaluation gets a
new id), so the caches are keyed by the report id and the policy it is judged under.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.errors import UserInputError
from core.evaluation import latest_audit_id, latest_report_id, load_report
from core.gate import DEFAULT_POLICY, load_policies
from core.report import Report
from core.runs import complete_runs
from core.store import Store
from core.store.runs import RunInfo
from ui import jobs, state
from ui.nav import link
from ui.text import show_error

T = TypeVar("T")


class ShownReport(NamedTuple):
    """The run and report an evaluation page shows.

    Attributes:
        run: The picked run.
        policy: The gate policy the report is judged under.
        report: The run's newest stored report, judged under ``policy``.
        key: ``"<report id>:<policy>"``, what the per-report caches are keyed by.
    """

    run: RunInfo
    policy: str
    report: Report
    key: str


@st.cache_data(max_entries=16, show_spinner=False)
def _report(_store: Store, db: str, report_id: str, audit_id: str | None = None) -> Report:
    # Keyed by the report id and the run's newest audit id (the report shows the audit): a new
    # evaluation or audit gets a new id, so nothing stale is served.
    return load_report(_store, report_id)


class _FigureSpec(NamedTuple):
    """A cached figure, as the dict of the figure its builder made (validated then).

    Unpickling a ``go.Figure`` validates it again, template and all (10–60 ms a figure); the
    dict unpickles in microseconds and becomes a figure without validating it twice.
    """

    spec: dict


def _frozen(value: Any) -> Any:
    return _FigureSpec(value.to_dict()) if isinstance(value, go.Figure) else value


def _thawed(value: Any) -> Any:
    return go.Figure(value.spec, _validate=False) if isinstance(value, _FigureSpec) else value


@st.cache_data(max_entries=512, show_spinner=False)
def _from_report(_fn: Callable[..., Any], name: str, _report: Report, key: str,
                 args: tuple, kwargs: tuple) -> Any:
    return _frozen(_fn(_report, *args, **dict(kwargs)))


def from_report(shown: ShownReport, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(shown.report, *args, **kwargs)``, computed once per report and arguments.

    ``fn`` only reads the report (a ``core.figures`` builder, ``core.review.evidence_for``...);
    the arguments are widget values (column names, a method, a reference group) and are part of
    the cache key. Every caller gets its own copy, so drawing it never changes the cache.

    Example: ``from_report(shown, fidelity.column_plot, "age")``.
    """
    return _thawed(_from_report(fn, f"{fn.__module__}.{fn.__qualname__}", shown.report,
                                shown.key, args, tuple(sorted(kwargs.items()))))


@st.cache_resource(max_entries=256, show_spinner=False)
def _shared_figure(_fn: Callable[..., go.Figure], name: str, _report: Report, key: str,
                   args: tuple) -> go.Figure:
    return _fn(_report, *args)


def shared_figure(shown: ShownReport, fn: Callable[..., go.Figure], /, *args: Any) -> go.Figure:
    """``fn(shown.report, *args)``, built once per report and arguments and shared, not copied.

    For a figure drawn as it is (``st.plotly_chart`` only reads it) on a path that redraws often:
    the Review page's column plot after every save. :func:`from_report` gives each caller its
    own copy (unpickled and rebuilt, ~10 ms a figure); a caller that changes the figure must
    use that instead.
    """
    return _shared_figure(fn, f"{fn.__module__}.{fn.__qualname__}", shown.report, shown.key,
                          args)


def pick_run(store: Store, key: str = "eval.run") -> RunInfo | None:
    """A selectbox of the current dataset's complete runs; None (with what to do) if none."""
    ds_id = st.session_state.get(state.DATASET_ID)
    runs = complete_runs(store, ds_id)
    if not runs:
        st.info("No complete run for this dataset yet. Generate one first.")
        link("pages/3_Generate.py", label="Go to Generate", icon=":material/model_training:")
        return None
    by_id = {r.id: r for r in runs}
    ids = list(by_id)
    current = st.session_state.get(state.RUN_ID)
    run_id = st.selectbox(
        "Run", ids, index=ids.index(current) if current in ids else 0, key=key,
        format_func=lambda i: f"{by_id[i].generator} · {by_id[i].n_rows:,} rows · "
        f"{by_id[i].created_at:%Y-%m-%d %H:%M} · {i}",
        on_change=state.copy_pick, args=(st.session_state, key, state.RUN_ID),
    )
    st.session_state[state.RUN_ID] = run_id
    return by_id[run_id]


def pick_policy(key: str = "eval.policy_select") -> str:
    """The gate policy to judge under (kept for the session)."""
    names = list(load_policies())
    current = st.session_state.get(state.POLICY, DEFAULT_POLICY)
    chosen = st.selectbox(
        "Policy", names, index=names.index(current) if current in names else 0, key=key,
        help="Thresholds of the acceptance gate: internal < partner < public (stricter).",
        on_change=state.copy_pick, args=(st.session_state, key, state.POLICY),
    )
    st.session_state[state.POLICY] = chosen
    return chosen


def shown_report(store: Store, run: RunInfo, policy: str | None = None) -> ShownReport | None:
    """The run's newest stored report (judged under ``policy``; None: as stored), with its key.

    None when the run was never evaluated.
    """
    found = _stored(store, run.id, policy)
    if found is None:
        return None
    report, key = found
    return ShownReport(run, report.policy, report, key)


def _stored(store: Store, run_id: str, policy: str | None) -> tuple[Report, str] | None:
    rid = latest_report_id(store, run_id)
    if rid is None:
        return None
    audit = latest_audit_id(store, run_id)
    key = f"{rid}:{policy or ''}:{audit or ''}"  # a new evaluation or audit: a new key
    return _judged(store, str(store.path), rid, policy, audit), key


@st.cache_data(max_entries=16, show_spinner=False)
def _judged(_store: Store, db: str, report_id: str, policy: str | None,
            audit_id: str | None) -> Report:
    report = _report(_store, db, report_id, audit_id)
    return report if policy in (None, report.policy) else report.with_policy(policy)


def evaluate_button(store: Store, run_id: str, policy: str, label: str = "Evaluate") -> None:
    """A button that queues the run's evaluation as a job, and its live progress.

    The evaluation runs on a Dask worker; the page reruns once it has finished.
    """
    select = jobs.jobs_of("evaluate", run_id=run_id)
    busy = any(j.is_active for j in select())
    if st.button(label, type="primary", key=f"eval.go.{run_id}", icon=":material/analytics:",
                 disabled=busy):
        try:
            job_id = jobs.manager().submit_evaluate(run_id, policy,
                                                    started_by=jobs.current_user())
        except UserInputError as exc:
            show_error(exc)
            return
        jobs.remember(job_id)
    jobs.live(select, _evaluation_done, key=f"eval.jobs.{run_id}")


def _evaluation_done(job) -> None:  # noqa: ANN001 - JobInfo
    if not job.is_complete:
        jobs.failure(job)


def report_or_evaluate(store: Store, run: RunInfo, policy: str) -> ShownReport | None:
    """The stored report, or an empty state with the Evaluate button."""
    shown = shown_report(store, run, policy)
    if shown is None:
        st.info("This run has not been evaluated yet. Evaluation computes every fidelity, "
                "utility, privacy and fairness metric (about 15 s on Adult).")
        evaluate_button(store, run.id, policy)
    return shown


@st.cache_data(max_entries=4, show_spinner=False)
def _tables(_store: Store, db: str, dataset_id: str, run_id: str):  # noqa: ANN202
    from core.datasets import load_dataset
    from core.runs import load_synthetic

    ds = load_dataset(_store, dataset_id)
    return ds.train, load_synthetic(_store, run_id)


def run_tables(store: Store, run: RunInfo):  # noqa: ANN201 - (DataFrame, DataFrame)
    """Training rows and synthetic rows of a run (cached; never mutate them)."""
    return _tables(store, str(store.path), run.dataset_id, run.id)


@st.cache_data(max_entries=32, show_spinner=False)
def _from_tables(_fn: Callable[..., Any], name: str, _store: Store, db: str, dataset_id: str,
                 run_id: str, _report: Report, key: str, args: tuple) -> Any:
    train, synthetic = _tables(_store, db, dataset_id, run_id)
    return _fn(train, synthetic, _report, *args)


def from_tables(store: Store, shown: ShownReport,
                fn: Callable[..., pd.DataFrame], *args: Any) -> pd.DataFrame:
    """``fn(train, synthetic, report, *args)`` (masked real rows), once per report and arguments.

    Raises:
        UserInputError: The run's real rows were purged (nothing is cached then).
    """
    return _from_tables(fn, f"{fn.__module__}.{fn.__qualname__}", store, str(store.path),
                        shown.run.dataset_id, shown.run.id, shown.report, shown.key, args)


def verdict_box(report: Report) -> None:
    """The verdict as a coloured box: pass green, fail red, incomplete orange."""
    from core.figures import overview

    text, _ = overview.verdict_badge(report)
    detail = report.verdict.summary.split(": ", 1)[-1]  # "8 of 13 checks pass, ..."
    body = f"**{text}** — {detail}"
    if report.verdict.outcome == "pass":
        st.success(body, icon=":material/check_circle:")
    elif report.verdict.outcome == "fail":
        st.error(body, icon=":material/cancel:")
    else:
        st.warning(body, icon=":material/help:")


def run_report_header(store: Store) -> ShownReport:
    """The top of every evaluation page: run and policy pickers, then the stored report.

    Stops the page (with what to do next) when there is no complete run or no report yet.
    """
    top = st.columns([3, 1])
    with top[0]:
        run = pick_run(store)
    if run is None:
        st.stop()
    with top[1]:
        policy = pick_policy()
    shown = report_or_evaluate(store, run, policy)
    if shown is None:
        st.stop()
    return shown
