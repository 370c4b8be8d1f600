"""Talent: the reserve pools of key posts (储备领导者, 人才储备库) with their members' readiness, 9-box and
successor order, and each employee's career file — the career development plans (员工职业发展规划表) and the
career talks. Rows change only through rungs.talent.services; each change is also in the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.people.models import Department, Employee
from rungs.policies.models import Decision, EvaluationRun, Policy
from rungs.records.models import Event


class Readiness(models.TextChoices):
    READY_NOW = "ready_now", _("现在可任")
    ONE_TWO_YEARS = "one_two_years", _("1–2年内可任")
    LATER = "later", _("2年以上")


class Band(models.TextChoices):
    """One axis of the 9-box (九宫格): performance or potential."""

    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class ReservePool(models.Model):
    """The reserve pool of a key post: a `reserve` rule of a policy (the post's track and level, who may
    enter), for one department or — department empty — company-wide (HR's reserve talent file)."""

    policy = models.ForeignKey(Policy, models.PROTECT, related_name="+", verbose_name=_("策略版本"))
    rule = models.CharField(_("储备规则"), max_length=100)
    label = models.CharField(_("名称"), max_length=300)
    track = models.CharField(_("通道"), max_length=50)
    level = models.CharField(_("关键岗位职级"), max_length=50)
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, verbose_name=_("部门"), help_text=_("空 = 全公司")
    )
    run = models.ForeignKey(
        EvaluationRun, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("依据的评估")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)
    refreshed_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("储备人才库")
        verbose_name_plural = _("储备人才库")
        ordering = ["track", "level", "department__name", "pk"]
        # one pool per rule and department, and one company-wide (department empty): two partial indexes,
        # which SQLite and PostgreSQL both keep (nulls_distinct is PostgreSQL's only)
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "rule", "department"],
                condition=models.Q(department__isnull=False),
                name="one_pool_per_rule_and_department",
            ),
            models.UniqueConstraint(
                fields=["policy", "rule"],
                condition=models.Q(department__isnull=True),
                name="one_company_pool_per_rule",
            ),
        ]

    def __str__(self):
        return self.label


class PoolMember(models.Model):
    """Someone the pool's rule admitted in a run. `qualifies` follows the latest refresh (a member who no
    longer meets the criteria stays on file, marked); `readiness` is the computed one unless HR overrode it
    with a reason; `successor` orders the post's successors (1 first, empty = not named)."""

    pool = models.ForeignKey(ReservePool, models.CASCADE, related_name="members")
    employee = models.ForeignKey(Employee, models.CASCADE, related_name="reserve_memberships")
    from_level = models.CharField(_("当前职级"), max_length=50)
    decision = models.ForeignKey(Decision, models.SET_NULL, null=True, blank=True, related_name="+")
    qualifies = models.BooleanField(_("符合入库条件"), default=True)
    computed = models.CharField(_("计算的准备度"), max_length=20, choices=Readiness)
    override = models.CharField(_("调整后的准备度"), max_length=20, choices=Readiness, blank=True)
    override_reason = models.TextField(_("调整原因"), blank=True)
    successor = models.PositiveSmallIntegerField(_("接班顺序"), null=True, blank=True)
    performance = models.CharField(_("绩效"), max_length=10, choices=Band, blank=True)
    potential = models.CharField(_("潜力"), max_length=10, choices=Band, blank=True)
    joined_on = models.DateField(_("入库日期"))

    class Meta:
        verbose_name = _("储备人选")
        verbose_name_plural = _("储备人选")
        ordering = ["pool", "-qualifies", "successor", "employee__employee_id"]
        constraints = [models.UniqueConstraint(fields=["pool", "employee"], name="one_membership_per_pool")]

    def __str__(self):
        return f"{self.pool} · {self.employee}"

    @property
    def readiness(self) -> str:
        return self.override or self.computed

    def get_readiness_display(self) -> str:
        return str(Readiness(self.readiness).label)


class Calibration(models.Model):
    """A 9-box placement decided at a calibration meeting: who, when, the meeting note. Never edited; the
    member keeps the latest placement."""

    member = models.ForeignKey(PoolMember, models.CASCADE, related_name="calibrations")
    performance = models.CharField(_("绩效"), max_length=10, choices=Band)
    potential = models.CharField(_("潜力"), max_length=10, choices=Band)
    met_on = models.DateField(_("校准会日期"))
    note = models.TextField(_("会议记录"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        ordering = ["member", "-met_on", "-pk"]


# The annex of zhangshang-game (附件一：员工职业发展规划表): its choices, in the form's order.
NEEDS = (
    ("flexible_hours", _("弹性的工作时间")),
    ("manager", _("成为管理者")),
    ("pay", _("报酬")),
    ("independence", _("独立")),
    ("stability", _("稳定")),
    ("leisure", _("休闲")),
    ("family", _("和家人在一起的时间")),
    ("challenge", _("挑战")),
    ("expert", _("成为专家")),
    ("creation", _("创造")),
)
CAREER_TRACKS = (
    ("management", _("管理")),
    ("technical", _("技术")),
    ("sales", _("销售营销")),
    ("finance", _("财会")),
    ("administration", _("行政事务")),
    ("support", _("工勤")),
)
SKILL_KINDS = (
    ("technical", _("技术技能")),
    ("interpersonal", _("人际沟通能力")),
    ("analytical", _("分析能力")),
    ("emotional", _("情绪控制能力")),
)


class CareerPlan(models.Model):
    """One 员工职业发展规划表 as filed, with the annex's fields; `target_level` is the post hoped for
    (个人职业发展规划中所希望任职的职位), which the reserve rules read as the `career_plan` event's ref."""

    employee = models.ForeignKey(Employee, models.PROTECT, related_name="career_plans")
    filled_on = models.DateField(_("填表日期"))
    filled_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    age = models.PositiveSmallIntegerField(_("年龄"), null=True, blank=True)
    department = models.CharField(_("公司（部门）"), max_length=100, blank=True)
    post = models.CharField(_("岗位名称"), max_length=100, blank=True)
    education = models.CharField(_("最高学历"), max_length=30, blank=True)
    graduated = models.CharField(_("毕业时间"), max_length=7, blank=True)  # YYYY-MM
    school = models.CharField(_("毕业学校"), max_length=100, blank=True)
    trainings = models.JSONField(_("参加过的培训"), default=list)  # up to 8 lines
    skills = models.JSONField(_("目前具备的技能/能力"), default=list)  # [{kind, note}]
    history = models.JSONField(_("其他公司/部门工作经历"), default=list)  # up to 4 rows
    needs = models.JSONField(_("最重要的三种需要"), default=list)  # 3 codes of NEEDS
    specialty = models.TextField(_("自己的专长"), blank=True)
    interest = models.TextField(_("对目前工作是否感兴趣及原因"), blank=True)
    career_track = models.CharField(_("希望选择的晋升通道"), max_length=20, choices=CAREER_TRACKS)
    track_reason = models.TextField(_("晋升通道说明"), blank=True)
    target_track = models.CharField(_("希望任职的职位（通道）"), max_length=50, blank=True)
    target_level = models.CharField(_("希望任职的职位"), max_length=50, blank=True)
    short_term = models.TextField(_("短期设想（1–3年）"))
    medium_term = models.TextField(_("中期设想（3–5年）"), blank=True)
    long_term = models.TextField(_("长期设想（5年以上）"), blank=True)
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("员工职业发展规划表")
        verbose_name_plural = _("员工职业发展规划表")
        ordering = ["employee", "-filled_on", "-pk"]


class CareerTalk(models.Model):
    """A career talk (职业发展面谈): within 3 months of joining a department, at year end after the
    appraisals, or another; the mentor is the department's supervisor (who changes on a transfer)."""

    class Kind(models.TextChoices):
        JOINING = "joining", _("入部门面谈")
        YEAR_END = "year_end", _("年终面谈")
        OTHER = "other", _("其他面谈")

    employee = models.ForeignKey(Employee, models.PROTECT, related_name="career_talks")
    held_on = models.DateField(_("面谈日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind, default=Kind.JOINING)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("辅导人")
    )
    notes = models.TextField(_("面谈记录"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    event = models.ForeignKey(Event, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("职业发展面谈")
        verbose_name_plural = _("职业发展面谈")
        ordering = ["employee", "-held_on", "-pk"]


class PlanReview(models.Model):
    """The training group's yearly review of a 员工职业发展规划表 (培训组每年对规划表进行审查): the training
    and promotion opportunities the employee was given, their appraisal results, and the next steps
    proposed. One review per plan and year; never edited (a correction is the next year's review)."""

    plan = models.ForeignKey(CareerPlan, models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("审查年度"))
    reviewed_on = models.DateField(_("审查日期"))
    trainings_given = models.TextField(_("提供的培训机会"), blank=True)
    promotions_given = models.TextField(_("提供的晋升机会"), blank=True)
    appraisal_results = models.TextField(_("考核结果"), blank=True)
    next_steps = models.TextField(_("下一步建议"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("审查人")
    )

    class Meta:
        verbose_name = _("规划表年度审查")
        verbose_name_plural = _("规划表年度审查")
        ordering = ["plan", "-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="one_review_per_plan_and_year")]

    def __str__(self):
        return f"{self.plan.employee} · {self.year}"
