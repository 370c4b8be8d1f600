"""The satisfaction and expectation dashboard of a survey series (table, trend chart, CSV). Every number
comes from rungs.voice.dashboard, which takes each round's cells from rungs.voice.results."""

from __future__ import annotations

import polars as pl
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.audit import clock
from rungs.board.charts import Point, line_chart
from rungs.core.interchange.spreadsheet import csv_safe
from rungs.voice import dashboard as dash
from rungs.voice.models import Question, Survey
from rungs.voice.survey_views import KINDS, series_names, surveys_for


def _dashboard(request) -> tuple[list[str], dash.Dashboard | None]:
    check(request.user, "survey.results")
    names = series_names(request.user)
    chosen = request.GET.get("series", "")
    if chosen not in names:
        chosen = names[0] if names else ""
    if not chosen:
        return names, None
    surveys = list(
        surveys_for(request.user)
        .filter(series=chosen)
        .exclude(state=Survey.State.DRAFT)
        .prefetch_related("questions")
    )
    return names, dash.series_dashboard(chosen, surveys, request.user, clock.today())


@login_required
def dashboard(request):
    names, board = _dashboard(request)
    charts = []
    current = None
    if board is not None and board.rows:
        keys = [k for k, _l, _kind in board.rows]
        key = request.GET.get("group", "")
        key = key if key in keys else keys[0]
        current = next(r for r in board.rows if r[0] == key)
        for t in board.tables:
            if t.kind != Question.Kind.RATING:
                continue
            row = next(r for r in t.rows if r.key == key)
            points = [
                Point(rnd.label, float(c.mean) if c.state == dash.SHOWN and c.mean is not None else None)
                for rnd, c in zip(board.rounds, row.cells, strict=True)
            ]
            title = _("%(group)s · %(question)s（平均分）") % {"group": current[1], "question": t.text}
            charts.append((t.text, line_chart(points, title=title, css_class="chart satisfaction")))
    return render(
        request,
        "voice/dashboard.html",
        {
            "names": names,
            "board": board,
            "current": current,
            "charts": charts,
            "KINDS": KINDS,
            "hidden": _("答卷人数不足该轮的最小报告人数（或可由其他分组推算），不显示。"),
        },
    )


@login_required
def export(request):
    """The dashboard's shown cells as CSV (the one CSV writer of the exports); hidden cells are absent."""
    _names, board = _dashboard(request)
    cells = []
    for t in board.tables if board else []:
        for row in t.rows:
            for rnd, c in zip(board.rounds, row.cells, strict=True):
                if c.state != dash.SHOWN:
                    continue
                head = [t.text, str(KINDS[row.kind]), row.label, rnd.label, rnd.survey.title, str(c.n)]
                if c.mean is not None:
                    cells.append([*head, _("平均分"), str(c.mean)])
                cells.extend([*head, label, f"{share}%"] for label, share in c.shares)
    columns = [_("题目"), _("分组类型"), _("分组"), _("轮次"), _("调查"), _("答卷人数"), _("项目"), _("数值")]
    frame = pl.DataFrame(cells, schema=dict.fromkeys(columns, pl.String), orient="row")
    response = HttpResponse("\ufeff" + csv_safe(frame).write_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rungs-survey-dashboard.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
