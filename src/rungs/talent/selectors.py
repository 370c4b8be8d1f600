"""What the talent pages and the round page read: the pools and members a user may see, the reserve
candidates of a post that falls vacant, and a person's career file."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from rungs.accounts.authority import may
from rungs.accounts.models import Role, User
from rungs.accounts.scope import visible_employees
from rungs.core.periods import add_months
from rungs.people.models import Assignment, Employee
from rungs.promotions.models import Candidacy
from rungs.records.models import Evaluation, Event
from rungs.talent.models import CareerPlan, CareerTalk, PlanReview, PoolMember, Readiness, ReservePool

TRAINING_EVENTS = ("training", "course_completed", "certificate", "exam")

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


def plan_due(employee: Employee) -> dt.date | None:
    """When the next 员工职业发展规划表 is due, as zhangshang-game's warning reads it: 1 month after
    regularization, then 12 months after the latest `career_plan` (a plan filed online or imported);
    None while on probation, after leaving, or when a regular employee has neither a regularization date
    nor a plan on file."""
    if employee.status != Employee.Status.REGULAR:
        return None
    last = Event.objects.filter(employee=employee, type="career_plan").aggregate(d=Max("date"))["d"]
    first = add_months(employee.regularized_on, 1) if employee.regularized_on else None
    if last is None:
        return first
    return max(d for d in (add_months(last, 12), first) if d is not None)


def department_entered(employee: Employee, rows: list[Assignment]) -> dt.date:
    """When the employee entered the department of their current post, as the engine reads it
    (rungs.core.engine.measures._department_starts): on the current post's track, the first row in its
    department after the latest row in another department (a transfer starts the count again); with no
    row elsewhere, the hire date if earlier. No history: the hire date."""
    rows = sorted((r for r in rows if r.kind != Assignment.Kind.ACTING), key=lambda r: r.start_date)
    current = next((r for r in reversed(rows) if r.end_date is None), rows[-1] if rows else None)
    if current is None:
        return employee.hire_date
    track = [r for r in rows if r.track == current.track]
    here = current.department
    elsewhere = [r.start_date for r in track if r.department != here]
    last_other = max(elsewhere) if elsewhere else None
    first = min(
        r.start_date
        for r in track
        if r.department == here and (last_other is None or r.start_date > last_other)
    )
    return min(employee.hire_date, first) if last_other is None else first


def mentored_by(user) -> QuerySet[Employee]:
    """The people whose career mentor `user` is: the first active supervisor of a department (the one
    rungs.talent.services.mentor_of names) mentors its people; nobody else mentors anyone."""
    if not user.is_authenticated or user.role != Role.SUPERVISOR or not user.department_id:
        return Employee.objects.none()
    first = (
        User.objects.filter(role=Role.SUPERVISOR, department_id=user.department_id, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if first != user.pk:
        return Employee.objects.none()
    return Employee.objects.filter(department_id=user.department_id).exclude(status=Employee.Status.LEFT)


def talks_due(user, today: dt.date, limit: int = 100) -> list[Employee]:
    """The career talks waiting on a mentor (the inbox): each of their people with no `career_talk` since
    entering the department, due 3 months after entering (a transfer in starts it again); `talk_due` and
    `overdue` set, the nearest due first."""
    people = list(mentored_by(user).exclude(pk=user.employee_id or 0))
    if not people:
        return []
    rows: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(employee__in=people):
        rows.setdefault(a.employee_id, []).append(a)
    talks: dict[int, list[dt.date]] = {}
    for pk, day in Event.objects.filter(employee__in=people, type="career_talk").values_list(
        "employee_id", "date"
    ):
        talks.setdefault(pk, []).append(day)
    out = []
    for e in people:
        entered = department_entered(e, rows.get(e.pk, []))
        if any(day >= entered for day in talks.get(e.pk, [])):
            continue
        e.entered, e.talk_due = entered, add_months(entered, 3)
        e.overdue = today > e.talk_due
        out.append(e)
    out.sort(key=lambda e: (e.talk_due, e.employee_id))
    return out[:limit]


YEAR_END_WITHIN = 1  # months after the annual appraisal is on file (the scheme says only "after")


def year_end_talks_due(user, today: dt.date, limit: int = 100) -> list[Employee]:
    """The year-end talks waiting on a mentor (zhangshang-game: supervisors hold a year-end talk after the
    appraisal results): each of their people whose latest annual appraisal (period YYYY) is on file and who
    has had no year-end talk since it was entered; due a month after it was entered. `year`, `since`,
    `year_end_due` and `overdue` set, the nearest due first."""
    people = {e.pk: e for e in mentored_by(user).exclude(pk=user.employee_id or 0)}
    if not people:
        return []
    latest: dict[int, tuple[int, dt.date]] = {}
    rows = Evaluation.objects.filter(employee_id__in=list(people), period_kind="Y")
    for pk, seq, at in rows.values_list("employee_id", "seq", "recorded_at"):
        if pk not in latest or seq > latest[pk][0]:
            latest[pk] = (seq, timezone.localdate(at))
    talked: dict[int, list[dt.date]] = {}
    talks = Event.objects.filter(employee_id__in=list(latest), type="career_talk", ref="year_end")
    for pk, day in talks.values_list("employee_id", "date"):
        talked.setdefault(pk, []).append(day)
    out = []
    for pk, (year, since) in latest.items():
        if any(day >= since for day in talked.get(pk, [])):
            continue
        e = people[pk]
        e.year, e.since = year, since
        e.year_end_due = add_months(since, YEAR_END_WITHIN)
        e.overdue = today > e.year_end_due
        out.append(e)
    out.sort(key=lambda e: (e.year_end_due, e.employee_id))
    return out[:limit]


def my_plan_due(user, today: dt.date) -> dict | None:
    """The user's own plan when it is due within a month (or overdue), for the inbox; else None."""
    employee = getattr(user, "employee", None) if user.is_authenticated else None
    due = plan_due(employee) if employee is not None else None
    if due is None or today < add_months(due, -1):
        return None
    return {"employee": employee, "due": due, "overdue": today > due}


def reviews_due(user, today: dt.date, limit: int = 100) -> list[CareerPlan]:
    """The plans awaiting the training group's yearly review (the inbox of the 质/培组): each person's
    latest plan with no review in the last 12 months, in the user's scope, the oldest first; `review_due`
    is a year after the plan was filled."""
    if user.role != Role.QA_TRAINING or not may(user, "career_review.record"):
        return []
    latest = CareerPlan.objects.filter(employee=OuterRef("employee")).order_by("-filled_on", "-pk")
    recent = PlanReview.objects.filter(plan=OuterRef("pk"), reviewed_on__gt=add_months(today, -12))
    plans = (
        CareerPlan.objects.filter(pk=Subquery(latest.values("pk")[:1]))
        .filter(~Exists(recent), employee__in=visible_employees(user))
        .exclude(employee__status=Employee.Status.LEFT)
        .exclude(employee_id=user.employee_id or 0)
        .select_related("employee")
        .order_by("filled_on", "pk")
    )
    out = list(plans[:limit])
    for p in out:
        p.review_due = add_months(p.filled_on, 12)
    return out


def review_context(plan: CareerPlan, today: dt.date) -> dict:
    """What the review form starts from: the trainings, promotion candidacies and appraisals since the
    plan was filled (the reviewer edits the text)."""
    since = plan.filled_on
    trainings = Event.objects.filter(
        employee=plan.employee, type__in=TRAINING_EVENTS, date__gte=since, date__lte=today
    ).order_by("date")
    candidacies = Candidacy.objects.filter(
        employee=plan.employee, round__opened_at__date__gte=since
    ).select_related("round")
    mine = Evaluation.objects.filter(employee=plan.employee).order_by("-seq")
    appraisals = [*mine.filter(period_kind="Y")[:3], *mine.filter(period_kind="Q")[:4]]
    return {
        "trainings": "\n".join(f"{e.date:%Y-%m-%d} {e.ref or e.type}" for e in trainings),
        "promotions": "\n".join(f"{c.round.name}：{c.get_state_display()}" for c in candidacies),
        "appraisals": "\n".join(
            f"{a.period}：{a.score:g} {a.grade}".strip() if a.score is not None else f"{a.period}：{a.grade}"
            for a in appraisals
        ),
    }


def career_file(employee) -> dict:
    """The career file of zhangshang-game: the plans, the talks, training records, every appraisal."""
    plans = list(CareerPlan.objects.filter(employee=employee))
    return {
        "plans": plans,
        "reviews": list(
            PlanReview.objects.filter(plan__employee=employee).select_related("plan", "reviewer")
        ),
        "talks": list(CareerTalk.objects.filter(employee=employee).select_related("mentor")),
        "trainings": Event.objects.filter(employee=employee, type__in=TRAINING_EVENTS).order_by("-date"),
        "appraisals": Evaluation.objects.filter(employee=employee).order_by("-period_kind", "-seq")[:60],
        "memberships": PoolMember.objects.filter(employee=employee, qualifies=True).select_related("pool"),
    }
