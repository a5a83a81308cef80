"""Schema and roles: what each column is, and what part it plays in the evaluation.

SDV detects sdtypes; we map them to the five kinds a user edits (numerical, categorical, datetime,
boolean, identifier) and add what SDV does not do: SDV 2.x calls person names ``categorical``, so
direct identifiers are caught by name and by uniqueness. Roles (target, protected attributes,
quasi-identifiers) are suggested from column names and always chosen by the user. Detection lives
in :mod:`core.schema.detect`, which builds on this module (never the other way round).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pandas as pd

from core.errors import UserInputError

TABLE_NAME = "t"
SDTYPES = ("numerical", "categorical", "datetime", "boolean", "identifier")

MSG_UNKNOWN_COLUMN = "Column '{column}' is not in the table. Valid columns: {valid}."
MSG_BAD_SDTYPE = "Column '{column}' has type '{sdtype}'. Choose one of: {valid}."
MSG_TARGET_IDENTIFIER = (
    "The target column '{column}' is marked as an identifier, so it is excluded from synthesis. "
    "Choose another target or change its type."
)
MSG_NO_SYNTH_COLUMNS = (
    "Every column is marked as an identifier, so there is nothing to synthesise. "
    "Mark at least one column as numerical, categorical, datetime or boolean."
)
MSG_SYNTH_MISMATCH = (
    "The synthetic file does not match the dataset's schema. Fix the file or pick the right "
    "dataset."
)


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its kind and, for dates, the format used to parse it.

    Attributes:
        name: The column name exactly as in the file.
        sdtype: One of ``SDTYPES``. ``identifier`` columns are excluded from synthesis and metrics.
        datetime_format: strftime format for ``datetime`` columns stored as text, else None.
        reason: Why this type was chosen (shown to the user), e.g. "text where every value is
            distinct".
    """

    name: str
    sdtype: str
    datetime_format: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Schema:
    """Column kinds plus the roles the evaluation uses.

    Attributes:
        columns: Every column of the table, in order.
        target: Column to predict for utility and fairness metrics, or None.
        protected: Protected attributes for fairness metrics (e.g. sex, race).
        quasi_identifiers: Columns an attacker may know, for linkability and uniqueness risks.
    """

    columns: tuple[ColumnSpec, ...]
    target: str | None = None
    protected: tuple[str, ...] = ()
    quasi_identifiers: tuple[str, ...] = field(default=())

    # -- lookups ---------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """All column names in order."""
        return tuple(c.name for c in self.columns)

    @property
    def synth_columns(self) -> tuple[str, ...]:
        """Columns the generators model and the metrics compare (identifiers excluded)."""
        return tuple(c.name for c in self.columns if c.sdtype != "identifier")

    @property
    def identifiers(self) -> tuple[str, ...]:
        """Columns excluded from synthesis as direct identifiers."""
        return tuple(c.name for c in self.columns if c.sdtype == "identifier")

    def sdtype(self, column: str) -> str:
        """The kind of ``column``."""
        for c in self.columns:
            if c.name == column:
                return c.sdtype
        raise KeyError(column)

    def columns_of(self, *sdtypes: str) -> tuple[str, ...]:
        """Names of the synthesised columns whose kind is one of ``sdtypes``."""
        return tuple(c.name for c in self.columns if c.sdtype in sdtypes)

    # -- edits -----------------------------------------------------------------------------
    def with_sdtype(self, column: str, sdtype: str, datetime_format: str | None = None) -> Schema:
        """A copy with one column's kind changed by the user."""
        if sdtype not in SDTYPES:
            raise UserInputError(
                MSG_BAD_SDTYPE.format(column=column, sdtype=sdtype, valid=", ".join(SDTYPES))
            )
        if column not in self.names:
            raise UserInputError(
                MSG_UNKNOWN_COLUMN.format(column=column, valid=", ".join(map(repr, self.names)))
            )
        cols = tuple(
            replace(c, sdtype=sdtype, datetime_format=datetime_format, reason="set by the user")
            if c.name == column
            else c
            for c in self.columns
        )
        return replace(self, columns=cols)

    def with_roles(
        self,
        target: str | None,
        protected: tuple[str, ...] | list[str],
        quasi_identifiers: tuple[str, ...] | list[str],
    ) -> Schema:
        """A copy with the roles replaced; every named column must exist."""
        new = replace(
            self,
            target=target or None,
            protected=tuple(protected),
            quasi_identifiers=tuple(quasi_identifiers),
        )
        new.validate()
        return new

    def validate(self, require_synth: bool = True) -> None:
        """Raise :class:`UserInputError` listing every problem with types and roles.

        Args:
            require_synth: Also require at least one synthesised column (needed to generate; a
                dataset may be stored without one and fixed on the Data page).
        """
        problems: list[str] = []
        valid = ", ".join(repr(n) for n in self.names)
        for c in self.columns:
            if c.sdtype not in SDTYPES:
                problems.append(
                    MSG_BAD_SDTYPE.format(column=c.name, sdtype=c.sdtype, valid=", ".join(SDTYPES))
                )
        named = ([self.target] if self.target else []) + list(self.protected)
        named += list(self.quasi_identifiers)
        for col in named:
            if col not in self.names:
                problems.append(MSG_UNKNOWN_COLUMN.format(column=col, valid=valid))
        if self.target and self.target in self.names and self.sdtype(self.target) == "identifier":
            problems.append(MSG_TARGET_IDENTIFIER.format(column=self.target))
        if require_synth and not self.synth_columns:
            problems.append(MSG_NO_SYNTH_COLUMNS)
        if problems:
            raise UserInputError("The schema has problems.", problems)

    # -- editing as a table (the Data page's editor) ---------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """One row per column: name, type, date format, why that type."""
        return pd.DataFrame(
            {
                "column": [c.name for c in self.columns],
                "type": [c.sdtype for c in self.columns],
                "date format": [c.datetime_format or "" for c in self.columns],
                "why": [c.reason for c in self.columns],
            }
        )

    def with_frame(self, frame: pd.DataFrame) -> Schema:
        """A copy with the types and date formats of an edited :meth:`to_frame` table.

        Roles that point at a column now marked as an identifier are dropped from the roles.
        """
        new = self
        for name, sdtype, fmt in zip(
            frame["column"], frame["type"], frame["date format"], strict=True
        ):
            old = next(c for c in self.columns if c.name == name)
            fmt = (fmt or "").strip() or None
            if sdtype != old.sdtype or (sdtype == "datetime" and fmt != old.datetime_format):
                new = new.with_sdtype(name, sdtype, fmt if sdtype == "datetime" else None)
        ids = set(new.identifiers)
        return replace(
            new,
            target=None if new.target in ids else new.target,
            protected=tuple(p for p in new.protected if p not in ids),
            quasi_identifiers=tuple(q for q in new.quasi_identifiers if q not in ids),
        )

    # -- serialisation ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def to_json(self) -> str:
        """The schema as JSON text."""
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schema:
        """Inverse of :meth:`to_dict`."""
        return cls(
            columns=tuple(ColumnSpec(**c) for c in data["columns"]),
            target=data.get("target"),
            protected=tuple(data.get("protected", ())),
            quasi_identifiers=tuple(data.get("quasi_identifiers", ())),
        )

    @classmethod
    def from_json(cls, text: str) -> Schema:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))

    def to_sdv_metadata(self) -> Any:
        """SDV 2.x ``Metadata`` of the synthesised columns (identifiers left out)."""
        from sdv.metadata import Metadata  # deferred: importing sdv takes seconds

        cols: dict[str, dict[str, Any]] = {}
        for c in self.columns:
            if c.sdtype == "identifier":
                continue
            if c.sdtype == "datetime":
                spec: dict[str, Any] = {"sdtype": "datetime"}
                if c.datetime_format:
                    spec["datetime_format"] = c.datetime_format
            elif c.sdtype == "boolean":
                spec = {"sdtype": "boolean"}
            elif c.sdtype == "numerical":
                spec = {"sdtype": "numerical"}
            else:
                spec = {"sdtype": "categorical"}
            cols[c.name] = spec
        return Metadata.load_from_dict({"tables": {TABLE_NAME: {"columns": cols}}})


def check_synthetic_matches(schema: Schema, synthetic: pd.DataFrame) -> pd.DataFrame:
    """Check an externally made synthetic table against the dataset's schema.

    Identifier columns may be absent. Numerical and boolean columns must parse as such.

    Args:
        schema: The dataset's schema.
        synthetic: The loaded synthetic table.

    Returns:
        The synthetic table restricted to the synthesised columns, in schema order.

    Raises:
        UserInputError: listing every missing, extra or incompatible column.
    """
    problems: list[str] = []
    have = list(synthetic.columns)
    for col in schema.synth_columns:
        if col not in have:
            problems.append(
                f"Column '{col}' is in the dataset but not in the synthetic file. Add it."
            )
    for col in have:
        if col not in schema.names:
            problems.append(
                f"Column '{col}' is in the synthetic file but not in the dataset. "
                "Remove or rename it."
            )
    for col in schema.synth_columns:
        if col not in have:
            continue
        kind = schema.sdtype(col)
        s = synthetic[col]
        if kind == "numerical" and not pd.api.types.is_numeric_dtype(s):
            bad = pd.to_numeric(s, errors="coerce").isna() & s.notna()
            if bad.any():
                example = s[bad].iloc[0]
                problems.append(
                    f"Column '{col}' should be numerical but has {int(bad.sum())} non-numeric "
                    f"values, e.g. {str(example)[:40]!r}."
                )
    if problems:
        raise UserInputError(MSG_SYNTH_MISMATCH, problems)
    out = synthetic[list(schema.synth_columns)].copy()
    for col in schema.columns_of("numerical"):
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = pd.to_numeric(out[col], errors="coerce")
    return out
