"""The 公示 clock: when a public notice of N working days ends, with objections pausing it.

A notice opened (posted) on day D runs over the N working days after D on the Chinese statutory calendar
(weekends off, holidays off, 调休 make-up days on). An objection received on day F pauses the clock from F;
when it is decided on day R the clock resumes on the day after R, so the days F..R do not count and the end
moves later by as many working days as the pause covered. While an objection is still open there is no end.

Beyond the years whose holidays the State Council has announced, we count Monday to Friday and call the end
*provisional*: it is recomputed when the year's calendar becomes known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
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


def notice_end(
    opened_on: dt.date, working_days: int, pauses: Sequence[Pause] = (), calendar: Working = working
) -> Deadline | None:
    """The last day of the notice, or None while an objection is open (the clock is stopped). A notice of
    0 working days ends the day it is opened."""
    if working_days < 0:
        raise ValueError("a notice runs for 0 or more working days")
    if any(end is None for _, end in pauses):
        return None
    day, left, assumed = opened_on, working_days, False
    for _ in range(_LIMIT_DAYS):
        if left == 0:
            return Deadline(day, assumed)
        day += dt.timedelta(days=1)
        work, guessed = calendar(day)
        if work and not _paused(day, pauses):
            left -= 1
            assumed = assumed or guessed
    raise ValueError("the notice does not end within three years")


def working_days_left(
    opened_on: dt.date,
    working_days: int,
    today: dt.date,
    pauses: Sequence[Pause] = (),
    calendar: Working = working,
) -> int:
    """Working days of the notice still to run after `today` (0 once it has ended)."""
    counted = 0
    day = opened_on
    while day < today and counted < working_days:
        day += dt.timedelta(days=1)
        work, _ = calendar(day)
        if work and not _paused(day, pauses):
            counted += 1
    return working_days - counted
