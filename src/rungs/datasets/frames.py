"""The database as an interchange `Dataset`, so the same engine evaluates stored records and files.

Read with one SQL query per table straight into Polars (no model instances): at 10,000 employees that is
well over a million KPI rows.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Mapping

import polars as pl
from django.db import connection

from rungs.core.interchange.dataset import SCHEMAS, Dataset
from rungs.core.interchange.reader import Needed, Span
from rungs.core.vocabulary import EVENT_TYPES

_QUERIES = {
    "employees": """
        SELECT e.id AS _id, e.employee_id, e.name, e.hire_date, t.code AS team, d.name AS department, e.education, e.status,
               e.regularized_on, m.employee_id AS manager_id, e.birth_date
        FROM people_employee e LEFT JOIN people_team t ON t.id = e.team_id
        LEFT JOIN people_department d ON d.id = e.department_id LEFT JOIN people_employee m ON m.id = e.manager_id
        {where} ORDER BY e.employee_id""",
    "assignments": """
        SELECT a.id AS _id, e.employee_id, a.track, a.level, a.start_date, a.end_date, a.kind, a.department
        FROM people_assignment a JOIN people_employee e ON e.id = a.employee_id
        {where} ORDER BY e.employee_id, a.track, a.start_date, a.id""",
    "evaluations": """
        SELECT v.id AS _id, e.employee_id, v.period, v.period_kind, v.seq, v.score, v.grade, v.coefficient, v.rank
        FROM records_evaluation v JOIN people_employee e ON e.id = v.employee_id
        {where} ORDER BY e.employee_id, v.period_kind, v.seq""",
    "metrics": """
        SELECT k.id AS _id, e.employee_id, k.period, k.period_kind, k.seq, k.metric, k.value
        FROM records_metric k JOIN people_employee e ON e.id = k.employee_id {where}
        ORDER BY e.employee_id, k.metric, k.period_kind, k.seq""",
    "events": """
        SELECT v.id AS _id, e.employee_id, v.date, v.type, v.value, v.ref, v.note
        FROM records_event v JOIN people_employee e ON e.id = v.employee_id
        {where} ORDER BY e.employee_id, v.date, v.id""",
    "positions": "SELECT id AS _id, level, headcount, track, team, department FROM people_position {where} ORDER BY id",
}
# Text columns stored as '' in the database are null in a data set.
_BLANK_IS_NULL = {"education", "grade", "department", "ref", "note", "track", "team"}


def dataset_from_db(*, keep_metrics: Iterable[str] | None = None, needed: Needed | None = None) -> Dataset:
    """The stored records as a data set: with `needed` (rungs.core.engine.evaluate.needed and its reward
    counterpart), only the rows a policy reads at a date or for a cycle, chosen by the database."""
    frames = {
        name: df.drop("_id") for name, df in frames_from_db(keep_metrics=keep_metrics, needed=needed).items()
    }
    extra = _attributes()
    if extra is not None:
        frames["employees"] = frames["employees"].join(extra, on="employee_id", how="left")
    return Dataset(**frames)


def frames_from_db(
    *,
    keep_metrics: Iterable[str] | None = None,
    tables: Iterable[str] | None = None,
    employee_ids: Collection[str] | None = None,
    needed: Needed | None = None,
) -> dict[str, pl.DataFrame]:
    """Each table in the data-set schema plus `_id`, the row's primary key (for updates). `tables` limits
    which are read; `employee_ids` limits the rows to those people (an import of a few people's records
    need not read the whole company)."""
    frames = {}
    for name in _QUERIES if tables is None else tables:
        conditions, params = [], []
        if name == "metrics" and keep_metrics is not None and needed is None:
            names = sorted(set(keep_metrics))
            conditions.append(f"k.metric IN ({', '.join(['%s'] * len(names)) or 'NULL'})")
            params += names
        if needed is not None:
            condition, values = _needed_sql(name, needed)
            if condition:
                conditions.append(condition)
                params += values
        if employee_ids is not None and name != "positions":
            ids = sorted(set(employee_ids))
            conditions.append(f"e.employee_id IN ({', '.join(['%s'] * len(ids)) or 'NULL'})")
            params += ids
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        frames[name] = _read(name, _QUERIES[name].format(where=where), params)
    return frames


def _spans_sql(alias: str, spans: Mapping[str, Span]) -> tuple[str, list]:
    """Rows of these period kinds and seq spans (stored rows are valid: no malformed period to keep)."""
    parts, params = [], []
    for kind, (first, last) in sorted(spans.items()):
        if first is None:
            parts.append(f"({alias}.period_kind = %s AND {alias}.seq <= %s)")
            params += [kind, last]
        else:
            parts.append(f"({alias}.period_kind = %s AND {alias}.seq BETWEEN %s AND %s)")
            params += [kind, first, last]
    return (f"({' OR '.join(parts)})" if parts else "1 = 0"), params


def _needed_sql(name: str, needed: Needed) -> tuple[str, list]:
    if name == "metrics":
        parts, params = [], []
        for metric, spans in sorted(needed.metrics.items()):
            periods, values = _spans_sql("k", spans)
            parts.append(f"(k.metric = %s AND {periods})")
            params += [metric, *values]
        return (f"({' OR '.join(parts)})" if parts else "1 = 0"), params
    if name == "evaluations":
        return _spans_sql("v", needed.evaluations)
    if name == "events":
        unread = sorted(set(EVENT_TYPES) - needed.event_types)
        parts = [f"v.type NOT IN ({', '.join(['%s'] * len(unread))})"] if unread else []
        params: list = list(unread)
        for kind, since in sorted(needed.event_since.items()):
            parts.append("NOT (v.type = %s AND v.date < %s)")
            params += [kind, since]
        return " AND ".join(parts), params
    return "", []


def _read(name: str, sql: str, params: list) -> pl.DataFrame:
    """Rows as the data-set schema. SQLite hands back dates as text and PostgreSQL as dates; both end as
    pl.Date."""
    schema = {"_id": pl.Int64(), **SCHEMAS[name]}
    if connection.vendor == "postgresql":
        df = _copy_out(sql, params, schema)
        return df.select(*[_as(c, t, df.schema[c]) for c, t in schema.items()])
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    if not rows:
        return pl.DataFrame(schema=schema)
    columns = zip(*rows, strict=True)  # column lists build a frame far faster than a million row tuples
    df = pl.DataFrame(
        {c: pl.Series(c, values, strict=False) for c, values in zip(schema, columns, strict=True)}
    )
    return df.select(*[_as(c, t, df.schema[c]) for c, t in schema.items()])


_PARSED = (pl.Int64, pl.Int32, pl.Float64)  # parsed by Polars while it reads; the rest is read as text


def _copy_out(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The query's rows through COPY … TO STDOUT as CSV, parsed by Polars: no Python object per value (a
    company's KPI table is millions of rows). In PostgreSQL's CSV an unquoted empty field is NULL and ""
    an empty text, which is how Polars reads them."""
    from psycopg import sql as pg

    query = pg.SQL(sql.replace("%s", "{}")).format(*(pg.Literal(v) for v in params))
    buf = io.BytesIO()
    with (
        connection.cursor() as cur,
        cur.cursor.copy(pg.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(query)) as copy,
    ):
        for block in copy:
            buf.write(block)
    types = {c: t if isinstance(t, _PARSED) else pl.String() for c, t in schema.items()}
    if not buf.tell():
        return pl.DataFrame(schema=types)
    return pl.read_csv(buf.getvalue(), has_header=False, schema=types)


def _as(col: str, dtype: pl.DataType, got: pl.DataType) -> pl.Expr:
    c = pl.col(col)
    if dtype == pl.Date and got == pl.String:
        c = c.str.slice(0, 10).str.to_date("%Y-%m-%d")
    c = c.cast(dtype)
    return (c.replace("", None) if col in _BLANK_IS_NULL else c).alias(col)


def _attributes() -> pl.DataFrame | None:
    """Extra columns of employees.csv, kept in Employee.attributes, back as columns."""
    from rungs.people.models import Employee

    rows = list(Employee.objects.exclude(attributes={}).values_list("employee_id", "attributes"))
    if not rows:
        return None
    return pl.DataFrame(
        [{"employee_id": eid, **{k: str(v) for k, v in attrs.items()}} for eid, attrs in rows]
    )
