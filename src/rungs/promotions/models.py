"""A promotion round and the candidacies in it: who is up for which level, at which stage, and every step
they took. Rows change only through rungs.promotions.services; each change is also in the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.people.models import Department, Employee
from rungs.policies.models import EvaluationRun, Policy


class Round(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("定期晋升")
        VACANCY = "vacancy", _("岗位空缺")
        POSTING = "posting", _("内部竞聘")
        INITIAL = "initial", _("初评定级")

    policy = models.ForeignKey(Policy, models.PROTECT, related_name="rounds", verbose_name=_("策略版本"))
    run = models.ForeignKey(
        EvaluationRun,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        verbose_name=_("依据的评估"),
    )
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind, default=Kind.REGULAR)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, verbose_name=_("部门"), help_text=_("空 = 全公司")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    # procedure.deadlines.application: applications and nominations close on this day (None = no deadline)
    applications_due = models.DateField(_("申请截止"), null=True, blank=True)
    applications_provisional = models.BooleanField(_("申请截止日期待定"), default=False)

    class Meta:
        verbose_name = _("晋升评审轮次")
        verbose_name_plural = _("晋升评审轮次")
        ordering = ["-opened_at"]

    def __str__(self):
        return self.name


class Post(models.Model):
    """A post the round fills: its level, how many, where, and what it asks."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="posts")
    track = models.CharField(_("通道"), max_length=50)
    level = models.CharField(_("职级"), max_length=50)
    number = models.PositiveIntegerField(_("人数"))
    team = models.CharField(_("班组"), max_length=100, blank=True)
    requirements = models.TextField(_("任职要求"), blank=True)
    description = models.TextField(_("岗位职责"), blank=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")


class Candidacy(models.Model):
    class State(models.TextChoices):
        CANDIDATE = "candidate", _("待资格审查")
        QUALIFIED = "qualified", _("资格审查通过")
        RECOMMENDED = "recommended", _("评审委员会通过")
        REJECTED = "rejected", _("未通过资格审查")
        NOTICE = "notice", _("公示中")
        REMOVED = "removed", _("因异议成立退出")
        APPROVED = "approved", _("已审批")
        APPOINTED = "appointed", _("已任命（考察期）")
        FORMAL = "formal", _("考察期满，正式任职")
        REVERTED = "reverted", _("考察未通过，恢复原岗")

    class Route(models.TextChoices):
        APPLIED = "applied", _("本人申请")
        NOMINATED = "nominated", _("上级推荐")
        EXCEPTION = "exception", _("破格推荐")  # not eligible: enters by the policy's skip_level path

    round = models.ForeignKey(Round, models.CASCADE, related_name="candidacies")
    employee = models.ForeignKey(Employee, models.PROTECT, related_name="candidacies")
    track = models.CharField(_("通道"), max_length=50)
    from_level = models.CharField(_("原职级"), max_length=50)
    to_level = models.CharField(_("拟任职级"), max_length=50)
    route = models.CharField(_("来源"), max_length=20, choices=Route)
    state = models.CharField(_("阶段"), max_length=20, choices=State, default=State.CANDIDATE)
    statement = models.TextField(_("申请/推荐理由"), blank=True)  # the form's 自我评价 / 推荐理由
    explanation = models.JSONField(_("资格条件明细"), default=list)  # the engine's criteria, frozen on entry
    approvals = models.JSONField(
        _("审批记录"), default=list
    )  # [{"by": username, "as": role code, "at": iso}]
    effective = models.DateField(_("任职生效日期"), null=True, blank=True)
    appointed_on = models.DateField(_("任命日期"), null=True, blank=True)
    term_ends = models.DateField(
        _("任期届满"), null=True, blank=True
    )  # procedure.term_years after taking force
    appointment_no = models.CharField(_("任命文号"), max_length=30, blank=True)  # 〔2026〕001号, by year
    assessment = models.JSONField(_("考核成绩"), default=dict)  # {"笔试": "86", "面试": "90"}: as entered
    # the appointment's pay effect as the rewards run of its month will record it (rewards.core pay
    # changes): {"from", "to", "to_min", "to_max", "effective", "explanation_zh", …}; {} = none
    pay = models.JSONField(_("薪资变动"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)  # bumped by every transition: two approvers, one wins
    # the step it waits in and when that step is due (procedure.deadlines; rungs.promotions.deadlines):
    # set on every transition, counted again when the calendar changes; due_on None = no deadline
    due_stage = models.CharField(_("待办环节"), max_length=20, blank=True)  # a code of core.deadlines.STAGES
    due_step = models.PositiveSmallIntegerField(_("审批步骤"), default=0)  # the approval chain's step
    due_from = models.DateField(_("环节开始"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    due_provisional = models.BooleanField(_("期限待定"), default=False)  # counted through an unannounced year

    class Meta:
        verbose_name = _("晋升候选")
        verbose_name_plural = _("晋升候选")
        ordering = ["round", "employee__employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "employee", "track"], name="one_candidacy_per_track"),
            models.UniqueConstraint(
                fields=["appointment_no"], condition=~models.Q(appointment_no=""), name="one_appointment_no"
            ),
        ]

    def __str__(self):
        return f"{self.employee} {self.from_level}→{self.to_level}"


class Transition(models.Model):
    """One step of a candidacy: who moved it from which stage to which, when and why. Never edited."""

    candidacy = models.ForeignKey(Candidacy, models.CASCADE, related_name="transitions")
    actor = models.CharField(_("操作人"), max_length=150)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    from_state = models.CharField(_("原阶段"), max_length=20)
    to_state = models.CharField(_("新阶段"), max_length=20)
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        verbose_name = _("阶段记录")
        verbose_name_plural = _("阶段记录")
        ordering = ["candidacy", "pk"]


class Notice(models.Model):
    """The round's 公示: opened on a day for the policy's N working days; objections pause it."""

    round = models.OneToOneField(Round, models.CASCADE, related_name="notice")
    opened_on = models.DateField(_("公示开始"))
    working_days = models.PositiveIntegerField(_("公示工作日"))
    ends_on = models.DateField(_("公示结束"), null=True, blank=True)  # None while an objection is open
    provisional = models.BooleanField(_("结束日期待定"), default=False)  # counted through an unannounced year

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")


class Objection(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "open", _("处理中")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="objections")
    candidacy = models.ForeignKey(Candidacy, models.CASCADE, related_name="objections")
    # None when filed anonymously: then nothing here or in the audit entry names who filed it
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("异议内容"))
    received_on = models.DateField(_("收到日期"))
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome, default=Outcome.OPEN)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)
    decision = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")


class Committee(models.Model):
    """The evaluation committee's decision (评审委员会) for a round: who sat, who chaired, the minutes, and
    the votes per candidacy. Recorded once, by whoever keeps the minutes; never edited."""

    round = models.OneToOneField(Round, models.CASCADE, related_name="committee")
    members = models.JSONField(_("委员"), default=list)  # names as written in the minutes
    chair = models.CharField(_("主任委员"), max_length=100)
    minutes = models.TextField(_("会议纪要"))
    met_on = models.DateField(_("会议日期"))
    votes = models.JSONField(_("表决"), default=dict)  # {candidacy pk: {"for": n, "against": n}}
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("评审委员会决议")
        verbose_name_plural = _("评审委员会决议")


class Reminder(models.Model):
    """One reminder of a step due soon or overdue, sent once to the people who must act on it (their
    inbox) and to the group robots: the unique constraint keeps a second run of send_reminders silent."""

    class Kind(models.TextChoices):
        SOON = "soon", _("即将到期")
        OVERDUE = "overdue", _("已逾期")

    candidacy = models.ForeignKey(Candidacy, models.CASCADE, related_name="reminders")
    stage = models.CharField(_("环节"), max_length=20)
    step = models.PositiveSmallIntegerField(_("审批步骤"), default=0)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind)
    due_on = models.DateField(_("办理期限"))
    sent_on = models.DateField(_("提醒日期"))
    text = models.TextField(_("内容"))
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="round_reminders")

    class Meta:
        verbose_name = _("办理提醒")
        verbose_name_plural = _("办理提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["candidacy", "stage", "step", "kind"], name="one_reminder_per_step_and_kind"
            )
        ]

    @property
    def round_id(self) -> int:
        return self.candidacy.round_id


class RoundReminder(models.Model):
    """A reminder of the round's own step (procedure.deadlines.application: applications and nominations
    close on the round's applications_due), sent once before they close to whoever opened the round (or
    HR) and to the group robots; the unique constraint keeps a second run of send_reminders silent."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="reminders")
    stage = models.CharField(_("环节"), max_length=20, default="application")
    kind = models.CharField(_("类型"), max_length=10, choices=Reminder.Kind)
    due_on = models.DateField(_("办理期限"))
    sent_on = models.DateField(_("提醒日期"))
    text = models.TextField(_("内容"))
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="round_stage_reminders")

    class Meta:
        verbose_name = _("评审环节提醒")
        verbose_name_plural = _("评审环节提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "stage", "kind"], name="one_round_reminder_per_stage_and_kind"
            )
        ]
