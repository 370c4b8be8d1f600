"""Writing the audit trail. Services call `record` inside their own transaction, so the change and its
entry are committed together or not at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, models
from django.utils import timezone

from rungs.audit.models import AuditEntry

SYSTEM = "system"  # the actor of command-line and scheduled work that no signed-in user started
ANONYMOUS = "anonymous"  # an anonymous submission (rungs.voice): no actor, and only the day


def actor_name(actor) -> str:
    return actor.get_username() if actor is not None else SYSTEM


def record(
    actor,
    action: str,
    target: models.Model | tuple[str, str, str],
    *,
    employee_id: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
    anonymous_on: dt.date | None = None,
) -> AuditEntry:
    """One entry: who (a user, or None for the system), did what (an authority action), to what (a model
    instance, or (type, id, label) for something that is not one row), about whom, before → after, why.

    `anonymous_on` writes the entry of an anonymous submission: no actor at all, and the time coarsened to
    the start of that day, so the trail cannot be set beside anything timed to find who it was."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    if isinstance(target, models.Model):
        kind, key, label = target._meta.model_name, str(target.pk or ""), str(target)
    else:
        kind, key, label = target
    when = {}
    if anonymous_on is not None:
        actor = None
        when = {"at": timezone.make_aware(dt.datetime.combine(anonymous_on, dt.time.min))}
    return AuditEntry.objects.create(
        **when,
        actor_id=getattr(actor, "pk", None),
        actor=ANONYMOUS if anonymous_on is not None else actor_name(actor),
        action=action,
        target_type=kind,
        target_id=key,
        target=label[:300],
        employee_id=employee_id,
        before=before,
        after=after,
        reason=reason,
    )
