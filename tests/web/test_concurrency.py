"""Concurrent writers on PostgreSQL (issue 9, "it must not duplicate or lose data"): a double click on
"commit", two identical bulk API calls and a score entered while an import commits. Each writes once,
nothing is lost, and nobody gets a 500. (Two identical imports at once: tests/web/test_services.py.)

SQLite serialises every writer by its one write lock (transaction_mode IMMEDIATE), so these run in the
PostgreSQL pass, where writers really do run side by side."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client

from rungs.accounts.models import User
from rungs.api.models import ApiToken
from rungs.audit.models import AuditEntry
from rungs.datasets import services as dataset_services
from rungs.datasets.services import import_commit
from rungs.people.models import Employee
from rungs.records import services as record_services
from rungs.records.models import Evaluation, Event, Metric
from rungs.records.services import FactRefused, score_record
from tests.web.conftest import needs_server_database

pytestmark = [
    needs_server_database("concurrent writers"),
    pytest.mark.django_db(transaction=True),
]


def together(*calls):
    """Runs the calls in threads released at the same moment; returns their results (or exceptions)."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            start.wait()
            results[i] = call()
        except BaseException as exc:  # returned: the test says what it expects
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def person() -> Employee:
    return Employee.objects.exclude(status=Employee.Status.LEFT).order_by("employee_id").first()


def test_a_double_click_on_commit_imports_once(demo, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.VAR_DIR = tmp_path / "var"
    p = person()
    events = "employee_id,date,type,ref\n" + "".join(
        f"{p.employee_id},2026-11-{day:02d},commendation_customer,c{day}\n" for day in range(1, 31)
    )
    employees = f"employee_id,name,hire_date\n{p.employee_id},{p.name},{p.hire_date}\n"
    first = Client()
    first.force_login(User.objects.get(username="demo-hr"))
    r = first.post(
        "/entry/import/",
        {
            "files": [
                SimpleUploadedFile("employees.csv", employees.encode()),
                SimpleUploadedFile("events.csv", events.encode()),
            ]
        },
    )
    token = r.url.rstrip("/").split("/")[-1]
    second = Client()
    second.cookies = first.cookies  # the same browser: one session, two requests
    before = Event.objects.filter(employee=p).count()
    url = f"/entry/import/{token}/commit/"
    responses = together(lambda: first.post(url), lambda: second.post(url))
    assert [getattr(x, "status_code", x) for x in responses] == [302, 302]
    assert {x.url for x in responses} == {"/entry/import/done/"}
    assert Event.objects.filter(employee=p).count() == before + 30
    commits = AuditEntry.objects.filter(action="import.commit")
    assert [e.after["events"]["new"] for e in commits] == [30]


def test_two_identical_bulk_api_calls_at_once_write_once(demo):
    p = person()
    key = ApiToken.issue(User.objects.get(username="demo-hr"), "sync")[1]
    body = {
        "events": [
            {"employee_id": p.employee_id, "date": f"2026-10-{d:02d}", "type": "commendation_customer"}
            for d in range(1, 21)
        ],
        "metrics": [{"employee_id": p.employee_id, "period": "2030-01", "metric": "csat", "value": 97}],
    }
    events = Event.objects.count()

    def call():
        return Client().post(
            "/api/records/bulk",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
        )

    responses = together(call, call)
    assert [getattr(x, "status_code", x) for x in responses] == [200, 200]
    assert Event.objects.count() == events + 20
    assert Metric.objects.filter(employee=p, period="2030-01").count() == 1
    news = sorted(x.json()["events"]["new"] for x in responses)
    assert news == [0, 20]  # the second planned after the first had written, and found nothing to add


def _scores_folder(tmp_path, people, period, score):
    folder = tmp_path / f"scores-{period}"
    folder.mkdir()
    (folder / "employees.csv").write_text(
        "employee_id,name,hire_date\n" + "".join(f"{e.employee_id},{e.name},{e.hire_date}\n" for e in people),
        encoding="utf-8",
    )
    (folder / "evaluations.csv").write_text(
        "employee_id,period,score\n" + "".join(f"{e.employee_id},{period},{score}\n" for e in people),
        encoding="utf-8",
    )
    return folder


def _slow_apply(monkeypatch, planned: threading.Event, pause: float):
    """The import pauses between its plan and its write: the moment a hand-entered score used to land in
    (the plan said "new", the insert then hit the unique key: a 500)."""
    real = dataset_services.apply

    def apply(p):
        planned.set()
        threading.Event().wait(pause)
        return real(p)

    monkeypatch.setattr(dataset_services, "apply", apply)


def test_a_score_entered_while_an_import_commits_waits_and_is_not_lost(demo, tmp_path, monkeypatch):
    people = list(Employee.objects.exclude(status=Employee.Status.LEFT).order_by("employee_id")[:20])
    target = people[3]
    admin = User.objects.get(username="demo-admin")  # records for anyone
    planned = threading.Event()
    _slow_apply(monkeypatch, planned, 0.5)
    folder = _scores_folder(tmp_path, people, "2031-01", 88)

    def enter():
        planned.wait(30)
        return score_record(employee=target, period="2031-01", score=61, grade="", actor=admin)

    imported, entered = together(lambda: import_commit(source=folder, actor=None), enter)
    assert not isinstance(imported, BaseException), imported
    assert imported.changes["evaluations"].new == 20
    # The score waited for the import, then found the month taken: told so, in words, not stored twice.
    assert isinstance(entered, FactRefused) and "已有考核结果" in str(entered), entered
    assert Evaluation.objects.filter(employee=target, period="2031-01").count() == 1
    assert Evaluation.objects.get(employee=target, period="2031-01").score == 88


def test_a_score_entered_just_before_an_import_is_kept_in_its_plan(demo, tmp_path, monkeypatch):
    """The other order: the score is committed first; the import plans after it (under the lock), so it
    sees the stored score and reports it as a change, instead of failing on the unique key."""
    people = list(Employee.objects.exclude(status=Employee.Status.LEFT).order_by("employee_id")[:20])
    target = people[5]
    admin = User.objects.get(username="demo-admin")
    score_record(employee=target, period="2031-02", score=61, grade="", actor=admin)
    folder = _scores_folder(tmp_path, people, "2031-02", 88)
    imported = import_commit(source=folder, actor=None)
    assert (imported.changes["evaluations"].new, imported.changes["evaluations"].changed) == (19, 1)
    [row] = imported.details["evaluations"]
    assert [(f.column, f.old, f.new) for f in row.fields] == [("score", 61, 88)]


def test_a_score_entered_during_a_long_import_is_told_to_retry(demo, tmp_path, monkeypatch):
    people = list(Employee.objects.exclude(status=Employee.Status.LEFT).order_by("employee_id")[:20])
    admin = User.objects.get(username="demo-admin")
    monkeypatch.setattr(record_services, "LOCK_WAIT", 0.2)
    planned = threading.Event()
    _slow_apply(monkeypatch, planned, 2.0)
    folder = _scores_folder(tmp_path, people, "2031-03", 88)

    def enter():
        planned.wait(30)
        return score_record(employee=people[0], period="2031-04", score=61, grade="", actor=admin)

    imported, entered = together(lambda: import_commit(source=folder, actor=None), enter)
    assert not isinstance(imported, BaseException), imported
    assert isinstance(entered, FactRefused) and "请稍等片刻再提交一次" in str(entered), entered
    assert not Evaluation.objects.filter(period="2031-04").exists()  # not stored, and the user knows it


def test_a_level_change_and_an_award_wait_for_an_import_that_is_committing(demo, tmp_path, monkeypatch):
    """Appointments, demotions (rungs.records.assignments) and the events honors, recognition and talent
    write take the writers' lock too: started while an import is between its plan and its write, they
    finish after it, not in the middle of it."""
    import time

    from rungs.records.assignments import level_change

    people = list(Employee.objects.exclude(status=Employee.Status.LEFT).order_by("employee_id")[:20])
    target = people[7]
    current = target.current_assignments().first()
    admin = User.objects.get(username="demo-admin")
    planned = threading.Event()
    _slow_apply(monkeypatch, planned, 0.8)
    folder = _scores_folder(tmp_path, people, "2031-03", 80)
    done: dict[str, float] = {}

    def commit():
        result = import_commit(source=folder, actor=None)
        done["import"] = time.monotonic()
        return result

    def change():
        planned.wait(30)
        a = level_change(
            employee=target,
            track=current.track,
            level=current.level,
            effective=max(current.start_date, dt.date(2031, 3, 1)) + dt.timedelta(days=1),
            kind="transfer",
            actor=admin,
            action="round.appoint",
            reason="并发测试",
        )
        done["change"] = time.monotonic()
        return a

    imported, changed = together(commit, change)
    assert not isinstance(imported, BaseException), imported
    assert not isinstance(changed, BaseException), changed
    assert done["change"] > done["import"]  # it waited for the import's commit
