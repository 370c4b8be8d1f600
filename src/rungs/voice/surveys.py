"""Surveys, one service per action (checked against the authority table, atomic, audited).

One response per person, unlinkable: taking a ballot (`ballot_take`) marks the person's Ballot as used and
issues a single-use token that knows only the person's department and team; answering (`survey_answer`)
stores a Response by that token and deletes it. The two happen in separate transactions and neither the
Response nor the audit entries of either step name the person (no actor, the day only), so what someone
answered cannot be found from who voted. The minimum reporting group is fixed when the survey opens
(rungs.voice.models.Survey.save refuses a change) and applied by rungs.voice.results.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check
from rungs.accounts.models import COMPANY_WIDE
from rungs.audit.trail import record
from rungs.people.models import Department, Employee, Team
from rungs.voice.models import MIN_GROUP_FLOOR, Ballot, BallotToken, Question, Response, Survey
from rungs.voice.receipts import keyed_hash, new_code

Q = Question.Kind
RATINGS = (1, 2, 3, 4, 5)


class SurveyRefused(Exception):
    """The survey does not allow this now (closed, already answered, an answer missing …)."""


def _own_department(actor, department: Department | None, team: Team | None) -> None:
    """A department manager runs surveys of their own department only; the company-wide roles any."""
    if actor is None or actor.is_superuser or actor.role in COMPANY_WIDE:
        return
    target = team.department_id if team is not None else getattr(department, "pk", None)
    if target is None or target != actor.department_id:
        raise Denied("survey.manage", _("您只能为本部门发起调查。"))


def parse_questions(text: str) -> list[dict]:
    """The question list of the form, one per line: `评分：…`, `单选：题目｜选项｜选项`, `文字：…` (also
    rating: / choice: / text:, with | as the separator)."""
    kinds = {"评分": Q.RATING, "rating": Q.RATING, "单选": Q.CHOICE, "choice": Q.CHOICE}
    kinds |= {"文字": Q.TEXT, "text": Q.TEXT}
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip().replace("：", ":").replace("｜", "|")
        if not line:
            continue
        head, sep, rest = line.partition(":")
        kind = kinds.get(head.strip().lower())
        if not sep or kind is None:
            raise SurveyRefused(_("第 %(n)s 行：请以“评分：”“单选：”或“文字：”开头。") % {"n": n})
        parts = [p.strip() for p in rest.split("|")]
        choices = [p for p in parts[1:] if p]
        if not parts[0]:
            raise SurveyRefused(_("第 %(n)s 行：请写出题目。") % {"n": n})
        if kind == Q.CHOICE and len(choices) < 2:
            raise SurveyRefused(_("第 %(n)s 行：单选题至少要有两个选项。") % {"n": n})
        out.append({"kind": kind, "text": parts[0][:500], "choices": choices if kind == Q.CHOICE else []})
    return out


@transaction.atomic
def survey_create(
    *,
    title: str,
    questions: list[dict],
    opens_on: dt.date,
    closes_on: dt.date,
    actor,
    intro: str = "",
    department: Department | None = None,
    team: Team | None = None,
    min_group: int = 5,
    series: str = "",
) -> Survey:
    """A draft survey for a target group (a team, a department or everyone) with its questions; `series`
    names the repeated survey it is a round of (the dashboards compare the rounds of a series)."""
    check(actor, "survey.manage")
    _own_department(actor, department, team)
    title = (title or "").strip()
    if not title:
        raise SurveyRefused(_("请填写标题。"))
    if not questions:
        raise SurveyRefused(_("请至少写一道题目。"))
    if closes_on < opens_on:
        raise SurveyRefused(_("截止日期不能早于开始日期。"))
    if min_group < MIN_GROUP_FLOOR:
        raise SurveyRefused(_("最小报告人数不能少于 %(n)s 人。") % {"n": MIN_GROUP_FLOOR})
    if team is not None:
        department = team.department
    survey = Survey.objects.create(
        title=title[:200],
        intro=intro,
        department=department,
        team=team,
        opens_on=opens_on,
        closes_on=closes_on,
        min_group=min_group,
        series=_series(series),
        created_by=actor,
    )
    for i, q in enumerate(questions, start=1):
        Question.objects.create(
            survey=survey, position=i, kind=q["kind"], text=q["text"], choices=q["choices"]
        )
    record(
        actor,
        "survey.manage",
        survey,
        after={"target": survey.target_label, "min_group": min_group, "series": survey.series},
    )
    return survey


def _series(value: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > 100:
        raise SurveyRefused(_("调查系列的名称最多 100 个字。"))
    return value


@transaction.atomic
def survey_series_set(*, survey: Survey, series: str, actor) -> Survey:
    """Puts a survey into a series (or takes it out, ""), at any time: a series only places rounds side by
    side; what each round shows is still decided by its own minimum reporting group."""
    s = Survey.objects.select_for_update().get(pk=survey.pk)
    check(actor, "survey.manage")
    _own_department(actor, s.department, s.team)
    before, s.series = s.series, _series(series)
    s.save(update_fields=["series"])
    record(actor, "survey.manage", s, before={"series": before}, after={"series": s.series})
    return s


def target_people(survey: Survey):
    people = Employee.objects.exclude(status=Employee.Status.LEFT)
    if survey.team_id:
        return people.filter(team_id=survey.team_id)
    if survey.department_id:
        return people.filter(department_id=survey.department_id)
    return people


@transaction.atomic
def survey_open(*, survey: Survey, actor) -> Survey:
    """Opens the survey: its minimum reporting group is fixed from now on, and everyone in the target
    group gets a ballot (made in a shuffled order, so the rows say nothing of who votes when)."""
    s = Survey.objects.select_for_update().get(pk=survey.pk)
    check(actor, "survey.manage")
    _own_department(actor, s.department, s.team)
    if s.state != Survey.State.DRAFT:
        raise SurveyRefused(_("这份调查已经发布过了。"))
    people = list(target_people(s).values_list("pk", flat=True))
    random.SystemRandom().shuffle(people)
    Ballot.objects.bulk_create([Ballot(survey=s, employee_id=pk) for pk in people])
    s.state = Survey.State.OPEN
    s.save(update_fields=["state"])
    record(
        actor, "survey.manage", s, before={"state": "draft"}, after={"state": "open", "ballots": len(people)}
    )
    return s


@transaction.atomic
def survey_close(*, survey: Survey, actor) -> Survey:
    """Closes the survey early (it closes by itself after its close date); unused tokens are dropped."""
    s = Survey.objects.select_for_update().get(pk=survey.pk)
    check(actor, "survey.manage")
    _own_department(actor, s.department, s.team)
    if s.state != Survey.State.OPEN:
        raise SurveyRefused(_("这份调查没有在进行中。"))
    BallotToken.objects.filter(survey=s).delete()
    s.state = Survey.State.CLOSED
    s.save(update_fields=["state"])
    record(actor, "survey.manage", s, before={"state": "open"}, after={"state": "closed"})
    return s


@transaction.atomic
def ballot_take(*, survey: Survey, actor, today: dt.date) -> str:
    """The person takes their one ballot; returns the single-use token that stores their answers."""
    check(actor, "survey.respond")
    survey = Survey.objects.get(pk=survey.pk)  # as it is now (opened or closed meanwhile)
    if not survey.accepts(today):
        raise SurveyRefused(_("这份调查不在填写期内。"))
    employee = getattr(actor, "employee", None)
    ballot = (
        Ballot.objects.select_for_update().filter(survey=survey, employee=employee).first()
        if employee
        else None
    )
    if ballot is None:
        raise SurveyRefused(_("您不在这份调查的对象范围内。"))
    if ballot.voted:
        raise SurveyRefused(_("您已经领取过这份调查的选票，每人只能填写一次。"))
    ballot.voted = True
    ballot.save(update_fields=["voted"])
    token = new_code()
    BallotToken.objects.create(
        survey=survey,
        token_hash=keyed_hash(token, "ballot"),
        department_id=employee.department_id,
        team_id=employee.team_id,
    )
    record(None, "survey.respond", survey, anonymous_on=today)
    return token


def _answers(survey: Survey, raw: dict[str, str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for q in survey.questions.all():
        value = (raw.get(str(q.pk)) or "").strip()
        if q.kind == Q.TEXT:
            if value:
                out[str(q.pk)] = value[:2000]
            continue
        if not value:
            raise SurveyRefused(_("请回答第 %(n)s 题。") % {"n": q.position})
        if q.kind == Q.RATING:
            if value not in {str(r) for r in RATINGS}:
                raise SurveyRefused(_("第 %(n)s 题请选择 1–5 分。") % {"n": q.position})
            out[str(q.pk)] = int(value)
        else:
            if value not in q.choices:
                raise SurveyRefused(_("第 %(n)s 题的选项不正确。") % {"n": q.position})
            out[str(q.pk)] = value
    return out


@transaction.atomic
def survey_answer(*, survey: Survey, token: str, answers: dict[str, str], actor, today: dt.date) -> None:
    """Stores the answers under a ballot token and spends it. Nothing stored names who answered."""
    check(actor, "survey.respond")
    survey = Survey.objects.get(pk=survey.pk)  # as it is now (opened or closed meanwhile)
    if not survey.accepts(today):
        raise SurveyRefused(_("这份调查不在填写期内。"))
    t = (
        BallotToken.objects.select_for_update()
        .filter(survey=survey, token_hash=keyed_hash(token, "ballot"))
        .first()
    )
    if t is None:
        raise SurveyRefused(_("选票码不正确或已经用过。"))
    Response.objects.create(
        survey=survey,
        department_id=t.department_id,
        team_id=t.team_id,
        submitted_on=today,
        answers=_answers(survey, answers),
    )
    t.delete()
    record(None, "survey.respond", survey, anonymous_on=today)
