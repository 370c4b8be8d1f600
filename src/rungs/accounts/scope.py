"""Who may see whom. Every page and endpoint that lists people starts from `visible_employees`."""

from __future__ import annotations

from django.db.models import QuerySet

from rungs.accounts.models import COMPANY_WIDE, Role
from rungs.people.models import Employee


def sees_everyone(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in COMPANY_WIDE))


def visible_employees(user) -> QuerySet[Employee]:
    """An agent sees their own record; a team lead their team; a supervisor or department manager their
    department; HR, the quality/training group, executives and administrators everyone. A user whose scope
    is not set sees nobody rather than everybody."""
    qs = Employee.objects.all()
    if not user.is_authenticated:
        return qs.none()
    role = user.role
    if sees_everyone(user):
        return qs
    if role == Role.TEAM_LEAD and user.team_id:
        return qs.filter(team_id=user.team_id)
    if role in (Role.SUPERVISOR, Role.DEPARTMENT_MANAGER) and user.department_id:
        return qs.filter(department_id=user.department_id)
    if user.employee_id:
        return qs.filter(pk=user.employee_id)
    return qs.none()
