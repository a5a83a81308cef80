"""``python -m core audit RUN``: the shadow-model membership audit of a run's generator.

Runs as a job on a Dask worker with the terminal progress bar (as ``generate`` and
``evaluate``); Ctrl-C cancels it and nothing is stored. Prints the overall and per-target
figures; ``--json FILE`` writes the whole result (``auc``, ``advantage`` and ``epsilon_lower``
overall and per target).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.config import db_path

CLI_USER = "cli"
HELP = "audit a run's generator with a shadow-model membership attack (retrains it; minutes)"
DESCRIPTION = """\
Distance measures (DCR, NNDR, the distance-based membership AUC) are heuristics; an attack is
the evidence. The audit retrains the run's generator (same parameters; at most 5 epochs for
CTGAN, TVAE and CopulaGAN) on shadow training sets drawn from the dataset's holdout rows (the
population the attacker is assumed to know), half of them with a target record added, and
trains a classifier to tell the two apart from the synthetic output. Targets: the training
records farthest from any other, plus random controls. Reported per target and overall on
fresh test shadows: ROC AUC (0.5 = no leak), advantage (TPR - FPR) and a 95% lower bound on
the generator's differential-privacy epsilon. The run needs a stored report (evaluate first);
the audit is stored with it and fills in privacy.shadow_membership_inference.
"""


def add_audit_parser(sub: argparse._SubParsersAction) -> None:
    """Add the ``audit`` command to the CLI's subparsers."""
    from core.audit.defaults import DEFAULT_BUDGET_S, DEFAULT_TARGETS, MAX_SHADOWS, MIN_SHADOWS

    au = sub.add_parser("audit", help=HELP, description=DESCRIPTION,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    au.add_argument("run", help="run id (evaluated first)")
    au.add_argument("--targets", type=int, default=DEFAULT_TARGETS, metavar="N",
                    help=f"records to attack, about 30%% of them random controls "
                    f"(default {DEFAULT_TARGETS})")
    au.add_argument("--shadows", type=int, metavar="K",
                    help=f"shadow generators per target, even, {MIN_SHADOWS}-{MAX_SHADOWS} "
                    "(default: as many as fit the budget, timed on the first fits)")
    au.add_argument("--budget-s", type=float, default=DEFAULT_BUDGET_S, metavar="S",
                    help=f"seconds the audit aims to take (default {DEFAULT_BUDGET_S:g})")
    au.add_argument("--json", metavar="FILE", help="write the whole result as JSON")
    au.set_defaults(func=cmd_audit)


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def cmd_audit(args: argparse.Namespace) -> int:
    """`audit`: run the audit as a job, store it, print the figures."""
    from core.jobs import JobManager
    from core.jobs.follow import follow
    from core.store import open_store
    from core.store.audits import get_audit

    store = open_store(db_path(args.db))
    manager = JobManager(store)
    job_id = manager.submit_audit(args.run, targets=args.targets, shadows=args.shadows,
                                  budget_s=args.budget_s, started_by=CLI_USER)
    job = follow(manager, job_id)
    if not job.is_complete:
        print(f"error: job {job.id} {job.state}: {job.error}", file=sys.stderr)
        return 1
    row = get_audit(store, job.result_id)
    data = json.loads(row.result_json)
    o = data["overall"]
    print(f"audit {row.id} of run {args.run} ({data['generator']}): "
          f"{data['design']['targets']} targets x {data['design']['shadows_per_target']} shadows "
          f"of {data['design']['shadow_rows']:,} rows in {data['seconds']['total']:.0f} s")
    print(f"  overall   AUC {_num(o['auc'])}  advantage {_num(o['advantage'])}  "
          f"epsilon >= {_num(o['epsilon_lower'])}  ({o['test_shadows']} test shadows)")
    for i, t in enumerate(data["targets"]):
        mark = "  <- riskiest" if i == data["riskiest"] else ""
        print(f"  target {i + 1:<2} row {t['index']:<7} {t['kind']:<10} AUC {_num(t['auc'])}  "
              f"advantage {_num(t['advantage'])}  epsilon >= {_num(t['epsilon_lower'])}{mark}")
    for note in data["notes"]:
        print(f"  note: {note}")
    if args.json:
        out = {"audit_id": row.id, "run_id": args.run, "report_id": row.report_id, **data}
        Path(args.json).write_text(json.dumps(out, indent=2, sort_keys=True), encoding="utf-8")
        print(f"audit written to {args.json}")
    return 0
