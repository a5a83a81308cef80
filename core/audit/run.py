"""``run_audit(inputs, progress) -> AuditResult``: the shadow-model membership attack, pure.

The question is the one an attack answers, not a distance: can someone who sees the synthetic
data tell whether a given person's record was in the training data? (Stadler et al., USENIX
Security 2022; TAPAS.) Distance measures (DCR, NNDR, a distance-based MIA) are heuristics that
miss real leakage (Ganev & De Cristofaro 2023); this audit retrains the generator.

1. Targets: the most isolated training records plus random controls (:mod:`core.audit.targets`).
2. Shadows: the attacker is assumed to know the population, here the dataset's **holdout rows**
   (real people the run's generator never saw). For each target, pairs of shadow training sets
   are drawn from them: ``m - 1`` random holdout rows, once alone and once with the target added.
   The run's generator (same key and parameters; fewer epochs for neural ones) is fitted on each
   and sampled (``m`` rows; training shadows sample three tables of ``m`` rows from one fit).
   ``m`` is at most ``shadow_rows`` (1,000 by default), the training rows and half the holdout:
   a record weighs more in a small training set, so the audit errs on the side of risk.
3. Features of each synthetic table relative to the target (:mod:`core.audit.features`); one
   classifier over every target's training shadows; figures on fresh test shadows
   (:mod:`core.audit.attack`).

``K`` shadow fits per target (half with the target; a third of the pairs train the attack, the
rest test it): given, or chosen to fit ``budget_s`` by timing the first four fits. Progress is
reported at least once per fit; a cancel raised by ``progress`` stops the audit between (or
during) fits, and nothing is returned.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.audit.attack import Shadows, train_attack
from core.audit.defaults import (  # re-exported: callers import them from here too
    DEFAULT_BUDGET_S,
    DEFAULT_SHADOW_ROWS,
    DEFAULT_TARGETS,
    MAX_SHADOWS,
    MIN_SHADOWS,
)
from core.audit.features import Encoder
from core.audit.result import AttackFigures, AuditResult, TargetResult
from core.audit.targets import MAX_CANDIDATES, RANDOM, select_targets
from core.errors import UserInputError
from core.generators.base import Generator
from core.metrics.privacy._calc.attack_bounds import Confusion, auc, epsilon_lower
from core.metrics.privacy.membership import auc_interval
from core.schema import Schema

Progress = Callable[[float, str], None]

AUTO_MAX_SHADOWS = 40  # the budget never picks more (more shadows narrow the bounds slowly)
TIMING_FITS = 4  # fits of the first target timed before K is chosen (two training pairs)
TRAIN_SAMPLES = 3  # synthetic tables drawn from each training shadow's one fit
AUDIT_EPOCHS = 5  # the most epochs a neural generator trains for in a shadow fit
MIN_SHADOW_ROWS = 20
FITTED = "fitted and sampled"  # the progress message after each shadow fit

MSG_TARGETS = "The number of targets must be a whole number from 1 to {hi}; got {value!r}."
MSG_SHADOWS = (
    "The number of shadows per target must be an even whole number from {lo} to {hi} (half are "
    "trained with the target); got {value!r}."
)
MSG_BUDGET = "The budget must be a number of seconds from 10 to 86,400; got {value!r}."
MSG_NO_GENERATOR = (
    "Run '{run}' was imported from a file, so there is no generator to retrain and audit. "
    "Audit a run generated here instead."
)
MSG_SMALL_REFERENCE = (
    "The audit draws shadow training sets of at least {need} rows from the holdout (the "
    "attacker's population), at most half of it each; this dataset has {have} holdout and {train} "
    "training rows. Add the dataset again with a larger holdout share."
)
NOTE_EPOCHS = (
    "{label} trained for {used} epochs in each shadow fit instead of the run's {asked}, to fit "
    "the budget; fewer epochs usually memorise less, so the audit may understate the risk."
)
NOTE_OVER_BUDGET = (
    "The fewest shadows that give test figures ({k} per target) took about {need:.0f} s, more "
    "than the budget of {budget:.0f} s."
)
NOTE_SMALL_SHADOWS = (
    "Shadow generators learned from {m:,} rows, the run's from {n:,}: one record weighs more in a "
    "smaller training set, so the audit errs on the side of risk."
)
NOTE_REFERENCE = (
    "The attacker is assumed to know the population: shadow training sets were drawn from the "
    "{h:,} holdout rows, which the run's generator never saw."
)
SELECTION_RULE = (
    "the training records farthest from their nearest other training record (SDMetrics' DCR "
    f"distance; a seeded sample of at most {MAX_CANDIDATES:,} candidates), plus random controls"
)


@dataclass(frozen=True)
class AuditInputs:
    """Everything an audit needs, gathered by the process that owns the store.

    It travels to a Dask worker as is: the worker never opens the database.

    Attributes:
        run_id: The audited run (None for an audit of frames outside the store).
        generator: The run's generator key.
        params: The run's generator parameters.
        train: The run's training rows (``Dataset.train`` of its schema version).
        reference: The attacker's population: the dataset's holdout rows.
        schema: The run's schema version.
        targets: How many records to attack.
        shadows: Shadow fits per target (even); None chooses them to fit ``budget_s``.
        budget_s: Seconds the audit aims to take.
        seed: Seed of every random choice.
        shadow_rows: The largest shadow training set.
        report_id: The report the audit is stored with.
    """

    run_id: str | None
    generator: str
    params: dict[str, Any]
    train: pd.DataFrame
    reference: pd.DataFrame
    schema: Schema
    targets: int = DEFAULT_TARGETS
    shadows: int | None = None
    budget_s: float = DEFAULT_BUDGET_S
    seed: int = 0
    shadow_rows: int = DEFAULT_SHADOW_ROWS
    report_id: str | None = None


def check_request(targets: Any, shadows: Any, budget_s: Any) -> tuple[int, int | None, float]:
    """Validate the audit's size; raise :class:`UserInputError` with the valid range."""
    if isinstance(targets, bool) or not isinstance(targets, int) or not 1 <= targets <= 100:
        raise UserInputError(MSG_TARGETS.format(hi=100, value=targets))
    if shadows is not None and (isinstance(shadows, bool) or not isinstance(shadows, int)
                                or shadows % 2 or not MIN_SHADOWS <= shadows <= MAX_SHADOWS):
        raise UserInputError(MSG_SHADOWS.format(lo=MIN_SHADOWS, hi=MAX_SHADOWS, value=shadows))
    try:
        budget = float(budget_s)
    except (TypeError, ValueError):
        budget = float("nan")
    if isinstance(budget_s, bool) or not 10 <= budget <= 86_400:
        raise UserInputError(MSG_BUDGET.format(value=budget_s))
    return targets, shadows, budget


def shadow_params(gen: Generator, params: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The parameters of every shadow fit and a note when they differ from the run's."""
    values = gen.validate_params(params)
    if gen.progress_unit == "epochs" and int(values.get("epochs", 0)) > AUDIT_EPOCHS:
        note = NOTE_EPOCHS.format(label=gen.label, used=AUDIT_EPOCHS, asked=values["epochs"])
        return {**values, "epochs": AUDIT_EPOCHS}, [note]
    return values, []


def shadow_size(gen: Generator, inputs: AuditInputs) -> int:
    """Rows of a with-target shadow training set (the without-target set has one fewer)."""
    m = min(inputs.shadow_rows, len(inputs.train), len(inputs.reference) // 2)
    need = max(gen.min_rows, MIN_SHADOW_ROWS) + 1
    if m < need:
        raise UserInputError(MSG_SMALL_REFERENCE.format(
            need=need, have=len(inputs.reference), train=len(inputs.train)))
    return m


def choose_shadows(budget_s: float, spent_s: float, fit_s: float, n_targets: int,
                   done: int = 0) -> int:
    """Shadow fits per target that fit the budget (even, ``MIN_SHADOWS`` to ``AUTO_MAX_SHADOWS``).

    Args:
        budget_s: Seconds the whole audit may take.
        spent_s: Seconds spent so far (setup and the fits done).
        fit_s: Seconds one shadow fit takes.
        n_targets: Targets.
        done: Fits already done (they count towards the first target's).

    Example: budget 240 s, 10 s spent, 2 s per fit, 10 targets, 4 fits done -> (115 + 4) / 10
    = 11.9 per target -> 10.
    """
    total = (budget_s - spent_s) / max(fit_s, 1e-9) + done
    k = int(total / n_targets // 2 * 2)
    return max(MIN_SHADOWS, min(AUTO_MAX_SHADOWS, k))


def fit_time(seconds: list[float]) -> float:
    """What one shadow fit takes: the median of the timed fits after the first.

    The first fit on a fresh worker also pays one-off costs (library caches, compiled code), so
    it would make every later fit look slower than it is.

    Example: ``[6.0, 1.2, 1.4, 1.3]`` -> 1.3.
    """
    return float(np.median(seconds[1:] if len(seconds) > 1 else seconds))


def _pairs(k: int) -> tuple[int, int]:
    """``(training pairs, test pairs)`` of ``k`` shadow fits.

    A third of the pairs (at least two) train the attack, the rest test it: the attack learns
    from every target's training shadows at once (three synthetic tables per fit), while each
    test shadow is one independent trial, and the test trials decide how tight the bounds are.

    Example: 8 -> (2, 2); 18 -> (3, 6); 40 -> (7, 13).
    """
    pairs = k // 2
    train = max(2, -(-pairs // 3))
    return train, pairs - train


def _figures(scores: np.ndarray, member: np.ndarray, c: Confusion) -> AttackFigures:
    return AttackFigures(auc=auc(scores, member), advantage=c.advantage,
                         epsilon_lower=epsilon_lower(c), tpr=c.tpr, fpr=c.fpr, tp=c.tp,
                         fn=c.fn, fp=c.fp, tn=c.tn, test_shadows=len(member))


def run_audit(inputs: AuditInputs, progress: Progress | None = None,
              generator: Generator | None = None) -> AuditResult:
    """Audit the run's generator with a shadow-model membership attack.

    Args:
        inputs: The rows, schema, generator and sizes (:class:`AuditInputs`).
        progress: Called with (fraction, message) at least once per shadow fit; it may raise
            to cancel (the job's ``WorkerProgress`` does).
        generator: The generator to retrain; default: the registered ``inputs.generator``
            (tests pass their own).

    Returns:
        The result: AUC, advantage and ε lower bound per target and overall.

    Raises:
        UserInputError: an imported run, a holdout too small for shadow sets, or bad sizes.
        GeneratorFailedError: a shadow fit failed (in plain words).
    """
    shown = [0.0]

    def say(fraction: float, message: str) -> None:  # never backwards (k may grow)
        shown[0] = max(shown[0], fraction)
        if progress is not None:
            progress(shown[0], message)

    start = time.perf_counter()
    n_targets, fixed_k, budget = check_request(inputs.targets, inputs.shadows, inputs.budget_s)
    from core.generators.registry import get_generator  # deferred: SDV and torch take seconds

    gen = generator or get_generator(inputs.generator)
    if getattr(gen, "imports", False):
        raise UserInputError(MSG_NO_GENERATOR.format(run=inputs.run_id))
    params, notes = shadow_params(gen, inputs.params)
    m = shadow_size(gen, inputs)
    say(0.01, "choosing the target records")
    schema = inputs.schema
    enc = Encoder.fit(pd.concat([inputs.train, inputs.reference], ignore_index=True), schema)
    train_n = enc.frame(inputs.train)
    targets = select_targets(train_n, schema.columns_of("numerical", "datetime"), n_targets,
                             inputs.seed)
    rng = np.random.default_rng(inputs.seed + 7919)
    synth_cols = list(schema.synth_columns)
    reference = inputs.reference[synth_cols].reset_index(drop=True)
    rows = inputs.train[synth_cols].reset_index(drop=True)
    setup_s = time.perf_counter() - start
    k = fixed_k or MIN_SHADOWS
    fits_done, fit_seconds = 0, []
    train_sh = [Shadows([], []) for _ in targets]
    test_sh = [Shadows([], []) for _ in targets]
    closest: list[dict[bool, list[float]]] = [{True: [], False: []} for _ in targets]

    def fit(t: int, pair: int, member: bool, samples: int,
            base: pd.DataFrame) -> list[pd.DataFrame]:
        nonlocal fits_done
        total = len(targets) * k
        label = (f"target {t + 1} of {len(targets)}, shadow {2 * pair + member + 1} of {k}")
        lo = 0.03 + 0.95 * fits_done / total

        def inner(f: float, msg: str) -> None:
            say(lo + 0.95 * min(max(f, 0.0), 1.0) / total, f"{label}: {msg}")

        say(lo, f"{label}: fitting")
        data = pd.concat([base, rows.iloc[[targets[t].index]]]) if member else base
        t0 = time.perf_counter()
        out = gen.fit_sample(data.reset_index(drop=True), schema, m * samples,
                             int(rng.integers(2**31 - 1)), params, inner)
        fit_seconds.append(time.perf_counter() - t0)
        fits_done += 1
        say(0.03 + 0.95 * fits_done / total, f"{label}: {FITTED}")
        synth = enc.frame(out.synthetic)
        return [synth.iloc[i * m:(i + 1) * m] for i in range(samples)]

    t_fits = time.perf_counter()
    over_budget = False
    for t, tg in enumerate(targets):
        target_row = train_n.iloc[tg.index]
        pair = 0
        while pair < sum(_pairs(k)):  # k may grow after the first target's timing fits
            is_test = pair >= _pairs(k)[0]
            # One base set per pair: with and without the target differ by the target alone.
            base = reference.iloc[rng.choice(len(reference), m - 1, replace=False)]
            for member in (False, True):
                for synth in fit(t, pair, member, 1 if is_test else TRAIN_SAMPLES, base):
                    feats = enc.features(target_row, synth)
                    sh = test_sh[t] if is_test else train_sh[t]
                    sh.features.append(feats)
                    sh.member.append(member)
                    if is_test:
                        closest[t][member].append(float(feats[0]))
            pair += 1
            if fixed_k is None and fits_done == TIMING_FITS:
                per_fit = fit_time(fit_seconds)
                k = choose_shadows(budget, time.perf_counter() - start, per_fit, len(targets),
                                   fits_done)
                need = setup_s + per_fit * len(targets) * MIN_SHADOWS
                over_budget = k == MIN_SHADOWS and need > budget
                if over_budget:
                    notes.append(NOTE_OVER_BUDGET.format(k=MIN_SHADOWS, need=need,
                                                         budget=budget))
    fits_s = time.perf_counter() - t_fits
    say(0.98, "training the attack")
    t_attack = time.perf_counter()
    attack = train_attack(train_sh, inputs.seed)
    per_target, pooled = [], Confusion(0, 0, 0, 0)
    all_scores, all_member = [], []
    for i, tg in enumerate(targets):
        sc = attack.score(i, test_sh[i])
        pooled = pooled + sc.counts
        all_scores.append(sc.scores)
        all_member.append(sc.member)
        per_target.append(TargetResult(
            index=tg.index, kind=tg.kind, isolation=tg.isolation,
            figures=_figures(sc.scores, sc.member, sc.counts),
            closest_in=_median(closest[i][True]), closest_out=_median(closest[i][False])))
    scores, member = np.concatenate(all_scores), np.concatenate(all_member)
    overall = _figures(scores, member, pooled)
    attack_s = time.perf_counter() - t_attack
    if m < len(inputs.train):
        notes.append(NOTE_SMALL_SHADOWS.format(m=m, n=len(inputs.train)))
    notes.append(NOTE_REFERENCE.format(h=len(inputs.reference)))
    n_train, n_test = _pairs(k)
    low, high = (auc_interval(overall.auc, int(member.sum()), int((~member).sum()))
                 if overall.auc is not None and np.isfinite(overall.auc) else (None, None))
    design = {
        "targets": len(targets), "controls": sum(t.kind == RANDOM for t in targets),
        "shadows_per_target": k, "shadows_chosen_by": "given" if fixed_k else "budget",
        "training_pairs": n_train, "test_pairs": n_test, "shadow_rows": m,
        "synthetic_rows": m, "training_samples_per_fit": TRAIN_SAMPLES,
        "reference": "holdout", "reference_rows": len(inputs.reference),
        "training_rows": len(inputs.train), "budget_s": budget, "over_budget": over_budget,
        "selection": SELECTION_RULE, "features": list(enc.names), "seed": inputs.seed,
        "auc_ci_low": low, "auc_ci_high": high, "train_auc": attack.train_auc,
        "run_params": dict(inputs.params), "report_id": inputs.report_id,
    }
    seconds = {"setup": round(setup_s, 3), "shadow_fits": round(fits_s, 3),
               "attack": round(attack_s, 3), "mean_fit": round(float(np.mean(fit_seconds)), 3),
               "first_fits": [round(x, 3) for x in fit_seconds[:TIMING_FITS]],
               "total": round(time.perf_counter() - start, 3)}
    say(1.0, "done")
    return AuditResult(
        run_id=inputs.run_id, generator=gen.key, params=params, targets=tuple(per_target),
        overall=overall, threshold=attack.threshold, design=design, seconds=seconds,
        notes=tuple(notes))


def _median(values: list[float]) -> float | None:
    return float(np.median(values)) if values else None
