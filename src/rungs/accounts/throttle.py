"""Sign-in throttling: after LOGIN_FAILURES_ALLOWED failures for one username (or from one address) within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused for the rest of the window — the right password
included, so guessing gains nothing by persisting. A successful sign-in clears the username's failures."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from rungs.accounts.models import LoginFailure


def address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:64]


def _recent(username: str, addr: str):
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    return LoginFailure.objects.filter(Q(username=username) | Q(address=addr), at__gte=since)


def locked_for(username: str, addr: str) -> int:
    """Minutes until a sign-in may be tried again, or 0 when it may be tried now."""
    limit = settings.LOGIN_FAILURES_ALLOWED
    recent = _recent(username, addr)
    groups = [recent.filter(username=username)] + ([recent.filter(address=addr)] if addr else [])
    # Locked while `limit` failures lie within the window: until the limit-th most recent one leaves it.
    ends = [
        qs.order_by("-at")[limit - 1].at + dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
        for qs in groups
        if qs.count() >= limit
    ]
    if not ends:
        return 0
    return max(1, int((max(ends) - timezone.now()).total_seconds() // 60) + 1)


def failed(username: str, addr: str) -> None:
    LoginFailure.objects.create(username=username[:150], address=addr)
    # Old rows are of no use to the throttle; keep the table small.
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def succeeded(username: str) -> None:
    LoginFailure.objects.filter(username=username).delete()
