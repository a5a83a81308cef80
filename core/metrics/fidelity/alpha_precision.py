"""α-precision: do synthetic rows fall where real rows are typical (Alaa et al. 2022)?"""

from __future__ import annotations

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.faithfulness import score_row
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue


class AlphaPrecision(Metric):
    """Integrated α-precision on synthcity's one-class embedding (``_calc/alpha_precision``).

    For 30 levels α, the share of synthetic rows inside the ball around the embedding's centre
    that holds the α most typical real rows, integrated against the ideal (the share equals α).
    Baseline: the holdout rows in place of the synthetic ones (a fresh real sample reaches
    about 0.99). Details: both curves, the samples and the embedding.
    """

    key = "fidelity.alpha_precision"
    name = "α-precision (one-class embedding)"
    description = (
        "How typical synthetic rows are of the real ones (Alaa et al. 2022, on synthcity's "
        "one-class embedding): for every level α, the share of synthetic rows inside the region "
        "holding the α most typical real rows; 1.0 means that share is α at every level, as for "
        "real rows, 0.0 that it is as far from α as it can be."
    )
    goal = Goal.MAXIMIZE
    min_value = 0.0
    max_value = 1.0
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """α-precision of the synthetic rows and of the holdout rows (the baseline)."""
        return [score_row(self, ctx, "alpha_precision", "precision_curve")]
