"""The survey pages: the list (and a new survey), one survey (open, close, take a ballot), the ballot form,
the results by group and their export. Results come only from rungs.voice.results, which decides what is
shown; a hidden group is named but nothing of it is shown, not even how many answered."""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, check, may
from rungs.accounts.models import Role
from rungs.accounts.scope import sees_everyone
from rungs.audit import clock
from rungs.core.interchange.spreadsheet import csv_safe
from rungs.people.models import Department, Team
from rungs.voice import results, surveys
from rungs.voice.models import Ballot, Survey


def surveys_for(user):
    """Company-wide roles see every survey; supervisors and department managers those of everyone and of
    their department (its teams' too); everyone else those of everyone, their department and their team."""
    qs = Survey.objects.select_related("department", "team")
    if sees_everyone(user):
        return qs
    department, team = user.department_id, user.team_id
    if user.employee_id:
        department, team = department or user.employee.department_id, team or user.employee.team_id
    mine = Q(department__isnull=True)
    if department is not None and user.role in (Role.SUPERVISOR, Role.DEPARTMENT_MANAGER):
        mine |= Q(department_id=department)  # their department's surveys, the teams' included
    elif department is not None:
        mine |= Q(department_id=department, team__isnull=True)
    if team is not None:
        mine |= Q(team_id=team)
    return qs.filter(mine)


@login_required
def index(request):
    user = request.user
    rows = surveys_for(user)
    if not may(user, "survey.manage"):
        rows = rows.exclude(state=Survey.State.DRAFT)
    can_manage = may(user, "survey.manage")
    wide = sees_everyone(user)
    return render(
        request,
        "voice/surveys.html",
        {
            "surveys": rows[:200],
            "can_manage": can_manage,
            "departments": Department.objects.all()
            if wide
            else Department.objects.filter(pk=user.department_id),
            "teams": Team.objects.all() if wide else Team.objects.filter(department_id=user.department_id),
            "wide": wide,
            "today": clock.today(),
            "series": series_names(user),
            "can_results": may(user, "survey.results"),
        },
    )


def series_names(user) -> list[str]:
    """The series of the surveys the user sees (drafts left out)."""
    rows = surveys_for(user).exclude(series="").exclude(state=Survey.State.DRAFT)
    return sorted(set(rows.values_list("series", flat=True)))


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@login_required
@require_POST
def create(request):
    p = request.POST
    opens_on, closes_on = _date(p.get("opens_on", "")), _date(p.get("closes_on", ""))
    try:
        min_group = int(p.get("min_group") or 5)
    except ValueError:
        min_group = 0
    target = p.get("target", "all")
    department = team = None
    if target.startswith("d"):
        department = get_object_or_404(Department, pk=target[1:] or 0)
    elif target.startswith("t"):
        team = get_object_or_404(Team, pk=target[1:] or 0)
    try:
        if opens_on is None or closes_on is None:
            raise surveys.SurveyRefused(_("请填写开始和截止日期。"))
        survey = surveys.survey_create(
            title=p.get("title", ""),
            intro=p.get("intro", ""),
            questions=surveys.parse_questions(p.get("questions", "")),
            opens_on=opens_on,
            closes_on=closes_on,
            department=department,
            team=team,
            min_group=min_group,
            series=p.get("series", ""),
            actor=request.user,
        )
    except (Denied, surveys.SurveyRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
        return redirect("voice:surveys")
    messages.success(request, _("已保存草稿，发布后即可填写。"))
    return redirect("voice:survey", survey.pk)


def _survey(request, pk):
    s = get_object_or_404(surveys_for(request.user), pk=pk)
    if s.state == Survey.State.DRAFT and not may(request.user, "survey.manage"):
        raise Http404
    return s


@login_required
def detail(request, pk):
    s = _survey(request, pk)
    user, day = request.user, clock.today()
    ballot = (
        Ballot.objects.filter(survey=s, employee_id=user.employee_id).first() if user.employee_id else None
    )
    return render(
        request,
        "voice/survey.html",
        {
            "survey": s,
            "questions": s.questions.all(),
            "ballot": ballot,
            "accepts": s.accepts(day),
            "closed": s.is_closed(day),
            "can_manage": may(user, "survey.manage"),
            "can_results": may(user, "survey.results"),
            "voted": s.ballots.filter(voted=True).count() if may(user, "survey.manage") else None,
            "eligible": s.ballots.count() if may(user, "survey.manage") else None,
        },
    )


@login_required
@require_POST
def act(request, pk):
    """Open or close a survey (its managers)."""
    s = _survey(request, pk)
    step = request.POST.get("step", "")
    try:
        if step == "open":
            surveys.survey_open(survey=s, actor=request.user)
        elif step == "close":
            surveys.survey_close(survey=s, actor=request.user)
        else:
            raise surveys.SurveyRefused(_("未知的操作。"))
    except (Denied, surveys.SurveyRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
        return redirect("voice:survey", s.pk)
    messages.success(request, _("已保存。"))
    return redirect("voice:survey", s.pk)


@login_required
@require_POST
def set_series(request, pk):
    s = _survey(request, pk)
    try:
        surveys.survey_series_set(survey=s, series=request.POST.get("series", ""), actor=request.user)
    except (Denied, surveys.SurveyRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
    else:
        messages.success(request, _("已保存。"))
    return redirect("voice:survey", s.pk)


def _ballot_page(request, s, token, error="", status=200):
    response = render(
        request,
        "voice/ballot.html",
        {"survey": s, "questions": s.questions.all(), "token": token, "error": error, "given": request.POST},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
@never_cache
@sensitive_post_parameters("token")
def ballot(request, pk):
    """Take the ballot (step=take) and get the form with its token; or answer with a token (step=answer)
    — the token may also be typed in, to finish a form left before sending it."""
    s = _survey(request, pk)
    p, day = request.POST, clock.today()
    try:
        if p.get("step") == "take":
            return _ballot_page(request, s, surveys.ballot_take(survey=s, actor=request.user, today=day))
        if p.get("step") == "resume":
            return _ballot_page(request, s, p.get("token", ""))
        answers = {k[2:]: v for k, v in p.items() if k.startswith("q_")}
        surveys.survey_answer(
            survey=s, token=p.get("token", ""), answers=answers, actor=request.user, today=day
        )
    except surveys.SurveyRefused as exc:
        if p.get("step") == "answer":
            return _ballot_page(request, s, p.get("token", ""), str(exc), status=400)
        messages.error(request, str(exc))
        return redirect("voice:survey", s.pk)
    response = render(request, "voice/ballot_done.html", {"survey": s})
    response["Cache-Control"] = "private, no-store"
    return response


def _readable(request, pk):
    check(request.user, "survey.results")
    s = _survey(request, pk)
    groups = [g for g in results.survey_groups(s, clock.today()) if results.readable_by(request.user, g)]
    return s, groups


@login_required
def results_page(request, pk):
    s, groups = _readable(request, pk)
    key = request.GET.get("group") or (groups[0].key if groups else "")
    current = next((g for g in groups if g.key == key), None)
    return render(
        request,
        "voice/results.html",
        {
            "survey": s,
            "groups": groups,
            "current": current,
            "rows": results.question_results(s, current) if current and current.shown else [],
            "closed": s.is_closed(clock.today()),
            "hidden": results.hidden_label(s),
        },
    )


KINDS = {"all": gettext_lazy("全部"), "department": gettext_lazy("部门"), "team": gettext_lazy("班组")}


@login_required
def export(request, pk):
    """The results of every shown group the reader may see, as CSV (the one CSV writer of the exports)."""
    s, groups = _readable(request, pk)
    cells = []
    for g in groups:
        if not g.shown:
            continue
        for r in results.question_results(s, g):
            head = [str(KINDS[g.kind]), g.label, str(g.n), str(r.question.position), r.question.text]
            if r.mean is not None:
                cells.append([*head, _("平均分"), str(r.mean)])
            cells.extend([*head, label, str(count)] for label, count in r.counts)
            cells.extend([*head, _("文字意见"), text] for text in r.comments)
    columns = [_("分组类型"), _("分组"), _("答卷人数"), _("题号"), _("题目"), _("项目"), _("数值")]
    frame = pl.DataFrame(cells, schema=dict.fromkeys(columns, pl.String), orient="row")
    body = "\ufeff" + csv_safe(frame).write_csv()
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rungs-survey-{s.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
