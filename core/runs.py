"""Runs: fit a generator (or import a synthetic file) for a dataset and store the result.

A run is recorded as ``running`` before any work, and its rows become visible only when it is
marked ``complete`` in the same transaction that writes them. A failure is stored as ``failed``
with the reason in plain words; nothing else is touched.
"""

from __future__ import annotations

import platform
import uuid
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from typing import Any

import pandas as pd

from core.config import Limits
from core.datasets import load_dataset
from core.errors import SynthreviewError, UserInputError
from core.generators.base import FitResult, Progress
from core.io.limits import too_large
from core.schema import Schema
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


@dataclass(frozen=True)
class GenerateInputs:
    """Everything a fit needs, gathered by the process owning the store (``prepare_generate``).

    It travels to a Dask worker as is: the worker never opens the database.
    """

    dataset_id: str
    schema_version: int
    generator: str
    params: dict[str, Any]
    n_rows: int
    seed: int
    train: pd.DataFrame
    schema: Schema


def prepare_generate(
    store: Store,
    dataset_id: str,
    generator: str,
    *,
    n_rows: int | None = None,
    seed: int = DEFAULT_SEED,
    params: dict[str, Any] | None = None,
) -> GenerateInputs:
    """Check the request and load the training rows (owner process; nothing is stored).

    Raises:
        UserInputError: bad parameters or a generator that imports files instead of fitting.
    """
    from core.generators.registry import get_generator  # deferred: SDV and torch take seconds

    gen = get_generator(generator)
    if getattr(gen, "imports", False):
        gen.fit_sample()  # raises the message that says how to import a file instead
    ds = load_dataset(store, dataset_id)
    ds.schema.validate()  # at least one column to synthesise
    values = gen.validate_params(params)
    n_rows = len(ds.train) if n_rows is None else n_rows
    gen.check_rows(n_rows)
    return GenerateInputs(dataset_id=dataset_id, schema_version=ds.schema_version,
                          generator=gen.key, params=values, n_rows=n_rows, seed=seed,
                          train=ds.train, schema=ds.schema)


def compute_generate(inputs: GenerateInputs, progress: Progress | None = None) -> FitResult:
    """Fit and sample (pure: no store; runs on a Dask worker or in this process).

    Raises:
        SynthreviewError: data the generator cannot learn from, or the library failed (in plain
            words); the owner stores the run as ``failed`` (``finish_generate``).
    """
    from core.generators.registry import get_generator  # deferred: SDV and torch take seconds

    gen = get_generator(inputs.generator)
    return gen.fit_sample(inputs.train, inputs.schema, inputs.n_rows, inputs.seed, inputs.params,
                          progress)


def failure_message(inputs: GenerateInputs, exc: BaseException) -> str:
    """The reason a fit failed, in plain words (what a failed run stores in ``error``)."""
    if isinstance(exc, SynthreviewError):
        return getattr(exc, "message", str(exc))
    from core.generators.registry import get_generator  # deferred: SDV and torch take seconds

    label = get_generator(inputs.generator).label
    return f"{label} failed: {type(exc).__name__}: {exc}"[:500]


def start_generate(store: Store, inputs: GenerateInputs) -> str:
    """Record the run as ``running``, owned by this process, before any work; return its id.

    A process that stops before ``finish_generate`` leaves it ``running``; the next open marks
    it ``interrupted`` (``core.store.runs.mark_interrupted``).
    """
    run_id = new_run_id()
    q.start_run(
        store, run_id=run_id, dataset_id=inputs.dataset_id, schema_version=inputs.schema_version,
        generator=inputs.generator, params=inputs.params, seed=inputs.seed,
        rows_requested=inputs.n_rows, versions=library_versions(),
    )
    return run_id


def finish_generate(
    store: Store, run_id: str, result: FitResult | None, error: str | None = None
) -> RunInfo:
    """Store a fit's outcome: ``complete`` with its rows (one transaction), or ``failed``."""
    if result is None:
        q.fail_run(store, run_id, error or "The fit failed for an unknown reason.")
        return q.get_run(store, run_id)
    q.complete_run(
        store, run_id, result.synthetic, fit_seconds=result.fit_seconds,
        sample_seconds=result.sample_seconds, peak_memory_mb=result.peak_memory_mb,
    )
    backup_after_change(store)
    return q.get_run(store, run_id)


def discard_generate(store: Store, run_id: str) -> None:
    """Forget a run that never got rows (its job was cancelled): nothing half-stored stays."""
    q.discard_running_run(store, run_id)


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

    This runs the fit in the calling process; the app and the CLI run it as a job on a Dask
    worker instead (``core.jobs``), through the same three steps: ``prepare_generate`` (owner),
    ``start_generate`` (owner), ``compute_generate`` (anywhere), ``finish_generate`` (owner).

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
    inputs = prepare_generate(store, dataset_id, generator, n_rows=n_rows, seed=seed,
                              params=params)
    run_id = start_generate(store, inputs)
    try:
        result = compute_generate(inputs, progress)
    except SynthreviewError as exc:
        return finish_generate(store, run_id, None, failure_message(inputs, exc))
    except Exception as exc:  # an unexpected library error is stored, then re-raised as a bug
        finish_generate(store, run_id, None, failure_message(inputs, exc))
        raise
    return finish_generate(store, run_id, result)


@dataclass(frozen=True)
class ImportInputs:
    """An uploaded synthetic file and what checking it needs (``prepare_import``).

    It travels to a Dask worker as is; the worker reads and checks the file, never the database.
    """

    dataset_id: str
    schema_version: int
    schema: Schema
    data: bytes
    file_name: str
    limits: Limits | None = None


@dataclass(frozen=True)
class ImportResult:
    """The checked synthetic rows and the load report (``compute_import``)."""

    synthetic: pd.DataFrame
    report: dict[str, Any]


def prepare_import(store: Store, dataset_id: str, data: bytes, file_name: str,
                   limits: Limits | None = None) -> ImportInputs:
    """Gather what an import needs; an unknown dataset or a file over the limit raises here."""
    ds = load_dataset(store, dataset_id)
    lim = limits or Limits.from_env()
    if len(data) > lim.max_file_bytes:
        raise UserInputError(too_large(file_name, len(data), lim))
    return ImportInputs(dataset_id=dataset_id, schema_version=ds.schema_version,
                        schema=ds.schema, data=data, file_name=file_name, limits=limits)


def compute_import(inputs: ImportInputs, progress: Progress | None = None) -> ImportResult:
    """Read the file and check it against the dataset's schema (a mismatch raises)."""
    from core.generators.registry import get_generator  # deferred: SDV and torch take seconds

    if progress is not None:
        progress(0.1, f"reading {inputs.file_name}")
    gen = get_generator("uploaded")
    synthetic, report = gen.load(inputs.data, inputs.file_name, inputs.schema,  # type: ignore[attr-defined]
                                 inputs.limits)
    if progress is not None:
        progress(0.9, f"checked {len(synthetic):,} rows against the dataset's columns")
    return ImportResult(synthetic=synthetic, report=report)


def store_import(store: Store, inputs: ImportInputs, result: ImportResult) -> RunInfo:
    """Store the checked rows as a complete run of generator ``uploaded`` (one transaction)."""
    run_id = new_run_id()
    q.start_run(
        store, run_id=run_id, dataset_id=inputs.dataset_id,
        schema_version=inputs.schema_version, generator="uploaded",
        params={"load_report": _summary(result.report)}, seed=None,
        rows_requested=len(result.synthetic), versions=library_versions(),
        source_name=inputs.file_name,
    )
    ids = tuple(c for c in inputs.schema.identifiers if c in result.synthetic.columns)
    q.complete_run(store, run_id, result.synthetic, fit_seconds=None, sample_seconds=None,
                   peak_memory_mb=None, identifier_columns=ids)
    backup_after_change(store)
    return q.get_run(store, run_id)


def import_run(
    store: Store,
    dataset_id: str,
    data: bytes,
    file_name: str,
    limits: Limits | None = None,
) -> RunInfo:
    """Import a synthetic file made elsewhere as a run of generator ``uploaded``, in-process.

    The file is checked against the dataset's schema first; a mismatch stores nothing.
    Identifier columns the file holds are stored apart for the rare-value replay check
    (``load_synthetic`` leaves them out of everything else). The app and the CLI run the same
    three steps as a job (``JobManager.submit_import``), the check on a Dask worker.
    """
    inputs = prepare_import(store, dataset_id, data, file_name, limits)
    return store_import(store, inputs, compute_import(inputs))


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
