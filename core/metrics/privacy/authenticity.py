"""Authenticity: is a synthetic row more than a copy of a real one (Alaa et al. 2022)?

A distance heuristic, like DCR: it says how close synthetic rows sit to real rows, not what an
attacker can learn; distance measures are known to miss real leakage (Ganev & De Cristofaro
2023), so the attacks on the Privacy page are the evidence. Computed with α-precision and
β-recall on synthcity's one-class embedding (``core/metrics/fidelity/_calc/faithfulness.py``).
"""

from __future__ import annotations

from core.metrics.context import EvalContext
from core.metrics.fidelity._calc.faithfulness import score_row
from core.metrics.metric import Goal, Metric
from core.metrics.value import MetricValue


class Authenticity(Metric):
    """Share of synthetic rows farther from their nearest real row than its own nearest neighbour.

    The authors' corrected rule (``_calc/alpha_precision``). Baseline: the holdout rows in place
    of the synthetic ones, about 0.5 for a fresh real sample; values well below it mean
    synthetic rows sit on real ones.
    """

    key = "privacy.authenticity"
    name = "Authenticity (one-class embedding)"
    description = (
        "Share of synthetic rows that are farther from their nearest real row than that row is "
        "from its own nearest real neighbour (Alaa et al. 2022, on synthcity's one-class "
        "embedding); a fresh real sample scores about 0.5 (the holdout gives the level), 0.0 "
        "means every synthetic row sits on a real one. A distance heuristic: attacks are the "
        "evidence."
    )
    goal = Goal.MAXIMIZE
    min_value = 0.0
    max_value = 1.0
    baseline_is_noise_floor = True  # baseline: the holdout's value of the same quantity
    # It reads the embedding and samples α-precision and β-recall compute (fidelity/_calc/
    # faithfulness.py): in their task, after them, so the samples are drawn (and reported) by
    # α-precision in every run, as one after another (core/metrics/schedule.py).
    shared_inputs = "fidelity"

    def compute(self, ctx: EvalContext) -> list[MetricValue]:
        """Authenticity of the synthetic rows and of the holdout rows (the baseline)."""
        return [score_row(self, ctx, "authenticity", None)]
