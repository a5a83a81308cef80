"""Anonymeter's singling-out risk, from queries on one attribute or on three.

See :mod:`core.metrics.privacy._calc.anonymeter` for how the attacks are run. The three-attribute
attack's query search is counted with NumPy (:mod:`core.metrics.privacy._calc.singling_out_search`:
the same queries, counts and risk as Anonymeter's evaluator, which runs wherever that cannot be
mirrored exactly).
"""

from __future__ import annotations

from typing import Any

# At import, not in compute: metrics run in threads, and a library half-imported by one thread
# can be seen by another (scikit-learn looks for polars, which Anonymeter imports, in sys.modules).
from anonymeter.evaluators import SinglingOutEvaluator

from core.metrics.context import EvalContext
from core.metrics.privacy._calc.anonymeter import AnonymeterRisk, anonymeter_frames, max_attempts
from core.metrics.privacy._calc.singling_out_search import SinglingOutMultivariateSearch
from core.metrics.value import MetricValue


class SinglingOutUnivariate(AnonymeterRisk):
    """Anonymeter singling-out risk from queries on one attribute."""

    key = "privacy.singling_out_univariate"
    name = "Singling out (one attribute)"
    description = (
        "Anonymeter's excess success of singling out a training record with rare single "
        "values found in the synthetic data; 0.0 is no risk, 1.0 every attack succeeds."
    )
    mode = "univariate"
    # Its own seeded generator, never NumPy's global state: a task beside the other attacks.
    shared_inputs = "singling_out"
    uses_global_rng = False

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Anonymeter's singling-out risk in this class's mode."""
        ori, syn, control = anonymeter_frames(ctx)
        attacks = ctx.config.anonymeter_attacks

        def evaluate() -> Any:
            if self.mode == "multivariate" and SinglingOutMultivariateSearch.mirrors(
                    ori, syn, control):
                return SinglingOutMultivariateSearch(
                    ori, syn, n_attacks=attacks, control=control, seed=ctx.config.seed,
                    max_attempts=max_attempts(attacks),
                ).evaluate()
            return SinglingOutEvaluator(
                ori, syn, n_attacks=attacks, control=control, seed=ctx.config.seed,
                max_attempts=max_attempts(attacks),
            ).evaluate(mode=self.mode)

        return [self._risk_row(ctx, evaluate, details={"mode": self.mode})]


class SinglingOutMultivariate(SinglingOutUnivariate):
    """Anonymeter singling-out risk from queries combining three attributes."""

    key = "privacy.singling_out_multivariate"
    name = "Singling out (three attributes)"
    description = (
        "Anonymeter's excess success of singling out a training record with three-attribute "
        "queries built from synthetic rows; 0.0 is no risk, 1.0 every attack succeeds."
    )
    mode = "multivariate"
