"""Reward runs and the ledger: every line a run produced, frozen with the inputs and the policy version it
was computed from, moving accrued → approved → paid. A line's amount, explanation and inputs are never
changed; a mistake is corrected by a reversal line (the negative of the line, linked to it, made from its
frozen inputs) and, if need be, a corrected line. Rows change only through rungs.rewards.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.people.models import Employee
from rungs.policies.models import Policy


def _user(verbose: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose,
    )


AWARDS = "awards"  # the plan of every line an awards run holds (rungs.rewards.awards)


class RewardRun(models.Model):
    """One evaluation of a policy version's reward plans for one cycle over the database; or the cycle's
    awards run (kind awards, no policy): the lines HR posts by hand (rungs.rewards.awards)."""

    class Kind(models.TextChoices):
        PLANS = "plans", _("奖励方案")
        AWARDS = "awards", _("专项奖励")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind, default=Kind.PLANS)
    policy = models.ForeignKey(
        Policy,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reward_runs",
        verbose_name=_("策略版本"),
    )
    cycle = models.CharField(_("周期"), max_length=10)  # 2026-05, 2026-Q2, 2026-H1, 2026
    created_at = models.DateTimeField(_("运行时间"), auto_now_add=True)
    created_by = _user(_("运行人"))
    plans = models.JSONField(_("方案"), default=list)  # the plan ids run
    budgets = models.JSONField(_("预算"), default=list)  # the core's budget rows at run time
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    # A run found wrong before any of its lines was approved is discarded (作废), not deleted: its lines
    # stay, in state discarded, out of the statements, the payroll and the budgets; the cycle may be run
    # again (services.reward_run_discard).
    discarded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    discarded_by = _user(_("作废人"))
    discard_reason = models.TextField(_("作废原因"), blank=True)

    class Meta:
        verbose_name = _("奖励核算")
        verbose_name_plural = _("奖励核算")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="plans", policy__isnull=False)
                | models.Q(kind="awards", policy__isnull=True),
                name="reward_run_plans_have_a_policy",
            ),
            models.UniqueConstraint(
                fields=["cycle"], condition=models.Q(kind="awards"), name="one_awards_run_per_cycle"
            ),
        ]

    def __str__(self):
        if self.policy_id is None:
            return f"{_('专项奖励')} · {self.cycle}"
        return f"{self.policy.scheme}@{self.policy.version} · {self.cycle}"

    @property
    def is_awards(self) -> bool:
        return self.kind == self.Kind.AWARDS

    @property
    def is_discarded(self) -> bool:
        return self.discarded_at is not None


class RewardLine(models.Model):
    """One ledger line (奖励明细): an employee, a plan's component, a cycle, an amount in the plan's unit:
    yuan, or points (积分, whole numbers) which are no money and stay out of the payroll."""

    class State(models.TextChoices):
        ACCRUED = "accrued", _("已计提")
        APPROVED = "approved", _("已批准")
        PAID = "paid", _("已发放")
        DISCARDED = "discarded", _("已作废")  # its run was discarded while every line was accrued

    class Unit(models.TextChoices):
        YUAN = "yuan", _("元")
        POINTS = "points", _("积分")

    run = models.ForeignKey(RewardRun, models.PROTECT, related_name="lines", verbose_name=_("核算"))
    employee = models.ForeignKey(
        Employee, models.PROTECT, related_name="reward_lines", verbose_name=_("员工")
    )
    # None on an awards line (plan "awards"): no policy computed it
    policy = models.ForeignKey(
        Policy, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("策略版本")
    )
    plan = models.CharField(_("方案"), max_length=100)
    component = models.CharField(_("组成部分"), max_length=100)
    cycle = models.CharField(_("周期"), max_length=10)
    department = models.CharField(_("部门"), max_length=100, blank=True)  # at run time, for the budget
    amount = models.DecimalField(_("数额"), max_digits=12, decimal_places=2)  # in `unit`
    unit = models.CharField(_("单位"), max_length=10, choices=Unit, default=Unit.YUAN)
    explanation = models.TextField(_("说明"))
    explanation_en = models.TextField(_("说明（英文）"), blank=True)
    inputs = models.JSONField(_("计算依据"), default=dict)  # frozen: the values the amount came from
    state = models.CharField(_("状态"), max_length=10, choices=State, default=State.ACCRUED)
    # A reversal line points at the line it cancels (one reversal per line); a corrected line at the
    # line it replaces.
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversal", verbose_name=_("冲销的明细")
    )
    corrects = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("更正的明细"),
    )
    approved_by = _user(_("批准人"))
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    paid_by = _user(_("发放登记人"))
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("奖励明细")
        verbose_name_plural = _("奖励明细")
        ordering = ["employee__employee_id", "plan", "component", "pk"]
        indexes = [
            models.Index(fields=["cycle", "plan", "state"]),
            models.Index(fields=["employee", "cycle"]),
            models.Index(fields=["run", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(policy__isnull=False) | models.Q(plan=AWARDS),
                name="reward_line_policy_or_award",
            )
        ]

    def __str__(self):
        return f"{self.employee_id} {self.plan}/{self.component} {self.cycle} {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def shown(self) -> str:
        """The amount as written: yuan with two places, points whole."""
        return amount_text(self.amount, self.unit)


def amount_text(amount, unit: str) -> str:
    """An amount in its unit, as the ledger writes it: '3150.00' (yuan), '120' (points)."""
    return f"{amount:.2f}" if unit == RewardLine.Unit.YUAN else f"{amount:.0f}"


class PayChange(models.Model):
    """A base-pay change a run found implied by a promotion, demotion or pay step of the cycle (frozen)."""

    run = models.ForeignKey(RewardRun, models.PROTECT, related_name="pay_changes", verbose_name=_("核算"))
    employee = models.ForeignKey(Employee, models.PROTECT, related_name="pay_changes", verbose_name=_("员工"))
    reason = models.CharField(_("原因"), max_length=20)  # promotion | demotion | pay_step
    rule = models.CharField(_("规则"), max_length=100, blank=True)
    from_level = models.CharField(_("原职级"), max_length=50, blank=True)
    to_level = models.CharField(_("新职级"), max_length=50, blank=True)
    pay_from = models.DecimalField(_("原基本工资"), max_digits=12, decimal_places=2, null=True, blank=True)
    pay_to = models.DecimalField(_("新基本工资"), max_digits=12, decimal_places=2, null=True, blank=True)
    pay_to_min = models.DecimalField(
        _("新基本工资下限"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    pay_to_max = models.DecimalField(
        _("新基本工资上限"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    effective = models.CharField(_("起始月份"), max_length=7)
    explanation = models.TextField(_("说明"))

    class Meta:
        verbose_name = _("调薪")
        verbose_name_plural = _("调薪")
        ordering = ["employee__employee_id", "pk"]


class Dispute(models.Model):
    """An employee questions one of their lines; HR answers. Upheld: a reversal line (and a corrected line
    when the answer gives the right amount)."""

    class State(models.TextChoices):
        OPEN = "open", _("待答复")
        UPHELD = "upheld", _("异议成立")
        REJECTED = "rejected", _("异议不成立")

    line = models.ForeignKey(RewardLine, models.PROTECT, related_name="disputes", verbose_name=_("明细"))
    raised_by = _user(_("提出人"))
    raised_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    text = models.TextField(_("异议内容"))
    state = models.CharField(_("状态"), max_length=10, choices=State, default=State.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = _user(_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reversal = models.ForeignKey(
        RewardLine, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("冲销明细")
    )
    correction = models.ForeignKey(
        RewardLine, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("更正明细")
    )

    class Meta:
        verbose_name = _("明细异议")
        verbose_name_plural = _("明细异议")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["line"], condition=models.Q(state="open"), name="one_open_dispute_per_line"
            )
        ]

    def __str__(self):
        return f"#{self.line_id}: {self.text[:40]}"


class ConfidentialReason(models.Model):
    """The real reason of an award posted with an undisclosed one (原因不公开): the line's explanation, its
    frozen inputs and its audit entry all carry the fixed CONFIDENTIAL text, and the reason lives only here,
    read through `rewards.awards.with_occasions` by those who may `reward.confidential` (HR) and the
    line's own employee. A suggestion's reward says only that it is one: no suggestion, title or text."""

    line = models.OneToOneField(
        RewardLine, models.PROTECT, related_name="confidential", verbose_name=_("明细")
    )
    reason = models.TextField(_("原因"))
    reason_en = models.TextField(_("原因（英文）"), blank=True)

    class Meta:
        verbose_name = _("不公开的奖励原因")
        verbose_name_plural = _("不公开的奖励原因")

    def __str__(self):
        return f"#{self.line_id}"
