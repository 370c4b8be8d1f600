"""A level change closes the current post the day before the new one starts, and says so in the trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from rungs.audit.models import AuditEntry
from rungs.people.models import Assignment, Department, Employee
from rungs.records.assignments import LevelChangeRefused, level_change, level_revert


def person() -> Employee:
    dept = Department.objects.create(name="客服一部")
    e = Employee.objects.create(employee_id="A1", name="王一", hire_date=dt.date(2024, 1, 1), department=dept)
    Assignment.objects.create(
        employee=e,
        track="service",
        level="S1",
        start_date=dt.date(2024, 1, 1),
        kind="hire",
        department="客服一部",
    )
    return e


@pytest.mark.django_db
def test_a_promotion_closes_the_old_post_and_opens_the_new_one():
    e = person()
    with transaction.atomic():
        level_change(
            employee=e,
            track="service",
            level="S2",
            effective=dt.date(2026, 1, 1),
            kind="promotion",
            actor=None,
            action="round.appoint",
            reason="2025 年度晋升",
        )
    rows = list(
        e.assignments.order_by("start_date").values_list("level", "start_date", "end_date", "department")
    )
    assert rows == [
        ("S1", dt.date(2024, 1, 1), dt.date(2025, 12, 31), "客服一部"),
        ("S2", dt.date(2026, 1, 1), None, "客服一部"),
    ]
    entry = AuditEntry.objects.get(action="round.appoint")
    assert (entry.employee_id, entry.before["level"], entry.after["level"]) == ("A1", "S1", "S2")


@pytest.mark.django_db
def test_a_change_dated_before_the_current_post_is_refused_and_changes_nothing():
    e = person()
    with pytest.raises(LevelChangeRefused), transaction.atomic():
        level_change(
            employee=e,
            track="service",
            level="S2",
            effective=dt.date(2024, 1, 1),
            kind="promotion",
            actor=None,
            action="round.appoint",
        )
    assert e.assignments.count() == 1 and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_reverting_after_an_observation_returns_to_the_previous_level():
    e = person()
    with transaction.atomic():
        level_change(
            employee=e,
            track="service",
            level="S2",
            effective=dt.date(2026, 1, 1),
            kind="promotion",
            actor=None,
            action="round.appoint",
        )
        level_revert(
            employee=e, track="service", effective=dt.date(2026, 4, 1), actor=None, action="round.revert"
        )
    current = e.current_assignments().get()
    assert (current.level, current.start_date, current.kind) == ("S1", dt.date(2026, 4, 1), "demotion")
    assert e.assignments.count() == 3


@pytest.mark.django_db
def test_an_acting_post_runs_beside_the_substantive_one():
    e = person()
    with transaction.atomic():
        level_change(
            employee=e,
            track="service",
            level="S3",
            effective=dt.date(2026, 2, 1),
            kind="acting",
            actor=None,
            action="case.acting",
        )
    assert e.current_assignments().get().level == "S1"
    assert e.assignments.filter(kind="acting", end_date__isnull=True).get().level == "S3"
