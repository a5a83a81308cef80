"""The command-line interface: the same core functions as the UI, headless.

Bad input prints one line starting with ``error:`` and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from core.config import DB_ENV_VAR, Limits, db_path
from core.errors import UserInputError

EXIT_USAGE = 2

DESCRIPTION = """\
synthreview: decide whether a synthetic copy of a sensitive table is good enough.

Add a real table (a holdout share is kept aside that no generator sees), generate synthetic rows
with an SDV generator or import a synthetic file made elsewhere, evaluate them, and export them.
Everything is stored in one DuckDB file.

metric families (python -m core evaluate RUN):
  fidelity  how closely the synthetic rows follow the real ones: column shapes, pair trends,
            3-way marginals, coverage, and whether a classifier can tell them apart.
  utility   whether a model trained on synthetic rows predicts the real holdout as well as one
            trained on real rows (TSTR vs TRTR), and ranks features alike.
  privacy   how close synthetic rows sit to training rows compared with unseen holdout rows
            (DCR, exact copies, membership inference) and Anonymeter's attack risks.
  fairness  whether protected groups keep their shares and outcome rates, whether bias grows,
            and whether each group is synthesised as well as the majority.
"""

EPILOG = f"""\
database: --db PATH, else ${DB_ENV_VAR}, else data/synthreview.duckdb

examples:
  python -m core datasets add sample_data/adult.csv --name Adult --target class \\
      --protected sex race age
  python -m core generate 1a2b3c4d5e6f --generator ctgan --epochs 10 --rows 5000
  python -m core import 1a2b3c4d5e6f my_synthetic.csv
  python -m core runs list --json
  python -m core evaluate 9f8e7d6c5b4a --policy partner --json report.json
  python -m core compare 1a2b3c4d5e6f
  python -m core export 9f8e7d6c5b4a --format parquet -o synthetic.parquet
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


def _terminal_progress(enabled: bool) -> Callable[[float, str], None] | None:
    if not enabled:
        return None
    last = {"text": ""}

    def show(fraction: float, message: str) -> None:
        width = 30
        done = int(width * fraction)
        text = f"\r[{'#' * done}{'.' * (width - done)}] {fraction:4.0%} {message}"
        if text != last["text"]:
            sys.stderr.write(text.ljust(70))
            sys.stderr.flush()
            last["text"] = text
        if fraction >= 1.0:
            sys.stderr.write("\n")

    return show


def _table(rows: list[list[Any]], header: list[str]) -> str:
    cells = [header] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


# -- commands ------------------------------------------------------------------------------------
def cmd_datasets_add(args: argparse.Namespace) -> int:
    """`datasets add`: load a file, store it as a dataset, print its id."""
    from core.datasets import add_file

    store = _open_store(args)
    kwargs: dict[str, Any] = {"holdout_fraction": args.holdout, "seed": args.seed}
    if args.target is not None:
        kwargs["target"] = args.target
    if args.protected is not None:
        kwargs["protected"] = args.protected
    if args.quasi is not None:
        kwargs["quasi_identifiers"] = args.quasi
    info, created = add_file(store, args.file, name=args.name, limits=Limits.from_env(), **kwargs)
    if not created:
        print(f"note: this table is already stored as dataset {info.id} ({info.name})",
              file=sys.stderr)
    print(info.id)
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


def cmd_generate(args: argparse.Namespace) -> int:
    """`generate`: fit a generator and store a run; print its id."""
    from core.runs import generate

    params: dict[str, Any] = _parse_params(args.param or [])
    if args.epochs is not None:
        params["epochs"] = args.epochs
    store = _open_store(args)
    run = generate(
        store, args.dataset, args.generator, n_rows=args.rows, seed=args.seed, params=params,
        progress=_terminal_progress(sys.stderr.isatty()),
    )
    if not run.is_complete:
        print(f"error: run {run.id} failed: {run.error}", file=sys.stderr)
        return 1
    print(run.id)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """`import`: store an external synthetic file as a run; print its id."""
    from core.runs import import_run

    path = Path(args.file)
    if not path.is_file():
        raise UserInputError(f"There is no file '{path}'. Check the path.")
    limits = Limits.from_env()
    if path.stat().st_size > limits.max_file_bytes:
        raise UserInputError(
            f"The file '{path.name}' is {path.stat().st_size / 2**20:,.1f} MiB; the limit is "
            f"{limits.max_file_mb} MiB. Use a smaller file or raise SYNTHREVIEW_MAX_FILE_MB."
        )
    run = import_run(_open_store(args), args.dataset, path.read_bytes(), path.name, limits)
    print(run.id)
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
    from core.evaluation import evaluate_run

    report, reused = evaluate_run(_open_store(args), args.run, args.policy, force=args.force)
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

    ds = sub.add_parser("datasets", help="add or list real tables")
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
    add.set_defaults(func=cmd_datasets_add)
    dl = ds_sub.add_parser("list", help="list datasets")
    dl.add_argument("--json", action="store_true", help="print JSON")
    dl.set_defaults(func=cmd_datasets_list)

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

    runs = sub.add_parser("runs", help="list runs")
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

    ex = sub.add_parser("export", help="write a run's synthetic rows (spreadsheet formulas "
                        "neutralised)")
    ex.add_argument("run", help="run id")
    ex.add_argument("--format", choices=("csv", "parquet"), default="csv")
    ex.add_argument("-o", "--output", required=True, metavar="FILE")
    ex.set_defaults(func=cmd_export)
    _add_review_parser(sub)
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
