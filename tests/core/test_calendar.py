"""Working days follow the State Council's holiday arrangements, make-up working days included."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.calendar import CalendarUnknown, add_working_days, is_workday, working_days_between

D = dt.date


def test_it_counts_plain_weekdays_and_skips_the_weekend():
    # Fri 2025-03-07 + 5 working days: Mon 10 … Fri 14
    assert add_working_days(D(2025, 3, 7), 5) == D(2025, 3, 14)


def test_it_skips_the_national_day_holiday():
    # 2025: 10-01 … 10-08 are holidays (国庆+中秋); Sun 09-28 and Sat 10-11 are make-up working days.
    assert not is_workday(D(2025, 10, 3))
    assert is_workday(D(2025, 9, 28))  # a Sunday that is a working day
    # From Tue 09-30: the working days after it are 10-09 (Thu), 10-10 (Fri), 10-11 (Sat, make-up), 10-13, 10-14
    assert add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)


def test_it_counts_working_days_between_dates():
    # after Fri 2025-03-07 up to Fri 03-14: Mon–Fri = 5
    assert working_days_between(D(2025, 3, 7), D(2025, 3, 14)) == 5


def test_it_refuses_to_guess_unknown_years():
    with pytest.raises(CalendarUnknown):
        is_workday(D(2099, 1, 5))
