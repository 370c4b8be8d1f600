"""Day-to-day facts, one small form each: a monthly score, an attestation, a commendation, an exam result.

Whom: `visible_employees` (a person outside the scope is not offered, and posting one gives 404).
What: the line records scores, attestations and commendations; the quality/training group records exams.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rungs.accounts.scope import visible_employees
from rungs.entry.access import EXAM_RECORDERS, LINE_RECORDERS, abilities, role_required
from rungs.entry.forms import AttestationForm, CommendationForm, ExamForm, ScoreForm
from rungs.records.models import Evaluation, Event

RECENT = 10


def _record(request, form_class, *, title, url_name, recent):
    employees = visible_employees(request.user)
    posted = request.POST.get("employee") if request.method == "POST" else None
    if posted and not employees.filter(employee_id=posted).exists():
        raise Http404
    form = form_class(request.POST or None, employees=employees)
    if request.method == "POST" and form.is_valid():
        record = form.save(request.user)
        messages.success(
            request,
            _("已保存：%(name)s（%(id)s）")
            % {"name": record.employee.name, "id": record.employee.employee_id},
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
        {"form": form, "title": title, "recent": rows, "kind": url_name.split(":")[1]},
    )


def index(request):
    """The entry hub: the forms and pages this user may use."""
    can = abilities(request.user)
    if not (can["can_record"] or can["can_record_exam"] or can["can_import"]):
        raise PermissionDenied
    return render(request, "entry/index.html", can)


@role_required(LINE_RECORDERS)
def score(request):
    return _record(
        request,
        ScoreForm,
        title=gettext_lazy("录入月度考核得分"),
        url_name="entry:score",
        recent=Evaluation.objects.filter(period_kind="M"),
    )


@role_required(LINE_RECORDERS)
def attestation(request):
    return _record(
        request,
        AttestationForm,
        title=gettext_lazy("录入认定"),
        url_name="entry:attestation",
        recent=Event.objects.filter(type="attestation"),
    )


@role_required(LINE_RECORDERS)
def commendation(request):
    return _record(
        request,
        CommendationForm,
        title=gettext_lazy("录入书面表扬"),
        url_name="entry:commendation",
        recent=Event.objects.filter(type__in=["commendation_customer", "commendation_internal"]),
    )


@role_required(EXAM_RECORDERS)
def exam(request):
    return _record(
        request,
        ExamForm,
        title=gettext_lazy("录入考试成绩"),
        url_name="entry:exam",
        recent=Event.objects.filter(type="exam"),
    )
