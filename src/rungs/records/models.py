"""Performance records of the interchange format: appraisals, KPI values and dated events."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from rungs.people.models import Employee


class Recorded(models.Model):
    """Who entered a fact by hand and when. Imported rows have no `recorded_by` (an import is recorded as
    such), and their `recorded_at` is the time of the import that wrote them."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    recorded_at = models.DateTimeField(_("录入时间"), db_default=Now())

    class Meta:
        abstract = True


class Evaluation(Recorded):
    """One appraisal result for a month (M), quarter (Q), half year (H) or year (Y)."""

    employee = models.ForeignKey(Employee, models.CASCADE, related_name="evaluations")
    period = models.CharField(_("考核期"), max_length=10)  # as written: 2026-03, 2026-Q1, 2026-H1, 2026
    period_kind = models.CharField(max_length=1)
    seq = models.IntegerField()  # ordinal within the kind, see rungs.core.interchange.dataset
    score = models.FloatField(_("得分"), null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=20, blank=True)
    coefficient = models.FloatField(_("绩效系数"), null=True, blank=True)
    rank = models.IntegerField(_("排名"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        constraints = [
            models.UniqueConstraint(fields=["employee", "period"], name="one_evaluation_per_period")
        ]
        ordering = ["employee", "period_kind", "seq"]
        # The company's monthly mean score (team view): read from the index alone, not the table.
        indexes = [models.Index(fields=["period_kind", "seq", "score"], name="evaluation_trend")]


class Metric(models.Model):
    """One KPI value for one period, long format (csat, tickets, amount, …)."""

    employee = models.ForeignKey(Employee, models.CASCADE, related_name="metrics")
    period = models.CharField(_("周期"), max_length=10)
    period_kind = models.CharField(max_length=1)
    seq = models.IntegerField()
    metric = models.CharField(_("指标"), max_length=50)
    value = models.FloatField(_("数值"))

    class Meta:
        verbose_name = _("KPI 指标")
        verbose_name_plural = _("KPI 指标")
        constraints = [
            models.UniqueConstraint(fields=["employee", "period", "metric"], name="one_metric_value")
        ]
        indexes = [
            # A KPI's values by period for everyone (team view trend), read from the index alone.
            models.Index(fields=["metric", "period_kind", "seq", "value"], name="metric_trend"),
            # One person's or one team's series of a KPI (progress page, team trend).
            models.Index(fields=["employee", "metric", "period_kind", "seq"], name="metric_series"),
        ]


class Event(Recorded):
    """A dated fact: penalty, offset, complaint, commendation, exam, leave, attestation, …"""

    employee = models.ForeignKey(Employee, models.CASCADE, related_name="events")
    date = models.DateField(_("日期"))
    type = models.CharField(_("类型"), max_length=50)
    value = models.FloatField(_("数值"), null=True, blank=True)
    ref = models.CharField(_("关联"), max_length=100, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["employee", "date"]
        indexes = [models.Index(fields=["type", "date"])]


class CalendarYear(models.Model):
    """A year whose working days the company's calendar table holds in full (seeded from the package or
    imported when the State Council announces it): its days not in the table are plain weekdays/weekends."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=200)  # 国务院办公厅通知, the package, a file name

    class Meta:
        verbose_name = _("工作日历年份")
        verbose_name_plural = _("工作日历年份")
        ordering = ["year"]


class CalendarDay(models.Model):
    """A day that differs from Monday–Friday (a holiday on a weekday, a make-up working weekend), or an
    admin's correction of the package's calendar."""

    date = models.DateField(_("日期"), unique=True)
    workday = models.BooleanField(_("上班"))
    name = models.CharField(_("名称"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]
