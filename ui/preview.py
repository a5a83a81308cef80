"""The Preview page's tables, built once per run (every session and rerun reuses them).

Masking the real rows and the per-column statistics read every training row; a reviewer moving
the "Rows to show" slider only changes how many of the cached rows are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.datasets import load_dataset
from core.drilldown import mask_real_frame
from core.metrics.config import EvalConfig
from core.preview import summary_stats
from core.runs import load_synthetic
from core.schema import Schema
from core.store import Store
from core.store.runs import RunInfo

MIN_COUNT = EvalConfig().min_group_rows
MAX_ROWS = 200  # the most rows the page shows (its slider's maximum)


@dataclass(frozen=True)
class Preview:
    """A run's rows side by side: the first ``MAX_ROWS`` of each (real ones masked), stats."""

    schema: Schema
    n_real: int
    n_synthetic: int
    real_head: pd.DataFrame
    synthetic_head: pd.DataFrame
    stats: pd.DataFrame


@st.cache_data(max_entries=8, show_spinner=False)
def _preview(_store: Store, db: str, dataset_id: str, run_id: str, schema_version: int
             ) -> Preview:
    ds = load_dataset(_store, dataset_id, schema_version)
    real = ds.train[list(ds.schema.synth_columns)]
    synthetic = load_synthetic(_store, run_id)
    return Preview(
        schema=ds.schema, n_real=len(real), n_synthetic=len(synthetic),
        real_head=mask_real_frame(real, real.head(MAX_ROWS), ds.schema, MIN_COUNT),
        synthetic_head=synthetic.head(MAX_ROWS),
        stats=summary_stats(real, synthetic, ds.schema),
    )


def run_preview(store: Store, run: RunInfo) -> Preview:
    """The run's preview tables (cached per run).

    Raises:
        UserInputError: The dataset's real rows were purged (nothing is cached then).
    """
    return _preview(store, str(store.path), run.dataset_id, run.id, run.schema_version)
