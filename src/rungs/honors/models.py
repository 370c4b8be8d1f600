"""Honors and recognition: the titles a company awards (优秀客服, 服务明星, 优秀客服服务主管, 创新奖 …) with
their criteria and quotas, the nominations for a cycle, their 公示 and objections, the awards, and the
thanks colleagues give each other (及时认可). Rows change only through rungs.honors.services; each change is
also in the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.people.models import Department, Employee, Team
from rungs.records.models import Event


class Honor(models.Model):
    """A title or award: who may receive it, for which cycle, how many per team or department, and — where
    it is measurable — the criteria in the policy language (evaluated for the people at `levels`)."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个人荣誉")
        TEAM = "team", _("团队荣誉")

    class Cycle(models.TextChoices):
        MONTH = "M", _("月度")
        QUARTER = "Q", _("季度")
        HALF = "H", _("半年度")
        YEAR = "Y", _("年度")

    class Scope(models.TextChoices):
        TEAM = "team", _("每个班组")
        DEPARTMENT = "department", _("每个部门")
        COMPANY = "company", _("全公司")

    code = models.SlugField(_("代码"), max_length=50, unique=True)  # the `award` event's ref
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind, default=Kind.INDIVIDUAL)
    cycle = models.CharField(_("评选周期"), max_length=1, choices=Cycle, default=Cycle.MONTH)
    quota = models.PositiveIntegerField(_("名额"))
    quota_scope = models.CharField(_("名额范围"), max_length=20, choices=Scope, default=Scope.TEAM)
    description = models.TextField(_("评选标准（说明）"), blank=True)
    # the policy (its `id`) whose tracks, levels and grades the criteria name; the version in force on the
    # day the criteria are evaluated is used, as for any evaluation
    scheme = models.CharField(_("条件所依据的策略"), max_length=100, blank=True)
    track = models.CharField(_("通道"), max_length=50, blank=True)
    levels = models.JSONField(_("适用职级"), default=list, blank=True)
    criteria = models.TextField(_("评选条件（策略语言）"), blank=True)  # a YAML list of criteria
    notice_working_days = models.PositiveIntegerField(_("公示工作日"), default=3)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.name


class Nomination(models.Model):
    """One nominee (a person, or a team for a team honor) for an honor and a cycle."""

    class State(models.TextChoices):
        NOMINATED = "nominated", _("待审核")
        APPROVED = "approved", _("审核通过，待公示")
        REJECTED = "rejected", _("未通过审核")
        NOTICE = "notice", _("公示中")
        REMOVED = "removed", _("因异议成立撤销")
        AWARDED = "awarded", _("已授予")
        REVOKED = "revoked", _("已撤销授予")

    honor = models.ForeignKey(Honor, models.PROTECT, related_name="nominations", verbose_name=_("荣誉"))
    cycle = models.CharField(_("周期"), max_length=10)  # 2026-11, 2026-Q4, 2026-H2, 2026
    employee = models.ForeignKey(
        Employee, models.PROTECT, null=True, blank=True, related_name="nominations", verbose_name=_("员工")
    )
    team = models.ForeignKey(
        Team, models.PROTECT, null=True, blank=True, related_name="nominations", verbose_name=_("班组")
    )
    # the quota's unit at nomination: the nominee's team or department then (people move; quotas do not)
    quota_team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="+")
    quota_department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="+")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    nominated_on = models.DateField(_("推荐日期"))
    reason = models.TextField(_("推荐理由"))
    state = models.CharField(_("状态"), max_length=20, choices=State, default=State.NOMINATED)
    explanation = models.JSONField(_("评选条件明细"), default=list)  # the criteria, frozen at nomination
    notice = models.ForeignKey(
        "HonorNotice", models.SET_NULL, null=True, blank=True, related_name="nominations"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("荣誉提名")
        verbose_name_plural = _("荣誉提名")
        ordering = ["honor", "cycle", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employee__isnull=False, team__isnull=True)
                | models.Q(employee__isnull=True, team__isnull=False),
                name="nomination_person_or_team",
            ),
            models.UniqueConstraint(
                fields=["honor", "cycle", "employee"],
                condition=models.Q(employee__isnull=False),
                name="one_nomination_per_person",
            ),
            models.UniqueConstraint(
                fields=["honor", "cycle", "team"],
                condition=models.Q(team__isnull=False),
                name="one_nomination_per_team",
            ),
        ]

    def __str__(self):
        return f"{self.nominee} · {self.honor} {self.cycle}"

    @property
    def nominee(self) -> str:
        return self.employee.name if self.employee_id else str(self.team)


class NominationStep(models.Model):
    """One step of a nomination: who moved it from which state to which, when and why. Never edited."""

    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="steps")
    actor = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        ordering = ["nomination", "pk"]


class HonorNotice(models.Model):
    """The 公示 of an honor's approved nominations for a cycle: N working days from the day it is opened
    (rungs.core.notice); objections pause it."""

    honor = models.ForeignKey(Honor, models.PROTECT, related_name="notices")
    cycle = models.CharField(_("周期"), max_length=10)
    opened_on = models.DateField(_("公示开始"))
    working_days = models.PositiveIntegerField(_("公示工作日"))
    ends_on = models.DateField(_("公示结束"), null=True, blank=True)  # None while an objection is open
    provisional = models.BooleanField(_("结束日期待定"), default=False)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("荣誉公示")
        verbose_name_plural = _("荣誉公示")
        ordering = ["-opened_on", "-pk"]

    def __str__(self):
        return f"{self.honor} {self.cycle} 公示"


class HonorObjection(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open", _("处理中")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    notice = models.ForeignKey(HonorNotice, models.CASCADE, related_name="objections")
    nomination = models.ForeignKey(Nomination, models.CASCADE, related_name="objections")
    # None when filed anonymously: then nothing here or in the audit entry names who filed it
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("异议内容"))
    received_on = models.DateField(_("收到日期"))
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome, default=Outcome.OPEN)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    decision = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("荣誉公示异议")
        verbose_name_plural = _("荣誉公示异议")

    def __str__(self):
        return f"异议 · {self.nomination}"


class Award(models.Model):
    """An honor awarded: the certificate's number, and the `award` event it wrote for a person."""

    nomination = models.OneToOneField(Nomination, models.PROTECT, related_name="award")
    honor = models.ForeignKey(Honor, models.PROTECT, related_name="awards")
    cycle = models.CharField(_("周期"), max_length=10)
    employee = models.ForeignKey(Employee, models.PROTECT, null=True, blank=True, related_name="awards")
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="awards")
    awarded_on = models.DateField(_("授予日期"))
    awarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    number = models.CharField(_("证书编号"), max_length=30, unique=True)  # 〔2026〕荣字001号, by year
    # the title's name as awarded: the certificate says what was awarded, even after the title is renamed
    honor_name = models.CharField(_("荣誉名称（授予时）"), max_length=100, blank=True)
    # None once revoked: the event is removed with the revocation (services.honor_revoke)
    event = models.OneToOneField(Event, models.PROTECT, null=True, blank=True, related_name="+")
    # A revoked award stays (its certificate number is never given again), off the board and with no
    # certificate to download.
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("荣誉授予")
        verbose_name_plural = _("荣誉授予")
        ordering = ["-awarded_on", "pk"]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def title(self) -> str:
        return self.honor_name or self.honor.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None


class Recognition(models.Model):
    """A thank-you for something specific (及时认可), from a user to a colleague; it is also the colleague's
    `commendation_internal` event (ref `recognition`), so an honor's criteria can count it."""

    giver = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Employee, models.PROTECT, related_name="recognitions")
    text = models.TextField(_("感谢的事"))
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    event = models.OneToOneField(Event, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("感谢")
        verbose_name_plural = _("感谢")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["giver", "on"])]

    def __str__(self):
        return f"感谢 {self.receiver.name} {self.on}"
