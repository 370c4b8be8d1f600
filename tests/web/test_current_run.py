"""Whatever run was made last is no longer what everyone sees: a run belongs to its policy version and
its scope (issue 9, "it must not mislead")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.api.models import ApiToken
from rungs.people.models import Employee
from rungs.policies.models import EvaluationRun, Policy
from rungs.policies.selectors import current_run
from rungs.policies.services import RunRefused, evaluation_run_start, policy_create
from tests.web.conftest import AS_OF, login

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

User = get_user_model()


def user(role):
    return User.objects.get(username=f"demo-{role}")


def _older_version():
    """A second version of the demo scheme, in force from 2000 until the demo's (2026-01-01)."""
    current = Policy.objects.get()
    text = current.text.replace(f'version: "{current.version}"', 'version: "2000.1"')
    text = text.replace(f"effective_from: {current.effective_from.isoformat()}", "effective_from: 2000-01-01")
    return policy_create(text=text, actor=user("hr"))


@pytest.mark.django_db
def test_a_backdated_run_of_an_old_version_needs_a_reason_and_replaces_nobodys_board(client, demo):
    official = EvaluationRun.objects.get()  # the demo's run, HR's board
    old = _older_version()
    manager = user("department-manager")
    with pytest.raises(RunRefused, match="生效的版本"):
        evaluation_run_start(policy=old, as_of=dt.date(2026, 11, 1), actor=manager)
    # 2001-06-01: the old version *is* in force then, but a run dated 2001 is older than the board's.
    backdated = evaluation_run_start(policy=old, as_of=dt.date(2001, 6, 1), actor=manager)
    override = evaluation_run_start(policy=old, as_of=AS_OF, actor=manager, reason="对比新旧版本")
    assert not override.official and override.override_reason == "对比新旧版本"
    # In force on its date, but dated before the board's run: it does not replace it either way.
    assert backdated.as_of < official.as_of
    for role in ("hr", "supervisor", "department-manager", "team-lead"):
        assert current_run(user(role)) == official, role
    login(client, "hr")
    assert "2026-12-01" in client.get("/board/").content.decode()
    key = ApiToken.issue(user("hr"))[1]
    latest = client.get("/api/evaluations/latest", headers={"Authorization": f"Bearer {key}"}).json()
    assert (latest["policy_version"], latest["as_of"]) == (official.policy.version, "2026-12-01")


@pytest.mark.django_db
def test_a_department_managers_run_is_their_departments_only(demo):
    manager = user("department-manager")
    run = evaluation_run_start(policy=Policy.objects.get(), as_of=AS_OF, actor=manager)
    assert run.official and run.department == manager.department
    assert current_run(manager) == run
    assert current_run(user("supervisor")) == run  # the same department
    assert current_run(user("hr")) != run  # company-wide roles see the company-wide run
    others = Employee.objects.exclude(department=manager.department)
    assert others.exists() and not run.decisions.filter(employee__in=others).exists()


@pytest.mark.django_db
def test_a_run_that_covers_nobody_is_not_current(demo):
    before = current_run(user("hr"))
    # star-titles has title and position tracks; the demo's people are on skill and management tracks.
    stranger = (EXAMPLES / "policies" / "star-titles.yaml").read_text(encoding="utf-8")
    policy = policy_create(text=stranger, actor=user("hr"))
    # star-titles' rules are the general manager's: the version is in force once they approve it
    from rungs.accounts.models import User, UserFunction
    from rungs.policies.services import policy_approve

    gm = User.objects.create(username="gm", role="executive")
    UserFunction.objects.create(user=gm, function="general_manager")
    policy_approve(policy=policy, actor=gm)
    run = evaluation_run_start(policy=policy, as_of=AS_OF, actor=user("hr"))
    assert not run.decisions.exists()
    assert not run.official and any("没有覆盖任何人" in w for w in run.warnings)
    assert current_run(user("hr")) == before


@pytest.mark.django_db
def test_an_older_run_of_a_person_can_be_opened(client, demo):
    first = EvaluationRun.objects.get()
    second = evaluation_run_start(policy=first.policy, as_of=dt.date(2026, 12, 2), actor=user("hr"))
    login(client, "hr")
    person = first.decisions.first().employee
    page = client.get(f"/board/employee/{person.employee_id}/").content.decode()
    assert "2026-12-02" in page and 'id="earlier-runs"' in page
    older = client.get(f"/board/employee/{person.employee_id}/", {"run": first.pk}).content.decode()
    assert "2026-12-01" in older
    assert client.get(f"/board/employee/{person.employee_id}/", {"run": 999999}).status_code == 404
    assert second.official


@pytest.mark.django_db
def test_data_that_end_long_before_the_evaluation_date_are_named(demo):
    run = evaluation_run_start(policy=Policy.objects.get(), as_of=dt.date(2027, 6, 1), actor=user("hr"))
    assert run.data_through is not None and run.data_through < dt.date(2027, 4, 1)
    assert any("数据截至" in w for w in run.warnings)


@pytest.mark.django_db
def test_a_department_managers_policy_governs_their_department_only(demo):
    company = Policy.objects.get()
    manager = user("department-manager")
    text = company.text.replace(f'version: "{company.version}"', 'version: "2026.1-一部"')
    own = policy_create(text=text, actor=manager)
    assert own.department == manager.department
    assert Policy.in_force(AS_OF, company.scheme) == company  # the company's version is unchanged
    assert Policy.in_force(AS_OF, company.scheme, manager.department) == own
    # HR running the department's version is running a version not in force for the company.
    with pytest.raises(RunRefused):
        evaluation_run_start(policy=own, as_of=AS_OF, actor=user("hr"))
    run = evaluation_run_start(policy=own, as_of=AS_OF, actor=manager)
    assert run.official and run.department == manager.department
    assert current_run(user("hr")).policy == company


def _find(criteria, cid):
    for c in criteria:
        if c["id"] == cid:
            return c
        found = _find(c.get("criteria", []), cid)
        if found:
            return found
    return None


@pytest.mark.django_db
def test_a_fact_entered_today_counts_in_a_run_started_today(client, demo):
    """Issue 9: the forms date a fact today and a run counts what is dated before its date, so a run
    started today with the date the form offered left out what was entered today. The run form now
    offers tomorrow; the fact entered through the commendation form with its own default date counts."""
    from django.utils import timezone

    from rungs.core.periods import add_months
    from rungs.entry.forms import CommendationForm
    from rungs.records.models import Event

    today = timezone.localdate()
    lead = login(client, "team-lead")
    official = EvaluationRun.objects.get()
    junior = next(
        d
        for d in official.decisions.filter(kind="promotion", from_level="junior", employee__team=lead.team)
        if _find(d.criteria, "internal")["actual"] == 0 and d.employee_id != lead.employee_id
    )
    person = junior.employee
    offered = CommendationForm(employees=Employee.objects.all()).fields["date"].initial()
    assert offered == today
    r = client.post(
        "/entry/commendation/",
        {
            "employee": person.employee_id,
            "source": "internal",
            "date": offered.isoformat(),
            "note": "帮助新人",
        },
    )
    assert r.status_code == 302 and Event.objects.filter(employee=person, date=today).count() == 1

    login(client, "hr")
    form = client.get("/entry/policies/").context["run_form"]
    as_of = form["as_of"].value()
    assert as_of == today + dt.timedelta(days=1)
    r = client.post(
        "/entry/policies/run/", {"policy": official.policy.pk, "as_of": as_of.isoformat(), "mode": "now"}
    )
    run = EvaluationRun.objects.exclude(pk=official.pk).get()
    assert r.status_code == 302 and r.url.endswith(f"/entry/runs/{run.pk}/")
    # "12 months before" D: D − 12 months ≤ date < D. Whatever the demo holds in that window, plus today's.
    before = Event.objects.filter(
        employee=person, type="commendation_internal", date__gte=add_months(as_of, -12), date__lt=today
    ).count()
    decision = run.decisions.get(employee=person, kind="promotion")
    assert _find(decision.criteria, "internal")["actual"] == before + 1
    assert run.data_through == today  # the latest fact on file is today's


@pytest.mark.django_db
def test_a_run_dated_today_names_the_facts_of_that_day_it_leaves_out(demo):
    from django.utils import timezone

    from rungs.records.models import Event

    today = timezone.localdate()
    person = Employee.objects.filter(status="regular").first()
    Event.objects.create(employee=person, date=today, type="commendation_internal")
    run = evaluation_run_start(policy=Policy.objects.get(), as_of=today, actor=user("hr"))
    assert any(f"1 条记录的日期就是评估日期 {today.isoformat()}，未计入" in w for w in run.warnings)


@pytest.mark.django_db
def test_every_result_page_says_how_old_its_data_are_and_warns_when_they_are_stale(client, demo):
    official = EvaluationRun.objects.get()
    login(client, "hr")
    person = official.decisions.filter(employee__team__isnull=False).first().employee
    pages = (
        "/board/",
        "/board/team/",
        f"/board/employee/{person.employee_id}/",
        f"/entry/runs/{official.pk}/",
    )
    through = official.data_through.isoformat()
    for url in pages:
        html = client.get(url).content.decode()
        assert 'id="freshness"' in html and f"数据截至 {through}" in html, url
        assert 'id="stale-warning"' not in html, url
    # Run half a year after the data end: the run becomes the current one, and every page warns.
    stale = evaluation_run_start(policy=official.policy, as_of=dt.date(2027, 6, 1), actor=user("hr"))
    assert (
        stale.official
        and stale.stale
        and stale.data_lag_days == (dt.date(2027, 6, 1) - official.data_through).days - 1
    )
    for url in (*pages[:3], f"/entry/runs/{stale.pk}/"):
        html = client.get(url).content.decode()
        assert 'id="stale-warning"' in html and "2027-06-01" in html, url
        assert "数据比评估日期早两个月以上" in html, url
