"""Writes of day-to-day facts: a score recorded or corrected, an event recorded. Each service checks the
authority table for the person it is about, runs in one transaction and writes its audit entry inside it.
A correction needs a reason, and the entry keeps the value it replaced."""

from __future__ import annotations

import datetime as dt
import time
import zlib

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rungs.accounts.authority import check, fact_action
from rungs.audit.trail import record
from rungs.core.periods import seq_of_date
from rungs.people.models import Employee
from rungs.records.models import Evaluation, Event


class FactRefused(Exception):
    """The fact cannot be stored as asked (already there, a person who has left, no reason given)."""


# One lock for every writer of facts: an import or the API's bulk write (rungs.datasets.services), and
# the day-to-day entries below. An import plans by reading the database and then writes what differs; a
# score entered between its plan and its write was overwritten or made the import fail on the unique key.
_LOCK = zlib.crc32(b"rungs.import")
LOCK_WAIT = 10.0  # seconds a day-to-day entry waits for an import to finish before asking to retry


def serialise_fact_writes(*, wait: float | None = None) -> None:
    """Takes the writers' lock until the transaction ends. `wait=None` waits as long as it takes (an import
    behind another); otherwise FactRefused after `wait` seconds, saying to try again. PostgreSQL: a
    transaction-level advisory lock. SQLite takes its one write lock when a transaction begins
    (settings: transaction_mode IMMEDIATE), which serialises writers already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        if wait is None:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            return
        deadline = time.monotonic() + wait
        while True:
            cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [_LOCK])
            if cur.fetchone()[0]:
                return
            if time.monotonic() >= deadline:
                raise FactRefused(_("正在导入数据，这次录入没有保存。请稍等片刻再提交一次。"))
            time.sleep(0.05)


def _about(employee: Employee) -> None:
    if employee.status == Employee.Status.LEFT:
        raise FactRefused(_("%(name)s 已离职，不能再录入。") % {"name": employee.name})


def _score_values(e: Evaluation) -> dict:
    return {"period": e.period, "score": e.score, "grade": e.grade}


def _locked(employee: Employee, period: str):
    return Evaluation.objects.select_for_update().filter(employee=employee, period=period).first()


@transaction.atomic
def score_record(*, employee: Employee, period: str, score: float | None, grade: str, actor) -> Evaluation:
    """A new appraisal result for a month (YYYY-MM); FactRefused if the month already has one (correct it instead)."""
    check(actor, "score.record", employee)
    _about(employee)
    serialise_fact_writes(wait=LOCK_WAIT)
    old = _locked(employee, period)
    if old is not None:
        raise FactRefused(
            _(
                "%(name)s 在 %(period)s 已有考核结果（得分 %(score)s，等级 %(grade)s）。如需更正，请勾选“更正已有记录”并填写原因。"
            )
            % {
                "name": employee.name,
                "period": period,
                "score": "—" if old.score is None else f"{old.score:g}",
                "grade": old.grade or "—",
            }
        )
    year, month = (int(x) for x in period.split("-"))
    e = Evaluation.objects.create(
        employee=employee,
        period=period,
        period_kind="M",  # the form records months; other periods come by import
        seq=seq_of_date("M", dt.date(year, month, 1)),
        score=score,
        grade=grade,
        recorded_by=actor,
    )
    record(actor, "score.record", e, employee_id=employee.employee_id, after=_score_values(e))
    return e


@transaction.atomic
def score_correct(
    *, employee: Employee, period: str, score: float | None, grade: str, reason: str, actor
) -> Evaluation:
    """Replaces a stored appraisal result; the audit entry keeps the old value and the reason."""
    check(actor, "score.correct", employee)
    reason = (reason or "").strip()
    if not reason:
        raise FactRefused(_("更正已有记录须填写更正原因。"))
    serialise_fact_writes(wait=LOCK_WAIT)
    e = _locked(employee, period)
    if e is None:
        raise FactRefused(_("%(period)s 还没有考核结果，无需更正。") % {"period": period})
    before = _score_values(e)
    e.score, e.grade, e.recorded_by, e.recorded_at = score, grade, actor, timezone.now()
    e.save(update_fields=["score", "grade", "recorded_by", "recorded_at"])
    record(
        actor,
        "score.correct",
        e,
        employee_id=employee.employee_id,
        before=before,
        after=_score_values(e),
        reason=reason,
    )
    return e


@transaction.atomic
def event_record(
    *,
    employee: Employee,
    type: str,
    date: dt.date,
    ref: str = "",
    value: float | None = None,
    note: str = "",
    actor,
) -> Event:
    """A dated fact (attestation, commendation, exam, …); FactRefused if the same fact is already stored
    (a double submit), so a second identical request is a no-op that says so."""
    action = fact_action("events", type)
    check(actor, action, employee)
    _about(employee)
    serialise_fact_writes(wait=LOCK_WAIT)
    Employee.objects.select_for_update().filter(pk=employee.pk).first()  # serialise double submits
    same = Event.objects.filter(employee=employee, date=date, type=type, ref=ref, value=value)
    if same.exists():
        raise FactRefused(_("这条记录已经存在（同一员工、同一天、同一内容），未重复保存。"))
    event = Event.objects.create(
        employee=employee, date=date, type=type, ref=ref, value=value, note=note, recorded_by=actor
    )
    record(
        actor,
        action,
        event,
        employee_id=employee.employee_id,
        after={"date": date, "type": type, "ref": ref, "value": value, "note": note},
    )
    return event


@transaction.atomic
def exam_results_record(
    *, ref: str, date: dt.date, results: list[tuple[Employee, float]], note: str = "", actor
) -> list[Event]:
    """A sitting's results for many people at once, all or none: the first one refused (a double entry,
    someone who has left, someone out of scope) stops the batch with the person named."""
    stored = []
    for employee, value in results:
        try:
            stored.append(
                event_record(
                    employee=employee, type="exam", date=date, ref=ref, value=value, note=note, actor=actor
                )
            )
        except FactRefused as exc:
            raise FactRefused(f"{employee.employee_id} {employee.name}：{exc}") from None
    return stored
