"""Staff forums (员工座谈会), one service per action (checked against the authority table, atomic, audited),
and what the pages and the inbox read.

A forum is a meeting, so who attended is on record (the attendees, named). The issues raised are recorded
as the forum's, never as a person's: an action row has no field for who raised it, and its audit entry
names the one who recorded it. Each issue is an action with an owner and a due date, taken through
received → in progress → done, or declined with a reason, every step dated and published to everyone
like the handling of a suggestion.

HR records forums of any department or of the whole company; a department manager those of their own
department. An action is moved by its owner, or by whoever may record that forum.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check, may
from rungs.accounts.models import COMPANY_WIDE
from rungs.audit.trail import record
from rungs.people.models import Department, Employee
from rungs.voice.models import Forum, ForumAction, ForumActionStep

A = ForumAction.State
MOVES: dict[str, tuple[str, ...]] = {
    A.RECEIVED: (A.IN_PROGRESS, A.DECLINED),
    A.IN_PROGRESS: (A.DONE, A.DECLINED),
}
OPEN = (A.RECEIVED, A.IN_PROGRESS)


class ForumRefused(Exception):
    """The forum or action does not allow this (a field missing, a wrong state, a declined without reason)."""


def _text(value: str, what: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ForumRefused(_("请填写%(what)s。") % {"what": what})
    if len(value) > limit:
        raise ForumRefused(_("%(what)s最多 %(n)s 个字。") % {"what": what, "n": limit})
    return value


def records_for(actor, department: Department | None) -> bool:
    """Whether `actor` records the forums of `department` (None: company-wide): HR (and the
    administrators) all of them, a department manager those of their own department."""
    if actor is None:
        return True
    if not may(actor, "forum.record"):
        return False
    if actor.is_superuser or actor.role in COMPANY_WIDE:
        return True
    return department is not None and department.pk == actor.department_id


def _may_record(actor, department: Department | None) -> None:
    check(actor, "forum.record")
    if not records_for(actor, department):
        raise Denied("forum.record", _("您只能记录本部门的座谈会。"))


# ---------------------------------------------------------------------------------------------- writes


@transaction.atomic
def forum_create(
    *,
    held_on: dt.date,
    topic: str,
    actor,
    department: Department | None = None,
    attendees: list[Employee] | None = None,
    other_attendees: str = "",
    summary: str = "",
    today: dt.date,
) -> Forum:
    """A forum as held: date, topic, the department (None: company-wide), who attended, the minutes."""
    _may_record(actor, department)
    topic = _text(topic, _("主题"), 200)
    if held_on > today:
        raise ForumRefused(_("座谈会召开后再记录：日期不能晚于今天。"))
    people = list(dict.fromkeys(attendees or []))
    if not people and not (other_attendees or "").strip():
        raise ForumRefused(_("请填写参会人员。"))
    if any(e.status == Employee.Status.LEFT for e in people):
        raise ForumRefused(_("参会员工中有已离职的人员。"))
    forum = Forum.objects.create(
        held_on=held_on,
        topic=topic,
        department=department,
        other_attendees=_text(other_attendees, _("其他参会人员"), 500, required=False),
        summary=_text(summary, _("会议纪要"), 10000, required=False),
        created_by=actor,
    )
    forum.attendees.set(people)
    record(
        actor,
        "forum.record",
        forum,
        after={
            "held_on": held_on,
            "topic": topic,
            "department": getattr(department, "name", None),
            "attendees": sorted(e.employee_id for e in people),
        },
    )
    return forum


def owners() -> QuerySet:
    """Who may own an action: the active users whose role may follow one up (not the agents)."""
    from rungs.accounts.authority import ACTIONS

    roles = ACTIONS["forum.act"].roles
    return (
        get_user_model()
        .objects.filter(Q(role__in=roles) | Q(is_superuser=True), is_active=True)
        .order_by("role", "username")
    )


@transaction.atomic
def forum_issue_add(
    *, forum: Forum, issue: str, owner, due_on: dt.date, actor, today: dt.date
) -> ForumAction:
    """An issue raised at the forum, as an action with its owner and due date. Nobody is named as having
    raised it: the forum raised it."""
    f = Forum.objects.select_for_update().get(pk=forum.pk)
    _may_record(actor, f.department)
    issue = _text(issue, _("提出的问题"), 4000)
    if owner is None or not owners().filter(pk=owner.pk).exists():
        raise ForumRefused(_("请选择负责人（组长及以上的在职账号）。"))
    if due_on < f.held_on:
        raise ForumRefused(_("完成期限不能早于座谈会日期。"))
    seq = (f.actions.aggregate(m=Max("seq"))["m"] or 0) + 1
    action = ForumAction.objects.create(forum=f, seq=seq, issue=issue, owner=owner, due_on=due_on)
    ForumActionStep.objects.create(
        action=action, seq=1, from_state="", to_state=A.RECEIVED, on=today, by=actor
    )
    record(
        actor,
        "forum.record",
        action,
        after={"forum": f.pk, "seq": seq, "owner": owner.get_username(), "due_on": due_on},
    )
    return action


def may_move(actor, action: ForumAction) -> bool:
    """The action's owner moves it, and whoever records the forum's department."""
    if not may(actor, "forum.act"):
        return False
    return action.owner_id == actor.pk or records_for(actor, action.forum.department)


@transaction.atomic
def forum_action_move(*, action: ForumAction, to: str, actor, today: dt.date, note: str = "") -> ForumAction:
    """One step of an action; declining needs a reason. The state, the note and the day are published."""
    a = ForumAction.objects.select_for_update(of=("self",)).select_related("forum").get(pk=action.pk)
    check(actor, "forum.act")
    if not may_move(actor, a):
        raise Denied("forum.act", _("只有负责人或座谈会的记录人可以处理这个事项。"))
    if to not in MOVES.get(a.state, ()):
        raise ForumRefused(
            _("这个事项目前“%(state)s”，不能改为“%(to)s”。")
            % {"state": a.get_state_display(), "to": A(to).label if to in A.values else to}
        )
    note = _text(note, _("说明"), 4000, required=to == A.DECLINED)
    seq = (a.steps.aggregate(m=Max("seq"))["m"] or 0) + 1
    ForumActionStep.objects.create(
        action=a, seq=seq, from_state=a.state, to_state=to, on=today, by=actor, note=note
    )
    old, a.state = a.state, to
    if note and to in (A.DONE, A.DECLINED):
        a.result = note
    a.save(update_fields=["state", "result"])
    record(actor, "forum.act", a, before={"state": old}, after={"state": to}, reason=note)
    return a


# ---------------------------------------------------------------------------------------------- reads


def published() -> QuerySet[Forum]:
    """Every forum with its actions and their steps, and how many actions stand in each state."""
    counts = {f"n_{s}": Count("actions", filter=Q(actions__state=s)) for s in A.values}
    return (
        Forum.objects.select_related("department")
        .prefetch_related(
            "attendees",
            Prefetch("actions", ForumAction.objects.select_related("owner").prefetch_related("steps")),
        )
        .annotate(n_actions=Count("actions"), **counts)
    )


def actions_waiting(user, today: dt.date, limit: int = 100) -> list[ForumAction]:
    """The open actions the user owns, the nearest due first (the inbox)."""
    if not user.is_authenticated or not may(user, "forum.act"):
        return []
    rows = ForumAction.objects.filter(owner=user, state__in=OPEN).select_related("forum")
    out = list(rows.order_by("due_on", "pk")[:limit])
    for a in out:
        a.overdue = a.due_on < today
    return out
