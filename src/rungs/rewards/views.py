"""The reward pages: the published plans (everyone), my statement with its disputes, the team's statement,
the runs (start, approve within budget, paid), the awards HR posts by hand, the disputes HR answers, the
payroll export and the what-if.
Views parse the form and call one service or selector; a refusal is shown with its reason."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, check, may
from rungs.accounts.scope import visible_employees
from rungs.audit import clock
from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import parse_policy
from rungs.core.rewards.cycle import parse_cycle
from rungs.people.models import Employee
from rungs.policies.models import Policy
from rungs.rewards import awards as awards_service
from rungs.rewards import selectors, services, whatif
from rungs.rewards.models import AWARDS, Dispute, RewardLine, RewardRun, amount_text
from rungs.rewards.plain import plan_words


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _named(lines):
    """The lines with the names of their plans and components for the 方案 column."""
    return selectors.with_plan_names(lines, _lang())


def _reward_policies():
    """The version in force today of each scheme that has reward plans (company-wide versions)."""
    out = []
    schemes = Policy.objects.filter(department__isnull=True).values_list("scheme", flat=True).distinct()
    for scheme in sorted(set(schemes)):
        p = Policy.in_force(clock.today(), scheme)
        if p is not None and p.parsed.rewards.plans:
            out.append(p)
    return out


@login_required
def plans(request):
    """公开透明: every plan in force, in words, for every employee."""
    shown = [
        {"policy": p, "plans": [plan_words(p.parsed, plan) for plan in p.parsed.rewards.plans]}
        for p in _reward_policies()
    ]
    return render(request, "rewards/plans.html", {"policies": shown})


def _totals(lines) -> dict:
    """The footer of a list of lines: the yuan they sum to, and the points apart (积分 are no money)."""
    points = [ln.amount for ln in lines if ln.unit == RewardLine.Unit.POINTS]
    return {
        "total": sum((ln.amount for ln in lines if ln.unit == RewardLine.Unit.YUAN), Decimal(0)),
        "points": amount_text(sum(points, Decimal(0)), RewardLine.Unit.POINTS) if points else "",
    }


@login_required
def statement(request):
    cycle = request.GET.get("cycle", "")
    lines = _named(awards_service.with_occasions(selectors.my_lines(request.user, cycle), request.user))
    mine = [request.user.employee_id] if request.user.employee_id else []
    return render(
        request,
        "rewards/statement.html",
        {
            "lines": lines,
            **_totals(lines),
            "cycle": cycle,
            "cycles": selectors.cycles(selectors.my_lines(request.user)),
            "balance": _points(selectors.points_balances(mine).get(request.user.employee_id)),
        },
    )


def _points(value) -> str:
    """A points balance as written ('120'); 0 when there is none."""
    return amount_text(value or Decimal(0), RewardLine.Unit.POINTS)


@login_required
@require_POST
def dispute(request, pk):
    line = get_object_or_404(selectors.my_lines(request.user), pk=pk)
    try:
        services.line_dispute(line=line, text=request.POST.get("text", ""), actor=request.user)
    except (Denied, services.RewardRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
    else:
        messages.success(request, _("异议已提交，人力资源部会答复。"))
    return redirect(f"{_url('rewards:statement')}?cycle={line.cycle}")


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
def team(request):
    if not may(request.user, "reward.read"):
        raise PermissionDenied(_("您的角色不能查看他人的奖励明细。"))
    scope = RewardLine.objects.filter(employee__in=visible_employees(request.user)).exclude(
        state=RewardLine.State.DISCARDED
    )
    all_cycles = selectors.cycles(scope)
    cycle = request.GET.get("cycle") or (all_cycles[0] if all_cycles else "")
    lines = _named(awards_service.with_occasions(selectors.team_lines(request.user, cycle), request.user))
    balances = selectors.points_balances(visible_employees(request.user))
    people = Employee.objects.filter(pk__in=list(balances)).order_by("employee_id")
    return render(
        request,
        "rewards/team.html",
        {
            "lines": lines,
            "cycle": cycle,
            "cycles": all_cycles,
            **_totals(lines),
            "balances": [(e, _points(balances[e.pk])) for e in people],
        },
    )


@login_required
def runs(request):
    if not (may(request.user, "reward.run") or may(request.user, "reward.approve")):
        raise PermissionDenied(_("您的角色不能查看奖励核算。"))
    if request.method == "POST":
        policy = get_object_or_404(Policy, pk=request.POST.get("policy"))
        cycle = request.POST.get("cycle", "")
        try:
            if request.POST.get("queue"):
                services.reward_run_enqueue(policy=policy, cycle=cycle, actor=request.user)
                messages.success(request, _("已放入后台队列，完成后出现在下面的列表中。"))
                return redirect("rewards:runs")
            run = services.reward_run_start(policy=policy, cycle=cycle, actor=request.user)
        except (Denied, services.RewardRefused) as exc:
            messages.error(request, getattr(exc, "reason", None) or str(exc))
            return redirect("rewards:runs")
        messages.success(
            request, _("已核算 %(cycle)s：%(n)s 条明细。") % {"cycle": run.cycle, "n": run.lines.count()}
        )
        return redirect("rewards:run", run.pk)
    listed = RewardRun.objects.select_related("policy").annotate(
        n=Count("lines"),
        total=Sum("lines__amount", filter=Q(lines__unit="yuan")),
        points=Sum("lines__amount", filter=Q(lines__unit="points")),
        accrued=Count("lines", filter=Q(lines__state="accrued")),
    )[:200]
    return render(
        request,
        "rewards/runs.html",
        {
            "runs": listed,
            "policies": _reward_policies(),
            "can_run": may(request.user, "reward.run"),
            "can_award": may(request.user, "reward.award"),
            "can_undisclose": may(request.user, "reward.confidential"),
            "this_month": f"{clock.today():%Y-%m}",
        },
    )


@login_required
def run(request, pk):
    if not (may(request.user, "reward.run") or may(request.user, "reward.approve")):
        raise PermissionDenied(_("您的角色不能查看奖励核算。"))
    r = get_object_or_404(RewardRun.objects.select_related("policy"), pk=pk)
    lines = _named(
        awards_service.with_occasions(
            r.lines.select_related("employee").order_by("employee__employee_id", "plan", "component", "pk"),
            request.user,
        )
    )
    names = selectors.plan_names(r.policy, _lang())
    states = dict(RewardLine.State.choices)
    per_plan = [
        {
            **row,
            "name": names.get(row["plan"], row["plan"]),
            "state_label": states.get(row["state"], row["state"]),
        }
        for row in r.lines.values("plan", "state", "unit")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("plan", "state", "unit")
    ]
    return render(
        request,
        "rewards/run.html",
        {
            "run": r,
            "lines": lines,
            "per_plan": per_plan,
            "plans": [(p.id, p.label.zh) for p in r.policy.parsed.rewards.plans if p.id in r.plans]
            if r.policy_id
            else [],
            "pay_changes": r.pay_changes.select_related("employee"),
            "can_approve": may(request.user, "reward.approve"),
            "can_pay": may(request.user, "reward.pay"),
            "can_export": may(request.user, "reward.export"),
            # offered while it may succeed: a plans run, not discarded, with every line still accrued
            "can_discard": may(request.user, "reward.discard")
            and not r.is_awards
            and not r.is_discarded
            and not r.lines.exclude(state=RewardLine.State.ACCRUED).exists(),
        },
    )


@login_required
@require_POST
def run_act(request, pk):
    r = get_object_or_404(RewardRun, pk=pk)
    step = request.POST.get("step")
    try:
        if step == "pay":
            n = services.reward_run_pay(run=r, actor=request.user)
            messages.success(request, _("已登记发放 %(n)s 条明细。") % {"n": n})
        elif step == "discard":
            if not request.POST.get("confirm"):
                raise services.RewardRefused(_("请勾选“确认作废”后再提交。"))
            n = services.reward_run_discard(run=r, reason=request.POST.get("reason", ""), actor=request.user)
            messages.success(
                request,
                _("已作废本次核算（%(n)s 条明细），可重新核算 %(cycle)s。") % {"n": n, "cycle": r.cycle},
            )
        else:
            n = services.reward_run_approve(run=r, actor=request.user, plan=request.POST.get("plan", ""))
            messages.success(request, _("已批准 %(n)s 条明细。") % {"n": n})
    except (Denied, services.RewardRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
    return redirect("rewards:run", r.pk)


@login_required
def awards(request):
    """专项奖励: post an award (HR for anyone, a department manager in their department) and the awards of
    the people in one's scope, newest cycle first."""
    check(request.user, "reward.award")
    if request.method == "POST":
        p = request.POST
        code = (p.get("employee") or "").strip()
        employee = (
            visible_employees(request.user).select_related("department").filter(employee_id=code).first()
        )
        try:
            if employee is None:
                raise awards_service.AwardRefused(
                    _("找不到工号 %(code)s（或不在您的范围内）。") % {"code": code or "—"}
                )
            line = awards_service.award_post(
                employee=employee, cycle=p.get("cycle", ""), amount=p.get("amount", ""),
                unit=p.get("unit", RewardLine.Unit.YUAN), reason=p.get("reason", ""), actor=request.user,
                undisclosed=p.get("undisclosed") == "1",
            )  # fmt: skip
        except (Denied, awards_service.AwardRefused) as exc:
            messages.error(request, getattr(exc, "reason", None) or str(exc))
        else:
            messages.success(
                request,
                _("已登记 %(name)s %(cycle)s 的专项奖励 %(amount)s，待批准。")
                % {"name": employee.name, "cycle": line.cycle, "amount": line.shown},
            )
        return redirect("rewards:runs" if p.get("back") == "runs" else "rewards:awards")
    listed = (
        RewardLine.objects.filter(plan=AWARDS, employee__in=visible_employees(request.user))
        .select_related("employee")
        .order_by("-cycle", "-pk")[:300]
    )
    lines = _named(awards_service.with_occasions(listed, request.user))
    return render(
        request,
        "rewards/awards.html",
        {
            "lines": lines,
            **_totals(lines),
            "this_month": f"{clock.today():%Y-%m}",
            "can_undisclose": may(request.user, "reward.confidential"),
        },
    )


@login_required
def disputes(request):
    check(request.user, "reward.decide")
    listed = (
        Dispute.objects.filter(line__employee__in=visible_employees(request.user))
        .select_related("line__employee", "raised_by", "answered_by")
        .order_by("state", "-raised_at")[:300]
    )
    return render(request, "rewards/disputes.html", {"disputes": listed})


@login_required
@require_POST
def decide(request, pk):
    d = get_object_or_404(Dispute, pk=pk)
    p = request.POST
    try:
        services.dispute_decide(
            dispute=d, upheld=p.get("outcome") == "upheld", answer=p.get("answer", ""), actor=request.user,
            corrected_amount=p.get("corrected") or None,
        )  # fmt: skip
    except (Denied, services.RewardRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
    else:
        messages.success(request, _("已答复。"))
    return redirect("rewards:disputes")


@login_required
def payroll(request, cycle):
    check(request.user, "reward.export")
    try:
        label = parse_cycle(cycle).label
    except ValueError as exc:
        raise PermissionDenied(str(exc)) from None
    if request.GET.get("format") == "csv":
        resp = HttpResponse(selectors.payroll_csv(label), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="payroll-{label}.csv"'
        return resp
    resp = HttpResponse(
        selectors.payroll_xlsx(label),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp["Content-Disposition"] = f'attachment; filename="payroll-{label}.xlsx"'
    return resp


@login_required
def what_if(request):
    check(request.user, "reward.whatif")
    policies = _reward_policies()
    ctx: dict = {"policies": policies, "result": None, "error": ""}
    if request.method == "POST":
        p = request.POST
        ctx.update(text=p.get("text", ""), cycle=p.get("cycle", ""), chosen=p.get("policy", ""))
        current = next((x for x in policies if str(x.pk) == p.get("policy")), None)
        try:
            if current is None:
                raise ValueError(_("请选择现行的奖励方案。"))
            cycle = parse_cycle(p.get("cycle", ""))
            draft = parse_policy(p.get("text", ""), "draft.yaml")
            ctx["result"] = whatif.compare(current.parsed, draft, cycle)
            ctx["current"] = current
        except (PolicyError, ValueError) as exc:
            ctx["error"] = str(exc)
    return render(request, "rewards/whatif.html", ctx)
