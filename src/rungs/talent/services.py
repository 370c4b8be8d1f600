"""Writes of the talent app, one service per action: each checks the authority table, runs in one
transaction and writes its audit entry inside it. A write that cannot be done as asked raises
TalentRefused with the reason; one the actor may not do raises Denied."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.accounts.models import User
from rungs.audit import clock
from rungs.audit.trail import record
from rungs.people.models import Department, Employee
from rungs.policies.models import EvaluationRun, Policy
from rungs.policies.policy_view import policy_view
from rungs.records.models import Event
from rungs.records.services import serialise_fact_writes
from rungs.talent.models import (
    CAREER_TRACKS,
    NEEDS,
    Band,
    Calibration,
    CareerPlan,
    CareerTalk,
    PlanReview,
    PoolMember,
    Readiness,
    ReservePool,
)
from rungs.talent.readiness import readiness_of


class TalentRefused(Exception):
    """The write cannot be done as asked; nothing was stored."""


# ---- reserve pools --------------------------------------------------------------------------------------


@transaction.atomic
def pool_create(*, policy: Policy, rule: str, department: Department | None, actor) -> ReservePool:
    """The reserve pool of the key post a `reserve` rule of `policy` names, for `department` (None: the
    company-wide reserve talent file)."""
    check(actor, "talent.manage")
    found = next((r for r in policy.parsed.reserves() if r.id == rule), None)
    if found is None or found.to_level is None:
        raise TalentRefused(_("策略 %(policy)s 中没有储备规则 %(rule)s。") % {"policy": policy, "rule": rule})
    if ReservePool.objects.filter(policy=policy, rule=rule, department=department).exists():
        raise TalentRefused(_("这个关键岗位的储备人才库已经建立。"))
    pool = ReservePool.objects.create(
        policy=policy,
        rule=rule,
        label=found.label.get("zh") + (f"（{department.name}）" if department else _("（全公司）")),
        track=found.track,
        level=found.to_level,
        department=department,
        created_by=actor,
    )
    record(
        actor,
        "talent.manage",
        pool,
        after={
            "rule": rule,
            "post": f"{pool.track}.{pool.level}",
            "department": getattr(department, "name", None),
        },
    )
    return pool


@transaction.atomic
def pool_refresh(*, pool: ReservePool, run: EvaluationRun, on: dt.date, actor) -> list[PoolMember]:
    """Membership from `run`'s decisions of the pool's reserve rule: whoever qualifies (in the pool's
    department) is a member, with the readiness computed from the same run; a member who no longer
    qualifies stays on file, marked. Overrides, 9-box and successor order are kept."""
    check(actor, "talent.manage")
    pool = ReservePool.objects.select_for_update(of=("self",)).get(pk=pool.pk)
    if run.policy.scheme != pool.policy.scheme:
        raise TalentRefused(_("这次评估用的不是储备库所依据的策略。"))
    decisions = run.decisions.filter(rule=pool.rule, kind="reserve").select_related("employee")
    if pool.department_id:
        decisions = decisions.filter(employee__department_id=pool.department_id)
    promotions = {
        d.employee_id: d
        for d in run.decisions.filter(kind="promotion", track=pool.track, to_level=pool.level)
    }
    pv = policy_view(run.policy)
    existing = {mb.employee_id: mb for mb in pool.members.select_for_update(of=("self",))}
    before = {e: (mb.qualifies, mb.computed) for e, mb in existing.items()}
    kept: list[PoolMember] = []
    seen = set()
    for d in decisions:
        seen.add(d.employee_id)
        mb = existing.get(d.employee_id)
        if not d.eligible:
            if mb is not None and mb.qualifies:
                mb.qualifies, mb.decision = False, d
                mb.save(update_fields=["qualifies", "decision"])
            continue
        computed = readiness_of(promotions.get(d.employee_id), pv)
        if mb is None:
            mb = PoolMember.objects.create(
                pool=pool, employee=d.employee, from_level=d.from_level, decision=d, computed=computed,
                joined_on=on,
            )  # fmt: skip
        else:
            mb.qualifies, mb.computed, mb.decision, mb.from_level = True, computed, d, d.from_level
            mb.save(update_fields=["qualifies", "computed", "decision", "from_level"])
        kept.append(mb)
    for e, mb in existing.items():  # no longer at a level the rule takes (promoted, left …)
        if e not in seen and mb.qualifies:
            mb.qualifies = False
            mb.save(update_fields=["qualifies"])
    pool.run, pool.refreshed_at = run, timezone.now()
    pool.save(update_fields=["run", "refreshed_at"])
    after = {mb.employee.employee_id: mb.computed for mb in kept}
    record(
        actor,
        "talent.manage",
        pool,
        before={str(e): list(v) for e, v in before.items()},
        after={"run": run.pk, "as_of": run.as_of, "members": after},
    )
    return kept


def _member(member: PoolMember) -> PoolMember:
    return (
        PoolMember.objects.select_for_update(of=("self",))
        .select_related("employee", "pool")
        .get(pk=member.pk)
    )


@transaction.atomic
def member_readiness_override(*, member: PoolMember, readiness: str, reason: str, actor) -> PoolMember:
    """HR's own reading of a member's readiness, with the reason; "" returns to the computed one."""
    mb = _member(member)
    check(actor, "talent.calibrate", mb.employee)
    reason = (reason or "").strip()
    if readiness and readiness not in Readiness.values:
        raise TalentRefused(_("没有这样的准备度。"))
    if not reason:
        raise TalentRefused(_("调整准备度须写明原因。"))
    before = {"readiness": mb.readiness, "override": mb.override}
    mb.override, mb.override_reason = readiness, reason
    mb.save(update_fields=["override", "override_reason"])
    record(
        actor,
        "talent.calibrate",
        mb,
        employee_id=mb.employee.employee_id,
        before=before,
        after={"readiness": mb.readiness, "override": mb.override, "computed": mb.computed},
        reason=reason,
    )
    return mb


@transaction.atomic
def member_calibrate(
    *, member: PoolMember, performance: str, potential: str, met_on: dt.date, note: str, actor
) -> Calibration:
    """A 9-box placement (performance × potential, each low / medium / high) from a calibration meeting."""
    mb = _member(member)
    check(actor, "talent.calibrate", mb.employee)
    note = (note or "").strip()
    if performance not in Band.values or potential not in Band.values:
        raise TalentRefused(_("绩效和潜力须各选 低、中、高 之一。"))
    if not note:
        raise TalentRefused(_("请写明校准会的会议记录。"))
    before = {"performance": mb.performance, "potential": mb.potential}
    cal = Calibration.objects.create(
        member=mb, performance=performance, potential=potential, met_on=met_on, note=note, by=actor
    )
    mb.performance, mb.potential = performance, potential
    mb.save(update_fields=["performance", "potential"])
    record(
        actor,
        "talent.calibrate",
        mb,
        employee_id=mb.employee.employee_id,
        before=before,
        after={"performance": performance, "potential": potential, "met_on": met_on, "note": note},
    )
    return cal


@transaction.atomic
def successors_set(*, pool: ReservePool, members: list[PoolMember], actor) -> None:
    """The post's successors in order (接班人): the first is proposed first; members not listed are not."""
    check(actor, "talent.manage")
    pool = ReservePool.objects.select_for_update(of=("self",)).get(pk=pool.pk)
    rows = {mb.pk: mb for mb in pool.members.select_for_update(of=("self",)).select_related("employee")}
    if any(mb.pk not in rows or not rows[mb.pk].qualifies for mb in members):
        raise TalentRefused(_("接班人须是储备库中符合条件的人选。"))
    if len({mb.pk for mb in members}) != len(members):
        raise TalentRefused(_("同一人只能排一次。"))
    before = [
        mb.employee.employee_id
        for mb in sorted(rows.values(), key=lambda x: x.successor or 0)
        if mb.successor
    ]
    order = {mb.pk: i for i, mb in enumerate(members, start=1)}
    for pk, mb in rows.items():
        if mb.successor != order.get(pk):
            mb.successor = order.get(pk)
            mb.save(update_fields=["successor"])
    record(
        actor,
        "talent.manage",
        pool,
        before={"successors": before},
        after={"successors": [rows[mb.pk].employee.employee_id for mb in members]},
    )


# ---- career development ---------------------------------------------------------------------------------


def mentor_of(employee: Employee) -> User | None:
    """The career mentor: the supervisor of the employee's department now (a transfer changes them)."""
    if employee.department_id is None:
        return None
    return (
        User.objects.filter(role="supervisor", department_id=employee.department_id, is_active=True)
        .order_by("pk")
        .first()
    )


def _event(employee: Employee, type: str, date: dt.date, ref: str, note: str, actor) -> Event:
    """The fact the evaluation reads (career_plan / career_talk), written with the plan or talk."""
    serialise_fact_writes()  # behind an import that is committing (rungs.records.services)
    return Event.objects.create(
        employee=employee, date=date, type=type, ref=ref, note=note, recorded_by=actor
    )


def _lines(values, n: int) -> list[str]:
    return [v.strip() for v in values if v and v.strip()][:n]


@transaction.atomic
def career_plan_record(*, employee: Employee, filled_on: dt.date, fields: dict, actor) -> CareerPlan:
    """A 员工职业发展规划表 filed online, and its `career_plan` event (ref: the post hoped for), so the
    evaluation's "plan due" warning closes and the reserve rules see the post."""
    check(actor, "career_plan.record", employee)
    if employee.status == Employee.Status.LEFT:
        raise TalentRefused(_("%(name)s 已离职。") % {"name": employee.name})
    needs = list(dict.fromkeys(fields.get("needs") or []))
    if len(needs) != 3 or not set(needs) <= {c for c, _l in NEEDS}:
        raise TalentRefused(_("“最重要的三种需要”请恰好选三项。"))
    if fields.get("career_track") not in {c for c, _l in CAREER_TRACKS}:
        raise TalentRefused(_("请选择希望选择的晋升通道。"))
    if not (fields.get("short_term") or "").strip():
        raise TalentRefused(_("请填写短期职业发展设想。"))
    Employee.objects.select_for_update(of=("self",)).filter(
        pk=employee.pk
    ).first()  # serialise double submits
    target_track, _sep, target_level = (fields.get("target") or "").partition(".")
    plan = CareerPlan(
        employee=employee,
        filled_on=filled_on,
        filled_by=actor,
        age=fields.get("age") or None,
        department=fields.get("department", "")[:100],
        post=fields.get("post", "")[:100],
        education=fields.get("education", "")[:30],
        graduated=fields.get("graduated", "")[:7],
        school=fields.get("school", "")[:100],
        trainings=_lines(fields.get("trainings", []), 8),
        skills=[s for s in fields.get("skills", []) if s.get("note", "").strip()][:8],
        history=[h for h in fields.get("history", []) if any(str(v).strip() for v in h.values())][:4],
        needs=needs,
        specialty=fields.get("specialty", ""),
        interest=fields.get("interest", ""),
        career_track=fields["career_track"],
        track_reason=fields.get("track_reason", ""),
        target_track=target_track,
        target_level=target_level,
        short_term=fields["short_term"].strip(),
        medium_term=fields.get("medium_term", ""),
        long_term=fields.get("long_term", ""),
    )
    plan.event = _event(employee, "career_plan", filled_on, target_level, _("员工职业发展规划表"), actor)
    plan.save()
    record(
        actor,
        "career_plan.record",
        plan,
        employee_id=employee.employee_id,
        after={"filled_on": filled_on, "target": fields.get("target", ""), "event": plan.event.pk},
    )
    return plan


@transaction.atomic
def career_talk_record(*, employee: Employee, held_on: dt.date, kind: str, notes: str, actor) -> CareerTalk:
    """A career talk held with the employee, its mentor the department's supervisor, and its
    `career_talk` event, so the evaluation's "talk due" warning closes."""
    check(actor, "career_talk.record", employee)
    notes = (notes or "").strip()
    if kind not in CareerTalk.Kind.values:
        raise TalentRefused(_("没有这样的面谈类型。"))
    if not notes:
        raise TalentRefused(_("请写下面谈记录。"))
    if held_on > clock.today():
        raise TalentRefused(_("面谈日期不能晚于今天。"))
    mentor = actor if getattr(actor, "role", "") == "supervisor" else mentor_of(employee)
    talk = CareerTalk.objects.create(
        employee=employee,
        held_on=held_on,
        kind=kind,
        mentor=mentor,
        notes=notes,
        recorded_by=actor,
        event=_event(employee, "career_talk", held_on, kind, notes[:200], actor),
    )
    record(
        actor,
        "career_talk.record",
        talk,
        employee_id=employee.employee_id,
        after={"held_on": held_on, "kind": kind, "mentor": getattr(mentor, "username", None)},
    )
    return talk


@transaction.atomic
def plan_review_record(
    *,
    plan: CareerPlan,
    reviewed_on: dt.date,
    next_steps: str,
    actor,
    today: dt.date,
    trainings_given: str = "",
    promotions_given: str = "",
    appraisal_results: str = "",
) -> PlanReview:
    """The training group's yearly review of a plan: the training and promotion opportunities given, the
    appraisal results, and the next steps proposed (required). One per plan and year (of `reviewed_on`)."""
    plan = CareerPlan.objects.select_for_update(of=("self",)).select_related("employee").get(pk=plan.pk)
    check(actor, "career_review.record", plan.employee)
    next_steps = (next_steps or "").strip()
    if not next_steps:
        raise TalentRefused(_("请填写下一步建议。"))
    if reviewed_on < plan.filled_on:
        raise TalentRefused(_("审查日期不能早于填表日期。"))
    if reviewed_on > today:
        raise TalentRefused(_("审查日期不能晚于今天。"))
    if plan.reviews.filter(year=reviewed_on.year).exists():
        raise TalentRefused(_("这份规划表 %(year)s 年度已经审查过了。") % {"year": reviewed_on.year})
    review = PlanReview.objects.create(
        plan=plan,
        year=reviewed_on.year,
        reviewed_on=reviewed_on,
        trainings_given=(trainings_given or "").strip()[:5000],
        promotions_given=(promotions_given or "").strip()[:5000],
        appraisal_results=(appraisal_results or "").strip()[:5000],
        next_steps=next_steps[:5000],
        reviewer=actor,
    )
    record(
        actor,
        "career_review.record",
        review,
        employee_id=plan.employee.employee_id,
        after={"plan": plan.pk, "year": review.year, "reviewed_on": reviewed_on, "next_steps": next_steps},
    )
    return review
