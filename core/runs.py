"""Runs: fit a generator (or import a synthetic file) for a dataset and store the result.

A run is recorded as ``running`` before any work, and its rows become visible only when it is
marked ``complete`` in the same transaction that writes them. A failure is stored as ``failed``
with the reason in plain words; nothing else is touched.
"""

from __future__ import annotations

import platform
import uuid
from importlib import metadata as importlib_metadata
from typing import Any

from core.config import Limits
from core.datasets import load_dataset
from core.errors import SynthreviewError, UserInputError
from core.generators.base import Progress
from core.generators.registry import get_generator
from core.store import Store
from core.store import runs as q
from core.store.backup import backup_after_change
from core.store.runs import RunInfo

DEFAULT_SEED = 0
_VERSIONED = ("sdv", "sdmetrics", "rdt", "ctgan", "copulas", "torch", "pandas", "numpy",
              "scikit-learn", "duckdb", "anonymeter", "fairlearn")


def library_versions() -> dict[str, str]:
    """Versions of Python and the libraries a run or report depends on."""
    out = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            out[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            continue
    return out


def new_run_id() -> str:
    """A short random run id."""
    return uuid.uuid4().hex[:12]


def generate(
    store: Store,
    dataset_id: str,
    generator: str,
    *,
    n_rows: int | None = None,
    seed: int = DEFAULT_SEED,
    params: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> RunInfo:
    """Fit ``generator`` on the dataset's training rows and store ``n_rows`` synthetic rows.

    Args:
        store: The open store.
        dataset_id: The dataset to learn from (training rows only; the holdout is never seen).
        generator: A registry key, e.g. ``gaussian_copula``.
        n_rows: Rows to generate; defaults to the number of training rows.
        seed: Seed of the fit and the sample.
        params: Generator parameters (validated; unknown names fail).
        progress: Called with (fraction, message) while the fit runs.

    Returns:
        The stored run: ``complete``, or ``failed`` with the reason in ``error``.

    Raises:
        UserInputError: bad parameters, refused before the run starts (nothing stored). Data the
            generator cannot learn from gives a run stored as ``failed`` with the reason.
    """
    gen = get_generator(generator)
    if getattr(gen, "imports", False):
        gen.fit_sample()  # raises the message that says how to import a file instead
    ds = load_dataset(store, dataset_id)
    ds.schema.validate()  # at least one column to synthesise
    train = ds.train
    values = gen.validate_params(params)
    n_rows = len(train) if n_rows is None else n_rows
    gen.check_rows(n_rows)
    run_id = new_run_id()
    q.start_run(
        store, run_id=run_id, dataset_id=dataset_id, schema_version=ds.schema_version,
        generator=gen.key, params=values, seed=seed, rows_requested=n_rows,
        versions=library_versions(),
    )
    try:
        result = gen.fit_sample(train, ds.schema, n_rows, seed, values, progress)
    except SynthreviewError as exc:
        q.fail_run(store, run_id, getattr(exc, "message", str(exc)))
        return q.get_run(store, run_id)
    except Exception as exc:  # an unexpected library error is stored, then re-raised as a bug
        q.fail_run(store, run_id, f"{gen.label} failed: {type(exc).__name__}: {exc}"[:500])
        raise
    q.complete_run(
        store, run_id, result.synthetic, fit_seconds=result.fit_seconds,
        sample_seconds=result.sample_seconds, peak_memory_mb=result.peak_memory_mb,
    )
    backup_after_change(store)
    return q.get_run(store, run_id)


def import_run(
    store: Store,
    dataset_id: str,
    data: bytes,
    file_name: str,
    limits: Limits | None = None,
) -> RunInfo:
    """Import a synthetic file made elsewhere as a run of generator ``uploaded``.

    The file is checked against the dataset's schema first; a mismatch stores nothing.
    Identifier columns the file holds are stored apart for the rare-value replay check
    (``load_synthetic`` leaves them out of everything else).
    """
    gen = get_generator("uploaded")
    ds = load_dataset(store, dataset_id)
    synthetic, report = gen.load(data, file_name, ds.schema, limits)  # type: ignore[attr-defined]
    run_id = new_run_id()
    q.start_run(
        store, run_id=run_id, dataset_id=dataset_id, schema_version=ds.schema_version,
        generator=gen.key, params={"load_report": _summary(report)}, seed=None,
        rows_requested=len(synthetic), versions=library_versions(), source_name=file_name,
    )
    ids = tuple(c for c in ds.schema.identifiers if c in synthetic.columns)
    q.complete_run(store, run_id, synthetic, fit_seconds=None, sample_seconds=None,
                   peak_memory_mb=None, identifier_columns=ids)
    backup_after_change(store)
    return q.get_run(store, run_id)


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    keys = ("file_format", "encoding", "delimiter", "rows_read", "rows_rejected")
    return {k: report.get(k) for k in keys}


def require_complete(store: Store, run_id: str) -> RunInfo:
    """The run, if complete; otherwise a clear error."""
    info = q.get_run(store, run_id)
    if not info.is_complete:
        raise UserInputError(q.MSG_RUN_NOT_COMPLETE.format(id=run_id, status=info.status))
    return info


def complete_runs(store: Store, dataset_id: str | None) -> list[RunInfo]:
    """The complete runs of a dataset (those with synthetic rows), newest first; [] for None."""
    if not dataset_id:
        return []
    return [r for r in q.list_runs(store, dataset_id) if r.is_complete]


list_runs = q.list_runs
get_run = q.get_run
load_synthetic = q.load_synthetic
