"""Who sees whom: each role's scope, worked out from the demo's shape (teams of 12, four departments)."""

import pytest
from django.urls import reverse

from rungs.accounts.models import Role, User
from rungs.accounts.scope import visible_employees
from rungs.people.models import Employee

from .conftest import login


@pytest.mark.django_db
def test_each_role_sees_exactly_its_scope(demo):
    total = Employee.objects.count()
    assert total == 36
    agent = User.objects.get(username="demo-agent")
    assert list(visible_employees(agent)) == [agent.employee]
    lead = User.objects.get(username="demo-team-lead")
    assert set(visible_employees(lead)) == set(Employee.objects.filter(team=lead.team))
    assert visible_employees(lead).count() == 12
    for name in ("demo-supervisor", "demo-department-manager"):
        user = User.objects.get(username=name)
        # 36 people = teams T0001..T0003, one per department (teams rotate over four departments).
        assert visible_employees(user).count() == 12
        assert not visible_employees(user).exclude(department=user.department).exists()
    for name in ("demo-hr", "demo-qa-training", "demo-executive", "demo-admin"):
        assert visible_employees(User.objects.get(username=name)).count() == total


@pytest.mark.django_db
def test_a_user_without_scope_sees_nobody(demo):
    lost = User.objects.create(username="lost", role=Role.TEAM_LEAD)  # team not set
    assert visible_employees(lost).count() == 0


@pytest.mark.django_db
def test_agent_search_never_reveals_colleagues(client, demo):
    user = login(client, "agent")
    colleague = Employee.objects.filter(team=user.employee.team).exclude(pk=user.employee_id).first()
    html = client.get("/people/", {"q": colleague.employee_id}).content.decode()
    assert colleague.name not in html
    assert "没有符合条件的人员" in html


@pytest.mark.django_db
def test_team_lead_search_is_limited_to_the_team(client, demo):
    login(client, "team-lead")
    outsider = Employee.objects.exclude(team__code="T0001").first()
    html = client.get("/people/", {"q": outsider.employee_id}).content.decode()
    assert outsider.employee_id not in html
    insider = Employee.objects.filter(team__code="T0001").last()
    assert insider.name in client.get("/people/", {"q": insider.employee_id}).content.decode()


@pytest.mark.django_db
def test_run_pages_count_only_the_people_in_scope(client, demo):
    """A team lead sees their team's numbers on the policy and run pages, HR the company's."""
    from rungs.policies.models import EvaluationRun

    run = EvaluationRun.objects.get()
    lead = login(client, "team-lead")
    team = Employee.objects.filter(team=lead.team)
    html = client.get(reverse("entry:run", args=[run.pk])).content.decode()
    team_decisions = run.decisions.filter(employee__in=team)
    assert f'<dd id="run-employees">{team_decisions.values("employee").distinct().count()}</dd>' in html
    listed = client.get(reverse("entry:policies"))
    shown = next(r for r in listed.context["runs"] if r.pk == run.pk)
    assert (shown.decided, shown.eligible) == (
        team_decisions.count(),
        team_decisions.filter(eligible=True).count(),
    )
    assert shown.decided < run.decisions.count()
    login(client, "hr")
    shown = next(r for r in client.get(reverse("entry:policies")).context["runs"] if r.pk == run.pk)
    assert shown.decided == run.decisions.count()
