"""One "today" for the whole web product (rungs.audit.clock): set it once and every app's pages count what
is due or overdue from it. Each page test puts its dates years after the real date, so a module that kept
its own today (the real date) would show the opposite; and no module outside the clock asks the framework
or the system for the date."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.audit import clock
from rungs.cases.models import Case
from rungs.honors.models import HonorNotice
from rungs.voice import forums as svc
from tests.web.test_cases import leader, load, office  # noqa: F401  (the fixture)
from tests.web.test_honors import company as honors_company  # noqa: F401  (the fixture)
from tests.web.test_voice_forums import company as voice_company  # noqa: F401  (the fixture)
from tests.web.test_voice_forums import people

D = dt.date
APPS = Path(__file__).resolve().parents[2] / "src" / "rungs"


@pytest.fixture
def on(monkeypatch):
    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    return set_day


def test_the_real_date_is_before_the_days_these_tests_set():
    assert clock.today() < D(2030, 1, 1)  # else the page tests below could not tell the clocks apart


@pytest.mark.django_db
def test_a_case_is_due_for_its_conclusion_on_the_clocks_day(office, client, on):  # noqa: F811
    u, dept, team = office
    e = leader(dept, team)
    Case.objects.create(
        employee=e,
        policy=load("zhangshang-game.yaml", u["hr"]),
        rule="leader-optimization",
        kind="optimization",
        label="不合格组长",
        track="post",
        level="team_lead",
        state=Case.State.OBSERVING,
        opened_on=D(2031, 1, 6),
        observe_from=D(2031, 1, 6),
        observe_until=D(2031, 4, 6),  # three months
    )
    on(D(2031, 4, 6))  # the period's last day: the conclusion is due
    client.force_login(u["dm"])
    assert 'id="conclude"' in client.get(f"/cases/{Case.objects.get().pk}/").content.decode()


@pytest.mark.django_db
def test_an_honor_notice_ends_on_the_clocks_day(honors_company, client, on):  # noqa: F811
    _e, u, _excellent, star = honors_company
    notice = HonorNotice.objects.create(
        honor=star, cycle="2031-05", opened_on=D(2031, 6, 2), working_days=3, ends_on=D(2031, 6, 4)
    )  # Mon 2, Tue 3, Wed 4 June 2031
    on(D(2031, 6, 5))  # Thursday: the notice has ended, no more objections
    client.force_login(u["fang"])
    assert 'id="object"' not in client.get(f"/honors/notices/{notice.pk}/").content.decode()


@pytest.mark.django_db
def test_a_special_award_counts_towards_the_clocks_month(client, on):
    hr = get_user_model().objects.create(username="hr", role="hr")
    on(D(2031, 5, 20))
    client.force_login(hr)
    assert 'name="cycle" required value="2031-05"' in client.get("/rewards/awards/").content.decode()


@pytest.mark.django_db
def test_a_forum_action_is_overdue_from_the_day_after_its_due_date_on_the_clock(voice_company, client, on):  # noqa: F811
    u = voice_company["users"]
    forum = svc.forum_create(
        held_on=D(2031, 6, 2),
        topic="夜班排班座谈会",
        department=voice_company["one"],
        attendees=people(voice_company, "E002", "E003"),
        other_attendees="",
        summary="讨论夜班后的休息安排。",
        actor=u["hr"],
        today=D(2031, 6, 2),
    )
    svc.forum_issue_add(
        forum=forum, issue="夜班后第二天不要排早班", owner=u["sup"], due_on=D(2031, 6, 30), actor=u["hr"],
        today=D(2031, 6, 2),
    )  # fmt: skip
    on(D(2031, 7, 1))
    client.force_login(u["hr"])
    assert "已逾期" in client.get(f"/voice/forums/{forum.pk}/").content.decode()


def _asks_for_the_date(node: ast.AST) -> bool:
    """`timezone.localdate()` (no argument: now), `date.today()`, `timezone.now().date()`, `def today`."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return node.name == "today"
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    name, owner = node.func.attr, node.func.value
    if name == "localdate":
        return not node.args
    if name == "today":
        return isinstance(owner, ast.Attribute | ast.Name) and getattr(
            owner, "attr", getattr(owner, "id", "")
        ) in (
            "date",
            "datetime",
        )
    if name == "date" and not node.args:
        return isinstance(owner, ast.Call) and getattr(owner.func, "attr", "") == "now"
    return False


def test_no_module_but_the_clock_asks_for_the_date():
    """The apps ask rungs.audit.clock. The core takes its dates as arguments (only its own command line,
    `rungs evaluate` without --as-of, takes the system's date: it runs without Django)."""
    clock_file = APPS / "audit" / "clock.py"
    offenders = [
        f"{path.relative_to(APPS)}:{node.lineno}"
        for path in sorted(APPS.rglob("*.py"))
        if path != clock_file and not {"core", "migrations"} & set(path.relative_to(APPS).parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if _asks_for_the_date(node)
    ]
    assert offenders == []


def test_the_date_finder_finds_what_it_looks_for():
    calls = (
        "timezone.localdate()",
        "dt.date.today()",
        "date.today()",
        "timezone.now().date()",
        "def today():\n    pass",
    )
    assert all(any(_asks_for_the_date(n) for n in ast.walk(ast.parse(c))) for c in calls)
    fine = ("timezone.localdate(rnd.opened_at)", "clock.today()", "x.date()")
    assert not any(_asks_for_the_date(n) for c in fine for n in ast.walk(ast.parse(c)))
