"""HR manages the organisation on pages (issue 9): departments, teams, employees, posts (编制) and logins
in bulk, each through a service that checks the authority table and writes an audit entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.accounts.org import OrgRefused, department_save, employee_save, position_save, team_save
from rungs.accounts.services import LoginsRefused, logins_create, logins_set_active
from rungs.audit.models import AuditEntry
from rungs.people.models import Department, Employee, Position, Team

from .conftest import login

User = get_user_model()


def user(role):
    return User.objects.get(username=f"demo-{role}")


def last() -> AuditEntry:
    return AuditEntry.objects.latest("pk")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "team-lead", "supervisor", "department-manager", "qa-training"])
def test_only_hr_and_admins_reach_the_pages_and_the_services(client, demo, role):
    login(client, role)
    for url in ("/org/", "/org/employees/", "/org/employees/new/", "/org/posts/", "/org/logins/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/org/departments/new/", {"name": "偷偷新建"}).status_code == 403
    with pytest.raises(Denied):
        department_save(name="偷偷新建", actor=user(role))
    with pytest.raises(Denied):
        logins_create(text="x1,agent", actor=user(role))
    assert not Department.objects.filter(name="偷偷新建").exists()


@pytest.mark.django_db
def test_hr_adds_a_department_and_a_team_and_moves_a_team_with_its_members(client, demo):
    hr = login(client, "hr")
    assert 'id="org-link"' in client.get("/").content.decode()
    r = client.post("/org/departments/new/", {"name": "质检中心"})
    assert r.status_code == 302
    third = Department.objects.get(name="质检中心")
    assert (last().action, last().actor, last().after) == ("org.manage", "demo-hr", {"name": "质检中心"})
    client.post("/org/teams/new/", {"code": "T0301", "department": third.pk})
    assert Team.objects.get(code="T0301").department == third
    # An existing team moves to the new department: its members' department follows.
    team = Team.objects.filter(members__isnull=False).first()
    members = set(team.members.values_list("pk", flat=True))
    old = team.department.name
    client.post(f"/org/teams/{team.pk}/", {"code": team.code, "department": third.pk})
    assert set(Employee.objects.filter(department=third).values_list("pk", flat=True)) == members
    e = last()
    assert e.before == {"code": team.code, "department": old}
    assert e.after == {"code": team.code, "department": "质检中心", "members_moved": len(members)}
    # A name taken, or a code with a full-width letter, is refused with the reason.
    with pytest.raises(OrgRefused, match="已有名为"):
        department_save(name="质检中心", actor=hr)
    with pytest.raises(OrgRefused, match="不可见字符或全角字符"):
        team_save(code="Ｔ0302", department=third, actor=hr)
    html = client.get("/org/").content.decode()
    assert 'data-department="质检中心"' in html and 'data-team="T0301"' in html


@pytest.mark.django_db
def test_hr_adds_and_edits_an_employee_checked_like_a_file(client, demo):
    hr = login(client, "hr")
    team = Team.objects.order_by("code").first()
    boss = Employee.objects.filter(team=team).first()
    form = {
        "employee_id": "E0009001",
        "name": "林新",
        "hire_date": "2026-11-02",
        "department": "",
        "team": team.pk,
        "manager": boss.employee_id,
        "education": "bachelor",
        "status": "probation",
        "regularized_on": "",
        "birth_date": "1999-05-01",
    }
    r = client.post("/org/employees/new/", form)
    assert r.status_code == 302, r.content.decode()[:3000]
    new = Employee.objects.get(employee_id="E0009001")
    assert (new.team, new.department, new.manager, new.status) == (team, team.department, boss, "probation")
    entry = last()
    assert (entry.action, entry.employee_id, entry.before) == ("org.manage", "E0009001", None)
    assert entry.after["name"] == "林新" and entry.after["team"] == team.code
    # Changing one field records that field only, old and new; the 工号 cannot change.
    r = client.post(
        "/org/employees/E0009001/",
        {**form, "employee_id": "E0009999", "status": "regular", "regularized_on": "2027-02-01"},
    )
    assert r.status_code == 302
    new.refresh_from_db()
    assert (new.employee_id, new.status, new.regularized_on) == ("E0009001", "regular", dt.date(2027, 2, 1))
    assert last().before == {"status": "probation", "regularized_on": None}
    assert last().after == {"status": "regular", "regularized_on": dt.date(2027, 2, 1).isoformat()}
    # What a file would be refused for, the page refuses too, and stores nothing.
    before = AuditEntry.objects.count()
    other = Team.objects.exclude(department=team.department).first()
    bad = [
        ({"manager": "E0009001"}, "自己的上级"),
        ({"department": other.department.pk, "team": team.pk}, "不属于"),
        ({"hire_date": "0001-01-01"}, "1900-01-01"),
        ({"regularized_on": "2020-01-01"}, "不能早于入职日期"),
    ]
    for change, words in bad:
        html = client.post("/org/employees/E0009001/", {**form, **change}).content.decode()
        assert words in html, (change, html[html.find("messages") :][:500])
    with pytest.raises(OrgRefused, match="全角"):
        employee_save(data={**form, "employee_id": "Ｅ0009002", "team": team, "manager": None}, actor=hr)
    assert AuditEntry.objects.count() == before
    listing = client.get("/org/employees/", {"q": "林新"}).content.decode()
    assert 'data-employee="E0009001"' in listing and "共 1 人" in listing


@pytest.mark.django_db
def test_hr_sets_posts_on_a_page(client, demo):
    login(client, "hr")
    r = client.post(
        "/org/posts/",
        {"level": "manager", "track": "management", "department": "", "team": "", "headcount": 2},
    )
    assert r.status_code == 200 and "已有编制" in r.content.decode()  # the demo has one such row already
    post = Position.objects.get(level="manager", track="management", department="", team="")
    client.post(f"/org/posts/{post.pk}/", {"headcount": "2"})
    post.refresh_from_db()
    assert post.headcount == 2
    assert (last().before["headcount"], last().after["headcount"]) == (1, 2)
    client.post(f"/org/posts/{post.pk}/", {"headcount": "-1"})
    post.refresh_from_db()
    assert post.headcount == 2  # refused
    r = client.post(
        "/org/posts/",
        {"level": "manager", "track": "management", "department": "客服一部", "team": "", "headcount": 1},
    )
    assert r.status_code == 302
    assert Position.objects.filter(level="manager", department="客服一部").get().headcount == 1
    client.post(f"/org/posts/{post.pk}/", {"delete": "1"})
    assert not Position.objects.filter(pk=post.pk).exists()
    assert last().after is None and last().before["headcount"] == 2


@pytest.mark.django_db
def test_hr_creates_logins_in_bulk_all_or_nothing_with_first_passwords_shown_once(client, demo):
    hr = login(client, "hr")
    free = list(Employee.objects.filter(user__isnull=True).order_by("employee_id")[:2])
    dept = free[0].department
    good = (
        "username,role,employee_id,department,team\n"
        f"zhang.wei,组长,{free[0].employee_id}\n"
        f"li.na,agent,{free[1].employee_id}\n"
        f"wang.qa,质/培组,,{dept.name}\n"
    )
    bad = good + "demo-hr,agent\nzhao,园长\nqian,agent,E404\n"
    before = User.objects.count()
    r = client.post("/org/logins/", {"text": bad})
    html = r.content.decode()
    assert r.status_code == 200 and User.objects.count() == before
    for words in (
        "第 5 行：用户名 demo-hr 已存在",
        "第 6 行：未知的角色：园长",
        "第 7 行：没有工号为 E404 的员工",
    ):
        assert words in html, words
    r = client.post("/org/logins/", {"text": good})
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    created = r.context["created"]
    assert [u.username for u, _ in created] == ["zhang.wei", "li.na", "wang.qa"]
    lead = User.objects.get(username="zhang.wei")
    assert (lead.role, lead.employee, lead.department, lead.team) == (
        "team_lead",
        free[0],
        free[0].department,
        free[0].team,
    )
    assert User.objects.get(username="wang.qa").department == dept
    password = dict((u.username, p) for u, p in created)["li.na"]
    assert password in r.content.decode()
    assert client.login(username="li.na", password=password)
    client.force_login(hr)
    assert password not in client.get("/org/logins/").content.decode()  # shown once
    entries = AuditEntry.objects.filter(action="user.create").order_by("-pk")[:3]
    assert {e.target for e in entries} == {"zhang.wei", "li.na", "wang.qa"}
    assert all(e.after["password"] == "changed" and e.actor == "demo-hr" for e in entries)
    # Only an administrator makes an administrator.
    with pytest.raises(Denied):
        logins_create(text="boss,admin", actor=hr)
    assert not User.objects.filter(username="boss").exists()
    with pytest.raises(LoginsRefused):
        logins_create(text="", actor=hr)


@pytest.mark.django_db
def test_hr_deactivates_logins_in_bulk_but_not_their_own(client, demo):
    hr = login(client, "hr")
    agent, lead = user("agent"), user("team-lead")
    r = client.post("/org/logins/active/", {"user": [agent.pk, lead.pk], "active": "0"})
    assert r.status_code == 302
    assert not User.objects.filter(pk__in=[agent.pk, lead.pk], is_active=True).exists()
    assert AuditEntry.objects.filter(action="user.manage", after={"is_active": "False"}).count() == 2
    with pytest.raises(Denied):
        logins_set_active(users=[hr], active=False, actor=hr)
    client.post("/org/logins/active/", {"user": [agent.pk], "active": "1"})
    assert User.objects.get(pk=agent.pk).is_active
    html = client.get("/org/logins/", {"active": "0"}).content.decode()
    assert 'data-username="demo-team-lead"' in html and 'data-username="demo-agent"' not in html


@pytest.mark.django_db
def test_position_save_refuses_a_negative_headcount(demo):
    with pytest.raises(OrgRefused, match="不小于 0"):
        position_save(level="junior", headcount=-3, actor=user("hr"))
