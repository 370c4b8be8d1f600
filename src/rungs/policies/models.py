"""Policies as stored, versioned and effective-dated; evaluation runs and the decisions they produced.

A run records who evaluated, when, on which date and under which policy version, so "why was she not
eligible in June?" is answered by the run of June, not by today's data.
"""

from __future__ import annotations

import datetime as dt
import functools
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.audit import clock
from rungs.core.policy.errors import PolicyError
from rungs.core.policy.model import Policy as ParsedPolicy
from rungs.core.policy.parse import parse_policy
from rungs.people.models import Employee


@functools.lru_cache(maxsize=64)
def _parsed(text: str, filename: str) -> ParsedPolicy:
    """One parse per stored text in the process: a parsed policy is immutable, and a page that reads many
    rows with their policy (a round's candidacies) would otherwise parse it once per row."""
    return parse_policy(text, filename)


class Policy(models.Model):
    scheme = models.CharField(_("制度编号"), max_length=100)  # the policy file's `id`
    version = models.CharField(_("版本"), max_length=50)
    effective_from = models.DateField(_("生效日期"))
    label = models.CharField(_("名称"), max_length=200)
    text = models.TextField(_("策略文件"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # A version of a policy whose procedure names a rules_owner is a draft until that role approves it;
    # only approved versions are ever in force.
    approved = models.BooleanField(_("已批准"), default=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    # A department manager's version governs their department only (None: the whole company).
    department = models.ForeignKey(
        "people.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用部门"),
    )

    class Meta:
        verbose_name = _("晋升策略")
        verbose_name_plural = _("晋升策略")
        constraints = [models.UniqueConstraint(fields=["scheme", "version"], name="one_policy_version")]
        ordering = ["scheme", "-effective_from"]

    def __str__(self):
        return f"{self.label} {self.version}"

    @cached_property
    def parsed(self) -> ParsedPolicy:
        return _parsed(self.text, f"{self.scheme}@{self.version}.yaml")

    @classmethod
    def from_text(cls, text: str, filename: str = "policy.yaml", user=None) -> Policy:
        """A new, unsaved version from a policy file; PolicyError (with line and column) if it is invalid."""
        parsed = parse_policy(text, filename)
        return cls(
            scheme=parsed.id,
            version=parsed.version,
            effective_from=parsed.effective_from or clock.today(),
            label=parsed.label.zh,
            text=text,
            uploaded_by=user,
        )

    def clean(self):
        try:
            parsed = parse_policy(self.text, f"{self.scheme or 'policy'}.yaml")
        except PolicyError as exc:
            raise ValidationError({"text": str(exc)}) from exc
        if self.scheme and parsed.id != self.scheme:
            raise ValidationError({"text": f"the file's id is {parsed.id!r}, expected {self.scheme!r}"})

    @classmethod
    def in_force(cls, on: dt.date, scheme: str | None = None, department=None) -> Policy | None:
        """The version in force on a date: the latest effective_from on or before it (of the scheme, or of
        the most recently uploaded scheme when none is named). For a department, its own versions (a
        department manager's) come before the company's; otherwise only the company's count."""
        if department is not None:
            own = cls.objects.filter(department=department)
            found = cls.in_force_among(own, on, scheme)
            if found is not None:
                return found
        return cls.in_force_among(cls.objects.filter(department__isnull=True), on, scheme)

    @staticmethod
    def in_force_among(qs, on: dt.date, scheme: str | None) -> Policy | None:
        qs = qs.filter(approved=True)  # a draft awaiting its owner's approval is never in force
        all_of = qs
        qs = qs.filter(effective_from__lte=on)
        if scheme is None:
            latest = all_of.order_by("-uploaded_at", "-pk").first()
            if latest is None:
                return None
            scheme = latest.scheme
        return qs.filter(scheme=scheme).order_by("-effective_from", "-uploaded_at", "-pk").first()


STALE_MONTHS = 2  # data ending this many months before the evaluation date get a warning


class EvaluationRun(models.Model):
    policy = models.ForeignKey(Policy, models.PROTECT, related_name="runs", verbose_name=_("策略版本"))
    as_of = models.DateField(_("评估日期"))
    created_at = models.DateTimeField(_("运行时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("运行人"),
    )
    employees = models.PositiveIntegerField(_("人数"), default=0)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    # Whose results it holds: a department manager's run keeps only their department's (None: everyone).
    department = models.ForeignKey(
        "people.Department", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("范围")
    )
    # Shown on the board and progress pages: the version in force on as_of, and someone covered. A run of
    # another version needs a reason and is kept for reference only (see policies.selectors.current_run).
    official = models.BooleanField(_("正式结果"), default=True)
    override_reason = models.TextField(_("使用非生效版本的原因"), blank=True)
    data_through = models.DateField(_("数据截至"), null=True, blank=True)  # the latest fact on file

    class Meta:
        verbose_name = _("资格评估")
        verbose_name_plural = _("资格评估")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["official", "-as_of", "-created_at"], name="current_runs")]

    def __str__(self):
        return f"{self.policy} @ {self.as_of}"

    @property
    def data_lag_days(self) -> int | None:
        """Days from the latest fact on file to the evaluation date (how old the data were then)."""
        if self.data_through is None:
            return None
        return max((self.as_of - self.data_through).days - 1, 0)

    @property
    def stale(self) -> bool:
        """The data end more than STALE_MONTHS months before the evaluation date: recent scores and events
        have probably not been imported, and the results are likely out of date."""
        from rungs.core.periods import add_months

        return self.data_through is not None and add_months(self.data_through, STALE_MONTHS) < self.as_of


class Decision(models.Model):
    """One result of a run: one employee, one rule (promotion to the next level, a demotion rule, …)."""

    run = models.ForeignKey(EvaluationRun, models.CASCADE, related_name="decisions")
    employee = models.ForeignKey(Employee, models.CASCADE, related_name="decisions")
    rule = models.CharField(_("规则"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30)
    track = models.CharField(_("通道"), max_length=50, blank=True)
    from_level = models.CharField(_("当前职级"), max_length=50, blank=True)
    to_level = models.CharField(_("目标职级"), max_length=50, blank=True)
    eligible = models.BooleanField(_("符合"))
    passed = models.PositiveSmallIntegerField(_("已满足条件数"))
    total = models.PositiveSmallIntegerField(_("条件总数"))
    criteria = models.JSONField(_("条件明细"))
    # For a promotion not yet met: months until its time-based criteria within reach are met (see
    # rungs.core.engine.soon), so "eligible soon" is a query, not a scan of every criteria list.
    soon_months = models.PositiveSmallIntegerField(_("时间条件还差(月)"), null=True, blank=True)

    class Meta:
        verbose_name = _("评估结果")
        verbose_name_plural = _("评估结果")
        # Both cover what the board and the team view count over a whole run: kind for the board's join
        # of each person's promotion steps, the numbers for the team view's 接近符合 (read from the index).
        indexes = [
            models.Index(
                fields=["run", "kind", "eligible", "passed", "total", "soon_months"], name="decision_status"
            ),
            models.Index(fields=["run", "employee", "kind"], name="decision_person"),
            models.Index(fields=["run", "rule"], name="decision_rule"),  # the board of one step
        ]
