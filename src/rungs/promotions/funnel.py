"""How a round is going: how many candidacies reached each stage (the funnel), how many wait in it now, and
how long they spent there (time in stage, from the stage records), and the round as a workbook."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _

from rungs.core.interchange.spreadsheet import workbook_bytes
from rungs.promotions.models import Candidacy, Round, Transition

ORDER = [s for s in Candidacy.State.values]  # the stages in the order a candidacy passes them


@dataclass(frozen=True)
class Stage:
    state: str
    label: str
    reached: int  # candidacies that ever entered the stage
    now: int  # candidacies in it now
    mean_days: float | None  # mean days spent in it, over those that left it


def funnel(rnd: Round, now: dt.datetime | None = None) -> list[Stage]:
    now = now or timezone.now()
    entered: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    for cid, to_state, at in (
        Transition.objects.filter(candidacy__round=rnd)
        .order_by("candidacy", "pk")
        .values_list("candidacy", "to_state", "at")
    ):
        steps = entered[cid]
        if not steps or steps[-1][0] != to_state:  # a signature within a stage is not a new stage
            steps.append((to_state, at))
    reached: dict[str, int] = defaultdict(int)
    spent: dict[str, list[float]] = defaultdict(list)
    current: dict[str, int] = defaultdict(int)
    for steps in entered.values():
        for i, (state, at) in enumerate(steps):
            reached[state] += 1
            if i + 1 < len(steps):
                spent[state].append((steps[i + 1][1] - at).total_seconds() / 86400)
        current[steps[-1][0]] += 1
    labels = dict(Candidacy.State.choices)
    return [
        Stage(
            s,
            str(labels[s]),
            reached[s],
            current[s],
            round(sum(spent[s]) / len(spent[s]), 1) if spent[s] else None,
        )
        for s in ORDER
        if reached[s]
    ]


def _due_cells(c: Candidacy, today: dt.date, calendar) -> dict:
    """The step the candidacy waits in and by when: its stage, due date, whether that date is provisional
    (待定), the working days left after `today` (0 on the due day) and whether it is due soon or overdue."""
    from rungs.core.deadlines import days_left
    from rungs.promotions.deadlines import badge, stage_label

    kind = badge(c, today, calendar) if c.due_on else None
    return {
        _("待办环节"): stage_label(c.due_stage, c.due_step) if c.due_stage else None,
        _("办理期限"): c.due_on,
        _("期限待定"): c.due_provisional if c.due_on else None,
        _("剩余工作日"): days_left(today, c.due_on, calendar) if c.due_on and kind != "overdue" else None,
        _("期限状态"): {"soon": _("即将到期"), "overdue": _("已逾期")}.get(kind or ""),  # blank: neither
    }


def round_xlsx(rnd: Round, level_label, today: dt.date) -> bytes:
    """The candidacies (one row each, with scores, signatures, the step they wait in and by when, as of
    `today`, and the appointment) and the funnel; `level_label(track, level)` names the levels."""
    from rungs.records.calendar import company_calendar

    rows = []
    candidacies = list(
        rnd.candidacies.select_related("employee__department").order_by("employee__employee_id")
    )
    calendar = company_calendar() if any(c.due_on for c in candidacies) else None
    for c in candidacies:
        c.round = rnd  # one round and its parsed policy for every row
        rows.append(
            {
                _("工号"): c.employee.employee_id,
                _("姓名"): c.employee.name,
                _("部门"): c.employee.department.name if c.employee.department else "",
                _("原职级"): level_label(c.track, c.from_level),
                _("拟任职级"): level_label(c.track, c.to_level),
                _("来源"): str(c.get_route_display()),
                _("阶段"): str(c.get_state_display()),
                **_due_cells(c, today, calendar),
                _("考核成绩"): "；".join(f"{k} {v}" for k, v in c.assessment.items()),
                _("审批记录"): "；".join(f"{a['by']}（{a['as']}，{a['on']}）" for a in c.approvals),
                _("任命文号"): c.appointment_no,
                _("生效日期"): c.effective,
            }
        )
    types = {
        _("待办环节"): pl.String,
        _("办理期限"): pl.Date,
        _("期限待定"): pl.Boolean,
        _("剩余工作日"): pl.Int64,
        _("期限状态"): pl.String,
        _("生效日期"): pl.Date,
    }
    candidates = pl.DataFrame(rows, schema_overrides=types) if rows else pl.DataFrame({_("工号"): []})
    stages = funnel(rnd)
    flow = pl.DataFrame(
        {
            _("阶段"): [s.label for s in stages],
            _("进入人数"): [s.reached for s in stages],
            _("当前人数"): [s.now for s in stages],
            _("平均停留天数"): [s.mean_days for s in stages],
        },
        schema_overrides={_("平均停留天数"): pl.Float64, _("进入人数"): pl.Int64, _("当前人数"): pl.Int64},
    )
    return workbook_bytes({_("候选人"): candidates, _("漏斗"): flow})
