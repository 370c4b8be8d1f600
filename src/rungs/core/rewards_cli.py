"""`rungs rewards`: a policy's reward plans for one cycle on a data set, without a server or a database
(INTERCHANGE.md, "The `rewards` command").

Exit status 0 on success, 2 on invalid input with the message on standard error.
"""

from __future__ import annotations

import argparse

from rungs.core.cli_io import (
    INVALID,
    TERMINAL,
    add_common,
    add_output,
    binary_to_terminal,
    output,
    refused,
    warn,
)
from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.parse import load_policy
from rungs.core.rewards.cycle import parse_cycle
from rungs.core.rewards.report import table, workbook, write_csv, write_json
from rungs.core.rewards.run import needed_for_cycle, run_rewards


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p, policy_help="policy file (YAML), e.g. examples/policies/salary-grade-quarterly.yaml")
    p.add_argument(
        "--cycle",
        required=True,
        help="the cycle: a month YYYY-MM, quarter YYYY-Qn, half YYYY-Hn or year YYYY",
    )
    add_output(p, lang_help="language of explanations")


def run(args: argparse.Namespace) -> int:
    try:
        cycle = parse_cycle(args.cycle)
        policy = load_policy(args.policy)
        # Only the rows the cycle's plans read are kept (and checked): `rungs import` checks all.
        data = read_dataset(args.data, needed=needed_for_cycle(policy, cycle))
    except INVALID as exc:
        return refused("rewards", exc)
    if binary_to_terminal(args):
        return refused("rewards", TERMINAL)
    result = run_rewards(policy, data, cycle, langs=("en" if args.lang == "en" else "zh",))
    warn(data)
    names = data.employees.select("employee_id", "name")
    with output(args) as out:
        if args.format == "xlsx":
            out.write(workbook(result, names, args.lang))
        elif args.format == "json":
            write_json(result, out, args.lang)
        elif args.format == "csv":
            write_csv(result, names, out, args.lang)
        else:
            out.write(table(result, names, args.lang).encode())
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="rungs rewards", description=__doc__)
    add_arguments(p)
    return run(p.parse_args(argv))
