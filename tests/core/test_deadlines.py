"""Step deadlines counted by hand on the State Council's 2026 arrangement as chinese_calendar 1.11 gives it:
中秋 Fri 25 – Sun 27 September off, National Day Thu 1 – Wed 7 October off, make-up working days Sunday
20 September and Saturday 10 October. 2027 is taken as not yet announced (`until_2026`), whether or not a
later release of the package knows it."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.calendar import with_table, working
from rungs.core.deadlines import days_left, due_date, urgency
from rungs.core.notice import Deadline

D = dt.date


def until_2026(day: dt.date) -> tuple[bool, bool]:
    """The package's calendar with every year after 2026 unannounced: weekdays assumed working."""
    return working(day) if day.year <= 2026 else (day.weekday() < 5, True)


def test_three_working_days_from_the_thursday_before_mid_autumn_and_national_day():
    # entered Thu 24 Sep: Fri 25 – Sun 27 中秋 off, Mon 28 (1), Tue 29 (2), Wed 30 (3)
    assert due_date(D(2026, 9, 24), 3, working) == Deadline(D(2026, 9, 30))


def test_the_make_up_saturday_counts_as_a_working_day():
    # entered Wed 30 Sep: 1–7 Oct off, Thu 8 (1), Fri 9 (2), Sat 10 调休上班 (3)
    assert due_date(D(2026, 9, 30), 3, working) == Deadline(D(2026, 10, 10))


def test_a_deadline_running_into_an_unannounced_year_is_provisional_until_the_year_is_known():
    # entered Wed 30 Dec 2026: Thu 31 (1); 2027 unknown, Fri 1 Jan assumed working (2), Mon 4 (3)
    assert due_date(D(2026, 12, 30), 3, until_2026) == Deadline(D(2027, 1, 4), provisional=True)
    # 2027 imported with 1 January a holiday: Thu 31 (1), Mon 4 (2), Tue 5 (3), firm
    known = with_table({D(2027, 1, 1): False}, {2027})
    assert due_date(D(2026, 12, 30), 3, known) == Deadline(D(2027, 1, 5))


def test_a_deadline_within_announced_days_is_not_provisional_though_the_year_after_is_unknown():
    assert due_date(D(2026, 12, 28), 3, until_2026) == Deadline(D(2026, 12, 31))  # Tue, Wed, Thu


def test_a_deadline_is_at_least_one_working_day():
    with pytest.raises(ValueError):
        due_date(D(2026, 9, 24), 0, working)


def test_days_left_and_urgency_count_working_days_only():
    due = D(2026, 9, 30)  # Wednesday
    # on Thu 24 Sep: Mon 28, Tue 29, Wed 30 left — the 中秋 days do not count
    assert days_left(D(2026, 9, 24), due, working) == 3
    assert urgency(D(2026, 9, 24), due, 1, working) is None
    assert urgency(D(2026, 9, 28), due, 1, working) is None  # Tue 29, Wed 30: 2 left
    assert urgency(D(2026, 9, 29), due, 1, working) == "soon"  # 1 left
    assert urgency(D(2026, 9, 30), due, 1, working) == "soon"  # the due day itself
    assert urgency(D(2026, 9, 30), due, 0, working) == "soon"
    assert urgency(D(2026, 9, 29), due, 0, working) is None
    assert urgency(D(2026, 10, 1), due, 1, working) == "overdue"  # a holiday, but past the due day


def test_a_reminder_one_working_day_before_reaches_back_over_the_holiday():
    # due Thu 8 Oct: on Wed 30 Sep only 8 Oct is left (1–7 Oct are off), so the reminder goes before the break
    assert days_left(D(2026, 9, 30), D(2026, 10, 8), working) == 1
    assert urgency(D(2026, 9, 30), D(2026, 10, 8), 1, working) == "soon"
