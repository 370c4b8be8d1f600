"""One definition of "the start of the current level" and of "rank in the team", used by the engine and
the pages alike (they disagreed: a gap in the level history; people who left counted in a team rank)."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.board.progress import _team_ranks, level_starts
from rungs.core.engine.context import build_context
from rungs.core.periods import month_seq
from rungs.datasets.frames import dataset_from_db
from rungs.people.models import Assignment, Department, Employee, Team
from rungs.records.models import Evaluation

AS_OF = dt.date(2026, 12, 1)


@pytest.fixture
def team(db):
    dept = Department.objects.create(name="客服一部")
    return Team.objects.create(code="T1", department=dept)


def person(team, eid, status="regular"):
    return Employee.objects.create(
        employee_id=eid,
        name=eid,
        hire_date=dt.date(2019, 1, 1),
        team=team,
        department=team.department,
        status=status,
    )


@pytest.mark.django_db
def test_a_gap_in_the_history_does_not_restart_the_level_on_the_pages_either(team):
    # 小王 was an intermediate agent from 2022-01-01 to 2022-06-30 and again from 2023-01-01 (the half
    # year between is missing from the HR export). The engine's stretch of consecutive rows at one level
    # is not broken by the gap: the level began 2022-01-01. The progress page said 2023-01-01.
    wang = person(team, "E1")
    Assignment.objects.create(
        employee=wang,
        track="skill",
        level="junior",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2021, 12, 31),
    )
    Assignment.objects.create(
        employee=wang,
        track="skill",
        level="intermediate",
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2022, 6, 30),
    )
    Assignment.objects.create(
        employee=wang, track="skill", level="intermediate", start_date=dt.date(2023, 1, 1)
    )
    assert level_starts({wang.pk}, AS_OF) == {(wang.pk, "skill"): dt.date(2022, 1, 1)}
    ctx = build_context(dataset_from_db(), AS_OF)
    assert ctx.levels.select("employee_id", "level_start").collect().rows() == [("E1", dt.date(2022, 1, 1))]


@pytest.mark.django_db
def test_people_who_left_are_not_counted_in_a_team_rank(team):
    # November 2026 scores: 小王 90, 小李 95 (left in December), 小张 80. Among the active members 小王
    # is first (the engine's rank); the chart counted 小李 and said second.
    wang, li, zhang = person(team, "E1"), person(team, "E2", status="left"), person(team, "E3")
    seq = month_seq(2026, 11)
    for who, score in ((wang, 90.0), (li, 95.0), (zhang, 80.0)):
        Evaluation.objects.create(employee=who, period="2026-11", period_kind="M", seq=seq, score=score)
    assert _team_ranks(wang, [seq]) == {seq: 1.0}
    assert _team_ranks(zhang, [seq]) == {seq: 2.0}
    assert _team_ranks(li, [seq]) == {}
