"""SDV GaussianCopula: marginals per column plus a Gaussian copula of their correlations."""

from __future__ import annotations

from core.generators.base import Param
from core.generators.sdv_base import ENFORCE_MIN_MAX, SDVGenerator


class GaussianCopula(SDVGenerator):
    """Fast statistical baseline; fits Adult in seconds."""

    key = "gaussian_copula"
    label = "GaussianCopula"
    description = (
        "Fits each column's distribution and a Gaussian copula of their correlations. Fast."
    )
    min_rows = 5
    params = (
        ENFORCE_MIN_MAX,
        Param(
            "default_distribution", "choice", "beta",
            help="Distribution fitted to numerical columns.",
            choices=("beta", "norm", "truncnorm", "gamma", "uniform", "gaussian_kde"),
        ),
    )

    def synthesizer_class(self) -> type:
        """The SDV synthesizer class."""
        from sdv.single_table import GaussianCopulaSynthesizer  # deferred: SDV takes seconds

        return GaussianCopulaSynthesizer
