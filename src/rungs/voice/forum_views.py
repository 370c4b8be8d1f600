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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, may, requires
from rungs.accounts.scope import sees_everyone, visible_employees
from rungs.audit import clock
from rungs.people.models import Department
from rungs.voice import forums as services
from rungs.voice.models import Forum, ForumAction


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
    day = clock.today()
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
    try:
        attendees = _attendees(user, None, p.get("attendees", ""))
        held_on = _date(p.get("held_on", ""))
        if held_on is None:
            raise services.ForumRefused(_("请填写召开日期。"))
        forum = services.forum_create(
            held_on=held_on,
            topic=p.get("topic", ""),
            department=department,
            attendees=attendees,
            other_attendees=p.get("other_attendees", ""),
            summary=p.get("summary", ""),
            actor=user,
            today=clock.today(),
        )
    except (Denied, services.ForumRefused) as exc:
        _refused(request, exc)
        return redirect("voice:forums")
    messages.success(request, _("已记录座谈会，请逐条登记会上提出的问题。"))
    return redirect("voice:forum", forum.pk)


def _labelled(edits) -> list:
    for e in edits:
        e.labels = _("、").join(str(services.FIELD_LABELS.get(k, k)) for k in e.fields)
    return list(edits)


def _detail(request, pk, *, status=200, **extra):
    """The forum page; `extra` carries a refused correction back into its form (`edit` or `action_edit`)."""
    forum = get_object_or_404(services.published(), pk=pk)
    user, day = request.user, clock.today()
    actions = list(forum.actions.all())
    refused = extra.pop("action_edit", None) or {}
    owners = list(services.owners())
    for a in actions:
        a.overdue = a.is_open and a.due_on < day
        a.movable = a.is_open and services.may_move(user, a)
        a.corrections = _labelled(a.edits.all())
        a.form = {"issue": a.issue, "owner": str(a.owner_id), "due_on": f"{a.due_on:%Y-%m-%d}", "reason": ""}
        a.form_error = ""
        if refused.get("pk") == a.pk:
            a.form, a.form_error = {k: refused.get(k, "") for k in a.form}, refused.get("error", "")
        a.former_owner = a.owner if a.owner not in owners else None  # no longer one who may own it
    can_record = services.records_for(user, forum.department) if user.is_authenticated else False
    edit = {
        "held_on": f"{forum.held_on:%Y-%m-%d}",
        "topic": forum.topic,
        "department": str(forum.department_id or ""),
        "attendees": " ".join(e.employee_id for e in forum.attendees.all()),
        "other_attendees": forum.other_attendees,
        "summary": forum.summary,
    }
    return render(
        request,
        "voice/forum.html",
        {
            "forum": forum,
            "actions": actions,
            "corrections": _labelled(forum.forum_edits),
            "can_record": can_record,
            "owners": owners,
            "A": ForumAction.State,
            "today": day,
            "wide": sees_everyone(user),
            "departments": _departments(user) if can_record else [],
            "edit": edit,
            **extra,
        },
        status=status,
    )


@login_required
@requires("forum.read")
def detail(request, pk):
    return _detail(request, pk)


def _attendees(user, forum: Forum | None, text: str) -> list:
    """The employees of the 工号 typed, looked up in the user's scope (and, when correcting a forum, among
    those already on record as attending it, who may have moved out of that scope since)."""
    codes = [c for c in CODES.split(text or "") if c]
    found = {e.employee_id: e for e in visible_employees(user).filter(employee_id__in=codes)}
    if forum is not None:
        for e in forum.attendees.filter(employee_id__in=codes):
            found.setdefault(e.employee_id, e)
    missing = [c for c in codes if c not in found]
    if missing:
        raise services.ForumRefused(
            _("找不到这些工号（或不在您的范围内）：%(codes)s。") % {"codes": "、".join(missing)}
        )
    return [found[c] for c in codes]


@login_required
@require_POST
def edit(request, pk):
    """Corrects a forum (date, topic, department, attendees, minutes) with a reason. Those who may not
    record this forum get the 403 page with the reason; a refused correction comes back in its form."""
    forum = get_object_or_404(Forum.objects.select_related("department"), pk=pk)
    p, user = request.POST, request.user
    services.check_records(user, forum.department)
    try:
        department = None
        if p.get("department"):
            department = Department.objects.filter(pk=p.get("department")).first()
            if department is None:
                raise services.ForumRefused(_("请选择范围。"))
        held_on = _date(p.get("held_on", ""))
        if held_on is None:
            raise services.ForumRefused(_("请填写召开日期。"))
        services.forum_edit(
            forum=forum,
            held_on=held_on,
            topic=p.get("topic", ""),
            department=department,
            attendees=_attendees(user, forum, p.get("attendees", "")),
            other_attendees=p.get("other_attendees", ""),
            summary=p.get("summary", ""),
            reason=p.get("reason", ""),
            actor=user,
            today=clock.today(),
        )
    except services.ForumRefused as exc:
        fields = ("held_on", "topic", "department", "attendees", "other_attendees", "summary", "reason")
        return _detail(request, pk, status=400, edit={k: p.get(k, "") for k in fields}, edit_error=str(exc))
    messages.success(request, _("已修改座谈会记录。"))
    return redirect("voice:forum", forum.pk)


@login_required
@require_POST
def action_edit(request, pk):
    """Corrects an action's issue, owner or due date with a reason, like `edit`."""
    action = get_object_or_404(ForumAction.objects.select_related("forum__department"), pk=pk)
    p, user = request.POST, request.user
    services.check_records(user, action.forum.department)
    owner = get_user_model().objects.filter(pk=p.get("owner") or 0).first()
    try:
        due_on = _date(p.get("due_on", ""))
        if due_on is None:
            raise services.ForumRefused(_("请填写完成期限。"))
        services.forum_action_edit(
            action=action,
            issue=p.get("issue", ""),
            owner=owner,
            due_on=due_on,
            reason=p.get("reason", ""),
            actor=user,
            today=clock.today(),
        )
    except services.ForumRefused as exc:
        posted = {k: p.get(k, "") for k in ("issue", "owner", "due_on", "reason")}
        return _detail(
            request,
            action.forum_id,
            status=400,
            action_edit={"pk": action.pk, "error": str(exc), **posted},
        )
    messages.success(request, _("已修改事项。"))
    return redirect("voice:forum", action.forum_id)


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
            today=clock.today(),
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
            today=clock.today(),
        )
    except (Denied, services.ForumRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已保存。"))
    return redirect("voice:forum", action.forum_id)
