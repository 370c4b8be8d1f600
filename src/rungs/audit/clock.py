"""The one "today" of the web product: the day every service takes a step on and counts a due date from,
and the day every page, the inbox and the reminders count what is due soon or overdue from — rounds, cases,
honors, talent, rewards, the voice pages, entry forms and the audit trail's anonymous entries alike. One
definition, so the due dates and the pages agree, and a test (or a demo) sets the clock in one place:
`monkeypatch.setattr(clock, "today", lambda: day)`.

It lives in the lowest app (tests/core/test_layering.py) so that every app may import it. The core
(rungs.core) never asks: it takes its dates as arguments."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The local date now (settings.TIME_ZONE)."""
    return timezone.localdate()
