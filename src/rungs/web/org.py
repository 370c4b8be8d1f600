"""HR's pages for the organisation: departments and teams, employees, posts (编制) and logins in bulk.
Forms parse; every write is one call of a service in rungs.accounts.org or rungs.accounts.services
(authority table, one transaction, audit entry)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, requires
from rungs.accounts.models import Role
from rungs.accounts.org import (
    OrgRefused,
    department_save,
    employee_save,
    position_delete,
    position_save,
    team_save,
)
from rungs.accounts.services import LoginsRefused, logins_create, logins_set_active
from rungs.people.models import Department, Employee, Position, Team

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
PAGE = 100


def _refused(request, exc: Exception) -> None:
    messages.error(request, exc.reason if isinstance(exc, Denied) else str(exc))


# ------------------------------------------------------------------------- departments and teams


class DepartmentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("部门名称"), max_length=100)


class TeamForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("班组编号"), max_length=100)
    department = forms.ModelChoiceField(
        label=gettext_lazy("所属部门"), queryset=Department.objects.all(), empty_label=None
    )


@requires("org.manage")
def index(request):
    departments = Department.objects.annotate(
        n_teams=Count("teams", distinct=True), n_people=Count("employee", distinct=True)
    ).order_by("name")
    teams = Team.objects.select_related("department").annotate(n_people=Count("members")).order_by("code")
    return render(
        request,
        "rungs/org/index.html",
        {
            "departments": departments,
            "teams": teams,
            "department_form": DepartmentForm(),
            "team_form": TeamForm(),
            "unplaced": Employee.objects.filter(department__isnull=True).count(),
        },
    )


@require_POST
@requires("org.manage")
def department(request, pk: int | None = None):
    form = DepartmentForm(request.POST)
    target = get_object_or_404(Department, pk=pk) if pk else None
    if form.is_valid():
        try:
            d = department_save(name=form.cleaned_data["name"], department=target, actor=request.user)
        except (OrgRefused, Denied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已保存部门 %(name)s。") % {"name": d.name})
    else:
        messages.error(request, _("请填写部门名称（最多 100 个字符）。"))
    return redirect("org")


@require_POST
@requires("org.manage")
def team(request, pk: int | None = None):
    form = TeamForm(request.POST)
    target = get_object_or_404(Team, pk=pk) if pk else None
    if form.is_valid():
        d = form.cleaned_data
        try:
            t = team_save(code=d["code"], department=d["department"], team=target, actor=request.user)
        except (OrgRefused, Denied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已保存班组 %(code)s。") % {"code": t.code})
    else:
        messages.error(request, _("请填写班组编号并选择所属部门。"))
    return redirect("org")


# -------------------------------------------------------------------------------------- employees


class EmployeeForm(forms.Form):
    employee_id = forms.CharField(label=gettext_lazy("工号"), max_length=50)
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=100)
    hire_date = forms.DateField(label=gettext_lazy("入职日期"), widget=DATE)
    department = forms.ModelChoiceField(
        label=gettext_lazy("部门"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=gettext_lazy("—（按班组）"),
    )
    team = forms.ModelChoiceField(
        label=gettext_lazy("班组"),
        queryset=Team.objects.select_related("department"),
        required=False,
        empty_label="—",
    )
    manager = forms.CharField(
        label=gettext_lazy("上级工号"), max_length=50, required=False, help_text=gettext_lazy("留空表示没有")
    )
    education = forms.ChoiceField(
        label=gettext_lazy("学历"), choices=[("", "—"), *Employee.Education.choices], required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=Employee.Status.choices)
    regularized_on = forms.DateField(label=gettext_lazy("转正日期"), widget=DATE, required=False)
    birth_date = forms.DateField(label=gettext_lazy("出生日期"), widget=DATE, required=False)

    def __init__(self, *args, employee: Employee | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].label_from_instance = lambda t: f"{t.code}（{t.department.name}）"
        if employee is not None:
            self.fields["employee_id"].disabled = True  # records and files name the person by it

    def clean_manager(self):
        code = self.cleaned_data["manager"].strip()
        if not code:
            return None
        manager = Employee.objects.filter(employee_id=code).first()
        if manager is None:
            raise forms.ValidationError(_("没有工号为 %(id)s 的员工。") % {"id": code})
        return manager


def _initial(e: Employee) -> dict:
    return {
        "employee_id": e.employee_id,
        "name": e.name,
        "hire_date": e.hire_date,
        "department": e.department_id,
        "team": e.team_id,
        "manager": e.manager.employee_id if e.manager_id else "",
        "education": e.education,
        "status": e.status,
        "regularized_on": e.regularized_on,
        "birth_date": e.birth_date,
    }


@requires("org.manage")
def employees(request):
    q = request.GET.get("q", "").strip()
    dept = request.GET.get("department", "")
    people = Employee.objects.select_related("team", "department", "manager").order_by("employee_id")
    if q:
        people = people.filter(
            Q(name__icontains=q) | Q(employee_id__icontains=q) | Q(team__code__icontains=q)
        )
    if dept.isdigit():
        people = people.filter(department_id=dept)
    page = Paginator(people, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rungs/org/employees.html",
        {"page": page, "q": q, "department": dept, "departments": Department.objects.order_by("name")},
    )


@requires("org.manage")
def employee_edit(request, employee_id: str | None = None):
    target = get_object_or_404(Employee, employee_id=employee_id) if employee_id else None
    initial = _initial(target) if target else {"status": Employee.Status.PROBATION}
    form = EmployeeForm(request.POST or None, initial=initial, employee=target)
    if request.method == "POST" and form.is_valid():
        try:
            e = employee_save(data=form.cleaned_data, employee=target, actor=request.user)
        except (OrgRefused, Denied) as exc:
            form.add_error(None, exc.reason if isinstance(exc, Denied) else str(exc))
        else:
            messages.success(
                request, _("已保存 %(name)s（%(id)s）。") % {"name": e.name, "id": e.employee_id}
            )
            return redirect("org-employees")
    return render(request, "rungs/org/employee_form.html", {"form": form, "employee": target})


# ------------------------------------------------------------------------------------------ posts


class PositionForm(forms.Form):
    level = forms.CharField(label=gettext_lazy("职级（代码）"), max_length=50)
    track = forms.CharField(label=gettext_lazy("通道（代码，可空）"), max_length=50, required=False)
    department = forms.CharField(label=gettext_lazy("部门（可空）"), max_length=100, required=False)
    team = forms.CharField(label=gettext_lazy("班组（可空）"), max_length=100, required=False)
    headcount = forms.IntegerField(label=gettext_lazy("编制人数"), min_value=0)


@requires("org.manage")
def posts(request):
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            position_save(**form.cleaned_data, actor=request.user)
        except (OrgRefused, Denied) as exc:
            form.add_error(None, exc.reason if isinstance(exc, Denied) else str(exc))
        else:
            messages.success(request, _("已保存编制。"))
            return redirect("org-posts")
    rows = Position.objects.order_by("track", "department", "team", "level")
    return render(request, "rungs/org/posts.html", {"form": form, "positions": rows})


@require_POST
@requires("org.manage")
def post_change(request, pk: int):
    p = get_object_or_404(Position, pk=pk)
    try:
        if request.POST.get("delete"):
            position_delete(position=p, actor=request.user)
            messages.success(request, _("已删除这一行编制。"))
        else:
            headcount = int(request.POST.get("headcount", ""))
            position_save(
                level=p.level,
                track=p.track,
                team=p.team,
                department=p.department,
                headcount=headcount,
                position=p,
                actor=request.user,
            )
            messages.success(request, _("已保存编制。"))
    except ValueError:
        messages.error(request, _("编制人数应为不小于 0 的整数。"))
    except (OrgRefused, Denied) as exc:
        _refused(request, exc)
    return redirect("org-posts")


# ----------------------------------------------------------------------------------------- logins


class LoginsForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("每行一个账号：用户名,角色,工号,部门,班组（后三项可空）"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=200_000,
    )


@requires("user.manage")
def logins(request):
    form = LoginsForm(request.POST or None)
    created = []
    if request.method == "POST" and form.is_valid():
        try:
            created = logins_create(text=form.cleaned_data["text"], actor=request.user)
        except LoginsRefused as exc:
            for line, problem in exc.problems:
                form.add_error(
                    "text", _("第 %(n)s 行：%(p)s") % {"n": line, "p": problem} if line else problem
                )
        except Denied as exc:
            form.add_error(None, exc.reason)
        else:
            form = LoginsForm()
    users = get_user_model().objects.select_related("employee", "department", "team").order_by("username")
    state = request.GET.get("active", "")
    if state in ("1", "0"):
        users = users.filter(is_active=state == "1")
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    response = render(
        request,
        "rungs/org/logins.html",
        {
            "form": form,
            "created": created,
            "users": users[:500],
            "roles": Role.choices,
            "role": role,
            "active": state,
        },
    )
    if created:
        response["Cache-Control"] = "no-store"  # the first passwords are on this page only
    return response


@require_POST
@requires("user.manage")
def logins_active(request):
    ids = [int(x) for x in request.POST.getlist("user") if x.isdigit()]
    active = request.POST.get("active") == "1"
    users = list(get_user_model().objects.filter(pk__in=ids))
    try:
        n = logins_set_active(users=users, active=active, actor=request.user)
    except Denied as exc:
        _refused(request, exc)
    else:
        if active:
            messages.success(request, _("已启用 %(n)s 个账号。") % {"n": n})
        else:
            messages.success(request, _("已停用 %(n)s 个账号。") % {"n": n})
    return redirect("org-logins")
