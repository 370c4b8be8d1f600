"""`rungs evaluate`: a policy on a data set, without a server or a database (INTERCHANGE.md contract).

Exit status 0 on success, 2 on invalid input with the message on standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from contextlib import ExitStack
from typing import IO

from rungs.core.engine.evaluate import evaluate, needed
from rungs.core.engine.report import ROWS, long_rows, result_rows, table, write_csv, write_json
from rungs.core.interchange.errors import DataError
from rungs.core.interchange.reader import read_dataset
from rungs.core.interchange.spreadsheet import workbook_bytes
from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import load_policy

FORMATS = ("table", "json", "csv", "xlsx")
TERMINAL = (
    "--format xlsx 输出的是二进制工作簿，不写到终端；请用 -o 结果.xlsx，或重定向到文件 / "
    "xlsx is a binary workbook and is not written to a terminal: give -o results.xlsx or redirect to a file"
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--policy", required=True, help="policy file (YAML), e.g. examples/policies/star-titles.yaml"
    )
    p.add_argument("--data", required=True, help="data set: a folder of CSV files or one .xlsx workbook")
    p.add_argument("--as-of", default=None, help="evaluation date YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--output", "-o", default=None, help="write to this file instead of standard output")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of labels (default: zh)")
    p.add_argument(
        "--rows",
        choices=ROWS,
        default="result",
        help="csv/xlsx: one row per employee and rule with what is missing (result, the default), "
        "or one row per criterion with its actual and required value (criterion)",
    )


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
        # Only the rows the policy reads at that date are kept (and checked): `rungs import` checks all.
        data = read_dataset(args.data, needed=needed(policy, as_of))
    except (PolicyError, DataError, ValueError, FileNotFoundError) as exc:
        print(f"rungs evaluate: {exc}", file=sys.stderr)
        return 2
    if args.format == "xlsx" and not args.output and sys.stdout.isatty():
        print(f"rungs evaluate: {TERMINAL}", file=sys.stderr)
        return 2
    ev = evaluate(policy, data, as_of)
    for w in data.warnings:
        print(f"warning: {w}", file=sys.stderr)
    names = data.employees.select("employee_id", "name")
    sys.stdout.flush()
    with ExitStack() as stack:
        # Written as it is built, a block of employees at a time: a large run is never all in memory.
        out: IO[bytes] = (
            stack.enter_context(open(args.output, "wb")) if args.output else sys.stdout.buffer  # noqa: SIM115
        )
        if args.format == "xlsx":
            if args.rows == "criterion":
                # A criterion's actual and required values are numbers or words ("≥ 1 of 2"): numbers go
                # in as numbers, so a manager can sort and sum them.
                rows = long_rows(ev, names, args.lang)
                out.write(workbook_bytes({"results": rows}, numeric_text=("actual", "required")))
            else:
                out.write(workbook_bytes({"results": result_rows(ev, names, args.lang)}))
        elif args.format == "json":
            write_json(ev, out, args.lang)
        elif args.format == "csv":
            write_csv(ev, names, out, args.lang, rows=args.rows)
        else:
            out.write(table(ev, names, args.lang).encode())
        out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="rungs evaluate", description=__doc__)
    add_arguments(p)
    return run(p.parse_args(argv))
