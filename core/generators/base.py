"""The generator API: typed parameters, validation, progress, timings and memory, once.

Wrappers implement only ``_fit`` and ``_sample`` (as SDV's ``BaseSynthesizer._fit``). The base class
validates parameters and data, runs the fit in a worker thread so the caller's thread can report
progress (epochs for CTGAN/TVAE, phases for the copulas), measures time and peak memory, and turns
library errors into plain words.
"""

from __future__ import annotations

import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from core.errors import GeneratorFailedError, UserInputError
from core.schema import Schema

Progress = Callable[[float, str], None]

MSG_UNKNOWN_PARAM = "Generator '{gen}' has no parameter '{name}'. Valid parameters: {valid}."
MSG_BAD_PARAM = "Parameter '{name}' of '{gen}' must be {kind} between {lo} and {hi}; got {value!r}."
MSG_TOO_FEW_ROWS = (
    "{label} needs at least {need} training rows; this dataset has {have}. "
    "Add rows or use a generator that needs fewer (GaussianCopula needs {gc})."
)
MSG_BAD_CHOICE = "Parameter '{name}' of '{gen}' must be one of {valid}; got {value!r}."
MSG_BAD_ROWS = "The number of rows to generate must be between 1 and {hi:,}; got {value!r}."
MSG_OUT_OF_MEMORY = (
    "{label} ran out of memory. Use fewer rows, fewer columns, or a smaller batch size, or use "
    "GaussianCopula."
)
# torch does not raise MemoryError: its CPU allocator raises RuntimeError("[enforce fail at
# alloc_cpu.cpp:127] ... DefaultCPUAllocator: can't allocate memory: you tried to allocate ...").
_OOM_MARKERS = ("can't allocate memory", "cannot allocate memory", "out of memory")


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` means the process ran out of memory (MemoryError or torch's allocator)."""
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and any(m in text for m in _OOM_MARKERS)


def _no_progress(fraction: float, message: str) -> None:
    return None


@dataclass(frozen=True)
class Param:
    """One typed generator parameter shown in the UI and the CLI.

    Attributes:
        name: Keyword passed to the synthesizer.
        kind: ``int``, ``float``, ``bool`` or ``choice``.
        default: Default that finishes on 2 CPU cores.
        minimum: Smallest accepted value (numbers only).
        maximum: Largest accepted value (numbers only).
        help: One sentence for the UI and ``--help``.
        choices: The allowed values of a ``choice`` parameter.
    """

    name: str
    kind: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""
    choices: tuple[str, ...] = ()

    def coerce(self, gen: str, value: Any) -> Any:
        """Convert and check one value; raise UserInputError with the valid range."""
        if self.kind == "choice":
            if value not in self.choices:
                raise UserInputError(
                    MSG_BAD_CHOICE.format(
                        name=self.name, gen=gen, valid=", ".join(self.choices), value=value
                    )
                )
            return value
        try:
            if self.kind == "bool":
                if isinstance(value, str):
                    if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                        raise ValueError(value)
                    return value.lower() in ("true", "1", "yes")
                return bool(value)
            if isinstance(value, bool):
                raise ValueError(value)
            out = int(value) if self.kind == "int" else float(value)
            if self.kind == "int" and float(value) != out:
                raise ValueError(value)
        except (TypeError, ValueError):
            out = None
        if out is None or (self.minimum is not None and out < self.minimum) or (
            self.maximum is not None and out > self.maximum
        ):
            kind = "a whole number" if self.kind == "int" else "a number"
            raise UserInputError(
                MSG_BAD_PARAM.format(
                    name=self.name, gen=gen, kind=kind, lo=self.minimum, hi=self.maximum,
                    value=value,
                )
            )
        return out


@dataclass
class FitResult:
    """What a fit and sample produced and what it cost."""

    synthetic: pd.DataFrame
    fit_seconds: float
    sample_seconds: float
    peak_memory_mb: float
    params: dict[str, Any] = field(default_factory=dict)


class _PeakMemory:
    """Samples this process's resident memory in a thread; reports the peak in MiB."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @staticmethod
    def _rss() -> float:
        try:
            with open("/proc/self/statm") as fh:
                pages = int(fh.read().split()[1])
            return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError):
            return 0.0

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


class Generator(ABC):
    """Base class of the synthesizer wrappers.

    Attributes:
        key: Registry key, e.g. ``ctgan``.
        label: Human name, e.g. "CTGAN".
        description: One sentence for the UI.
        params: The typed parameters.
        min_rows: Fewest training rows the method works with.
        progress_unit: ``epochs`` or ``phases`` (what the progress bar counts).
    """

    key: str = ""
    label: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    min_rows: int = 5
    progress_unit: str = "phases"
    max_sample_rows: int = 5_000_000

    def validate_params(self, raw: dict[str, Any] | None) -> dict[str, Any]:
        """Fill defaults and check every value; unknown names fail and list the valid ones."""
        raw = dict(raw or {})
        by_name = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(by_name))
        if unknown:
            raise UserInputError(
                MSG_UNKNOWN_PARAM.format(
                    gen=self.key, name=unknown[0], valid=", ".join(by_name) or "(none)"
                )
            )
        return {
            p.name: p.coerce(self.key, raw[p.name]) if p.name in raw else p.default
            for p in self.params
        }

    def check_rows(self, n_rows: Any) -> None:
        """Refuse a number of rows to generate outside 1..max_sample_rows."""
        if not isinstance(n_rows, int) or isinstance(n_rows, bool) or not (
            1 <= n_rows <= self.max_sample_rows
        ):
            raise UserInputError(MSG_BAD_ROWS.format(hi=self.max_sample_rows, value=n_rows))

    def check_data(self, train: pd.DataFrame, params: dict[str, Any]) -> None:
        """Refuse data the method cannot learn from, in plain words."""
        if len(train) < self.min_rows:
            raise UserInputError(
                MSG_TOO_FEW_ROWS.format(label=self.label, need=self.min_rows, have=len(train), gc=5)
            )

    def fit_sample(
        self,
        train: pd.DataFrame,
        schema: Schema,
        n_rows: int,
        seed: int,
        params: dict[str, Any] | None = None,
        progress: Progress | None = None,
    ) -> FitResult:
        """Fit on ``train`` (synthesised columns only) and sample ``n_rows`` rows.

        The fit runs in a worker thread while this thread polls ``progress`` every 0.2 s.

        Raises:
            UserInputError: bad parameters or data the method cannot use.
            GeneratorFailedError: the library failed; the message says why in plain words.
        """
        progress = progress or _no_progress
        values = self.validate_params(params)
        self.check_rows(n_rows)
        data = train[list(schema.synth_columns)]
        self.check_data(data, values)
        state: dict[str, Any] = {}

        def work() -> None:
            try:
                t0 = time.perf_counter()
                state["model"] = self._fit(data, schema, values, seed, state)
                state["fit_seconds"] = time.perf_counter() - t0
                state["phase"] = "sampling"
                t1 = time.perf_counter()
                state["synthetic"] = self._sample(state["model"], n_rows, seed)
                state["sample_seconds"] = time.perf_counter() - t1
            except BaseException as exc:  # handed to the calling thread below
                state["error"] = exc

        with _PeakMemory() as mem:
            worker = threading.Thread(target=work, name=f"fit-{self.key}", daemon=True)
            worker.start()
            while worker.is_alive():
                worker.join(0.2)
                progress(*self._progress(state, values))
        if "error" in state:
            exc = state["error"]
            if isinstance(exc, UserInputError):
                raise exc
            raise GeneratorFailedError(self.explain(exc)) from exc
        progress(1.0, "done")
        synthetic = state["synthetic"].reset_index(drop=True)
        return FitResult(
            synthetic=synthetic,
            fit_seconds=state["fit_seconds"],
            sample_seconds=state["sample_seconds"],
            peak_memory_mb=round(mem.peak, 1),
            params=values,
        )

    def _progress(self, state: dict[str, Any], params: dict[str, Any]) -> tuple[float, str]:
        """Fraction done and a short message; phases by default."""
        if state.get("phase") == "sampling":
            return 0.95, "sampling rows"
        if "model" not in state:
            return 0.3, "learning the distributions"
        return 0.9, "fitted"

    def explain(self, exc: BaseException) -> str:
        """Plain words for a library error."""
        if is_out_of_memory(exc):
            return MSG_OUT_OF_MEMORY.format(label=self.label)
        text = " ".join(str(exc).split()) or type(exc).__name__
        return f"{self.label} failed: {text[:400]}"

    @abstractmethod
    def _fit(
        self, train: pd.DataFrame, schema: Schema, params: dict[str, Any], seed: int,
        state: dict[str, Any],
    ) -> Any:
        """Fit and return the model. ``state`` may carry progress (e.g. ``state['synth']``)."""

    @abstractmethod
    def _sample(self, model: Any, n_rows: int, seed: int) -> pd.DataFrame:
        """Sample ``n_rows`` rows from the fitted model."""
