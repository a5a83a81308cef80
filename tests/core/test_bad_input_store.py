"""Every bad input a user can give (issue #3's list) gets its exact message, and nothing already
stored is lost: an existing dataset, its rows and a complete run survive each failed attempt."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from core.config import Limits
from core.datasets import MSG_TOO_FEW_ROWS, add_upload, list_datasets, load_dataset
from core.errors import UserInputError
from core.io import messages as cio
from core.runs import generate, import_run, list_runs, load_synthetic
from core.schema.model import MSG_SYNTH_MISMATCH
from tests.published import CENSUS_EXPECTED, census_csv

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    return buf.getvalue()


@pytest.fixture()
def populated(store, small_dataset):
    run = generate(store, small_dataset.id, "gaussian_copula", n_rows=50, seed=1)
    snapshot = {
        "datasets": [(d.id, d.n_rows, d.schema_version) for d in list_datasets(store)],
        "runs": [(r.id, r.status) for r in list_runs(store)],
        "rows": load_dataset(store, small_dataset.id).rows.copy(),
        "synthetic": load_synthetic(store, run.id).copy(),
        "run": run.id, "dataset": small_dataset.id,
    }
    return store, snapshot


def _intact(store, snap) -> None:
    assert [(d.id, d.n_rows, d.schema_version) for d in list_datasets(store)] == snap["datasets"]
    assert [(r.id, r.status) for r in list_runs(store)] == snap["runs"]
    pd.testing.assert_frame_equal(load_dataset(store, snap["dataset"]).rows, snap["rows"])
    pd.testing.assert_frame_equal(load_synthetic(store, snap["run"]), snap["synthetic"])


def _random_bytes() -> tuple[bytes, str, str]:
    """Seeded random bytes: decoded as latin-1, NULs dropped, about 24% control characters."""
    data = np.random.default_rng(3).bytes(3 * 2**20)
    text = data.decode("latin-1").replace("\x00", "")
    control = sum(1 for c in text if (c < " " and c not in "\t\n\r") or "\x7f" <= c <= "\x9f")
    return data, "noise.csv", cio.MSG_CONTROL_CHARACTERS.format(
        name="noise.csv", count=control, total=len(text), percent=100 * control / len(text),
        limit=2)


LONG = "x" * 10_000
REFUSED = {
    "empty file": (b"", "e.csv", cio.MSG_EMPTY.format(name="e.csv")),
    "header only": (b"a,b,c\n", "h.csv", cio.MSG_HEADER_ONLY.format(name="h.csv")),
    "one data row": (b"a,b\n1,x\n", "one.csv",
                     MSG_TOO_FEW_ROWS.format(n=1, s="", need=10)),
    "two rows": (b"a,b\n1,x\n2,y\n", "two.csv", MSG_TOO_FEW_ROWS.format(n=2, s="s", need=10)),
    "unclosed quote": (b'a,b\n1,"open\n2,x\n' + b"3,y\n" * 10, "q.csv",
                       cio.MSG_UNCLOSED_QUOTE.format(name="q.csv", line=2)),
    "PNG named .csv": (PNG, "pic.csv", cio.MSG_WRONG_CONTENT.format(
        name="pic.csv", what="a PNG image", expected="CSV")),
    "ZIP named .csv": (_zip(), "z.csv", cio.MSG_WRONG_CONTENT.format(
        name="z.csv", what="a ZIP archive", expected="CSV")),
    "3 MB of random bytes named .csv": _random_bytes(),
    "10,000-char name": (f"a,{LONG}\n".encode() + b"1,2\n" * 12, "l.csv",
                         cio.MSG_NAME_TOO_LONG.format(position=2, length=10_000, limit=200)),
}


@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_refused_input_gives_its_message_and_loses_nothing(populated, case):
    # Setup
    store, snap = populated
    data, name, message = REFUSED[case]
    # Run
    with pytest.raises(UserInputError) as err:
        add_upload(store, data, name)
    # Assert
    assert err.value.message == message or message in err.value.problems, (
        err.value.message, err.value.problems)
    _intact(store, snap)


def test_file_over_the_size_limit(populated):
    store, snap = populated
    data = b"a,b\n" + b"1,2\n" * 400_000  # 1.5 MiB
    with pytest.raises(UserInputError) as err:
        add_upload(store, data, "big.csv", limits=Limits(max_file_mb=1))
    assert err.value.message == cio.MSG_FILE_TOO_LARGE.format(
        name="big.csv", size_mb=len(data) / 2**20, limit_mb=1)
    _intact(store, snap)


def _rows(n: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"num": rng.normal(size=n).round(3), "cat": rng.choice(["a", "b"], n)})


ACCEPTED = {
    "UTF-16": lambda: (_rows().to_csv(index=False).encode("utf-16"), "u16.csv"),
    "Latin-1": lambda: (_rows().assign(cat="café").to_csv(index=False).encode("latin-1"),
                        "l1.csv"),
    "semicolon + decimal comma": lambda: (
        _rows().to_csv(index=False, sep=";", decimal=",").encode(), "sc.csv"),
    "integer-like names": lambda: (_rows().set_axis(["1", "2"], axis=1).to_csv(index=False)
                                   .encode(), "ints.csv"),
    "all-null column": lambda: (_rows().assign(empty="").to_csv(index=False).encode(),
                                "null.csv"),
    "constant column": lambda: (_rows().assign(k="same").to_csv(index=False).encode(),
                                "const.csv"),
    "NaN, inf and -inf": lambda: (_rows().assign(
        x=["NaN", "inf", "-inf"] + ["1.5"] * 27).to_csv(index=False).encode(), "inf.csv"),
    "ID-like unique column": lambda: (_rows().assign(code=[f"C{i:05d}" for i in range(30)])
                                      .to_csv(index=False).encode(), "ids.csv"),
    "mixed types": lambda: (_rows().assign(m=["1", "two"] * 15).to_csv(index=False).encode(),
                            "mixed.csv"),
    "ragged rows": lambda: (b"a,b\n" + b"1,x\n" * 20 + b"2,y,extra\n" + b"3,z\n" * 5, "rag.csv"),
    # Once refused ("These column names appear more than once" / "have no name"); now renamed.
    "duplicate names": lambda: (b"a,b,a\n" + b"1,2,3\n" * 12, "d.csv"),
    "blank names": lambda: (b"a,,c\n" + b"1,2,3\n" * 12, "b.csv"),
    "control characters in free text": lambda: (_rows().assign(
        note=["tab\x0bbed"] + ["plain"] * 29).to_csv(index=False).encode(), "ctl.csv"),
    "census N markers": lambda: (census_csv(200), "census.csv"),
}


@pytest.mark.parametrize("case", list(ACCEPTED), ids=list(ACCEPTED))
def test_accepted_odd_input_is_stored_with_a_report_and_loses_nothing(populated, case):
    # Setup
    store, snap = populated
    data, name = ACCEPTED[case]()
    # Run
    info, created, report = add_upload(store, data, name)
    # Assert
    assert created
    assert report["rows_read"] + report["rows_rejected"] == (report["data_lines"] or
                                                              report["rows_read"])
    assert [d.id for d in list_datasets(store) if d.id != info.id] == \
        [d[0] for d in snap["datasets"]]
    pd.testing.assert_frame_equal(load_dataset(store, snap["dataset"]).rows, snap["rows"])
    pd.testing.assert_frame_equal(load_synthetic(store, snap["run"]), snap["synthetic"])
    if case == "ragged rows":
        assert report["rows_rejected"] == 1 and report["rejected"][0]["line"] == 22
    if case == "all-null column":
        assert cio.WARN_ALL_NULL.format(column="empty") in report["warnings"]
    if case == "constant column":
        assert cio.WARN_CONSTANT.format(column="k", value="same") in report["warnings"]
    if case == "duplicate names":
        assert list(load_dataset(store, info.id).rows.columns) == ["a", "b", "a_2"]
        assert report["renamed"] == [
            {"position": 3, "original": "a", "name": "a_2", "reason": "duplicate"}]
    if case == "blank names":
        assert list(load_dataset(store, info.id).rows.columns) == ["a", "column_2", "c"]
    if case == "control characters in free text":
        assert load_dataset(store, info.id).rows["note"].iloc[0] == "tab\x0bbed"
    if case == "census N markers":
        rows = load_dataset(store, info.id).rows
        assert {m["column"] for m in report["markers"]} == set(CENSUS_EXPECTED["markers"])
        assert pd.api.types.is_float_dtype(rows["PINCP"])
        assert int(rows["PINCP"].isna().sum()) == next(
            m["count"] for m in report["markers"] if m["column"] == "PINCP")
    if case == "integer-like names":
        assert list(load_dataset(store, info.id).rows.columns) == ["1", "2"]


def test_excel_with_several_sheets_reads_the_first_and_says_so(populated):
    store, snap = populated
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        _rows().to_excel(xw, sheet_name="data", index=False)
        _rows(12).to_excel(xw, sheet_name="other", index=False)
    info, _, report = add_upload(store, buf.getvalue(), "book.xlsx")
    assert report["sheet"] == "data" and list(report["sheets"]) == ["data", "other"]
    assert any(w.startswith("Read sheet 'data'; the workbook has 2 sheets")
               for w in report["warnings"]), report["warnings"]
    assert info.n_rows == 30
    _intact_except_new = [d for d in list_datasets(store) if d.id != info.id]
    assert [d.id for d in _intact_except_new] == [d[0] for d in snap["datasets"]]


def test_uploaded_synthetic_file_with_wrong_columns(populated):
    store, snap = populated
    bad = pd.DataFrame({"age": [1, 2, 3], "other": ["x", "y", "z"]}).to_csv(index=False).encode()
    with pytest.raises(UserInputError) as err:
        import_run(store, snap["dataset"], bad, "wrong.csv")
    assert err.value.message == MSG_SYNTH_MISMATCH
    assert "Column 'other' is in the synthetic file but not in the dataset. Remove or rename it." \
        in err.value.problems
    _intact(store, snap)


def test_all_identifier_table_is_stored_but_generation_says_what_to_fix(populated):
    from core.schema.model import MSG_NO_SYNTH_COLUMNS

    store, snap = populated
    data = pd.DataFrame({"id": range(40)}).to_csv(index=False).encode()
    info, _, _ = add_upload(store, data, "ids.csv")
    with pytest.raises(UserInputError) as err:
        generate(store, info.id, "gaussian_copula")
    assert err.value.problems == (MSG_NO_SYNTH_COLUMNS,)
    assert [r.id for r in list_runs(store)] == [r[0] for r in snap["runs"]]
