"""What every criterion needs to know about the evaluation date and the people: computed once per run.

Time semantics (SEEDS.md, written once here):
- "N months" between two dates counts whole calendar months (2026-01-01 → 2026-12-01 is 11).
- Periods count only when complete: at 2026-12-01 the latest complete month is 2026-11, quarter 2026-Q3,
  half 2026-H1, year 2025. "The last N months" are the N complete months before the date's month.
- Dated facts (events) count when dated before the evaluation date; "the 12 months before" a date D
  means D − 12 months ≤ date < D.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from rungs.core.interchange.dataset import Dataset
from rungs.core.periods import add_months, months_between, seq_of_date, seq_of_date_expr

ID = "employee_id"
__all__ = [
    "ACTIVE",
    "ID",
    "Context",
    "add_months",
    "build_context",
    "level_starts",
    "levels_on",
    "months_between",
    "seq_of_date",
    "seq_of_date_expr",
]


@dataclass(frozen=True)
class Context:
    as_of: dt.date
    data: Dataset
    employees: pl.LazyFrame  # active employees (not left) with derived attributes
    levels: pl.LazyFrame  # current non-acting level per employee and track, with level_start
    history: pl.LazyFrame  # non-acting assignment rows that started before the evaluation date

    def complete(self, kind: str) -> int:
        """The seq of the latest complete period of this kind."""
        return seq_of_date(kind, self.as_of) - 1

    @property
    def day(self) -> pl.Expr:
        return pl.lit(self.as_of, dtype=pl.Date)


def _group_edge(step: int) -> pl.Expr:
    """True on the first (step 1) or last (step -1) row of each employee and track, in sorted rows."""
    return pl.any_horizontal(c.ne_missing(c.shift(step)) for c in (pl.col(ID), pl.col("track")))


ACTIVE = pl.col("status").fill_null("regular") != "left"  # who is evaluated, ranked and counted


def level_starts(history: pl.LazyFrame) -> pl.LazyFrame:
    """The one definition of "the start of the current level" (engine and pages alike): rows are one
    employee's non-acting assignments on a track; a stretch is a run of consecutive rows at the same
    level (transfers between departments included, a gap in the dates does not break it), and the current
    level began where the last stretch began. LazyFrame[employee_id, track, level_start]."""
    history = history.sort(ID, "track", "start_date", maintain_order=True)
    # Sorted by employee, track and start: group boundaries and stretch starts are found by comparing each
    # row with the one before.
    first, last = _group_edge(1), _group_edge(-1)
    new_run = first | (pl.col("level") != pl.col("level").shift(1)).fill_null(True)
    return (
        history.select(
            ID,
            "track",
            last.alias("_last"),
            pl.when(new_run).then(pl.col("start_date")).forward_fill().alias("level_start"),
        )
        .filter("_last")
        .drop("_last")
    )


def build_context(data: Dataset, as_of: dt.date) -> Context:
    """The shared per-employee frames, computed once (eagerly) so every rule and criterion reuses them."""
    day = pl.lit(as_of, dtype=pl.Date)
    emp = (
        data.employees.lazy()
        .filter(ACTIVE)
        .with_columns(
            age=(months_between(pl.col("birth_date"), day) // 12),
        )
    )
    asg = data.assignments.lazy().filter(pl.col("start_date") <= day)
    emp_dept = data.employees.lazy().select(ID, pl.col("department").alias("_emp_dept"))
    history = (
        asg.filter(pl.col("kind").ne_missing("acting"))  # an empty kind is not acting
        .join(emp_dept, on=ID, how="left")
        .with_columns(pl.col("department").fill_null(pl.col("_emp_dept")))
        .drop("_emp_dept")
        .sort(ID, "track", "start_date", maintain_order=True)
    )
    emp_df, history_df = pl.collect_all([emp, history])
    return Context(as_of, data, emp_df.lazy(), _levels(history_df.lazy(), day), history_df.lazy())


def levels_on(ctx: Context, day: dt.date) -> pl.LazyFrame:
    """Context.levels as they were on an earlier `day` (a reward cycle's last day), from the context's
    history: the rows that had started by then, still sorted, so nothing is read or sorted again."""
    if day > ctx.as_of:
        raise ValueError("levels_on reads the context's history: the day must not be after its date")
    history = ctx.history.filter(pl.col("start_date") <= pl.lit(day, dtype=pl.Date))
    return _levels(history, pl.lit(day, dtype=pl.Date))


def _levels(history: pl.LazyFrame, day: pl.Expr) -> pl.LazyFrame:
    """The current non-acting level per employee and track in `history` (sorted by employee, track and
    start) on `day`, with level_start."""
    open_rows = history.filter(pl.col("end_date").is_null() | (pl.col("end_date") > day))
    current = (
        open_rows.filter(_group_edge(-1))
        .select(ID, "track", "level", pl.col("department").alias("level_department"))
        .join(level_starts(history), on=[ID, "track"], how="left")
    )
    return current.collect().lazy()
