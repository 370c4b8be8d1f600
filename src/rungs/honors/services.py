"""Honors, one service per step: a title is set up (with its criteria and quota), a superior nominates for a
cycle (refused over the quota or when a measurable criterion is not met), HR or the department manager
reviews, posts the 公示 (the working-day clock of rungs.core.notice; objections pause it) and awards; the
award writes the person's `award` event, which the promotion policies count. Each step is checked against
the authority table and written with its audit entry in the same transaction. A step that is not allowed
now raises HonorRefused with the reason (Denied for who may not take it at all)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check
from rungs.accounts.scope import visible_employees
from rungs.audit.trail import actor_name, record
from rungs.core.honors import honor_met, honor_policy
from rungs.core.policy.errors import PolicyError
from rungs.core.rewards.cycle import Cycle, parse_cycle
from rungs.datasets.frames import dataset_from_db
from rungs.honors.models import Award, Honor, HonorNotice, HonorObjection, Nomination, NominationStep
from rungs.notify.services import announce, in_both, tell
from rungs.people.models import Employee, Team
from rungs.policies.models import Policy
from rungs.promotions.services import count_notice, recount_running
from rungs.records.models import Event
from rungs.records.services import serialise_fact_writes

S = Nomination.State
HOLDING = (S.NOMINATED, S.APPROVED, S.NOTICE, S.AWARDED)  # the nominations that take up a quota place


class HonorRefused(Exception):
    """The honor does not allow this step now."""


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise HonorRefused(message)
    return value


# ---------------------------------------------------------------------------------------------- titles


def criteria_policy(honor: Honor, on: dt.date | None = None, department=None, source: Policy | None = None):
    """The one-rule policy of the honor's criteria, or None when it has none (judged by people alone). The
    criteria are read against the version of the honor's policy in force on `on` (for `department`: its
    own version first), or against `source` when one is given."""
    if not honor.criteria.strip():
        return None
    if not honor.scheme:
        raise HonorRefused(_("写了评选条件，就要选择条件所依据的策略（通道、职级和等级的定义）。"))
    if not honor.track or not honor.levels:
        raise HonorRefused(_("写了评选条件，就要填写适用的通道和职级。"))
    policy = source or Policy.in_force(on or dt.date.max, honor.scheme, department=department)
    if policy is None:
        raise HonorRefused(
            _("%(day)s 没有生效的策略 %(scheme)s，无法评估评选条件。")
            % {"day": on.isoformat() if on else "—", "scheme": honor.scheme}
        )
    try:
        return honor_policy(
            policy.text, track=honor.track, levels=tuple(honor.levels), criteria=honor.criteria
        )
    except PolicyError as exc:
        raise HonorRefused(str(exc)) from None


@transaction.atomic
def honor_define(
    *,
    code: str,
    name: str,
    quota: int,
    actor,
    kind: str = Honor.Kind.INDIVIDUAL,
    cycle: str = Honor.Cycle.MONTH,
    quota_scope: str = Honor.Scope.TEAM,
    description: str = "",
    policy: Policy | None = None,
    track: str = "",
    levels: tuple[str, ...] = (),
    criteria: str = "",
    notice_working_days: int = 3,
) -> Honor:
    """A new title. Its criteria, when written, are parsed here, so a mistake is shown with its line and
    column now rather than at the first nomination."""
    check(actor, "honor.define")
    name = _text(name, _("请填写荣誉名称。"))
    if quota < 1:
        raise HonorRefused(_("名额至少为 1。"))
    if Honor.objects.filter(code=code).exists():
        raise HonorRefused(_("代码 %(code)s 已被另一个荣誉使用。") % {"code": code})
    if kind == Honor.Kind.TEAM and criteria.strip():
        raise HonorRefused(_("团队荣誉由推荐和审核评定，不能写个人的评选条件。"))
    if kind == Honor.Kind.TEAM and quota_scope == Honor.Scope.TEAM:
        raise HonorRefused(_("团队荣誉的名额按部门或全公司计。"))
    honor = Honor(
        code=code,
        name=name,
        kind=kind,
        cycle=cycle,
        quota=quota,
        quota_scope=quota_scope,
        description=description.strip(),
        scheme=policy.scheme if policy is not None else "",
        track=track,
        levels=list(levels),
        criteria=criteria,
        notice_working_days=notice_working_days,
    )
    criteria_policy(honor, source=policy)
    honor.full_clean()
    honor.save()
    record(
        actor,
        "honor.define",
        honor,
        after={"code": code, "quota": quota, "scope": quota_scope, "cycle": cycle, "criteria": criteria},
    )
    return honor


@transaction.atomic
def honor_edit(*, honor: Honor, name: str, description: str, actor) -> Honor:
    """Corrects a title's name and public description. Its code (the `award` events' ref), criteria and
    quota stay: changing those would change what past nominations and awards were judged on. Awards
    already made keep the name they were awarded under (Award.honor_name), so their certificates do not
    change."""
    check(actor, "honor.define")
    honor = Honor.objects.select_for_update().get(pk=honor.pk)
    name = _text(name, _("请填写荣誉名称。"))
    description = (description or "").strip()
    fields = {"name": (honor.name, name), "description": (honor.description, description)}
    changed = {k: v for k, v in fields.items() if v[0] != v[1]}
    if not changed:
        raise HonorRefused(_("名称和说明都没有改动。"))
    honor.name, honor.description = name, description
    honor.full_clean()
    honor.save(update_fields=["name", "description"])
    record(
        actor,
        "honor.define",
        honor,
        before={k: old for k, (old, _new) in changed.items()},
        after={k: new for k, (_old, new) in changed.items()},
    )
    return honor


def cycle_of(honor: Honor, text: str) -> Cycle:
    """The cycle written for this honor (a month for a monthly title, a quarter for a quarterly one …)."""
    try:
        cycle = parse_cycle(text)
    except ValueError:
        raise HonorRefused(_("周期应写作 2026-11、2026-Q4、2026-H2 或 2026。")) from None
    if cycle.kind != honor.cycle:
        raise HonorRefused(
            _("「%(honor)s」按%(kind)s评选，周期 %(cycle)s 不是%(kind)s。")
            % {"honor": honor.name, "kind": honor.get_cycle_display(), "cycle": cycle.label}
        )
    return cycle


# ---------------------------------------------------------------------------------------------- nomination


def _quota_unit(honor: Honor, employee: Employee | None, team: Team | None) -> tuple[Q, str]:
    """The nominations that share the nominee's quota, and the unit's name for the message."""
    if honor.quota_scope == Honor.Scope.COMPANY:
        return Q(), _("全公司")
    if honor.quota_scope == Honor.Scope.TEAM:
        t = employee.team if employee else team
        if t is None:
            raise HonorRefused(_("%(name)s 没有班组，无法按班组计算名额。") % {"name": employee})
        return Q(quota_team=t), str(t)
    d = employee.department if employee else team.department
    if d is None:
        raise HonorRefused(_("%(name)s 没有部门，无法按部门计算名额。") % {"name": employee})
    return Q(quota_department=d), str(d)


def _check_quota(honor: Honor, cycle: str, employee, team) -> None:
    unit, where = _quota_unit(honor, employee, team)
    taken = list(
        Nomination.objects.select_for_update(of=("self",))  # not the nullable joins
        .filter(unit, honor=honor, cycle=cycle, state__in=HOLDING)
        .select_related("employee", "team")
    )
    if len(taken) >= honor.quota:
        raise HonorRefused(
            _(
                "「%(honor)s」%(cycle)s %(scope)s限 %(quota)s 名，%(where)s已有 %(n)s 名提名（%(names)s），"
                "不能再推荐。"
            )
            % {
                "honor": honor.name,
                "cycle": cycle,
                "scope": honor.get_quota_scope_display(),
                "quota": honor.quota,
                "where": where,
                "n": len(taken),
                "names": "、".join(n.nominee for n in taken),
            }
        )


def _criteria(honor: Honor, cycle: Cycle, employee: Employee) -> list:
    """The criteria with their actual values on the day after the cycle; HonorRefused naming what is
    missing when one is not met."""
    policy = criteria_policy(honor, cycle.after, employee.department)
    if policy is None:
        return []
    result = honor_met(policy, dataset_from_db(), employee.employee_id, cycle.after)
    if result is None:
        raise HonorRefused(
            _("%(name)s 不在「%(honor)s」适用的职级。") % {"name": employee.name, "honor": honor.name}
        )
    met, criteria = result
    if not met:
        gaps = "；".join(
            f"{c.get('label') or c.get('id')}（{_('实际')} {'—' if c.get('actual') is None else c['actual']}）"
            for c in criteria
            if not c.get("passed")
        )
        raise HonorRefused(
            _("%(name)s 未达到「%(honor)s」%(cycle)s 的评选条件：%(gaps)s")
            % {"name": employee.name, "honor": honor.name, "cycle": cycle.label, "gaps": gaps}
        )
    return criteria


def _step(n: Nomination, to: str, actor, action: str, reason: str = "", before: str = "") -> None:
    NominationStep.objects.create(
        nomination=n, actor=actor_name(actor), from_state=before, to_state=to, reason=reason
    )
    n.state = to
    n.version += 1
    n.save()
    record(
        actor,
        action,
        n,
        employee_id=n.employee.employee_id if n.employee_id else "",
        before={"state": before} if before else None,
        after={"state": to, "honor": n.honor.code, "cycle": n.cycle},
        reason=reason,
    )


def _team_in_scope(actor, action: str, team: Team) -> None:
    check(actor, action)
    if not (actor is None or actor.is_superuser or visible_employees(actor).filter(team=team).exists()):
        raise Denied(action, _("%(name)s 不在您的管理范围内。") % {"name": team})


@transaction.atomic
def nomination_create(
    *,
    honor: Honor,
    cycle: str,
    reason: str,
    on: dt.date,
    actor,
    employee: Employee | None = None,
    team: Team | None = None,
) -> Nomination:
    """A superior nominates a person (or a team, for a team honor) for a cycle, with the reason. Refused
    over the quota of the nominee's team or department, and when a measurable criterion is not met."""
    honor = Honor.objects.select_for_update().get(pk=honor.pk)
    if honor.kind == Honor.Kind.TEAM:
        if team is None:
            raise HonorRefused(_("「%(honor)s」是团队荣誉，请选择班组。") % {"honor": honor.name})
        _team_in_scope(actor, "honor.nominate", team)
        employee = None
    else:
        if employee is None:
            raise HonorRefused(_("请选择被推荐的员工。"))
        check(actor, "honor.nominate", employee)
        if employee.status == Employee.Status.LEFT:
            raise HonorRefused(_("%(name)s 已离职。") % {"name": employee.name})
        team = None
    if not honor.active:
        raise HonorRefused(_("「%(honor)s」已停用。") % {"honor": honor.name})
    c = cycle_of(honor, cycle)
    reason = _text(reason, _("请写明推荐理由。"))
    who = Q(employee=employee) if employee else Q(team=team)
    if Nomination.objects.filter(who, honor=honor, cycle=c.label).exists():
        raise HonorRefused(_("本周期已经推荐过。"))
    _check_quota(honor, c.label, employee, team)
    explanation = _criteria(honor, c, employee) if employee else []
    n = Nomination.objects.create(
        honor=honor,
        cycle=c.label,
        employee=employee,
        team=team,
        quota_team=employee.team if employee else team,
        quota_department=employee.department if employee else team.department,
        nominated_by=actor,
        nominated_on=on,
        reason=reason,
        explanation=explanation,
    )
    _step(n, S.NOMINATED, actor, "honor.nominate", reason)
    return n


def _locked(n: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))  # not the nullable joins
        .select_related("honor", "employee", "team__department")
        .get(pk=n.pk)
    )


def _check_about(actor, action: str, n: Nomination) -> None:
    if n.employee_id:
        check(actor, action, n.employee)
    else:
        _team_in_scope(actor, action, n.team)


def _expect(n: Nomination, *states: str) -> None:
    if n.state not in states:
        raise HonorRefused(
            _("%(who)s 的提名现在是“%(state)s”，不能进行这一步。")
            % {"who": n.nominee, "state": n.get_state_display()}
        )


@transaction.atomic
def nomination_review(*, nomination: Nomination, passed: bool, actor, reason: str = "") -> Nomination:
    """HR or the department manager passes or rejects a nomination (not one they made themselves)."""
    n = _locked(nomination)
    _check_about(actor, "honor.review", n)
    _expect(n, S.NOMINATED)
    if actor is not None and n.nominated_by_id == actor.pk:
        raise Denied("honor.review", _("推荐人不能审核自己的推荐。"))
    if not passed:
        reason = _text(reason, _("不通过时请写明原因。"))
    _step(n, S.APPROVED if passed else S.REJECTED, actor, "honor.review", reason, before=n.state)
    return n


# ---------------------------------------------------------------------------------------------- 公示


def honor_notices_recount(**_signal) -> int:
    """The honor notices counted again, as the rounds' are (rungs.promotions.services.recount_running):
    after the calendar changed (`calendar_changed`) or the counting did (the upgrade, rungs.honors.apps)."""
    return recount_running(HonorNotice.objects)


@transaction.atomic
def honor_notice_open(*, honor: Honor, cycle: str, opened_on: dt.date, actor) -> HonorNotice:
    """Posts the 公示 of the honor's approved nominations for the cycle (those in the actor's scope), for
    the honor's working days."""
    check(actor, "honor.notice")
    honor = Honor.objects.select_for_update().get(pk=honor.pk)
    c = cycle_of(honor, cycle)
    approved = Nomination.objects.filter(honor=honor, cycle=c.label, state=S.APPROVED)
    if actor is not None and not actor.is_superuser:
        mine = visible_employees(actor)
        approved = approved.filter(Q(employee__in=mine) | Q(team__members__in=mine))
    keys = set(approved.values_list("pk", flat=True))
    approved = list(
        Nomination.objects.select_for_update(of=("self",))  # not the nullable joins
        .filter(pk__in=keys, state=S.APPROVED)
        .select_related("honor", "employee", "team")
        .order_by("pk")
    )
    if not approved:
        raise HonorRefused(_("还没有审核通过的提名，无需公示。"))
    notice = HonorNotice.objects.create(
        honor=honor,
        cycle=c.label,
        opened_on=opened_on,
        working_days=honor.notice_working_days,
        opened_by=actor,
    )
    count_notice(notice)
    for n in approved:
        n.notice = notice
        _step(n, S.NOTICE, actor, "honor.notice", _("公示 %(days)s 个工作日") % {"days": notice.working_days})
    announce(
        _(
            "【荣誉公示】%(honor)s %(cycle)s：%(names)s，公示 %(days)s 个工作日，至 %(end)s。如有异议，请在公示期内提出。"
        )
        % {
            "honor": honor.name,
            "cycle": c.label,
            "names": "、".join(n.nominee for n in approved),
            "days": notice.working_days,
            "end": notice.ends_on.isoformat() if notice.ends_on else "—",
        }
    )
    return notice


@transaction.atomic
def honor_objection_file(
    *, nomination: Nomination, text: str, received_on: dt.date, actor, anonymous: bool = False
) -> HonorObjection:
    """Anyone objects within the notice; its clock stops until the objection is decided. An anonymous
    objection keeps no link to whoever filed it, in its row or in the audit entry."""
    check(actor, "honor.object")
    n = _locked(nomination)
    _expect(n, S.NOTICE)
    notice = HonorNotice.objects.select_for_update().get(pk=n.notice_id)
    if notice.ends_on is not None and received_on > notice.ends_on:
        raise HonorRefused(_("公示已于 %(day)s 结束，不能再提出异议。") % {"day": notice.ends_on.isoformat()})
    if received_on < notice.opened_on:
        raise HonorRefused(_("异议日期早于公示开始日期。"))
    o = HonorObjection.objects.create(
        notice=notice,
        nomination=n,
        filed_by=None if anonymous else actor,
        text=_text(text, _("请写明异议的内容。")),
        received_on=received_on,
    )
    count_notice(notice)
    record(
        actor,
        "honor.object",
        o,
        employee_id=n.employee.employee_id if n.employee_id else "",
        after={"received_on": received_on, "anonymous": anonymous},
        anonymous_on=received_on if anonymous else None,  # no actor, and only the day
    )
    return o


@transaction.atomic
def honor_objection_decide(
    *, objection: HonorObjection, upheld: bool, reason: str, decided_on: dt.date, actor
) -> HonorObjection:
    """HR mediates: upheld, the nomination is withdrawn; dismissed, the clock resumes the next day."""
    o = HonorObjection.objects.select_for_update().select_related("notice").get(pk=objection.pk)
    n = _locked(o.nomination)
    _check_about(actor, "honor.mediate", n)
    if o.outcome != HonorObjection.Outcome.OPEN:
        raise HonorRefused(_("这条异议已经处理过了。"))
    if decided_on < o.received_on:
        raise HonorRefused(_("处理日期不能早于收到异议的日期。"))
    o.outcome = HonorObjection.Outcome.UPHELD if upheld else HonorObjection.Outcome.DISMISSED
    o.decided_on, o.decision = decided_on, _text(reason, _("请写明处理意见。"))
    o.save()
    count_notice(o.notice)
    record(
        actor,
        "honor.mediate",
        o,
        employee_id=n.employee.employee_id if n.employee_id else "",
        after={"outcome": o.outcome},
        reason=o.decision,
    )
    if upheld and n.state == S.NOTICE:
        _step(n, S.REMOVED, actor, "honor.mediate", o.decision, before=n.state)
    return o


# ---------------------------------------------------------------------------------------------- award


def _next_number(year: int) -> str:
    """〔2026〕荣字001号: numbered by year, in the order of award. The unique constraint on the number keeps
    two awards made at the same moment from sharing one (the second fails and is retried by hand)."""
    prefix = f"〔{year}〕荣字"
    taken = Award.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(x[len(prefix) :].rstrip("号")) for x in taken), default=0)
    return f"{prefix}{last + 1:03d}号"


@transaction.atomic
def honor_award(*, nomination: Nomination, on: dt.date, actor) -> Award:
    """Awards the honor once its 公示 has ended without an open objection. A person's award writes their
    `award` event (ref: the honor's code), so the promotion policies that count awards see it on the next
    evaluation; a team's award is the team's (the interchange has no team events)."""
    n = _locked(nomination)
    _check_about(actor, "honor.award", n)
    _expect(n, S.NOTICE)
    notice = HonorNotice.objects.select_for_update().get(pk=n.notice_id)
    if notice.objections.filter(outcome=HonorObjection.Outcome.OPEN).exists() or notice.ends_on is None:
        raise HonorRefused(_("公示期间的异议尚未处理完，不能授予。"))
    if on <= notice.ends_on:
        raise HonorRefused(_("公示到 %(day)s 结束，结束后才能授予。") % {"day": notice.ends_on.isoformat()})
    number = _next_number(on.year)
    event = None
    if n.employee_id:
        serialise_fact_writes()  # behind an import that is committing (rungs.records.services)
        event = Event.objects.create(
            employee=n.employee,
            date=on,
            type="award",
            ref=n.honor.code,
            note=f"{n.honor.name} {n.cycle} {number}",
            recorded_by=actor,
        )
    award = Award.objects.create(
        nomination=n,
        honor=n.honor,
        cycle=n.cycle,
        employee=n.employee,
        team=n.team,
        awarded_on=on,
        awarded_by=actor,
        number=number,
        honor_name=n.honor.name,
        event=event,
    )
    record(
        actor,
        "honor.award",
        award,
        employee_id=n.employee.employee_id if n.employee_id else "",
        after={
            "honor": n.honor.code,
            "cycle": n.cycle,
            "number": number,
            "event": getattr(event, "pk", None),
        },
    )
    _step(n, S.AWARDED, actor, "honor.award", number, before=n.state)
    if n.employee_id:
        _tell_awardee(award)
    return award


def _tell_awardee(award: Award) -> None:
    """The awardee's inbox message, sent once the award commits, with the link to the certificate."""
    with translation.override("zh-hans"):
        url = reverse("honors:certificate", args=[award.pk])
    words = {"honor": award.title, "cycle": award.cycle, "number": award.number}
    text = in_both(lambda: _("您获得了「%(honor)s」荣誉（%(cycle)s），证书编号 %(number)s。") % words)
    tell("honor.award", [(award.employee_id, *text, url)])


@transaction.atomic
def honor_revoke(*, award: Award, reason: str, on: dt.date, actor) -> Award:
    """Revokes an award made in error or forfeited (a fact found later, a breach of the rules), with the
    reason. The award and its certificate number stay on record, marked revoked, off the board and with no
    certificate to download; the nomination goes to 已撤销授予 and gives its quota place back.

    The person's `award` event is removed, so no promotion policy counts it from the next evaluation on.
    That is how a fact is corrected here (rungs.records.services.score_correct changes the stored value and
    its audit entry keeps the one it replaced): the audit entry keeps the whole event. The interchange has
    no event that cancels an award (penalty_offset is read only by the penalty blocks), and a flag on the
    event would have to be honoured by every reader of events."""
    award = (
        Award.objects.select_for_update(of=("self",))
        .select_related("honor", "employee", "team__department", "event")
        .get(pk=award.pk)
    )
    n = _locked(award.nomination)
    _check_about(actor, "honor.revoke", n)
    if award.is_revoked:
        raise HonorRefused(
            _("证书 %(number)s 已于 %(day)s 撤销。")
            % {"number": award.number, "day": award.revoked_on.isoformat()}
        )
    reason = _text(reason, _("请写明撤销的原因。"))
    event = award.event
    removed = None
    if event is not None:
        serialise_fact_writes()  # behind an import that is committing, as the award was written
        removed = {
            "pk": event.pk,
            "date": event.date,
            "type": event.type,
            "ref": event.ref,
            "note": event.note,
        }
        award.event = None
    award.revoked_on, award.revoked_by, award.revoke_reason = on, actor, reason
    award.save(update_fields=["event", "revoked_on", "revoked_by", "revoke_reason"])
    if event is not None:
        event.delete()
    record(
        actor,
        "honor.revoke",
        award,
        employee_id=n.employee.employee_id if n.employee_id else "",
        before={"state": S.AWARDED, "number": award.number, "event": removed},
        after={"state": S.REVOKED, "revoked_on": on},
        reason=reason,
    )
    _step(n, S.REVOKED, actor, "honor.revoke", reason, before=n.state)
    return award
