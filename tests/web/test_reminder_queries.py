"""send_reminders finds whom each due step waits on in a bounded number of queries (issue 10): the users, their
functions and delegations are read once and the steps grouped in Python (selectors.waiting_among), where
it asked `waiting_on` user by user before. Held to `waiting_on` — the inbox's own rule — user by user, on
the approval chain of test_round_approvals (department manager, then HR and the director 会签, the
director away and leaving hr2 in their place) beside a review still waiting in another round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rungs.accounts.models import UserFunction
from rungs.accounts.services import delegation_create
from rungs.promotions.models import Candidacy, Round
from rungs.promotions.reminders import who_acts
from rungs.promotions.selectors import OPEN_STATES, waiting_among, waiting_on
from rungs.promotions.services import candidacy_apply, candidacy_approve
from tests.web.test_round_approvals import director, noticed
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

User = get_user_model()
D = dt.date


def open_candidacies() -> list[Candidacy]:
    """Every waiting candidacy with its round loaded as reminders.due_now loads them."""
    rows = list(Candidacy.objects.filter(state__in=OPEN_STATES).select_related("employee"))
    rounds = Round.objects.select_related("policy", "department", "notice").in_bulk(
        {c.round_id for c in rows}
    )
    for c in rows:
        c.round = rounds[c.round_id]
    return rows


def per_user(today) -> dict[int, set[str]]:
    """The old way: every active user who is not an agent, asked one by one."""
    out: dict[int, set[str]] = {}
    for user in User.objects.filter(is_active=True).exclude(role="agent"):
        for c in waiting_on(user, today, limit=10**6):
            out.setdefault(c.pk, set()).add(user.username)
    return out


def at_once(today) -> dict[int, set[str]]:
    users = User.objects.filter(is_active=True).exclude(role="agent").prefetch_related("functions")
    found = waiting_among(users.select_related("employee"), open_candidacies(), today)
    return {pk: {u.username for u in us} for pk, us in found.items()}


@pytest.fixture
def chain(company):  # noqa: F811
    u, rnd = company
    u["dir"], u["hr2"] = director("dir"), User.objects.create(username="hr2", role="hr")
    # more sights and scopes: an administrator (who sees all but holds no role of the chain), a lead with
    # no team, one who left
    User.objects.create(username="root", role="admin", is_superuser=True)
    User.objects.create(username="lead0", role="team_lead", department=rnd.department)
    User.objects.create(username="gone", role="hr", is_active=False)
    c = noticed(u, rnd, "[department_manager, {all: [hr, director]}]")
    review = candidacy_apply(round=rnd, actor=u["li"], statement="申请")  # waits on its reviewers
    delegation_create(
        principal=u["dir"], delegate=u["hr2"], starts_on=D(2026, 10, 13), ends_on=D(2026, 10, 20), actor=u["dir"]
    )  # fmt: skip
    return u, c, review


@pytest.mark.django_db
def test_the_steps_found_at_once_are_those_the_inbox_finds_user_by_user(chain):
    u, c, review = chain
    expected = {}
    for day in (D(2026, 9, 30), D(2026, 10, 12)):  # the 公示 still runs; then the department manager's turn
        expected[day] = at_once(day)
        assert expected[day] == per_user(day)
    assert expected[D(2026, 9, 30)] == {review.pk: {"sup", "dm"}}
    assert expected[D(2026, 10, 12)] == {review.pk: {"sup", "dm"}, c.pk: {"dm"}}
    candidacy_approve(candidacy=c, actor=u["dm"], today=D(2026, 10, 12))
    candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 12))
    # the director's half of the 会签: the director, and hr2 only while the delegation is in force
    for day, who in ((D(2026, 10, 12), {"dir"}), (D(2026, 10, 14), {"dir", "hr2"})):
        found = at_once(day)
        assert found == per_user(day)
        assert found[c.pk] == who


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_users(chain):
    u, c, _review = chain
    day = D(2026, 10, 14)
    due = open_candidacies()

    def queries() -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as ctx:
            found = who_acts(day, due)
        return len(ctx.captured_queries), found

    few, before = queries()
    rnd = c.round
    for i in range(30):  # thirty more who could act: leads, supervisors, HR with a function, delegates
        User.objects.create(username=f"xlead{i}", role="team_lead", department=rnd.department)
        User.objects.create(username=f"xsup{i}", role="supervisor", department=rnd.department)
        hr = User.objects.create(username=f"hrx{i}", role="hr")
        UserFunction.objects.create(user=hr, function="director")
        delegation_create(principal=u["dm"], delegate=hr, starts_on=day, ends_on=day, actor=u["dm"])
    many, after = queries()
    assert few == many <= 6, (few, many)
    assert len(after[c.pk]) == len(before[c.pk]) + 30  # the thirty directors are on the 会签's last step
