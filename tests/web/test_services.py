"""Every service writes its change and its audit entry together, and a refused call writes neither."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.api.models import ApiToken
from rungs.api.services import token_issue, token_revoke
from rungs.audit.models import AuditEntry
from rungs.datasets.services import import_commit, records_bulk
from rungs.people.models import Employee
from rungs.policies.models import EvaluationRun, Policy
from rungs.policies.services import DuplicateVersion, evaluation_run_start, policy_create
from rungs.records.models import Evaluation, Event
from rungs.records.services import FactRefused, event_record, score_correct, score_record
from tests.web.conftest import AS_OF, needs_server_database

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
User = get_user_model()


def user(role: str):
    return User.objects.get(username=f"demo-{role}")


def teammate(u):
    """Someone in the user's team other than the user."""
    return Employee.objects.filter(team=u.team).exclude(pk=u.employee_id).order_by("employee_id").first()


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-pk").first()


def nothing_written(before: int) -> bool:
    return AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_policy_create_stores_the_version_and_its_entry(demo):
    hr = user("hr")
    text = Policy.objects.get().text.replace('version: "2026.1"', 'version: "2027.1"')
    policy = policy_create(text=text, actor=hr)
    e = last_entry()
    assert (e.action, e.actor, e.actor_id, e.target_type, e.target_id) == (
        "policy.create",
        "demo-hr",
        hr.pk,
        "policy",
        str(policy.pk),
    )
    assert e.after["version"] == "2027.1" and e.after["scheme"] == "dual-track-logistics"
    before = AuditEntry.objects.count()
    with pytest.raises(DuplicateVersion):
        policy_create(text=text, actor=hr)
    with pytest.raises(Denied):
        policy_create(text=text.replace("2027.1", "2028.1"), actor=user("team-lead"))
    assert nothing_written(before) and Policy.objects.count() == 2


@pytest.mark.django_db
def test_evaluation_run_start_records_who_ran_what(demo):
    runs = EvaluationRun.objects.count()
    manager = user("department-manager")
    run = evaluation_run_start(policy=Policy.objects.get(), as_of=AS_OF, actor=manager)
    e = last_entry()
    assert (e.action, e.actor, e.target_id) == (
        "evaluation_run.start",
        "demo-department-manager",
        str(run.pk),
    )
    own = Employee.objects.filter(department=manager.department)
    assert e.after == {
        "policy": "dual-track-logistics",
        "version": "2026.1",
        "as_of": "2026-12-01",
        "employees": own.count(),  # a department manager's run keeps their department's results
        "department": manager.department.name,
        "official": True,
    }
    assert set(run.decisions.values_list("employee__department", flat=True)) == {manager.department.pk}
    before = AuditEntry.objects.count()
    with pytest.raises(Denied):
        evaluation_run_start(policy=Policy.objects.get(), as_of=AS_OF, actor=user("supervisor"))
    assert nothing_written(before) and EvaluationRun.objects.count() == runs + 1


@pytest.mark.django_db
def test_score_record_then_correct_keeps_the_old_value_and_the_reason(demo):
    lead = user("team-lead")
    person = teammate(lead)
    score_record(employee=person, period="2019-04", score=81.0, grade="良好", actor=lead)
    e = last_entry()
    assert (e.action, e.employee_id, e.after) == (
        "score.record",
        person.employee_id,
        {"period": "2019-04", "score": 81.0, "grade": "良好"},
    )
    stored = Evaluation.objects.get(employee=person, period="2019-04")
    assert (stored.period_kind, stored.seq, stored.recorded_by) == ("M", 2019 * 12 + 3, lead)
    with pytest.raises(FactRefused, match="已有考核结果"):
        score_record(employee=person, period="2019-04", score=90.0, grade="", actor=lead)
    with pytest.raises(FactRefused, match="原因"):
        score_correct(employee=person, period="2019-04", score=90.0, grade="优秀", reason="  ", actor=lead)
    score_correct(
        employee=person, period="2019-04", score=90.0, grade="优秀", reason="考核表抄错", actor=lead
    )
    e = last_entry()
    assert e.action == "score.correct" and e.reason == "考核表抄错"
    assert e.before == {"period": "2019-04", "score": 81.0, "grade": "良好"}
    assert e.after == {"period": "2019-04", "score": 90.0, "grade": "优秀"}
    assert Evaluation.objects.get(pk=stored.pk).score == 90.0


@pytest.mark.django_db
def test_nobody_scores_themselves_or_someone_who_has_left_or_out_of_scope(demo):
    lead = user("team-lead")
    before = AuditEntry.objects.count()
    with pytest.raises(Denied, match="不能为自己"):
        score_record(employee=lead.employee, period="2019-04", score=99.0, grade="", actor=lead)
    outsider = Employee.objects.exclude(team=lead.team).first()
    with pytest.raises(Denied, match="不在您的管理范围内"):
        score_record(employee=outsider, period="2019-04", score=80.0, grade="", actor=lead)
    gone = teammate(lead)
    Employee.objects.filter(pk=gone.pk).update(status=Employee.Status.LEFT)
    gone.refresh_from_db()
    with pytest.raises(FactRefused, match="已离职"):
        score_record(employee=gone, period="2019-04", score=80.0, grade="", actor=lead)
    assert nothing_written(before)
    assert not Evaluation.objects.filter(period="2019-04").exists()


@pytest.mark.django_db
def test_event_record_writes_once_and_checks_the_kind(demo):
    qa, lead = user("qa-training"), user("team-lead")
    person = teammate(lead)
    day = dt.date(2026, 3, 2)
    event_record(employee=person, type="exam", date=day, ref="technical", value=86.0, actor=qa)
    e = last_entry()
    assert (e.action, e.actor, e.employee_id) == ("exam.record", "demo-qa-training", person.employee_id)
    assert e.after["ref"] == "technical" and e.after["value"] == 86.0 and e.after["date"] == "2026-03-02"
    before = AuditEntry.objects.count()
    with pytest.raises(FactRefused, match="未重复保存"):
        event_record(employee=person, type="exam", date=day, ref="technical", value=86.0, actor=qa)
    with pytest.raises(Denied, match="考试"):
        event_record(employee=person, type="exam", date=day, ref="theory", value=70.0, actor=lead)
    with pytest.raises(Denied):  # the training group does not commend
        event_record(employee=person, type="commendation_internal", date=day, actor=qa)
    assert nothing_written(before) and Event.objects.filter(employee=person, date=day).count() == 1


@pytest.mark.django_db
def test_import_commit_writes_its_counts_and_twice_changes_nothing(db):
    hr = User.objects.create(username="hr-wang", role="hr")
    source = EXAMPLES / "data" / "star-titles"
    first = import_commit(source=source, actor=hr)
    e = last_entry()
    assert (e.action, e.actor, e.target_type, e.target) == (
        "import.commit",
        "hr-wang",
        "import",
        "star-titles",
    )
    people = first.changes["employees"].new
    assert people > 0 and e.after["employees"] == {"new": people, "changed": 0, "unchanged": 0}
    again = import_commit(source=source, actor=hr)
    assert not again.touches_anything
    assert last_entry().after["employees"] == {"new": 0, "changed": 0, "unchanged": people}
    with pytest.raises(Denied):
        import_commit(source=source, actor=User.objects.create(username="lead-li", role="team_lead"))
    assert AuditEntry.objects.filter(action="import.commit").count() == 2


@pytest.mark.django_db
def test_records_bulk_writes_one_entry_for_the_batch(demo):
    from rungs.accounts.scope import visible_employees
    from rungs.api.bulk import validate

    lead = user("team-lead")
    person = teammate(lead)
    rows = {
        "metrics": [{"employee_id": person.employee_id, "period": "2030-01", "metric": "csat", "value": 97}]
    }
    data, _warnings = validate(rows)
    records_bulk(data=data, actor=lead, employees=visible_employees(lead))
    e = last_entry()
    assert (e.action, e.actor) == ("records.bulk", "demo-team-lead")
    assert e.after == {"metrics": {"new": 1, "changed": 0, "unchanged": 0}}


@pytest.mark.django_db
def test_tokens_are_issued_and_revoked_by_an_admin_only_and_the_key_is_never_recorded(demo):
    admin, lead = user("admin"), user("team-lead")
    token, key = token_issue(user=lead, name="helpdesk-sync", actor=admin)
    e = last_entry()
    assert (e.action, e.actor, e.after) == (
        "token.issue",
        "demo-admin",
        {"user": "demo-team-lead", "name": "helpdesk-sync", "prefix": token.prefix},
    )
    assert key not in str(list(AuditEntry.objects.values()))
    before = AuditEntry.objects.count()
    with pytest.raises(Denied):
        token_issue(user=lead, actor=lead)
    with pytest.raises(Denied):
        token_revoke(token=token, actor=user("hr"))
    assert nothing_written(before) and not ApiToken.objects.get(pk=token.pk).revoked
    token_revoke(token=token, actor=admin, reason="密钥泄露")
    e = last_entry()
    assert (e.action, e.before, e.after, e.reason) == (
        "token.revoke",
        {"revoked": False},
        {"revoked": True},
        "密钥泄露",
    )
    assert ApiToken.user_for(key) is None


@needs_server_database("concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_identical_imports_at_once_write_once():
    """Two HR officers import the same events at the same moment: before, both planned against the same
    state and every event was stored twice. Under the import lock the second finds nothing to change."""
    import threading

    from django.db import connection

    source = EXAMPLES / "data" / "star-titles"
    hr = User.objects.create(username="hr-wang", role="hr")
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            results.append(import_commit(source=source, actor=hr))
        except Exception as exc:  # reported below: a failure here must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = sum(1 for line in (source / "events.csv").read_text(encoding="utf-8").splitlines()[1:] if line)
    assert Event.objects.count() == events
    assert sorted(r.touches_anything for r in results) == [False, True]


@pytest.mark.django_db
def test_the_token_page_issues_a_key_once_and_revokes_with_a_reason(client, demo):
    from tests.web.conftest import login

    login(client, "team-lead")
    assert client.get("/tokens/").status_code == 403
    login(client, "admin")
    r = client.post("/tokens/", {"user": "demo-team-lead", "name": "helpdesk-sync"})
    key = r.context["key"]
    assert key in r.content.decode() and r["Cache-Control"] == "no-store"
    assert ApiToken.user_for(key) == user("team-lead")
    assert key not in client.get("/tokens/").content.decode()  # shown once
    token = ApiToken.objects.get(name="helpdesk-sync")
    client.post(f"/tokens/{token.pk}/revoke/", {"reason": "换了新系统"})
    assert ApiToken.user_for(key) is None
    assert last_entry().reason == "换了新系统" and last_entry().action == "token.revoke"


@pytest.mark.django_db
def test_the_admin_cannot_reassign_or_unrevoke_a_token_nor_delete_a_login(client, demo):
    from tests.web.conftest import login

    admin = user("admin")
    token, key = token_issue(user=user("team-lead"), actor=admin)
    token_revoke(token=token, actor=admin)
    login(client, "admin")
    client.post(f"/admin/api/apitoken/{token.pk}/change/", {"user": admin.pk, "revoked": ""})
    token.refresh_from_db()
    assert token.revoked and token.user == user("team-lead") and ApiToken.user_for(key) is None
    lead = user("team-lead")
    assert client.post(f"/admin/accounts/user/{lead.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=lead.pk).exists()


@pytest.mark.django_db
def test_a_login_changed_in_the_admin_is_audited_and_only_an_admin_grants_admin(demo):
    from rungs.accounts.services import snapshot, user_save

    hr, agent = user("hr"), user("agent")
    before = snapshot(agent)
    agent.role = "team_lead"
    user_save(user=agent, before=before, actor=hr)
    e = last_entry()
    assert (e.action, e.actor, e.before, e.after) == (
        "user.manage",
        "demo-hr",
        {"role": "agent"},
        {"role": "team_lead"},
    )
    agent.role = "admin"
    with pytest.raises(Denied, match="管理员"):
        user_save(user=agent, before=snapshot(User.objects.get(pk=agent.pk)), actor=hr)
    assert User.objects.get(pk=agent.pk).role == "team_lead"
