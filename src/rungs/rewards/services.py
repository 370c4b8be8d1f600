"""Writes about reward runs and the ledger, one service per step. Each checks the authority table, runs in
one transaction and writes its audit entry inside it; a step that is not allowed now raises RewardRefused
with the reason (a refusal by role or scope raises Denied). Lines are never edited: approving and paying
move their state; a mistake is corrected by a reversal line made from the line's frozen inputs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check
from rungs.audit.trail import record
from rungs.core.rewards.cycle import parse_cycle
from rungs.policies.models import Policy
from rungs.rewards import notices, runs
from rungs.rewards.models import Dispute, RewardLine, RewardRun, amount_text

State = RewardLine.State
Unit = RewardLine.Unit
COUNTED = (State.APPROVED, State.PAID)  # the lines a budget has already spent
CENT = Decimal("0.01")


class RewardRefused(Exception):
    """The step is not possible now (the reason says why); nothing was stored."""


def _yuan(value: Decimal) -> str:
    return f"{value.quantize(CENT):,.2f}".replace(",", "")


def _totals(lines) -> dict[str, str]:
    """The sums of lines for an audit entry, money and points apart: {"total": yuan, "points": …}."""
    sums = dict(lines.order_by().values_list("unit").annotate(t=Sum("amount")))
    out = {"total": _yuan(sums.get(Unit.YUAN) or Decimal(0))}
    if Unit.POINTS in sums:
        out["points"] = amount_text(sums[Unit.POINTS], Unit.POINTS)
    return out


def _with_unit(line: RewardLine, amount: Decimal | None = None) -> str:
    """'3150.00 元', '120 积分': an amount of the line's unit, with the unit's word."""
    value = line.amount if amount is None else amount
    return f"{amount_text(value, line.unit)} {RewardLine.Unit(line.unit).label}"


@transaction.atomic
def reward_run_start(*, policy: Policy, cycle: str, actor) -> RewardRun:
    """Runs the policy version's plans for the cycle over everyone in the database and keeps the lines
    (accrued) and the pay changes. One run per scheme and cycle: a wrong line is reversed, not re-run."""
    check(actor, "reward.run")
    try:
        c = parse_cycle(cycle)
    except ValueError as exc:
        raise RewardRefused(str(exc)) from None
    if not policy.parsed.rewards.plans:
        raise RewardRefused(_("策略 %(p)s 没有奖励方案（rewards.plans）。") % {"p": str(policy)})
    earlier = RewardRun.objects.filter(
        policy__scheme=policy.scheme, cycle=c.label, discarded_at__isnull=True
    ).first()
    if earlier is not None:
        raise RewardRefused(
            _("制度 %(scheme)s 的 %(cycle)s 周期已经核算过（%(run)s）；有误的明细请冲销更正，不重新核算。")
            % {"scheme": policy.scheme, "cycle": c.label, "run": str(earlier)}
        )
    data = runs.database_dataset(c, policy.parsed)
    result = runs.evaluate(policy, c, data)
    run = RewardRun.objects.create(
        policy=policy,
        cycle=c.label,
        created_by=actor,
        plans=[p.id for p in result.plans],
        budgets=list(result.budgets),
        warnings=list(result.warnings),
    )
    n_lines, n_pay = runs.store_lines(run, result, data)
    totals = _totals(run.lines.all())
    record(
        actor,
        "reward.run",
        run,
        after={
            "cycle": c.label,
            "plans": run.plans,
            "lines": n_lines,
            **totals,
            "pay_changes": n_pay,
        },
    )
    return run


def reward_run_enqueue(*, policy: Policy, cycle: str, actor):
    """Puts the run in the worker's queue; the worker calls reward_run_start as the same actor."""
    from rungs.rewards.tasks import run_rewards

    check(actor, "reward.run")
    try:
        label = parse_cycle(cycle).label
    except ValueError as exc:
        raise RewardRefused(str(exc)) from None
    return run_rewards.enqueue(policy.pk, label, getattr(actor, "pk", None))


def _plan(policy: Policy, plan_id: str):
    return next((p for p in policy.parsed.rewards.plans if p.id == plan_id), None)


def check_budgets(policy: Policy | None, cycle: str, adding: Iterable[tuple[str, str, Decimal]]) -> None:
    """Refuses when adding these (plan, department, amount) to what the plans already spent in the cycle
    (approved and paid lines of the scheme, reversals included) passes a plan's budget. Awards (no policy,
    rungs.rewards.awards) belong to no plan, so no budget."""
    if policy is None:
        return
    new: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for plan_id, dept, amount in adding:
        plan = _plan(policy, plan_id)
        if plan is None or plan.budget is None:
            continue
        new[(plan_id, dept if plan.budget.per == "department" else "")] += amount
    for (plan_id, dept), adds in sorted(new.items()):
        if adds <= 0:
            continue  # a reversal never needs budget
        plan = _plan(policy, plan_id)
        assert plan is not None and plan.budget is not None
        spent = RewardLine.objects.filter(
            policy__scheme=policy.scheme, plan=plan_id, cycle=cycle, state__in=COUNTED
        )
        if dept:
            spent = spent.filter(department=dept)
        total = (spent.aggregate(t=Sum("amount"))["t"] or Decimal(0)) + adds
        if total > plan.budget.amount:
            where = _("%(dept)s ") % {"dept": dept} if dept else ""
            raise RewardRefused(
                _(
                    "超出预算，未批准：方案「%(plan)s」%(where)s%(cycle)s 周期的预算为 %(budget)s 元，"
                    "批准后合计 %(total)s 元，超出 %(excess)s 元。"
                )
                % {
                    "plan": plan.label.zh,
                    "where": where,
                    "cycle": cycle,
                    "budget": _yuan(plan.budget.amount),
                    "total": _yuan(total),
                    "excess": _yuan(total - plan.budget.amount),
                }
            )


@transaction.atomic
def reward_run_approve(*, run: RewardRun, actor, plan: str = "") -> int:
    """Approves the run's accrued lines (of one plan, or all), within the plans' budgets per cycle and
    department. Returns how many lines were approved."""
    check(actor, "reward.approve")
    # One approval or correction of a run at a time (the budget is checked against what is approved).
    # of the run alone: an awards run has no policy, so the join is an outer one (rungs.rewards.awards)
    run = RewardRun.objects.select_for_update(of=("self",)).select_related("policy").get(pk=run.pk)
    _not_discarded(run)
    lines = RewardLine.objects.filter(run=run, state=State.ACCRUED)
    if plan:
        lines = lines.filter(plan=plan)
    groups = list(lines.values_list("plan", "department").annotate(t=Sum("amount")).order_by())
    if not groups:
        raise RewardRefused(_("没有待批准的明细。"))
    check_budgets(run.policy, run.cycle, groups)
    # One UPDATE by the same filter, not a list of keys (a company-wide run is 100,000 lines).
    totals = _totals(lines)
    notices.lines_moved("reward.approve", lines, run.cycle)  # read before the lines move; sent on commit
    n = lines.update(state=State.APPROVED, approved_by=actor, approved_at=timezone.now())
    record(
        actor,
        "reward.approve",
        run,
        before={"state": State.ACCRUED},
        after={"state": State.APPROVED, "plan": plan or None, "lines": n, **totals},
    )
    return n


def _not_discarded(run: RewardRun) -> None:
    if run.is_discarded:
        raise RewardRefused(
            _("本次核算已于 %(day)s 作废，不能再处理。")
            % {"day": f"{timezone.localdate(run.discarded_at):%Y-%m-%d}"}
        )


@transaction.atomic
def reward_run_discard(*, run: RewardRun, reason: str, actor) -> int:
    """Discards a run found wrong while every line is still accrued: nothing has been approved against a
    budget or paid, so nobody has been told it is theirs. The lines are kept (the ledger deletes nothing)
    in state discarded, which no statement, payroll or budget counts, and the scheme's cycle may be run
    again. A run with an approved or paid line is refused: money already promised or paid is corrected
    line by line, by reversal. Returns how many lines were discarded."""
    check(actor, "reward.discard")
    run = RewardRun.objects.select_for_update(of=("self",)).select_related("policy").get(pk=run.pk)
    _not_discarded(run)
    if run.is_awards:
        raise RewardRefused(_("专项奖励不能整体作废；有误的专项奖励请逐条冲销。"))
    reason = (reason or "").strip()
    if not reason:
        raise RewardRefused(_("请写明作废的原因。"))
    states = dict(
        run.lines.exclude(state=State.ACCRUED).order_by().values_list("state").annotate(n=Count("pk"))
    )
    if states:
        raise RewardRefused(
            _(
                "不能作废：本次核算已有 %(approved)s 条明细已批准、%(paid)s 条已发放。"
                "已批准或已发放的明细只能逐条冲销更正，不能整体作废。"
            )
            % {"approved": states.get(State.APPROVED, 0), "paid": states.get(State.PAID, 0)}
        )
    open_disputes = Dispute.objects.filter(line__run=run, state=Dispute.State.OPEN).count()
    if open_disputes:
        raise RewardRefused(_("不能作废：本次核算有 %(n)s 项待答复的异议，请先答复。") % {"n": open_disputes})
    lines = run.lines.all()
    totals = _totals(lines)
    n = lines.update(state=State.DISCARDED)
    run.discarded_at, run.discarded_by, run.discard_reason = timezone.now(), actor, reason
    run.save(update_fields=["discarded_at", "discarded_by", "discard_reason"])
    record(
        actor,
        "reward.discard",
        run,
        before={"state": State.ACCRUED, "lines": n, **totals},
        after={"state": State.DISCARDED, "lines": n},
        reason=reason,
    )
    return n


@transaction.atomic
def reward_run_pay(*, run: RewardRun, actor) -> int:
    """Records the run's approved lines as paid (the payroll has gone out)."""
    check(actor, "reward.pay")
    run = RewardRun.objects.select_for_update().get(pk=run.pk)
    _not_discarded(run)
    approved = RewardLine.objects.filter(run=run, state=State.APPROVED)
    notices.lines_moved("reward.pay", approved, run.cycle)
    n = approved.update(state=State.PAID, paid_by=actor, paid_at=timezone.now())
    if not n:
        raise RewardRefused(_("没有已批准、待发放的明细。"))
    record(
        actor, "reward.pay", run, before={"state": State.APPROVED}, after={"state": State.PAID, "lines": n}
    )
    return n


@transaction.atomic
def line_dispute(*, line: RewardLine, text: str, actor) -> Dispute:
    """An employee questions one of their own lines."""
    check(actor, "reward.dispute")
    line = RewardLine.objects.select_for_update().select_related("employee").get(pk=line.pk)
    if actor is None or actor.employee_id != line.employee_id:
        raise Denied("reward.dispute", _("只能对自己的奖励明细提出异议。"))
    text = (text or "").strip()
    if not text:
        raise RewardRefused(_("请写明异议的内容。"))
    if line.state == State.DISCARDED:
        raise RewardRefused(_("这条明细所在的核算已经作废。"))
    if line.is_reversal:
        raise RewardRefused(_("冲销明细不能再提出异议。"))
    if RewardLine.objects.filter(reverses=line).exists():
        raise RewardRefused(_("这条明细已经冲销。"))
    if line.disputes.filter(state=Dispute.State.OPEN).exists():
        raise RewardRefused(_("这条明细已有待答复的异议。"))
    dispute = Dispute.objects.create(line=line, raised_by=actor, text=text)
    record(
        actor,
        "reward.dispute",
        dispute,
        employee_id=line.employee.employee_id,
        after={"line": line.pk, "amount": _with_unit(line), "text": text},
    )
    return dispute


def _money(raw) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise RewardRefused(_("更正金额应为数字（元，最多两位小数），实际为 %(v)s。") % {"v": raw}) from None
    if not value.is_finite() or value != value.quantize(CENT) or abs(value) >= Decimal("1e10"):
        raise RewardRefused(_("更正金额应为数字（元，最多两位小数），实际为 %(v)s。") % {"v": raw})
    return value


def _reverse(line: RewardLine, reason: str, actor, corrected) -> tuple[RewardLine, RewardLine | None]:
    """The reversal (and the corrected line): from the line's frozen inputs, never recomputed. A line that
    was already approved or paid gets an approved reversal (it goes out with the next payroll); an
    accrued one an accrued reversal, approved with the rest of its run."""
    RewardRun.objects.select_for_update().get(pk=line.run_id)  # beside approvals of the same run
    if line.state == State.DISCARDED:
        raise RewardRefused(_("这条明细所在的核算已经作废。"))
    if line.is_reversal:
        raise RewardRefused(_("冲销明细不能再冲销。"))
    if RewardLine.objects.filter(reverses=line).exists():
        raise RewardRefused(_("这条明细已经冲销。"))
    approved = line.state != State.ACCRUED
    state = State.APPROVED if approved else State.ACCRUED
    stamp = {"approved_by": actor, "approved_at": timezone.now()} if approved else {}
    frozen = {
        "run": line.run,
        "employee": line.employee,
        "policy": line.policy,
        "plan": line.plan,
        "component": line.component,
        "cycle": line.cycle,
        "department": line.department,
        "unit": line.unit,
        "state": state,
        **stamp,
    }
    if corrected is not None and line.unit == Unit.POINTS and corrected != corrected.to_integral_value():
        raise RewardRefused(_("积分只记整数，更正的积分应为整数，实际为 %(v)s。") % {"v": corrected})
    new = [(line.plan, line.department, -line.amount)]
    if corrected is not None:
        new.append((line.plan, line.department, corrected))
        if approved:
            check_budgets(line.policy, line.cycle, new)
    reversal = RewardLine.objects.create(
        **frozen,
        amount=-line.amount,
        explanation=_("冲销明细 #%(pk)s（%(amount)s：%(text)s）：%(reason)s")
        % {"pk": line.pk, "amount": _with_unit(line), "text": line.explanation, "reason": reason},
        explanation_en=f"Reversal of line #{line.pk} ({amount_text(line.amount, line.unit)}"
        f"{' points' if line.unit == Unit.POINTS else ''}: {line.explanation_en}): {reason}",
        inputs={**line.inputs, "reverses": str(line.pk)},
        reverses=line,
    )
    correction = None
    if corrected is not None:
        correction = RewardLine.objects.create(
            **frozen,
            amount=corrected,
            explanation=_("更正明细 #%(pk)s（原 %(amount)s）：%(reason)s")
            % {"pk": line.pk, "amount": _with_unit(line), "reason": reason},
            explanation_en=f"Correction of line #{line.pk} (was {amount_text(line.amount, line.unit)}"
            f"{' points' if line.unit == Unit.POINTS else ''}): {reason}",
            inputs={
                **line.inputs,
                "corrects": str(line.pk),
                "corrected_amount": amount_text(corrected, line.unit),
            },
            corrects=line,
        )
    return reversal, correction


@transaction.atomic
def line_reverse(*, line: RewardLine, reason: str, actor, corrected_amount=None):
    """HR corrects a mistake found without a dispute: a reversal line and optionally a corrected one."""
    line = (
        RewardLine.objects.select_for_update(of=("self",))
        .select_related("employee", "policy", "run")
        .get(pk=line.pk)
    )
    check(actor, "reward.decide", line.employee)
    reason = (reason or "").strip()
    if not reason:
        raise RewardRefused(_("请写明冲销的原因。"))
    reversal, correction = _reverse(line, reason, actor, _money(corrected_amount))
    record(
        actor,
        "reward.decide",
        line,
        employee_id=line.employee.employee_id,
        after={"reversal": reversal.pk, "correction": correction.pk if correction else None},
        reason=reason,
    )
    return reversal, correction


@transaction.atomic
def dispute_decide(*, dispute: Dispute, upheld: bool, answer: str, actor, corrected_amount=None) -> Dispute:
    """HR's answer. Upheld: the line is reversed (and replaced by the corrected amount when given)."""
    d = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("line__employee", "line__policy")
        .get(pk=dispute.pk)
    )
    line = d.line
    check(actor, "reward.decide", line.employee)
    if d.state != Dispute.State.OPEN:
        raise RewardRefused(_("这项异议已经答复过了（%(state)s）。") % {"state": d.get_state_display()})
    answer = (answer or "").strip()
    if not answer:
        raise RewardRefused(_("请写明答复。"))
    corrected = _money(corrected_amount)
    if upheld:
        d.reversal, d.correction = _reverse(line, answer, actor, corrected)
        d.state = Dispute.State.UPHELD
    else:
        if corrected is not None:
            raise RewardRefused(_("异议不成立时不更正金额。"))
        d.state = Dispute.State.REJECTED
    d.answer, d.answered_by, d.answered_at = answer, actor, timezone.now()
    d.save()
    record(
        actor,
        "reward.decide",
        d,
        employee_id=line.employee.employee_id,
        before={"state": Dispute.State.OPEN},
        after={
            "state": d.state,
            "reversal": d.reversal_id,
            "correction": d.correction_id,
            "corrected_amount": _yuan(corrected) if corrected is not None else None,
        },
        reason=answer,
    )
    return d
