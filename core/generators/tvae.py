"""SDV TVAE: a variational autoencoder for mixed-type tables."""

from __future__ import annotations

from core.generators.base import Param
from core.generators.sdv_base import BATCH_HELP, ENFORCE_MIN_MAX, EPOCHS_HELP, EpochGenerator


class TVAE(EpochGenerator):
    """Neural; usually faster than CTGAN per epoch."""

    key = "tvae"
    label = "TVAE"
    description = "A variational autoencoder (Xu et al., 2019). Progress is shown per epoch."
    params = (
        Param("epochs", "int", 50, 1, 2000, EPOCHS_HELP),
        Param("batch_size", "int", 500, 10, 20000, BATCH_HELP),
        ENFORCE_MIN_MAX,
    )

    def synthesizer_class(self) -> type:
        """The SDV synthesizer class."""
        from sdv.single_table import TVAESynthesizer  # deferred: SDV takes seconds

        return TVAESynthesizer
