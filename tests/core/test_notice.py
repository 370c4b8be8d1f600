"""The 公示 clock, worked by hand on the State Council's 2026 arrangement: 中秋 Friday 25 September, National
Day 1–7 October, make-up working days Sunday 20 September and Saturday 10 October."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.notice import Deadline, notice_end, working_days_left

D = dt.date


def test_five_working_days_skip_mid_autumn_and_national_day():
    # opened Wed 23 Sep: Thu 24 (1), Fri 25 中秋 off, weekend off, Mon 28 (2), Tue 29 (3), Wed 30 (4),
    # 1–7 Oct off, Thu 8 Oct (5)
    assert notice_end(D(2026, 9, 23), 5) == Deadline(D(2026, 10, 8))


def test_an_objection_pauses_the_clock_for_the_days_it_is_open():
    # received Mon 28, dismissed Tue 29: those two working days do not count, so the notice runs
    # 24 (1), 30 (2), 8 Oct (3), 9 Oct (4) and the make-up Saturday 10 Oct (5)
    assert notice_end(D(2026, 9, 23), 5, [(D(2026, 9, 28), D(2026, 9, 29))]) == Deadline(D(2026, 10, 10))


def test_an_objection_decided_over_a_holiday_costs_no_extra_working_day():
    # received and decided within the National Day holiday: nothing that counted is lost
    assert notice_end(D(2026, 9, 23), 5, [(D(2026, 10, 2), D(2026, 10, 5))]) == Deadline(D(2026, 10, 8))


def test_an_open_objection_stops_the_clock():
    assert notice_end(D(2026, 9, 23), 5, [(D(2026, 9, 28), None)]) is None


def test_a_notice_running_into_an_unannounced_year_is_provisional():
    # Tue 29 (1), Wed 30 (2), Thu 31 (3); 2027 is not announced: Fri 1 Jan assumed working (4), Mon 4 (5)
    assert notice_end(D(2026, 12, 28), 5) == Deadline(D(2027, 1, 4), provisional=True)


def test_days_left_count_down_and_pause():
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 23)) == 5
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 29)) == 2  # 24, 28, 29 counted
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 9, 29), [(D(2026, 9, 28), None)]) == 4
    assert working_days_left(D(2026, 9, 23), 5, D(2026, 10, 20)) == 0


def test_a_zero_day_notice_ends_when_opened_and_a_negative_one_is_refused():
    assert notice_end(D(2026, 9, 23), 0) == Deadline(D(2026, 9, 23))
    with pytest.raises(ValueError):
        notice_end(D(2026, 9, 23), -1)
