"""Awards on the ledger (专项奖励): money or points that no reward plan computed — a one-off bonus HR adds
with its reason, the reward of an excellent suggestion once HR confirms its claim (rungs.voice.suggestions)
— posted as ledger lines like any other, so they are approved, paid, disputed, reversed, exported in the
payroll and shown in the statements by the very code that does so for a plan's lines.

The shape: each cycle has one awards run (RewardRun kind "awards", no policy), made with the cycle's first
award; its lines have plan "awards", component "award" and no policy (a check constraint allows a line
without a policy only there). Why a run, and not lines without a run told apart by a `source` column:
- approving and paying are per run (reward_run_approve, reward_run_pay) and a reversal locks its line's run
  beside approvals: an awards line has a run, so those paths, the disputes and the reversals take it
  unchanged. Lines without a run would need a second approve, pay and lock path for each.
- the frozen-line trigger keeps the same columns (migration 0004 only lets policy_id be NULL);
- the payroll gives the awards one column, 专项奖励, beside the plans' components.
- budget: a budget belongs to a plan (rewards.plans[].budget, per cycle and department) and an award to
  none, so check_budgets leaves lines without a policy alone. Charging a plan for HR's one-off bonus would
  let it stop that plan's approval, or leave less for the people the plan is for; an award is approved by
  the same approvers, one cycle's awards at a time, so it is not unchecked.

Honors carry no amount (rungs.honors.Honor), and none is added: money for an honor is already written in the
policy language — a plan's `fixed` component `when: {criteria: [{count: {event: award, ref: <code>,
months: 1}, at_least: 1}]}` pays for the `award` event an honor writes, within the plan's budget — and a
second amount on the honor would pay it twice. (honors is also below rewards in the layers.)

An undisclosed reason (原因不公开): HR may post an award whose reason is not shown — a suggestion's reward
is always one, and any other award can be, so such a line does not stand out as the suggestion's. The line's
explanation ("专项奖励：原因不公开" / "Award: reason not disclosed"), its frozen inputs.reason and its audit
entry's reason carry the fixed CONFIDENTIAL text; the real reason is a ConfidentialReason row beside the line.
It is shown (`with_occasions`) to exactly the audience that reads a suggestion's claim: who may
`reward.confidential` (HR; a superuser's flag does not grant it), and the line's own employee. So the team
lead, supervisor, department manager, executive and administrator who see the line see the fixed text only.
A department manager may not post one: they could not read back what they wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rungs.accounts.authority import check, may
from rungs.audit.trail import actor_name, record
from rungs.core.rewards.cycle import parse_cycle
from rungs.people.models import Employee
from rungs.rewards.models import AWARDS, ConfidentialReason, RewardLine, RewardRun, amount_text

Unit = RewardLine.Unit
COMPONENT = "award"
# What an undisclosed award says in place of its reason, in both languages (the frozen inputs and the trail
# are read in either); the explanations say it in the line's language.
CONFIDENTIAL = "原因不公开 · Reason not disclosed"
CONFIDENTIAL_ZH = "原因不公开"
CONFIDENTIAL_EN = "reason not disclosed"
LIMIT = Decimal("1e8")


class AwardRefused(Exception):
    """The award cannot be posted (no reason, a wrong amount or cycle); nothing was stored."""


def _amount(raw, unit: str) -> Decimal:
    """A positive amount: yuan with at most two places, or whole points."""
    what = _("积分（正整数）") if unit == Unit.POINTS else _("金额（元，最多两位小数）")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise AwardRefused(
            _("%(what)s应为大于 0 的数字，实际为 %(v)s。") % {"what": what, "v": raw}
        ) from None
    step = Decimal(1) if unit == Unit.POINTS else Decimal("0.01")
    if not value.is_finite() or value <= 0 or value >= LIMIT or value != value.quantize(step):
        raise AwardRefused(_("%(what)s应为大于 0 的数字，实际为 %(v)s。") % {"what": what, "v": raw})
    return value.quantize(Decimal("0.01"))


def may_read_confidential(viewer, line: RewardLine) -> bool:
    """Whether `viewer` reads the real reason of an undisclosed award line: who may `reward.confidential`,
    and the line's own employee. rungs.voice reads a suggestion's claims by the same action."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    own = viewer.employee_id is not None and viewer.employee_id == line.employee_id
    return own or may(viewer, "reward.confidential")


def with_occasions(lines: Iterable[RewardLine], viewer) -> list[RewardLine]:
    """The lines, each with `occasion`: the real reason of an undisclosed award (and of its reversal or
    correction, which carry the same fixed text) if `viewer` may read it, else ""."""
    lines = list(lines)
    shown = [ln for ln in lines if ln.plan == AWARDS and may_read_confidential(viewer, ln)]
    found: dict[int, ConfidentialReason] = {}
    if shown:
        keys = {ln.reverses_id or ln.corrects_id or ln.pk for ln in shown}
        found = {r.line_id: r for r in ConfidentialReason.objects.filter(line_id__in=keys)}
    english = (get_language() or "").startswith("en")
    for ln in lines:
        r = found.get(ln.reverses_id or ln.corrects_id or ln.pk) if ln in shown else None
        ln.occasion = ((english and r.reason_en) or r.reason) if r is not None else ""
    return lines


def awards_run(cycle: str, actor) -> RewardRun:
    """The cycle's awards run, made with its first award (locked: one award of a cycle at a time)."""
    run = RewardRun.objects.select_for_update().filter(kind=RewardRun.Kind.AWARDS, cycle=cycle).first()
    if run is not None:
        return run
    try:
        with transaction.atomic():  # a savepoint: another award made the run a moment ago
            return RewardRun.objects.create(kind=RewardRun.Kind.AWARDS, cycle=cycle, created_by=actor)
    except IntegrityError:
        return RewardRun.objects.select_for_update().get(kind=RewardRun.Kind.AWARDS, cycle=cycle)


@transaction.atomic
def award_post(
    *,
    employee: Employee,
    cycle: str,
    amount,
    reason: str,
    actor,
    unit: str = Unit.YUAN,
    reason_en: str = "",
    undisclosed: bool = False,
) -> RewardLine:
    """An award (专项奖励) for one employee and cycle, with its reason as the line's explanation (and
    `reason_en` in the English one, when given) — or, `undisclosed`, with the fixed CONFIDENTIAL text in
    the explanation, the inputs and the audit entry, and the reason in a ConfidentialReason row. The line
    is accrued: it is approved and paid with the cycle's awards run, like a plan's lines."""
    check(actor, "reward.award", employee)
    if undisclosed and not may(actor, "reward.confidential"):
        raise AwardRefused(_("只有人力资源部可以登记原因不公开的专项奖励。"))
    if unit not in Unit.values:
        raise AwardRefused(_("单位应为元或积分。"))
    try:
        label = parse_cycle(cycle or "").label
    except ValueError as exc:
        raise AwardRefused(str(exc)) from None
    reason = (reason or "").strip()
    if not reason:
        raise AwardRefused(_("请写明奖励的原因。"))
    if len(reason) > 500:
        raise AwardRefused(_("奖励的原因最多 500 个字。"))
    value = _amount(amount, unit)
    run = awards_run(label, actor)
    reason_en = (reason_en or "").strip()
    shown_reason, shown_en = (
        (CONFIDENTIAL_ZH, CONFIDENTIAL_EN) if undisclosed else (reason, reason_en or reason)
    )
    frozen_reason = CONFIDENTIAL if undisclosed else reason
    line = RewardLine.objects.create(
        run=run,
        employee=employee,
        policy=None,
        plan=AWARDS,
        component=COMPONENT,
        cycle=label,
        department=employee.department.name if employee.department_id else "",
        amount=value,
        unit=unit,
        # The stored explanation is Chinese whatever the poster's language (as a plan's lines are).
        explanation=f"专项奖励：{shown_reason}",
        explanation_en=f"Award: {shown_en}",
        inputs={"reason": frozen_reason, "posted_by": actor_name(actor)},
    )
    if undisclosed:
        ConfidentialReason.objects.create(line=line, reason=reason, reason_en=reason_en)
    shown = f"{amount_text(value, unit)} {Unit(unit).label}"
    record(
        actor,
        "reward.award",
        line,
        employee_id=employee.employee_id,
        after={"run": run.pk, "cycle": label, "amount": shown},
        reason=frozen_reason,
    )
    return line
