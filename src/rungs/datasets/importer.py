"""Importing a data set into the database: a preview first, then an all-or-nothing, idempotent apply.

Each row is matched to a stored record by its natural key (KEYS); a matched row whose values differ
updates that record, an unmatched one is added, and nothing is ever deleted by an import. Importing the
same files twice therefore changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import connection, transaction

from rungs.core.interchange.dataset import FILES, SCHEMAS, Dataset
from rungs.core.interchange.errors import DataError, Problem
from rungs.core.interchange.reader import read_dataset
from rungs.datasets.frames import frames_from_db
from rungs.people.models import Assignment, Department, Employee, Position, Team
from rungs.records.models import Evaluation, Event, Metric

KEYS: dict[str, tuple[str, ...]] = {
    "employees": ("employee_id",),
    "assignments": ("employee_id", "track", "start_date", "kind"),
    "evaluations": ("employee_id", "period"),
    "metrics": ("employee_id", "period", "metric"),
    # Events are facts without an id of their own: the whole row is the key, and identical rows (two
    # complaints on one day) are told apart by their order, so re-importing adds nothing.
    "events": ("employee_id", "date", "type", "ref", "value", "note", "_n"),
    "positions": ("level", "track", "team", "department"),
}
MODELS = {
    "assignments": Assignment,
    "evaluations": Evaluation,
    "metrics": Metric,
    "events": Event,
    "positions": Position,
}
BATCH = 5000


@dataclass
class Change:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: object
    new: object


@dataclass(frozen=True)
class RowChange:
    """One stored row an import changes: its key as the file names it and each field that differs."""

    key: tuple[str, ...]
    fields: tuple[FieldChange, ...]


SHOWN_CHANGES = 200  # changed rows described field by field, per file (the counts are always complete)
# Worked out from another column (period → period_kind, seq): present whenever that column is.
_DERIVED = {"period_kind", "seq"}


@dataclass
class ImportPlan:
    source: str
    data: Dataset
    changes: dict[str, Change] = field(default_factory=dict)
    # Per file, the first SHOWN_CHANGES changed rows, field by field (old → new).
    details: dict[str, list[RowChange]] = field(default_factory=dict)
    _rows: dict[str, tuple[pl.DataFrame, pl.DataFrame]] = field(default_factory=dict, repr=False)

    @property
    def touches_anything(self) -> bool:
        return any(c.new or c.changed for c in self.changes.values())

    def summary(self) -> str:
        lines = [
            f"{name:<12} 新增 new {c.new:>9,}   更新 changed {c.changed:>9,}   不变 unchanged {c.unchanged:>9,}"
            for name, c in self.changes.items()
        ]
        return "\n".join(lines)


def read_for_import(path: str | Path, *, department: str | None = None) -> ImportPlan:
    """Reads and validates the files and compares them with the database. Writes nothing. With
    `department`, every row must belong to that department (see `check_department`)."""
    data = read_dataset(path)
    if department is not None:
        check_department(data, department, str(path))
    return plan(data, str(path))


def check_department(data: Dataset, department: str, source: str) -> None:
    """Raises DataError naming every row outside `department` (a department manager imports for their own
    department only): people listed under another or no department, or stored in another one, people put
    in another department's team, managers from another department, and posts (编制) of another department
    or of all. Records need no check
    of their own: the reader accepts them only for people listed in employees.csv."""
    listed = data.employees.select("employee_id", "department", "team").with_row_index("_row", offset=2)
    stored = pl.DataFrame(
        list(Employee.objects.values_list("employee_id", "department__name")),
        schema={"employee_id": pl.String, "stored": pl.String},
        orient="row",
    )
    expected = f"{department}（您所在的部门 / your department）"
    if data.has_column("employees", "department"):
        outside = listed.filter(pl.col("department").ne_missing(department))
    else:  # the column is left alone: a stored person keeps theirs (checked next); a new one has none
        outside = listed.filter(~pl.col("employee_id").is_in(stored.get_column("employee_id").implode()))
    problems = [
        Problem(f"{source}[employees]", row, "department", expected, got)
        for row, _, got, _ in outside.iter_rows()
    ]
    moved = listed.join(stored, on="employee_id").filter(pl.col("stored").ne_missing(department))
    problems += [
        Problem(f"{source}[employees]", row, "employee_id", f"{expected}的人员", f"{eid}（{was or '—'}）")
        for row, eid, _, _, was in moved.iter_rows()
    ]
    teams = pl.DataFrame(
        list(Team.objects.exclude(department__name=department).values_list("code", "department__name")),
        schema={"team": pl.String, "owner": pl.String},
        orient="row",
    )
    foreign = listed.join(teams, on="team").sort("_row")
    problems += [
        Problem(f"{source}[employees]", row, "team", f"{expected}的班组", f"{team}（{owner}）")
        for row, _, _, team, owner in foreign.iter_rows()
    ]
    # A manager from another department: neither listed here (all listed are this department's, above)
    # nor stored in this department.
    ours = set(listed.get_column("employee_id")) | set(
        stored.filter(pl.col("stored") == department).get_column("employee_id")
    )
    managers = data.employees.select("manager_id").with_row_index("_row", offset=2).drop_nulls("manager_id")
    problems += [
        Problem(f"{source}[employees]", row, "manager_id", f"{expected}的人员", mid)
        for row, mid in managers.filter(~pl.col("manager_id").is_in(sorted(ours))).iter_rows()
    ]
    posts = data.positions.select("department").with_row_index("_row", offset=2)
    problems += [
        Problem(f"{source}[positions]", row, "department", expected, got)
        for row, got in posts.filter(pl.col("department").ne_missing(department)).iter_rows()
    ]
    if problems:
        raise DataError(problems)


# Up to this many people, only their stored rows are read to compare with (one IN list per table).
FEW_PEOPLE = 2000


def plan(data: Dataset, source: str = "") -> ImportPlan:
    """Compares the data set with the database, file by file. Files without rows are left out, so a
    records-only import (the API's bulk upsert) never touches people."""
    _check_keys(data, source)
    present = [name for name in FILES if not data.frame(name).is_empty()]
    ids = set().union(
        *(data.frame(n).get_column("employee_id").to_list() for n in present if n != "positions")
    )
    current = frames_from_db(tables=present, employee_ids=ids if len(ids) <= FEW_PEOPLE else None)
    result = ImportPlan(source, data)
    for name in present:
        incoming, stored = data.frame(name), current[name]
        if name == "employees":
            stored = _with_attributes(stored, [c for c in incoming.columns if c not in SCHEMAS[name]])
        lacking = {c for c in SCHEMAS[name] if c not in _DERIVED and not data.has_column(name, c)}
        new, changed, unchanged, details = _diff(name, incoming, stored, lacking)
        result.changes[name] = Change(new.height, changed.height, unchanged)
        result._rows[name] = (new, changed)
        if details:
            result.details[name] = details
    return result


def _with_attributes(stored: pl.DataFrame, extra: list[str]) -> pl.DataFrame:
    """The stored people with the extra columns (attributes) the file brings, as text: a file that changes
    only someone's base_pay is an update, shown field by field, not "unchanged"."""
    if not extra:
        return stored
    ids = stored.get_column("employee_id").to_list()
    rows = Employee.objects.filter(employee_id__in=ids) if len(ids) <= FEW_PEOPLE else Employee.objects
    values = [
        (eid, *(None if (attrs or {}).get(c) in (None, "") else str(attrs[c]) for c in extra))
        for eid, attrs in rows.values_list("employee_id", "attributes").iterator(chunk_size=BATCH)
    ]
    frame = pl.DataFrame(
        values, schema={"employee_id": pl.String, **dict.fromkeys(extra, pl.String)}, orient="row"
    )
    return stored.join(frame, on="employee_id", how="left")


def _check_keys(data: Dataset, source: str) -> None:
    problems = []
    for name, key in KEYS.items():
        if name == "events":
            continue
        df = data.frame(name)
        dup = df.with_row_index("_row", offset=2).filter(pl.struct(key).is_duplicated())
        for row in dup.head(200).iter_rows(named=True):
            problems.append(
                Problem(
                    f"{source}[{name}]",
                    row["_row"],
                    ",".join(key),
                    f"each ({', '.join(key)}) once",
                    " / ".join(str(row[k]) for k in key),
                )
            )
    if problems:
        raise DataError(problems)


def _diff(name: str, incoming: pl.DataFrame, stored: pl.DataFrame, lacking: set[str] = frozenset()):
    """(new rows, changed rows with their _id, how many are unchanged, the first changed rows field by
    field). A column the file lacks (`lacking`) keeps its stored value in a row that is stored already: an
    employees.csv of id, name and hire date changes names and hire dates, never teams or managers."""
    key = list(KEYS[name])
    if "_n" in key:
        cols = [c for c in key if c != "_n"]
        incoming, stored = (
            df.with_columns(_n=pl.int_range(pl.len()).over(cols)) for df in (incoming, stored)
        )
    values = [c for c in stored.columns if c not in key and c != "_id"]
    incoming = incoming.select(key + values)
    joined = incoming.join(stored, on=key, how="left", nulls_equal=True, suffix="_db")
    kept = [c for c in values if c in lacking]
    if kept:
        found_row = pl.col("_id").is_not_null()
        joined = joined.with_columns(
            pl.when(found_row).then(pl.col(f"{c}_db")).otherwise(pl.col(c)).alias(c) for c in kept
        )
    new = joined.filter(pl.col("_id").is_null()).select(key + values)
    found = joined.filter(pl.col("_id").is_not_null())
    compared = [c for c in values if c not in kept]
    differs = (
        pl.any_horizontal(*[pl.col(c).ne_missing(pl.col(f"{c}_db")) for c in compared])
        if compared
        else pl.lit(False)
    )
    changed_full = found.filter(differs)
    changed = changed_full.select(["_id", *key, *values])
    details = [
        RowChange(
            tuple("" if row[k] is None else str(row[k]) for k in key if k != "_n"),
            tuple(
                FieldChange(c, row[f"{c}_db"], row[c])
                for c in compared
                if c not in _DERIVED and _differs(row[c], row[f"{c}_db"])
            ),
        )
        for row in changed_full.head(SHOWN_CHANGES).iter_rows(named=True)
    ]
    return new, changed, found.height - changed.height, details


def _differs(a, b) -> bool:
    return (a is None) != (b is None) or (a is not None and a != b)


@transaction.atomic
def apply(p: ImportPlan) -> ImportPlan:
    """Writes the plan in one transaction: either every row lands or none does."""
    touched = _apply_employees(p.data, *p._rows["employees"]) if "employees" in p._rows else set()
    pks = _pks(p.data)
    if touched and p.data.has_column("employees", "manager_id"):  # else every manager stays
        _link_managers(p.data.employees, touched, pks)
    ids = pl.DataFrame(list(pks.items()), schema=["employee_id", "_pk"], orient="row")
    for name, (new, changed) in p._rows.items():
        if name == "employees":
            continue
        model = MODELS[name]
        if not changed.is_empty():
            stale = changed.get_column("_id").to_list()
            for i in range(0, len(stale), BATCH):
                model.objects.filter(pk__in=stale[i : i + BATCH]).delete()
        rows = pl.concat([new, changed.drop("_id")]) if not changed.is_empty() else new
        rows = rows.drop("_n", strict=False)
        if "employee_id" in rows.columns:
            rows = (
                rows.join(ids, on="employee_id", how="left")
                .drop("employee_id")
                .rename({"_pk": "employee_id"})
            )
        rows = rows.with_columns(pl.col(c).fill_null("") for c in rows.columns if c in _BLANKABLE)
        insert_rows(model, rows)
    refresh_statistics([Employee, *MODELS.values()])
    return p


def refresh_statistics(models) -> None:
    """After a bulk write the planner still believes the tables are small (PostgreSQL) or knows nothing of
    them (SQLite) and may pick plans that take seconds instead of milliseconds; ANALYZE updates what it
    knows."""
    names = [connection.ops.quote_name(m._meta.db_table) for m in models]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {', '.join(names)}")
        elif connection.vendor == "sqlite":
            for name in names:  # SQLite analyses one table (or the whole file) per statement
                cur.execute(f"ANALYZE {name}")


COPY_ROWS = 50_000  # rows per piece of CSV handed to COPY


def insert_rows(model, rows: pl.DataFrame) -> None:
    """Bulk insert without model instances: COPY on PostgreSQL, executemany elsewhere. An import of a
    million KPI rows would spend minutes building ORM objects otherwise."""
    if rows.is_empty():
        return
    table = connection.ops.quote_name(model._meta.db_table)
    cols = [model._meta.get_field(c).column for c in rows.columns]
    names = ", ".join(connection.ops.quote_name(c) for c in cols)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The rows as CSV written by Polars, not row by row: in PostgreSQL's CSV format an unquoted
            # empty field is NULL and "" an empty text, which is how Polars writes null and "".
            with cur.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy:
                for chunk in rows.iter_slices(COPY_ROWS):
                    copy.write(chunk.write_csv(include_header=False, date_format="%Y-%m-%d"))
            return
        text = rows.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d"))  # no deprecated date adapter
        marks = ", ".join(["%s"] * len(cols))
        for chunk in text.iter_slices(BATCH * 10):
            cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", chunk.rows())


UNASSIGNED = "未分配"  # the department of a team whose department the file does not give
EMPLOYEE_FIELDS = [
    "name",
    "hire_date",
    "department",
    "team",
    "education",
    "status",
    "regularized_on",
    "birth_date",
    "attributes",
]
_BLANKABLE = {"grade", "department", "ref", "note", "track", "team"}


def _pks(data: Dataset) -> dict[str, int]:
    """employee_id → primary key of everyone the files name (people, their managers, records): read for
    just them when they are few (the API's bulk upsert), for everyone otherwise."""
    named = [data.employees.get_column("manager_id").drop_nulls()]
    named += [data.frame(n).get_column("employee_id") for n in FILES if n != "positions"]
    ids = set().union(*(s.to_list() for s in named))
    people = Employee.objects.filter(employee_id__in=ids) if len(ids) <= FEW_PEOPLE else Employee.objects
    return dict(people.values_list("employee_id", "pk"))


def _apply_employees(data: Dataset, new: pl.DataFrame, changed: pl.DataFrame) -> set[str]:
    """Adds and updates people (and their departments and teams); returns the employee_ids written. An
    updated person keeps the stored attributes the file has no column for."""
    employees = data.employees
    pairs = employees.select("team", "department").drop_nulls("team").unique("team", keep="first").rows()
    wanted = set(employees.get_column("department").drop_nulls())
    if any(dept is None for _, dept in pairs):
        wanted.add(UNASSIGNED)  # a team needs a department
    Department.objects.bulk_create([Department(name=n) for n in sorted(wanted)], ignore_conflicts=True)
    depts = {d.name: d for d in Department.objects.all()}
    known = set(Team.objects.values_list("code", flat=True))
    Team.objects.bulk_create(
        [Team(code=t, department=depts[d or UNASSIGNED]) for t, d in pairs if t not in known]
    )
    teams = {t.code: t for t in Team.objects.all()}
    extra = [c for c in employees.columns if c not in SCHEMAS["employees"]]
    attrs = (
        {
            r[0]: {c: v for c, v in zip(extra, r[1:], strict=True) if v is not None}
            for r in employees.select("employee_id", *extra).iter_rows()
        }
        if extra
        else {}
    )
    stored_attrs = dict(
        Employee.objects.filter(pk__in=changed.get_column("_id").to_list()).values_list("pk", "attributes")
    )

    def attributes(r) -> dict:
        kept = {k: v for k, v in (stored_attrs.get(r.get("_id")) or {}).items() if k not in extra}
        return {**kept, **attrs.get(r["employee_id"], {})}

    def fields(r):
        return dict(
            name=r["name"],
            hire_date=r["hire_date"],
            department=depts.get(r["department"]),
            team=teams.get(r["team"]),
            education=r["education"] or "",
            status=r["status"] or "regular",
            regularized_on=r["regularized_on"],
            birth_date=r["birth_date"],
            attributes=attributes(r),
        )

    Employee.objects.bulk_create(
        [Employee(employee_id=r["employee_id"], **fields(r)) for r in new.iter_rows(named=True)],
        batch_size=BATCH,
    )
    updated = [
        Employee(pk=r["_id"], employee_id=r["employee_id"], **fields(r))
        for r in changed.iter_rows(named=True)
    ]
    Employee.objects.bulk_update(updated, EMPLOYEE_FIELDS, batch_size=BATCH)
    return set(new.get_column("employee_id")) | set(changed.get_column("employee_id"))


def _link_managers(employees: pl.DataFrame, touched: set[str], pks: dict[str, int]) -> None:
    """Sets the manager of the people written, once all are stored (a manager may be new in the file)."""
    links = [
        (pks.get(mid) if mid else None, pks[eid])
        for eid, mid in employees.select("employee_id", "manager_id").iter_rows()
        if eid in touched
    ]
    table = connection.ops.quote_name(Employee._meta.db_table)
    with connection.cursor() as cur:  # one statement per row; bulk_update's CASE grows quadratically
        cur.executemany(f"UPDATE {table} SET manager_id = %s WHERE id = %s", links)


def import_path(path: str | Path, *, dry_run: bool = False) -> ImportPlan:
    p = read_for_import(path)
    return p if dry_run else apply(p)
