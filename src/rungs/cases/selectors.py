"""What the pages read about cases: those waiting on a user's decision."""

from __future__ import annotations

from django.db.models import Q

from rungs.accounts.authority import may
from rungs.accounts.scope import visible_employees
from rungs.cases.models import Case


def cases_waiting(user, today, limit: int = 200) -> list[Case]:
    """Open cases, and observation periods that have ended, that the user decides: as their owner, or as
    HR (or an administrator) for anyone in scope."""
    if not may(user, "case.decide"):
        return []
    due = Q(state=Case.State.OPEN) | Q(state=Case.State.OBSERVING, observe_until__lte=today)
    cases = Case.objects.filter(due, employee__in=visible_employees(user)).exclude(
        employee_id=user.employee_id
    )
    if user.role not in ("hr", "admin"):
        cases = cases.filter(Q(owner=user) | Q(owner__isnull=True))
    return list(cases.select_related("employee").order_by("opened_on", "pk")[:limit])
