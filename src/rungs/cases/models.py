"""A case: a rule that fired for someone (a demotion trigger, an unqualified leader, a warning) with an owner
who must decide what follows — demotion, rotation, a dismissal proposal, no action, or an observation period
(考察期) with quantified targets, evaluated at its end. Rows change only through rungs.cases.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.people.models import Employee
from rungs.policies.models import Decision, Policy


class Case(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        OBSERVING = "observing", _("考察中")
        CLOSED = "closed", _("已处理")

    class Outcome(models.TextChoices):
        DEMOTE = "demote", _("降级")
        ROTATE = "rotate", _("轮岗")
        DISMISSAL = "dismissal", _("提议解除劳动合同")
        NO_ACTION = "no_action", _("不予处理")
        OBSERVE = "observe", _("设考察期")
        PASSED = "passed", _("考察期目标达成")
        EXTEND = "extend", _("延长考察期")
        CONVERT = "convert", _("代理转为正式任职")
        END_ACTING = "end_acting", _("结束代理")

    employee = models.ForeignKey(Employee, models.PROTECT, related_name="cases", verbose_name=_("员工"))
    policy = models.ForeignKey(Policy, models.PROTECT, related_name="cases", verbose_name=_("策略版本"))
    trigger = models.ForeignKey(Decision, models.SET_NULL, null=True, blank=True, related_name="cases")
    rule = models.CharField(_("规则"), max_length=100)
    kind = models.CharField(_("规则类型"), max_length=30)
    label = models.CharField(_("事由"), max_length=300)
    track = models.CharField(_("通道"), max_length=50)
    level = models.CharField(_("职级"), max_length=50)
    to_level = models.CharField(_("降至职级"), max_length=50, blank=True)  # the rule's `to:` for demotions
    pay = models.JSONField(_("薪资变动"), default=dict, blank=True)  # a demotion's, as the promotions' pay
    explanation = models.JSONField(_("触发条件明细"), default=list)  # the trigger's criteria, frozen
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责人"),
    )
    state = models.CharField(_("状态"), max_length=20, choices=State, default=State.OPEN)
    opened_on = models.DateField(_("立案日期"))
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome, blank=True)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    reason = models.TextField(_("处理意见"), blank=True)
    observe_from = models.DateField(_("考察开始"), null=True, blank=True)
    observe_until = models.DateField(_("考察结束"), null=True, blank=True)
    targets = models.TextField(_("考察目标"), blank=True)  # criteria in the policy language (YAML)
    results = models.JSONField(_("目标达成情况"), default=list)  # the targets' criteria at the end
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("处理事项")
        verbose_name_plural = _("处理事项")
        ordering = ["state", "-opened_on", "pk"]

    def __str__(self):
        return f"{self.employee} {self.label}"


class CaseStep(models.Model):
    """One decision on a case: who, when, what and why. Never edited."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="steps")
    actor = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    on = models.DateField(_("日期"))
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Case.Outcome)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        ordering = ["case", "pk"]
