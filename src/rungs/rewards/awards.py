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

The suggestion reward: the line says nothing of the suggestion (not its id, title or text, nor that it is
one: its explanation is the same as any award HR posts as "人力资源部核发", in English "granted by HR"); the
claim points at the line (RewardClaim.line), so the claim stays the one row that joins an author to a
suggestion, read by HR alone. What the award was for is shown beside the line only to the readers an app
above this one names (`occasion_reader`; rungs.voice names the claimant and HR), so the team lead,
supervisor, department manager, executive and administrator who see the line see a plain 专项奖励.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.audit.trail import actor_name, record
from rungs.core.rewards.cycle import parse_cycle
from rungs.people.models import Employee
from rungs.rewards.models import AWARDS, RewardLine, RewardRun, amount_text

Unit = RewardLine.Unit
COMPONENT = "award"
CONFIDENTIAL = "人力资源部核发"  # the reason of an award whose occasion is not shown (a suggestion's reward)
CONFIDENTIAL_EN = "granted by HR"
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


# What an award line was for, to the readers allowed to know: (lines, viewer) → {line pk: label}. Registered
# by the app that posts such awards (rungs.voice.apps), which is above this one.
OccasionReader = Callable[[list[RewardLine], object], dict[int, str]]
_OCCASION_READERS: list[OccasionReader] = []


def occasion_reader(reader: OccasionReader) -> OccasionReader:
    if reader not in _OCCASION_READERS:
        _OCCASION_READERS.append(reader)
    return reader


def with_occasions(lines: Iterable[RewardLine], viewer) -> list[RewardLine]:
    """The lines, each with `occasion`: what the award was for if `viewer` may know it, else ""."""
    lines = list(lines)
    found: dict[int, str] = {}
    awards = [ln for ln in lines if ln.plan == AWARDS]
    if awards and getattr(viewer, "is_authenticated", False):
        for reader in _OCCASION_READERS:
            found.update(reader(awards, viewer))
    for ln in lines:
        ln.occasion = found.get(ln.pk, "")
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
    *, employee: Employee, cycle: str, amount, reason: str, actor, unit: str = Unit.YUAN, reason_en: str = ""
) -> RewardLine:
    """An award (专项奖励) for one employee and cycle, with its reason as the line's explanation (and
    `reason_en` in the English one, when given). The line is accrued: it is approved and paid with the
    cycle's awards run, like a plan's lines."""
    check(actor, "reward.award", employee)
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
        explanation=_("专项奖励：%(reason)s") % {"reason": reason},
        explanation_en=f"Award: {(reason_en or '').strip() or reason}",
        inputs={"reason": reason, "posted_by": actor_name(actor)},
    )
    shown = f"{amount_text(value, unit)} {Unit(unit).label}"
    record(
        actor,
        "reward.award",
        line,
        employee_id=employee.employee_id,
        after={"run": run.pk, "cycle": label, "amount": shown},
        reason=reason,
    )
    return line
