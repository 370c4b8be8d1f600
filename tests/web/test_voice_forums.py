"""Staff forums (座谈会, issue 11): a forum is recorded with its date, topic and named attendees; each issue
raised is an action with an owner and a due date, not attributed to anyone, taken received → in progress →
done (or declined with a reason), every step audited and published to everyone. The company of
voice_company: 客服一部 (teams 一组, 二组, 三组), 客服二部."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.voice import forums as svc
from rungs.voice.models import Forum, ForumAction

from .voice_company import make_company

D = dt.date
HELD = D(2026, 11, 20)
TODAY = D(2026, 11, 23)


@pytest.fixture
def company(db):
    return make_company()


def people(company, *codes):
    by_code = {e.employee_id: e for team in company["people"].values() for e in team}
    return [by_code[c] for c in codes]


def a_forum(company, actor="hr", **kw):
    return svc.forum_create(
        held_on=HELD,
        topic="夜班排班座谈会",
        department=company["one"],
        attendees=people(company, "E002", "E003", "E008"),
        other_attendees="人力资源部 李经理",
        summary="讨论夜班后的休息安排。",
        actor=company["users"][actor],
        today=TODAY,
        **kw,
    )


@pytest.mark.django_db
def test_a_forum_names_its_attendees_and_its_issues_name_nobody(company):
    u = company["users"]
    forum = a_forum(company)
    assert sorted(forum.attendees.values_list("employee_id", flat=True)) == ["E002", "E003", "E008"]
    entry = AuditEntry.objects.get(action="forum.record", target_type="forum")
    assert (entry.actor, entry.after["attendees"], entry.after["department"]) == (
        "hr",
        ["E002", "E003", "E008"],
        "客服一部",
    )

    action = svc.forum_issue_add(
        forum=forum,
        issue="夜班后第二天不要排早班",
        owner=u["sup"],
        due_on=D(2026, 12, 31),
        actor=u["hr"],
        today=TODAY,
    )
    # The issue is the forum's: the row has no field that could hold who raised it.
    assert {f.name for f in ForumAction._meta.fields} == {
        "id",
        "forum",
        "seq",
        "issue",
        "owner",
        "due_on",
        "state",
        "result",
    }
    assert (action.seq, action.state, action.owner, action.due_on) == (
        1,
        "received",
        u["sup"],
        D(2026, 12, 31),
    )
    entry = AuditEntry.objects.get(action="forum.record", target_type="forumaction")
    assert (entry.actor, entry.after["owner"], entry.after["due_on"]) == ("hr", "sup", "2026-12-31")
    attendee_names = {e.name for e in forum.attendees.all()} | {"E002", "E003", "E008"}
    assert not any(name in str(entry.after) for name in attendee_names)


@pytest.mark.django_db
def test_the_owner_takes_an_action_to_done_and_everyone_reads_where_it_stands(client, company):
    u = company["users"]
    forum = a_forum(company)
    action = svc.forum_issue_add(
        forum=forum,
        issue="交接班时间太短",
        owner=u["sup"],
        due_on=D(2026, 12, 15),
        actor=u["hr"],
        today=TODAY,
    )
    with pytest.raises(svc.ForumRefused, match="不能改为"):  # not straight to done
        svc.forum_action_move(action=action, to="done", actor=u["sup"], today=TODAY)
    svc.forum_action_move(action=action, to="in_progress", actor=u["sup"], today=D(2026, 11, 25))
    svc.forum_action_move(
        action=action, to="done", note="交接班延长到 15 分钟", actor=u["sup"], today=D(2026, 12, 1)
    )
    action.refresh_from_db()
    assert (action.state, action.result) == ("done", "交接班延长到 15 分钟")
    assert [(s.from_state, s.to_state, s.on, s.by.username) for s in action.steps.all()] == [
        ("", "received", TODAY, "hr"),
        ("received", "in_progress", D(2026, 11, 25), "sup"),
        ("in_progress", "done", D(2026, 12, 1), "sup"),
    ]
    moves = AuditEntry.objects.filter(action="forum.act").order_by("pk")
    assert [(e.actor, e.before, e.after, e.reason) for e in moves] == [
        ("sup", {"state": "received"}, {"state": "in_progress"}, ""),
        ("sup", {"state": "in_progress"}, {"state": "done"}, "交接班延长到 15 分钟"),
    ]
    with pytest.raises(svc.ForumRefused):  # done is final
        svc.forum_action_move(action=action, to="declined", note="x", actor=u["sup"], today=TODAY)

    # Published: an agent of the other department reads the forum, its attendees and the handling.
    client.force_login(u["outsider"])
    index = client.get(reverse("voice:forums")).content.decode()
    assert "交接班时间太短" in index and "交接班延长到 15 分钟" in index and "已完成" in index
    assert "共 1 项" in index
    page = client.get(reverse("voice:forum", args=[forum.pk])).content.decode()
    assert "员工002" in page and "员工008" in page  # named attendees: a meeting
    assert 'class="move"' not in page and 'id="add-issue"' not in page  # reads, does not act


@pytest.mark.django_db
def test_declining_needs_a_reason_and_the_reason_is_published(company):
    u = company["users"]
    action = svc.forum_issue_add(
        forum=a_forum(company),
        issue="食堂加一道菜",
        owner=u["hr"],
        due_on=D(2026, 12, 15),
        actor=u["hr"],
        today=TODAY,
    )
    with pytest.raises(svc.ForumRefused, match="说明"):
        svc.forum_action_move(action=action, to="declined", note="  ", actor=u["hr"], today=TODAY)
    assert ForumAction.objects.get(pk=action.pk).state == "received"
    svc.forum_action_move(action=action, to="declined", note="食堂由园区统一管理", actor=u["hr"], today=TODAY)
    action.refresh_from_db()
    assert (action.state, action.result) == ("declined", "食堂由园区统一管理")
    assert AuditEntry.objects.get(action="forum.act").reason == "食堂由园区统一管理"


@pytest.mark.django_db
def test_who_may_record_a_forum_and_move_an_action(company):
    u = company["users"]
    for role in ("author", "lead", "sup", "qa", "exec"):
        with pytest.raises(Denied):
            a_forum(company, actor=role)
    with pytest.raises(Denied, match="本部门"):
        a_forum(company, actor="dm2")  # another department's manager
    with pytest.raises(Denied, match="本部门"):  # a department manager records no company-wide forum
        svc.forum_create(
            held_on=HELD, topic="x", attendees=people(company, "E002"), actor=u["dm"], today=TODAY
        )
    forum = a_forum(company, actor="dm")  # their own department
    with pytest.raises(Denied):
        svc.forum_issue_add(
            forum=forum, issue="x", owner=u["sup"], due_on=D(2026, 12, 1), actor=u["dm2"], today=TODAY
        )
    with pytest.raises(svc.ForumRefused, match="负责人"):  # an agent owns no action
        svc.forum_issue_add(
            forum=forum, issue="x", owner=u["agent2"], due_on=D(2026, 12, 1), actor=u["dm"], today=TODAY
        )
    with pytest.raises(svc.ForumRefused, match="早于"):
        svc.forum_issue_add(
            forum=forum, issue="x", owner=u["sup"], due_on=D(2026, 11, 1), actor=u["dm"], today=TODAY
        )
    with pytest.raises(svc.ForumRefused, match="晚于今天"):
        svc.forum_create(
            held_on=D(2026, 11, 24), topic="x", attendees=people(company, "E002"), actor=u["hr"], today=TODAY
        )
    action = svc.forum_issue_add(
        forum=forum, issue="x", owner=u["sup"], due_on=D(2026, 12, 1), actor=u["dm"], today=TODAY
    )
    for role in ("lead2", "dm2", "author"):  # neither its owner nor one who records the forum
        with pytest.raises(Denied):
            svc.forum_action_move(action=action, to="in_progress", actor=u[role], today=TODAY)
    svc.forum_action_move(action=action, to="in_progress", actor=u["dm"], today=TODAY)  # the recorder
    assert ForumAction.objects.get(pk=action.pk).state == "in_progress"
    assert AuditEntry.objects.filter(action="forum.act").count() == 1  # the refusals wrote nothing


@pytest.mark.django_db
def test_the_pages_record_a_forum_and_refuse_an_agent(client, company, monkeypatch):
    u = company["users"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    client.force_login(u["author"])
    assert 'id="new-forum"' not in client.get(reverse("voice:forums")).content.decode()
    client.post(reverse("voice:forum-create"), {"held_on": "2026-11-20", "topic": "x", "attendees": "E002"})
    assert not Forum.objects.exists()

    client.force_login(u["dm"])
    page = client.post(
        reverse("voice:forum-create"),
        {
            "held_on": "2026-11-20",
            "topic": "二组座谈会",
            "department": company["one"].pk,
            "attendees": "E007，E008 E009\nE900",  # E900 is 客服二部's: not in the manager's scope
        },
        follow=True,
    )
    assert "E900" in page.content.decode() and not Forum.objects.exists()
    made = client.post(
        reverse("voice:forum-create"),
        {
            "held_on": "2026-11-20",
            "topic": "二组座谈会",
            "department": company["one"].pk,
            "attendees": "E007，E008 E009",
        },
    )
    forum = Forum.objects.get()
    assert made.url == reverse("voice:forum", args=[forum.pk])
    assert sorted(forum.attendees.values_list("employee_id", flat=True)) == ["E007", "E008", "E009"]
    client.post(
        reverse("voice:forum-issue", args=[forum.pk]),
        {"issue": "耳机老化", "owner": u["sup"].pk, "due_on": "2026-12-10"},
    )
    action = ForumAction.objects.get()
    assert (action.issue, action.owner, action.due_on) == ("耳机老化", u["sup"], D(2026, 12, 10))


@pytest.mark.django_db
def test_the_owner_finds_open_actions_in_the_inbox_until_done(client, company, monkeypatch):
    u = company["users"]
    action = svc.forum_issue_add(
        forum=a_forum(company),
        issue="耳机老化",
        owner=u["sup"],
        due_on=D(2026, 11, 22),
        actor=u["hr"],
        today=TODAY,
    )
    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    client.force_login(u["sup"])
    inbox = client.get("/").content.decode().split('id="inbox"')[1].split("</section>")[0]
    assert "耳机老化" in inbox and "已逾期" in inbox  # due 11-22, today 11-23
    client.force_login(u["dm"])  # not the owner: nothing waits on them
    assert "耳机老化" not in client.get("/").content.decode()
    svc.forum_action_move(action=action, to="in_progress", actor=u["sup"], today=TODAY)
    svc.forum_action_move(action=action, to="done", actor=u["sup"], today=TODAY)
    client.force_login(u["sup"])
    assert "耳机老化" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_demo_has_a_forum_a_survey_round_and_suggestions(demo):
    """`make run` shows the voice pages with something in them, entered through the services."""
    from rungs.audit.models import AuditEntry
    from rungs.voice.models import Forum, Suggestion, Survey

    forum = Forum.objects.get()
    assert [(a.seq, a.state) for a in forum.actions.order_by("seq")] == [(1, "in_progress"), (2, "received")]
    survey = Survey.objects.get()
    assert (survey.state, survey.series) == ("open", "员工满意度调查")
    assert survey.ballots.count() > 0 and survey.questions.count() == 4
    assert Suggestion.objects.count() == 2
    assert AuditEntry.objects.filter(action="forum.record").count() == 3  # the forum and its two issues
