"""The in-memory form of an interchange v1 data set: one Polars frame per file, normalised.

Every reader produces, and every consumer (engine, Django loader, writer) expects, exactly these columns
and dtypes. Optional files that are absent become empty frames with the same schema, so consumers never
branch on presence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from rungs.core.periods import PERIOD_KINDS
from rungs.core.vocabulary import EDUCATION_LEVELS, EDUCATION_WORDS, STATUS_WORDS

__all__ = [
    "EDUCATION_LEVELS",
    "EDUCATION_WORDS",
    "FILES",
    "PERIOD_KINDS",
    "SCHEMAS",
    "STATUS_WORDS",
    "Dataset",
    "empty",
]

# The words of education and status (codes low to high, and the words accepted for them) and the period
# kinds are defined once in rungs.core.vocabulary and rungs.core.periods; re-exported here for readers.
# seq is the period's ordinal within its kind (rungs.core.periods.ordinal).
# Memory: the KPI, evaluation and event files repeat a few dozen labels (periods, metric names, grades,
# event types) over millions of rows. Stored as an Enum or a Categorical a cell takes 1 or 4 bytes instead
# of 16, which at a million employees is ~2.5 GB. They compare with plain strings as usual; cast a
# Categorical to String before using `.str` on it, and join it only with another Categorical.
PERIOD_KIND = pl.Enum(PERIOD_KINDS)
LABEL = pl.Categorical()

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "employees": {
        "employee_id": pl.String(),
        "name": pl.String(),
        "hire_date": pl.Date(),
        "team": pl.String(),
        "department": pl.String(),
        "education": pl.String(),  # a code from EDUCATION_LEVELS, or null
        "status": pl.String(),  # probation | regular | left
        "regularized_on": pl.Date(),
        "manager_id": pl.String(),
        "birth_date": pl.Date(),
    },
    "assignments": {
        "employee_id": pl.String(),
        "track": pl.String(),
        "level": pl.String(),
        "start_date": pl.Date(),
        "end_date": pl.Date(),
        "kind": pl.String(),  # hire initial promotion demotion transfer acting
        "department": pl.String(),
    },
    "evaluations": {
        "employee_id": pl.String(),
        "period": LABEL,  # as written, e.g. 2026-03, 2026-Q1, 2026-H1, 2025
        "period_kind": PERIOD_KIND,
        "seq": pl.Int32(),
        "score": pl.Float64(),
        "grade": LABEL,
        "coefficient": pl.Float64(),
        "rank": pl.Int32(),
    },
    "metrics": {
        "employee_id": pl.String(),
        "period": LABEL,
        "period_kind": PERIOD_KIND,
        "seq": pl.Int32(),
        "metric": LABEL,
        "value": pl.Float64(),
    },
    "events": {
        "employee_id": pl.String(),
        "date": pl.Date(),
        "type": LABEL,
        "value": pl.Float64(),
        "ref": pl.String(),
        "note": pl.String(),
    },
    "positions": {
        "level": pl.String(),
        "headcount": pl.Int32(),
        "track": pl.String(),
        "team": pl.String(),
        "department": pl.String(),
    },
}

FILES: tuple[str, ...] = tuple(SCHEMAS)


def empty(name: str) -> pl.DataFrame:
    """An empty frame with the schema of interchange file `name` (without .csv)."""
    return pl.DataFrame(schema=SCHEMAS[name])


@dataclass(frozen=True)
class Dataset:
    """A validated data set. Frames hold the columns of SCHEMAS in that order; `employees` may carry
    extra string columns (unknown columns of employees.csv, kept as attributes)."""

    employees: pl.DataFrame
    assignments: pl.DataFrame = field(default_factory=lambda: empty("assignments"))
    evaluations: pl.DataFrame = field(default_factory=lambda: empty("evaluations"))
    metrics: pl.DataFrame = field(default_factory=lambda: empty("metrics"))
    events: pl.DataFrame = field(default_factory=lambda: empty("events"))
    positions: pl.DataFrame = field(default_factory=lambda: empty("positions"))
    warnings: tuple[str, ...] = ()  # non-fatal notes, e.g. unknown columns kept
    # The columns each file came with (file name → column names), where it is known (the reader, the
    # API): an import leaves what a file lacks alone. A file not named here is taken as complete.
    given: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Frames built by hand or by the generator may hold labels as plain text: they get the schema's
        # dtypes here, so every consumer sees one schema. (The reader's frames have them already.)
        for name, schema in SCHEMAS.items():
            df = getattr(self, name)
            wrong = {c: t for c, t in schema.items() if c in df.columns and df.schema[c] != t}
            if wrong:
                object.__setattr__(self, name, df.cast(wrong))

    def frame(self, name: str) -> pl.DataFrame:
        df: pl.DataFrame = getattr(self, name)
        return df

    def has_column(self, name: str, column: str) -> bool:
        """Whether file `name` came with `column` (True when what the file carried is not known)."""
        given = self.given.get(name)
        return given is None or column in given
