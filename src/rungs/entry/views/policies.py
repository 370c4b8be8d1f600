"""Stored policies: list, read (with line numbers), upload a new version, run an evaluation, see runs."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from rungs.accounts.authority import abilities, may, requires
from rungs.accounts.scope import sees_everyone, visible_employees
from rungs.audit import clock
from rungs.core.policy.errors import PolicyError
from rungs.core.roles import role_label
from rungs.core.vocabulary import kind_label
from rungs.entry.forms import PolicyForm, RunForm
from rungs.people import size
from rungs.policies.models import EvaluationRun, Policy
from rungs.policies.services import (
    DuplicateVersion,
    RunRefused,
    evaluation_run_enqueue,
    evaluation_run_start,
    policy_create,
    rules_owner,
)
from rungs.policies.tasks import evaluate_policy

# Above this many employees an evaluation is left to the worker rather than run inside a request.
TASK_PATH = evaluate_policy.module_path


def numbered(text: str, bad_line: int = 0, bad_column: int = 0) -> list[dict]:
    """The lines of a policy file with their numbers, the one an error names marked."""
    return [
        {
            "n": n,
            "text": line,
            "bad": n == bad_line,
            "caret": " " * max(bad_column - 1, 0) if n == bad_line else None,
        }
        for n, line in enumerate(text.splitlines() or [""], start=1)
    ]


def run_form_for(user, policy=None) -> RunForm | None:
    if not may(user, "evaluation_run.start") or not Policy.objects.exists():
        return None
    return RunForm(initial={"policy": policy.pk} if policy else None)


def _mine(user, prefix: str = "") -> Q:
    """The decisions about people in the user's scope: a team lead's counts are of their team."""
    return Q() if sees_everyone(user) else Q(**{f"{prefix}employee__in": visible_employees(user)})


def _runs(user):
    mine = _mine(user, "decisions__")
    return (
        EvaluationRun.objects.select_related("policy", "created_by")
        .annotate(
            decided=Count("decisions", filter=mine),
            eligible=Count("decisions", filter=mine & Q(decisions__eligible=True)),
        )
        .order_by("-created_at", "-pk")
    )  # Meta.ordering does not apply to aggregating queries


@requires("policy.read")
def index(request):
    policies = Policy.objects.select_related("uploaded_by").order_by(
        "scheme", "-effective_from", "-uploaded_at"
    )
    tasks = DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("-enqueued_at")[:10]
    return render(
        request,
        "entry/policies.html",
        {
            "policies": policies,
            "runs": _runs(request.user)[:30],
            "tasks": tasks,
            "run_form": run_form_for(request.user),
            "run_now": size.small_enough(),
            "limit": size.RUN_NOW_LIMIT,
            **abilities(request.user),
        },
    )


@requires("policy.read")
def detail(request, pk: int):
    policy = get_object_or_404(Policy.objects.select_related("uploaded_by"), pk=pk)
    versions = Policy.objects.filter(scheme=policy.scheme).order_by("-effective_from", "-uploaded_at")
    return render(
        request,
        "entry/policy_detail.html",
        {
            "policy": policy,
            "owner": role_label(rules_owner(policy)) if not policy.approved else "",
            "lines": numbered(policy.text),
            "versions": versions,
            "runs": _runs(request.user).filter(policy=policy)[:10],
            "run_form": run_form_for(request.user, policy),
            "run_now": size.small_enough(),
            "limit": size.RUN_NOW_LIMIT,
            **abilities(request.user),
        },
    )


@requires("policy.read")
def whatif(request, pk: int):
    """The version against the one in force on a day: who gains or loses eligibility, by department and
    level, among the people the viewer may see."""
    import datetime as dt

    from rungs.policies.whatif import what_if

    policy = get_object_or_404(Policy, pk=pk)
    try:
        as_of = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        as_of = clock.today()
    people = None if sees_everyone(request.user) else visible_employees(request.user)
    return render(
        request,
        "entry/policy_whatif.html",
        {"policy": policy, "as_of": as_of, **what_if(policy, as_of, people)},
    )


@require_POST
@requires("policy.approve")
def approve(request, pk: int):
    from rungs.accounts.authority import Denied
    from rungs.policies.services import PolicyRefused, policy_approve

    policy = get_object_or_404(Policy, pk=pk)
    try:
        policy_approve(policy=policy, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(
            request,
            _("已批准：%(policy)s 自 %(day)s 起生效。") % {"policy": policy, "day": policy.effective_from},
        )
    except (Denied, PolicyRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
    return redirect("entry:policy", pk)


@requires("policy.create")
def upload(request):
    if request.method != "POST":
        start = request.GET.get("from", "")
        base = Policy.objects.filter(pk=start).first() if start.isdigit() else None
        form = PolicyForm(initial={"text": base.text} if base else None)
        return render(request, "entry/policy_upload.html", {"form": form, "base": base})
    form = PolicyForm(request.POST, request.FILES)
    ctx: dict = {"form": form}
    if form.is_valid():
        text, filename = form.cleaned_data["text"], form.cleaned_data["filename"]
        ctx["text"] = text
        try:
            policy = policy_create(text=text, filename=filename, actor=request.user)
        except PolicyError as exc:
            ctx["error"] = exc
            # The lines around the one the error names; the whole text stays in the textarea below.
            ctx["lines"] = (
                numbered(text, exc.line, exc.column)[max(exc.line - 9, 0) : exc.line + 8] if exc.line else []
            )
            return render(request, "entry/policy_upload.html", ctx)
        except DuplicateVersion as exc:
            ctx["duplicate"] = str(exc)
            return render(request, "entry/policy_upload.html", ctx)
        messages.success(
            request,
            _("已保存：%(label)s，版本 %(version)s，自 %(date)s 起生效。")
            % {"label": policy.label, "version": policy.version, "date": policy.effective_from.isoformat()},
        )
        return redirect("entry:policy", pk=policy.pk)
    return render(request, "entry/policy_upload.html", ctx)


@require_POST
@requires("evaluation_run.start")
def run(request):
    form = RunForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("entry:policies")
    policy, as_of = form.cleaned_data["policy"], form.cleaned_data["as_of"]
    reason = form.cleaned_data["reason"]
    try:
        return _start(request, policy, as_of, reason)
    except RunRefused as exc:
        messages.error(request, str(exc))
        return redirect("entry:policies")


def _start(request, policy, as_of, reason):
    if request.POST.get("mode") == "now":
        if not size.small_enough():
            messages.error(
                request,
                _("员工超过 %(limit)s 人，请放入后台队列运行。") % {"limit": size.RUN_NOW_LIMIT},
            )
            return redirect("entry:policies")
        result = evaluation_run_start(policy=policy, as_of=as_of, actor=request.user, reason=reason)
        messages.success(request, _("评估已完成。"))
        return redirect("entry:run", pk=result.pk)
    task = evaluation_run_enqueue(policy=policy, as_of=as_of, actor=request.user, reason=reason)
    messages.success(
        request,
        _("已放入后台队列（任务 %(id)s）。由后台任务进程 rungs worker 运行，完成后结果出现在下方列表中。")
        % {"id": str(task.id)[:8]},
    )
    return redirect("entry:policies")


@requires("policy.read")
def run_detail(request, pk: int):
    run_ = get_object_or_404(EvaluationRun.objects.select_related("policy", "created_by"), pk=pk)
    lang = get_language() or "zh-hans"
    decisions = run_.decisions.filter(_mine(request.user))
    by_kind = (
        decisions.values("kind")
        .annotate(total=Count("pk"), eligible=Count("pk", filter=Q(eligible=True)))
        .order_by("kind")
    )
    by_rule = (
        decisions.values("kind", "rule", "track", "from_level", "to_level")
        .annotate(total=Count("pk"), eligible=Count("pk", filter=Q(eligible=True)))
        .order_by("kind", "track", "from_level", "rule")
    )
    return render(
        request,
        "entry/run.html",
        {
            "run": run_,
            "people": run_.employees
            if sees_everyone(request.user)
            else decisions.values("employee").distinct().count(),
            "by_kind": [{**k, "label": kind_label(k["kind"], lang)} for k in by_kind],
            "by_rule": [{**k, "label": kind_label(k["kind"], lang)} for k in by_rule],
            **abilities(request.user),
        },
    )
