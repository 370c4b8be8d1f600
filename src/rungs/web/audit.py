"""The audit trail page (HR and administrators): filter by who, what, when and whom; export as CSV.
Read only — nothing in the pages, the admin or the API can change or delete an entry."""

from __future__ import annotations

import datetime as dt
import json
from itertools import batched

import polars as pl
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rungs.accounts.authority import ACTIONS, requires
from rungs.audit import clock
from rungs.audit.models import AuditEntry
from rungs.audit.trail import ANONYMOUS, hidden_actions
from rungs.core.interchange.spreadsheet import csv_safe

PAGE = 50
EXPORT_BATCH = 2000
COLUMNS = ("at", "actor", "action", "target_type", "target", "employee_id", "before", "after", "reason")


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filtered(params, user) -> tuple[object, dict]:
    f = {k: (params.get(k) or "").strip() for k in ("actor", "action", "employee", "since", "until")}
    # Anonymous entries (rungs.voice) are shown once their day is over: one that appeared while a reader
    # watched would tell when someone submitted, which the suggestion box's batches keep from handlers.
    today = timezone.make_aware(dt.datetime.combine(clock.today(), dt.time.min))
    qs = AuditEntry.objects.exclude(actor=ANONYMOUS, at__gte=today)
    # … and entries some readers do not see at all (rungs.audit.trail.restrict: who claimed a reward).
    qs = qs.exclude(action__in=hidden_actions(user))
    if f["actor"]:
        qs = qs.filter(actor=f["actor"])
    if f["action"]:
        qs = qs.filter(action=f["action"])
    if f["employee"]:
        qs = qs.filter(employee_id=f["employee"])
    if since := _day(f["since"]):
        qs = qs.filter(at__date__gte=since)
    if until := _day(f["until"]):
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-pk"), f


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def _label(action: str) -> str:
    rule = ACTIONS.get(action)
    return str(rule.label) if rule else action


@requires("audit.read")
def index(request):
    qs, f = _filtered(request.GET, request.user)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    for e in page:
        e.action_label = _label(e.action)
        e.change = " → ".join(_json(v) for v in (e.before, e.after) if v is not None)
    actions = [(a, _label(a)) for a in ACTIONS]
    query = urlencode({k: v for k, v in f.items() if v})
    return render(request, "rungs/audit.html", {"page": page, "f": f, "actions": actions, "query": query})


@requires("audit.read")
def export(request):
    qs, _f = _filtered(request.GET, request.user)
    header = [
        _("时间"),
        _("操作人"),
        _("操作"),
        _("对象类型"),
        _("对象"),
        _("员工工号"),
        _("修改前"),
        _("修改后"),
        _("原因"),
    ]

    def rows():
        # Batches written by the one CSV writer of Rungs' exports (formula-like text marked as text).
        yield "\ufeff" + ",".join(header) + "\n"  # a BOM, so Excel on Chinese Windows reads UTF-8
        for batch in batched(qs.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
            cells = [
                [
                    e.at.isoformat(timespec="seconds"),
                    e.actor,
                    e.action,
                    e.target_type,
                    e.target,
                    e.employee_id,
                ]
                + [_json(e.before), _json(e.after), e.reason]
                for e in batch
            ]
            frame = pl.DataFrame(cells, schema=dict.fromkeys(COLUMNS, pl.String), orient="row")
            yield csv_safe(frame).write_csv(include_header=False)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rungs-audit.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
