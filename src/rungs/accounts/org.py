"""Writes about the organisation on HR's pages: departments, teams, employees and posts (编制). Each
service checks the authority table (org.manage), runs in one transaction and writes its audit entry
inside it, with the values before and after. The checks are the ones a file import applies to the same
fields (ids without invisible characters, dates in range, nobody their own manager, a team's
department), so a page cannot store what a file would be refused for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.audit.trail import record
from rungs.core.interchange.checks import FIRST_DATE, LAST_DATE, MAX_CHARS, id_is_clean
from rungs.people.models import Department, Employee, Position, Team


class OrgRefused(Exception):
    """The change cannot be stored as asked; the message says why."""


def _text(value: str, what: str, limit: int, *, an_id: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        raise OrgRefused(_("请填写%(what)s。") % {"what": what})
    if len(value) > limit:
        raise OrgRefused(_("%(what)s最多 %(n)s 个字符。") % {"what": what, "n": limit})
    if "\x00" in value or (an_id and not id_is_clean(value)):
        raise OrgRefused(
            _("%(what)s含有不可见字符或全角字符：%(value)s") % {"what": what, "value": repr(value)}
        )
    return value


def _date(value: dt.date | None, what: str) -> dt.date | None:
    if value is not None and not FIRST_DATE <= value <= LAST_DATE:
        raise OrgRefused(
            _("%(what)s应在 %(first)s 至 %(last)s 之间。")
            % {"what": what, "first": FIRST_DATE, "last": LAST_DATE}
        )
    return value


# ------------------------------------------------------------------------------------ departments


@transaction.atomic
def department_save(*, name: str, department: Department | None = None, actor) -> Department:
    """A new department, or a department renamed."""
    check(actor, "org.manage")
    name = _text(name, _("部门名称"), MAX_CHARS["employees"]["department"])
    before = None if department is None else {"name": department.name}
    if Department.objects.filter(name=name).exclude(pk=getattr(department, "pk", None)).exists():
        raise OrgRefused(_("已有名为“%(name)s”的部门。") % {"name": name})
    department = department or Department()
    department.name = name
    department.save()
    record(actor, "org.manage", department, before=before, after={"name": name})
    return department


@transaction.atomic
def team_save(*, code: str, department: Department, team: Team | None = None, actor) -> Team:
    """A new team, or a team renamed or moved to another department (its members move with it)."""
    check(actor, "org.manage")
    code = _text(code, _("班组编号"), MAX_CHARS["employees"]["team"], an_id=True)
    if Team.objects.filter(code=code).exclude(pk=getattr(team, "pk", None)).exists():
        raise OrgRefused(_("已有编号为“%(code)s”的班组。") % {"code": code})
    before = None if team is None else {"code": team.code, "department": team.department.name}
    team = team or Team()
    team.code, team.department = code, department
    team.save()
    moved = Employee.objects.filter(team=team).exclude(department=department).update(department=department)
    after: dict[str, Any] = {"code": code, "department": department.name}
    if moved:
        after["members_moved"] = moved
    record(actor, "org.manage", team, before=before, after=after)
    return team


# -------------------------------------------------------------------------------------- employees

EMPLOYEE_FIELDS = (
    "employee_id",
    "name",
    "hire_date",
    "department",
    "team",
    "education",
    "status",
    "regularized_on",
    "manager",
    "birth_date",
)


def employee_snapshot(e: Employee) -> dict[str, Any]:
    values = {f: getattr(e, f) for f in EMPLOYEE_FIELDS}
    for f in ("department", "team", "manager"):
        values[f] = str(values[f]) if values[f] is not None else None
    return values


@transaction.atomic
def employee_save(*, data: dict[str, Any], employee: Employee | None = None, actor) -> Employee:
    """A new employee, or one changed. `data` holds EMPLOYEE_FIELDS (department, team and manager as
    instances or None); the 工号 of a stored employee does not change (records and files name it)."""
    check(actor, "org.manage")
    before = None if employee is None else employee_snapshot(employee)
    e = employee or Employee()
    if employee is None:
        e.employee_id = _text(
            data.get("employee_id", ""), _("工号"), MAX_CHARS["employees"]["employee_id"], an_id=True
        )
        if Employee.objects.filter(employee_id=e.employee_id).exists():
            raise OrgRefused(_("工号 %(id)s 已存在。") % {"id": e.employee_id})
    e.name = _text(data.get("name", ""), _("姓名"), MAX_CHARS["employees"]["name"])
    e.hire_date = _date(data.get("hire_date"), _("入职日期"))
    if e.hire_date is None:
        raise OrgRefused(_("请填写入职日期。"))
    e.regularized_on = _date(data.get("regularized_on"), _("转正日期"))
    e.birth_date = _date(data.get("birth_date"), _("出生日期"))
    if e.regularized_on is not None and e.regularized_on < e.hire_date:
        raise OrgRefused(_("转正日期不能早于入职日期。"))
    team, department = data.get("team"), data.get("department")
    if team is not None and department is not None and team.department_id != department.pk:
        raise OrgRefused(
            _("班组 %(team)s 属于%(owner)s，不属于%(dept)s。")
            % {"team": team.code, "owner": team.department.name, "dept": department.name}
        )
    e.team = team
    e.department = team.department if department is None and team is not None else department
    e.education = data.get("education") or ""
    e.status = data.get("status") or Employee.Status.REGULAR
    manager = data.get("manager")
    if manager is not None and (manager.pk == e.pk or manager.employee_id == e.employee_id):
        raise OrgRefused(_("员工不能是自己的上级。"))
    e.manager = manager
    try:
        with transaction.atomic():
            e.save()
    except IntegrityError:
        raise OrgRefused(_("工号 %(id)s 已存在。") % {"id": e.employee_id}) from None
    after = employee_snapshot(e)
    changed = {k: v for k, v in after.items() if before is None or before.get(k) != v}
    if changed:
        record(
            actor,
            "org.manage",
            e,
            employee_id=e.employee_id,
            before={k: before[k] for k in changed} if before else None,
            after=changed,
        )
    return e


# ------------------------------------------------------------------------------------------ posts


def _post_key(p: Position) -> dict[str, Any]:
    return {"level": p.level, "track": p.track, "team": p.team, "department": p.department}


@transaction.atomic
def position_save(
    *,
    level: str,
    headcount: int,
    track: str = "",
    team: str = "",
    department: str = "",
    position: Position | None = None,
    actor,
) -> Position:
    """The posts (编制) at a level, for the whole company or one track, team or department: new, or its
    headcount changed. One row per (level, track, team, department), as in positions.csv."""
    check(actor, "org.manage")
    limits = MAX_CHARS["positions"]
    level = _text(level, _("职级"), limits["level"], an_id=True)
    track = (track or "").strip()[: limits["track"]]
    team = (team or "").strip()[: limits["team"]]
    department = (department or "").strip()[: limits["department"]]
    if headcount is None or headcount < 0:
        raise OrgRefused(_("编制人数应为不小于 0 的整数。"))
    same = Position.objects.filter(level=level, track=track, team=team, department=department)
    if same.exclude(pk=getattr(position, "pk", None)).exists():
        raise OrgRefused(_("这一职级在同一范围内已有编制，请修改那一行的人数。"))
    before = None if position is None else {**_post_key(position), "headcount": position.headcount}
    p = position or Position()
    p.level, p.track, p.team, p.department, p.headcount = level, track, team, department, headcount
    p.save()
    record(actor, "org.manage", p, before=before, after={**_post_key(p), "headcount": headcount})
    return p


@transaction.atomic
def position_delete(*, position: Position, actor) -> None:
    check(actor, "org.manage")
    before = {**_post_key(position), "headcount": position.headcount}
    target = ("position", str(position.pk), str(position))
    position.delete()
    record(actor, "org.manage", target, before=before, after=None)
