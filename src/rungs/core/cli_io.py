"""What the commands that run on files (`rungs evaluate`, `rewards`, `effect`) share: the options every one
of them has, the answer to invalid input (the message on standard error, exit status 2, as INTERCHANGE.md
says), the data set's warnings, and where the output goes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rungs.core.interchange.dataset import Dataset
from rungs.core.interchange.errors import DataError
from rungs.core.policy.errors import PolicyError

FORMATS = ("table", "json", "csv", "xlsx")
INVALID = (PolicyError, DataError, ValueError, FileNotFoundError)  # bad input, not a fault of the program
TERMINAL = (
    "--format xlsx 输出的是二进制工作簿，不写到终端；请用 -o 结果.xlsx，或重定向到文件 / "
    "xlsx is a binary workbook and is not written to a terminal: give -o results.xlsx or redirect to a file"
)


def add_common(p: argparse.ArgumentParser, *, policy_help: str) -> None:
    """--policy and --data first, then the command's own options, then add_output."""
    p.add_argument("--policy", required=True, help=policy_help)
    p.add_argument("--data", required=True, help="data set: a folder of CSV files or one .xlsx workbook")


def add_output(p: argparse.ArgumentParser, *, formats: tuple[str, ...] = FORMATS, lang_help: str) -> None:
    p.add_argument("--format", choices=formats, default="table", help="output format (default: table)")
    p.add_argument("--output", "-o", default=None, help="write to this file instead of standard output")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help=f"{lang_help} (default: zh)")


def refused(command: str, message: object) -> int:
    print(f"rungs {command}: {message}", file=sys.stderr)
    return 2


def binary_to_terminal(args: argparse.Namespace) -> bool:
    """A workbook asked for on a terminal: refused before any work is done."""
    return args.format == "xlsx" and not args.output and sys.stdout.isatty()


def warn(data: Dataset) -> None:
    for w in data.warnings:
        print(f"warning: {w}", file=sys.stderr)


@contextmanager
def output(args: argparse.Namespace) -> Iterator[IO[bytes]]:
    """The file of -o, or standard output; flushed at the end. A large output is written as it is built."""
    sys.stdout.flush()
    if args.output:
        with open(args.output, "wb") as out:
            yield out
    else:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
