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


def round_xlsx(rnd: Round, level_label) -> bytes:
    """The candidacies (one row each, with scores, signatures and the appointment) and the funnel;
    `level_label(track, level)` names the levels."""
    rows = []
    for c in rnd.candidacies.select_related("employee__department").order_by("employee__employee_id"):
        rows.append(
            {
                _("工号"): c.employee.employee_id,
                _("姓名"): c.employee.name,
                _("部门"): c.employee.department.name if c.employee.department else "",
                _("原职级"): level_label(c.track, c.from_level),
                _("拟任职级"): level_label(c.track, c.to_level),
                _("来源"): str(c.get_route_display()),
                _("阶段"): str(c.get_state_display()),
                _("考核成绩"): "；".join(f"{k} {v}" for k, v in c.assessment.items()),
                _("审批记录"): "；".join(f"{a['by']}（{a['as']}，{a['on']}）" for a in c.approvals),
                _("任命文号"): c.appointment_no,
                _("生效日期"): c.effective,
            }
        )
    candidates = (
        pl.DataFrame(rows, schema_overrides={_("生效日期"): pl.Date})
        if rows
        else pl.DataFrame({_("工号"): []})
    )
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
