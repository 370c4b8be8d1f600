"""`rungs effect`: whether a reward plan paid off, on a data set, without a server or a database — its
KPIs before and after it took force for those it covered against those it did not (difference in
differences), against its cost (docs/effect.md).

Exit status 0 on success, 2 on invalid input with the message on standard error.
"""

from __future__ import annotations

import argparse

from rungs.core.cli_io import INVALID, add_common, add_output, output, refused, warn
from rungs.core.effect import DEFAULT_WINDOW, default_kpis, effect_with_cost, find_plan, parse_month
from rungs.core.effect_report import table, write_json
from rungs.core.engine.evaluate import metrics_used
from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.parse import load_policy
from rungs.core.rewards.run import metrics_needed


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p, policy_help="policy file (YAML) with the plan in its rewards section")
    p.add_argument("--plan", required=True, help="the reward plan's id, e.g. kpi_bonus")
    p.add_argument("--since", required=True, help="the month the plan took force, YYYY-MM")
    p.add_argument(
        "--kpis",
        default=None,
        help="comma-separated metrics (default: csat and the metrics of the plan's tiers)",
    )
    p.add_argument(
        "--window",
        type=int,
        default=DEFAULT_WINDOW,
        help=f"months before and after the start to compare (default: {DEFAULT_WINDOW})",
    )
    add_output(p, formats=("table", "json"), lang_help="language of the output")


def run(args: argparse.Namespace) -> int:
    try:
        since = parse_month(args.since)
        if args.window < 1:
            raise ValueError(
                f"--window：应为正整数 / --window: expected a positive number, got {args.window}"
            )
        policy = load_policy(args.policy)
        plan = find_plan(policy, args.plan)
        kpis = (
            [k.strip() for k in args.kpis.split(",") if k.strip()] if args.kpis else list(default_kpis(plan))
        )
        data = read_dataset(args.data, keep_metrics=set(kpis) | metrics_needed(policy) | metrics_used(policy))
    except INVALID as exc:
        return refused("effect", exc)
    report = effect_with_cost(policy, plan, data, since, kpis=kpis, window=args.window)
    warn(data)
    with output(args) as out:
        if args.format == "json":
            write_json(report, out, args.lang)
        else:
            out.write(table(report, args.lang).encode())
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="rungs effect", description=__doc__)
    add_arguments(p)
    return run(p.parse_args(argv))
