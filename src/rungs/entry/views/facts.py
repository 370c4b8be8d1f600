"""Day-to-day facts, one small form each: a monthly score, an attestation, a commendation, an exam result.

Whom: `visible_employees` (a person outside the scope is not offered, and posting one gives 404).
What: the authority table (the line records scores, attestations and commendations; the quality/training
group records exams). The form parses; a service in rungs.records.services writes and audits.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from rungs.accounts.authority import abilities, requires
from rungs.accounts.scope import visible_employees
from rungs.entry.forms import AttestationForm, CommendationForm, ExamBulkForm, ExamForm, ScoreForm
from rungs.policies.selectors import ref_choices
from rungs.records import services
from rungs.records.models import Evaluation, Event

RECENT = 10


def _save(form, user):
    d = form.cleaned_data
    if isinstance(form, ScoreForm):
        fields = {"employee": d["employee"], "period": d["period"], "score": d["score"], "grade": d["grade"]}
        if d.get("replace"):
            return services.score_correct(**fields, reason=d["reason"], actor=user).employee
        return services.score_record(**fields, actor=user).employee
    event = services.event_record(
        employee=d["employee"], date=d["date"], note=d["note"], **form.event(), actor=user
    )
    return event.employee


def _record(request, form_class, *, title, url_name, recent, event=None):
    # Nobody records a fact about themselves (the service refuses it too): they are not offered.
    employees = visible_employees(request.user).exclude(pk=request.user.employee_id)
    posted = request.POST.get("employee") if request.method == "POST" else None
    if posted and not employees.filter(employee_id=posted).exists():
        raise Http404
    refs = ref_choices(event, get_language() or "zh-hans") if event else ()
    form = form_class(request.POST or None, employees=employees, refs=refs)
    if request.method == "POST" and form.is_valid():
        try:
            employee = _save(form, request.user)
        except services.FactRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("已保存：%(name)s（%(id)s）") % {"name": employee.name, "id": employee.employee_id}
            )
            return redirect(url_name)
    rows = (
        recent.filter(employee__in=employees)
        .select_related("employee", "recorded_by")
        .order_by("-pk")[:RECENT]
    )
    return render(
        request,
        "entry/fact_form.html",
        {
            "form": form,
            "title": title,
            "recent": rows,
            "kind": url_name.split(":")[1],
            "no_refs": bool(event) and not refs,
        },
    )


def index(request):
    """The entry hub: the forms and pages this user may use."""
    can = abilities(request.user)
    if not (can["can_record"] or can["can_record_exam"] or can["can_import"]):
        raise PermissionDenied
    return render(request, "entry/index.html", can)


@requires("score.record")
def score(request):
    return _record(
        request,
        ScoreForm,
        title=gettext_lazy("录入月度考核得分"),
        url_name="entry:score",
        recent=Evaluation.objects.filter(period_kind="M"),
    )


@requires("event.record")
def attestation(request):
    return _record(
        request,
        AttestationForm,
        title=gettext_lazy("录入认定"),
        url_name="entry:attestation",
        recent=Event.objects.filter(type="attestation"),
        event="attestation",
    )


@requires("event.record")
def commendation(request):
    return _record(
        request,
        CommendationForm,
        title=gettext_lazy("录入书面表扬"),
        url_name="entry:commendation",
        recent=Event.objects.filter(type__in=["commendation_customer", "commendation_internal"]),
    )


@requires("exam.record")
def exam(request):
    return _record(
        request,
        ExamForm,
        title=gettext_lazy("录入考试成绩"),
        url_name="entry:exam",
        recent=Event.objects.filter(type="exam"),
        event="exam",
    )


@requires("exam.record")
def exam_bulk(request):
    """One exam sitting entered for many people at once (all or none)."""
    employees = visible_employees(request.user).exclude(pk=request.user.employee_id)
    refs = ref_choices("exam", get_language() or "zh-hans")
    form = ExamBulkForm(request.POST or None, employees=employees, refs=refs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            stored = services.exam_results_record(
                ref=d["ref"], date=d["date"], results=d["lines"], note=d["note"], actor=request.user
            )
        except services.FactRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存 %(n)s 人的考试成绩。") % {"n": len(stored)})
            return redirect("entry:exam")
    return render(request, "entry/exam_bulk.html", {"form": form, "no_refs": not refs})
