import io

import pandas as pd
import pytest

from core.errors import UserInputError
from core.export import MSG_BAD_FORMAT, export_bytes, neutralize_formulas


def test_formula_cells_and_names_are_neutralised_and_round_trip():
    # Setup: every prefix a spreadsheet runs, plus harmless values
    df = pd.DataFrame({
        "=cmd": ["=1+1", "+SUM(A1)", "-2+3", "@x", "\tTAB", "\rCR"],
        "ok": ["plain", "a=b", "", None, "x-y", "1"],
        "num": [-1.5, 2.0, 3.0, -4.0, 5.0, 6.0],
    })
    # Run
    back = pd.read_csv(io.BytesIO(export_bytes(df, "csv")), keep_default_na=False,
                       dtype={"'=cmd": str, "ok": str})
    pq = pd.read_parquet(io.BytesIO(export_bytes(df, "parquet")))
    # Assert
    assert list(back.columns) == ["'=cmd", "ok", "num"]
    assert list(back["'=cmd"]) == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@x", "'\tTAB", "'\rCR"]
    assert list(back["ok"]) == ["plain", "a=b", "", "", "x-y", "1"]
    assert list(back["num"]) == [-1.5, 2.0, 3.0, -4.0, 5.0, 6.0]  # numbers stay numbers
    assert list(pq["'=cmd"]) == list(neutralize_formulas(df)["'=cmd"])


def test_unknown_format_is_refused():
    with pytest.raises(UserInputError) as err:
        export_bytes(pd.DataFrame({"a": [1]}), "xlsx")
    assert err.value.message == MSG_BAD_FORMAT.format(valid="csv, parquet", value="xlsx")
