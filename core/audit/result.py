"""What an audit found: per target and overall, the attack's AUC, advantage and ε lower bound.

Every figure comes from the fresh test shadows only (the attack never trained on them). The
result holds no real value: targets are named by their position in the training rows.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any


def _clean(v: Any) -> Any:
    """JSON-ready: nan and inf become None, numpy scalars plain numbers, tuples lists."""
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


@dataclass(frozen=True)
class AttackFigures:
    """The attack's result on a set of test shadows (one target's, or all pooled).

    Attributes:
        auc: ROC AUC of the attack's scores: 0.5 is guessing, 1.0 tells every shadow apart.
        advantage: TPR - FPR at the threshold chosen on the training shadows: 0 is guessing,
            1 is always right (slightly negative is chance).
        epsilon_lower: ε the generator must at least have, with 95% confidence (0 = none shown).
        tpr: Share of shadows trained with the target that the attack flagged.
        fpr: Share of shadows trained without it that the attack flagged.
        tp: Flagged with-target shadows. fn, fp, tn: the other counts.
        test_shadows: Test shadows behind the figures (half with the target).
    """

    auc: float | None
    advantage: float
    epsilon_lower: float
    tpr: float
    fpr: float
    tp: int
    fn: int
    fp: int
    tn: int
    test_shadows: int


@dataclass(frozen=True)
class TargetResult:
    """The attack on one target record.

    Attributes:
        index: Position of the record in the dataset's training rows.
        kind: ``vulnerable`` (chosen by the isolation rule) or ``random`` (a control).
        isolation: Its distance to the nearest other training record.
        figures: The attack's figures on its test shadows.
        closest_in: Median distance from the target to the nearest synthetic row, over test
            shadows trained with it. closest_out: the same without it.
    """

    index: int
    kind: str
    isolation: float
    figures: AttackFigures
    closest_in: float | None
    closest_out: float | None


@dataclass(frozen=True)
class AuditResult:
    """One audit of a run's generator.

    Attributes:
        run_id: The audited run.
        generator: Its generator key.
        params: The parameters every shadow fit used (fewer epochs than the run, for neural
            generators: see ``notes``).
        targets: Per target, in selection order (vulnerable first, then controls).
        overall: All targets' test shadows pooled (one threshold for all).
        threshold: The attack's decision threshold on its score (chosen on training shadows).
        design: How the audit was set up (sizes, counts, rules), for the report.
        seconds: Where the time went (``first_fits``: the fits timed to choose ``K``).
        notes: Plain sentences on what the reader should know (fewer epochs, budget, sizes).
    """

    run_id: str | None
    generator: str
    params: dict[str, Any]
    targets: tuple[TargetResult, ...]
    overall: AttackFigures
    threshold: float | None
    design: dict[str, Any]
    seconds: dict[str, Any]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def riskiest(self) -> TargetResult | None:
        """The target with the largest ε bound (then the largest AUC)."""
        if not self.targets:
            return None
        return max(self.targets, key=lambda t: (t.figures.epsilon_lower, t.figures.auc or 0.0))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``overall`` and each of ``targets`` hold the attack's figures.

        Each holds ``auc``, ``advantage`` and ``epsilon_lower`` at its top level;
        ``riskiest`` is the position of the riskiest target in ``targets``.
        """
        d = asdict(self)
        d["targets"] = [{**{k: v for k, v in t.items() if k != "figures"}, **t["figures"]}
                        for t in d["targets"]]
        risky = self.riskiest
        d["riskiest"] = None if risky is None else self.targets.index(risky)
        return _clean(d)

    def to_json(self) -> str:
        """The result as JSON text (sorted keys)."""
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AuditResult:
        """Inverse of :meth:`to_dict`."""
        figs = set(AttackFigures.__dataclass_fields__)
        targets = tuple(
            TargetResult(index=t["index"], kind=t["kind"], isolation=t["isolation"],
                         figures=AttackFigures(**{k: t[k] for k in figs}),
                         closest_in=t["closest_in"], closest_out=t["closest_out"])
            for t in d["targets"])
        return cls(run_id=d["run_id"], generator=d["generator"], params=d["params"],
                   targets=targets, overall=AttackFigures(**d["overall"]),
                   threshold=d["threshold"], design=d["design"], seconds=d["seconds"],
                   notes=tuple(d["notes"]))

    @classmethod
    def from_json(cls, text: str) -> AuditResult:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))
