"""Bulk upsert of evaluations, metrics and events sent as JSON rows in the interchange column names.

The rows go through the file reader's own checks (rungs.core.interchange.reader) and then through the
importer's plan and apply (rungs.datasets.importer), so a row sent here is accepted or rejected exactly as
the same row in a CSV file would be, and the write is all-or-nothing and idempotent. Problems name the
list (`file`), the row's position in it counted from 0 (`row`), the column, what was expected and what came.
"""

from __future__ import annotations

import polars as pl

from rungs.accounts.scope import visible_employees
from rungs.core.interchange.dataset import Dataset, empty
from rungs.core.interchange.errors import DataError, Problem
from rungs.core.interchange.reader import REQUIRED, validate_frame
from rungs.datasets.importer import ImportPlan
from rungs.datasets.services import records_bulk
from rungs.people.models import Employee

TABLES: tuple[str, ...] = ("evaluations", "metrics", "events")
_FIRST_ROW = 2  # the reader counts rows as a spreadsheet shows them (header = 1); the API counts from 0


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 2**53 else repr(value)
    return str(value)


def _frame(name: str, rows: list[dict]) -> pl.DataFrame:
    """The rows as an all-text frame, as the reader sees a CSV file before it checks the cells. Every
    required column is present, so a missing value is reported on its row, not as a missing column."""
    columns = list(REQUIRED[name])
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    data = {c: [_cell(r.get(c)) for r in rows] for c in columns}
    return pl.DataFrame(data, schema={c: pl.String for c in columns})


def _api_problem(p: Problem) -> Problem:
    file = p.file.rsplit("[", 1)[-1].rstrip("]") if p.file.endswith("]") else p.file
    return Problem(file, None if p.row is None else p.row - _FIRST_ROW, p.column, p.expected, p.got)


def validate(rows: dict[str, list[dict]]) -> tuple[Dataset, list[str]]:
    """A Dataset of the rows (employees empty: the import never touches people). Raises DataError with
    every problem found."""
    problems: list[Problem] = []
    warnings: list[str] = []
    frames: dict[str, pl.DataFrame] = {}
    given: dict[str, tuple[str, ...]] = {}
    for name in TABLES:
        if rows.get(name):
            frame = _frame(name, rows[name])
            given[name] = tuple(frame.columns)  # a column no row sends is left alone, as in a file
            frames[name] = validate_frame(name, frame, name, problems, warnings)
    referenced = set()
    for df in frames.values():
        referenced.update(df.get_column("employee_id").drop_nulls().to_list())
    known = set(Employee.objects.filter(employee_id__in=referenced).values_list("employee_id", flat=True))
    for name, df in frames.items():
        unknown = df.with_row_index("_row", offset=_FIRST_ROW).filter(
            pl.col("employee_id").is_not_null() & ~pl.col("employee_id").is_in(sorted(known))
        )
        for row, eid in unknown.select("_row", "employee_id").iter_rows():
            problems.append(Problem(name, row, "employee_id", "an employee_id stored in Rungs", eid))
    if problems:
        raise DataError([_api_problem(p) for p in problems])
    return Dataset(employees=empty("employees"), **frames, given=given), warnings


def upsert(rows: dict[str, list[dict]], actor) -> tuple[ImportPlan, list[str]]:
    """Validates the rows and writes them through the bulk service (authority, lock, audit). Raises
    DataError, Denied or OutOfScope."""
    data, warnings = validate(rows)
    try:
        p = records_bulk(data=data, actor=actor, employees=visible_employees(actor))
    except DataError as exc:  # the same key twice, e.g. two scores for one employee and period
        raise DataError([_api_problem(p) for p in exc.problems]) from None
    return p, warnings
