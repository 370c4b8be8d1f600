"""Which stored run a user sees. Not simply the last one made: a run belongs to its policy version and
its scope, so a department manager's run, a run of an old version or one backdated to 2001 does not
replace what everyone else sees.

The current run for a user (of a scheme, or covering one person) is the official run — the version in
force on its evaluation date, covering someone — with the latest evaluation date (then the latest made)
among the company-wide runs and the runs of the user's own department.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from rungs.accounts.models import COMPANY_WIDE
from rungs.audit import clock
from rungs.core.engine.evaluate import ref_labels
from rungs.policies.models import EvaluationRun, Policy


def _department_of(user) -> int | None:
    if user is None or user.is_superuser or user.role in COMPANY_WIDE:
        return None
    if user.department_id:
        return user.department_id
    employee = getattr(user, "employee", None)
    return employee.department_id if employee is not None else None


def runs_for(user) -> QuerySet[EvaluationRun]:
    """Official runs whose scope the user's view falls in: company-wide ones, and their department's."""
    scope = Q(department__isnull=True)
    department = _department_of(user)
    if department is not None:
        scope |= Q(department_id=department)
    return (
        EvaluationRun.objects.filter(scope, official=True)
        .select_related("policy")
        .order_by("-as_of", "-created_at", "-pk")
    )


def current_run(user, scheme: str | None = None, employee=None) -> EvaluationRun | None:
    """The run the pages show this user: of `scheme` (else of any scheme), covering `employee` if given."""
    runs = runs_for(user)
    if scheme:
        runs = runs.filter(policy__scheme=scheme)
    if employee is not None:
        runs = runs.filter(decisions__employee=employee).distinct()
    return runs.first()


def schemes(user) -> list[tuple[str, str]]:
    """(scheme, label) of every scheme with an official run the user may see, for a choice."""
    seen: dict[str, str] = {}
    for scheme, label in runs_for(user).values_list("policy__scheme", "policy__label"):
        seen.setdefault(scheme, label)
    return sorted(seen.items())


def runs_of(employee, user) -> QuerySet[EvaluationRun]:
    """Every run (official or not) that holds results for `employee` and that the user's view covers:
    "why was she not eligible in June?" is answered by June's run. Company-wide roles see every scope."""
    runs = EvaluationRun.objects.filter(decisions__employee=employee)
    department = _department_of(user)
    if user is not None and not (user.is_superuser or user.role in COMPANY_WIDE):
        runs = runs.filter(Q(department__isnull=True) | Q(department_id=department))
    return runs.distinct().select_related("policy").order_by("-as_of", "-created_at", "-pk")


def policies_in_force(on: dt.date) -> list[Policy]:
    """The version in force on `on` of every scheme stored."""
    found = (
        Policy.in_force(on, scheme) for scheme in Policy.objects.values_list("scheme", flat=True).distinct()
    )
    return [p for p in found if p is not None]


def ref_choices(event: str, lang: str, on: dt.date | None = None) -> list[tuple[str, str]]:
    """(ref, label) of the items of `event` (exam subjects, attested items …) that the policies in force
    name, labelled in the policy's words: what an entry form offers."""
    seen: dict[str, str] = {}
    for policy in policies_in_force(on or clock.today()):
        for ref, label in ref_labels(policy.parsed, event).items():
            seen.setdefault(ref, f"{label.get(lang)}（{ref}）")
    return sorted(seen.items(), key=lambda item: item[1])
