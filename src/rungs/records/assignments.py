"""A change of level on a track, written to the assignment history: the one place that closes the current
post and opens the next one. Promotion appointments, demotion decisions, acting posts and reversions after a
考察期 all come here, from services that have already checked their own action in the authority table; this
writes the change and its audit entry inside their transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from rungs.audit.trail import record
from rungs.core.policy.model import Policy
from rungs.core.rewards.pay import move_pay_change
from rungs.people.models import Assignment, Employee
from rungs.records.services import serialise_fact_writes


class LevelChangeRefused(Exception):
    """The change contradicts the history (it starts before the current post did)."""


def _current(employee: Employee, track: str, *, acting: bool):
    rows = Assignment.objects.select_for_update().filter(
        employee=employee, track=track, end_date__isnull=True
    )
    rows = rows.filter(kind=Assignment.Kind.ACTING) if acting else rows.exclude(kind=Assignment.Kind.ACTING)
    return rows.order_by("-start_date").first()


def _values(a: Assignment | None) -> dict | None:
    if a is None:
        return None
    return {
        "track": a.track,
        "level": a.level,
        "start_date": a.start_date,
        "kind": a.kind,
        "department": a.department,
    }


def level_change(
    *,
    employee: Employee,
    track: str,
    level: str,
    effective: dt.date,
    kind: str,
    actor,
    action: str,
    target=None,
    reason: str = "",
    department: str = "",
) -> Assignment:
    """Closes the employee's open post on the track the day before `effective` and opens `level` from it.

    An acting post (代理) runs beside the substantive one, so it closes only the open acting row. `action` is
    the caller's action code (e.g. "round.appoint"), recorded with the cause `target` (the case or round)."""
    if kind not in Assignment.Kind.values:
        raise ValueError(f"unknown assignment kind {kind!r}")
    with transaction.atomic():
        # behind an import that is committing: it plans its assignment rows from what is stored
        serialise_fact_writes()
        Employee.objects.select_for_update().filter(
            pk=employee.pk
        ).first()  # one change of a person at a time
        acting = kind == Assignment.Kind.ACTING
        old = _current(employee, track, acting=acting)
        if old is not None:
            if effective <= old.start_date:
                raise LevelChangeRefused(
                    _("%(name)s 的现任职级从 %(start)s 开始，新的任职日期须在其后。")
                    % {"name": employee.name, "start": old.start_date.isoformat()}
                )
            before = _values(old)
            old.end_date = effective - dt.timedelta(days=1)
            old.save(update_fields=["end_date"])
        else:
            before = None
        new = Assignment.objects.create(
            employee=employee,
            track=track,
            level=level,
            start_date=effective,
            kind=kind,
            department=department or (old.department if old is not None else ""),
        )
        record(
            actor,
            action,
            target if target is not None else new,
            employee_id=employee.employee_id,
            before=before,
            after=_values(new),
            reason=reason,
        )
        return new


def level_revert(
    *, employee: Employee, track: str, effective: dt.date, actor, action: str, target=None, reason: str = ""
):
    """Back to the post held before the current one (a 考察期 not passed): a new row at the previous level,
    so the history shows both the appointment and the reversion."""
    with transaction.atomic():
        rows = list(
            Assignment.objects.filter(employee=employee, track=track)
            .exclude(kind=Assignment.Kind.ACTING)
            .order_by("-start_date")[:2]
        )
        if len(rows) < 2 or rows[0].end_date is not None:
            raise LevelChangeRefused(_("%(name)s 没有可以恢复的原职级。") % {"name": employee.name})
        previous = rows[1]
        return level_change(
            employee=employee,
            track=track,
            level=previous.level,
            effective=effective,
            kind=Assignment.Kind.DEMOTION,
            actor=actor,
            action=action,
            target=target,
            reason=reason,
            department=previous.department,
        )


def acting_end(
    *, employee: Employee, track: str, effective: dt.date, actor, action: str, target=None, reason: str = ""
):
    """Ends the open acting post (代理) on the track the day before `effective`: converted into the post, or
    the acting simply over. Nothing to end is refused."""
    with transaction.atomic():
        row = _current(employee, track, acting=True)
        if row is None:
            raise LevelChangeRefused(_("%(name)s 目前没有代理的职务。") % {"name": employee.name})
        if effective <= row.start_date:
            raise LevelChangeRefused(
                _("代理从 %(start)s 开始，结束日期须在其后。") % {"start": row.start_date.isoformat()}
            )
        before = _values(row)
        row.end_date = effective - dt.timedelta(days=1)
        row.save(update_fields=["end_date"])
        record(
            actor,
            action,
            target if target is not None else row,
            employee_id=employee.employee_id,
            before=before,
            after={**(before or {}), "end_date": row.end_date},
            reason=reason,
        )
        return row


def pay_effect(
    policy: Policy, employee: Employee, *, track: str, from_level: str, to_level: str, kind: str, effective
) -> dict:
    """The pay change a decided move implies under the policy (its rule's `pay:` on the person's base_pay),
    the very one the rewards run of the effective month records; {} when the rule has no pay effect."""
    base = (employee.attributes or {}).get("base_pay")
    change = move_pay_change(
        policy,
        employee_id=employee.employee_id,
        base_pay=None if base in (None, "") else str(base),
        track=track,
        from_level=from_level,
        to_level=to_level,
        kind=kind,
        effective=effective,
    )
    return change or {}
