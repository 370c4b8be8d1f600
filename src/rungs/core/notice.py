"""The 公示 clock: when a public notice of N working days ends, with objections pausing it.

The notice counts from its posting day (公示期自发布之日起计算, SEEDS.md `notice-workflow`): on the Chinese
statutory calendar (weekends off, holidays off, 调休 make-up days on), the posting day is day 1 when it is a
working day, otherwise the first working day after it is, and the notice closes at the end of day N. Posted
on Monday for 5 working days, it ends on Friday; posted on Saturday, it counts from Monday. An objection
received on day F stops the clock from F; when it is dismissed on day R the count resumes on the first working
day after R, so the days F..R do not count and the end moves later by as many working days as the pause
covered. While an objection is still open there is no end. A notice of 0 working days ends the day it opens.

Beyond the years whose holidays the State Council has announced, we count Monday to Friday and call the end
*provisional*: it is recomputed when the year's calendar becomes known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from rungs.core.calendar import working

# (is a working day, whether that is only assumed): rungs.core.calendar.working, or a company's own
# calendar table over it (rungs.records.calendar)
Working = Callable[[dt.date], tuple[bool, bool]]

Pause = tuple[dt.date, dt.date | None]  # (received, decided); decided None while the objection is open
_LIMIT_DAYS = 3 * 366  # no notice runs for years; a runaway loop would be a bug, not a long notice


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    provisional: bool = False  # counted through a year whose holidays are not announced yet


def _paused(day: dt.date, pauses: Sequence[Pause]) -> bool:
    return any(start <= day and (end is None or day <= end) for start, end in pauses)


def _counted(
    opened_on: dt.date, pauses: Sequence[Pause], calendar: Working
) -> Iterator[tuple[dt.date, bool]]:
    """The days that count towards the notice, in order from the posting day itself, each with whether
    its being a working day is only assumed."""
    day = opened_on
    for _ in range(_LIMIT_DAYS):
        work, guessed = calendar(day)
        if work and not _paused(day, pauses):
            yield day, guessed
        day += dt.timedelta(days=1)
    raise ValueError("the notice does not end within three years")


def notice_end(
    opened_on: dt.date, working_days: int, pauses: Sequence[Pause] = (), calendar: Working = working
) -> Deadline | None:
    """The last day of the notice (it closes at that day's end), or None while an objection is open (the
    clock is stopped). Posted on Monday 1 June 2026 for 5 working days, it ends on Friday 5 June."""
    if working_days < 0:
        raise ValueError("a notice runs for 0 or more working days")
    if any(end is None for _, end in pauses):
        return None
    if working_days == 0:
        return Deadline(opened_on)
    assumed = False
    for n, (day, guessed) in enumerate(_counted(opened_on, pauses, calendar), start=1):
        assumed = assumed or guessed
        if n == working_days:
            return Deadline(day, assumed)
    raise AssertionError("unreachable: _counted ends by raising")


def working_days_left(
    opened_on: dt.date,
    working_days: int,
    today: dt.date,
    pauses: Sequence[Pause] = (),
    calendar: Working = working,
) -> int:
    """Working days of the notice still to run after `today` (today, if it counts, is spent: 0 on the last
    day and after it). Posted on Monday for 5 working days, 4 are left that evening."""
    counted, day = 0, opened_on
    while day <= today and counted < working_days:
        work, _guessed = calendar(day)
        counted += work and not _paused(day, pauses)
        day += dt.timedelta(days=1)
    return working_days - counted
