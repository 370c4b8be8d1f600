"""Writing the audit trail. Services call `record` inside their own transaction, so the change and its
entry are committed together or not at all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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


# Entries some readers of the trail do not see: action → who may read them. An app above this one says so
# where it defines the action (rungs.voice: the entries that name who claimed a suggestion's reward are read
# by those who read the claims). The trail page, its export and the admin all ask `hidden_actions`.
_READERS: dict[str, Callable[[Any], bool]] = {}


def restrict(action: str, may_read: Callable[[Any], bool]) -> None:
    """Shows the entries of `action` only to the users for whom `may_read(user)` is true."""
    _READERS[action] = may_read


def hidden_actions(user) -> list[str]:
    """The actions whose entries `user` does not read."""
    return sorted(action for action, may_read in _READERS.items() if not may_read(user))
