"""Announcing a step to the group robots of its scope, and telling the people a step concerns in their
inbox (站内通知); both after the step's transaction commits (a step that is rolled back tells nobody)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from rungs.accounts.authority import check
from rungs.audit.trail import record
from rungs.notify.models import Message, Robot

Note = tuple[int, str, str, str]  # the employee's pk, the text in Chinese, in English, the link


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


def in_both(build: Callable[[], str]) -> tuple[str, str]:
    """The text `build` makes, in Chinese and in English (it calls gettext): a message is stored once and
    read in whichever language its reader's page is in."""
    with translation.override("zh-hans"):
        zh = build()
    with translation.override("en"):
        en = build()
    return zh, en


def accounts_of(employees) -> set[int]:
    """The pks of the employees (a queryset of pks, or a list) who have an active account: the only ones
    an inbox message can reach, so the only ones worth wording one for."""
    users = get_user_model().objects.filter(is_active=True, employee_id__in=employees)
    return set(users.values_list("employee_id", flat=True))


def tell(kind: str, notes: Iterable[Note]) -> None:
    """Writes each note to the inbox of every active account of its employee once the current transaction
    commits. The step's own audit entry says what happened; the message is only its news."""
    notes = list(notes)
    if not notes:
        return

    def write():
        users: dict[int, list[int]] = defaultdict(list)
        wanted = {n[0] for n in notes}
        for pk, emp in (
            get_user_model()
            .objects.filter(is_active=True, employee_id__in=wanted)
            .values_list("pk", "employee_id")
        ):
            users[emp].append(pk)
        Message.objects.bulk_create(
            Message(recipient_id=u, kind=kind, text=zh, text_en=en, url=url)
            for emp, zh, en, url in notes
            for u in users.get(emp, [])
        )

    transaction.on_commit(write)


def unread(user, limit: int = 20) -> list[Message]:
    if not user.is_authenticated:
        return []
    return list(Message.objects.filter(recipient=user, read_at__isnull=True)[:limit])


@transaction.atomic
def messages_read(*, user) -> int:
    """Marks the user's unread messages read; how many."""
    check(user, "inbox.read")
    n = Message.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if n:
        record(user, "inbox.read", ("inbox", str(user.pk), user.get_username()), after={"read": n})
    return n
