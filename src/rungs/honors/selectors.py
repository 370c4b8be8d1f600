"""What the honor pages read: the cycle to show, the nominations a user may see, the board of a cycle and
the feed of thanks."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from rungs.accounts.scope import sees_everyone, visible_employees
from rungs.core.periods import PER_YEAR, seq_of_date
from rungs.honors.models import Award, Honor, Nomination, Recognition

PUBLIC = (Nomination.State.NOTICE, Nomination.State.AWARDED, Nomination.State.REMOVED)  # 公示 is public


def cycle_label(kind: str, seq: int) -> str:
    if kind == "Y":
        return str(seq)
    year, index = divmod(seq, PER_YEAR[kind])
    return f"{year}-{index + 1:02d}" if kind == "M" else f"{year}-{kind}{index + 1}"


def last_cycle(kind: str, today: dt.date) -> str:
    """The latest complete cycle of `kind` on `today` (in December: November, the third quarter …): the
    one that is nominated for."""
    return cycle_label(kind, seq_of_date(kind, today) - 1)


def nominations_for(user, honor: Honor, cycle: str) -> QuerySet[Nomination]:
    """Everyone sees the nominations on notice and awarded; the line and HR also those in their scope that
    are still under review."""
    qs = Nomination.objects.filter(honor=honor, cycle=cycle).select_related(
        "employee", "team", "notice", "award"
    )
    if sees_everyone(user):
        return qs
    if user.role == "agent":
        return qs.filter(state__in=PUBLIC)
    mine = visible_employees(user)
    teams = mine.exclude(team__isnull=True).values("team")
    keys = qs.filter(Q(state__in=PUBLIC) | Q(employee__in=mine) | Q(team__in=teams)).values("pk")
    return qs.filter(pk__in=keys)


def board(cycle: str) -> tuple[list[Award], list[Award]]:
    """The awards of a cycle: people, then teams, each in the order of the titles."""
    awards = list(
        Award.objects.filter(cycle=cycle, revoked_on__isnull=True)
        .select_related("honor", "employee__team", "team__department")
        .order_by("honor__kind", "honor_id", "pk")
    )
    return [a for a in awards if a.employee_id], [a for a in awards if a.team_id]


def board_cycles(limit: int = 24) -> list[str]:
    """The cycles that have awards, latest first."""
    rows = (
        Award.objects.filter(revoked_on__isnull=True)
        .values("cycle")
        .annotate(n=Count("pk"))
        .order_by("-cycle")
    )
    return [r["cycle"] for r in rows[:limit]]


def feed(limit: int = 100) -> QuerySet[Recognition]:
    return Recognition.objects.select_related("giver__employee", "receiver__team").order_by("-at", "-pk")[
        :limit
    ]
