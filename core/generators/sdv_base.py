"""Shared plumbing of the SDV 2.x single-table synthesizers (dict-of-tables API)."""

from __future__ import annotations

import os
import random
import warnings
from typing import Any

import numpy as np
import pandas as pd

from core.generators.base import Generator, Param, is_out_of_memory
from core.schema import TABLE_NAME, Schema

ENFORCE_MIN_MAX = Param(
    "enforce_min_max_values", "bool", True,
    help="Keep every synthetic number inside the real column's min-max range.",
)


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    try:
        import torch

        torch.manual_seed(seed)
        # Leave a core for the other browser sessions of the server (2-core machines).
        torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
    except ImportError:  # torch is only needed by the neural generators
        pass


class SDVGenerator(Generator):
    """Base of the SDV wrappers: subclasses name the synthesizer class and its arguments."""

    def synthesizer_class(self) -> type:
        """The SDV synthesizer class."""
        raise NotImplementedError

    def synthesizer_kwargs(self, params: dict[str, Any]) -> dict[str, Any]:
        """Keyword arguments for the synthesizer from our validated parameters."""
        return dict(params)

    def _fit(
        self, train: pd.DataFrame, schema: Schema, params: dict[str, Any], seed: int,
        state: dict[str, Any],
    ) -> Any:
        _seed_everything(seed)
        metadata = schema.to_sdv_metadata()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            synth = self.synthesizer_class()(metadata, **self.synthesizer_kwargs(params))
            state["synth"] = synth
            synth.fit({TABLE_NAME: train})
        return synth

    def _sample(self, model: Any, n_rows: int, seed: int) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model._set_random_state(seed)
            return model.sample(n_rows)[TABLE_NAME]


class EpochGenerator(SDVGenerator):
    """SDV neural synthesizers whose progress is counted in epochs."""

    progress_unit = "epochs"
    min_rows = 50

    def synthesizer_kwargs(self, params: dict[str, Any]) -> dict[str, Any]:
        """Our parameters plus the CPU and batch-size settings CTGAN-like models need."""
        kw = dict(params)
        # CTGAN's PAC groups rows in tens: the batch size must be a multiple of 10.
        kw["batch_size"] = max(10, int(kw["batch_size"]) // 10 * 10)
        kw["enable_gpu"] = False
        return kw

    def _progress(self, state: dict[str, Any], params: dict[str, Any]) -> tuple[float, str]:
        if state.get("phase") == "sampling":
            return 0.97, "sampling rows"
        if "model" in state:
            return 0.95, "fitted"
        synth = state.get("synth")
        model = getattr(synth, "_model", None) if synth is not None else None
        losses = getattr(model, "loss_values", None)
        epochs = int(params["epochs"])
        if model is None or losses is None:
            return 0.02, "preparing the data"
        done = int(losses["Epoch"].nunique()) if "Epoch" in losses else len(losses)
        return 0.05 + 0.9 * min(done, epochs) / epochs, f"epoch {done} of {epochs}"

    def explain(self, exc: BaseException) -> str:
        """Plain words for a library error, with a hint for batch-size problems."""
        text = str(exc)
        if not is_out_of_memory(exc) and ("batch" in text.lower() or "pac" in text.lower()):
            return (
                f"{self.label} could not train: {text.splitlines()[0][:200]}. The batch size must "
                "be a multiple of 10 and no larger than the training rows; lower it."
            )
        return super().explain(exc)


EPOCHS_HELP = "Training passes over the data; more is slower and usually more faithful."
BATCH_HELP = "Rows per training step (a multiple of 10)."
