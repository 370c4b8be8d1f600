"""Request and response bodies of the API, in the interchange column names (INTERCHANGE.md)."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, StrictFloat, StrictInt, StrictStr

# Text that a database column can hold: PostgreSQL rejects NUL characters.
NoNul = r"^[^\x00]*$"


def Text(max_length: int | None = None):  # noqa: N802 - reads as a type
    return Annotated[StrictStr, Field(pattern=NoNul, max_length=max_length)]


class Message(Schema):
    detail: str


class ProblemOut(Schema):
    file: str = Field(description="evaluations, metrics or events (or query/path for a parameter)")
    row: int | None = Field(description="position in that list, counted from 0")
    column: str | None
    expected: str
    got: str | None = None


class Problems(Schema):
    detail: str
    problems: list[ProblemOut]


class PolicyProblem(Schema):
    detail: str = Field(description="file:line:column: message")
    line: int
    column: int


class Level(Schema):
    track: str
    level: str
    since: dt.date
    kind: str


class EmployeeOut(Schema):
    employee_id: str
    name: str
    hire_date: dt.date
    team: str | None
    department: str | None
    education: str | None
    status: str
    regularized_on: dt.date | None
    manager_id: str | None
    birth_date: dt.date | None
    levels: list[Level] = Field(description="current level per track (acting posts excluded)")


class EmployeePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EmployeeOut]


class EvaluationOut(Schema):
    period: str
    score: float | None
    grade: str | None
    coefficient: float | None
    rank: int | None


class MetricOut(Schema):
    period: str
    metric: str
    value: float


class EventOut(Schema):
    date: dt.date
    type: str
    value: float | None
    ref: str | None
    note: str | None


class RecordsOut(Schema):
    employee_id: str
    evaluations: list[EvaluationOut]
    metrics: list[MetricOut]
    events: list[EventOut]


# Cells are checked by the interchange reader, as in a CSV file: numbers may come as JSON numbers or text.
Cell = (
    Annotated[StrictStr, Field(pattern=NoNul, max_length=200)]
    | StrictInt
    | Annotated[StrictFloat, Field(allow_inf_nan=False)]
    | None
)


class _Row(Schema):
    model_config = ConfigDict(extra="forbid")


class EvaluationRow(_Row):
    employee_id: Text(50) | None = None
    period: Cell = Field(None, description="YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY")
    score: Cell = None
    grade: Text(20) | None = None
    coefficient: Cell = None
    rank: Cell = None


class MetricRow(_Row):
    employee_id: Text(50) | None = None
    period: Cell = Field(None, description="YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY")
    metric: Text(50) | None = None
    value: Cell = None


class EventRow(_Row):
    employee_id: Text(50) | None = None
    date: Cell = Field(None, description="YYYY-MM-DD (or YYYY/MM/DD)")
    type: Text(50) | None = None
    value: Cell = None
    ref: Text(100) | None = None
    note: Text(2000) | None = None


class BulkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    evaluations: list[EvaluationRow] = Field(default_factory=list, max_length=100_000)
    metrics: list[MetricRow] = Field(default_factory=list, max_length=100_000)
    events: list[EventRow] = Field(default_factory=list, max_length=100_000)


class Change(Schema):
    new: int
    changed: int
    unchanged: int


class BulkOut(Schema):
    evaluations: Change
    metrics: Change
    events: Change
    warnings: list[str]


class PolicyOut(Schema):
    scheme: str
    version: str
    effective_from: dt.date
    label: str
    uploaded_at: dt.datetime
    uploaded_by: str | None


class DecisionOut(Schema):
    employee_id: str
    kind: str
    rule: str
    track: str | None
    from_level: str | None
    to_level: str | None
    eligible: bool
    criteria: list[dict[str, Any]]


class EvaluationRunOut(Schema):
    """The shape of `rungs evaluate --format json` (INTERCHANGE.md), limited to the caller's scope."""

    policy: str
    policy_version: str
    as_of: dt.date
    warnings: list[str]
    results: list[DecisionOut]
    data_through: dt.date | None = None  # the latest fact on file when the run was made
    stale: bool = False  # the data end more than two months before as_of
