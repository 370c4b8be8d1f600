"""Correcting a staff forum (座谈会) and its actions after they were recorded (issue 11): whoever may record
the forum (HR and the administrators any, a department manager their own department's) corrects it with a
reason; one audit entry holds each changed field before → after; the page publishes the day, what was
corrected and why, never what it said before nor who raised an issue. The company of voice_company:
客服一部 (teams 一组 E001–E006, 二组 E007–E010, 三组 E011–E015), 客服二部 (E900)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.people.models import Employee
from rungs.voice import forums as svc
from rungs.voice.models import Forum, ForumAction, ForumEdit

from .voice_company import make_company

D = dt.date
HELD = D(2026, 11, 20)
TODAY = D(2026, 11, 23)
LATER = D(2026, 11, 25)


@pytest.fixture
def company(db):
    return make_company()


def people(company, *codes):
    """The employees of these 工号, as they stand now (as a page looks them up)."""
    by_code = Employee.objects.in_bulk(codes, field_name="employee_id")
    return [by_code[c] for c in codes]


def a_forum(company, actor="hr", department="one"):
    return svc.forum_create(
        held_on=HELD,
        topic="夜班排班座谈会",
        department=company[department] if department else None,
        attendees=people(company, "E002", "E003", "E008"),
        other_attendees="人力资源部 李经理",
        summary="讨论夜班后的休息安排。",
        actor=company["users"][actor],
        today=TODAY,
    )


DUE = D(2026, 12, 31)


def an_action(company, forum, owner="sup", due=DUE):
    u = company["users"]
    return svc.forum_issue_add(
        forum=forum, issue="夜班后第二天不要排早班", owner=u[owner], due_on=due, actor=u["hr"], today=TODAY
    )


def edit(company, forum, actor="hr", **changes):
    """forum_edit with the forum as it stands, and `changes` on top."""
    forum.refresh_from_db()
    fields = {
        "held_on": forum.held_on,
        "topic": forum.topic,
        "department": forum.department,
        "attendees": list(forum.attendees.all()),
        "other_attendees": forum.other_attendees,
        "summary": forum.summary,
        "reason": "记录有误",
    }
    fields.update(changes)
    return svc.forum_edit(forum=forum, actor=company["users"][actor], today=LATER, **fields)


def edit_action(company, action, actor="hr", **changes):
    action.refresh_from_db()
    fields = {"issue": action.issue, "owner": action.owner, "due_on": action.due_on, "reason": "记录有误"}
    fields.update(changes)
    return svc.forum_action_edit(action=action, actor=company["users"][actor], today=LATER, **fields)


def codes(forum) -> list[str]:
    return sorted(forum.attendees.values_list("employee_id", flat=True))


def edits():
    return AuditEntry.objects.filter(action="forum.record", before__isnull=False).order_by("pk")


# ---------------------------------------------------------------------------------------------- the forum


@pytest.mark.django_db
def test_hr_corrects_a_forum_and_one_audit_entry_holds_each_changed_field(client, company):
    forum = a_forum(company)
    n = AuditEntry.objects.count()
    edit(
        company,
        forum,
        held_on=D(2026, 11, 19),
        topic="夜班排班与休息座谈会",
        attendees=people(company, "E002", "E003", "E009"),  # E008 did not come, E009 did
        summary="讨论夜班后的休息安排和交接班。",
        reason="日期和参会人员记错",
    )
    forum.refresh_from_db()
    assert (forum.held_on, forum.topic, codes(forum), forum.other_attendees) == (
        D(2026, 11, 19),
        "夜班排班与休息座谈会",
        ["E002", "E003", "E009"],
        "人力资源部 李经理",  # unchanged, so in neither half of the entry
    )
    assert AuditEntry.objects.count() == n + 1
    entry = edits().get()
    assert (entry.actor, entry.target_type, entry.target_id, entry.reason) == (
        "hr",
        "forum",
        str(forum.pk),
        "日期和参会人员记错",
    )
    assert entry.before == {
        "held_on": "2026-11-20",
        "topic": "夜班排班座谈会",
        "attendees": ["E002", "E003", "E008"],
        "summary": "讨论夜班后的休息安排。",
    }
    assert entry.after == {
        "held_on": "2026-11-19",
        "topic": "夜班排班与休息座谈会",
        "attendees": ["E002", "E003", "E009"],
        "summary": "讨论夜班后的休息安排和交接班。",
    }
    correction = ForumEdit.objects.get()
    assert (correction.action, correction.on, correction.fields, correction.reason) == (
        None,
        LATER,
        ["held_on", "topic", "attendees", "summary"],
        "日期和参会人员记错",
    )
    # Published: an agent of the other department reads that, when and why it was corrected, not the old text.
    client.force_login(company["users"]["outsider"])
    page = client.get(reverse("voice:forum", args=[forum.pk])).content.decode()
    assert "2026-11-25 修改了召开日期、主题、参会员工、会议纪要：日期和参会人员记错" in page
    assert "员工009" in page and "员工008" not in page
    assert "讨论夜班后的休息安排。" not in page  # the summary as it was is in the trail only
    assert 'id="edit-forum"' not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/en{reverse('voice:forum', args=[forum.pk])}").content.decode()
    translation.activate("zh-hans")
    assert "2026-11-25 Corrected Date held, Topic, Attendees, Minutes: 日期和参会人员记错" in page


@pytest.mark.django_db
def test_a_correction_follows_the_rules_of_recording_and_a_refusal_writes_nothing(company):
    forum = a_forum(company)
    n = AuditEntry.objects.count()
    refusals = [
        ({"held_on": D(2026, 11, 26)}, "晚于今天"),  # after the day of the correction (LATER, 11-25)
        ({"attendees": [], "other_attendees": ""}, "参会人员"),
        ({"topic": "  "}, "主题"),
        ({"reason": " "}, "修改原因"),
        ({}, "没有修改"),
    ]
    for changes, message in refusals:
        with pytest.raises(svc.ForumRefused, match=message):
            edit(company, forum, **changes)
    # A forum cannot move past the due date of an issue it raised.
    early = svc.forum_create(
        held_on=D(2026, 11, 10), topic="x", attendees=people(company, "E002"), actor=company["users"]["hr"],
        today=TODAY,
    )  # fmt: skip
    an_action(company, early, due=D(2026, 11, 20))
    n = AuditEntry.objects.count()
    with pytest.raises(svc.ForumRefused, match="2026-11-20"):
        edit(company, early, held_on=D(2026, 11, 21))
    # Nobody who has left is added; whoever attended and has left since stays on record.
    Employee.objects.filter(employee_id__in=["E008", "E009"]).update(status=Employee.Status.LEFT)
    with pytest.raises(svc.ForumRefused, match="已离职"):
        edit(company, forum, attendees=people(company, "E002", "E003", "E008", "E009"))
    assert AuditEntry.objects.count() == n and not ForumEdit.objects.exists()
    forum.refresh_from_db()
    assert (forum.held_on, codes(forum)) == (HELD, ["E002", "E003", "E008"])
    edit(company, forum, topic="夜班座谈会")  # E008, who has left, is still an attendee
    assert codes(forum) == ["E002", "E003", "E008"]
    assert edits().get().after == {"topic": "夜班座谈会"}


@pytest.mark.django_db
def test_who_may_correct_a_forum(company):
    forum = a_forum(company)  # 客服一部's, recorded by HR
    for role in ("author", "lead", "sup", "qa", "exec"):  # agent, team lead, …: no forum.record at all
        with pytest.raises(Denied, match="不能召开和记录员工座谈会"):
            edit(company, forum, actor=role, topic="x")
    with pytest.raises(Denied, match="本部门"):
        edit(company, forum, actor="dm2", topic="x")  # the other department's manager
    with pytest.raises(
        Denied, match="本部门"
    ):  # their own department's manager makes it no company-wide one …
        edit(company, forum, actor="dm", department=None)
    with pytest.raises(Denied, match="本部门"):  # … nor another department's
        edit(company, forum, actor="dm", department=company["two"])
    assert not edits().exists()
    edit(company, forum, actor="dm", topic="一部座谈会")  # their own department's forum
    edit(company, forum, actor="hr", department=None, reason="全公司的座谈会")
    assert edits().last().before == {"department": "客服一部"} and edits().last().after == {
        "department": None
    }
    with pytest.raises(Denied, match="本部门"):  # a company-wide forum: HR's and the administrators'
        edit(company, forum, actor="dm", topic="x")
    edit(company, forum, actor="admin", department=company["two"], reason="是二部的座谈会")
    edit(company, forum, actor="dm2", summary="二部经理补充纪要")
    assert [(e.actor, list(e.after)) for e in edits()] == [
        ("dm", ["topic"]),
        ("hr", ["department"]),
        ("admin", ["department"]),
        ("dm2", ["summary"]),
    ]


# ---------------------------------------------------------------------------------------------- an action


@pytest.mark.django_db
def test_a_new_owner_finds_the_corrected_action_in_the_inbox_and_the_page_says_it_was_corrected(
    client, company, monkeypatch
):
    u = company["users"]
    forum = a_forum(company)
    action = an_action(company, forum)
    monkeypatch.setattr("rungs.audit.clock.today", lambda: LATER)

    def inbox(who) -> str:
        client.force_login(u[who])
        page = client.get("/").content.decode()
        return page.split('id="inbox"')[1].split("</section>")[0] if 'id="inbox"' in page else ""

    assert "夜班后第二天" in inbox("sup") and "夜班后第二天" not in inbox("lead")
    edit_action(
        company,
        action,
        issue="夜班后第二天不排早班",
        owner=u["lead"],
        due_on=D(2027, 1, 15),
        reason="改由一组组长负责",
    )
    action.refresh_from_db()
    assert (action.issue, action.owner, action.due_on, action.state) == (
        "夜班后第二天不排早班",
        u["lead"],
        D(2027, 1, 15),
        "received",
    )
    entry = edits().get()
    assert (entry.actor, entry.target_type, entry.target_id, entry.reason) == (
        "hr",
        "forumaction",
        str(action.pk),
        "改由一组组长负责",
    )
    assert entry.before == {"issue": "夜班后第二天不要排早班", "owner": "sup", "due_on": "2026-12-31"}
    assert entry.after == {"issue": "夜班后第二天不排早班", "owner": "lead", "due_on": "2027-01-15"}
    assert "夜班后第二天" in inbox("lead") and "夜班后第二天" not in inbox("sup")
    # The step list is untouched; the correction is published beside it, with its day and reason.
    assert [s.to_state for s in action.steps.all()] == ["received"]
    client.force_login(u["outsider"])
    page = client.get(reverse("voice:forum", args=[forum.pk])).content.decode()
    block = page.split(f'id="action-{action.seq}"')[1].split('class="forum-action"')[0]
    assert "2026-11-25 修改了提出的问题、负责人、完成期限：改由一组组长负责" in block
    assert "夜班后第二天不要排早班" not in page
    # The correction names the recorder, as the issue's own entry does; there is nobody else it could name.
    assert {f.name for f in ForumEdit._meta.fields} == {
        "id",
        "forum",
        "action",
        "on",
        "by",
        "fields",
        "reason",
    }


@pytest.mark.django_db
def test_an_action_correction_keeps_the_owner_rules_and_a_refusal_writes_nothing(company):
    u = company["users"]
    forum = a_forum(company)
    action = an_action(company, forum)
    gone = get_user_model().objects.create(username="gone", role="supervisor", is_active=False)
    n = AuditEntry.objects.count()
    refusals = [
        ({"owner": u["agent2"]}, "负责人"),  # an agent owns no action
        ({"owner": gone}, "负责人"),  # nor an inactive account
        ({"owner": None}, "负责人"),
        ({"due_on": D(2026, 11, 19)}, "早于"),  # before the forum (11-20)
        ({"issue": ""}, "提出的问题"),
        ({"reason": ""}, "修改原因"),
        ({}, "没有修改"),
    ]
    for changes, message in refusals:
        with pytest.raises(svc.ForumRefused, match=message):
            edit_action(company, action, **changes)
    assert AuditEntry.objects.count() == n and not ForumEdit.objects.exists()
    edit_action(company, action, due_on=D(2026, 11, 20))  # the forum's own day is allowed
    # A closed action keeps its owner and due date; its text may still be corrected.
    svc.forum_action_move(action=action, to="declined", note="另行处理", actor=u["sup"], today=LATER)
    with pytest.raises(svc.ForumRefused, match="办结"):
        edit_action(company, action, owner=u["lead"])
    edit_action(company, action, issue="夜班后第二天不排早班")
    assert [e.after for e in edits()] == [{"due_on": "2026-11-20"}, {"issue": "夜班后第二天不排早班"}]


@pytest.mark.django_db
def test_who_may_correct_an_action(company):
    action = an_action(company, a_forum(company))
    for role in ("author", "lead", "sup", "qa", "exec"):  # the owner (sup) moves it, but does not reassign it
        with pytest.raises(Denied, match="不能召开和记录员工座谈会"):
            edit_action(company, action, actor=role, due_on=D(2027, 1, 1))
    with pytest.raises(Denied, match="本部门"):
        edit_action(company, action, actor="dm2", due_on=D(2027, 1, 1))
    assert not edits().exists()
    for i, role in enumerate(("dm", "hr", "admin")):
        edit_action(company, action, actor=role, due_on=D(2027, 1, 1 + i))
    assert [(e.actor, e.after) for e in edits()] == [
        ("dm", {"due_on": "2027-01-01"}),
        ("hr", {"due_on": "2027-01-02"}),
        ("admin", {"due_on": "2027-01-03"}),
    ]


# ---------------------------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_the_edit_forms_are_shown_to_those_who_may_and_refused_to_others(client, company, monkeypatch):
    u = company["users"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: LATER)
    forum = a_forum(company)
    action = an_action(company, forum)
    url = reverse("voice:forum", args=[forum.pk])
    post = {
        "held_on": "2026-11-20",
        "topic": "改过的主题",
        "department": company["one"].pk,
        "attendees": "E002 E003 E008",
        "other_attendees": "",
        "summary": "",
        "reason": "x",
    }
    act = {"issue": "改过的问题", "owner": u["lead"].pk, "due_on": "2026-12-31", "reason": "x"}
    refused = {
        "author": "不能召开和记录员工座谈会",
        "lead": "不能召开和记录员工座谈会",
        "sup": "不能召开和记录员工座谈会",
        "dm2": "本部门",
    }
    for role, why in refused.items():
        client.force_login(u[role])
        page = client.get(url).content.decode()
        assert 'id="edit-forum"' not in page and 'class="edit-action"' not in page
        for target, data in ((reverse("voice:forum-edit", args=[forum.pk]), post),
                             (reverse("voice:forum-action-edit", args=[action.pk]), act)):  # fmt: skip
            answer = client.post(target, data)
            assert answer.status_code == 403 and why in answer.content.decode()
    assert not edits().exists()
    for role in ("dm", "hr", "admin"):
        client.force_login(u[role])
        page = client.get(url).content.decode()
        assert 'id="edit-forum"' in page and 'class="edit-action"' in page
        assert 'value="E002 E003 E008"' not in page  # the 工号 are the textarea's text …
        assert ">E002 E003 E008</textarea>" in page  # … as typed in the create form


@pytest.mark.django_db
def test_a_department_manager_corrects_a_forum_on_its_page(client, company, monkeypatch):
    u = company["users"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: LATER)
    forum = a_forum(company, actor="dm")
    action = an_action(company, forum)
    client.force_login(u["dm"])
    target = reverse("voice:forum-edit", args=[forum.pk])
    post = {
        "held_on": "2026-11-20",
        "topic": "夜班排班座谈会",
        "department": company["one"].pk,
        "attendees": "E002，E003 E009\nE900",  # E900 is 客服二部's: not in the manager's scope
        "other_attendees": "人力资源部 李经理",
        "summary": "讨论夜班后的休息安排。",
        "reason": "参会人员记错",
    }
    answer = client.post(target, post)
    page = answer.content.decode()
    assert answer.status_code == 400 and "E900" in page and 'id="edit-error"' in page
    assert "参会人员记错" in page  # what was typed comes back in the form
    assert codes(forum) == ["E002", "E003", "E008"] and not edits().exists()
    post["attendees"] = "E002 E003 E008 E009"
    answer = client.post(target, {**post, "reason": ""})
    assert answer.status_code == 400 and "请填写修改原因" in answer.content.decode()
    answer = client.post(target, {**post, "held_on": "2026-12-01"})
    assert answer.status_code == 400 and "晚于今天" in answer.content.decode()
    # E008 moved to 客服二部 since: out of the manager's scope, but on record as attending, so kept.
    Employee.objects.filter(employee_id="E008").update(department=company["two"])
    answer = client.post(target, post)
    assert answer.status_code == 302 and answer.url == reverse("voice:forum", args=[forum.pk])
    assert codes(forum) == ["E002", "E003", "E008", "E009"]
    assert edits().get().after == {"attendees": ["E002", "E003", "E008", "E009"]}

    target = reverse("voice:forum-action-edit", args=[action.pk])
    answer = client.post(
        target, {"issue": "x", "owner": u["agent2"].pk, "due_on": "2026-12-31", "reason": "y"}
    )
    assert answer.status_code == 400 and "负责人" in answer.content.decode()
    answer = client.post(
        target,
        {"issue": action.issue, "owner": u["lead"].pk, "due_on": "2026-12-31", "reason": "改由组长负责"},
    )
    assert answer.status_code == 302
    assert ForumAction.objects.get(pk=action.pk).owner == u["lead"]
    assert Forum.objects.count() == 1


@pytest.mark.django_db
def test_two_corrections_leave_the_whole_history_in_the_trail(client, company, monkeypatch):
    """The topic and an issue corrected twice: the trail holds A → B and B → C for each, so every earlier
    text can be read back in order on the audit page and in its export (HR and administrators), while the
    published page shows only the text as it stands."""
    u = company["users"]
    forum = a_forum(company)
    action = an_action(company, forum)
    edit(company, forum, topic="夜班排班与休息座谈会", reason="主题记漏")
    edit(company, forum, topic="夜班排班、休息与交接座谈会", reason="主题再补")
    edit_action(company, action, issue="夜班后第二天不排早班", reason="措辞")
    edit_action(company, action, issue="夜班后第二天不排早班和中班", reason="补充")
    history = [(e.target_type, e.before, e.after, e.reason) for e in edits()]
    assert history == [
        ("forum", {"topic": "夜班排班座谈会"}, {"topic": "夜班排班与休息座谈会"}, "主题记漏"),
        ("forum", {"topic": "夜班排班与休息座谈会"}, {"topic": "夜班排班、休息与交接座谈会"}, "主题再补"),
        ("forumaction", {"issue": "夜班后第二天不要排早班"}, {"issue": "夜班后第二天不排早班"}, "措辞"),
        ("forumaction", {"issue": "夜班后第二天不排早班"}, {"issue": "夜班后第二天不排早班和中班"}, "补充"),
    ]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: LATER)
    for who in ("hr", "admin"):
        client.force_login(u[who])
        page = client.get(reverse("audit-index") + "?action=forum.record").content.decode()
        for _kind, before, after, _why in history:
            (field,) = before
            shown = f'{{"{field}": "{before[field]}"}} → {{"{field}": "{after[field]}"}}'
            assert html.escape(shown) in page, (who, shown)
        body = b"".join(client.get(reverse("audit-export")).streaming_content).decode("utf-8-sig")
        assert all(
            before[f] in body and after[f] in body for _k, before, after, _w in history for f in before
        )
    client.force_login(u["outsider"])
    public = client.get(reverse("voice:forum", args=[forum.pk])).content.decode()
    assert "夜班排班、休息与交接座谈会" in public and "夜班后第二天不排早班和中班" in public
    assert "夜班后第二天不要排早班" not in public and "主题记漏" in public  # why, not what it said
