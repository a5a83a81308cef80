"""Anonymeter's attribute-inference risk for each protected attribute and the target.

See :mod:`core.metrics.privacy._calc.anonymeter` for how the attacks are run.
"""

from __future__ import annotations

from typing import Any

# At import, not in compute: metrics run in threads, and a library half-imported by one thread
# can be seen by another (scikit-learn looks for polars, which Anonymeter imports, in sys.modules).
from anonymeter.evaluators import InferenceEvaluator

from core.metrics.context import EvalContext
from core.metrics.privacy._calc.anonymeter import AnonymeterRisk, anonymeter_frames
from core.metrics.privacy._calc.anonymeter_knn import BlockKNNPredictor
from core.metrics.value import MetricValue

MSG_NO_SECRETS = "no protected attribute or target is set to use as the secret"


class InferenceRisk(AnonymeterRisk):
    """Anonymeter inference risk for each protected attribute and the target."""

    key = "privacy.inference"
    name = "Attribute inference"
    description = (
        "Anonymeter's excess success of guessing a training record's protected attribute or "
        "target from its other columns with the nearest synthetic row (table row: the worst "
        "secret); 0.0 is no risk, 1.0 every guess succeeds."
    )
    seeded_baseline = True

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """One row per secret (columns=(secret,)) and a table row with the largest risk."""
        secrets = [p for p in ctx.schema.protected if p in ctx.columns]
        if ctx.schema.target in ctx.columns and ctx.schema.target not in secrets:
            secrets.append(ctx.schema.target)
        if not secrets:
            return [self.not_computed(MSG_NO_SECRETS)]
        ori, syn, control = anonymeter_frames(ctx)
        attacks = ctx.config.anonymeter_attacks
        rows = []
        for secret in secrets:
            aux = [c for c in ctx.columns if c != secret]
            regression = secret in ctx.numerical

            def evaluate(secret: str = secret, aux: list[str] = aux, reg: bool = regression) -> Any:
                # Anonymeter's own guess (the nearest synthetic row), searched in blocks of
                # rows rather than a joblib task per row: the same guesses (anonymeter_knn).
                return InferenceEvaluator(
                    ori, syn, aux_cols=aux, secret=secret, regression=reg,
                    n_attacks=attacks, control=control,
                    inference_model=BlockKNNPredictor(syn, aux, secret),
                ).evaluate(n_jobs=-1)

            details = {"secret": secret, "regression": regression}
            rows.append(self._risk_row(ctx, evaluate, (secret,), details))
        done = [r for r in rows if r.value is not None]
        if not done:
            return [self.not_computed("no secret could be attacked (see the per-column rows)")]
        worst = max(done, key=lambda r: r.value)
        table = self.value(
            worst.value, n=worst.n, ci_low=worst.ci_low, ci_high=worst.ci_high,
            details={"worst_secret": worst.columns[0],
                     "risks": {r.columns[0]: r.value for r in rows}},
        )
        return [table, *rows]
