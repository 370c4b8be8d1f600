"""Writes about logins: a user's role, scope and status changed (in the admin, or by HR's pages), with
the authority check and the audit entry in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check
from rungs.accounts.models import Role
from rungs.audit.trail import actor_name, record

# The fields of a login the trail follows (the password only as "changed", never its hash).
TRACKED = ("username", "role", "employee", "department", "team", "is_active", "is_staff", "is_superuser")


def snapshot(user) -> dict:
    return {f: str(getattr(user, f)) if getattr(user, f) is not None else None for f in TRACKED}


@transaction.atomic
def user_save(*, user, before: dict | None, actor, password_changed: bool = False):
    """Stores a new or changed login. Only an administrator makes someone an administrator."""
    check(actor, "user.manage")
    grants_admin = user.is_superuser or user.role == Role.ADMIN
    had_admin = before is not None and (before["is_superuser"] == "True" or before["role"] == Role.ADMIN)
    if grants_admin and not had_admin and actor is not None and not actor.is_superuser:
        raise Denied("user.manage", _("只有系统管理员可以授予管理员权限。"))
    if password_changed:
        user.must_change_password = _set_by_another(user, actor)
    user.save()
    after = snapshot(user)
    changed = {k: v for k, v in after.items() if before is None or before.get(k) != v}
    if password_changed:
        changed["password"] = "changed"
    if changed:
        record(
            actor,
            "user.create" if before is None else "user.manage",
            user,
            before={k: before[k] for k in changed if k in before} if before else None,
            after=changed,
        )
    return user


def _set_by_another(user, actor) -> bool:
    """Whether a password is temporary: set by someone other than its holder."""
    return actor is None or actor.pk != user.pk


@transaction.atomic
def password_changed(*, user, actor, before_hash: str) -> bool:
    """Audits a password change that Django's own form has just written (the admin's password page or
    one's own), inside the same transaction: a change of another person's password needs user.manage, so
    a refusal undoes it. The trail says "changed" (or "disabled"), never the hash. False when the hash
    did not change (the form was refused)."""
    user.refresh_from_db(fields=["password"])
    if user.password == before_hash:
        return False
    own = actor is not None and actor.pk == user.pk
    check(actor, "user.password" if own else "user.manage")
    user.must_change_password = _set_by_another(user, actor) and user.has_usable_password()
    user.save(update_fields=["must_change_password"])
    state = "changed" if user.has_usable_password() else "disabled"
    record(
        actor,
        "user.password",
        user,
        after={"password": state, "by": "self" if own else actor_name(actor)},
    )
    return True


@transaction.atomic
def functions_recorded(*, user, before: list[str], actor) -> None:
    """Audits a change of the functions a user holds (董事长, 评定小组成员 …), as the admin saved them."""
    check(actor, "user.manage")
    after = sorted(user.functions.values_list("function", flat=True))
    if after != before:
        record(actor, "user.manage", user, before={"functions": before}, after={"functions": after})


@transaction.atomic
def function_grant(*, user, function: str, actor):
    """Gives a user a decider's function; only an administrator or HR may."""
    from rungs.accounts.models import UserFunction

    check(actor, "user.manage")
    before = sorted(user.functions.values_list("function", flat=True))
    UserFunction.objects.get_or_create(user=user, function=function)
    functions_recorded(user=user, before=before, actor=actor)


@transaction.atomic
def delegation_create(*, principal, delegate, starts_on, ends_on, actor, note: str = ""):
    """Someone going away names who approves in their place; HR or an administrator may set it for them."""
    from rungs.accounts.models import Delegation

    if actor is None or actor.pk != principal.pk:
        check(actor, "user.manage")
    if delegate.pk == principal.pk:
        raise Denied("delegation", _("不能委托给自己。"))
    if not delegate.is_active:
        raise Denied(
            "delegation", _("%(name)s 的账号已停用，不能作为代理人。") % {"name": delegate.get_username()}
        )
    if ends_on < starts_on:
        raise Denied("delegation", _("结束日期不能早于开始日期。"))
    d = Delegation.objects.create(
        principal=principal,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip(),
    )
    record(
        actor,
        "delegation.create",
        d,
        after={
            "principal": principal.get_username(),
            "delegate": delegate.get_username(),
            "from": starts_on,
            "to": ends_on,
        },
    )
    return d


# ------------------------------------------------------------------------------------ logins in bulk


class LoginsRefused(Exception):
    """Rows of a bulk login list that cannot be created; nothing was created. `problems`: (line, text)."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{n}: {t}" for n, t in problems))


LOGIN_COLUMNS = ("username", "role", "employee_id", "department", "team")


def _role_of(word: str) -> str | None:
    word = word.strip()
    for role in Role:
        if word in (role.value, str(role.label)) or word.replace("-", "_") == role.value:
            return role.value
    return None


def initial_password() -> str:
    """A first password for a new login, strong enough for Django's validators; shown once."""
    import secrets

    return "Rungs-" + secrets.token_urlsafe(9)


@transaction.atomic
def logins_create(*, text: str, actor) -> list[tuple[object, str]]:
    """Creates logins from lines of `username,role[,employee_id[,department[,team]]]` (a header line of
    those names is skipped; a role by its code or its Chinese name). All or none: every problem is named
    by its line. Each new login gets its own first password, returned with it (shown once, never stored
    in clear) and an audit entry. A login linked to an employee takes that person's department and team
    unless the line names them."""
    import csv
    import io

    from rungs.accounts.models import User
    from rungs.people.models import Department, Employee, Team

    check(actor, "user.create")
    problems: list[tuple[int, str]] = []
    wanted = []
    seen: set[str] = set()
    for n, row in enumerate(csv.reader(io.StringIO(text or "")), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (n == 1 and cells[:2] == ["username", "role"]):
            continue
        cells += [""] * (len(LOGIN_COLUMNS) - len(cells))
        if len(cells) > len(LOGIN_COLUMNS):
            problems.append(
                (n, _("最多 %(n)s 列：%(cols)s") % {"n": len(LOGIN_COLUMNS), "cols": ",".join(LOGIN_COLUMNS)})
            )
            continue
        username, role_word, eid, dept_name, team_code = cells
        role = _role_of(role_word)
        employee = Employee.objects.filter(employee_id=eid).first() if eid else None
        department = Department.objects.filter(name=dept_name).first() if dept_name else None
        team = Team.objects.filter(code=team_code).first() if team_code else None
        if not username or len(username) > 150 or not all(c.isalnum() or c in "@.+-_" for c in username):
            problems.append((n, _("用户名只能由字母、数字和 @ . + - _ 组成：%(u)s") % {"u": username or "—"}))
        elif username in seen or User.objects.filter(username=username).exists():
            problems.append((n, _("用户名 %(u)s 已存在。") % {"u": username}))
        if role is None:
            problems.append((n, _("未知的角色：%(r)s") % {"r": role_word or "—"}))
        if eid and employee is None:
            problems.append((n, _("没有工号为 %(id)s 的员工。") % {"id": eid}))
        elif employee is not None and User.objects.filter(employee=employee).exists():
            problems.append((n, _("员工 %(id)s 已有登录账号。") % {"id": eid}))
        if dept_name and department is None:
            problems.append((n, _("没有名为 %(d)s 的部门。") % {"d": dept_name}))
        if team_code and team is None:
            problems.append((n, _("没有编号为 %(t)s 的班组。") % {"t": team_code}))
        seen.add(username)
        wanted.append((username, role, employee, department, team))
    if problems:
        raise LoginsRefused(problems)
    if not wanted:
        raise LoginsRefused([(0, _("没有要创建的账号。"))])
    created = []
    for username, role, employee, department, team in wanted:
        if employee is not None:
            department = department or employee.department
            team = team or employee.team
        user = User(username=username, role=role, employee=employee, department=department, team=team)
        password = initial_password()
        user.set_password(password)
        user_save(user=user, before=None, actor=actor, password_changed=True)
        created.append((user, password))
    return created


@transaction.atomic
def logins_set_active(*, users, active: bool, actor) -> int:
    """Deactivates (or reactivates) logins; a login is never deleted, so what it entered keeps its name.
    Nobody deactivates their own login here. Returns how many changed."""
    changed = 0
    for user in users:
        if not active and actor is not None and user.pk == actor.pk:
            raise Denied("user.manage", _("不能停用自己的账号。"))
        if user.is_active == active:
            continue
        before = snapshot(user)
        user.is_active = active
        user_save(user=user, before=before, actor=actor)
        changed += 1
    return changed
