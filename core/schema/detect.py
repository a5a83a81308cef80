"""Schema detection: each column's kind from SDV plus our name and content rules, and roles.

SDV detects sdtypes; we map them to the five kinds a user edits and catch direct identifiers that
SDV 2.x calls ``categorical`` (person names) by name and by uniqueness. Roles (target, protected
attributes, quasi-identifiers) are suggested from column names; the user always chooses.
:func:`detect_schema` is exported by :mod:`core.schema`.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import pandas as pd

from core.schema import content
from core.schema.model import TABLE_NAME, ColumnSpec, Schema

# Names that say "this column identifies a person directly". Matched on the lower-cased name with
# separators removed: "First Name" -> "firstname", "e-mail" -> "email".
_DIRECT_ID_WORDS = (
    "name", "firstname", "lastname", "surname", "fullname", "givenname", "email", "mail",
    "phone", "telephone", "mobile", "ssn", "socialsecurity", "passport", "iban", "creditcard",
    "cardnumber", "address", "street", "ipaddress", "ip", "username", "login", "nationalid",
    "taxid", "licenseplate", "id", "uuid", "guid", "patientid", "customerid", "userid",
    "personid", "employeeid", "accountnumber", "mrn",
)
_PROTECTED_WORDS = (
    "sex", "gender", "race", "ethnicity", "ethnic", "age", "religion", "disability",
    "nationality", "sexualorientation", "pregnancy", "agep", "rac1p", "hisp",
)
_QUASI_ID_WORDS = (
    "age", "sex", "gender", "race", "ethnicity", "zip", "zipcode", "postcode", "postalcode",
    "birthdate", "dateofbirth", "dob", "birthyear", "nativecountry", "country", "maritalstatus",
    "education", "occupation", "city", "county", "state", "region", "agep", "rac1p", "hisp",
    "puma", "msp", "fips", "geoid", "tract",
)
# Names of outcome columns, for the target when the last column is not one.
_TARGET_WORDS = ("target", "label", "class", "outcome", "y", "result", "churn", "default")
MAX_TARGET_CLASSES = 20
SDV_SAMPLE_ROWS = 50_000
_SDV_IDENTIFIER_TYPES = (
    "id", "email", "phone_number", "ssn", "address", "name", "first_name", "last_name",
    "ipv4_address", "credit_card_number", "iban",
)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def _is_direct_identifier_name(name: str) -> bool:
    n = _norm(name)
    if n in _DIRECT_ID_WORDS:
        return True
    # "customer_id", "patient name", "home address"; but not "paid" or "valid".
    words = re.split(r"[^a-z0-9]+|(?<=[a-z])(?=[A-Z])", str(name))
    words = [w.lower() for w in words if w]
    return bool(words) and words[-1] in {"id", "name", "email", "phone", "ssn", "address", "uuid"}


def _suggest(names: tuple[str, ...], words: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for name in names:
        n = _norm(name)
        if n in words or any(n.startswith(w) or n.endswith(w) for w in words if len(w) >= 4):
            out.append(name)
    return tuple(out)


def _sdv_detect(df: pd.DataFrame) -> dict[str, dict[str, Any]]:
    from sdv.metadata import Metadata  # deferred: importing sdv takes seconds

    # SDV detection works on string column names; our names are kept exactly, so map them. It
    # reads every row, so a big table is detected on a seeded sample (its sdtypes do not depend
    # on the row count; our own uniqueness and code rules use every row).
    if len(df) > SDV_SAMPLE_ROWS:
        df = df.sample(SDV_SAMPLE_ROWS, random_state=0)
    positional = df.copy(deep=False)
    positional.columns = [f"c{i}" for i in range(df.shape[1])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        meta = Metadata.detect_from_dataframes({TABLE_NAME: positional})
    detected = meta.to_dict()["tables"][TABLE_NAME]["columns"]
    default = {"sdtype": "categorical"}
    return {df.columns[i]: detected.get(f"c{i}", default) for i in range(df.shape[1])}


def _column_spec(
    name: str, s: pd.Series, values: pd.Series, nunique: int, info: dict[str, Any]
) -> ColumnSpec:
    """One column's kind and the reason, rule by rule (the first rule that fits wins)."""
    sdv_type = info.get("sdtype", "categorical")
    is_text = not pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
    if _is_direct_identifier_name(name):
        return ColumnSpec(name, "identifier", reason="the name looks like a direct identifier")
    if sdv_type in _SDV_IDENTIFIER_TYPES and sdv_type != "id":
        return ColumnSpec(name, "identifier", reason=f"SDV detected '{sdv_type}'")
    if info.get("pii"):
        return ColumnSpec(name, "identifier", reason=f"SDV marked it as PII ({sdv_type})")
    if pd.api.types.is_bool_dtype(s) or (
        nunique == 2 and set(map(str, values.unique())) <= {"True", "False", "true", "false"}
    ):
        return ColumnSpec(name, "boolean", reason="two values, true and false")
    if sdv_type == "datetime":
        return ColumnSpec(name, "datetime", info.get("datetime_format"), reason="dates detected")
    if not is_text:
        why = content.unique_reason(name, values, nunique, is_text=False)
        if why:
            return ColumnSpec(name, "identifier", reason=why)
        why = content.code_reason(name, values, nunique)
        if why:
            return ColumnSpec(name, "categorical", reason=why)
        # SDV's bare 'id' is ignored for numbers: it calls any all-distinct integers an id, and
        # a small sample of a survey weight (Adult's fnlwgt) is all distinct.
        return ColumnSpec(name, "numerical", reason="numbers")
    for rule in (
        lambda: content.pattern_reason(values),
        lambda: content.name_reason(values),
        lambda: content.unique_reason(name, values, nunique, is_text=True),
        lambda: content.code_shape_reason(values, nunique),
    ):
        why = rule()
        if why:
            return ColumnSpec(name, "identifier", reason=why)
    if sdv_type == "id":  # our reasons say more, so SDV's bare 'id' comes last
        return ColumnSpec(name, "identifier", reason="SDV detected 'id'")
    reason = "ordered categories" if sdv_type == "ordinal" else "categories"
    return ColumnSpec(name, "categorical", reason=reason)


def _suggest_target(df: pd.DataFrame, specs: list[ColumnSpec]) -> str | None:
    """The last column when it has 2-20 categories, else one named like an outcome, else None."""

    def fits(c: ColumnSpec) -> bool:
        return c.sdtype in ("categorical", "boolean") and (
            2 <= df[c.name].nunique() <= MAX_TARGET_CLASSES
        )

    if specs and fits(specs[-1]):
        return specs[-1].name
    for c in reversed(specs):
        if fits(c) and any(w in _TARGET_WORDS for w in content.words(c.name)):
            return c.name
    return None


def _content_quasi_identifiers(
    specs: list[ColumnSpec], prepared: dict[str, tuple[pd.Series, int]]
) -> tuple[str, ...]:
    """Columns whose values look like ages, dates of birth or ZIP/area codes."""
    out = []
    for c in specs:
        if c.sdtype == "identifier":
            continue
        values, nunique = prepared[c.name]
        if c.sdtype == "datetime":
            why = content.dob_reason(values)
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            why = content.age_reason(values, nunique)
        elif c.sdtype == "categorical":
            why = content.geo_reason(values)
        else:
            why = None
        if why:
            out.append(c.name)
    return tuple(out)


def detect_schema(df: pd.DataFrame) -> Schema:
    """Detect each column's kind, with the reason, and suggest roles.

    SDV's detection decides numerical / categorical / datetime; our rules then mark direct
    identifiers by name (``name``, ``email``, ``*_id``...) and by content (person names, emails,
    phones, URLs, IPs, SSN-like numbers, fixed-shape codes, nearly unique text or integer
    sequences), booleans from their values, and small sets of integer codes as categorical. The
    thresholds are in :mod:`core.schema.content` and README.md.

    Args:
        df: The loaded real table.

    Returns:
        A Schema with suggested roles: the target is the last column if it has 2-20 categories
        (else one named like an outcome, else none); protected attributes come from column names;
        quasi-identifiers from names and from content (ages, dates of birth, ZIP-like codes).
    """
    detected = _sdv_detect(df)
    prepared = {name: content.non_empty(df[name]) for name in df.columns}
    specs = [
        _column_spec(name, df[name], *prepared[name], detected[name]) for name in df.columns
    ]
    names = tuple(df.columns)
    usable = tuple(c.name for c in specs if c.sdtype != "identifier")
    target = _suggest_target(df, specs)
    protected = tuple(p for p in _suggest(names, _PROTECTED_WORDS) if p in usable and p != target)
    by_name = _suggest(names, _QUASI_ID_WORDS)
    by_content = _content_quasi_identifiers(specs, prepared)
    qis = tuple(
        q for q in names if (q in by_name or q in by_content) and q in usable and q != target
    )
    return Schema(tuple(specs), target=target, protected=protected, quasi_identifiers=qis)
