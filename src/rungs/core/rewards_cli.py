"""`rungs rewards`: a policy's reward plans for one cycle on a data set, without a server or a database
(INTERCHANGE.md, "The `rewards` command").

Exit status 0 on success, 2 on invalid input with the message on standard error.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import IO

from rungs.core.engine.evaluate import metrics_used
from rungs.core.evaluate_cli import FORMATS, TERMINAL
from rungs.core.interchange.errors import DataError
from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import load_policy
from rungs.core.rewards.cycle import parse_cycle
from rungs.core.rewards.report import table, workbook, write_csv, write_json
from rungs.core.rewards.run import metrics_needed, run_rewards


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--policy",
        required=True,
        help="policy file (YAML), e.g. examples/policies/salary-grade-quarterly.yaml",
    )
    p.add_argument("--data", required=True, help="data set: a folder of CSV files or one .xlsx workbook")
    p.add_argument(
        "--cycle",
        required=True,
        help="the cycle: a month YYYY-MM, quarter YYYY-Qn, half YYYY-Hn or year YYYY",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--output", "-o", default=None, help="write to this file instead of standard output")
    p.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of explanations (default: zh)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        cycle = parse_cycle(args.cycle)
        policy = load_policy(args.policy)
        data = read_dataset(args.data, keep_metrics=metrics_needed(policy) | metrics_used(policy))
    except (PolicyError, DataError, ValueError, FileNotFoundError) as exc:
        print(f"rungs rewards: {exc}", file=sys.stderr)
        return 2
    if args.format == "xlsx" and not args.output and sys.stdout.isatty():
        print(f"rungs rewards: {TERMINAL}", file=sys.stderr)
        return 2
    result = run_rewards(policy, data, cycle)
    for w in data.warnings:
        print(f"warning: {w}", file=sys.stderr)
    names = data.employees.select("employee_id", "name")
    sys.stdout.flush()
    with ExitStack() as stack:
        out: IO[bytes] = (
            stack.enter_context(open(args.output, "wb")) if args.output else sys.stdout.buffer  # noqa: SIM115
        )
        if args.format == "xlsx":
            out.write(workbook(result, names, args.lang))
        elif args.format == "json":
            write_json(result, out, args.lang)
        elif args.format == "csv":
            write_csv(result, names, out, args.lang)
        else:
            out.write(table(result, names, args.lang).encode())
        out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="rungs rewards", description=__doc__)
    add_arguments(p)
    return run(p.parse_args(argv))
