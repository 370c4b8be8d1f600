"""Counts over the whole run that the board and the team view keep between requests (rungs.board.counts),
and the board's page read by its keys: the numbers shown follow the people and the decisions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rungs.people.models import Employee
from rungs.policies.models import Decision, EvaluationRun

from .conftest import login
from .test_board import rows_of


def run():
    return EvaluationRun.objects.first()


def board_rows_expected() -> int:
    """One row per promotion step, and one for each person of the run without a step."""
    decisions = Decision.objects.filter(run=run())
    steps = decisions.filter(kind="promotion").count()
    without = decisions.exclude(employee__decisions__kind="promotion").values("employee").distinct().count()
    return steps + without


def counted(client, **params) -> int:
    return client.get("/board/", params).context["page"].paginator.count


def counts_queried(client, path: str, **params) -> list[str]:
    with CaptureQueriesContext(connection) as q:
        assert client.get(path, params).status_code == 200
    return [s["sql"] for s in q.captured_queries if "COUNT(*)" in s["sql"]]


@pytest.mark.django_db
def test_hr_board_count_is_kept_and_follows_the_people_and_the_decisions(client, demo):
    login(client, "hr")
    expected = board_rows_expected()
    assert expected == 36  # the demo: 36 people, each with one step or none
    assert counted(client) == expected
    assert counts_queried(client, "/board/") == []  # the second time the count is kept
    # A person of the run removed (their decisions go with them): their rows go from the count.
    person = Employee.objects.filter(decisions__run=run(), user__isnull=True, reports__isnull=True).first()
    rows = max(1, Decision.objects.filter(run=run(), employee=person, kind="promotion").count())
    person.delete()
    assert counted(client) == expected - rows == board_rows_expected()
    # A decision added to the run: one more step, one more row.
    other = Decision.objects.filter(run=run(), kind="promotion").first()
    Decision.objects.create(
        run=run(), employee=other.employee, rule="extra", kind="promotion", eligible=True,
        passed=1, total=1, criteria=[],
    )  # fmt: skip
    assert counted(client) == expected - rows + 1
    assert (
        counted(client, status="eligible")
        == Decision.objects.filter(run=run(), kind="promotion", eligible=True).count()
    )


@pytest.mark.django_db
def test_a_limited_scope_or_a_filter_on_people_is_counted_each_time(client, demo):
    login(client, "team-lead")
    assert len(counts_queried(client, "/board/")) == 1
    assert len(counts_queried(client, "/board/")) == 1
    login(client, "hr")
    team = Employee.objects.filter(decisions__run=run()).first().team.code
    assert len(counts_queried(client, "/board/", team=team)) == 1
    assert len(counts_queried(client, "/board/", team=team)) == 1


@pytest.mark.django_db
def test_hr_team_view_counts_are_kept_and_follow_the_decisions(client, demo):
    login(client, "hr")
    eligible = Decision.objects.filter(run=run(), kind="promotion", eligible=True)
    first = client.get("/board/team/").context
    assert first["eligible_count"] == eligible.count() and first["people_count"] == Employee.objects.count()
    assert counts_queried(client, "/board/team/") == []
    d = Decision.objects.filter(run=run(), kind="promotion", eligible=False).first()
    Decision.objects.create(
        run=run(), employee=d.employee, rule="extra", kind="promotion", eligible=True,
        passed=1, total=1, criteria=[],
    )  # fmt: skip
    assert client.get("/board/team/").context["eligible_count"] == first["eligible_count"] + 1


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["team", "-team"])
def test_someone_without_a_team_comes_last_when_sorted_by_team(client, demo, sort):
    """With everyone in a team the board sorts by team from the teams' index; one person without a team
    takes the other way, and is still shown, last either way (as before)."""
    login(client, "hr")
    person = Employee.objects.filter(decisions__run=run(), user__isnull=True).order_by("employee_id").first()
    Employee.objects.filter(pk=person.pk).update(team=None)
    r = client.get("/board/", {"sort": sort})
    rows = rows_of(r.content.decode())
    assert rows[-1] == person.employee_id and r.context["page"].paginator.count == board_rows_expected()
    codes = [row.employee.team.code for row in r.context["rows"] if row.employee.team]
    assert codes == sorted(codes, reverse=sort.startswith("-"))
