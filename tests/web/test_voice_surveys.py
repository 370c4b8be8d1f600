"""Surveys (issue 11): one response per person through ballot tokens that cannot be linked to it, and a
minimum reporting group, fixed when the survey opens, that hides small groups in every view and export —
by differencing too. The company of voice_company: 客服一部 with 一组 (6), 二组 (4) and 三组 (5)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.voice import surveys as svc
from rungs.voice.models import Ballot, BallotToken, FixedOnceOpen, Response, Survey
from rungs.voice.results import hidden_children, question_results, survey_groups

from .test_voice_suggestions import NEEDLES, naming, new_rows, tables
from .voice_company import make_company

D = dt.date
DAY = D(2026, 12, 7)
CLOSED = D(2026, 12, 15)  # the surveys below close on 12-14

QUESTIONS = "评分：您对排班的满意度\n单选：最希望改进的方面｜培训｜排班｜薪酬\n文字：其他意见和期望"
# What each team answers (rating, choice), one pair per person in the team's order.
ANSWERS = {
    "一组": [(5, "培训"), (4, "培训"), (4, "培训"), (3, "培训"), (5, "排班"), (3, "排班")],  # ratings sum 24
    "二组": [(1, "薪酬"), (1, "薪酬"), (2, "薪酬"), (2, "薪酬")],  # sum 6
    "三组": [(5, "排班"), (5, "排班"), (4, "排班"), (4, "排班"), (3, "排班")],  # sum 21
}


@pytest.fixture
def company(db):
    return make_company()


def new_survey(company, teams=("一组", "二组", "三组"), **target):
    survey = svc.survey_create(
        title="2026 年 12 月员工满意度调查",
        questions=svc.parse_questions(QUESTIONS),
        opens_on=DAY,
        closes_on=D(2026, 12, 14),
        actor=company["users"]["hr"],
        **target,
    )
    svc.survey_open(survey=survey, actor=company["users"]["hr"])
    rating, choice, text = survey.questions.all()
    for team in teams:
        for employee, (r, c) in zip(company["people"][team], ANSWERS[team], strict=True):
            user = company["voters"][employee.employee_id]
            token = svc.ballot_take(survey=survey, actor=user, today=DAY)
            answers = {
                str(rating.pk): str(r),
                str(choice.pk): c,
                str(text.pk): f"{team}的意见" if r < 3 else "",
            }
            svc.survey_answer(survey=survey, token=token, answers=answers, actor=user, today=DAY)
    return Survey.objects.get(pk=survey.pk)


def by_label(survey, day=CLOSED):
    return {g.label: g for g in survey_groups(survey, day)}


@pytest.mark.django_db
def test_a_group_of_4_is_hidden_and_its_complement_too_while_a_group_of_6_is_shown(company):
    survey = new_survey(company)
    groups = by_label(survey)
    assert {k: (g.n, g.shown) for k, g in groups.items()} == {
        "全公司": (15, True),
        "客服一部": (15, True),  # the whole company's answers: no remainder to tell
        "一组": (6, True),
        "二组": (4, False),  # below 5
        # 15 − 6 − 5 would leave 二组's 4: the smallest shown sibling is hidden too (4 + 5 = 9 ≥ 5)
        "三组": (5, False),
    }
    rating, choice, _text = question_results(survey, groups["一组"])
    assert rating.mean == Decimal("4.00")  # (5+4+4+3+5+3) / 6 = 24 / 6
    assert rating.counts == [("1", 0), ("2", 0), ("3", 2), ("4", 2), ("5", 2)]
    assert choice.counts == [("培训", 4), ("排班", 2), ("薪酬", 0)]
    rating, choice, text = question_results(survey, groups["客服一部"])
    assert rating.mean == Decimal("3.40")  # (24 + 6 + 21) / 15 = 51 / 15
    assert choice.counts == [("培训", 4), ("排班", 7), ("薪酬", 4)]
    assert text.comments == ["二组的意见"] * 4  # among 15 answers, not as 二组's
    with pytest.raises(ValueError):
        question_results(survey, groups["二组"])


@pytest.mark.django_db
def test_a_group_of_6_beside_a_group_of_4_is_hidden_so_the_4_cannot_be_found_by_subtraction(company):
    survey = new_survey(company, teams=("一组", "二组"), department=company["one"])
    groups = by_label(survey)
    assert {k: (g.n, g.shown) for k, g in groups.items()} == {
        "客服一部": (10, True),
        "一组": (6, False),  # 客服一部 − 一组 = 二组's 4
        "二组": (4, False),
    }
    assert question_results(survey, groups["客服一部"])[0].mean == Decimal("3.00")  # (24 + 6) / 10


@pytest.mark.django_db
def test_a_team_survey_of_4_shows_nothing_and_one_of_6_shows_its_results(company):
    small = new_survey(company, teams=("二组",), team=company["teams"]["二组"])
    assert [(g.label, g.n, g.shown) for g in survey_groups(small, CLOSED)] == [("二组", 4, False)]
    large = new_survey(company, teams=("一组",), team=company["teams"]["一组"])
    assert [(g.label, g.n, g.shown) for g in survey_groups(large, CLOSED)] == [("一组", 6, True)]


@pytest.mark.django_db
def test_pages_and_the_export_show_the_group_of_6_and_nothing_of_the_group_of_4(client, company, monkeypatch):
    survey = new_survey(company)
    client.force_login(company["users"]["hr"])
    monkeypatch.setattr("rungs.audit.clock.today", lambda: D(2026, 12, 10))
    page = client.get(reverse("voice:results", args=[survey.pk])).content.decode()
    assert "调查结束后才显示结果" in page and "3.40" not in page  # still open: nothing at all
    export = client.get(reverse("voice:results-export", args=[survey.pk])).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(export)))[1:] == []

    monkeypatch.setattr("rungs.audit.clock.today", lambda: CLOSED)
    teams = company["teams"]
    page = client.get(reverse("voice:results", args=[survey.pk]), {"group": f"t{teams['一组'].pk}"})
    assert "4.00" in page.content.decode()
    for hidden in ("二组", "三组"):
        html = client.get(reverse("voice:results", args=[survey.pk]), {"group": f"t{teams[hidden].pk}"})
        html = html.content.decode()
        assert "不显示" in html and "平均分" not in html
        assert f"{hidden}（" not in html  # not even how many answered
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("voice:results-export", args=[survey.pk])).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0] == ["分组类型", "分组", "答卷人数", "题号", "题目", "项目", "数值"]
    assert {(r[0], r[1], r[2]) for r in rows[1:]} == {
        ("全部", "全公司", "15"),
        ("部门", "客服一部", "15"),
        ("班组", "一组", "6"),
    }
    assert ["班组", "一组", "6", "1", "您对排班的满意度", "平均分", "4.00"] in rows


@pytest.mark.django_db
def test_one_ballot_per_person_and_the_response_names_nobody(company):
    u = company["users"]
    survey = svc.survey_create(
        title="培训需求",
        questions=svc.parse_questions("评分：培训是否有用"),
        opens_on=DAY,
        closes_on=D(2026, 12, 14),
        department=company["one"],
        actor=u["hr"],
    )
    svc.survey_open(survey=survey, actor=u["hr"])
    assert Ballot.objects.filter(survey=survey).count() == 15  # everyone in 客服一部, nobody of 二部
    with pytest.raises(svc.SurveyRefused, match="对象范围"):
        svc.ballot_take(survey=survey, actor=u["outsider"], today=DAY)
    with pytest.raises(svc.SurveyRefused, match="填写期"):
        svc.ballot_take(survey=survey, actor=u["author"], today=D(2026, 12, 15))

    before = tables()
    token = svc.ballot_take(survey=survey, actor=u["author"], today=DAY)
    with pytest.raises(svc.SurveyRefused, match="只能填写一次"):
        svc.ballot_take(survey=survey, actor=u["author"], today=DAY)
    with pytest.raises(svc.SurveyRefused, match="1–5"):
        svc.survey_answer(
            survey=survey,
            token=token,
            answers={str(survey.questions.get().pk): "7"},
            actor=u["author"],
            today=DAY,
        )
    q = str(survey.questions.get().pk)
    svc.survey_answer(survey=survey, token=token, answers={q: "4"}, actor=u["author"], today=DAY)
    with pytest.raises(svc.SurveyRefused, match="用过"):  # single use
        svc.survey_answer(survey=survey, token=token, answers={q: "1"}, actor=u["author"], today=DAY)

    changed = new_rows(before, tables())
    assert set(changed) == {"voice_ballot", "voice_response", "audit_auditentry"}  # the token is gone
    assert not BallotToken.objects.exists()
    # What was answered and the trail of it name nobody; who voted (the ballot) says nothing of what or when.
    assert naming({k: v for k, v in changed.items() if k != "voice_ballot"}, NEEDLES) == []
    r = Response.objects.get()
    assert (r.answers, r.submitted_on, r.team.code) == ({q: 4}, DAY, "一组")
    ballot = Ballot.objects.get(survey=survey, employee=u["author"].employee)
    assert ballot.voted and {f.name for f in Ballot._meta.fields} == {"id", "survey", "employee", "voted"}
    assert {(e.actor_id, e.actor) for e in AuditEntry.objects.filter(action="survey.respond")} == {
        (None, "anonymous")
    }


@pytest.mark.django_db
def test_the_minimum_group_is_never_below_3_and_is_fixed_once_the_survey_opens(company):
    hr = company["users"]["hr"]
    questions = svc.parse_questions("评分：满意度")
    with pytest.raises(svc.SurveyRefused, match="不能少于 3"):
        svc.survey_create(title="x", questions=questions, opens_on=DAY, closes_on=DAY, min_group=2, actor=hr)
    survey = svc.survey_create(
        title="x", questions=questions, opens_on=DAY, closes_on=DAY, min_group=6, actor=hr
    )
    survey.min_group = 7
    survey.save()  # a draft may still change
    svc.survey_open(survey=survey, actor=hr)
    survey.refresh_from_db()
    survey.min_group = 3  # Lattice let the threshold be lowered after closing
    with pytest.raises(FixedOnceOpen):
        survey.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(min_group=2)  # the database refuses below 3 too
    assert Survey.objects.get(pk=survey.pk).min_group == 7


@pytest.mark.django_db
def test_each_role_that_may_not_is_refused(client, company, monkeypatch):
    u = company["users"]
    questions = svc.parse_questions("评分：满意度")
    kw = {"title": "x", "questions": questions, "opens_on": DAY, "closes_on": DAY}
    for role in ("author", "lead", "sup", "qa", "exec"):
        with pytest.raises(Denied):
            svc.survey_create(**kw, actor=u[role])
    with pytest.raises(Denied, match="本部门"):
        svc.survey_create(**kw, department=company["two"], actor=u["dm"])
    with pytest.raises(Denied, match="本部门"):  # nor the whole company
        svc.survey_create(**kw, actor=u["dm"])
    own = svc.survey_create(**kw, team=company["teams"]["二组"], actor=u["dm"])
    with pytest.raises(Denied):
        svc.survey_open(survey=own, actor=u["dm2"])

    survey = new_survey(company)
    monkeypatch.setattr("rungs.audit.clock.today", lambda: CLOSED)
    client.force_login(u["author"])
    assert client.get(reverse("voice:results", args=[survey.pk])).status_code == 403
    assert client.get(reverse("voice:results-export", args=[survey.pk])).status_code == 403
    assert (
        client.post(reverse("voice:survey-act", args=[survey.pk]), {"step": "close"}, follow=True).status_code
        == 200
    )
    assert Survey.objects.get(pk=survey.pk).state == Survey.State.OPEN  # refused, with the reason shown
    # Readers see their scope only: a team lead their team, a department manager their department.
    client.force_login(u["lead"])
    page = client.get(reverse("voice:results", args=[survey.pk])).content.decode()
    assert 'data-group="t' in page and 'data-group="all"' not in page and "客服一部" not in page
    client.force_login(u["dm2"])
    assert "data-group=" not in client.get(reverse("voice:results", args=[survey.pk])).content.decode()


@given(
    st.dictionaries(st.text("abcdef", min_size=1, max_size=2), st.integers(0, 12), max_size=6),
    st.integers(0, 8),
    st.integers(3, 6),
)
def test_whatever_is_subtracted_from_a_shown_parent_leaves_none_or_at_least_the_minimum(sizes, rest, k):
    parent = sum(sizes.values()) + rest
    if parent < k:
        return  # a hidden parent hides all its children
    hidden = hidden_children(parent, sizes, k)
    assert all(sizes[c] >= k for c in sizes if c not in hidden)
    left = rest + sum(sizes[c] for c in hidden)
    assert left == 0 or left >= k


@pytest.mark.django_db
def test_a_survey_is_made_opened_and_answered_on_the_pages(client, company, monkeypatch):
    u = company["users"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: DAY)
    client.force_login(u["dm"])
    assert client.get(reverse("voice:surveys")).status_code == 200
    made = client.post(
        reverse("voice:survey-create"),
        {
            "title": "二组排班调查",
            "target": f"t{company['teams']['二组'].pk}",
            "opens_on": "2026-12-07",
            "closes_on": "2026-12-14",
            "min_group": "3",
            "questions": QUESTIONS,
        },
        follow=True,
    )
    survey = Survey.objects.get(title="二组排班调查")
    assert made.status_code == 200 and survey.questions.count() == 3 and survey.min_group == 3
    client.post(reverse("voice:survey-act", args=[survey.pk]), {"step": "open"})
    survey.refresh_from_db()
    assert survey.state == Survey.State.OPEN and survey.ballots.count() == 4

    voter = company["voters"]["E007"]  # the first of 二组
    client.force_login(voter)
    assert "开始填写" in client.get(reverse("voice:survey", args=[survey.pk])).content.decode()
    form = client.post(reverse("voice:ballot", args=[survey.pk]), {"step": "take"})
    assert "no-store" in form["Cache-Control"]
    html = form.content.decode()
    token = html.split('id="ballot-token">')[1].split("<")[0]
    rating, choice, text = survey.questions.all()
    missing = client.post(reverse("voice:ballot", args=[survey.pk]), {"step": "answer", "token": token})
    assert missing.status_code == 400 and "请回答第 1 题" in missing.content.decode()
    answers = {f"q_{rating.pk}": "4", f"q_{choice.pk}": "培训", f"q_{text.pk}": "希望多排白班"}
    done = client.post(
        reverse("voice:ballot", args=[survey.pk]), {"step": "answer", "token": token, **answers}
    )
    assert "谢谢参与" in done.content.decode()
    assert Response.objects.get(survey=survey).answers == {
        str(rating.pk): 4,
        str(choice.pk): "培训",
        str(text.pk): "希望多排白班",
    }
    again = client.post(reverse("voice:ballot", args=[survey.pk]), {"step": "take"}, follow=True)
    assert "只能填写一次" in again.content.decode()
