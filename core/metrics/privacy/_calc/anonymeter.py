"""Anonymeter's attack-based risks: singling out, linkability and inference.

Anonymeter (Giomi et al. 2023) attacks the training rows ("ori") with the synthetic rows and
repeats each attack on holdout rows ("control") the generator never saw; the risk is the
attack's success on training rows in excess of its success on control rows, scaled to [0, 1],
with a 95% confidence interval. 0 means the synthetic data help an attacker no more against the
people it was trained on than against anyone else.

Each table is sampled to the same number of rows (at most ``config.max_rows_anonymeter``;
equal sizes also spare Anonymeter's unseeded size correction) and each evaluator runs
``config.anonymeter_attacks`` attacks. The linkability and inference evaluators draw their
targets from NumPy's global random state, so it is seeded with ``config.seed`` right before each
of them (and restored after), and they run one after another; singling out draws from its own
generator, seeded with ``config.seed``, and runs beside them. The same inputs and seed give the
same risks as calling Anonymeter directly. One exception
(Anonymeter 1.1.0): the univariate singling-out attack lists rare values with an unordered
polars ``group_by``, so when there are more candidate queries than attacks, which ones are used
(and so the risk) can vary from run to run; on Adult we saw 0.04 and 0.08.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from core.metrics.context import EvalContext
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue

MISSING = "(missing)"
MSG_FAILED = "Anonymeter could not run this attack: {error}"
_SALT = {"ori": 201, "syn": 202, "control": 203}
# The report's sampling note for the frames names this metric (the first Anonymeter one).
FRAMES_NOTED_UNDER = "privacy.singling_out_univariate"


def anonymeter_frames(ctx: EvalContext) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The (ori, syn, control) tables given to Anonymeter, cached per evaluation.

    Training and holdout rows are sampled to the same size, at most
    ``config.max_rows_anonymeter``; synthetic rows to at most that many. Dates become seconds;
    missing categories become the category ``"(missing)"``.
    """

    def prepare(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        for col in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[col]):
                seconds = out[col].astype("int64") / 1e9
                out[col] = seconds.where(out[col].notna())
            elif col in ctx.categorical:
                out[col] = out[col].fillna(MISSING)
        return out

    def compute() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        # The samples are reported under one metric whichever task draws them first.
        asking, ctx.current_key = ctx.current_key, FRAMES_NOTED_UNDER
        try:
            n = min(ctx.config.max_rows_anonymeter, len(ctx.real), len(ctx.holdout))
            ori = ctx.sample(ctx.real, n, salt=_SALT["ori"], table="training")
            control = ctx.sample(ctx.holdout, n, salt=_SALT["control"], table="holdout")
            syn = ctx.sample(ctx.synthetic, ctx.config.max_rows_anonymeter, salt=_SALT["syn"],
                             table="synthetic")
        finally:
            ctx.current_key = asking
        return prepare(ori), prepare(syn), prepare(control)

    return ctx.cached("privacy.anonymeter_frames", compute)


@functools.cache
def _cache_anonymeter_jit() -> None:
    """Keep Anonymeter's compiled neighbour search on disk (Numba's own cache).

    Anonymeter's kernels are ``@jit`` without ``cache=True``, so every process compiled them
    again (about 3 s of the report). Turning on Numba's cache does not change any result.
    """
    import anonymeter.evaluators  # noqa: F401  (imports the neighbours module without a cycle)
    from anonymeter.neighbors import mixed_types_kneighbors as knn

    for kernel in (knn.gower_distance, knn._nearest_neighbors):
        with contextlib.suppress(AttributeError, RuntimeError):  # no writable cache location
            kernel.enable_caching()


_QUIET = threading.Lock()
_quiet: list[Any] = []  # [catch_warnings context, number of threads inside]


@contextlib.contextmanager
def _silenced() -> Iterator[None]:
    """Python warnings off while any thread runs an attack.

    ``catch_warnings`` changes one global state: entered and left by two threads in turn, it
    would leave warnings off for good; here the first thread in turns them off, the last one out
    turns them on again.
    """
    with _QUIET:
        if not _quiet:
            cm = warnings.catch_warnings()
            cm.__enter__()
            warnings.simplefilter("ignore")
            _quiet.extend([cm, 0])
        _quiet[1] += 1
    try:
        yield
    finally:
        with _QUIET:
            _quiet[1] -= 1
            if _quiet[1] == 0:
                _quiet.pop()
                _quiet.pop().__exit__(None, None, None)


@contextlib.contextmanager
def seeded(seed: int, global_rng: bool = True) -> Iterator[list[str]]:
    """Seed NumPy's global random state (restored on exit); collect Anonymeter's log warnings.

    Python warnings ("attack is as good or worse as baseline") are silenced: they quote
    Anonymeter's unseeded baseline rates, and the attack and control rates are in the details.
    Only the warnings logged by this thread are collected (attacks may run in two threads).
    ``global_rng=False`` leaves NumPy's global state alone, for an evaluator that never reads
    it (singling out draws from its own seeded generator), so it may run beside one that does.
    """
    state = np.random.get_state() if global_rng else None
    notes: list[str] = []
    me = threading.get_ident()
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: (  # type: ignore[method-assign]
        notes.append(record.getMessage()) if record.thread == me else None)
    logger = logging.getLogger("anonymeter")
    logger.addHandler(handler)
    if global_rng:
        np.random.seed(seed)
    try:
        with _silenced():
            yield notes
    finally:
        logger.removeHandler(handler)
        if state is not None:
            np.random.set_state(state)


class AnonymeterRisk(Metric):
    """Shared plumbing: run one evaluator, turn its risk into a row."""

    goal = Goal.MINIMIZE
    min_value = 0.0
    max_value = 1.0
    needs_holdout = True
    # Attacks that draw their targets from NumPy's global random state (linkability, inference)
    # seed it, so they run one after another in one task (core.metrics.schedule); singling out
    # draws from its own seeded generator and runs in a task of its own.
    shared_inputs = "anonymeter"
    uses_global_rng = True
    # Anonymeter's random-guess baselines for singling out (unordered polars ``unique``) and
    # linkability (unseeded generator) vary between runs: only inference's is reported.
    seeded_baseline = False

    def _risk_row(
        self,
        ctx: EvalContext,
        evaluate: Callable[[], Any],
        columns: tuple[str, ...] = (),
        details: dict[str, Any] | None = None,
    ) -> MetricValue:
        details = dict(details or {})
        _cache_anonymeter_jit()
        try:
            with seeded(ctx.config.seed, self.uses_global_rng) as notes:
                evaluator = evaluate()
                results = evaluator.results()
                risk = results.risk()
        except Exception as exc:  # Anonymeter's failures on small or odd data become data
            error = f"{type(exc).__name__}: {exc}"
            return self.not_computed(MSG_FAILED.format(error=error), columns)
        control = results.control_rate
        details.update(
            attack_rate=float(results.attack_rate.value),
            control_rate=None if control is None else float(control.value),
            baseline_rate=(
                float(results.baseline_rate.value) if self.seeded_baseline else None
            ),
            n_success=int(results.n_success),
            n_control=None if results.n_control is None else float(results.n_control),
            notes=sorted(set(notes))[:5],
        )
        return self.value(
            float(risk.value), columns, n=int(results.n_attacks_ori),
            ci_low=float(risk.ci[0]), ci_high=float(risk.ci[1]), details=details,
        )


def max_attempts(attacks: int) -> int:
    """Cap on multivariate query attempts (Anonymeter's default, 10 million, can take hours)."""
    return 100 * attacks
