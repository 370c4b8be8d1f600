"""The demo department: synthetic people and records plus one login per role, all with one password."""

from __future__ import annotations

import datetime as dt

from rungs.accounts.models import Role, User
from rungs.core.synth import generate
from rungs.people.loader import replace_all
from rungs.people.models import Employee, Team

DEMO_PASSWORD = "rungs-demo"


def create_demo(n: int, *, as_of: dt.date, seed: int = 7) -> list[tuple[str, str]]:
    """Loads n synthetic employees and creates the demo users; returns (username, role label) pairs."""
    replace_all(generate(n, as_of=as_of, seed=seed))
    User.objects.filter(username__startswith="demo-").delete()
    team = Team.objects.order_by("code").first()
    dept = team.department
    lead = Employee.objects.filter(team=team, reports__isnull=False).distinct().first()
    agent = Employee.objects.filter(team=team, manager=lead).order_by("employee_id").first()
    scoped = {
        Role.AGENT: {"employee": agent, "team": team, "department": dept},
        Role.TEAM_LEAD: {"employee": lead, "team": team, "department": dept},
        Role.SUPERVISOR: {"department": dept},
        Role.DEPARTMENT_MANAGER: {"department": dept},
    }
    created = []
    for role in Role:
        username = f"demo-{role.value.replace('_', '-')}"
        user = User(
            username=username,
            role=role,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            **scoped.get(role, {}),
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        created.append((username, str(role.label)))
    return created
