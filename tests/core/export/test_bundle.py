"""A stored run's bundle: provenance, report JSON, data and HTML, from a real DuckDB file."""

import io
import json
import zipfile

import pandas as pd
import pyarrow.parquet as pq
import pytest

from core import review as rv
from core.datasets import SAMPLE_NAME, add_dataset
from core.errors import UserInputError
from core.export import (
    ADULT_ATTRIBUTION,
    MSG_BAD_FORMAT,
    MSG_EXPORT_REJECTED,
    check_exportable,
    data_bytes,
    html_bytes,
    provenance,
    report_json_bytes,
)
from core.metrics.value import MetricValue
from core.runs import import_run
from tests.core.figures.helpers import make_report

FORMULA = "=HYPERLINK(\"http://x\")"


@pytest.fixture()
def reviewed(store, small_dataset, adult_small):
    """An imported 20-row run with a column and a pair decision, signed off."""
    synthetic = adult_small.head(20).copy()
    synthetic.loc[0, "native-country"] = FORMULA
    run = import_run(store, small_dataset.id, synthetic.to_csv(index=False).encode(), "s.csv")
    rv.record_decision(store, run.id, "age", "approve", "", "Ada")
    rv.record_decision(store, run.id, "age × sex", "reject", "too flat", "Bob", role="analyst",
                       kind="pair")
    rv.sign_off(store, run.id, "approved", "fit for release", "Ada", columns=["age"])
    report = make_report([
        MetricValue("fidelity.column_shapes", "fidelity", ("age",), value=0.9, score=0.9),
        MetricValue("fidelity.column_shapes", "fidelity", (), value=0.9, score=0.9),
    ], schema={"columns": [{"name": "age", "sdtype": "numerical"}], "target": None,
               "protected": [], "quasi_identifiers": []})
    return run, report


def test_provenance_holds_the_run_the_verdict_and_the_current_review(store, small_dataset,
                                                                    reviewed):
    # Setup
    run, report = reviewed
    # Run
    prov = provenance(store, run.id, report)
    # Assert
    assert prov["dataset"] == {"id": small_dataset.id, "name": "Adult small",
                               "rows": small_dataset.n_rows}
    assert (prov["run"]["id"], prov["run"]["generator"], prov["run"]["rows"]) == (
        run.id, "uploaded", 20)
    assert (prov["verdict"], prov["policy"]) == (report.verdict.outcome, "internal")
    assert prov["families"] == report.families
    assert [(d["kind"], d["target"], d["decision"], d["reviewer"], d["comment"])
            for d in prov["decisions"]] == [("column", "age", "approve", "Ada", ""),
                                            ("pair", "age × sex", "reject", "Bob", "too flat")]
    assert {k: prov["signoff"][k] for k in ("decision", "reason", "reviewer", "role")} == {
        "decision": "approved", "reason": "fit for release", "reviewer": "Ada",
        "role": "reviewer"}
    assert prov["attribution"] is None


def test_the_adult_sample_carries_its_attribution(store, adult_small):
    # Setup
    info, _ = add_dataset(store, adult_small, {}, name=SAMPLE_NAME, source_name="adult.csv",
                          target="class", protected=["sex"], quasi_identifiers=["age"])
    run = import_run(store, info.id, adult_small.head(5).to_csv(index=False).encode(), "s.csv")
    # Run
    prov = provenance(store, run.id, make_report([]))
    # Assert
    assert prov["attribution"] == ADULT_ATTRIBUTION
    assert prov["decisions"] == [] and prov["signoff"] is None


def test_report_json_carries_the_review(store, reviewed):
    # Setup
    run, report = reviewed
    prov = provenance(store, run.id, report)
    # Run
    back = json.loads(report_json_bytes(report, prov))
    # Assert
    assert back["review"]["decisions"] == prov["decisions"]
    assert back["review"]["signoff"] == prov["signoff"]
    assert back["run"]["id"] == run.id and back["dataset"]["name"] == "Adult small"


def test_csv_data_is_a_zip_of_neutralised_rows_and_the_provenance(store, reviewed):
    # Setup
    run, report = reviewed
    prov = provenance(store, run.id, report)
    # Run
    data, name = data_bytes(store, run.id, "csv", prov)
    # Assert
    assert name == f"synthetic-{run.id}.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert sorted(z.namelist()) == ["provenance.json", "synthetic.csv"]
        rows = pd.read_csv(io.BytesIO(z.read("synthetic.csv")))
        assert json.loads(z.read("provenance.json")) == json.loads(json.dumps(prov, default=str))
    assert len(rows) == 20
    assert rows.loc[0, "native-country"] == "'" + FORMULA


def test_parquet_data_keeps_the_provenance_in_its_metadata(store, reviewed):
    # Setup
    run, report = reviewed
    prov = provenance(store, run.id, report)
    # Run
    data, name = data_bytes(store, run.id, "parquet", prov)
    # Assert
    table = pq.read_table(io.BytesIO(data))
    assert name == f"synthetic-{run.id}.parquet"
    assert table.num_rows == 20
    assert table.column("native-country")[0].as_py() == "'" + FORMULA
    assert json.loads(table.schema.metadata[b"synthreview"]) == json.loads(
        json.dumps(prov, default=str))


def test_an_unknown_data_format_is_refused(store, reviewed):
    # Setup
    run, report = reviewed
    # Run
    with pytest.raises(UserInputError) as err:
        data_bytes(store, run.id, "xlsx", provenance(store, run.id, report))
    # Assert
    assert err.value.message == MSG_BAD_FORMAT.format(valid="csv, parquet", value="xlsx")


def test_html_names_the_run_and_shows_its_review(store, reviewed):
    # Setup
    run, report = reviewed
    prov = provenance(store, run.id, report)
    # Run
    text = html_bytes(store, run.id, report, prov).decode("utf-8")
    # Assert
    assert f"<title>Adult small · uploaded run {run.id}</title>" in text
    assert "<b>Sign-off:</b> approved — by Ada (reviewer) at " in text
    assert "<td>age × sex</td>" in text and "<td>too flat</td>" in text
    assert "<td>rejected</td>" in text  # decisions in words
    assert "<td>generator</td><td>uploaded</td>" in text
    assert "<td>schema version</td><td>1</td>" in text
    assert "<td>quasi-identifiers (privacy)</td><td>none</td>" in text


def test_a_rejected_run_exports_no_data_and_says_why(store, reviewed):
    # Setup
    run, report = reviewed
    rv.sign_off(store, run.id, "rejected", "age is implausible", "Ada", columns=["age"])
    prov = provenance(store, run.id, report)
    # Run
    errors = []
    for fmt in ("csv", "parquet"):
        with pytest.raises(UserInputError) as err:
            data_bytes(store, run.id, fmt, prov)
        errors.append(err.value.message)
    with pytest.raises(UserInputError) as checked:
        check_exportable(store, run.id)
    # Assert: the reports stay available, the data does not leave
    when = rv.current_signoff(store, run.id).created_at.strftime("%Y-%m-%d %H:%M")
    expected = MSG_EXPORT_REJECTED.format(run=run.id, reviewer="Ada", when=when,
                                          reason="age is implausible")
    assert errors == [expected, expected] and checked.value.message == expected
    assert expected == (
        f"The synthetic data of run '{run.id}' cannot be exported: it was signed off as rejected "
        f"by Ada at {when} UTC (age is implausible). A new sign-off that approves it opens the "
        "exports.")
    assert html_bytes(store, run.id, report, prov) and report_json_bytes(report, prov)


def test_an_override_travels_with_the_provenance_and_the_report_json(store, small_dataset,
                                                                    adult_small):
    # Setup: a rejected column makes the approval an override
    run = import_run(store, small_dataset.id, adult_small.head(5).to_csv(index=False).encode(),
                     "s.csv")
    rv.record_decision(store, run.id, "age", "reject", "tail", "Ada")
    rv.sign_off(store, run.id, "approved", "pilot", "Ada", columns=["age"],
                override="the age tail does not matter for the pilot")
    report = make_report([])
    # Run
    prov = provenance(store, run.id, report)
    back = json.loads(report_json_bytes(report, prov))
    # Assert
    assert back["review"]["signoff"]["override"] == "the age tail does not matter for the pilot"
    assert back["review"]["signoff"]["label"] == (
        "approved with override: the age tail does not matter for the pilot")
    check_exportable(store, run.id)  # an approval with override opens the exports
