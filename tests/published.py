"""Tables built to look like real published ones (never downloaded): what Adult does not have.

``records_csv`` is shaped like a public-records extract (a criminal-justice risk-score table as
published): people's names under plain headers (``first``, ``last``, ``name``, ``nm``), a person
id, case numbers blank for most rows, dates in two formats, free text, integer scores, two headers
that appear twice (``decile_score``, ``priors_count``) and a 0/1 outcome (``two_year_recid``).

``census_csv`` is shaped like a census microdata excerpt (as in NIST's SDNist excerpts): the
letter ``N`` meaning "not applicable" inside numeric columns, categories coded as small integers
(``SEX`` 1/2, ``RAC1P`` 1-9, ``MSP`` 1-6), a geography code, and no obvious target.

Both are deterministic for a seed. The ``*_EXPECTED`` dicts say what a correct loader and
detector must conclude; tests assert against them.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from faker import Faker

RECORDS_HEADER = [
    "id", "name", "first", "last", "nm", "sex", "dob", "age", "race", "c_case_number",
    "c_offense_date", "c_charge_desc", "decile_score", "priors_count", "r_case_number",
    "vr_case_number", "screening_date", "decile_score", "priors_count", "email", "two_year_recid",
]
# What the loader must call the columns (later duplicates get a deterministic suffix).
RECORDS_COLUMNS = [
    *RECORDS_HEADER[:17], "decile_score_2", "priors_count_2", "email", "two_year_recid",
]
RECORDS_IDENTIFIERS = (
    "id", "name", "first", "last", "nm", "c_case_number", "r_case_number", "vr_case_number",
    "email",
)
RECORDS_EXPECTED = {
    "renames": {"decile_score": "decile_score_2", "priors_count": "priors_count_2"},
    "identifiers": RECORDS_IDENTIFIERS,
    "target": "two_year_recid",
    "categorical": ("sex", "race", "decile_score", "decile_score_2"),
}

CENSUS_COLUMNS = ["PUMA", "AGEP", "SEX", "RAC1P", "MSP", "HISP", "PINCP", "POVPIP", "NOC",
                  "DENSITY", "INDP"]
CENSUS_EXPECTED = {
    "markers": {"MSP": "N", "PINCP": "N", "POVPIP": "N", "NOC": "N", "INDP": "N"},
    "numerical": ("AGEP", "PINCP", "POVPIP", "DENSITY"),
    "categorical": ("SEX", "RAC1P", "MSP", "HISP", "PUMA"),
}

CHARGES = ["Battery", "Grand Theft (Motor Vehicle)", "Possession of Cannabis", "Driving Under "
           "The Influence", "Burglary Unoccupied Dwelling", "Petit Theft", "Resist/Obstruct W/O "
           "Violence", "Aggravated Assault W/Firearm"]
RACES = ["African-American", "Caucasian", "Hispanic", "Other", "Asian", "Native American"]


def _case_number(rng: np.random.Generator, kind: str) -> str:
    year = rng.integers(12, 16)
    return f"{year:02d}{rng.integers(0, 999999):06d}{kind}{rng.integers(10, 99)}A"


def records_frame(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """The records-style table as the loader should see it (duplicate headers already renamed)."""
    rng = np.random.default_rng(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    first = [fake.first_name() for _ in range(n)]
    last = [fake.last_name() for _ in range(n)]
    dob = pd.to_datetime("1950-01-01") + pd.to_timedelta(rng.integers(0, 17000, n), unit="D")
    screening = pd.to_datetime("2013-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D")
    age = ((screening - dob).days // 365).astype(int)
    decile = rng.integers(1, 11, n)
    priors = rng.poisson(3, n)
    recid = (rng.random(n) < 0.2 + 0.05 * decile).astype(int)
    r_case = [(_case_number(rng, "CF") if r and rng.random() < 0.9 else "") for r in recid]
    vr_case = [(_case_number(rng, "MM") if rng.random() < 0.1 else "") for _ in range(n)]
    offense = screening - pd.to_timedelta(rng.integers(0, 30, n), unit="D")
    df = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "name": [f"{f} {s}" for f, s in zip(first, last, strict=True)],
        "first": first,
        "last": last,
        "nm": [f"{s}, {f}" for f, s in zip(first, last, strict=True)],
        "sex": rng.choice(["Male", "Female"], n, p=[0.8, 0.2]),
        "dob": dob.strftime("%Y-%m-%d"),
        "age": age,
        "race": rng.choice(RACES, n, p=[0.5, 0.33, 0.09, 0.05, 0.02, 0.01]),
        "c_case_number": [_case_number(rng, "CF") for _ in range(n)],
        "c_offense_date": offense.strftime("%m/%d/%Y"),
        "c_charge_desc": rng.choice(CHARGES, n),
        "decile_score": decile,
        "priors_count": priors,
        "r_case_number": r_case,
        "vr_case_number": vr_case,
        "screening_date": screening.strftime("%Y-%m-%d %H:%M:%S"),
        "decile_score_2": decile,
        "priors_count_2": priors,
        "email": [f"{f.lower()}.{s.lower()}{i}@example.org"
                  for i, (f, s) in enumerate(zip(first, last, strict=True))],
        "two_year_recid": recid,
    })
    assert list(df.columns) == RECORDS_COLUMNS
    return df


def records_csv(n: int = 1500, seed: int = 0) -> bytes:
    """The records-style table as published: CSV bytes with the duplicate headers."""
    df = records_frame(n, seed)
    buf = io.StringIO()
    df.to_csv(buf, index=False, header=RECORDS_HEADER)
    return buf.getvalue().encode("utf-8")


def census_frame(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    """The census-style excerpt as text cells, exactly as the CSV holds them."""
    rng = np.random.default_rng(seed)
    age = rng.integers(0, 95, n)
    adult = age >= 15
    income = np.where(adult, np.round(rng.lognormal(10.2, 0.9, n), -2).astype(int), 0)
    poverty = np.clip(np.round(rng.normal(280, 140, n)), 0, 501).astype(int)
    msp = rng.integers(1, 7, n)
    noc = rng.poisson(0.8, n)
    indp = rng.choice([170, 370, 770, 3390, 4670, 5391, 7860, 8191, 9670], n)

    def with_n(values: np.ndarray, mask: np.ndarray) -> list[str]:
        return [str(v) if m else "N" for v, m in zip(values, mask, strict=True)]

    df = pd.DataFrame({
        "PUMA": rng.choice(["01-01301", "01-01302", "24-01001", "24-01002", "48-03301"], n),
        "AGEP": age.astype(str),
        "SEX": rng.integers(1, 3, n).astype(str),
        "RAC1P": rng.choice(np.arange(1, 10), n, p=[.6, .12, .01, .01, .01, .06, .01, .1, .08]
                            ).astype(str),
        "MSP": with_n(msp, adult),
        "HISP": rng.choice(np.arange(1, 25), n, p=[0.8] + [0.2 / 23] * 23).astype(str),
        "PINCP": with_n(income, adult),
        "POVPIP": with_n(poverty, rng.random(n) > 0.03),
        "NOC": with_n(noc, adult & (rng.random(n) > 0.2)),
        "DENSITY": np.round(rng.lognormal(7, 1.3, n), 2).astype(str),
        "INDP": with_n(indp, adult & (rng.random(n) > 0.4)),
    })
    assert list(df.columns) == CENSUS_COLUMNS
    return df


def census_csv(n: int = 2000, seed: int = 0) -> bytes:
    """The census-style excerpt as published: CSV bytes with ``N`` markers."""
    return census_frame(n, seed).to_csv(index=False).encode("utf-8")
