"""Content rules of schema detection: what a column's values say it is, whatever its name.

Each check returns a plain reason (shown on the Data page as "why") or None. Checks that read
values use a seeded sample of at most ``SAMPLE_SIZE`` non-empty values and vectorised pandas
string operations, so a 1M-row table costs no more than a 5,000-row one (counting distinct values
is the one full pass). The thresholds are module constants and are documented in README.md
("How columns are typed and identifiers found").
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

import numpy as np
import pandas as pd

SAMPLE_SIZE = 5000
MIN_VALUES = 20  # fewer non-empty values than this: no content rule calls a column unique
UNIQUE_SHARE = 0.95  # distinct / non-empty values at or above this: "nearly unique"
ID_MIN_DIGITS = 6  # unique integers all this wide or wider (account numbers) are ids
PATTERN_SHARE = 0.9  # share of sampled values that must match a pattern or one shape
NAME_SHARE = 0.6  # share of sampled values (and of distinct ones) that must read as names
MIN_NAME_DISTINCT = 20
CODE_MAX_DISTINCT = 25  # integer codes: at most this many distinct values ...
CODE_MIN_ROWS_PER_VALUE = 5  # ... each seen on at least this many rows on average ...
CODE_SMALL_MAX = 99  # ... and either dense (span <= 2 x distinct) or all within 0..99 (<= 10)
CODE_SMALL_DISTINCT = 10
AGE_MAX = 120
AGE_MIN_DISTINCT = 20
AGE_MAX_MODE_SHARE = 0.1  # ages have no spike; "hours per week" (40 for half the rows) has
DOB_MIN_YEARS = 20

# Names that say "this is an amount or a count", so a few distinct integers stay numerical:
# "priors_count", "education-num", "n_children" -> numerical; "RAC1P", "decile_score" -> codes.
_MEASURE_WORDS = (
    "age", "count", "cnt", "num", "number", "qty", "quantity", "amount", "total", "sum", "hours",
    "minutes", "seconds", "days", "weeks", "months", "years", "income", "salary", "wage",
    "price", "cost", "weight", "height", "size", "length", "duration", "distance", "balance",
)

_PATTERNS = (
    ("email addresses", r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"),
    ("web addresses (URLs)", r"(?:https?://|www\.)\S+"),
    ("IP addresses", r"\d{1,3}(?:\.\d{1,3}){3}|(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}"),
    ("national-id-like numbers (ddd-dd-dddd)", r"\d{3}-\d{2}-\d{4}"),
    ("phone numbers", r"\+?\(?\d[\d\s().-]{6,}\d"),
)
# Text shapes of geography codes: ZIP, ZIP+4, state-area codes such as a PUMA "01-01301".
_GEO_SHAPES = ("99999", "99999-9999", "999999999", "99-99999", "99-9999")
_WORD = r"[^\W\d_](?:[^\W\d_]|['.-])*"  # letters, with apostrophes, dots and hyphens
_NAME_SHAPE = rf"{_WORD}(?:,?\s+{_WORD}){{0,3}}"  # "Ann", "Ann Lee", "Lee, Ann", "Mary-Jo O'Neil"


def words(name: str) -> list[str]:
    """The lower-cased words of a column name: "priorsCount_2" -> ["priors", "count", "2"]."""
    parts = re.split(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])", str(name))
    return [p.lower() for p in parts if p]


def has_measure_name(name: str) -> bool:
    """True when a word of the column name says it is an amount or count (``priors_count``)."""
    return any(w in _MEASURE_WORDS for w in words(name))


def non_empty(s: pd.Series) -> tuple[pd.Series, int]:
    """The values that are neither missing nor blank text, and how many distinct ones.

    Blank case numbers ("" for most rows) do not count: ``["", "A1", "A2", None]`` -> 2 values,
    2 distinct.
    """
    s = s.dropna()
    uniq = pd.unique(s.to_numpy())
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        # Strip only the distinct values (hashing is vectorised; .str.strip on 1M rows is not).
        blanks = [v for v in uniq if isinstance(v, str) and not v.strip()]
        if blanks:
            return s[~s.isin(blanks)], len(uniq) - len(blanks)
    return s, len(uniq)


def _sample_text(values: pd.Series) -> pd.Series:
    if len(values) > SAMPLE_SIZE:
        rows = np.random.default_rng(0).choice(len(values), SAMPLE_SIZE, replace=False)
        values = values.iloc[np.sort(rows)]
    return values.astype(str).str.strip()


def _integer_valued(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return False
    if pd.api.types.is_integer_dtype(values):
        return True
    arr = values.to_numpy(dtype=float)
    return bool(np.isfinite(arr).all() and (arr == np.round(arr)).all())


def code_reason(name: str, values: pd.Series, nunique: int) -> str | None:
    """Why a numeric column is a set of category codes (``SEX`` 1/2, ``RAC1P`` 1-9), or None."""
    if nunique < 2 or nunique > CODE_MAX_DISTINCT or not _integer_valued(values):
        return None
    if has_measure_name(name):
        return None
    if nunique > 2 and len(values) < CODE_MIN_ROWS_PER_VALUE * nunique:
        return None
    lo, hi = int(values.min()), int(values.max())
    dense = hi - lo + 1 <= 2 * nunique
    small = lo >= 0 and hi <= CODE_SMALL_MAX and nunique <= CODE_SMALL_DISTINCT
    if not (dense or small):
        return None
    shown = f"{lo}/{hi}" if nunique == 2 else f"{lo}–{hi}"
    return f"whole numbers with {nunique} distinct values ({shown}): codes, not amounts"


def unique_reason(name: str, values: pd.Series, nunique: int, is_text: bool) -> str | None:
    """Why a column is an identifier because nearly every non-empty value is distinct, or None.

    Text and integer sequences count; a column of unique decimals is a measurement, and so are
    unique integers spread thinly over a wide range (a survey weight such as Adult's ``fnlwgt``)
    or under a measure name (40 people aged 20-59, each age once).
    """
    n = len(values)
    if n < MIN_VALUES or nunique < UNIQUE_SHARE * n:
        return None
    share = f"{nunique:,} distinct of {n:,} non-empty values"
    if is_text:
        if values.astype(str).str.len().mean() <= 3:
            return None
        return f"text where nearly every non-empty value is distinct ({share})"
    if not _integer_valued(values) or has_measure_name(name):
        return None
    span = float(values.max()) - float(values.min()) + 1
    if span <= 2 * nunique:
        return f"an integer sequence where nearly every value is distinct ({share})"
    widths = _sample_text(values.abs().astype("int64")).str.len()
    if widths.min() == widths.max() >= ID_MIN_DIGITS:
        return f"{widths.min()}-digit numbers where nearly every value is distinct ({share})"
    return None


def pattern_reason(values: pd.Series) -> str | None:
    """Why a text column holds contact details, addresses or ids by their shape, or None."""
    if len(values) < MIN_VALUES:
        return None
    text = _sample_text(values)
    for label, pattern in _PATTERNS:
        if text.str.fullmatch(pattern).mean() >= PATTERN_SHARE:
            if label == "phone numbers" and not (
                text.str.count(r"\d").between(9, 15).mean() >= PATTERN_SHARE
            ):
                continue
            return f"the values look like {label}"
    return None


def shape_of(text: pd.Series) -> pd.Series:
    """Each value's shape: letters -> A, digits -> 9 ("13012345CF45A" -> "99999999AA99A")."""
    return text.str.replace(r"[A-Za-z]", "A", regex=True).str.replace(r"\d", "9", regex=True)


def code_shape_reason(values: pd.Series, nunique: int) -> str | None:
    """Why a text column of letters and digits in one fixed shape is an id (case numbers)."""
    if len(values) < MIN_VALUES or nunique < 0.5 * len(values) or nunique < MIN_VALUES:
        return None
    shapes = shape_of(_sample_text(values))
    top = shapes.value_counts(normalize=True)
    shape, share = top.index[0], float(top.iloc[0])
    if share < PATTERN_SHARE or "A" not in shape or "9" not in shape or len(shape) < 5:
        return None
    return f"codes of letters and digits in one shape ({shape}) with {nunique:,} distinct values"


@lru_cache(maxsize=1)
def known_names() -> frozenset[str]:
    """Lower-cased first and last names of every Faker locale (shipped with SDV; no download)."""
    import faker.providers.person as person  # deferred: only detection needs it

    out: set[str] = set()
    for mod in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{mod.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "last_names"):
            value = getattr(provider, attr, ())
            if isinstance(value, dict | list | tuple | set | frozenset):
                out.update(str(v).lower() for v in value)
    return frozenset(out)


def name_reason(values: pd.Series) -> str | None:
    """Why a text column holds person names ("Ann", "Ann Lee", "Lee, Ann"), or None.

    A value reads as a name when it has one to four words of letters and at least half of its
    words are known first or last names.
    """
    text = _sample_text(values)
    if len(text) < MIN_VALUES or text.nunique() < MIN_NAME_DISTINCT:
        return None
    shaped = text.str.fullmatch(_NAME_SHAPE)
    words = text.str.lower().str.split(r"[\s,]+", regex=True).explode()
    words = words[words.ne("")]
    known = words.isin(known_names()).groupby(level=0).mean()
    is_name = shaped & (known.reindex(text.index).fillna(0) >= 0.5)
    distinct = is_name.groupby(text).first()
    if is_name.mean() < NAME_SHARE or distinct.mean() < NAME_SHARE:
        return None
    return f"{is_name.mean():.0%} of the values read as person names"


def age_reason(values: pd.Series, nunique: int) -> str | None:
    """Why a numeric column looks like ages (whole numbers 0-120, no spike), or None."""
    if nunique < AGE_MIN_DISTINCT or not _integer_valued(values):
        return None
    if values.min() < 0 or values.max() > AGE_MAX:
        return None
    if values.value_counts(normalize=True).iloc[0] > AGE_MAX_MODE_SHARE:
        return None
    return "whole numbers from 0 to 120 spread like ages"


def dob_reason(values: pd.Series) -> str | None:
    """Why a date column looks like dates of birth (spread over decades), or None."""
    dates = pd.to_datetime(_sample_text(values), errors="coerce", format="mixed")
    dates = dates.dropna()
    if len(dates) < MIN_VALUES:
        return None
    years = (dates.max() - dates.min()).days / 365.25
    if years < DOB_MIN_YEARS or dates.max() > pd.Timestamp.now():
        return None
    return f"dates spread over {years:.0f} years, like dates of birth"


def geo_reason(values: pd.Series) -> str | None:
    """Why a text column looks like ZIP or area codes, or None."""
    if len(values) < MIN_VALUES:
        return None
    shapes = shape_of(_sample_text(values)).value_counts(normalize=True)
    if shapes.index[0] in _GEO_SHAPES and shapes.iloc[0] >= PATTERN_SHARE:
        return f"digit codes shaped {shapes.index[0]}, like ZIP or area codes"
    return None
