"""SDV CopulaGAN: CTGAN on columns first transformed through their fitted marginals."""

from __future__ import annotations

from core.generators.base import Param
from core.generators.sdv_base import BATCH_HELP, ENFORCE_MIN_MAX, EPOCHS_HELP, EpochGenerator


class CopulaGAN(EpochGenerator):
    """Neural with copula-transformed marginals."""

    key = "copulagan"
    label = "CopulaGAN"
    description = "CTGAN on copula-transformed columns. Progress is shown per epoch."
    params = (
        Param("epochs", "int", 30, 1, 2000, EPOCHS_HELP),
        Param("batch_size", "int", 500, 10, 20000, BATCH_HELP),
        ENFORCE_MIN_MAX,
    )

    def synthesizer_class(self) -> type:
        """The SDV synthesizer class."""
        from sdv.single_table import CopulaGANSynthesizer  # deferred: SDV takes seconds

        return CopulaGANSynthesizer
