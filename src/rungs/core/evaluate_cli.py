"""`rungs evaluate`: a policy on a data set, without a server or a database (INTERCHANGE.md contract).

Exit status 0 on success, 2 on invalid input with the message on standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from rungs.core.engine.evaluate import evaluate, metrics_used
from rungs.core.engine.report import long_rows, table, to_json_obj
from rungs.core.interchange.errors import DataError
from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import load_policy

FORMATS = ("table", "json", "csv", "xlsx")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--policy", required=True, help="policy file (YAML), e.g. examples/policies/star-titles.yaml"
    )
    p.add_argument("--data", required=True, help="data set: a folder of CSV files or one .xlsx workbook")
    p.add_argument("--as-of", default=None, help="evaluation date YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--output", "-o", default=None, help="write to this file instead of standard output")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of labels (default: zh)")


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise ValueError(f"--as-of: expected a date YYYY-MM-DD, got {text!r}") from None


def run(args: argparse.Namespace) -> int:
    try:
        as_of = _as_of(args.as_of)
        policy = load_policy(args.policy)
        data = read_dataset(args.data, keep_metrics=metrics_used(policy))
    except (PolicyError, DataError, ValueError, FileNotFoundError) as exc:
        print(f"rungs evaluate: {exc}", file=sys.stderr)
        return 2
    ev = evaluate(policy, data, as_of)
    for w in data.warnings:
        print(f"warning: {w}", file=sys.stderr)
    names = dict(data.employees.select("employee_id", "name").iter_rows())
    if args.format == "xlsx":
        target = args.output or sys.stdout.buffer
        long_rows(ev, names, args.lang).write_excel(target, worksheet="results")
        return 0
    if args.format == "json":
        text = json.dumps(to_json_obj(ev, args.lang), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        text = long_rows(ev, names, args.lang).write_csv()
    else:
        text = table(ev, names, args.lang)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="rungs evaluate", description=__doc__)
    add_arguments(p)
    return run(p.parse_args(argv))
