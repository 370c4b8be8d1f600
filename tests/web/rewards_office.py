"""The salary-grade-quarterly example department in the database, with a login per role (shared by the
reward tests): the example files imported, the example policy stored by HR."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.datasets.importer import import_path
from rungs.people.models import Department, Employee, Team
from rungs.policies.services import policy_create

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "examples" / "policies" / "salary-grade-quarterly.yaml"
DATA = ROOT / "examples" / "data" / "salary-grade-quarterly"


@pytest.fixture
def office(db):
    """hr, boss (executive), two agents with their own records (吴一 J1 and 郑三 S3), the 一组 team lead,
    the 客服部 supervisor and an agent of another department."""
    import_path(DATA)
    User = get_user_model()
    dept = Department.objects.get(name="客服部")
    one = Team.objects.get(code="一组")
    other = Department.objects.create(name="售后部")

    def user(name, role, **kw):
        return User.objects.create(username=name, role=role, **kw)

    u = {
        "hr": user("hr", "hr"),
        "boss": user("boss", "executive"),
        "wu": user("wu", "agent", employee=Employee.objects.get(employee_id="J1")),
        "zheng": user("zheng", "agent", employee=Employee.objects.get(employee_id="S3")),
        "lead": user("lead", "team_lead", department=dept, team=one),
        "sup": user("sup", "supervisor", department=dept, employee=Employee.objects.get(employee_id="SV1")),
        "dm2": user("dm2", "department_manager", department=other),
        "qa": user("qa", "qa_training"),
    }
    policy = policy_create(text=POLICY.read_text(encoding="utf-8"), filename=POLICY.name, actor=u["hr"])
    return u, policy
