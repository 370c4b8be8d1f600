"""What the talent pages and the round page read: the pools and members a user may see, the reserve
candidates of a post that falls vacant, and a person's career file."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from rungs.accounts.scope import visible_employees
from rungs.core.periods import add_months
from rungs.records.models import Evaluation, Event
from rungs.talent.models import CareerPlan, CareerTalk, PoolMember, Readiness, ReservePool

READINESS_ORDER = Case(
    When(override=Readiness.READY_NOW, then=Value(0)),
    When(override=Readiness.ONE_TWO_YEARS, then=Value(1)),
    When(override=Readiness.LATER, then=Value(2)),
    When(computed=Readiness.READY_NOW, then=Value(0)),
    When(computed=Readiness.ONE_TWO_YEARS, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def members_of(pool: ReservePool, user=None) -> QuerySet[PoolMember]:
    """The members who qualify, ready ones first, then by successor order; only those in the user's scope."""
    qs = pool.members.filter(qualifies=True).select_related("employee")
    if user is not None:
        qs = qs.filter(employee__in=visible_employees(user))
    return qs.annotate(rank=READINESS_ORDER).order_by("rank", "successor", "employee__employee_id")


def pool_for_post(track: str, level: str, department=None) -> QuerySet[PoolMember]:
    """The reserve candidates proposed first when a post at `level` falls vacant: the members who qualify
    of the department's pool for it and of the company-wide pool (HR's reserve talent file, whose people
    may be recommended to any department); ready now first, then by successor order. Each person once
    (their best placement)."""
    where = Q(pool__department__isnull=True)
    if department is not None:
        where |= Q(pool__department=department)
    qs = (
        PoolMember.objects.filter(where, pool__track=track, pool__level=level, qualifies=True)
        .select_related("employee", "pool")
        .annotate(rank=READINESS_ORDER)
        .order_by("rank", "successor", "employee__employee_id")
    )
    seen: set[int] = set()
    keep = []
    for mb in qs:
        if mb.employee_id not in seen:
            seen.add(mb.employee_id)
            keep.append(mb.pk)
    return qs.filter(pk__in=keep)


def nine_box(members) -> list[list[list[PoolMember]]]:
    """Rows potential high → low, columns performance low → high; the members placed in each box."""
    bands = ("low", "medium", "high")
    grid = [[[] for _p in bands] for _q in bands]
    for mb in members:
        if mb.performance and mb.potential:
            grid[2 - bands.index(mb.potential)][bands.index(mb.performance)].append(mb)
    return grid


def plan_due(employee, plans, on: dt.date) -> dt.date | None:
    """When the next 员工职业发展规划表 is due: 1 month after regularization, then a year after the last
    one; None while on probation."""
    if employee.status != "regular" or employee.regularized_on is None and not plans:
        return None
    if plans:
        return add_months(plans[0].filled_on, 12)
    return add_months(employee.regularized_on, 1)


def career_file(employee) -> dict:
    """The career file of zhangshang-game: the plans, the talks, training records, every appraisal."""
    plans = list(CareerPlan.objects.filter(employee=employee))
    return {
        "plans": plans,
        "talks": list(CareerTalk.objects.filter(employee=employee).select_related("mentor")),
        "trainings": Event.objects.filter(
            employee=employee, type__in=("training", "course_completed", "certificate", "exam")
        ).order_by("-date"),
        "appraisals": Evaluation.objects.filter(employee=employee).order_by("-period_kind", "-seq")[:60],
        "memberships": PoolMember.objects.filter(employee=employee, qualifies=True).select_related("pool"),
    }
