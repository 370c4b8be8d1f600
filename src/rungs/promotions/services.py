"""Every step of a promotion round, one service each: checked against the authority table (and the policy's
own authority matrix for who reviews and approves a level), atomic, with its audit entry and a Transition
row in the same transaction. A step that is not allowed raises Denied (who may not) or StepRefused (what the
round does not allow now), each with the reason in the user's language, and stores nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check
from rungs.accounts.functions import holder, holds
from rungs.audit import clock
from rungs.audit.trail import actor_name, record
from rungs.core.acting import shortfall
from rungs.core.assessment import score_name
from rungs.core.notice import notice_end
from rungs.core.policy.model import Authority, Signoff
from rungs.core.roles import role_label
from rungs.notify.services import announce
from rungs.people.models import Employee, Position
from rungs.policies.models import Decision, EvaluationRun, Policy
from rungs.promotions import assessment, deadlines
from rungs.promotions.models import Candidacy, Committee, Notice, Objection, Post, Round, Transition
from rungs.records.assignments import level_change, level_revert, pay_effect
from rungs.records.calendar import company_calendar

S = Candidacy.State


class StepRefused(Exception):
    """The round does not allow this step now (wrong stage, not eligible, notice still running …)."""


# ---------------------------------------------------------------------------------------------- helpers


def authority_for(policy: Policy, level: str) -> Authority | None:
    """The policy's authority row for promotions to `level` (procedure.authority), if it names one."""
    for a in policy.parsed.procedure.authority:
        if level in a.levels:
            return a
    return None


def effective_date(policy: Policy, decided: dt.date) -> dt.date:
    """When an appointment decided on `decided` takes force, as the policy's procedure.effective says."""
    effective = policy.parsed.procedure.effective
    if effective == "next_month":
        return dt.date(decided.year + decided.month // 12, decided.month % 12 + 1, 1)
    if effective == "next_quarter":
        q = (decided.month - 1) // 3 + 1
        return dt.date(decided.year + 1, 1, 1) if q == 4 else dt.date(decided.year, 3 * q + 1, 1)
    if effective == "next_january":
        return dt.date(decided.year + 1, 1, 1)
    return decided  # immediate, or after the onboarding assessment (then the 考察期 decides)


def has_committee(policy: Policy) -> bool:
    """Whether the procedure has an evaluation committee's decision (a step named `committee`)."""
    return "committee" in policy.parsed.procedure.steps


def has_notice(policy: Policy) -> bool:
    """Whether the procedure has a 公示 (notice_working_days > 0)."""
    return policy.parsed.procedure.notice_working_days > 0


def before_notice(policy: Policy) -> str:
    """The stage a candidacy waits in for the 公示 (or, with none, for the approval): past the review, and
    past the committee where there is one."""
    return S.RECOMMENDED if has_committee(policy) else S.QUALIFIED


def before_approval(policy: Policy) -> str:
    return S.NOTICE if has_notice(policy) else before_notice(policy)


def _step(
    c: Candidacy,
    to: str,
    actor,
    action: str,
    reason: str = "",
    *,
    before: dict | None = None,
    on: dt.date | None = None,
) -> None:
    """Moves the candidacy to `to` on day `on` (today by default), from which its next step is due."""
    Transition.objects.create(
        candidacy=c, actor=actor_name(actor), from_state=c.state, to_state=to, reason=reason
    )
    old = c.state
    c.state = to
    deadlines.due_set(c, on or clock.today())
    c.version += 1
    c.save()
    record(
        actor,
        action,
        c,
        employee_id=c.employee.employee_id,
        before=before or {"state": old},
        after={"state": to, "to_level": c.to_level},
        reason=reason,
    )


def _locked(c: Candidacy) -> Candidacy:
    """The candidacy re-read under a row lock: of two approvers acting at once, the second waits and then
    sees the first one's step."""
    return Candidacy.objects.select_for_update().select_related("round__policy", "employee").get(pk=c.pk)


def _expect(c: Candidacy, *states: str) -> None:
    if c.state not in states:
        raise StepRefused(
            _("%(name)s 目前处于“%(state)s”阶段，不能进行这一步。")
            % {"name": c.employee.name, "state": c.get_state_display()}
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise StepRefused(_("请填写原因。"))
    return reason


# ---------------------------------------------------------------------------------------------- opening


@transaction.atomic
def round_open(
    *,
    policy: Policy,
    name: str,
    kind: str,
    posts: list[dict],
    actor,
    department=None,
    run: EvaluationRun | None = None,
) -> Round:
    """Opens a round under a policy version, over the evaluation run its candidates come from (by default
    the latest official run of that version). Each post (track, level, number, …) is checked against the
    headcount (编制) of its level where one is on file."""
    check(actor, "round.open")
    if department is None and getattr(actor, "role", "") == "department_manager":
        department = actor.department
    if run is None:
        run = policy.runs.filter(official=True).order_by("-as_of", "-pk").first()
    if run is None:
        raise StepRefused(_("该策略版本还没有评估结果：请先运行资格评估，再发起评审。"))
    if not posts:
        raise StepRefused(_("请至少列出一个要补充的岗位。"))
    rnd = Round.objects.create(
        policy=policy, run=run, name=name, kind=kind, department=department, opened_by=actor
    )
    for p in posts:
        _check_headcount(p, department)
        Post.objects.create(round=rnd, **p)
    if deadlines.round_due_set(rnd, clock.today()):  # opened today, on the clock the pages count from
        rnd.save(update_fields=["applications_due", "applications_provisional"])
    record(actor, "round.open", rnd, after={"policy": str(policy), "kind": kind, "posts": posts})
    return rnd


def _check_headcount(post: dict, department) -> None:
    positions = Position.objects.filter(level=post["level"])
    if department is not None:
        positions = positions.filter(department__in=["", department.name])
    if post.get("track"):
        positions = positions.filter(track__in=["", post["track"]])
    if not positions.exists():
        return  # no 编制 on file for this level: nothing to check against
    headcount = sum(p.headcount for p in positions)
    holding = Employee.objects.filter(
        assignments__level=post["level"],
        assignments__end_date__isnull=True,
        status__in=["regular", "probation"],
    )
    if department is not None:
        holding = holding.filter(department=department)
    free = headcount - holding.distinct().count()
    if post["number"] > free:
        raise StepRefused(
            _(
                "%(level)s 编制 %(headcount)s 人，现有 %(holding)s 人，最多还能补充 %(free)s 人，不能补充 %(number)s 人。"
            )
            % {
                "level": post["level"],
                "headcount": headcount,
                "holding": headcount - free,
                "free": max(free, 0),
                "number": post["number"],
            }
        )


def _eligible_decision(
    rnd: Round, employee: Employee, track: str | None = None, exception: bool = False
) -> Decision:
    posts = {(p.track, p.level) for p in rnd.posts.all()}
    decisions = (
        rnd.run.decisions.filter(employee=employee, kind="promotion") if rnd.run else Decision.objects.none()
    )
    if track:
        decisions = decisions.filter(track=track)
    wanted = [d for d in decisions if (d.track, d.to_level) in posts]
    if not wanted:
        raise StepRefused(_("%(name)s 的下一职级不在本轮评审补充的岗位中。") % {"name": employee.name})
    eligible = [d for d in wanted if d.eligible]
    if exception:
        if not rnd.policy.parsed.procedure.skip_level:
            raise StepRefused(_("本制度没有破格晋升的途径。"))
        if eligible:
            raise StepRefused(_("%(name)s 已符合条件，按正常程序推荐即可。") % {"name": employee.name})
        return wanted[0]
    if not eligible:
        d = wanted[0]
        missing = [c.get("label") or c.get("id") for c in d.criteria if not c.get("passed")]
        skip = rnd.policy.parsed.procedure.skip_level
        raise StepRefused(
            _("%(name)s 尚不符合晋升 %(level)s 的条件（未满足：%(missing)s）。%(exception)s")
            % {
                "name": employee.name,
                "level": d.to_level,
                "missing": "；".join(str(m) for m in missing) or "—",
                "exception": _("破格晋升须经%(who)s批准。") % {"who": role_label(skip)}
                if skip
                else _("本制度没有破格晋升的途径。"),
            }
        )
    return eligible[0]


def _enter(rnd: Round, employee: Employee, route: str, statement: str, actor, action: str) -> Candidacy:
    if rnd.department_id and employee.department_id != rnd.department_id:
        raise StepRefused(_("%(name)s 不属于本轮评审的部门。") % {"name": employee.name})
    d = _eligible_decision(rnd, employee, exception=route == Candidacy.Route.EXCEPTION)
    if Candidacy.objects.filter(round=rnd, employee=employee, track=d.track).exists():
        raise StepRefused(_("%(name)s 已经是本轮评审的候选人。") % {"name": employee.name})
    c = Candidacy.objects.create(
        round=rnd,
        employee=employee,
        track=d.track,
        from_level=d.from_level,
        to_level=d.to_level,
        route=route,
        statement=statement,
        explanation=d.criteria,
    )
    Transition.objects.create(
        candidacy=c, actor=actor_name(actor), from_state="", to_state=c.state, reason=route
    )
    if deadlines.has_deadlines(rnd.policy):
        deadlines.due_set(c, clock.today())
        c.save(update_fields=deadlines.DUE_FIELDS)
    record(actor, action, c, employee_id=employee.employee_id, after={"route": route, "to_level": d.to_level})
    announce(
        _("【晋升评审】%(round)s：%(name)s（%(route)s）晋升 %(level)s，待资格审查。")
        % {"round": rnd.name, "name": employee.name, "route": c.get_route_display(), "level": d.to_level},
        rnd.department,
    )
    return c


@transaction.atomic
def candidacy_apply(*, round: Round, actor, statement: str = "") -> Candidacy:
    """The employee applies for themselves (员工晋升申请表): only when the engine finds them eligible."""
    check(actor, "round.apply")
    employee = getattr(actor, "employee", None)
    if employee is None:
        raise StepRefused(_("您的账号没有关联员工档案，不能申请。"))
    return _enter(round, employee, Candidacy.Route.APPLIED, statement, actor, "round.apply")


@transaction.atomic
def candidacy_nominate(
    *, round: Round, employee: Employee, actor, statement: str, exception: bool = False
) -> Candidacy:
    """A superior nominates someone in their scope (职务推荐表), with the reason for the nomination. With
    `exception`, someone not (yet) eligible enters by the policy's skip_level path (破格): their approval
    chain then ends with the role it names (董事长, 评定小组 …)."""
    check(actor, "round.nominate", employee)
    route = Candidacy.Route.EXCEPTION if exception else Candidacy.Route.NOMINATED
    return _enter(round, employee, route, _reason(statement), actor, "round.nominate")


# ---------------------------------------------------------------------------------------------- review


@transaction.atomic
def candidacy_review(*, candidacy: Candidacy, passed: bool, actor, reason: str = "") -> Candidacy:
    """Qualification review, with the engine's explanation in front of the reviewer; a rejection needs a
    reason. Where the policy names reviewers for the level, the reviewer must be one of them."""
    c = _locked(candidacy)
    check(actor, "round.review", c.employee)
    _expect(c, S.CANDIDATE)
    auth = authority_for(c.round.policy, c.to_level)
    if auth and auth.reviews and not any(holds(actor, r) for r in auth.reviews):
        raise Denied(
            "round.review",
            _("本制度规定由%(who)s进行资格审查。") % {"who": "、".join(role_label(r) for r in auth.reviews)},
        )
    if passed:
        _step(c, S.QUALIFIED, actor, "round.review", (reason or "").strip())
    else:
        _step(c, S.REJECTED, actor, "round.review", _reason(reason))
    return c


# ---------------------------------------------------------------------------------------------- assessment


@transaction.atomic
def assessment_record(*, round: Round, scores: dict[str, dict[str, str]], actor) -> list[Candidacy]:
    """Exam and interview scores in bulk ({employee_id: {"theory": "86", …}}), for candidates past the
    qualification review. Every score is a number from 0 to 100; one bad score stores none. Under a policy
    with `procedure.assessment`, only its scores are recorded (by name or label), and an interview score
    only for a candidate on the decided shortlist of their post (see rungs.core.assessment)."""
    check(actor, "round.assess")
    rules = assessment.rules(round)
    by_id = {
        c.employee.employee_id: c
        for c in round.candidacies.select_for_update().select_related("employee", "round__policy")
    }
    parsed: dict[str, dict[str, str]] = {}
    for employee_id, marks in scores.items():
        c = by_id.get(employee_id)
        if c is None:
            raise StepRefused(_("%(id)s 不是本轮评审的候选人。") % {"id": employee_id})
        _expect(c, S.QUALIFIED)
        check(actor, "round.assess", c.employee)
        clean = {}
        for name, raw in marks.items():
            try:
                value = Decimal(str(raw).strip())
            except InvalidOperation:
                value = Decimal("NaN")
            if not value.is_finite() or not 0 <= value <= 100:
                raise StepRefused(
                    _("%(id)s 的“%(name)s”成绩应为 0 到 100 之间的数，而不是“%(raw)s”。")
                    % {"id": employee_id, "name": name, "raw": raw}
                )
            clean[_score_name(rules, name)] = str(value)
        parsed[employee_id] = clean
    if rules is not None and rules.shortlist is not None:
        _check_shortlist(round, rules, by_id, parsed)
    changed = []
    for employee_id, clean in parsed.items():
        c = by_id[employee_id]
        before = dict(c.assessment)
        c.assessment = {**c.assessment, **clean}
        c.version += 1
        fields = ["assessment", "version"]
        if c.due_stage == "assessment" and deadlines.assessment_done(c, rules):
            deadlines.due_set(c, clock.today())  # the assessment is complete: the committee's turn begins
            fields += deadlines.DUE_FIELDS
        c.save(update_fields=fields)
        record(actor, "round.assess", c, employee_id=employee_id, before=before, after=c.assessment)
        changed.append(c)
    return changed


def _score_name(rules, given: str) -> str:
    """The policy's name of a score as entered (its name or label); any name without an assessment."""
    if rules is None:
        return given.strip()
    name = score_name(rules, given)
    if name is None:
        raise StepRefused(
            _("“%(name)s”不是本制度的考核项目，应为：%(names)s。")
            % {"name": given.strip(), "names": "、".join(f"{lab.zh}（{n}）" for n, lab in rules.scores)}
        )
    return name


def _check_shortlist(
    rnd: Round, rules, by_id: dict[str, Candidacy], parsed: dict[str, dict[str, str]]
) -> None:
    """Refuses the batch if, with it stored, an interview score would belong to someone not on the decided
    shortlist of their post: one entered now, or one entered before whose place the new written scores
    would take."""
    sl = rules.shortlist
    rows = list(by_id.values())
    merged = {c.pk: {**c.assessment, **parsed.get(c.employee.employee_id, {})} for c in rows}
    results = assessment.evaluate(rnd, [_with(c, merged[c.pk]) for c in rows], rules)
    standing_of = assessment.by_candidacy(results)
    written_posts = {
        (by_id[eid].track, by_id[eid].to_level)
        for eid, clean in parsed.items()
        if any(n in clean for n in sl.by)
    }
    for c in rows:
        gated = [n for n in sl.interview if n in merged[c.pk]]
        entered_now = any(n in parsed.get(c.employee.employee_id, {}) for n in gated)
        if not gated or not (entered_now or (c.track, c.to_level) in written_posts):
            continue
        result = results.get((c.track, c.to_level))
        standing = standing_of.get(c.pk)
        score = rules.label(gated[0])
        if result is None or standing is None:
            continue  # not in the post's assessment (cannot happen for a qualified candidate)
        if not result.decided:
            names = "、".join(x.employee.name for x in rows if x.pk in result.missing_written)
            raise StepRefused(
                _(
                    "还有候选人没有笔试成绩（%(names)s），面试名单尚未确定，不能录入%(name)s的“%(score)s”成绩。"
                )
                % {"names": names, "name": c.employee.name, "score": score}
            )
        if not standing.shortlisted:
            why = assessment.not_shortlisted_why(standing, result, rules)
            if not entered_now:  # new written scores would take the place of someone interviewed
                raise StepRefused(
                    _(
                        "按这些笔试成绩，%(name)s 将不在面试名单中（%(why)s），但已录入其“%(score)s”成绩；不能这样修改。"
                    )
                    % {"name": c.employee.name, "why": why, "score": score}
                )
            raise StepRefused(
                _("%(name)s 未进入面试名单（%(why)s），不能录入“%(score)s”成绩。")
                % {"name": c.employee.name, "why": why, "score": score}
            )


class _with:
    """A candidacy as it would be with the batch stored (what rungs.promotions.assessment reads)."""

    def __init__(self, c: Candidacy, scores: dict) -> None:
        self.pk, self.employee_id, self.track, self.to_level = c.pk, c.employee_id, c.track, c.to_level
        self.state, self.assessment = c.state, scores


@transaction.atomic
def committee_record(
    *,
    round: Round,
    members: list[str],
    chair: str,
    minutes: str,
    met_on: dt.date,
    votes: dict[int, tuple[int, int]],
    actor,
) -> Committee:
    """The evaluation committee's decision, recorded once from its minutes: each candidate past the review
    needs a vote; more than half of the members in favour passes (推荐), anything else rejects."""
    check(actor, "round.committee")
    rnd = Round.objects.select_for_update().select_related("policy").get(pk=round.pk)
    if not has_committee(rnd.policy):
        raise StepRefused(_("本制度的晋升程序中没有评审委员会这一环节。"))
    if Committee.objects.filter(round=rnd).exists():
        raise StepRefused(_("本轮评审的评审委员会决议已经记录过了。"))
    members = [m.strip() for m in members if m.strip()]
    chair = (chair or "").strip()
    if len(members) < 3:
        raise StepRefused(_("评审委员会至少要有 3 名委员。"))
    if chair not in members:
        raise StepRefused(_("主任委员应是委员之一。"))
    waiting = list(rnd.candidacies.select_for_update().select_related("employee").filter(state=S.QUALIFIED))
    if not waiting:
        raise StepRefused(_("还没有通过资格审查的候选人，无需评审委员会表决。"))
    missing = [c.employee.name for c in waiting if c.pk not in votes]
    if missing:
        raise StepRefused(_("还没有对以下候选人表决：%(names)s。") % {"names": "、".join(missing)})
    for c in waiting:
        yes, no = votes[c.pk]
        if yes < 0 or no < 0 or yes + no > len(members):
            raise StepRefused(
                _("%(name)s 的票数不对：同意与反对合计不能超过委员人数 %(n)s。")
                % {"name": c.employee.name, "n": len(members)}
            )
    committee = Committee.objects.create(
        round=rnd,
        members=members,
        chair=chair,
        minutes=_reason(minutes),
        met_on=met_on,
        votes={str(c.pk): {"for": votes[c.pk][0], "against": votes[c.pk][1]} for c in waiting},
        recorded_by=actor,
    )
    record(actor, "round.committee", committee, after={"members": members, "chair": chair})
    for c in waiting:
        yes, no = votes[c.pk]
        tally = _("同意 %(yes)s 票，反对 %(no)s 票，委员 %(n)s 人") % {
            "yes": yes,
            "no": no,
            "n": len(members),
        }
        c.round = rnd
        to = S.RECOMMENDED if 2 * yes > len(members) else S.REJECTED
        _step(c, to, actor, "round.committee", tally, on=met_on)
    return committee


# ---------------------------------------------------------------------------------------------- 公示


def count_notice(notice, calendar=None) -> None:
    """A 公示's end on the company's working-day calendar (rungs.records.calendar), its objections pausing it:
    a round's notice or an honor's (rungs.honors reuses the rounds' notice), which keep the same fields."""
    pauses = [(o.received_on, o.decided_on) for o in notice.objections.all()]
    end = notice_end(notice.opened_on, notice.working_days, pauses, calendar or company_calendar())
    notice.ends_on = end.day if end else None
    notice.provisional = bool(end and end.provisional)
    notice.save(update_fields=["ends_on", "provisional"])


def _recount(notice: Notice, calendar=None) -> None:
    count_notice(notice, calendar)
    deadlines.notice_candidacies_recount(notice, calendar)


def recount_running(notices, recount=count_notice) -> int:
    """Counts the end of every notice in `notices` (a queryset) still running, or provisional, again on the
    calendar as it is now: a provisional end becomes a firm one; a notice that has ended stays as it was
    decided. Returns how many ends moved."""
    calendar, moved = company_calendar(), 0
    running = Q(provisional=True) | Q(ends_on__gte=clock.today())
    with transaction.atomic():
        for notice in notices.select_for_update().filter(running, ends_on__isnull=False):
            before = (notice.ends_on, notice.provisional)
            recount(notice, calendar)
            moved += before != (notice.ends_on, notice.provisional)
    return moved


def notices_recount(**_signal) -> int:
    """The rounds' notices counted again (recount_running), with their candidates' due dates: after a year
    was imported or a day corrected (`calendar_changed`), or the counting changed (the upgrade,
    rungs.promotions.apps)."""
    return recount_running(Notice.objects, _recount)


@transaction.atomic
def notice_open(*, round: Round, opened_on: dt.date, actor) -> Notice:
    """Posts the 公示 of everyone who passed the review, for the policy's notice_working_days."""
    check(actor, "round.notice")
    rnd = Round.objects.select_for_update().select_related("policy").get(pk=round.pk)
    if not has_notice(rnd.policy):
        raise StepRefused(_("本制度的晋升程序中没有公示环节。"))
    if Notice.objects.filter(round=rnd).exists():
        raise StepRefused(_("本轮评审已经公示过。"))
    qualified = list(rnd.candidacies.select_for_update().filter(state=before_notice(rnd.policy)))
    if not qualified:
        if has_committee(rnd.policy):
            raise StepRefused(_("还没有评审委员会通过的候选人，无需公示。"))
        raise StepRefused(_("还没有通过资格审查的候选人，无需公示。"))
    days = rnd.policy.parsed.procedure.notice_working_days
    notice = Notice.objects.create(round=rnd, opened_on=opened_on, working_days=days)
    _recount(notice)
    for c in qualified:
        c.round = rnd
        _step(c, S.NOTICE, actor, "round.notice", _("公示 %(days)s 个工作日") % {"days": days}, on=opened_on)
    announce(
        _(
            "【晋升公示】%(round)s：%(names)s，公示 %(days)s 个工作日，至 %(end)s。如有异议，请在公示期内提出。"
        )
        % {
            "round": rnd.name,
            "names": "、".join(c.employee.name for c in qualified),
            "days": days,
            "end": notice.ends_on.isoformat() if notice.ends_on else "—",
        },
        rnd.department,
    )
    return notice


@transaction.atomic
def objection_file(
    *, candidacy: Candidacy, text: str, received_on: dt.date, actor, anonymous: bool = False
) -> Objection:
    """Anyone in the round's scope objects within the notice; the clock stops until it is decided. An
    anonymous objection keeps no link to whoever filed it, in its row or in the audit entry."""
    check(actor, "round.object")
    c = _locked(candidacy)
    _expect(c, S.NOTICE)
    notice = Notice.objects.select_for_update().get(round=c.round)
    if c.round.department_id and getattr(actor, "department_id", None) not in (None, c.round.department_id):
        raise Denied("round.object", _("只有本部门的员工可以对本次公示提出异议。"))
    if notice.ends_on is not None and received_on > notice.ends_on:
        raise StepRefused(_("公示已于 %(day)s 结束，不能再提出异议。") % {"day": notice.ends_on.isoformat()})
    if received_on < notice.opened_on:
        raise StepRefused(_("异议日期早于公示开始日期。"))
    text = (text or "").strip()
    if not text:
        raise StepRefused(_("请写明异议的内容。"))
    o = Objection.objects.create(
        notice=notice, candidacy=c, filed_by=None if anonymous else actor, text=text, received_on=received_on
    )
    _recount(notice)
    record(
        None if anonymous else actor,
        "round.object",
        o,
        employee_id=c.employee.employee_id,
        after={"received_on": received_on, "anonymous": anonymous},
    )
    return o


@transaction.atomic
def objection_decide(
    *, objection: Objection, upheld: bool, reason: str, decided_on: dt.date, actor
) -> Objection:
    """HR mediates: upheld, the candidate leaves the round; dismissed, the clock resumes the next day."""
    o = (
        Objection.objects.select_for_update()
        .select_related("candidacy__employee", "notice")
        .get(pk=objection.pk)
    )
    check(actor, "round.mediate", o.candidacy.employee)
    if o.outcome != Objection.Outcome.OPEN:
        raise StepRefused(_("这条异议已经处理过了。"))
    if decided_on < o.received_on:
        raise StepRefused(_("处理日期不能早于收到异议的日期。"))
    o.outcome = Objection.Outcome.UPHELD if upheld else Objection.Outcome.DISMISSED
    o.decided_on, o.decision = decided_on, _reason(reason)
    o.save()
    _recount(o.notice)
    record(
        actor,
        "round.mediate",
        o,
        employee_id=o.candidacy.employee.employee_id,
        after={"outcome": o.outcome},
        reason=o.decision,
    )
    if upheld:
        c = _locked(o.candidacy)
        if c.state == S.NOTICE:
            _step(c, S.REMOVED, actor, "round.mediate", o.decision)
    return o


# ---------------------------------------------------------------------------------------------- approval


@transaction.atomic
def candidacy_approve(
    *, candidacy: Candidacy, actor, today: dt.date, version: int | None = None
) -> Candidacy:
    """Approval by whom the policy's authority matrix names for the level, once the 公示 has ended with no
    objection open. `version` is the candidacy as the approver saw it: if someone else acted meanwhile, the
    approver is told instead of approving twice."""
    c = _locked(candidacy)
    check(actor, "round.approve", c.employee)
    if version is not None and version != c.version:
        raise StepRefused(_("%(name)s 的评审刚被其他人处理过，请刷新后再看。") % {"name": c.employee.name})
    policy = c.round.policy
    if has_notice(policy) and c.state in (S.QUALIFIED, S.RECOMMENDED):
        raise StepRefused(_("%(name)s 还没有公示，公示结束后才能审批。") % {"name": c.employee.name})
    if has_committee(policy) and c.state == S.QUALIFIED:
        raise StepRefused(_("%(name)s 还没有经评审委员会表决。") % {"name": c.employee.name})
    _expect(c, before_approval(policy))
    if has_notice(policy):
        notice = c.round.notice
        if notice.ends_on is None:
            raise StepRefused(_("公示期间有尚未处理的异议，暂不能审批。"))
        if today <= notice.ends_on:
            raise StepRefused(
                _("公示到 %(day)s 结束，结束后才能审批。") % {"day": notice.ends_on.isoformat()}
            )
    chain = approval_chain(c)
    if not chain:  # no matrix for the level: one approval by whom the authority table allows
        c.approvals = [*c.approvals, {"by": actor_name(actor), "as": actor.role, "on": today.isoformat()}]
        _step(c, S.APPROVED, actor, "round.approve", on=today)
        return c
    index, step, signed = pending_signoff(chain, c.approvals)
    assert step is not None  # a candidacy still waiting has a step left
    if any(a["by"] == actor_name(actor) for a in c.approvals):
        raise StepRefused(_("您已经审批过 %(name)s 的晋升，同一人不能再签一次。") % {"name": c.employee.name})
    left = [r for r in step.roles if r not in signed] if step.every else list(step.roles)
    role = next((r for r in left if holds(actor, r, today)), None)
    if role is None:
        raise Denied(
            "round.approve",
            _("晋升 %(level)s 现在等待%(who)s审批（第 %(n)s 步，共 %(of)s 步）。")
            % {"level": c.to_level, "who": signoff_label(step, left), "n": index + 1, "of": len(chain)},
        )
    on_behalf = holder(actor, role, today)
    entry = {"by": actor_name(actor), "as": role, "on": today.isoformat(), "step": index}
    if on_behalf is not None and on_behalf.pk != actor.pk:
        entry["for"] = actor_name(on_behalf)  # a delegate signs in the principal's place
    c.approvals = [*c.approvals, entry]
    following = pending_signoff(chain, c.approvals)
    if following[1] is None:
        _step(c, S.APPROVED, actor, "round.approve", _signature(entry), on=today)
        return c
    announce(
        _("【待审批】%(name)s 晋升 %(level)s：%(who)s已签，等待%(next)s审批。")
        % {
            "name": c.employee.name,
            "level": c.to_level,
            "who": role_label(role),
            "next": signoff_label(following[1], [r for r in following[1].roles if r not in following[2]]),
        },
        c.round.department,
    )
    # a step of the chain signed, more to come: the candidacy waits on, one version further
    Transition.objects.create(
        candidacy=c, actor=actor_name(actor), from_state=c.state, to_state=c.state, reason=_signature(entry)
    )
    c.version += 1
    deadlines.due_set(c, today)  # the next step of the chain is due from today
    c.save()
    record(actor, "round.approve", c, employee_id=c.employee.employee_id, after=entry)
    return c


def approval_chain(c: Candidacy) -> tuple[Signoff, ...]:
    """The candidacy's approval steps: the policy's matrix for the level, and — for an exception (破格) —
    last of all the role the policy's skip_level names."""
    policy = c.round.policy
    auth = authority_for(policy, c.to_level)
    chain = auth.approves if auth else ()
    if c.route == Candidacy.Route.EXCEPTION:
        chain = (*chain, Signoff((policy.parsed.procedure.skip_level,)))
    return chain


def pending_signoff(
    chain: tuple[Signoff, ...], approvals: list[dict]
) -> tuple[int, Signoff | None, set[str]]:
    """The first step of the chain not yet complete (its index, the step, the roles that signed it), or
    (len(chain), None, ∅) when every step is: 或签 needs one signature, 会签 one for each role."""
    for i, step in enumerate(chain):
        signed = {a["as"] for a in approvals if a.get("step", 0) == i}
        if not (signed >= set(step.roles) if step.every else signed):
            return i, step, signed
    return len(chain), None, set()


def signoff_label(step: Signoff, roles: list[str] | None = None) -> str:
    names = [role_label(r) for r in (roles if roles is not None else step.roles)]
    return ("、" if step.every else _("或")).join(names) + (
        _("（会签）") if step.every and len(names) > 1 else ""
    )


def _signature(entry: dict) -> str:
    by = entry["by"] + (_("（代%(who)s）") % {"who": entry["for"]} if "for" in entry else "")
    return _("%(by)s 以%(role)s身份审批") % {"by": by, "role": role_label(entry["as"])}


# ---------------------------------------------------------------------------------------------- appointment


@transaction.atomic
def candidacy_appoint(*, candidacy: Candidacy, decided: dt.date, actor) -> Candidacy:
    """The appointment (任命): the level change is written to the assignment history from the date the
    policy says (next month, next January …), and the 考察期 begins."""
    c = _locked(candidacy)
    check(actor, "round.appoint", c.employee)
    _expect(c, S.APPROVED)
    c.effective = effective_date(c.round.policy, decided)
    c.appointment_no, c.appointed_on = _next_number(decided.year), decided
    years = c.round.policy.parsed.procedure.term_years
    if years:  # 29 February falls back to the 28th in a common year
        e = c.effective
        c.term_ends = (
            e.replace(year=e.year + years)
            if not (e.month == 2 and e.day == 29)
            else dt.date(e.year + years, 2, 28)
        )
    level_change(
        employee=c.employee,
        track=c.track,
        level=c.to_level,
        effective=c.effective,
        kind="promotion",
        actor=actor,
        action="round.appoint",
        target=c,
        reason=str(c.round),
    )
    # the pay effect of the promotion rule, as the rewards run of the effective month will record it
    c.pay = pay_effect(
        c.round.policy.parsed,
        c.employee,
        track=c.track,
        from_level=c.from_level,
        to_level=c.to_level,
        kind="promotion",
        effective=c.effective,
    )
    _step(
        c,
        S.APPOINTED,
        actor,
        "round.appoint",
        _("%(day)s 起任 %(level)s") % {"day": c.effective, "level": c.to_level}
        + (_("；%(pay)s") % {"pay": c.pay["explanation_zh"]} if c.pay else ""),
    )
    announce(
        _("【任命通知】%(no)s：任命 %(name)s 为 %(level)s，%(day)s 起生效。")
        % {"no": c.appointment_no, "name": c.employee.name, "level": c.to_level, "day": c.effective},
        c.round.department,
    )
    return c


def _next_number(year: int) -> str:
    """The next appointment number of the year: 〔2026〕001号. The unique constraint on the number keeps
    two appointments made at the same moment from sharing one (the second fails and is retried by hand)."""
    prefix = f"〔{year}〕"
    taken = Candidacy.objects.filter(appointment_no__startswith=prefix).values_list(
        "appointment_no", flat=True
    )
    last = max((int(x[len(prefix) :].rstrip("号")) for x in taken), default=0)
    return f"{prefix}{last + 1:03d}号"


@transaction.atomic
def candidacy_conclude(
    *, candidacy: Candidacy, passed: bool, on: dt.date, actor, reason: str = ""
) -> Candidacy:
    """The end of the 考察期: formal in the new post, or back to the previous post (and its pay)."""
    c = _locked(candidacy)
    check(actor, "round.conclude", c.employee)
    _expect(c, S.APPOINTED)
    if passed:
        _step(c, S.FORMAL, actor, "round.conclude", (reason or "").strip())
    else:
        why = _reason(reason)
        level_revert(
            employee=c.employee,
            track=c.track,
            effective=on,
            actor=actor,
            action="round.conclude",
            target=c,
            reason=why,
        )
        if c.pay.get("from"):  # 恢复原岗位和原薪资: the base before the appointment's raise
            why += _("；基本工资恢复为 %(pay)s 元/月") % {"pay": c.pay["from"]}
        _step(c, S.REVERTED, actor, "round.conclude", why)
    return c


# ---------------------------------------------------------------------------------------------- acting


@transaction.atomic
def acting_appoint(*, round: Round, employee: Employee, on: dt.date, actor, reason: str):
    """An acting appointment (代理) to the vacant post of a vacancy round that has no candidate: written to
    the assignment history as an acting post beside the person's own. From the level the policy's
    procedure.acting names up, only someone who lacks nothing but tenure, and that by fewer months than it
    says, may act; the acting_conversion rule then says when they may be promoted."""
    check(actor, "round.acting", employee)
    rnd = Round.objects.select_for_update().select_related("policy").get(pk=round.pk)
    if rnd.kind != Round.Kind.VACANCY:
        raise StepRefused(_("只有岗位空缺的评审可以安排职务代理。"))
    live = rnd.candidacies.exclude(state__in=[S.REJECTED, S.REMOVED, S.REVERTED])
    if live.exists():
        raise StepRefused(
            _("本轮已有候选人（%(names)s），不安排代理。")
            % {"names": "、".join(c.employee.name for c in live)}
        )
    posts = {(p.track, p.level) for p in rnd.posts.all()}
    eligible = rnd.run.decisions.filter(kind="promotion", eligible=True).select_related("employee")
    if rnd.department_id:
        eligible = eligible.filter(employee__department_id=rnd.department_id)
    names = [d.employee.name for d in eligible[:200] if (d.track, d.to_level) in posts]
    if names:
        raise StepRefused(
            _("有符合条件的人选（%(names)s），应由他们申请或被推荐，不安排代理。")
            % {"names": "、".join(names[:5])}
        )
    decisions = [
        d
        for d in rnd.run.decisions.filter(employee=employee, kind="promotion")
        if (d.track, d.to_level) in posts
    ]
    if not decisions:
        raise StepRefused(_("%(name)s 的下一职级不在本轮评审补充的岗位中。") % {"name": employee.name})
    d = decisions[0]
    if d.eligible:
        raise StepRefused(_("%(name)s 已符合晋升条件，请按正常程序申请或推荐。") % {"name": employee.name})
    policy = rnd.policy.parsed
    rule = next((r for r in policy.rules if r.id == d.rule), None)
    acting, path = policy.procedure.acting, policy.tracks[d.track].path
    strict_here = acting and acting.strict_from in path and d.to_level in path
    if rule and strict_here and path.index(d.to_level) >= path.index(acting.strict_from):
        lack = shortfall(rule, d.criteria)
        if lack.others:
            raise StepRefused(
                _("代理 %(level)s 及以上职务，除任职时间外须符合其他全部条件；%(name)s 未满足：%(what)s。")
                % {"level": acting.strict_from, "name": employee.name, "what": "；".join(lack.others)}
            )
        if lack.tenure_months >= acting.tenure_short_below:
            raise StepRefused(
                _("%(name)s 任职时间还差 %(months)s 个月；代理须不足 %(limit)s 个月。")
                % {
                    "name": employee.name,
                    "months": "?" if lack.tenure_months == float("inf") else f"{lack.tenure_months:g}",
                    "limit": acting.tenure_short_below,
                }
            )
    row = level_change(
        employee=employee,
        track=d.track,
        level=d.to_level,
        effective=on,
        kind="acting",
        actor=actor,
        action="round.acting",
        target=rnd,
        reason=_reason(reason),
    )
    announce(
        _("【职务代理】%(round)s：%(name)s 自 %(day)s 起代理 %(level)s。")
        % {"round": rnd.name, "name": employee.name, "day": on.isoformat(), "level": d.to_level},
        rnd.department,
    )
    return row
