"""Evaluating the stored records under a stored policy version, and keeping the decisions."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import transaction

from rungs.core.engine.evaluate import evaluate, needed
from rungs.core.engine.report import decision_parts
from rungs.core.engine.soon import soon_months_expr
from rungs.datasets.frames import dataset_from_db
from rungs.datasets.importer import insert_rows, refresh_statistics
from rungs.people.models import Employee
from rungs.policies.models import Decision, EvaluationRun, Policy

DECISION_COLUMNS = {
    "run_id": pl.Int64,
    "employee_id": pl.Int64,
    "rule": pl.String,
    "kind": pl.String,
    "track": pl.String,
    "from_level": pl.String,
    "to_level": pl.String,
    "eligible": pl.Boolean,
    "passed": pl.Int64,
    "total": pl.Int64,
    "criteria": pl.String,
    "soon_months": pl.Int64,
}


@transaction.atomic
def run_evaluation(policy: Policy, as_of: dt.date, user=None, department=None) -> EvaluationRun:
    """Evaluates everyone (ranks and vacancies are company-wide facts) and keeps the results of everyone,
    or only of `department`'s people."""
    parsed = policy.parsed
    data = dataset_from_db(needed=needed(parsed, as_of))  # only the rows the policy reads at as_of
    ev = evaluate(parsed, data, as_of)
    people = Employee.objects.filter(department=department) if department is not None else Employee.objects
    ids = dict(people.values_list("employee_id", "pk"))
    run = EvaluationRun.objects.create(
        policy=policy,
        as_of=as_of,
        created_by=user,
        employees=len(ids) if department is not None else data.employees.height,
        warnings=list(ev.warnings),
        department=department,
    )
    pks = pl.DataFrame(list(ids.items()), schema={"employee_id": pl.String, "pk": pl.Int64}, orient="row")
    # The decisions as columns, a block of employees at a time, straight into the table as an import
    # does: a company-wide run is hundreds of thousands of rows.
    for part in decision_parts(ev, "zh", extra=lambda r: [soon_months_expr(r).alias("soon_months")]):
        # Inner: a department's run keeps its people's results only.
        rows = part.join(pks, on="employee_id", how="inner", maintain_order="left").select(
            pl.lit(run.pk, dtype=pl.Int64).alias("run_id"),
            pl.col("pk").alias("employee_id"),
            "rule",
            "kind",
            *(pl.col(c).fill_null("") for c in ("track", "from_level", "to_level")),
            "eligible",
            "passed",
            "total",
            "criteria",
            "soon_months",
        )
        insert_rows(Decision, rows.cast(DECISION_COLUMNS))  # type: ignore[arg-type]
    refresh_statistics([Decision])
    return run


def decisions_as_contract(run: EvaluationRun, employees=None) -> dict:
    """A stored run in the shape of `rungs evaluate --format json` (INTERCHANGE.md); with `employees` (a
    queryset), only their results, selected by the database."""
    rows = run.decisions.select_related("employee").order_by("employee__employee_id", "pk")
    if employees is not None:
        rows = rows.filter(employee__in=employees)
    return {
        "policy": run.policy.scheme,
        "policy_version": run.policy.version,
        "as_of": run.as_of.isoformat(),
        "warnings": run.warnings,
        "results": [
            {
                "employee_id": d.employee.employee_id,
                "kind": d.kind,
                "rule": d.rule,
                "track": d.track or None,
                "from_level": d.from_level or None,
                "to_level": d.to_level or None,
                "eligible": d.eligible,
                "criteria": d.criteria,
            }
            for d in rows
        ],
    }
