"""`rungs evaluate`: a policy on a data set, without a server or a database (INTERCHANGE.md contract).

Exit status 0 on success, 2 on invalid input with the message on standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt

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
from rungs.core.engine.evaluate import evaluate, needed
from rungs.core.engine.report import ROWS, long_rows, result_rows, table, write_csv, write_json
from rungs.core.interchange.reader import read_dataset
from rungs.core.interchange.spreadsheet import workbook_bytes
from rungs.core.policy.parse import load_policy


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_common(p, policy_help="policy file (YAML), e.g. examples/policies/star-titles.yaml")
    p.add_argument("--as-of", default=None, help="evaluation date YYYY-MM-DD (default: today)")
    add_output(p, lang_help="language of labels")
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
    except INVALID as exc:
        return refused("evaluate", exc)
    if binary_to_terminal(args):
        return refused("evaluate", TERMINAL)
    ev = evaluate(policy, data, as_of)
    warn(data)
    names = data.employees.select("employee_id", "name")
    with output(args) as out:
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
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="rungs evaluate", description=__doc__)
    add_arguments(p)
    return run(p.parse_args(argv))
