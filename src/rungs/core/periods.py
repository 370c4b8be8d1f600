"""Periods and month arithmetic, written once (SEEDS.md time semantics; docs/policy-language.md).

A period of kind M (month, YYYY-MM), Q (quarter, YYYY-Qn), H (half, YYYY-Hn) or Y (year, YYYY) has an
ordinal `seq` within its kind, so that "consecutive" means seq differs by 1:
    M: year*12 + month-1   Q: year*4 + quarter-1   H: year*2 + half-1   Y: year
The functions taking `year`/`index` work on Python ints and on Polars expressions alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

PERIOD_KINDS: tuple[str, ...] = ("M", "Q", "H", "Y")
PER_YEAR: dict[str, int] = {"M": 12, "Q": 4, "H": 2, "Y": 1}


def ordinal(kind: str, year: Any, index: Any = 0) -> Any:
    """The seq of the period `index` (0-based: month-1, quarter-1, half-1; 0 for a year) of `year`."""
    return year * PER_YEAR[kind] + index if kind != "Y" else year


def month_seq(year: Any, month: Any) -> Any:
    """The seq of a month (month 1-12)."""
    return ordinal("M", year, month - 1)


def seq_of_date(kind: str, d: dt.date) -> int:
    """The seq of the period of kind `kind` that contains date d."""
    seq: int = ordinal(kind, d.year, (d.month - 1) * PER_YEAR[kind] // 12)
    return seq


def seq_of_date_expr(kind: str, col: pl.Expr) -> pl.Expr:
    """seq_of_date for a column of dates."""
    y, mo = col.dt.year().cast(pl.Int32), col.dt.month().cast(pl.Int32) - 1
    seq: pl.Expr = ordinal(kind, y, mo * PER_YEAR[kind] // 12)
    return seq


def period_code(kind: str, seq: int) -> str:
    """The code of a period from its seq: 2026-11, 2026-Q3, 2026-H1 or 2026 (four-digit years)."""
    if kind == "Y":
        return f"{seq:04d}"
    year, index = divmod(seq, PER_YEAR[kind])
    return f"{year:04d}-" + {"M": f"{index + 1:02d}", "Q": f"Q{index + 1}", "H": f"H{index + 1}"}[kind]


def month_of_seq(seq: int) -> tuple[int, int]:
    """(year, month 1-12) of a month seq."""
    year, index = divmod(seq, 12)
    return year, index + 1


def month_label(seq: int) -> str:
    """YYYY-MM of a month seq."""
    year, month = month_of_seq(seq)
    return f"{year}-{month:02d}"


def months_between_dates(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end: 2026-01-15 → 2026-12-14 is 10."""
    return (end.year - start.year) * 12 + end.month - start.month - (start.day > end.day)


def months_between(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """months_between_dates for columns (vectorised)."""
    whole = (
        (end.dt.year().cast(pl.Int32) - start.dt.year().cast(pl.Int32)) * 12
        + end.dt.month().cast(pl.Int32)
        - start.dt.month().cast(pl.Int32)
    )
    return whole - (start.dt.day() > end.dt.day()).cast(pl.Int32)


def add_months(d: dt.date, months: int) -> dt.date:
    """d shifted by whole months, the day clipped to the month's length."""
    year, month = month_of_seq(month_seq(d.year, d.month) + months)
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(d.day, last))
