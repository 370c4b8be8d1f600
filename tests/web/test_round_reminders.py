"""Reminders of steps due soon or overdue (send_reminders): once per candidacy, stage, step and kind, to the
inbox of whom the step waits on and to the group robots. The notice-workflow round of test_rounds
(review 3, notice 2 working days, reminders 1 working day before); 王芳 applies on Thu 24 Sep 2026, so her
review is due Wed 30 Sep (中秋 Fri 25 – Sun 27 off: Mon 28, Tue 29, Wed 30)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from rungs.accounts.authority import Denied
from rungs.audit import clock
from rungs.audit.models import AuditEntry
from rungs.notify.models import Robot
from rungs.promotions.models import Reminder
from rungs.promotions.reminders import reminders_send
from rungs.promotions.services import candidacy_apply, candidacy_review
from tests.web.conftest import needs_server_database
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

D = dt.date


def applied(u, rnd, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 24))
    return candidacy_apply(round=rnd, actor=u["fang"], statement="申请")


def run(day) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--today", day, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_review_due_tomorrow_reminds_the_reviewers_once(company, monkeypatch):  # noqa: F811
    u, rnd = company
    c = applied(u, rnd, monkeypatch)
    assert "已发送 0 条提醒" in run("2026-09-28")  # Mon 28: Tue 29 and Wed 30 left, 2 > 1
    assert "已发送 1 条提醒" in run("2026-09-29")  # Tue 29: only Wed 30 left
    assert "已发送 0 条提醒" in run("2026-09-29")  # the second run the same day sends nothing
    assert "已发送 0 条提醒" in run("2026-09-30")  # due today: still "soon", already sent
    r = Reminder.objects.get()
    assert (r.candidacy, r.stage, r.step, r.kind, r.due_on) == (c, "review", 0, "soon", D(2026, 9, 30))
    assert r.text == "【即将到期】2026 年 9 月晋升评审：王芳 晋升 senior 的“资格审查”请于 2026-09-30 前完成。"
    # notice-workflow: the supervisor or the department manager reviews, in the round's department;
    # not the team lead (not a reviewer of the policy), HR, the other department's supervisor, 王芳 herself
    assert {x.username for x in r.recipients.all()} == {"sup", "dm"}
    entry = AuditEntry.objects.get(action="round.remind")
    assert entry.actor == "system" and entry.after["to"] == ["dm", "sup"]

    assert "已发送 1 条提醒" in run("2026-10-01")  # past the due day (a holiday): overdue, once
    assert "已发送 0 条提醒" in run("2026-10-08")
    overdue = Reminder.objects.get(kind="overdue")
    assert overdue.text.startswith(
        "【已逾期】2026 年 9 月晋升评审：王芳 晋升 senior 的“资格审查”应于 2026-09-30"
    )


@pytest.mark.django_db
def test_the_next_step_has_its_own_reminder_for_whom_it_waits_on(company, monkeypatch):  # noqa: F811
    u, rnd = company
    c = applied(u, rnd, monkeypatch)
    reminders_send(today=D(2026, 9, 29))
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 30))
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    # posting the 公示, 2 working days from Wed 30 Sep: Thu 8 (1), Fri 9 Oct (2); on 30 Sep two are left
    assert reminders_send(today=D(2026, 9, 30)) == []
    (r,) = reminders_send(today=D(2026, 10, 8))
    assert (r.stage, r.kind, r.due_on) == ("notice", "soon", D(2026, 10, 9))
    # round.notice: HR and the department manager (the data owners), not the supervisor
    assert {x.username for x in r.recipients.all()} == {"hr", "dm"}


@pytest.mark.django_db
def test_the_robots_of_the_rounds_scope_hear_it_after_commit(
    company,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    u, rnd = company
    applied(u, rnd, monkeypatch)
    mine = Robot.objects.create(
        name="一部群", kind="dingtalk", url="http://127.0.0.1:9/a", department=rnd.department
    )
    Robot.objects.create(
        name="二部群", kind="dingtalk", url="http://127.0.0.1:9/b", department=u["sup2"].department
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=D(2026, 9, 29))
        reminders_send(today=D(2026, 9, 29))
    queued = [tuple(t.args_kwargs["args"]) for t in DBTaskResult.objects.all()]
    assert queued == [(mine.pk, Reminder.objects.get().text)]  # once, and not to the other department


@pytest.mark.django_db
def test_the_inbox_lists_the_reminders_of_its_user_only(client, company, monkeypatch):  # noqa: F811
    u, rnd = company
    applied(u, rnd, monkeypatch)
    reminders_send(today=D(2026, 9, 29))
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 29))
    for name, sees in (("sup", True), ("dm", True), ("lead", False), ("hr", False), ("fang", False)):
        client.force_login(u[name])
        page = client.get("/").content.decode()
        assert ('id="reminders"' in page) is sees, name
        if sees:  # the reminder, and the step in the inbox with its due date and badge
            assert "王芳 晋升 senior 的“资格审查”请于 2026-09-30 前完成" in page
            assert '资格审查 2026-09-30 前 <strong class="badge soon">即将到期</strong>' in page
    # 王芳 sees where her own candidacy stands and by when, without a reminder to act
    assert '<ul id="my-candidacies">' in page and "资格审查 2026-09-30 前" in page


@pytest.mark.django_db
def test_only_a_data_owner_may_send_reminders_by_hand(company, monkeypatch):  # noqa: F811
    u, rnd = company
    applied(u, rnd, monkeypatch)
    for name in ("fang", "lead", "sup"):
        with pytest.raises(Denied):
            reminders_send(today=D(2026, 9, 29), actor=u[name])
    assert len(reminders_send(today=D(2026, 9, 29), actor=u["hr"])) == 1
    assert AuditEntry.objects.get(action="round.remind").actor == "hr"


@needs_server_database("two runs at the same moment")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_one_reminder(company, monkeypatch):  # noqa: F811
    import threading

    from django.db import connection

    u, rnd = company
    applied(u, rnd, monkeypatch)
    start, sent = threading.Barrier(2), []

    def send():
        try:
            start.wait()
            sent.extend(reminders_send(today=D(2026, 9, 29)))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(sent) == 1 and Reminder.objects.count() == 1


@pytest.mark.django_db
def test_the_command_acts_as_a_user_when_told_and_refuses_a_bad_date(company, monkeypatch):  # noqa: F811
    from django.core.management.base import CommandError

    u, rnd = company
    applied(u, rnd, monkeypatch)
    with pytest.raises(Denied):
        call_command("send_reminders", "--today", "2026-09-29", "--as", "lead", stdout=io.StringIO())
    call_command("send_reminders", "--today", "2026-09-29", "--as", "hr", stdout=io.StringIO())
    assert AuditEntry.objects.get(action="round.remind").actor == "hr"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "29.9.2026", stdout=io.StringIO())


# ---- the round's own stage: applications and nominations (dual-track-logistics: application 7 working
# days, reminders 2 working days before). Opened Thu 24 Sep 2026, applications close Mon 12 Oct: 28, 29,
# 30 Sep, 8, 9, 10 (调休), 12 Oct.


def opened_on_24_september(monkeypatch):
    from tests.web.test_round_assessment import PANEL, setup_round

    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 24))
    hr, rnd, _cands = setup_round("dual-track-logistics", "skill", "junior", "intermediate", PANEL)
    rnd.refresh_from_db()
    assert rnd.applications_due == D(2026, 10, 12)
    return hr, rnd


@pytest.mark.django_db
def test_the_opener_is_reminded_once_before_applications_close(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from rungs.promotions.models import RoundReminder

    hr, rnd = opened_on_24_september(monkeypatch)
    robot = Robot.objects.create(name="全公司群", kind="dingtalk", url="http://127.0.0.1:9/a")
    # Wed 30 Sep: 8, 9, 10, 12 Oct left (4 > 2); Thu 8 Oct: 9, 10, 12 (3 > 2)
    assert "已发送 0 条提醒" in run("2026-09-30")
    assert "已发送 0 条提醒" in run("2026-10-08")
    with django_capture_on_commit_callbacks(execute=True):
        assert "已发送 1 条提醒" in run("2026-10-09")  # Fri 9 Oct: Sat 10 (调休) and Mon 12 left, 2 ≤ 2
        assert "已发送 0 条提醒" in run("2026-10-09")  # the second run the same day
    assert "已发送 0 条提醒" in run("2026-10-12")  # the closing day: still soon, already sent
    assert "已发送 0 条提醒" in run("2026-10-13")  # closed: nothing to remind of
    r = RoundReminder.objects.get()
    assert (r.round, r.stage, r.kind, r.due_on, r.sent_on) == (
        rnd,
        "application",
        "soon",
        D(2026, 10, 12),
        D(2026, 10, 9),
    )
    assert r.text == "【即将截止】晋升评审：申请与推荐将于 2026-10-12 截止，请及时提醒员工申请、上级推荐。"
    assert [u.username for u in r.recipients.all()] == ["hr"]  # who opened the round
    entry = AuditEntry.objects.get(action="round.remind")
    assert (entry.actor, entry.target_type, entry.after["stage"], entry.after["to"]) == (
        "system",
        "round",
        "application",
        ["hr"],
    )
    queued = [tuple(t.args_kwargs["args"]) for t in DBTaskResult.objects.all()]
    assert queued == [(robot.pk, r.text)]  # a company-wide round: the company's robots, once
    assert not Reminder.objects.exists()  # no candidacy step was due


@pytest.mark.django_db
def test_hr_is_reminded_when_the_opener_is_gone_and_the_inbox_shows_it_until_applications_close(
    client, db, monkeypatch
):
    from django.contrib.auth import get_user_model

    hr, rnd = opened_on_24_september(monkeypatch)
    hr.is_active = False
    hr.save()
    User = get_user_model()
    li, dm = (
        User.objects.create(username="li-hr", role="hr"),
        User.objects.create(username="dm", role="department_manager"),
    )
    (r,) = reminders_send(today=D(2026, 10, 9))
    assert sorted(u.username for u in r.recipients.all()) == ["li-hr"]

    def home(user, day):
        monkeypatch.setattr(clock, "today", lambda: day)
        client.force_login(user)
        return client.get("/").content.decode()

    text = "晋升评审：申请与推荐将于 2026-10-12 截止"
    assert text in home(li, D(2026, 10, 12)) and f'href="/rounds/{rnd.pk}/"' in home(li, D(2026, 10, 12))
    assert text not in home(li, D(2026, 10, 13))  # closed: nothing left to act on
    assert text not in home(dm, D(2026, 10, 9))
