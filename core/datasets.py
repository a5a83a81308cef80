"""Datasets: a loaded real table, its schema and roles, and a holdout the generators never see."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.config import SAMPLE_DATA_DIR, Limits
from core.errors import UserInputError
from core.io import load_path, load_table
from core.lifecycle.retention import retention_days
from core.schema import Schema, detect_schema
from core.store import Store
from core.store import datasets as q
from core.store import deletions as dq
from core.store.datasets import DatasetInfo
from core.store.deletions import Deletion
from core.store.frames import content_hash

MIN_ROWS = 10
DEFAULT_HOLDOUT = 0.2
MSG_TOO_FEW_ROWS = (
    "The table has {n} data row{s}; synthreview needs at least {need} (most for training, the "
    "rest held out to measure privacy and utility). Add rows."
)
MSG_BAD_HOLDOUT = "The holdout share must be between 0.05 and 0.5; got {value!r}."
MSG_EMPTY_NAME = "Give the dataset a name."
MSG_REAL_PURGED = (
    "The real rows of dataset '{name}' were purged on {when:%Y-%m-%d %H:%M} UTC (reason: "
    "{reason}). Its runs, reports and decisions are kept."
)

MSG_RESTORE_PAST_RETENTION = (
    "This table is dataset '{name}', whose real rows were purged on {when:%Y-%m-%d %H:%M} UTC. "
    "They cannot be stored again: the retention limit ({days} day(s) after the sign-off of "
    "{signed:%Y-%m-%d %H:%M} UTC, SYNTHREVIEW_RETENTION_DAYS) has passed. Nothing was stored."
)

MSG_RESTORED = (
    "The real rows of dataset '{name}' (purged on {when:%Y-%m-%d %H:%M} UTC) are stored again, "
    "with the holdout split they had; its runs, reports and decisions were kept."
)

SAMPLE_NAME = "Adult (UCI Census Income)"
SAMPLE_FILE = "adult.csv"
SAMPLE_ROLES = "adult_roles.json"


@dataclass(frozen=True)
class Dataset:
    """A stored dataset with its rows split into training and holdout.

    Attributes:
        info: The stored record.
        schema: The schema version in force (``schema_version``).
        schema_version: Which version ``schema`` is.
        rows: Every real row in stored order.
        is_holdout: True for the rows held out from the generators.
    """

    info: DatasetInfo
    schema: Schema
    schema_version: int
    rows: pd.DataFrame
    is_holdout: np.ndarray

    @property
    def train(self) -> pd.DataFrame:
        """Rows the generators learn from."""
        return self.rows[~self.is_holdout].reset_index(drop=True)

    @property
    def holdout(self) -> pd.DataFrame:
        """Real rows the generators never see."""
        return self.rows[self.is_holdout].reset_index(drop=True)


def split_holdout(
    df: pd.DataFrame, fraction: float, seed: int, stratify_on: str | None
) -> tuple[np.ndarray, str | None]:
    """Choose holdout rows: ``fraction`` of them, seeded, stratified on the target when possible.

    Stratification is skipped (and None returned for it) when a target class has fewer than 2 rows.

    Returns:
        The holdout mask and the column actually stratified on.
    """
    if not 0.05 <= fraction <= 0.5:
        raise UserInputError(MSG_BAD_HOLDOUT.format(value=fraction))
    idx = np.arange(len(df))
    strat = None
    if stratify_on is not None and stratify_on in df.columns:
        labels = df[stratify_on].astype(str).fillna("(missing)")
        counts = labels.value_counts()
        n_hold = int(np.ceil(len(df) * fraction))
        if counts.min() >= 2 and n_hold >= len(counts) and len(df) - n_hold >= len(counts):
            strat = labels.to_numpy()
    from sklearn.model_selection import train_test_split  # deferred: scikit-learn takes a second

    _, hold = train_test_split(
        idx, test_size=fraction, random_state=seed, stratify=strat, shuffle=True
    )
    mask = np.zeros(len(df), dtype=bool)
    mask[hold] = True
    return mask, (stratify_on if strat is not None else None)


def add_dataset(
    store: Store,
    df: pd.DataFrame,
    load_report: dict[str, Any],
    *,
    name: str,
    source_name: str,
    schema: Schema | None = None,
    target: str | None = None,
    protected: tuple[str, ...] | list[str] | None = None,
    quasi_identifiers: tuple[str, ...] | list[str] | None = None,
    holdout_fraction: float = DEFAULT_HOLDOUT,
    seed: int = 0,
) -> tuple[DatasetInfo, bool]:
    """Store a real table with its detected (or given) schema and a holdout split.

    A table already stored (same content) is not stored again: its record is returned. A table
    whose real rows were purged gets them back (same id, same holdout rows; its schema, runs,
    reports and decisions as they were), unless the retention limit has passed
    (:data:`MSG_RESTORE_PAST_RETENTION`); :func:`last_purge` then tells when it was purged.

    Args:
        store: The open store.
        df: The loaded table.
        load_report: ``LoadReport.to_dict()`` of the load.
        name: Display name.
        source_name: The file name as uploaded (display only).
        schema: A schema to use instead of detection.
        target: Overrides the suggested target ("" for none).
        protected: Overrides the suggested protected attributes.
        quasi_identifiers: Overrides the suggested quasi-identifiers.
        holdout_fraction: Share of rows held out (default 0.2).
        seed: Seed of the split.

    Returns:
        The dataset record and whether its rows were stored by this call (new or restored).
    """
    if not name or not name.strip():
        raise UserInputError(MSG_EMPTY_NAME)
    if len(df) < MIN_ROWS:
        raise UserInputError(
            MSG_TOO_FEW_ROWS.format(n=len(df), s="" if len(df) == 1 else "s", need=MIN_ROWS)
        )
    schema = schema or detect_schema(df)
    if target is not None or protected is not None or quasi_identifiers is not None:
        schema = schema.with_roles(
            schema.target if target is None else (target or None),
            schema.protected if protected is None else tuple(protected),
            schema.quasi_identifiers if quasi_identifiers is None else tuple(quasi_identifiers),
        )
    # Roles are checked even when the table is already stored; a table whose every column looks
    # like an identifier is stored all the same, so its types can be fixed on the Data page.
    schema.validate(require_synth=False)
    digest = content_hash(df)
    existing = q.find_by_hash(store, digest)
    if existing:
        if purge_info(store, existing) is None:
            return q.get_dataset(store, existing), False
        return _restore(store, existing, df, load_report)
    mask, strat = split_holdout(df, holdout_fraction, seed, schema.target)
    dataset_id = digest[:12]
    q.insert_dataset(
        store, dataset_id=dataset_id, name=name.strip(), content_hash=digest,
        source_name=source_name, df=df, load_report=load_report, is_holdout=mask,
        holdout_fraction=holdout_fraction, split_seed=seed, stratified_on=strat, schema=schema,
    )
    return q.get_dataset(store, dataset_id), True


def add_file(
    store: Store,
    path: str | Path,
    *,
    name: str | None = None,
    limits: Limits | None = None,
    na_values: Sequence[str] = (),
    auto_na: bool = True,
    **kwargs: Any,
) -> tuple[DatasetInfo, bool]:
    """Load a file from disk and add it (the CLI's ``datasets add``).

    ``na_values`` (more tokens missing in every column) and ``auto_na`` (detect each column's own
    markers) go to :func:`core.io.load_path`; the rest to :func:`add_dataset`.
    """
    path = Path(path)
    df, report = load_path(path, limits or Limits.from_env(), na_values=na_values,
                           auto_na=auto_na)
    return add_dataset(
        store, df, report.to_dict(), name=name or path.stem, source_name=path.name, **kwargs
    )


def add_upload(
    store: Store,
    data: bytes,
    file_name: str,
    *,
    name: str | None = None,
    limits: Limits | None = None,
    na_values: Sequence[str] = (),
    auto_na: bool = True,
    **kwargs: Any,
) -> tuple[DatasetInfo, bool, dict[str, Any]]:
    """Load uploaded bytes and add them as a dataset (the Data page's upload).

    The file name is only shown, never used as a path. ``na_values`` and ``auto_na`` go to
    :func:`core.io.load_table`; the rest to :func:`add_dataset`.

    Returns:
        The dataset record, whether it was new, and the load report as a dict.
    """
    df, report = load_table(data, file_name, limits or Limits.from_env(), na_values=na_values,
                            auto_na=auto_na)
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    info, created = add_dataset(
        store, df, report.to_dict(), name=name or stem, source_name=file_name, **kwargs
    )
    return info, created, report.to_dict()


def add_sample(store: Store) -> tuple[DatasetInfo, bool]:
    """Add the bundled Adult sample with its documented roles (idempotent)."""
    roles = json.loads((SAMPLE_DATA_DIR / SAMPLE_ROLES).read_text(encoding="utf-8"))
    return add_file(
        store, SAMPLE_DATA_DIR / SAMPLE_FILE, name=SAMPLE_NAME,
        target=roles["target"], protected=roles["protected"],
        quasi_identifiers=roles["quasi_identifiers"],
    )


def load_dataset(store: Store, dataset_id: str, schema_version: int | None = None) -> Dataset:
    """A stored dataset with its rows, split and schema (latest version by default).

    Raises:
        UserInputError: The real rows were purged (:data:`MSG_REAL_PURGED`: when and why).
        NotFoundError: No such dataset.
    """
    info = _require_rows(store, dataset_id)
    version, schema = q.get_schema(store, dataset_id, schema_version)
    rows, mask = q.load_rows(store, dataset_id)
    return Dataset(info=info, schema=schema, schema_version=version, rows=rows, is_holdout=mask)


def _require_rows(store: Store, dataset_id: str) -> DatasetInfo:
    info = q.get_dataset(store, dataset_id)
    purge = purge_info(store, dataset_id)
    if purge is not None:
        raise UserInputError(MSG_REAL_PURGED.format(
            name=info.name, when=purge.created_at, reason=purge.reason))
    return info


def current_schema_version(store: Store, dataset_id: str) -> int:
    """The latest schema version of a dataset whose rows are stored (no rows are read).

    Raises:
        UserInputError: The real rows were purged (as :func:`load_dataset`).
        NotFoundError: No such dataset.
    """
    _require_rows(store, dataset_id)
    return q.get_schema(store, dataset_id)[0]


def update_schema(store: Store, dataset_id: str, schema: Schema) -> int:
    """Validate and store a new schema version; return its number."""
    schema.validate(require_synth=False)
    _, current = q.get_schema(store, dataset_id)
    if current == schema:
        return q.get_dataset(store, dataset_id).schema_version
    return q.save_schema(store, dataset_id, schema)


def purge_info(store: Store, dataset_id: str) -> Deletion | None:
    """The purge of the dataset's real rows (when, who, why), or None when they are stored."""
    with store.cursor() as cur:
        return dq.purge_of(cur, dataset_id)


def last_purge(store: Store, dataset_id: str) -> Deletion | None:
    """The dataset's latest purge, also when its rows were added again since (None: never)."""
    with store.cursor() as cur:
        return dq.last_purge(cur, dataset_id)


def restored_note(store: Store, info: DatasetInfo) -> str | None:
    """After an add that stored rows: :data:`MSG_RESTORED` when they had been purged, else None."""
    purge = last_purge(store, info.id)
    return None if purge is None else MSG_RESTORED.format(name=info.name, when=purge.created_at)


def _restore(
    store: Store, dataset_id: str, df: pd.DataFrame, load_report: dict[str, Any]
) -> tuple[DatasetInfo, bool]:
    """Store the purged rows of a dataset again, with the holdout split it had.

    Returns the record and whether this call stored them (False: another add did just before).
    """
    info = q.get_dataset(store, dataset_id)
    days = retention_days()
    with store.cursor() as cur:
        approved = dq.approved_signoffs(cur).get(dataset_id)
    if days is not None and approved is not None and (
            datetime.now(UTC) - approved >= timedelta(days=days)):
        purge = purge_info(store, dataset_id)
        raise UserInputError(MSG_RESTORE_PAST_RETENTION.format(
            name=info.name, when=purge.created_at, days=days, signed=approved))
    # The split is a function of the rows, the share, the seed and the column stratified on, all
    # as stored, so the rows held out are the ones its runs were never trained on.
    mask, _ = split_holdout(df, info.holdout_fraction, info.split_seed, info.split_stratified_on)
    stored = q.restore_rows(store, dataset_id, df=df, load_report=load_report, is_holdout=mask)
    return q.get_dataset(store, dataset_id), stored


def set_column_type(
    store: Store, dataset_id: str, column: str, sdtype: str, datetime_format: str | None = None
) -> int:
    """Change one column's type as the Data page's editor does; return the schema version.

    Roles that point at a column now marked as an identifier are dropped, as on the Data page.

    Raises:
        UserInputError: an unknown column or type (the schema is left unchanged).
    """
    _, schema = q.get_schema(store, dataset_id)
    schema.with_sdtype(column, sdtype, datetime_format)  # validates the column and the type
    frame = schema.to_frame()
    frame.loc[frame["column"] == column, "type"] = sdtype
    frame.loc[frame["column"] == column, "date format"] = datetime_format or ""
    return update_schema(store, dataset_id, schema.with_frame(frame))


def set_roles(
    store: Store,
    dataset_id: str,
    *,
    target: str | None = None,
    protected: tuple[str, ...] | list[str] | None = None,
    quasi_identifiers: tuple[str, ...] | list[str] | None = None,
) -> int:
    """Replace the roles given (None keeps a role, "" clears the target); return the version.

    Raises:
        UserInputError: a role names a missing column or the target is an identifier.
    """
    _, schema = q.get_schema(store, dataset_id)
    new = schema.with_roles(
        schema.target if target is None else (target or None),
        schema.protected if protected is None else tuple(protected),
        schema.quasi_identifiers if quasi_identifiers is None else tuple(quasi_identifiers),
    )
    return update_schema(store, dataset_id, new)


list_datasets = q.list_datasets
get_dataset = q.get_dataset
get_schema = q.get_schema
