"""Chinese working days: statutory holidays and weekend make-up working days (调休).

The holiday tables come from the maintained `chinese_calendar` package, which covers the years the State
Council has announced; outside them we cannot know the holidays, so we say so instead of guessing.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar


class CalendarUnknown(ValueError):
    """The date lies outside the years whose holidays have been announced."""


def is_workday(day: dt.date) -> bool:
    """True on a working day: a weekday that is not a holiday, or a make-up Saturday/Sunday."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise CalendarUnknown(f"法定节假日安排未知 / holidays of {day.year} are not known yet") from None


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date on which a period of n working days that begins after `start` ends.

    A public notice posted on a Friday for 5 working days ends on the next Friday (weekends do not count;
    a make-up working Saturday does)."""
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`."""
    return sum(is_workday(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))
