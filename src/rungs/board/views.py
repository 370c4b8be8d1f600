"""The eligibility board, one person's progress and the team view. Every query starts from
`visible_employees`; agents see only their own progress."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.accounts.scope import visible_employees
from rungs.board import charts, team
from rungs.board.counts import people_stamp
from rungs.board.export import board_xlsx
from rungs.board.progress import monthly_scores, progress
from rungs.board.rows import board_rows, selected_step
from rungs.board.selectors import (
    PAGE_SIZE,
    STATUSES,
    BoardFilters,
    board_page,
    board_queryset,
    filter_choices,
)
from rungs.policies.policy_view import policy_view
from rungs.policies.selectors import current_run, runs_of, schemes


def _lang() -> str:
    return get_language() or "zh-hans"


def _require_manager(user) -> None:
    """The board and the team view are for team leads and above; an agent has only their own page."""
    check(user, "board.read")


def _partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def board(request):
    _require_manager(request.user)
    f = BoardFilters.from_query(request.GET)
    run = current_run(request.user, request.GET.get("scheme"))
    ctx: dict = {"run": run, "f": f, "statuses": STATUSES, "schemes": schemes(request.user)}
    if run is not None:
        pv = policy_view(run.policy)
        lang = _lang()
        step = selected_step(pv, f)
        page, people, criteria = board_page(request.user, run, f, request.GET.get("page"), PAGE_SIZE)
        choices = filter_choices(request.user)
        if f.department.isdigit():
            choices["teams"] = choices["teams"].filter(department_id=f.department)
        ctx.update(
            page=page,
            rows=board_rows(people, pv, step, lang, criteria),
            step=step,
            columns=[(c.id, c.label.get(lang)) for c in step.criteria] if step else [],
            steps=[(r.id, r.label.get(lang)) for r in pv.promotions()],
            tracks=[(t.id, t.label.get(lang)) for t in pv.policy.tracks.values()],
            levels=_level_choices(pv, f.track, lang),
            **choices,
        )
    response = render(request, "board/_table.html" if _partial(request) else "board/board.html", ctx)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _level_choices(pv, track: str, lang: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for _track, level, label in pv.level_choices(track):
        seen.setdefault(level, label.get(lang))
    return list(seen.items())


def board_export(request):
    _require_manager(request.user)
    run = current_run(request.user, request.GET.get("scheme"))
    if run is None:
        raise Http404(_("还没有评估结果"))
    f = BoardFilters.from_query(request.GET)
    pv = policy_view(run.policy)
    data = board_xlsx(board_queryset(request.user, run, f), pv, selected_step(pv, f), _lang())
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="rungs-board-{run.as_of.isoformat()}.xlsx"'
    return response


def my_progress(request):
    if not request.user.employee_id:
        return render(request, "board/progress.html", {"unlinked": True})
    return _progress_page(request, request.user.employee, mine=True)


def employee_progress(request, employee_id: str):
    employee = get_object_or_404(visible_employees(request.user), employee_id=employee_id)
    return _progress_page(request, employee, mine=employee.pk == request.user.employee_id)


def _progress_page(request, employee, *, mine: bool):
    """The person's results in the current run covering them, or in an older run (`?run=`) of theirs."""
    earlier = runs_of(employee, request.user)
    chosen = request.GET.get("run", "")
    run = (
        earlier.filter(pk=chosen).first()
        if chosen.isdigit()
        else current_run(request.user, employee=employee)
    )
    if chosen.isdigit() and run is None:
        raise Http404
    ctx: dict = {"employee": employee, "run": run, "mine": mine, "earlier": earlier[:24]}
    if run is not None:
        lang = _lang()
        ctx.update(progress(employee, run, policy_view(run.policy), lang))
        scores, ranks = monthly_scores(employee, run.as_of)
        ctx["score_chart"] = charts.line_chart(scores, title=_("月度考核得分"), css_class="chart scores")
        if any(p.value is not None for p in ranks):
            ctx["rank_chart"] = charts.line_chart(
                ranks, title=_("班组内排名（1为最好）"), invert=True, css_class="chart ranks"
            )
    return render(request, "board/progress.html", ctx)


def team_view(request):
    _require_manager(request.user)
    run = current_run(request.user, request.GET.get("scheme"))
    choices = filter_choices(request.user)
    code = request.GET.get("team", "").strip()
    metric = request.GET.get("metric", team.DEFAULT_METRIC)
    if metric not in team.METRICS:
        metric = team.DEFAULT_METRIC
    people = visible_employees(request.user)
    if code:
        people = people.filter(team__code=code)
    ctx: dict = {"run": run, "team_code": code, "metric": metric, "metrics": team.METRICS, **choices}
    if run is not None:
        lang = _lang()
        pv = policy_view(run.policy)
        # Everyone's view reads the stamp of the people once, for its counts and its trends.
        stamp = None if people.query.where else people_stamp()
        ctx.update(team.overview(people, run, pv, lang, stamp))
        scores, kpi = team.trends(people, run.as_of, metric, stamp)
        ctx["score_chart"] = charts.line_chart(scores, title=_("月均考核得分"), css_class="chart scores")
        ctx["kpi_label"] = team.METRICS[metric]
        ctx["kpi_chart"] = charts.line_chart(kpi, title=str(team.METRICS[metric]), css_class="chart kpi")
    return render(request, "board/team.html", ctx)
