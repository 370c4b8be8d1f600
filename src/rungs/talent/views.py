"""The talent pages: the reserve pools (building one for a key post, its members with readiness, the
9-box and the successors), and each employee's career file with the 员工职业发展规划表 (filled online,
printable) and the career talks. Views parse the form and call one service of rungs.talent.services; a
refusal is shown with its reason and stores nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, check, may
from rungs.accounts.scope import sees_everyone, visible_employees
from rungs.audit import clock
from rungs.people.models import Department
from rungs.policies.policy_view import policy_view
from rungs.policies.selectors import current_run, policies_in_force
from rungs.talent import selectors, services
from rungs.talent.models import (
    CAREER_TRACKS,
    NEEDS,
    SKILL_KINDS,
    Band,
    CareerPlan,
    CareerTalk,
    PlanReview,
    Readiness,
    ReservePool,
)


def _refused(request, exc) -> None:
    messages.error(request, getattr(exc, "reason", None) or str(exc))


def _lang() -> str:
    return get_language() or "zh-hans"


@login_required
def index(request):
    user = request.user
    can_read, can_manage = may(user, "talent.read"), may(user, "talent.manage")
    pools = (
        ReservePool.objects.select_related("department", "policy") if can_read else ReservePool.objects.none()
    )
    if can_read and not sees_everyone(user):
        mine = user.department_id or getattr(getattr(user, "employee", None), "department_id", None)
        pools = pools.filter(department_id=mine) | pools.filter(department__isnull=True)
    rules = []
    for policy in policies_in_force(clock.today()) if can_manage else []:
        rules += [(policy, r) for r in policy.parsed.reserves()]
    lang = _lang()
    return render(
        request,
        "talent/index.html",
        {
            "pools": [
                (
                    p,
                    policy_view(p.policy).level_label(p.track, p.level, lang),
                    p.members.filter(qualifies=True).count(),
                )
                for p in pools
            ],
            "can_manage": can_manage,
            "rules": [(f"{p.pk}:{r.id}", r.label.get(lang), p.label) for p, r in rules],
            "departments": Department.objects.order_by("name") if can_manage else [],
            "people": visible_employees(user).order_by("employee_id")[:500] if can_read else [],
        },
    )


@login_required
@require_POST
def pool_create(request):
    policy_pk, _sep, rule = request.POST.get("rule", "").partition(":")
    policy = next((p for p in policies_in_force(clock.today()) if str(p.pk) == policy_pk), None)
    department = Department.objects.filter(pk=request.POST.get("department") or None).first()
    try:
        if policy is None:
            raise services.TalentRefused(_("请选择生效策略中的储备规则。"))
        pool = services.pool_create(policy=policy, rule=rule, department=department, actor=request.user)
        run = current_run(None, scheme=policy.scheme)
        if run is not None:
            services.pool_refresh(pool=pool, run=run, on=clock.today(), actor=request.user)
    except (Denied, services.TalentRefused) as exc:
        _refused(request, exc)
        return redirect("talent:index")
    messages.success(request, _("已建立储备人才库。"))
    return redirect("talent:pool", pool.pk)


def _pool(request, pk) -> ReservePool:
    check(request.user, "talent.read")
    return get_object_or_404(ReservePool.objects.select_related("policy", "department", "run"), pk=pk)


@login_required
def pool_detail(request, pk):
    pool = _pool(request, pk)
    user, lang = request.user, _lang()
    pv = policy_view(pool.policy)
    members = list(selectors.members_of(pool, user))
    for mb in members:
        mb.from_label = pv.level_label(pool.track, mb.from_level, lang)
    return render(
        request,
        "talent/pool.html",
        {
            "pool": pool,
            "post": pv.level_label(pool.track, pool.level, lang),
            "members": members,
            "grid": selectors.nine_box(members),
            "bands": Band.choices,
            "readiness": Readiness.choices,
            "can_manage": may(user, "talent.manage"),
            "can_calibrate": may(user, "talent.calibrate"),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def pool_act(request, pk):
    pool = _pool(request, pk)
    p, user = request.POST, request.user
    try:
        step = p.get("step")
        if step == "refresh":
            run = current_run(None, scheme=pool.policy.scheme)
            if run is None:
                raise services.TalentRefused(_("这个策略还没有正式的评估结果。"))
            services.pool_refresh(pool=pool, run=run, on=clock.today(), actor=user)
        elif step == "successors":
            ids = [x for x in p.get("order", "").replace("，", ",").replace(" ", ",").split(",") if x]
            by_id = {mb.employee.employee_id: mb for mb in pool.members.select_related("employee")}
            missing = [x for x in ids if x not in by_id]
            if missing:
                raise services.TalentRefused(_("储备库中没有 %(ids)s。") % {"ids": "、".join(missing)})
            services.successors_set(pool=pool, members=[by_id[x] for x in ids], actor=user)
        else:
            member = get_object_or_404(pool.members, pk=p.get("member"))
            if step == "override":
                services.member_readiness_override(
                    member=member, readiness=p.get("readiness", ""), reason=p.get("reason", ""), actor=user
                )
            elif step == "calibrate":
                services.member_calibrate(
                    member=member, performance=p.get("performance", ""), potential=p.get("potential", ""),
                    met_on=_date(p.get("met_on")) or clock.today(), note=p.get("note", ""), actor=user,
                )  # fmt: skip
    except (Denied, services.TalentRefused) as exc:
        _refused(request, exc)
        return redirect("talent:pool", pool.pk)
    messages.success(request, _("已保存。"))
    return redirect("talent:pool", pool.pk)


def _date(raw) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None


# ---- career files -----------------------------------------------------------------------------------------


def _person(request, code):
    employee = get_object_or_404(visible_employees(request.user), employee_id=code)
    check(request.user, "career.read", employee)
    return employee


@login_required
def my_file(request):
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("talent:file", code)
    if not request.user.employee_id:
        return redirect("talent:index")
    return redirect("talent:file", request.user.employee.employee_id)


@login_required
def career_file(request, code):
    employee = _person(request, code)
    data = selectors.career_file(employee)
    run = current_run(request.user, employee=employee)
    reminders = (
        run.decisions.filter(employee=employee, kind="warning", eligible=True) if run is not None else []
    )
    pv = policy_view(run.policy) if run is not None else None
    return render(
        request,
        "talent/file.html",
        {
            "employee": employee,
            **data,
            "run": run,
            "reminders": [pv.rule_label(d.rule, _lang()) for d in reminders] if pv else [],
            "plan_due": selectors.plan_due(employee),
            "mentor": services.mentor_of(employee),
            "can_plan": may(request.user, "career_plan.record", employee),
            "can_talk": may(request.user, "career_talk.record", employee),
            "talk_kinds": CareerTalk.Kind.choices,
            "today": clock.today(),
        },
    )


def _targets(employee) -> list[tuple[str, str]]:
    """The posts a plan may name as hoped for: the levels of the policies in force."""
    seen: dict[str, str] = {}
    for policy in policies_in_force(clock.today()):
        pv = policy_view(policy)
        for track, level, label in pv.level_choices():
            seen.setdefault(f"{track}.{level}", label.get(_lang()))
    return list(seen.items())


@login_required
def plan_new(request, code):
    employee = _person(request, code)
    check(request.user, "career_plan.record", employee)
    if request.method == "POST":
        p = request.POST
        fields = {
            **{
                k: p.get(k, "").strip()
                for k in (
                    "department",
                    "post",
                    "education",
                    "graduated",
                    "school",
                    "specialty",
                    "interest",
                    "career_track",
                    "track_reason",
                    "target",
                    "short_term",
                    "medium_term",
                    "long_term",
                )
            },  # fmt: skip
            "age": int(p["age"]) if p.get("age", "").isdigit() else None,
            "trainings": p.getlist("training"),
            "skills": [
                {"kind": k, "note": n}
                for k, n in zip(p.getlist("skill_kind"), p.getlist("skill_note"), strict=False)
            ],
            "history": [
                {"company": c, "department": d, "title": t, "liked": lk, "disliked": dl}
                for c, d, t, lk, dl in zip(
                    p.getlist("h_company"),
                    p.getlist("h_department"),
                    p.getlist("h_title"),
                    p.getlist("h_liked"),
                    p.getlist("h_disliked"),
                    strict=False,
                )
            ],  # fmt: skip
            "needs": p.getlist("needs"),
        }
        try:
            plan = services.career_plan_record(
                employee=employee, filled_on=clock.today(), fields=fields, actor=request.user
            )
        except (Denied, services.TalentRefused) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已提交员工职业发展规划表。"))
            return redirect("talent:plan", plan.pk)
    last = employee.career_plans.first()
    return render(
        request,
        "talent/plan_form.html",
        {
            "employee": employee,
            "last": last,
            "post": employee.current_assignments().first(),
            "needs": NEEDS,
            "tracks": CAREER_TRACKS,
            "skill_kinds": SKILL_KINDS,
            "targets": _targets(employee),
            "training_rows": range(8),
            "history_rows": range(4),
            "today": clock.today(),
        },
    )


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(CareerPlan.objects.select_related("employee", "filled_by"), pk=pk)
    _person(request, plan.employee.employee_id)
    needs, tracks = dict(NEEDS), dict(CAREER_TRACKS)
    return render(
        request,
        "talent/plan.html",
        {
            "plan": plan,
            "needs": [(c, label, c in plan.needs) for c, label in NEEDS],
            "need_labels": [needs[c] for c in plan.needs if c in needs],
            "career_track": tracks.get(plan.career_track, plan.career_track),
            "skill_kinds": dict(SKILL_KINDS),
            "target": dict(_targets(plan.employee)).get(
                f"{plan.target_track}.{plan.target_level}", plan.target_level
            ),
            "reviews": plan.reviews.select_related("reviewer"),
            "can_review": may(request.user, "career_review.record", plan.employee),
        },
    )


@login_required
def plan_review(request, pk):
    """The training group's yearly review of a plan: the form (started from the file's records) and its
    submission."""
    plan = get_object_or_404(CareerPlan.objects.select_related("employee"), pk=pk)
    _person(request, plan.employee.employee_id)
    check(request.user, "career_review.record", plan.employee)
    day = clock.today()
    start = selectors.review_context(plan, day)
    given = {
        "trainings_given": start["trainings"],
        "promotions_given": start["promotions"],
        "appraisal_results": start["appraisals"],
        "next_steps": "",
        "reviewed_on": day.isoformat(),
    }
    if request.method == "POST":
        p = request.POST
        given = {k: p.get(k, "") for k in given}
        try:
            review = services.plan_review_record(
                plan=plan,
                reviewed_on=_date(p.get("reviewed_on")) or day,
                trainings_given=given["trainings_given"],
                promotions_given=given["promotions_given"],
                appraisal_results=given["appraisal_results"],
                next_steps=given["next_steps"],
                actor=request.user,
                today=day,
            )
        except (Denied, services.TalentRefused) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("已记录规划表年度审查。"))
            return redirect("talent:review", review.pk)
    return render(request, "talent/review_form.html", {"plan": plan, "given": given, "today": day})


@login_required
def review_detail(request, pk):
    """A review as a printable sheet, beside the plan it reviews."""
    review = get_object_or_404(
        PlanReview.objects.select_related("plan__employee", "plan__filled_by", "reviewer"), pk=pk
    )
    _person(request, review.plan.employee.employee_id)
    return render(request, "talent/review.html", {"review": review, "plan": review.plan})


@login_required
@require_POST
def talk_record(request, code):
    employee = _person(request, code)
    p = request.POST
    try:
        services.career_talk_record(
            employee=employee, held_on=_date(p.get("held_on")) or clock.today(), kind=p.get("kind", ""),
            notes=p.get("notes", ""), actor=request.user,
        )  # fmt: skip
    except (Denied, services.TalentRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已记录职业发展面谈。"))
    return redirect("talent:file", employee.employee_id)
