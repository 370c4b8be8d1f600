"""The one "today" of promotion rounds: the day the services take a step on and count its due date from,
the day the pages, the inbox and the reminders count what is due soon or overdue from. One definition, so
a round's due dates and its pages agree, and a test (or a demo) sets the clock in one place:
`monkeypatch.setattr(clock, "today", lambda: day)`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The local date now (settings.TIME_ZONE)."""
    return timezone.localdate()
