"""Puts a validated data set (`rungs.core.interchange.Dataset`) into the database in one transaction.

This is the plain "replace everything" load used by the demo and by a fresh install; the previewed,
idempotent import with updates comes with the import pages.
"""

from __future__ import annotations

from django.db import transaction

from rungs.core.interchange.dataset import Dataset
from rungs.people.models import Assignment, Department, Employee, Position, Team
from rungs.records.models import Evaluation, Event, Metric

BATCH = 5000


def _rows(df):
    return df.iter_rows(named=True)


@transaction.atomic
def replace_all(data: Dataset) -> dict[str, int]:
    for model in (Metric, Evaluation, Event, Assignment, Position):
        model.objects.all().delete()
    Employee.objects.update(manager=None)
    Employee.objects.all().delete()
    Team.objects.all().delete()
    Department.objects.all().delete()

    emp = data.employees
    dept_names = sorted({d for d in emp.get_column("department").drop_nulls().to_list()})
    depts = {d.name: d for d in Department.objects.bulk_create([Department(name=n) for n in dept_names])}
    team_dept = {
        t: d for t, d in emp.select("team", "department").drop_nulls("team").unique("team").iter_rows()
    }
    teams = {
        t.code: t
        for t in Team.objects.bulk_create(
            [Team(code=t, department=depts[d]) for t, d in sorted(team_dept.items()) if d in depts]
        )
    }
    extra = [
        c
        for c in emp.columns
        if c
        not in (
            "employee_id",
            "name",
            "hire_date",
            "team",
            "department",
            "education",
            "status",
            "regularized_on",
            "manager_id",
            "birth_date",
        )
    ]
    people = Employee.objects.bulk_create(
        [
            Employee(
                employee_id=r["employee_id"],
                name=r["name"],
                hire_date=r["hire_date"],
                department=depts.get(r["department"]),
                team=teams.get(r["team"]),
                education=r["education"] or "",
                status=r["status"] or "regular",
                regularized_on=r["regularized_on"],
                birth_date=r["birth_date"],
                attributes={c: r[c] for c in extra if r[c] is not None},
            )
            for r in _rows(emp)
        ],
        batch_size=BATCH,
    )
    by_id = {e.employee_id: e for e in people}
    managed = []
    for eid, mid in emp.select("employee_id", "manager_id").drop_nulls().iter_rows():
        if mid in by_id:
            by_id[eid].manager = by_id[mid]
            managed.append(by_id[eid])
    Employee.objects.bulk_update(managed, ["manager"], batch_size=BATCH)

    Assignment.objects.bulk_create(
        [
            Assignment(
                employee=by_id[r["employee_id"]],
                track=r["track"],
                level=r["level"],
                start_date=r["start_date"],
                end_date=r["end_date"],
                kind=r["kind"],
                department=r["department"] or "",
            )
            for r in _rows(data.assignments)
        ],
        batch_size=BATCH,
    )
    Position.objects.bulk_create(
        [
            Position(
                level=r["level"],
                headcount=r["headcount"],
                track=r["track"] or "",
                team=r["team"] or "",
                department=r["department"] or "",
            )
            for r in _rows(data.positions)
        ]
    )
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                employee=by_id[r["employee_id"]],
                period=r["period"],
                period_kind=r["period_kind"],
                seq=r["seq"],
                score=r["score"],
                grade=r["grade"] or "",
                coefficient=r["coefficient"],
                rank=r["rank"],
            )
            for r in _rows(data.evaluations)
        ],
        batch_size=BATCH,
    )
    Metric.objects.bulk_create(
        [
            Metric(
                employee=by_id[r["employee_id"]],
                period=r["period"],
                period_kind=r["period_kind"],
                seq=r["seq"],
                metric=r["metric"],
                value=r["value"],
            )
            for r in _rows(data.metrics)
        ],
        batch_size=BATCH,
    )
    Event.objects.bulk_create(
        [
            Event(
                employee=by_id[r["employee_id"]],
                date=r["date"],
                type=r["type"],
                value=r["value"],
                ref=r["ref"] or "",
                note=r["note"] or "",
            )
            for r in _rows(data.events)
        ],
        batch_size=BATCH,
    )
    return {
        name: len(data.frame(name))
        for name in ("employees", "assignments", "evaluations", "metrics", "events", "positions")
    }
