"""The 公示 clock, worked by hand from SEEDS.md `notice-workflow`: the notice counts from its posting day (the
posting day is day 1 when it is a working day, otherwise the first working day after it is) and closes at the
end of day N; an open objection stops the count, which resumes on the first working day after the objection is
dismissed. The calendar is the State Council's 2026 arrangement as chinese_calendar 1.11 gives it: 端午 Fri
19 June, 中秋 Fri 25 – Sun 27 September off, National Day Thu 1 – Wed 7 October off, make-up working days
Sunday 20 September and Saturday 10 October. 2027 is taken as not yet announced (`until_2026`)."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.calendar import working
from rungs.core.notice import Deadline, notice_end, working_days_left

D = dt.date


def until_2026(day: dt.date) -> tuple[bool, bool]:
    """The package's calendar with every year after 2026 unannounced: weekdays assumed working."""
    return working(day) if day.year <= 2026 else (day.weekday() < 5, True)


def test_posted_on_a_monday_the_posting_day_is_day_one():
    # Mon 1 Jun (1), Tue 2 (2), Wed 3 (3), Thu 4 (4), Fri 5 (5): closes at the end of Friday
    assert notice_end(D(2026, 6, 1), 5) == Deadline(D(2026, 6, 5))


def test_posted_on_a_saturday_it_counts_from_the_monday():
    # Sat 6 Jun and Sun 7 are not working days: Mon 8 (1), Tue 9, Wed 10, Thu 11, Fri 12 (5)
    assert notice_end(D(2026, 6, 6), 5) == Deadline(D(2026, 6, 12))
    assert notice_end(D(2026, 6, 7), 5) == Deadline(D(2026, 6, 12))


def test_posted_on_a_make_up_sunday_that_sunday_is_day_one():
    # Sun 20 Sep 2026 is a 调休 working day: Sun 20 (1), Mon 21 (2), Tue 22 (3), Wed 23 (4), Thu 24 (5)
    assert working(D(2026, 9, 20)) == (True, False)
    assert notice_end(D(2026, 9, 20), 5) == Deadline(D(2026, 9, 24))


def test_five_working_days_skip_mid_autumn():
    # Wed 23 Sep (1), Thu 24 (2), Fri 25 – Sun 27 中秋 off, Mon 28 (3), Tue 29 (4), Wed 30 (5)
    assert notice_end(D(2026, 9, 23), 5) == Deadline(D(2026, 9, 30))


def test_across_national_day_with_the_make_up_saturday():
    # posted Mon 28 Sep: 28 (1), 29 (2), 30 (3), 1–7 Oct off, Thu 8 (4), Fri 9 (5)
    assert notice_end(D(2026, 9, 28), 5) == Deadline(D(2026, 10, 9))
    # posted Thu 1 Oct, a holiday: the first working day is Thu 8 (1), Fri 9 (2), Sat 10 调休上班 (3),
    # Sun 11 off, Mon 12 (4), Tue 13 (5)
    assert working(D(2026, 10, 10)) == (True, False) and working(D(2026, 10, 11)) == (False, False)
    assert notice_end(D(2026, 10, 1), 5) == Deadline(D(2026, 10, 13))


def test_an_objection_pauses_the_clock_for_the_days_it_is_open():
    # posted Wed 23 Sep; received Mon 28, dismissed Tue 29: those two working days do not count, so the
    # notice runs 23 (1), 24 (2), resumes Wed 30 (3), then Thu 8 Oct (4), Fri 9 Oct (5)
    assert notice_end(D(2026, 9, 23), 5, [(D(2026, 9, 28), D(2026, 9, 29))]) == Deadline(D(2026, 10, 9))


def test_an_objection_on_the_posting_day_takes_that_day_out():
    # posted Mon 28 Sep, an objection received and dismissed the same day: Tue 29 (1), Wed 30 (2),
    # Thu 8 Oct (3), Fri 9 (4), the make-up Saturday 10 Oct (5)
    assert notice_end(D(2026, 9, 28), 5, [(D(2026, 9, 28), D(2026, 9, 28))]) == Deadline(D(2026, 10, 10))


def test_an_objection_decided_over_a_holiday_costs_no_extra_working_day():
    # posted Mon 28 Sep, received Fri 2 Oct and dismissed Mon 5 Oct, all holidays: it resumes on Thu 8, the
    # first working day after the dismissal, and ends as without it: 28, 29, 30, 8 (4), 9 (5)
    assert notice_end(D(2026, 9, 28), 5, [(D(2026, 10, 2), D(2026, 10, 5))]) == Deadline(D(2026, 10, 9))


def test_an_open_objection_stops_the_clock():
    assert notice_end(D(2026, 9, 23), 5, [(D(2026, 9, 28), None)]) is None


def test_a_notice_running_into_an_unannounced_year_is_provisional():
    # posted Tue 29 Dec: 29 (1), 30 (2), 31 (3); 2027 taken as unknown: Fri 1 Jan assumed working (4),
    # Mon 4 (5)
    assert notice_end(D(2026, 12, 29), 5, calendar=until_2026) == Deadline(D(2027, 1, 4), provisional=True)
    # posted Mon 28 Dec: 28, 29, 30, 31 (4), Fri 1 Jan assumed (5): still provisional
    assert notice_end(D(2026, 12, 28), 5, calendar=until_2026) == Deadline(D(2027, 1, 1), provisional=True)
    # posted Thu 24 Dec: 24, 25, 28, 29, 30 (5): all in 2026, firm
    assert notice_end(D(2026, 12, 24), 5, calendar=until_2026) == Deadline(D(2026, 12, 30))


def test_days_left_count_down_from_the_posting_day_and_pause():
    # posted Wed 23 Sep for 5 (ends Wed 30): the evening before, all 5 are left
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 22)) == 5
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 23)) == 4  # 23 spent
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 26)) == 3  # 23, 24; 25–26 off
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 29)) == 1  # 23, 24, 28, 29
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 30)) == 0
    # an objection open since Mon 28: only 23 and 24 have counted
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 29), [(D(2026, 9, 28), None)]) == 3
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 10, 20)) == 0


@pytest.mark.parametrize(
    "opened, pauses",
    [(D(2026, 9, 23), []), (D(2026, 9, 26), []), (D(2026, 9, 28), [(D(2026, 9, 29), D(2026, 10, 8))])],
)
def test_nothing_is_left_exactly_from_the_last_day_on(opened, pauses):
    end = notice_end(opened, 5, pauses)
    assert end is not None
    day = opened - dt.timedelta(days=1)
    while day <= D(2026, 10, 31):
        assert (working_days_left(opened, 5, day, pauses) == 0) == (day >= end.day), day
        day += dt.timedelta(days=1)


def test_a_zero_day_notice_ends_when_opened_and_a_negative_one_is_refused():
    assert notice_end(D(2026, 9, 23), 0) == Deadline(D(2026, 9, 23))
    assert notice_end(D(2026, 9, 26), 0) == Deadline(D(2026, 9, 26))  # a Saturday: still the day it opens
    assert working_days_left(D(2026, 9, 23), 0, D(2026, 9, 23)) == 0
    with pytest.raises(ValueError):
        notice_end(D(2026, 9, 23), -1)
