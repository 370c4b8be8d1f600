"""Staff forums (员工座谈会), one service per action (checked against the authority table, atomic, audited),
and what the pages and the inbox read.

A forum is a meeting, so who attended is on record (the attendees, named). The issues raised are recorded
as the forum's, never as a person's: an action row has no field for who raised it, and its audit entry
names the one who recorded it. Each issue is an action with an owner and a due date, taken through
received → in progress → done, or declined with a reason, every step dated and published to everyone
like the handling of a suggestion.

HR records forums of any department or of the whole company; a department manager those of their own
department. An action is moved by its owner, or by whoever may record that forum.

A forum or an action is corrected after it was recorded (`forum_edit`, `forum_action_edit`) by whoever
may record it, with a reason: the audit entry holds each changed field before → after, and a published
ForumEdit says on which day what was corrected and why (not what it said before: a correction may remove
what should not have been written, such as the name of whoever raised an issue).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from rungs.accounts.authority import Denied, check, may
from rungs.accounts.models import COMPANY_WIDE
from rungs.audit.trail import record
from rungs.people.models import Department, Employee
from rungs.voice.models import Forum, ForumAction, ForumActionStep, ForumEdit

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


def _attendance(attendees, other_attendees: str, attended: frozenset[int] = frozenset()) -> list[Employee]:
    """The attendees, once each: at least one person (an employee or someone named in other_attendees),
    and nobody who has left, unless already on record as having attended (`attended`: employee pks)."""
    people = list(dict.fromkeys(attendees or []))
    if not people and not (other_attendees or "").strip():
        raise ForumRefused(_("请填写参会人员。"))
    if any(e.status == Employee.Status.LEFT and e.pk not in attended for e in people):
        raise ForumRefused(_("参会员工中有已离职的人员。"))
    return people


def check_records(actor, department: Department | None) -> None:
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
    check_records(actor, department)
    topic = _text(topic, _("主题"), 200)
    if held_on > today:
        raise ForumRefused(_("座谈会召开后再记录：日期不能晚于今天。"))
    people = _attendance(attendees, other_attendees)
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
    check_records(actor, f.department)
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


# The fields a correction may change, as the published ForumEdit names them.
FIELD_LABELS = {
    "held_on": _lazy("召开日期"),
    "topic": _lazy("主题"),
    "department": _lazy("范围"),
    "attendees": _lazy("参会员工"),
    "other_attendees": _lazy("其他参会人员"),
    "summary": _lazy("会议纪要"),
    "issue": _lazy("提出的问题"),
    "owner": _lazy("负责人"),
    "due_on": _lazy("完成期限"),
}


def _forum_fields(f: Forum, department: Department | None, people: list[Employee]) -> dict:
    return {
        "held_on": f.held_on,
        "topic": f.topic,
        "department": getattr(department, "name", None),
        "attendees": sorted(e.employee_id for e in people),
        "other_attendees": f.other_attendees,
        "summary": f.summary,
    }


def _corrected(before: dict, after: dict) -> list[str]:
    changed = [k for k in before if before[k] != after[k]]
    if not changed:
        raise ForumRefused(_("没有修改任何内容。"))
    return changed


@transaction.atomic
def forum_edit(
    *,
    forum: Forum,
    held_on: dt.date,
    topic: str,
    department: Department | None,
    attendees: list[Employee],
    other_attendees: str = "",
    summary: str = "",
    reason: str,
    actor,
    today: dt.date,
) -> Forum:
    """Corrects a recorded forum: the same rules as recording it (no future date, someone attended, no
    newly named attendee who has left, a department the actor records), and none of its actions due
    before the new date. One audit entry holds each changed field before → after and the reason."""
    f = Forum.objects.select_for_update(of=("self",)).select_related("department").get(pk=forum.pk)
    check_records(actor, f.department)
    if getattr(department, "pk", None) != f.department_id:
        check_records(actor, department)
    reason = _text(reason, _("修改原因"), 1000)
    topic = _text(topic, _("主题"), 200)
    if held_on > today:
        raise ForumRefused(_("座谈会召开后再记录：日期不能晚于今天。"))
    earliest = f.actions.aggregate(m=Min("due_on"))["m"]
    if earliest is not None and held_on > earliest:
        raise ForumRefused(
            _("已登记的问题中有完成期限为 %(day)s 的，座谈会日期不能晚于它。")
            % {"day": f"{earliest:%Y-%m-%d}"}
        )
    attended = frozenset(f.attendees.values_list("pk", flat=True))
    people = _attendance(attendees, other_attendees, attended)
    before = _forum_fields(f, f.department, list(f.attendees.all()))
    f.held_on, f.topic, f.department = held_on, topic, department
    f.other_attendees = _text(other_attendees, _("其他参会人员"), 500, required=False)
    f.summary = _text(summary, _("会议纪要"), 10000, required=False)
    after = _forum_fields(f, department, people)
    changed = _corrected(before, after)
    f.save(update_fields=["held_on", "topic", "department", "other_attendees", "summary"])
    if "attendees" in changed:
        f.attendees.set(people)
    ForumEdit.objects.create(forum=f, on=today, by=actor, fields=changed, reason=reason)
    record(
        actor,
        "forum.record",
        f,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        reason=reason,
    )
    return f


@transaction.atomic
def forum_action_edit(
    *, action: ForumAction, issue: str, owner, due_on: dt.date, reason: str, actor, today: dt.date
) -> ForumAction:
    """Corrects an action's issue text, owner or due date, by whoever records its forum, with a reason. A new
    owner must be one who may own an action (as when it was added), and it is their inbox that shows it
    from then on; a closed action keeps its owner and due date. Nobody is named as having raised it."""
    f = Forum.objects.select_for_update().get(pk=action.forum_id)
    check_records(actor, f.department)
    a = ForumAction.objects.select_for_update(of=("self",)).select_related("owner").get(pk=action.pk)
    reason = _text(reason, _("修改原因"), 1000)
    issue = _text(issue, _("提出的问题"), 4000)
    if owner is None or (owner.pk != a.owner_id and not owners().filter(pk=owner.pk).exists()):
        raise ForumRefused(_("请选择负责人（组长及以上的在职账号）。"))
    if due_on < f.held_on:
        raise ForumRefused(_("完成期限不能早于座谈会日期。"))
    before = {"issue": a.issue, "owner": a.owner.get_username(), "due_on": a.due_on}
    after = {"issue": issue, "owner": owner.get_username(), "due_on": due_on}
    changed = _corrected(before, after)
    if not a.is_open and {"owner", "due_on"} & set(changed):
        raise ForumRefused(_("这个事项已经办结，不能再更换负责人或完成期限。"))
    a.issue, a.owner, a.due_on = issue, owner, due_on
    a.save(update_fields=["issue", "owner", "due_on"])
    ForumEdit.objects.create(forum=f, action=a, on=today, by=actor, fields=changed, reason=reason)
    record(
        actor,
        "forum.record",
        a,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        reason=reason,
    )
    return a


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
            Prefetch(
                "actions", ForumAction.objects.select_related("owner").prefetch_related("steps", "edits")
            ),
            Prefetch("edits", ForumEdit.objects.filter(action__isnull=True), to_attr="forum_edits"),
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
