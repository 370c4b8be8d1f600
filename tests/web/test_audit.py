"""The audit trail: append-only in Python and (PostgreSQL) in the database, readable by HR and admins only,
filtered by who, what, when and whom, exported as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from rungs.audit.models import AppendOnly, AuditEntry
from rungs.people.models import Employee
from rungs.records.services import score_record
from tests.web.conftest import login


def _scored(demo_user_role="team-lead"):
    from django.contrib.auth import get_user_model

    lead = get_user_model().objects.get(username=f"demo-{demo_user_role}")
    person = Employee.objects.filter(team=lead.team).exclude(pk=lead.employee_id).first()
    score_record(employee=person, period="2019-02", score=88.0, grade="良好", actor=lead)
    return person


@pytest.mark.django_db
def test_an_entry_cannot_be_changed_or_deleted_from_python(demo):
    _scored()
    entry = AuditEntry.objects.get(action="score.record")
    entry.reason = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


@pytest.mark.django_db
def test_the_database_refuses_update_and_delete_on_postgresql(demo):
    """On PostgreSQL a trigger refuses UPDATE and DELETE sent as plain SQL, past the ORM's guard. (The
    SQLite pass checks that the table is there and written; the trigger is PostgreSQL's.)"""
    _scored()
    table = AuditEntry._meta.db_table
    pk = AuditEntry.objects.get(action="score.record").pk
    if connection.vendor != "postgresql":
        assert AuditEntry.objects.filter(pk=pk).exists()
        return
    for sql in (f"UPDATE {table} SET reason = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [pk])
    assert AuditEntry.objects.get(pk=pk).reason == ""


@pytest.mark.django_db
def test_deleting_a_person_leaves_the_trail_as_it_was(demo):
    person = _scored()
    eid = person.employee_id
    person.delete()
    entry = AuditEntry.objects.get(action="score.record")
    assert entry.employee_id == eid and entry.after["score"] == 88.0


@pytest.mark.django_db
def test_only_hr_and_admins_read_the_trail(client, demo):
    for role, status in [
        ("hr", 200),
        ("admin", 200),
        ("team-lead", 403),
        ("department-manager", 403),
        ("agent", 403),
    ]:
        login(client, role)
        assert client.get("/audit/").status_code == status, role
        assert client.get("/audit/export.csv").status_code == status, role


@pytest.mark.django_db
def test_the_page_filters_by_who_what_and_whom(client, demo):
    person = _scored()
    login(client, "hr")
    html = client.get("/audit/").content.decode()
    assert "demo-team-lead" in html and "录入考核得分" in html
    html = client.get("/audit/", {"actor": "demo-team-lead", "action": "score.record"}).content.decode()
    assert person.employee_id in html
    html = client.get("/audit/", {"action": "policy.create"}).content.decode()
    assert person.employee_id not in html and "system" in html  # the demo's policy, stored by the system
    html = client.get("/audit/", {"employee": "NOBODY"}).content.decode()
    assert "没有符合条件的记录" in html
    html = client.get("/audit/", {"since": "2999-01-01"}).content.decode()
    assert "没有符合条件的记录" in html


@pytest.mark.django_db
def test_the_export_is_the_filtered_trail_as_csv(client, demo):
    person = _scored()
    login(client, "hr")
    r = client.get("/audit/export.csv", {"action": "score.record"})
    assert r["Content-Type"].startswith("text/csv") and "private" in r["Cache-Control"]
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "操作人", "操作"]
    assert [(row[1], row[2], row[5]) for row in rows[1:]] == [
        ("demo-team-lead", "score.record", person.employee_id)
    ]


@pytest.mark.django_db
def test_the_admin_offers_no_add_change_or_delete(client, demo):
    _scored()
    entry = AuditEntry.objects.get(action="score.record")
    login(client, "admin")
    assert client.get("/admin/audit/auditentry/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"reason": "rewritten"})
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


@pytest.mark.django_db
def test_the_export_marks_formula_like_text_as_rungs_other_exports_do(client, demo):
    from django.contrib.auth import get_user_model

    from rungs.accounts.services import function_grant

    hr = get_user_model().objects.get(username="demo-hr")
    evil = get_user_model().objects.create(username="=cmd|x", role="agent")
    function_grant(user=evil, function="chairman", actor=hr)
    login(client, "hr")
    r = client.get("/audit/export.csv", {"action": "user.manage"})
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert rows[1][4] == "'=cmd|x"  # the target, as text a spreadsheet will not run


@pytest.mark.django_db
def test_a_robot_changed_in_the_admin_is_audited_as_such_and_hr_cannot(client, demo):
    from rungs.notify.models import Robot

    login(client, "admin")
    r = client.post(
        "/admin/notify/robot/add/",
        {
            "name": "客服群",
            "kind": "dingtalk",
            "url": "https://oapi.example/robot",
            "secret": "S3CRET",
            "active": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:500]
    robot = Robot.objects.get(name="客服群")
    entry = AuditEntry.objects.get(action="robot.manage", target_id=str(robot.pk))
    assert entry.actor == "demo-admin" and entry.after["secret"] == "***" and "S3CRET" not in str(entry.after)
    client.post(f"/admin/notify/robot/{robot.pk}/delete/", {"post": "yes"})
    assert not Robot.objects.exists()
    assert AuditEntry.objects.filter(action="robot.manage", target_id=str(robot.pk)).count() == 2
    login(client, "hr")  # HR manages logins, not the webhooks messages leave through
    assert client.get("/admin/notify/robot/").status_code in (302, 403)
