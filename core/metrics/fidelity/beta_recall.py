"""β-recall: do the synthetic rows cover the real ones (Alaa et al. 2022)?"""

from __future__ import annotations

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.faithfulness import score_row
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue


class BetaRecall(Metric):
    """Integrated β-recall on synthcity's one-class embedding (``_calc/alpha_precision``).

    A real row is covered when its nearest synthetic row is nearer than its nearest other real
    row; for 30 levels β, the share of real rows covered by a synthetic row within the β most
    central synthetic rows, integrated against the ideal β. A fresh real sample covers only
    about half the real rows (nearest neighbours are as often real as not), so the baseline,
    the holdout rows in place of the synthetic ones, is about 0.5; an identical copy reaches 1.
    """

    key = "fidelity.beta_recall"
    name = "β-recall (one-class embedding)"
    description = (
        "How much of the real data the synthetic rows cover (Alaa et al. 2022, on synthcity's "
        "one-class embedding): the share of real rows whose nearest synthetic row is nearer "
        "than their nearest real neighbour, across levels β of the synthetic rows; a fresh real "
        "sample reaches about 0.5 (the holdout gives the level), 1.0 only a copy of the real "
        "rows, 0.0 no coverage."
    )
    goal = Goal.MAXIMIZE
    min_value = 0.0
    max_value = 1.0
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """β-recall of the synthetic rows and of the holdout rows (the baseline)."""
        return [score_row(self, ctx, "beta_recall", "recall_curve")]
