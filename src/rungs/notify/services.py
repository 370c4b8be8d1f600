"""Announcing a step to the group robots of its scope, after the step's transaction commits (a step that
is rolled back announces nothing)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from rungs.notify.models import Robot


def announce(text: str, department=None) -> None:
    """Queues `text` for every active robot of the company and of `department`."""
    robots = Robot.objects.filter(active=True)
    robots = (
        robots.filter(Q(department__isnull=True) | Q(department=department))
        if department
        else robots.filter(department__isnull=True)
    )
    ids = list(robots.values_list("pk", flat=True))
    if not ids:
        return

    def queue():
        from rungs.notify.tasks import send

        for pk in ids:
            send.enqueue(pk, text)

    transaction.on_commit(queue)
