"""A small company for the suggestion box and survey tests: one department with three teams of 6, 4 and 5
agents (the group sizes the threshold tests need), a second department, and one login per role. The author
of the anonymity tests has deliberately distinctive keys, so that any trace of them in a table is found."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from rungs.people.models import Department, Employee, Team

User = get_user_model()
D = dt.date

AUTHOR_USER_PK = 987654
AUTHOR_EMPLOYEE_PK = 876543
AUTHOR_USERNAME = "xiaowang7731"
AUTHOR_EMPLOYEE_ID = "E7731X"
AUTHOR_NAME = "王晓明"
TEAM_SIZES = {"一组": 6, "二组": 4, "三组": 5}


def make_company() -> dict:
    one = Department.objects.create(name="客服一部")
    two = Department.objects.create(name="客服二部")
    teams = {code: Team.objects.create(code=code, department=one) for code in TEAM_SIZES}
    other_team = Team.objects.create(code="二部一组", department=two)
    people: dict[str, list[Employee]] = {code: [] for code in TEAM_SIZES}
    n = 0
    for code, size in TEAM_SIZES.items():
        for _i in range(size):
            n += 1
            people[code].append(
                Employee.objects.create(
                    employee_id=f"E{n:03d}",
                    name=f"员工{n:03d}",
                    hire_date=D(2024, 1, 1),
                    department=one,
                    team=teams[code],
                )
            )
    # The author is the first of 一组 (so 一组 still has 6 people).
    first = people["一组"][0]
    author_employee = Employee.objects.create(
        pk=AUTHOR_EMPLOYEE_PK,
        employee_id=AUTHOR_EMPLOYEE_ID,
        name=AUTHOR_NAME,
        hire_date=D(2024, 1, 1),
        department=one,
        team=teams["一组"],
    )
    first.delete()
    people["一组"][0] = author_employee
    outsider = Employee.objects.create(
        employee_id="E900", name="二部员工", hire_date=D(2024, 1, 1), department=two, team=other_team
    )

    def user(name, role, **kw):
        return User.objects.create(username=name, role=role, **kw)

    author = User.objects.create(
        pk=AUTHOR_USER_PK,
        username=AUTHOR_USERNAME,
        first_name=AUTHOR_NAME,
        role="agent",
        employee=author_employee,
        department=one,
        team=teams["一组"],
    )
    voters = {
        e.employee_id: author
        if e.pk == AUTHOR_EMPLOYEE_PK
        else user(f"u{e.employee_id}", "agent", employee=e)
        for code in TEAM_SIZES
        for e in people[code]
    }
    users = {
        "author": author,
        "agent2": voters["E002"],
        "outsider": user("outsider", "agent", employee=outsider, department=two, team=other_team),
        "lead": user("lead", "team_lead", department=one, team=teams["一组"]),
        "lead2": user("lead2", "team_lead", department=one, team=teams["二组"]),
        "sup": user("sup", "supervisor", department=one),
        "dm": user("dm", "department_manager", department=one),
        "dm2": user("dm2", "department_manager", department=two),
        "qa": user("qa", "qa_training"),
        "hr": user("hr", "hr"),
        "exec": user("exec", "executive"),
        "admin": user("admin", "admin", is_superuser=True, is_staff=True),
    }
    return {"one": one, "two": two, "teams": teams, "people": people, "voters": voters, "users": users}
