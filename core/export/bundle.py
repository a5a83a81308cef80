"""What leaves synthreview for a run: HTML report, report JSON and synthetic data.

Each carries the verdict, the review decisions and the sign-off (with any override). The
synthetic data of a run whose sign-off is "rejected" does not leave: its exports are refused
with the reviewer's reason; the reports stay available as the record of why.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from core.datasets import SAMPLE_NAME, get_dataset
from core.errors import UserInputError
from core.export.data import FORMATS, MSG_BAD_FORMAT, neutralize_formulas
from core.export.html_report import render_html
from core.export.readable import seconds, when, words
from core.report import Report
from core.review import current_decisions, current_signoff
from core.runs import get_run, load_synthetic
from core.store import Store

MSG_EXPORT_REJECTED = (
    "The synthetic data of run '{run}' cannot be exported: it was signed off as rejected by "
    "{reviewer} at {when} UTC ({reason}). A new sign-off that approves it opens the exports."
)

ADULT_ATTRIBUTION = (
    "Adult (Census Income): Becker, B. & Kohavi, R. (1996), UCI Machine Learning Repository, "
    "https://doi.org/10.24432/C5XW20, licensed CC BY 4.0. Synthetic data derived from it keeps "
    "this attribution."
)


def provenance(store: Store, run_id: str, report: Report) -> dict[str, Any]:
    """The run's facts, verdict, family scores, current review decisions and sign-off."""
    run = get_run(store, run_id)
    ds = get_dataset(store, run.dataset_id)
    decisions = []
    for kind in ("column", "pair", "row"):
        for d in current_decisions(store, run_id, kind=kind).values():
            decisions.append({"kind": d.kind, "target": d.target, "decision": d.decision,
                              "reviewer": d.reviewer, "role": d.role,
                              "created_at": d.created_at.isoformat(), "comment": d.comment})
    so = current_signoff(store, run_id)
    return {
        "dataset": {"id": ds.id, "name": ds.name, "rows": ds.n_rows},
        "run": {"id": run.id, "generator": run.generator, "params": run.params, "seed": run.seed,
                "rows": run.n_rows, "fit_seconds": run.fit_seconds,
                "created_at": run.created_at.isoformat(), "versions": run.versions},
        "verdict": report.verdict.outcome, "policy": report.policy,
        "families": report.families, "decisions": decisions,
        "schema_version": run.schema_version,
        "signoff": None if so is None else {
            "decision": so.decision, "reason": so.reason, "reviewer": so.reviewer,
            "role": so.role, "created_at": so.created_at.isoformat(),
            "override": so.override, "label": so.label},
        "attribution": ADULT_ATTRIBUTION if ds.name == SAMPLE_NAME else None,
    }


def export_refusal(prov: dict[str, Any]) -> str | None:
    """Why the run's synthetic data may not be exported (its sign-off is rejected), or None."""
    so = prov["signoff"]
    if so is None or so["decision"] != "rejected":
        return None
    return MSG_EXPORT_REJECTED.format(
        run=prov["run"]["id"], reviewer=so["reviewer"], when=so["created_at"][:16].replace(
            "T", " "), reason=so["reason"])


def check_exportable(store: Store, run_id: str) -> None:
    """Refuse the export of a run whose current sign-off is "rejected".

    Raises:
        UserInputError: :data:`MSG_EXPORT_REJECTED` with who rejected it, when and why.
    """
    so = current_signoff(store, run_id)
    if so is not None and so.decision == "rejected":
        raise UserInputError(MSG_EXPORT_REJECTED.format(
            run=run_id, reviewer=so.reviewer, when=f"{so.created_at:%Y-%m-%d %H:%M}",
            reason=so.reason))


def report_json_bytes(report: Report, prov: dict[str, Any]) -> bytes:
    """The report JSON with the provenance (decisions, sign-off) under ``review``."""
    d = report.to_dict()
    d["review"] = {"decisions": prov["decisions"], "signoff": prov["signoff"]}
    d["run"] = prov["run"]
    d["dataset"] = prov["dataset"]
    return json.dumps(d, indent=1, sort_keys=True, default=str).encode("utf-8")


def data_bytes(store: Store, run_id: str, fmt: str, prov: dict[str, Any]) -> tuple[bytes, str]:
    """The synthetic rows with provenance, and a file name.

    CSV: a ZIP holding ``synthetic.csv`` (formulas neutralised) and ``provenance.json``.
    Parquet: one file whose key-value metadata ``synthreview`` holds the provenance.

    Raises:
        UserInputError: An unknown format, or the run's sign-off is "rejected".
    """
    if (refusal := export_refusal(prov)) is not None:
        raise UserInputError(refusal)
    if fmt not in FORMATS:
        raise UserInputError(MSG_BAD_FORMAT.format(valid=", ".join(FORMATS), value=fmt))
    df = neutralize_formulas(load_synthetic(store, run_id))
    meta = json.dumps(prov, sort_keys=True, default=str)
    if fmt == "parquet":
        table = pa.Table.from_pandas(df, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"synthreview": meta.encode("utf-8")})
        buf = io.BytesIO()
        pq.write_table(table, buf)
        return buf.getvalue(), f"synthetic-{run_id}.parquet"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("synthetic.csv", df.to_csv(index=False, lineterminator="\r\n"))
        z.writestr("provenance.json", json.dumps(prov, indent=1, sort_keys=True, default=str))
    return buf.getvalue(), f"synthetic-{run_id}.zip"


def html_bytes(store: Store, run_id: str, report: Report, prov: dict[str, Any]) -> bytes:
    """The self-contained HTML report, with every value in words a board reads."""
    run = prov["run"]
    schema = report.schema
    params = ", ".join(f"{k} = {v}" for k, v in sorted(run["params"].items())) or "defaults"
    facts = {
        "dataset": prov["dataset"]["name"], "run": run["id"], "generator": run["generator"],
        "parameters": params, "seed": run["seed"], "synthetic rows": run["rows"],
        "fit time": seconds(run["fit_seconds"]), "created": when(run["created_at"]),
        "schema version": prov.get("schema_version"),
        "target (utility, fairness)": schema.target or "none",
        "protected attributes (fairness)": ", ".join(schema.protected) or "none",
        "quasi-identifiers (privacy)": ", ".join(schema.quasi_identifiers) or "none",
        "policy": report.policy,
    }
    decisions = [
        {"target": d["target"], "kind": d["kind"], "decision": words(d["decision"]),
         "reviewer": d["reviewer"], "role": d["role"], "when": when(d["created_at"]),
         "comment": d["comment"]}
        for d in prov["decisions"]
    ]
    text = render_html(
        report, title=f"{prov['dataset']['name']} · {run['generator']} run {run['id']}",
        facts=facts, decisions=decisions, signoff=prov["signoff"],
        attribution=prov["attribution"],
    )
    return text.encode("utf-8")
