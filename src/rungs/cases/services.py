"""Cases, one service per step: opened from an evaluation run's triggered rules, decided by their owner (the
person's department manager) or HR, each step checked against the authority table and written with its
audit entry in the same transaction. A decision that is not allowed raises CaseRefused with the reason."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check
from rungs.accounts.models import User
from rungs.audit.trail import actor_name, record
from rungs.cases.models import Case, CaseStep
from rungs.core.periods import add_months
from rungs.core.policy.errors import PolicyError
from rungs.core.targets import targets_met, targets_policy
from rungs.datasets.frames import dataset_from_db
from rungs.policies.models import EvaluationRun
from rungs.records.assignments import acting_end, level_change, pay_effect

# The rule kinds that call for someone's decision (a promotion or an acting conversion goes to a round).
CASE_KINDS = ("demotion", "unqualified_leader", "warning", "acting_conversion")
OBSERVATION_MONTHS = (3, 6)  # zhangshang-game: an observation period of 3–6 months
Outcome = Case.Outcome


class CaseRefused(Exception):
    """The case does not allow this decision now."""


def _owner(employee) -> User | None:
    """Who must decide: the department manager of the person's department (HR decides where there is none)."""
    return (
        User.objects.filter(role="department_manager", department_id=employee.department_id, is_active=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def cases_open(*, run: EvaluationRun, on: dt.date, actor) -> list[Case]:
    """A case for every rule the run found triggered that asks for a decision, unless that trigger is
    already in hand: an open case for the same person and rule, or a decided one on the same evidence (a
    decided case closes its trigger; new facts — another appraisal — make a new trigger)."""
    check(actor, "case.open")
    rules = {r.id: r for r in run.policy.parsed.rules}
    opened = []
    triggered = run.decisions.filter(kind__in=CASE_KINDS, eligible=True).select_related("employee")
    for d in triggered:
        earlier = Case.objects.select_for_update().filter(employee=d.employee, rule=d.rule)
        if (
            earlier.exclude(state=Case.State.CLOSED).exists()
            or earlier.filter(explanation=d.criteria).exists()
        ):
            continue
        rule = rules.get(d.rule)
        case = Case.objects.create(
            employee=d.employee,
            policy=run.policy,
            trigger=d,
            rule=d.rule,
            kind=d.kind,
            label=rule.label.get("zh") if rule else d.rule,
            track=d.track,
            level=d.from_level,
            to_level=d.to_level or (rule.to_level or "" if rule else ""),
            explanation=d.criteria,
            owner=_owner(d.employee),
            opened_on=on,
        )
        record(actor, "case.open", case, employee_id=d.employee.employee_id, after={"rule": d.rule})
        opened.append(case)
    return opened


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("employee", "policy").get(pk=case.pk)


def _may_decide(c: Case, actor) -> None:
    check(actor, "case.decide", c.employee)
    if c.owner_id and actor.pk != c.owner_id and actor.role not in ("hr", "admin"):
        raise Denied("case.decide", _("这件事由%(owner)s负责处理。") % {"owner": actor_name(c.owner)})


def _step(c: Case, outcome: str, on: dt.date, actor, reason: str, before: dict) -> None:
    CaseStep.objects.create(case=c, actor=actor_name(actor), on=on, outcome=outcome, reason=reason)
    c.version += 1
    c.save()
    record(
        actor,
        "case.decide",
        c,
        employee_id=c.employee.employee_id,
        before=before,
        after={"state": c.state, "outcome": outcome, "until": c.observe_until}
        | ({"pay": c.pay["explanation_zh"]} if c.pay else {}),
        reason=reason,
    )


def _lower_level(c: Case) -> str:
    """Where a demotion goes: the rule's `to:`, else one level down the track's path."""
    if c.to_level:
        return c.to_level
    track = c.policy.parsed.tracks.get(c.track)
    path = track.path if track else ()
    if c.level in path and path.index(c.level) > 0:
        return path[path.index(c.level) - 1]
    raise CaseRefused(_("%(level)s 已是最低职级，不能再降级。") % {"level": c.level})


def _demote(c: Case, on: dt.date, actor, reason: str) -> None:
    level = _lower_level(c)
    level_change(
        employee=c.employee,
        track=c.track,
        level=level,
        effective=on,
        kind="demotion",
        actor=actor,
        action="case.decide",
        target=c,
        reason=reason,
    )
    # the pay effect of the demotion rule (e.g. base pay −10%), as the rewards run of the month records it
    c.pay = pay_effect(
        c.policy.parsed,
        c.employee,
        track=c.track,
        from_level=c.level,
        to_level=level,
        kind="demotion",
        effective=on,
    )
    c.to_level = level


def _targets(c: Case, text: str):
    try:
        return targets_policy(c.policy.text, track=c.track, level=c.level, targets=text)
    except PolicyError as exc:
        raise CaseRefused(str(exc)) from None


@transaction.atomic
def case_decide(
    *, case: Case, outcome: str, on: dt.date, actor, reason: str, months: int = 0, targets: str = ""
) -> Case:
    """The owner's decision on an open case: demotion (the level change, effective `on`), rotation, a
    dismissal proposal, no action, or an observation period of 3–6 months with quantified targets."""
    c = _locked(case)
    _may_decide(c, actor)
    if c.state != Case.State.OPEN:
        raise CaseRefused(_("这件事已经处理过了（%(state)s）。") % {"state": c.get_state_display()})
    reason = (reason or "").strip()
    if not reason:
        raise CaseRefused(_("请写明处理意见。"))
    before = {"state": c.state}
    if outcome == Outcome.OBSERVE:
        if not OBSERVATION_MONTHS[0] <= months <= OBSERVATION_MONTHS[1]:
            raise CaseRefused(_("考察期为 3 到 6 个月。"))
        _targets(c, targets)  # refused here, with the line and column, rather than at the end
        c.state, c.targets = Case.State.OBSERVING, targets
        c.observe_from, c.observe_until = on, add_months(on, months)
    elif outcome in (Outcome.CONVERT, Outcome.END_ACTING):
        if c.kind != "acting_conversion":
            raise CaseRefused(_("只有职务代理期满的事项可以这样处理。"))
        acting_end(
            employee=c.employee,
            track=c.track,
            effective=on,
            actor=actor,
            action="case.decide",
            target=c,
            reason=reason,
        )
        if outcome == Outcome.CONVERT:  # into the post acted in (the rule's to_level)
            level_change(
                employee=c.employee, track=c.track, level=c.to_level, effective=on, kind="promotion",
                actor=actor, action="case.decide", target=c, reason=reason,
            )  # fmt: skip
        c.state = Case.State.CLOSED
    elif outcome in (Outcome.DEMOTE, Outcome.ROTATE, Outcome.DISMISSAL, Outcome.NO_ACTION):
        if outcome == Outcome.DEMOTE:
            _demote(c, on, actor, reason)
        c.state = Case.State.CLOSED
    else:
        raise CaseRefused(_("不能作出这样的处理。"))
    c.outcome, c.decided_on, c.reason = outcome, on, reason
    _step(c, outcome, on, actor, reason, before)
    return c


@transaction.atomic
def case_conclude(*, case: Case, on: dt.date, actor, reason: str, extend_months: int = 0) -> Case:
    """The end of an observation period: the targets are evaluated on the day it ends. Met, the case
    closes as passed; not met, the owner extends it (to 6 months in all at most) or demotes."""
    c = _locked(case)
    _may_decide(c, actor)
    if c.state != Case.State.OBSERVING:
        raise CaseRefused(_("这件事不在考察期中。"))
    if on < c.observe_until:
        raise CaseRefused(
            _("考察期到 %(day)s 结束，结束后才能作出结论。") % {"day": c.observe_until.isoformat()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise CaseRefused(_("请写明考察结论。"))
    met, criteria = targets_met(
        _targets(c, c.targets), dataset_from_db(), c.employee.employee_id, c.observe_until
    )
    before = {"state": c.state, "until": c.observe_until}
    c.results = criteria
    if met:
        c.state, c.outcome = Case.State.CLOSED, Outcome.PASSED
    elif extend_months:
        if add_months(c.observe_from, OBSERVATION_MONTHS[1]) < add_months(c.observe_until, extend_months):
            raise CaseRefused(_("考察期连同延长最多 6 个月。"))
        c.observe_until, c.outcome = add_months(c.observe_until, extend_months), Outcome.EXTEND
    else:
        _demote(c, on, actor, reason)
        c.state, c.outcome = Case.State.CLOSED, Outcome.DEMOTE
    c.decided_on, c.reason = on, reason
    _step(c, c.outcome, on, actor, reason, before)
    return c
