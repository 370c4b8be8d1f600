"""The audit trail: one append-only row per change of state, written by the service that made the change.

Nothing here points at another table with a foreign key: an entry must outlive the user, the person and
the object it names, and deleting any of those must never need to touch (update or delete) the trail.
So the actor, the target and the person are stored as they were at the time, as plain values.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry from Python (the database refuses too)."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AppendOnly("audit entries cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be changed")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor_id = models.IntegerField(_("操作人编号"), null=True, blank=True)  # no FK, see the module doc
    actor = models.CharField(_("操作人"), max_length=150)  # username, or "system" for the command line
    action = models.CharField(
        _("操作"), max_length=64, db_index=True
    )  # an authority action, e.g. policy.create
    target_type = models.CharField(_("对象类型"), max_length=50)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target = models.CharField(_("对象"), max_length=300, blank=True)  # as it was called then
    employee_id = models.CharField(_("员工工号"), max_length=64, blank=True, db_index=True)  # whom
    before = models.JSONField(_("修改前"), null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("修改后"), null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("原因"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["actor", "at"]), models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")
