"""The demo department: synthetic people and records plus one login per role, all with one password."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rungs.accounts.models import Role, User
from rungs.core.synth import generate
from rungs.datasets.loader import replace_all
from rungs.demo.honors import create_honors
from rungs.demo.voice import create_voice, remove_voice
from rungs.people.models import Employee, Team
from rungs.policies.models import EvaluationRun, Policy
from rungs.policies.services import evaluation_run_start, policy_create

DEMO_PASSWORD = "rungs-demo"
# The synthetic department is shaped for this scheme (skill and management tracks).
DEMO_POLICY = Path(__file__).resolve().parent / "demo_policy.yaml"


def create_demo(n: int, *, as_of: dt.date, seed: int = 7) -> list[tuple[str, str]]:
    """Loads n synthetic employees and creates the demo users; returns (username, role label) pairs."""
    EvaluationRun.objects.all().delete()
    remove_voice()
    replace_all(generate(n, as_of=as_of, seed=seed))
    text = DEMO_POLICY.read_text(encoding="utf-8")
    wanted = Policy.from_text(text, DEMO_POLICY.name)  # the file's own scheme and version, not its name
    policy = Policy.objects.filter(scheme=wanted.scheme, version=wanted.version).first()
    if policy is None:
        policy = policy_create(text=text, filename=DEMO_POLICY.name, actor=None)
    evaluation_run_start(policy=policy, as_of=as_of, actor=None)
    create_honors(policy)
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
    create_voice(as_of)
    return created
