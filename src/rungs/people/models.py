"""The organisation: departments, teams, employees, their level history and the posts per level (编制).

Fields mirror the interchange format (INTERCHANGE.md) so a data set loads without translation.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    name = models.CharField(_("部门"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    code = models.CharField(_("班组"), max_length=100, unique=True)
    department = models.ForeignKey(Department, models.PROTECT, related_name="teams", verbose_name=_("部门"))

    class Meta:
        verbose_name = _("班组")
        verbose_name_plural = _("班组")
        ordering = ["code"]

    def __str__(self):
        return self.code


class Employee(models.Model):
    class Status(models.TextChoices):
        PROBATION = "probation", _("试用")
        REGULAR = "regular", _("正式")
        LEFT = "left", _("离职")

    class Education(models.TextChoices):
        MIDDLE_SCHOOL = "middle_school", _("初中")
        HIGH_SCHOOL = "high_school", _("高中")
        SECONDARY_VOCATIONAL = "secondary_vocational", _("中专")
        ASSOCIATE = "associate", _("大专")
        BACHELOR = "bachelor", _("本科")
        MASTER = "master", _("硕士")
        DOCTORATE = "doctorate", _("博士")

    employee_id = models.CharField(_("工号"), max_length=50, unique=True)
    name = models.CharField(_("姓名"), max_length=100)
    hire_date = models.DateField(_("入职日期"))
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, verbose_name=_("部门"))
    team = models.ForeignKey(
        Team, models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("班组")
    )
    education = models.CharField(_("学历"), max_length=30, choices=Education, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.REGULAR)
    regularized_on = models.DateField(_("转正日期"), null=True, blank=True)
    manager = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("上级")
    )
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    attributes = models.JSONField(_("其他属性"), default=dict, blank=True)

    class Meta:
        verbose_name = _("员工")
        verbose_name_plural = _("员工")
        ordering = ["employee_id"]

    def __str__(self):
        return f"{self.name}（{self.employee_id}）"

    def current_assignments(self):
        return self.assignments.filter(end_date__isnull=True).exclude(kind=Assignment.Kind.ACTING)


class Assignment(models.Model):
    """One period at one level on one track; the open non-acting row is the current level."""

    class Kind(models.TextChoices):
        HIRE = "hire", _("入职")
        INITIAL = "initial", _("初评定级")
        PROMOTION = "promotion", _("晋升")
        DEMOTION = "demotion", _("降级")
        TRANSFER = "transfer", _("调岗")
        ACTING = "acting", _("代理")

    employee = models.ForeignKey(Employee, models.CASCADE, related_name="assignments")
    track = models.CharField(_("通道"), max_length=50)
    level = models.CharField(_("职级"), max_length=50)
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind, default=Kind.PROMOTION)
    department = models.CharField(_("任职部门"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("任职记录")
        verbose_name_plural = _("任职记录")
        ordering = ["employee", "track", "start_date"]
        indexes = [models.Index(fields=["track", "level"])]


class Position(models.Model):
    """Posts available at a level (编制), optionally per track, team or department."""

    level = models.CharField(_("职级"), max_length=50)
    headcount = models.PositiveIntegerField(_("编制人数"))
    track = models.CharField(_("通道"), max_length=50, blank=True)
    team = models.CharField(_("班组"), max_length=100, blank=True)
    department = models.CharField(_("部门"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("编制")
        verbose_name_plural = _("编制")

    def __str__(self):
        where = " / ".join(x for x in (self.track, self.department, self.team) if x)
        return f"{self.level}{f'（{where}）' if where else ''} × {self.headcount}"
