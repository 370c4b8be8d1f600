"""The cases pages: the list of cases in the viewer's scope (opening them from the latest official runs),
and one case with its trigger, its steps and the decision forms. Views parse the form and call one service
of rungs.cases.services; a refusal is shown with its reason and stores nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, may
from rungs.accounts.scope import visible_employees
from rungs.audit import clock
from rungs.cases import services
from rungs.cases.models import Case
from rungs.policies.models import EvaluationRun


def _cases(user):
    if not may(user, "case.read"):
        raise PermissionDenied(_("您没有查看处理事项的权限。"))
    return Case.objects.filter(employee__in=visible_employees(user)).select_related("employee", "owner")


@login_required
def index(request):
    cases = _cases(request.user)
    state = request.GET.get("state", "")
    if state in Case.State.values:
        cases = cases.filter(state=state)
    return render(
        request,
        "cases/index.html",
        {
            "cases": cases[:500],
            "states": Case.State.choices,
            "state": state,
            "can_open": may(request.user, "case.open"),
        },
    )


@login_required
@require_POST
def open_cases(request):
    """Cases from the latest official run of each policy version."""
    opened = []
    try:
        latest = {}
        for run in (
            EvaluationRun.objects.filter(official=True).select_related("policy").order_by("as_of", "pk")
        ):
            latest[run.policy.scheme] = run
        for run in latest.values():
            opened += services.cases_open(run=run, on=clock.today(), actor=request.user)
    except Denied as exc:
        messages.error(request, exc.reason)
        return redirect("cases:index")
    messages.success(request, _("新立案 %(n)s 件。") % {"n": len(opened)})
    return redirect("cases:index")


@login_required
def detail(request, pk):
    case = get_object_or_404(_cases(request.user), pk=pk)
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "steps": case.steps.all(),
            "outcomes": [
                (o.value, o.label)
                for o in (
                    *(
                        (Case.Outcome.CONVERT, Case.Outcome.END_ACTING)
                        if case.kind == "acting_conversion"
                        else ()
                    ),
                    Case.Outcome.OBSERVE,
                    Case.Outcome.DEMOTE,
                    Case.Outcome.ROTATE,
                    Case.Outcome.DISMISSAL,
                    Case.Outcome.NO_ACTION,
                )
            ],
            "can_decide": may(request.user, "case.decide", case.employee),
            "S": Case.State,
            "today": clock.today(),
        },
    )


def _int(raw) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        return -1


@login_required
@require_POST
def act(request, pk):
    case = get_object_or_404(_cases(request.user), pk=pk)
    p = request.POST
    try:
        if p.get("step") == "conclude":
            services.case_conclude(
                case=case, on=clock.today(), actor=request.user, reason=p.get("reason", ""),
                extend_months=_int(p.get("extend")) if p.get("extend") else 0,
            )  # fmt: skip
        else:
            services.case_decide(
                case=case, outcome=p.get("outcome", ""), on=clock.today(), actor=request.user,
                reason=p.get("reason", ""), months=_int(p.get("months")), targets=p.get("targets", ""),
            )  # fmt: skip
    except (Denied, services.CaseRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
        return redirect("cases:case", case.pk)
    messages.success(request, _("已保存。"))
    return redirect("cases:case", case.pk)
