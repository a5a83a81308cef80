"""SDV CTGAN: a conditional GAN for mixed-type tables."""

from __future__ import annotations

from core.generators.base import Param
from core.generators.sdv_base import BATCH_HELP, ENFORCE_MIN_MAX, EPOCHS_HELP, EpochGenerator


class CTGAN(EpochGenerator):
    """Neural; slower, often better on multi-modal columns."""

    key = "ctgan"
    label = "CTGAN"
    description = "A conditional GAN (Xu et al., 2019). Slower; progress is shown per epoch."
    params = (
        Param("epochs", "int", 30, 1, 2000, EPOCHS_HELP),
        Param("batch_size", "int", 500, 10, 20000, BATCH_HELP),
        ENFORCE_MIN_MAX,
    )

    def synthesizer_class(self) -> type:
        """The SDV synthesizer class."""
        from sdv.single_table import CTGANSynthesizer  # deferred: SDV takes seconds

        return CTGANSynthesizer
