"""The home page per role. Every query goes through `visible_employees`, so scope is never forgotten."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.views import i18n
from django.views.decorators.http import require_POST

from rungs.accounts.models import Role
from rungs.accounts.scope import visible_employees
from rungs.audit import clock
from rungs.cases.selectors import cases_waiting
from rungs.notify.services import messages_read as messages_read_service
from rungs.notify.services import unread
from rungs.people.models import Assignment, Employee
from rungs.policies.policy_view import policy_view
from rungs.policies.selectors import current_run
from rungs.promotions.models import Candidacy
from rungs.promotions.selectors import reminders_for, terms_due, waiting_on, with_due_badges
from rungs.records.models import Evaluation
from rungs.talent.selectors import my_plan_due, reviews_due, talks_due, year_end_talks_due
from rungs.voice.forums import actions_waiting

PAGE = 50


def _with_level_and_score(qs):
    current = Assignment.objects.filter(employee=OuterRef("pk"), end_date__isnull=True).exclude(kind="acting")
    latest = Evaluation.objects.filter(employee=OuterRef("pk"), period_kind="M").order_by("-seq")
    return qs.select_related("team", "department").annotate(
        level=Subquery(current.order_by("-start_date").values("level")[:1]),
        track=Subquery(current.order_by("-start_date").values("track")[:1]),
        latest_score=Subquery(latest.values("score")[:1]),
        latest_period=Subquery(latest.values("period")[:1]),
    )


def _labelled(people, user) -> list[Employee]:
    """The people with `level_label` and `track_label` as the policy of the user's current run names them
    (the codes as stored when there is no run yet)."""
    run = current_run(user)
    pv = policy_view(run.policy) if run else None
    lang = get_language() or "zh-hans"
    people = list(people)
    for p in people:
        p.level_label = pv.level_label(p.track, p.level, lang) if pv and p.level else p.level
        p.track_label = pv.track_label(p.track, lang) if pv and p.track else p.track
    return people


def _filtered(request):
    q = request.GET.get("q", "").strip()
    qs = visible_employees(request.user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employee_id__icontains=q) | Q(team__code__icontains=q))
    return _with_level_and_score(qs.order_by("team__code", "employee_id")), q


def home(request):
    user = request.user
    ctx: dict = {"role": Role(user.role) if user.role in Role.values else None}
    # the inbox: every round step and case decision that waits on this user today
    on = clock.today()
    ctx["waiting"], ctx["cases_waiting"] = with_due_badges(waiting_on(user, on), on), cases_waiting(user, on)
    ctx["reminders"] = reminders_for(user, on)
    ctx["inbox_messages"] = [(m, m.shown(get_language() or "zh-hans")) for m in unread(user)]
    ctx["terms_due"] = terms_due(user, on)
    # career development (a mentor's talks, one's own plan, the training group's reviews) and forum actions
    ctx["talks_due"], ctx["reviews_due"] = talks_due(user, on), reviews_due(user, on)
    ctx["year_end_due"] = year_end_talks_due(user, on)
    ctx["plan_due"], ctx["forum_actions"] = my_plan_due(user, on), actions_waiting(user, on)
    if user.employee_id:
        ctx["my_candidacies"] = with_due_badges(
            Candidacy.objects.filter(employee_id=user.employee_id).select_related("round__policy")[:20], on
        )
    if user.employee_id:
        me = _labelled(_with_level_and_score(Employee.objects.filter(pk=user.employee_id)), user)[0]
        ctx["me"] = me
        ctx["my_scores"] = list(me.evaluations.filter(period_kind="M").order_by("-seq")[:12])
    if user.role != Role.AGENT:
        visible = visible_employees(user)
        ctx["summary"] = visible.aggregate(
            total=Count("pk"),
            probation=Count("pk", filter=Q(status="probation")),
            left=Count("pk", filter=Q(status="left")),
        )
        ctx["by_team"] = (
            visible.values("team__code", "department__name")
            .annotate(n=Count("pk"))
            .order_by("department__name", "team__code")
        )
        ctx["people"], ctx["q"] = _filtered(request)
        ctx["people"] = _labelled(ctx["people"][:PAGE], user)
    return render(request, "rungs/home.html", ctx)


@require_POST
def messages_read(request):
    """全部标为已读: the inbox messages on the home page, read."""
    messages_read_service(user=request.user)
    return redirect("home")


def people(request):
    """The people table alone, for htmx search-as-you-type."""
    rows, q = _filtered(request)
    return render(
        request, "rungs/_people_rows.html", {"people": _labelled(rows[:PAGE], request.user), "q": q}
    )


@login_not_required
def set_language(request):
    """Django's set_language, resolving `next` in the language its path is in: Django resolves it in the
    current language, so "中文" on an /en/ page could not find the page and stayed on /en/."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    with translation.override(translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE):
        return i18n.set_language(request)


def server_error(request):
    """The 500 page with the navigation when the page can still be drawn, Django's bare one otherwise
    (the error may be the database itself)."""
    from django.template import loader
    from django.views import defaults

    try:
        return HttpResponseServerError(loader.render_to_string("500.html", request=request))
    except Exception:
        return defaults.server_error(request)
