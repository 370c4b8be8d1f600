"""Chinese working days: statutory holidays and weekend make-up working days (调休).

The holiday tables come from the maintained `chinese_calendar` package, which covers the years the State
Council has announced; outside them we cannot know the holidays, so we say so instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping

import chinese_calendar

# the package names its holidays in English
HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class CalendarUnknown(ValueError):
    """The date lies outside the years whose holidays have been announced."""


def is_workday(day: dt.date) -> bool:
    """True on a working day: a weekday that is not a holiday, or a make-up Saturday/Sunday."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        raise CalendarUnknown(f"法定节假日安排未知 / holidays of {day.year} are not known yet") from None


def working(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, whether that is only assumed): beyond the announced years, Monday to Friday are
    assumed to be working days, and the caller marks what it computed from that as provisional."""
    try:
        return is_workday(day), False
    except CalendarUnknown:
        return day.weekday() < 5, True


def with_table(
    days: Mapping[dt.date, bool], years: Collection[int]
) -> Callable[[dt.date], tuple[bool, bool]]:
    """A company's calendar over the package's: a day in `days` is what the table says (an admin's
    correction, or an imported year); a year in `years` is announced in the table, so its other days are
    plain weekdays and weekends; any other day is the package's."""

    def work(day: dt.date) -> tuple[bool, bool]:
        if day in days:
            return days[day], False
        if day.year in years:
            return day.weekday() < 5, False
        return working(day)

    return work


def package_exceptions(year: int) -> list[tuple[dt.date, bool, str]]:
    """The package's days of `year` that differ from Monday–Friday (holidays on weekdays, make-up working
    weekends), with their names: what seeds the calendar table. Empty for a year it does not know."""
    out = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        try:
            work = bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            return []
        if work != (day.weekday() < 5):
            _holiday, name = chinese_calendar.get_holiday_detail(day)
            zh = HOLIDAY_ZH.get(str(name), str(name or ""))
            out.append((day, work, f"{zh}调休上班" if work else zh or "休息"))
        day += dt.timedelta(days=1)
    return out


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date on which a period of n working days that begins after `start` ends: from a Friday, 5
    working days end on the next Friday (weekends do not count; a make-up working Saturday does). Not the
    公示 clock, whose posting day is its day 1: see rungs.core.notice."""
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`."""
    return sum(is_workday(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))
