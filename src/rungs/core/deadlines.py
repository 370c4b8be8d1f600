"""Step deadlines of a promotion round, counted in Chinese working days (procedure.deadlines).

A stage entered on day D with a deadline of N working days is due on the N-th working day after D, on the
calendar given (the company's: holidays off, 调休 make-up days on). Where the count runs through a year whose
holidays are not announced, Monday to Friday are assumed and the due date is *provisional* until that year
is imported. A step is *due soon* from the day when no more than `remind_before` working days are left
before its due date (the due day itself included: 0 left), and *overdue* from the day after its due date.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from rungs.core.notice import Deadline, Working, notice_end

# The stages a deadline may be set for, in the order a candidacy meets them: code → (zh, en). Each is a
# step that waits on someone; the round's services say when it begins (docs/policy-language.md).
STAGES: dict[str, tuple[str, str]] = {
    "application": ("申请与推荐", "applications and nominations"),  # the round's, from its opening
    "review": ("资格审查", "qualification review"),
    "assessment": ("考核", "assessment"),
    "committee": ("评审", "committee decision"),
    "notice": ("发布公示", "posting the notice"),
    "objection": ("异议处理", "deciding an objection"),
    "approval": ("审批", "approval (each step)"),
    "appointment": ("任命", "appointment"),
}

Urgency = Literal["soon", "overdue"]


def due_date(entered: dt.date, working_days: int, calendar: Working) -> Deadline:
    """The day a stage entered on `entered` with `working_days` (≥ 1) is due, and whether that is
    provisional. Entered on a Thursday with 3 working days, it is due on the next Tuesday."""
    if working_days < 1:
        raise ValueError("a deadline is at least 1 working day")
    # a step's N working days come after the day it is entered (docs/policy-language.md), unlike a 公示,
    # whose posting day is its day 1: so the count starts the day after
    end = notice_end(entered + dt.timedelta(days=1), working_days, (), calendar)
    assert end is not None  # no pauses: the count always ends
    return end


def days_left(today: dt.date, due: dt.date, calendar: Working) -> int:
    """Working days after `today` up to and including `due` (0 on the due day; negative is not used:
    past the due day the step is overdue)."""
    day, left = today, 0
    while day < due:
        day += dt.timedelta(days=1)
        left += calendar(day)[0]
    return left


def urgency(today: dt.date, due: dt.date, remind_before: int, calendar: Working) -> Urgency | None:
    """ "overdue" after the due day; "soon" when at most `remind_before` working days are left; else None."""
    if today > due:
        return "overdue"
    return "soon" if days_left(today, due, calendar) <= remind_before else None
