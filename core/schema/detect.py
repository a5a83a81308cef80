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
    "nationality", "sexualorientation", "pregnancy",
)
_QUASI_ID_WORDS = (
    "age", "sex", "gender", "race", "ethnicity", "zip", "zipcode", "postcode", "postalcode",
    "birthdate", "dateofbirth", "dob", "birthyear", "nativecountry", "country", "maritalstatus",
    "education", "occupation", "city", "county", "state", "region",
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

    # SDV detection works on string column names; our names are kept exactly, so map them.
    positional = df.copy(deep=False)
    positional.columns = [f"c{i}" for i in range(df.shape[1])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        meta = Metadata.detect_from_dataframes({TABLE_NAME: positional})
    detected = meta.to_dict()["tables"][TABLE_NAME]["columns"]
    default = {"sdtype": "categorical"}
    return {df.columns[i]: detected.get(f"c{i}", default) for i in range(df.shape[1])}


def detect_schema(df: pd.DataFrame) -> Schema:
    """Detect each column's kind and suggest roles.

    SDV's detection decides numerical / categorical / datetime; we then mark direct identifiers by
    name (``name``, ``email``, ``*_id``...) and by content (text where every value is distinct), and
    booleans from their values.

    Args:
        df: The loaded real table.

    Returns:
        A Schema with suggested roles: the target is the last column if it has 2-20 distinct
        values, protected attributes and quasi-identifiers come from column names.
    """
    detected = _sdv_detect(df)
    specs: list[ColumnSpec] = []
    n = len(df)
    for name in df.columns:
        s = df[name]
        info = detected[name]
        sdv_type = info.get("sdtype", "categorical")
        non_null = s.dropna()
        nunique = non_null.nunique()
        if _is_direct_identifier_name(name):
            specs.append(
                ColumnSpec(name, "identifier", reason="the name looks like a direct identifier")
            )
            continue
        if sdv_type in ("id", "email", "phone_number", "ssn", "address", "name", "first_name",
                        "last_name", "ipv4_address", "credit_card_number", "iban"):
            specs.append(ColumnSpec(name, "identifier", reason=f"SDV detected '{sdv_type}'"))
            continue
        if info.get("pii"):
            specs.append(
                ColumnSpec(name, "identifier", reason=f"SDV marked it as PII ({sdv_type})")
            )
            continue
        if pd.api.types.is_bool_dtype(s) or (
            nunique == 2 and set(map(str, non_null.unique())) <= {"True", "False", "true", "false"}
        ):
            specs.append(ColumnSpec(name, "boolean", reason="two values, true and false"))
            continue
        if sdv_type == "datetime":
            specs.append(
                ColumnSpec(name, "datetime", info.get("datetime_format"), reason="dates detected")
            )
            continue
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            specs.append(ColumnSpec(name, "numerical", reason="numbers"))
            continue
        if (
            n >= 20
            and nunique == len(non_null)
            and len(non_null) > 0.9 * n
            and non_null.astype(str).str.len().mean() > 3
        ):
            specs.append(
                ColumnSpec(name, "identifier", reason="text where every value is distinct")
            )
            continue
        reason = "ordered categories" if sdv_type == "ordinal" else "categories"
        specs.append(ColumnSpec(name, "categorical", reason=reason))

    names = tuple(df.columns)
    usable = tuple(c.name for c in specs if c.sdtype != "identifier")
    target = None
    for c in reversed(specs):
        if c.sdtype in ("categorical", "boolean") and 2 <= df[c.name].nunique() <= 20:
            target = c.name
            break
    protected = tuple(p for p in _suggest(names, _PROTECTED_WORDS) if p in usable and p != target)
    qis = tuple(q for q in _suggest(names, _QUASI_ID_WORDS) if q in usable and q != target)
    return Schema(tuple(specs), target=target, protected=protected, quasi_identifiers=qis)
