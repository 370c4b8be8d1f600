"""The staff forum pages: every forum and where its issues stand (everyone), recording a forum and its
issues (HR, the department's manager), and the owner's steps on an action. Views parse the form and call
one service of rungs.voice.forums; a refusal is shown with its reason and stores nothing."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, may, requires
from rungs.accounts.scope import sees_everyone, visible_employees
from rungs.people.models import Department
from rungs.voice import forums as services
from rungs.voice.models import ForumAction


def today():
    """The day a step is taken on (one place, so a test can set the clock)."""
    return timezone.localdate()


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _refused(request, exc) -> None:
    messages.error(request, getattr(exc, "reason", None) or str(exc))


def _departments(user):
    if sees_everyone(user):
        return Department.objects.all()
    return Department.objects.filter(pk=user.department_id)


@login_required
@requires("forum.read")
def index(request):
    user = request.user
    forums = list(services.published()[:200])
    day = today()
    for f in forums:
        for a in f.actions.all():
            a.overdue = a.is_open and a.due_on < day
    return render(
        request,
        "voice/forums.html",
        {
            "forums": forums,
            "can_record": may(user, "forum.record"),
            "wide": sees_everyone(user),
            "departments": _departments(user),
            "today": day,
        },
    )


CODES = re.compile(r"[\s,，、;；]+")


@login_required
@require_POST
def create(request):
    p, user = request.POST, request.user
    department = None
    if p.get("department"):
        department = get_object_or_404(Department, pk=p.get("department") or 0)
    codes = [c for c in CODES.split(p.get("attendees", "")) if c]
    found = {e.employee_id: e for e in visible_employees(user).filter(employee_id__in=codes)}
    try:
        missing = [c for c in codes if c not in found]
        if missing:
            raise services.ForumRefused(
                _("找不到这些工号（或不在您的范围内）：%(codes)s。") % {"codes": "、".join(missing)}
            )
        held_on = _date(p.get("held_on", ""))
        if held_on is None:
            raise services.ForumRefused(_("请填写召开日期。"))
        forum = services.forum_create(
            held_on=held_on,
            topic=p.get("topic", ""),
            department=department,
            attendees=[found[c] for c in codes],
            other_attendees=p.get("other_attendees", ""),
            summary=p.get("summary", ""),
            actor=user,
            today=today(),
        )
    except (Denied, services.ForumRefused) as exc:
        _refused(request, exc)
        return redirect("voice:forums")
    messages.success(request, _("已记录座谈会，请逐条登记会上提出的问题。"))
    return redirect("voice:forum", forum.pk)


@login_required
@requires("forum.read")
def detail(request, pk):
    forum = get_object_or_404(services.published(), pk=pk)
    user, day = request.user, today()
    actions = list(forum.actions.all())
    for a in actions:
        a.overdue = a.is_open and a.due_on < day
        a.movable = a.is_open and services.may_move(user, a)
    return render(
        request,
        "voice/forum.html",
        {
            "forum": forum,
            "actions": actions,
            "can_record": services.records_for(user, forum.department) if user.is_authenticated else False,
            "owners": services.owners(),
            "A": ForumAction.State,
            "today": day,
        },
    )


@login_required
@require_POST
def add_issue(request, pk):
    forum = get_object_or_404(services.published(), pk=pk)
    p = request.POST
    owner = get_user_model().objects.filter(pk=p.get("owner") or 0).first()
    try:
        due_on = _date(p.get("due_on", ""))
        if due_on is None:
            raise services.ForumRefused(_("请填写完成期限。"))
        services.forum_issue_add(
            forum=forum,
            issue=p.get("issue", ""),
            owner=owner,
            due_on=due_on,
            actor=request.user,
            today=today(),
        )
    except (Denied, services.ForumRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已登记。"))
    return redirect("voice:forum", forum.pk)


@login_required
@require_POST
def act(request, pk):
    """One step on an action, named by the button pressed (`step`)."""
    action = get_object_or_404(ForumAction.objects.select_related("forum"), pk=pk)
    try:
        services.forum_action_move(
            action=action,
            to=request.POST.get("step", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
            today=today(),
        )
    except (Denied, services.ForumRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已保存。"))
    return redirect("voice:forum", action.forum_id)
