"""The command-line interface: the same core functions as the UI, headless.

Bad input prints one line starting with ``error:`` and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.config import DB_ENV_VAR, Limits, db_path
from core.errors import UserInputError

EXIT_USAGE = 2
MSG_NO_ROLES = "Give at least one of --target, --protected or --quasi."
CLI_USER = "cli"  # who started a job from the command line

DESCRIPTION = """\
synthreview: decide whether a synthetic copy of a sensitive table is good enough.

Add a real table (a holdout share is kept aside that no generator sees), generate synthetic rows
with an SDV generator or import a synthetic file made elsewhere, evaluate them, and export them.
Everything is stored in one DuckDB file.

metric families (python -m core evaluate RUN):
  fidelity  how closely the synthetic rows follow the real ones: column shapes, pair trends,
            3-way marginals, coverage, whether a classifier can tell them apart (detection,
            pMSE), and α-precision / β-recall on a one-class embedding.
  utility   whether a model trained on synthetic rows predicts the real holdout as well as one
            trained on real rows (TSTR vs TRTR), and ranks features alike.
  privacy   how close synthetic rows sit to training rows compared with unseen holdout rows
            (DCR, exact copies, membership inference, authenticity), Anonymeter's attack risks, and
            k-anonymity, l-diversity and CAP disclosure over the quasi-identifiers.
  fairness  whether protected groups keep their shares and outcome rates, whether bias grows,
            and whether each group is synthesised as well as the majority.
"""

EPILOG = f"""\
database: --db PATH, else ${DB_ENV_VAR}, else data/synthreview.duckdb

examples:
  python -m core datasets add sample_data/adult.csv --name Adult --target class \\
      --protected sex race age
  python -m core datasets show 1a2b3c4d5e6f
  python -m core datasets set-type 1a2b3c4d5e6f education-num categorical
  python -m core datasets set-roles 1a2b3c4d5e6f --target class --quasi age sex race
  python -m core generate 1a2b3c4d5e6f --generator ctgan --epochs 10 --rows 5000
  python -m core import 1a2b3c4d5e6f my_synthetic.csv
  python -m core runs list --json
  python -m core evaluate 9f8e7d6c5b4a --policy partner --json report.json
  python -m core compare 1a2b3c4d5e6f
  python -m core jobs list --json
  python -m core export 9f8e7d6c5b4a --format parquet -o synthetic.parquet
  python -m core datasets purge-real 1a2b3c4d5e6f --reason "retention limit" --role reviewer
  python -m core deletions --json
  python -m core review decide 9f8e7d6c5b4a age --decision approve --reviewer "Dana"
  python -m core review signoff 9f8e7d6c5b4a --decision approved --reviewer "Dana" \\
      --reason "fit for internal analytics"
  python -m core review show 9f8e7d6c5b4a --json
"""


# Each command imports what it needs inside its function: a deferred import buys start-up time
# here (`python -m core --help` or `runs list` need not load pandas, SDV and torch first).
def _open_store(args: argparse.Namespace) -> Any:
    from core.store import open_store

    return open_store(db_path(args.db))


def _table(rows: list[list[Any]], header: list[str]) -> str:
    cells = [header] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


# -- commands ------------------------------------------------------------------------------------
def cmd_datasets_add(args: argparse.Namespace) -> int:
    """`datasets add`: load a file, store it as a dataset, print its id."""
    from core.datasets import add_file, restored_note
    from core.io.report import report_notes

    store = _open_store(args)
    kwargs: dict[str, Any] = {"holdout_fraction": args.holdout, "seed": args.seed}
    if args.target is not None:
        kwargs["target"] = args.target
    if args.protected is not None:
        kwargs["protected"] = args.protected
    if args.quasi is not None:
        kwargs["quasi_identifiers"] = args.quasi
    info, created = add_file(store, args.file, name=args.name, limits=Limits.from_env(),
                             na_values=args.na or (), auto_na=not args.no_auto_na, **kwargs)
    if created:  # a table already stored keeps the report of its first load
        restored = restored_note(store, info)
        if restored:
            print(f"note: {restored}", file=sys.stderr)
        for note in report_notes(info.load_report):  # renames, then per-column markers
            print(f"note: {note}", file=sys.stderr)
        _print_picks(store, info.id, args)
    else:
        print(f"note: this table is already stored as dataset {info.id} ({info.name})",
              file=sys.stderr)
    print(info.id)
    return 0


def _print_picks(store: Any, dataset_id: str, args: argparse.Namespace) -> None:
    """Say on stderr what detection chose that the user did not give, and how to change it.

    Stdout stays the dataset id alone, for scripts.
    """
    from core.datasets import get_schema

    _, schema = get_schema(store, dataset_id)
    fix = f"python -m core datasets set-roles {dataset_id}"

    def say(text: str) -> None:
        print(text, file=sys.stderr)

    if args.target is None:
        say(f"picked target: {schema.target or '(none)'}; change with: {fix} --target COLUMN")
    if args.protected is None:
        say(f"picked protected attributes: {', '.join(schema.protected) or '(none)'}; change "
            f"with: {fix} --protected COLUMN ...")
    if args.quasi is None:
        say(f"picked quasi-identifiers: {', '.join(schema.quasi_identifiers) or '(none)'}; "
            f"change with: {fix} --quasi COLUMN ...")
    ids = [c for c in schema.columns if c.sdtype == "identifier"]
    if ids:
        say("left out as identifiers: " + "; ".join(f"{c.name} ({c.reason})" for c in ids)
            + f"; change with: python -m core datasets set-type {dataset_id} COLUMN TYPE")


def _roles_of(schema: Any, column: str) -> list[str]:
    roles = ["target"] if schema.target == column else []
    roles += ["protected"] if column in schema.protected else []
    return roles + (["quasi-identifier"] if column in schema.quasi_identifiers else [])


def cmd_datasets_show(args: argparse.Namespace) -> int:
    """`datasets show`: every column with its type, reason and roles, and the load report."""
    from core.datasets import get_dataset, get_schema

    store = _open_store(args)
    info = get_dataset(store, args.dataset)
    version, schema = get_schema(store, args.dataset)
    if args.json:
        print(json.dumps({
            "id": info.id, "name": info.name, "rows": info.n_rows,
            "holdout_rows": info.n_holdout, "schema_version": version,
            "columns": [
                {"name": c.name, "sdtype": c.sdtype, "datetime_format": c.datetime_format,
                 "reason": c.reason, "roles": _roles_of(schema, c.name)}
                for c in schema.columns
            ],
            "target": schema.target, "protected": list(schema.protected),
            "quasi_identifiers": list(schema.quasi_identifiers),
            "load_report": info.load_report,
        }, indent=2, default=str))
        return 0
    print(f"dataset {info.id}: {info.name}, {info.n_rows:,} rows ({info.n_holdout:,} held out), "
          f"schema version {version}")
    print(_table(
        [[c.name, c.sdtype + (f" ({c.datetime_format})" if c.datetime_format else ""),
          ", ".join(_roles_of(schema, c.name)), c.reason] for c in schema.columns],
        ["column", "type", "roles", "why"],
    ))
    print(f"target: {schema.target or '(none)'}")
    print(f"protected: {', '.join(schema.protected) or '(none)'}")
    print(f"quasi-identifiers: {', '.join(schema.quasi_identifiers) or '(none)'}")
    print("load report:")
    for key, value in info.load_report.items():
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        print(f"  {key}: {text}")
    return 0


def cmd_datasets_set_type(args: argparse.Namespace) -> int:
    """`datasets set-type`: change one column's type; prints the schema version."""
    from core.datasets import set_column_type

    version = set_column_type(_open_store(args), args.dataset, args.column, args.type,
                              args.format)
    print(f"schema version {version}")
    return 0


def cmd_datasets_set_roles(args: argparse.Namespace) -> int:
    """`datasets set-roles`: replace the roles given; prints the schema version."""
    from core.datasets import set_roles

    if args.target is None and args.protected is None and args.quasi is None:
        raise UserInputError(MSG_NO_ROLES)
    version = set_roles(_open_store(args), args.dataset, target=args.target,
                        protected=args.protected, quasi_identifiers=args.quasi)
    print(f"schema version {version}")
    return 0


def cmd_datasets_list(args: argparse.Namespace) -> int:
    """`datasets list`: every dataset."""
    from core.datasets import list_datasets

    items = list_datasets(_open_store(args))
    if args.json:
        print(json.dumps([
            {"id": d.id, "name": d.name, "rows": d.n_rows, "columns": d.n_columns,
             "holdout_rows": d.n_holdout, "runs": d.n_runs, "source": d.source_name,
             "created_at": d.created_at.isoformat()} for d in items
        ], indent=2))
        return 0
    print(_table(
        [[d.id, d.name, d.n_rows, d.n_columns, d.n_holdout, d.n_runs,
          d.created_at.strftime("%Y-%m-%d %H:%M")] for d in items],
        ["id", "name", "rows", "cols", "holdout", "runs", "created"],
    ))
    return 0


def _parse_params(pairs: list[str]) -> dict[str, str]:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise UserInputError(f"--param takes NAME=VALUE; got {p!r}.")
        k, v = p.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _manager(store: Any) -> Any:
    from core.jobs import JobManager

    return JobManager(store)


def _await(manager: Any, job_id: str) -> Any:
    """Wait for a job with the terminal progress bar; Ctrl-C cancels it."""
    from core.jobs.follow import follow

    return follow(manager, job_id)


def cmd_generate(args: argparse.Namespace) -> int:
    """`generate`: fit a generator on a Dask worker (a job) and store a run; print its id."""
    from core.runs import get_run

    params: dict[str, Any] = _parse_params(args.param or [])
    if args.epochs is not None:
        params["epochs"] = args.epochs
    store = _open_store(args)
    manager = _manager(store)
    job_id = manager.submit_generate(args.dataset, args.generator, n_rows=args.rows,
                                     seed=args.seed, params=params, started_by=CLI_USER)
    job = _await(manager, job_id)
    if job.result_id is None:
        print(f"error: job {job.id} {job.state}: {job.error}", file=sys.stderr)
        return 1
    run = get_run(store, job.result_id)
    if not run.is_complete:
        print(f"error: run {run.id} failed: {run.error}", file=sys.stderr)
        return 1
    print(run.id)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """`import`: check an external synthetic file on a Dask worker (a job), store it as a run."""
    path = Path(args.file)
    if not path.is_file():
        raise UserInputError(f"There is no file '{path}'. Check the path.")
    limits = Limits.from_env()
    if path.stat().st_size > limits.max_file_bytes:
        raise UserInputError(
            f"The file '{path.name}' is {path.stat().st_size / 2**20:,.1f} MiB; the limit is "
            f"{limits.max_file_mb} MiB. Use a smaller file or raise SYNTHREVIEW_MAX_FILE_MB."
        )
    store = _open_store(args)
    manager = _manager(store)
    job_id = manager.submit_import(args.dataset, path.read_bytes(), path.name, limits=limits,
                                   started_by=CLI_USER)
    job = _await(manager, job_id)
    if job.result_id is None:
        print(f"error: {job.error}", file=sys.stderr)
        return 1
    print(job.result_id)
    return 0


def cmd_runs_list(args: argparse.Namespace) -> int:
    """`runs list`: every run."""
    from core.runs import list_runs

    runs = list_runs(_open_store(args), args.dataset)
    if args.json:
        print(json.dumps([r.to_dict() for r in runs], indent=2, default=str))
        return 0
    print(_table(
        [[r.id, r.dataset_id, r.generator, r.status, r.n_rows,
          None if r.fit_seconds is None else f"{r.fit_seconds:.1f}",
          r.created_at.strftime("%Y-%m-%d %H:%M"), (r.error or "")[:60]] for r in runs],
        ["id", "dataset", "generator", "status", "rows", "fit_s", "created", "error"],
    ))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """`export`: write a run's synthetic rows as CSV or Parquet."""
    from core.export import check_exportable, export_file
    from core.runs import load_synthetic

    store = _open_store(args)
    check_exportable(store, args.run)  # a rejected run's data does not leave
    df = load_synthetic(store, args.run)
    path = export_file(df, args.format, args.output)
    print(path)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """`evaluate`: the verdict, family scores and checks of a run."""
    from core.evaluation import load_report, prepare_evaluation, stored_plan

    store = _open_store(args)
    plan = stored_plan(store, args.run, args.policy, force=args.force)
    reused = plan is not None
    if plan is not None:
        report = plan.reused
    else:  # computed on a Dask worker (a job); the report is stored by this process
        manager = _manager(store)
        manager.warm_up()  # the cluster and its workers start while the rows are read
        plan = prepare_evaluation(store, args.run, args.policy, force=args.force)
        job_id = manager.submit_evaluate(args.run, args.policy, force=args.force,
                                         started_by=CLI_USER, plan=plan)
        job = _await(manager, job_id)
        if not job.is_complete:
            print(f"error: job {job.id} {job.state}: {job.error}", file=sys.stderr)
            return 1
        report = load_report(store, job.result_id)
    print(report.verdict.summary)
    for fam, score in report.families.items():
        print(f"  {fam:<9} {'not computed' if score is None else f'{score:5.1f} / 100'}")
    for c in report.verdict.checks:
        value = "—" if c.value is None else f"{c.value:.4g}"
        print(f"  [{c.status:^12}] {c.key:<36} {value:>8}  {c.meaning}")
    for w in report.warnings:
        print(f"  warning: {w}")
    if reused:
        print("(stored report reused: same run, schema, config and library versions)")
    if args.json:
        Path(args.json).write_text(report.to_json(), encoding="utf-8")
        print(f"report written to {args.json}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """`compare`: the leaderboard of a dataset's runs."""
    from core.evaluation import compare

    rows = compare(_open_store(args), args.dataset, args.policy)
    if args.json:
        print(json.dumps([r.to_dict() for r in rows], indent=2))
        return 0
    if not rows:
        print("no complete runs for this dataset yet")
        return 0

    def f(v: float | None) -> str:
        return "—" if v is None else f"{v:.1f}"

    print(_table(
        [[i + 1, r.run_id, r.generator, r.rows, f(r.fidelity), f(r.utility), f(r.privacy),
          f(r.fairness), r.verdict] for i, r in enumerate(rows)],
        ["#", "run", "generator", "rows", "fidelity", "utility", "privacy", "fairness",
         f"verdict ({args.policy})"],
    ))
    return 0


# -- lifecycle: delete, purge, the deletions log, retention ---------------------------------------
USER_ENV_VAR, ROLE_ENV_VAR = "SYNTHREVIEW_USER", "SYNTHREVIEW_ROLE"


def _who(args: argparse.Namespace) -> dict[str, str]:
    return {"reason": args.reason, "who": args.by, "role": args.role}


def _print_deletion(entry: Any) -> None:
    what = {"dataset": "deleted dataset", "run": "deleted run",
            "purge_real": "purged the real rows of dataset"}[entry.kind]
    tables = ", ".join(f"{t} {n:,}" for t, n in sorted(entry.counts.items()))
    print(f"{what} {entry.target_id} ({entry.target_name}): {entry.real_rows:,} real rows, "
          f"{entry.synthetic_rows:,} synthetic rows (rows removed per table: {tables})")
    print(f"the database file was rewritten and its backups replaced by one fresh backup; "
          f"logged as deletion #{entry.id}")


def cmd_datasets_delete(args: argparse.Namespace) -> int:
    """`datasets delete`: a dataset and everything made from it, erased from disk."""
    from core.lifecycle import delete_dataset

    _print_deletion(delete_dataset(_open_store(args), args.dataset, **_who(args)))
    return 0


def cmd_datasets_purge_real(args: argparse.Namespace) -> int:
    """`datasets purge-real`: the real rows only; runs, reports and decisions kept."""
    from core.lifecycle import purge_real

    _print_deletion(purge_real(_open_store(args), args.dataset, force=args.force, **_who(args)))
    return 0


def cmd_runs_delete(args: argparse.Namespace) -> int:
    """`runs delete`: a run with its synthetic rows, reports and decisions, erased from disk."""
    from core.lifecycle import delete_run

    _print_deletion(delete_run(_open_store(args), args.run, **_who(args)))
    return 0


def cmd_deletions(args: argparse.Namespace) -> int:
    """`deletions`: the audit log of every delete and purge."""
    from core.lifecycle import list_deletions

    items = list_deletions(_open_store(args))
    if args.json:
        print(json.dumps([d.to_dict() for d in items], indent=2))
        return 0
    print(_table(
        [[d.id, d.created_at.strftime("%Y-%m-%d %H:%M"), d.kind, d.target_id, d.target_name,
          d.real_rows, d.synthetic_rows, f"{d.who} ({d.role})", d.reason[:50],
          "yes" if d.erased_at else "pending"] for d in items],
        ["#", "when (UTC)", "kind", "id", "name", "real", "synthetic", "who", "reason",
         "erased"],
    ))
    return 0


def _ask_owner(args: argparse.Namespace, action: str, payload: dict[str, Any],
               what: str) -> dict[str, Any]:
    """Send a request to the process that holds the database (``core.jobs.requests``)."""
    from core.jobs import requests as mailbox

    path = db_path(args.db)
    answer = mailbox.ask(path, action, payload, timeout=args.wait)
    if answer is None:
        raise UserInputError(mailbox.MSG_NO_ANSWER.format(path=path, seconds=args.wait,
                                                          what=what))
    if "error" in answer:
        raise UserInputError(str(answer["error"]))
    return answer


def _jobs_or_ask(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every job as a dict: read from the database, or asked of the process that holds it."""
    from core.errors import StoreLockedError
    from core.jobs import list_jobs

    try:
        store = _open_store(args)
    except StoreLockedError:
        return _ask_owner(args, "list", {}, "Try again, or stop that process.")["jobs"]
    return [j.to_dict() for j in list_jobs(store)]


def cmd_jobs_list(args: argparse.Namespace) -> int:
    """`jobs list`: every job with its state, progress, worker and timings."""
    jobs = _jobs_or_ask(args)
    if args.json:
        print(json.dumps(jobs, indent=2, default=str))
        return 0

    def when(t: Any) -> str:
        return "" if not t else str(t)[:19].replace("T", " ")

    print(_table(
        [[j["id"], j["kind"], j["state"], f"{j['progress']:.0%}", j["started_by"], j["worker"],
          when(j["created_at"]), when(j["started_at"]), when(j["finished_at"]), j["result_id"],
          (j["error"] or j["message"] or "")[:60]]
         for j in jobs],
        ["id", "kind", "state", "progress", "by", "worker", "created", "started", "finished",
         "result", "message"],
    ))
    return 0


def cmd_retention_run(args: argparse.Namespace) -> int:
    """`retention run`: purge real rows signed off longer ago than the retention limit."""
    from core.lifecycle import retention_days, run_retention

    days = args.days if args.days is not None else retention_days()
    if days is None:
        print("retention is off: set SYNTHREVIEW_RETENTION_DAYS=N or pass --days N")
        return 0
    done = run_retention(_open_store(args), days=days)
    for entry in done:
        _print_deletion(entry)
    if not done:
        print(f"nothing to purge: no dataset was signed off more than {days} day(s) ago")
    return 0


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (some containers): --by is then needed
        return ""


def _add_who(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reason", required=True, help="why (recorded in the deletions log)")
    p.add_argument("--by", default=os.environ.get(USER_ENV_VAR) or _login(),
                   metavar="NAME", help=f"who asks (default: ${USER_ENV_VAR} or your login)")
    p.add_argument("--role", default=os.environ.get(ROLE_ENV_VAR, "viewer"),
                   help=f"your role; only 'reviewer' may delete (default: ${ROLE_ENV_VAR} or "
                   "viewer)")


def add_lifecycle_parsers(
    sub: argparse._SubParsersAction, ds_sub: argparse._SubParsersAction,
    runs_sub: argparse._SubParsersAction,
) -> None:
    """The delete, purge, deletions and retention commands."""
    dd = ds_sub.add_parser("delete", help="delete a dataset, its runs, reports and decisions, "
                           "and erase them from the file and its backups")
    dd.add_argument("dataset", help="dataset id")
    _add_who(dd)
    dd.set_defaults(func=cmd_datasets_delete)
    dp = ds_sub.add_parser("purge-real", help="remove a signed-off dataset's real and holdout "
                           "rows; keep its runs, reports, decisions and sign-off")
    dp.add_argument("dataset", help="dataset id")
    dp.add_argument("--force", action="store_true",
                    help="purge although no run is signed off as approved (logged as forced)")
    _add_who(dp)
    dp.set_defaults(func=cmd_datasets_purge_real)
    rd = runs_sub.add_parser("delete", help="delete a run, its synthetic rows, reports and "
                             "decisions, and erase them from the file and its backups")
    rd.add_argument("run", help="run id")
    _add_who(rd)
    rd.set_defaults(func=cmd_runs_delete)
    dl = sub.add_parser("deletions", help="the log of every delete and purge (who, when, why, "
                        "rows removed; never the data)")
    dl.add_argument("--json", action="store_true", help="print JSON")
    dl.set_defaults(func=cmd_deletions)
    ret = sub.add_parser("retention", help="purge real rows N days after sign-off")
    ret_sub = ret.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rr = ret_sub.add_parser("run", help="purge what is due under SYNTHREVIEW_RETENTION_DAYS")
    rr.add_argument("--days", type=int, help="the limit in days (default: "
                    "$SYNTHREVIEW_RETENTION_DAYS)")
    rr.set_defaults(func=cmd_retention_run)


def cmd_jobs_cancel(args: argparse.Namespace) -> int:
    """`jobs cancel`: cancel a queued or running job (asking the app when it holds the file)."""
    from core.errors import StoreLockedError

    try:
        store = _open_store(args)
    except StoreLockedError:
        job = _ask_owner(args, "cancel", {"job": args.job, "who": CLI_USER},
                         f"Job '{args.job}' may still be running; check with: "
                         "python -m core jobs list")["job"]
        print(f"job {job['id']} {job['state']}")
        return 0
    job = _manager(store).cancel(args.job, CLI_USER)
    print(f"job {job.id} {job.state}")
    return 0


# -- review: the same core functions and rules as the Review page --------------------------------
MSG_NOT_EVALUATED = (
    "Run '{run}' has not been evaluated, so there is nothing to review. Evaluate it first: "
    "python -m core evaluate {run}"
)


def _review_report(store: Any, run_id: str) -> Any:
    from core.evaluation import stored_report
    from core.runs import get_run

    get_run(store, run_id)  # an unknown run: "There is no run ..."
    report = stored_report(store, run_id)
    if report is None:
        raise UserInputError(MSG_NOT_EVALUATED.format(run=run_id))
    return report


def cmd_review_decide(args: argparse.Namespace) -> int:
    """`review decide`: record one decision on a column (or pair) of a run."""
    from core.review import current_decisions, evidence_for, record_decision

    store = _open_store(args)
    report = _review_report(store, args.run)
    seen = current_decisions(store, args.run, kind=args.kind).get(args.target)
    d = record_decision(
        store, args.run, args.target, args.decision, args.comment or "", args.reviewer,
        role=args.role, kind=args.kind, seen_id=None if seen is None else seen.id,
        evidence=evidence_for(report, args.target, kind=args.kind),
    )
    print(f"decision {d.id}: {d.decision} on {d.kind} '{d.target}' by {d.reviewer}")
    return 0


def cmd_review_signoff(args: argparse.Namespace) -> int:
    """`review signoff`: approve or reject a run whose columns are all decided."""
    from core.review import sign_off

    store = _open_store(args)
    report = _review_report(store, args.run)
    so = sign_off(store, args.run, args.decision, args.reason, args.reviewer, role=args.role,
                  columns=list(report.schema.synth_columns), override=args.override)
    print(f"run {args.run} signed off as {so.label} by {so.reviewer}")
    return 0


def review_summary(store: Any, run_id: str) -> dict[str, Any]:
    """The run's verdict, review progress, current decisions and sign-off, JSON-ready."""
    from core.review import current_decisions, current_signoff, progress, signoff_needs

    report = _review_report(store, run_id)
    columns = list(report.schema.synth_columns)
    done, total = progress(store, run_id, columns)
    decisions = [
        {"kind": d.kind, "target": d.target, "decision": d.decision, "reviewer": d.reviewer,
         "role": d.role, "created_at": d.created_at.isoformat(), "comment": d.comment}
        for kind in ("column", "pair", "row")
        for d in current_decisions(store, run_id, kind=kind).values()
    ]
    so = current_signoff(store, run_id)
    return {
        "run_id": run_id, "verdict": report.verdict.outcome, "policy": report.policy,
        "columns_decided": done, "columns": total, "decisions": decisions,
        "undecided": [c for c in columns
                      if c not in {d["target"] for d in decisions if d["kind"] == "column"}],
        "approval_needs_override": signoff_needs(store, run_id),
        "signoff": None if so is None else {
            "decision": so.decision, "reason": so.reason, "reviewer": so.reviewer,
            "role": so.role, "created_at": so.created_at.isoformat(), "override": so.override,
            "label": so.label},
    }


def cmd_review_show(args: argparse.Namespace) -> int:
    """`review show`: the run's verdict, review progress, decisions and sign-off."""
    from core.review import DECISION_WORDS

    summary = review_summary(_open_store(args), args.run)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"run {args.run}: verdict {summary['verdict'].upper()} under policy "
          f"'{summary['policy']}'; {summary['columns_decided']} of {summary['columns']} columns "
          "reviewed")
    print(_table(
        [[d["kind"], d["target"], DECISION_WORDS[d["decision"]], d["reviewer"],
          d["created_at"][:16].replace("T", " "), d["comment"]] for d in summary["decisions"]],
        ["kind", "target", "decision", "reviewer", "when (UTC)", "comment"],
    ))
    so = summary["signoff"]
    print("sign-off: not yet" if so is None else
          f"sign-off: {so['label']} by {so['reviewer']}: {so['reason']}")
    return 0


def _add_review_parser(sub: Any) -> None:
    from core.review import CAN_DECIDE, DECISIONS, KINDS, SIGNOFFS

    rv = sub.add_parser("review", help="decide columns, sign off a run, show its review")
    rv_sub = rv.add_subparsers(dest="action", required=True, parser_class=_Parser)
    de = rv_sub.add_parser("decide", help="record a decision on a column (or a pair 'a × b')")
    de.add_argument("run", help="run id")
    de.add_argument("target", help="column name, or 'a × b' with --kind pair")
    de.add_argument("--decision", required=True, choices=DECISIONS)
    de.add_argument("--reviewer", required=True, metavar="NAME", help="who decides")
    de.add_argument("--comment", help="why (required to reject)")
    de.add_argument("--kind", choices=[k for k in KINDS if k != "row"], default="column")
    de.add_argument("--role", choices=CAN_DECIDE, default="reviewer")
    de.set_defaults(func=cmd_review_decide)
    so = rv_sub.add_parser("signoff", help="approve or reject the run once every column is "
                           "decided")
    so.add_argument("run", help="run id")
    so.add_argument("--decision", required=True, choices=SIGNOFFS)
    so.add_argument("--reviewer", required=True, metavar="NAME", help="who signs off")
    so.add_argument("--reason", required=True, help="why it is approved or rejected")
    so.add_argument("--override", metavar="WHY",
                    help="required to approve a run whose verdict is FAIL or that has a "
                    "rejected column: why you approve it anyway")
    so.add_argument("--role", default="reviewer", help=argparse.SUPPRESS)
    so.set_defaults(func=cmd_review_signoff)
    sh = rv_sub.add_parser("show", help="verdict, progress, decisions and sign-off of a run")
    sh.add_argument("run", help="run id")
    sh.add_argument("--json", action="store_true", help="print JSON")
    sh.set_defaults(func=cmd_review_show)


# -- parser --------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage too)
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of ``python -m core``."""
    from core.generators.registry import BUILTIN

    gens = ", ".join(g.key for g in BUILTIN if not getattr(g, "imports", False))
    p = _Parser(prog="python -m core", description=DESCRIPTION, epilog=EPILOG,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", metavar="PATH", help=f"DuckDB file (default: ${DB_ENV_VAR} or "
                   "data/synthreview.duckdb)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ds = sub.add_parser("datasets", help="add, list, show, delete or purge real tables; set types "
                        "and roles")
    ds_sub = ds.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = ds_sub.add_parser("add", help="load a CSV, Parquet or Excel file as a dataset; prints "
                            "its id")
    add.add_argument("file", help="CSV (any common encoding/delimiter), .parquet or .xlsx")
    add.add_argument("--name", help="display name (default: the file name)")
    add.add_argument("--target", help="column to predict for utility and fairness ('' for none)")
    add.add_argument("--protected", nargs="*", metavar="COL",
                     help="protected attributes for fairness (default: suggested from names)")
    add.add_argument("--quasi", nargs="*", metavar="COL",
                     help="quasi-identifiers for privacy (default: suggested from names)")
    add.add_argument("--holdout", type=float, default=0.2,
                     help="share of rows held out from the generators (default 0.2)")
    add.add_argument("--seed", type=int, default=0, help="seed of the holdout split")
    add.add_argument("--na", action="append", metavar="TOKEN",
                     help="also read TOKEN as missing in every column (repeatable), e.g. --na N")
    add.add_argument("--no-auto-na", action="store_true",
                     help="do not detect each column's own missing-value markers (such as 'N' "
                     "among numbers)")
    add.set_defaults(func=cmd_datasets_add)
    dl = ds_sub.add_parser("list", help="list datasets")
    dl.add_argument("--json", action="store_true", help="print JSON")
    dl.set_defaults(func=cmd_datasets_list)
    from core.schema import SDTYPES

    show = ds_sub.add_parser("show", help="every column with its type, why, and roles; the load "
                             "report")
    show.add_argument("dataset", help="dataset id")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(func=cmd_datasets_show)
    st_ = ds_sub.add_parser("set-type", help="change a column's type (a new schema version)")
    st_.add_argument("dataset", help="dataset id")
    st_.add_argument("column", help="column name")
    st_.add_argument("type", metavar="TYPE", help=f"one of: {', '.join(SDTYPES)}")
    st_.add_argument("--format", help="strftime format of a datetime column, e.g. %%Y-%%m-%%d")
    st_.set_defaults(func=cmd_datasets_set_type)
    sr = ds_sub.add_parser("set-roles", help="change the target, protected attributes or "
                           "quasi-identifiers (a new schema version); roles not given are kept")
    sr.add_argument("dataset", help="dataset id")
    sr.add_argument("--target", help="column to predict ('' for none)")
    sr.add_argument("--protected", nargs="*", metavar="COL",
                    help="protected attributes (none after the flag clears them)")
    sr.add_argument("--quasi", nargs="*", metavar="COL",
                    help="quasi-identifiers (none after the flag clears them)")
    sr.set_defaults(func=cmd_datasets_set_roles)

    gen = sub.add_parser("generate", help="fit a generator and store synthetic rows; prints the "
                         "run id")
    gen.add_argument("dataset", help="dataset id")
    gen.add_argument("--generator", required=True, metavar="NAME", help=f"one of: {gens}")
    gen.add_argument("--rows", type=int, help="rows to generate (default: as many as training)")
    gen.add_argument("--seed", type=int, default=0, help="seed of the fit and sample")
    gen.add_argument("--epochs", type=int, help="training epochs (ctgan, tvae, copulagan)")
    gen.add_argument("--param", action="append", metavar="NAME=VALUE",
                     help="any other generator parameter, e.g. --param batch_size=200")
    gen.set_defaults(func=cmd_generate)

    imp = sub.add_parser("import", help="import a synthetic file made elsewhere; prints the run id")
    imp.add_argument("dataset", help="dataset id whose schema the file must match")
    imp.add_argument("file", help="CSV, .parquet or .xlsx with the dataset's columns")
    imp.set_defaults(func=cmd_import)

    runs = sub.add_parser("runs", help="list or delete runs")
    runs_sub = runs.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rl = runs_sub.add_parser("list", help="list runs, newest first")
    rl.add_argument("--dataset", help="only runs of this dataset")
    rl.add_argument("--json", action="store_true", help="print JSON")
    rl.set_defaults(func=cmd_runs_list)

    from core.gate import DEFAULT_POLICY, load_policies

    policies = ", ".join(load_policies())
    ev = sub.add_parser("evaluate", help="evaluate a run: verdict, family scores, every metric",
                        description=DESCRIPTION.split("metric families")[1].join(
                            ["metric families", ""]),
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("run", help="run id")
    ev.add_argument("--policy", default=DEFAULT_POLICY, help=f"gate policy: {policies}")
    ev.add_argument("--json", metavar="FILE", help="write the full report as JSON")
    ev.add_argument("--force", action="store_true", help="recompute even if a report is stored")
    ev.set_defaults(func=cmd_evaluate)

    cmp_ = sub.add_parser("compare", help="leaderboard of every run of a dataset")
    cmp_.add_argument("dataset", help="dataset id")
    cmp_.add_argument("--policy", default=DEFAULT_POLICY, help=f"gate policy: {policies}")
    cmp_.add_argument("--json", action="store_true", help="print JSON")
    cmp_.set_defaults(func=cmd_compare)

    jobs = sub.add_parser("jobs", help="list or cancel jobs (fits, evaluations, the Demo build)")
    jobs_sub = jobs.add_subparsers(dest="action", required=True, parser_class=_Parser)
    jl = jobs_sub.add_parser("list", help="list jobs: state, progress, worker, timings")
    jl.add_argument("--json", action="store_true", help="print JSON")
    jl.set_defaults(func=cmd_jobs_list)
    jc = jobs_sub.add_parser("cancel", help="cancel a queued or running job (also one of a "
                             "running app: the app is asked, as it holds the database)")
    jc.add_argument("job", help="job id")
    for jp in (jl, jc):
        jp.add_argument("--wait", type=float, default=30.0, metavar="S",
                       help="seconds to wait for the app's answer when it holds the database "
                            "(default 30)")
    jc.set_defaults(func=cmd_jobs_cancel)

    ex = sub.add_parser("export", help="write a run's synthetic rows (spreadsheet formulas "
                        "neutralised)")
    ex.add_argument("run", help="run id")
    ex.add_argument("--format", choices=("csv", "parquet"), default="csv")
    ex.add_argument("-o", "--output", required=True, metavar="FILE")
    ex.set_defaults(func=cmd_export)

    add_lifecycle_parsers(sub, ds_sub, runs_sub)
    _add_review_parser(sub)
    from core.cli_audit import add_audit_parser  # its own module (cli.py is large)

    add_audit_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UserInputError as exc:
        text = exc.message
        if exc.problems:
            text += " " + " ".join(exc.problems)
        print("error: " + " ".join(text.split()), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
