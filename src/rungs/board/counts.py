"""Counts over a whole run for the board and the team view, kept between requests.

At 100,000 people a count over the latest run walks ~170,000 decisions (a few hundred milliseconds on
PostgreSQL), and every page of the board asks for it again. A run's decisions are written when it is
stored and not changed after; they go when their person is deleted (cascade). So a count that reads
nothing but the run's decisions and the set of people holds while both hold: it is kept under the run
and a stamp of the people (their number and highest id: a person removed lowers the number, one added
raises the highest id, as ids are not reused) and the highest decision id (a decision added raises
it). Counts that depend on where people are (a team, a department, a name searched)
or on a limited scope are not kept: they can change without a new stamp, and they are small anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q, Subquery

from rungs.people.models import Employee
from rungs.policies.models import Decision, EvaluationRun

KEEP_SECONDS = 24 * 3600  # the stamp, not the time, says when a count is out of date


class Stamp(NamedTuple):
    people: int
    highest: int | None  # the highest id
    without_team: int  # lets the board sort by team from the teams' index (see selectors.board_page)
    decisions: int | None  # the highest decision id


def people_stamp() -> Stamp:
    """The number of people, the highest id, the number without a team and the highest decision id, in
    one query (the last a subquery read once, from the primary key's index)."""
    last_decision = Subquery(Decision.objects.order_by("-pk").values("pk")[:1])
    found = Employee.objects.aggregate(
        n=Count("pk"), m=Max("pk"), t=Count("pk", filter=Q(team__isnull=True)), d=Max(last_decision)
    )
    return Stamp(found["n"], found["m"], found["t"], found["d"])


def kept_count(run: EvaluationRun, what: str, count: Callable[[], int], stamp: Stamp) -> int:
    """`count()` of `what` over `run`, from the cache while the run and the people are the same. The run's
    creation time is in the key too, as SQLite reuses the ids of deleted rows."""
    key = f"rungs:run-count:{connection.alias}:{run.pk}:{run.created_at.timestamp()}:{stamp.people}:{stamp.highest}:{stamp.decisions}:{what}"
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, KEEP_SECONDS)
    return found
