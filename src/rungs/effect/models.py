"""A study of whether a reward plan paid off, computed by the worker when the company is too large to
compute it within a request (rungs.people.size), and kept so the page shows it without computing again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rungs.core.effect import EffectReport, report_from_text
from rungs.policies.models import Policy


class EffectStudy(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="effect_studies")
    plan = models.CharField(_("奖励方案"), max_length=100)
    since = models.CharField(_("生效月份"), max_length=7)  # YYYY-MM
    window = models.PositiveSmallIntegerField(_("前后月数"))
    # Whose records were compared: "company", or "department:<pk>" for a department manager's own.
    scope = models.CharField(max_length=40)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(blank=True)  # rungs.core.effect.report_to_text
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["policy", "plan", "since", "window", "scope", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.policy} · {self.plan} · {self.since}"

    @property
    def done(self) -> bool:
        return self.finished_at is not None

    @property
    def result(self) -> EffectReport | None:
        return report_from_text(self.report) if self.report else None
