"""What a cell must be for the database to take it and the pages to show it, checked at preview.

The reader's type checks say whether a cell is a date or a number; these say whether it is one that can be
stored and computed with: text that fits its database column and holds no NUL, ids without invisible or
full-width look-alikes, dates in a sane range, finite numbers, no negative counts, no end before its start
and nobody their own manager. The file import and the bulk API both go through `validate_frame`, which
calls `check_cells`, so a row is refused in the same words wherever it comes from, before anything is
written. Checks on text run on the distinct values of a column: ids and labels repeat a lot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

# The longest text each column's database field holds (CharField.max_length in rungs.people.models and
# rungs.records.models; tests/web/test_hardening.py checks that the two agree). Codes mapped by the reader
# (education, status, kind) and periods (checked by their pattern) need no entry.
MAX_CHARS: dict[str, dict[str, int]] = {
    "employees": {"employee_id": 50, "name": 100, "team": 100, "department": 100, "manager_id": 50},
    "assignments": {"employee_id": 50, "track": 50, "level": 50, "department": 100},
    "evaluations": {"employee_id": 50, "grade": 20},
    "metrics": {"employee_id": 50, "metric": 50},
    "events": {"employee_id": 50, "type": 50, "ref": 100},
    "positions": {"level": 50, "track": 50, "team": 100, "department": 100},
}
# Any other cell that is stored (an event's note, an attribute kept from an unknown employees column): as
# long as the API allows a note. A 10 MB cell is a damaged file, not a note.
CELL_CHARS = 2000
IDS = ("employee_id", "manager_id")
# Control characters, soft hyphen, zero-width and direction marks, word joiners, BOM, the ideographic
# space and full-width ASCII (Ｅ００１): none is visible or different on screen, so an id holding one looks
# like another person's id and never matches it.
_NOT_IN_ID = r"[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u3000\uff01-\uff5e]"


def id_is_clean(text: str) -> bool:
    """No invisible or full-width look-alike character (the same rule as an id in a file)."""
    import re

    return re.search(_NOT_IN_ID, text) is None


FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)
# (file, column, which rows): numbers that count something and cannot be below zero.
NON_NEGATIVE: tuple[tuple[str, str, Callable[[], pl.Expr] | None], ...] = (
    ("positions", "headcount", None),
    ("events", "value", lambda: pl.col("type") == "leave"),  # days of leave (type is text or a label)
)
# (file, later, earlier): a date that cannot come before another of the same row.
ORDERED = (("assignments", "end_date", "start_date"), ("employees", "regularized_on", "hire_date"))

Report = Callable[[str, pl.DataFrame, str], None]  # (column, rows with _row and that column, expected)


def check_cells(
    name: str,
    text: pl.DataFrame,
    typed: pl.DataFrame,
    stored: list[str],
    report: Report,
    distinct: dict[str, pl.Series] | None = None,
) -> None:
    """`text` is the file as read (with _row), `typed` the same rows converted, `stored` the columns kept;
    `distinct` the distinct values of text columns already found while tidying (not worked out again)."""
    for col in (c for c in stored if c in text.columns and text.schema[c] in (pl.String, pl.Categorical)):
        _check_text(name, col, text, report, (distinct or {}).get(col))
    # Every row check of the file in one query (Polars runs them side by side); the rows of a check are
    # looked up only when it found any, which is almost never.
    checks: list[tuple[str, pl.Expr, str, bool]] = []  # column, bad rows, expected, shown as written
    for col, dtype in typed.schema.items():
        if col not in text.columns:
            continue
        if dtype == pl.Date:
            expected = f"{FIRST_DATE} 至 {LAST_DATE} 之间的日期 / a date from {FIRST_DATE} to {LAST_DATE}"
            checks.append((col, ~pl.col(col).is_between(FIRST_DATE, LAST_DATE), expected, True))
        elif dtype == pl.Float64:
            checks.append(
                (col, ~pl.col(col).is_finite(), "有限的数值（不是 inf 或 NaN）/ a finite number", True)
            )
    for file, col, rows in NON_NEGATIVE:
        if file == name and col in text.columns:
            expected = "不小于 0 的数 / a number not below 0" + ("（请假天数 days of leave）" if rows else "")
            checks.append((col, (pl.col(col) < 0) & rows() if rows else pl.col(col) < 0, expected, True))
    for file, later, earlier in ORDERED:
        if file == name and later in text.columns and earlier in text.columns:
            expected = f"不早于 {earlier} 的日期 / a date on or after {earlier}"
            checks.append((later, pl.col(later) < pl.col(earlier), expected, False))
    if name == "employees" and "manager_id" in text.columns:
        expected = "另一个人的工号（不能是本人）/ someone else's employee_id (not their own)"
        checks.append(("manager_id", pl.col("manager_id") == pl.col("employee_id"), expected, True))
    if not checks:
        return
    found = typed.select(
        expr.fill_null(False).any().alias(str(i)) for i, (_, expr, _, _) in enumerate(checks)
    )
    for i, (col, expr, expected, as_written) in enumerate(checks):
        if not found.item(0, i):
            continue
        bad = typed.select("_row").filter(typed.select(expr.fill_null(False)).to_series())
        if as_written:
            report(col, _as_written(bad, text, col), expected)
        else:  # a pair of dates: both shown, as converted
            later, earlier = next((lt, er) for f, lt, er in ORDERED if f == name and lt == col)
            got = bad.join(typed, on="_row").select(
                "_row", pl.format("{} ({} {})", later, pl.lit(earlier), earlier).alias(later)
            )
            report(later, got, expected)


def _check_text(name: str, col: str, text: pl.DataFrame, report: Report, known: pl.Series | None) -> None:
    # Distinct values first, cast after: labels are categorical, and casting millions of them is a copy.
    values = (known if known is not None else text.get_column(col).unique()).drop_nulls().cast(pl.String)
    if values.is_empty():
        return
    limit = MAX_CHARS.get(name, {}).get(col, CELL_CHARS)
    checks = [
        (
            values.str.contains("\x00", literal=True),
            "不含 NUL 字符的文本 / text without NUL characters (\\x00)",
        ),
        (values.str.len_chars() > limit, f"至多 {limit} 个字符 / at most {limit} characters"),
    ]
    if col in IDS:
        checks.append(
            (
                values.str.contains(_NOT_IN_ID),
                "不含不可见或全角字符的编号 / an id without invisible or full-width characters (E001, not Ｅ００１)",
            )
        )
    for bad, expected in checks:
        wrong = values.filter(bad)
        if not wrong.is_empty():
            out = text.select("_row", pl.col(col).cast(pl.String)).filter(pl.col(col).is_in(wrong.implode()))
            report(col, out.with_columns(_shown(pl.col(col))), expected)


def _shown(c: pl.Expr) -> pl.Expr:
    """A cell as a problem shows it: a long one cut, with its length (a 10 MB cell is not echoed back)."""
    n = c.str.len_chars()
    return (
        pl.when(n <= 60)
        .then(c)
        .otherwise(pl.format("{}…（共 {} 字符 / {} characters）", c.str.slice(0, 40), n, n))
    )


def _as_written(bad: pl.DataFrame, text: pl.DataFrame, col: str) -> pl.DataFrame:
    """The bad rows with the cell as the file had it (the text, not the converted value)."""
    if bad.is_empty():
        return bad.with_columns(pl.lit(None, pl.String).alias(col))
    return bad.join(text.select("_row", pl.col(col).cast(pl.String)), on="_row").sort("_row")
