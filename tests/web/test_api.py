"""The REST API: token authentication, the pages' scopes per role, bulk upsert, policies, decisions."""

import re

import pytest
from django.core.management import call_command

from rungs.accounts.models import User
from rungs.api.models import ApiToken
from rungs.demo.seed import DEMO_POLICY
from rungs.people.models import Employee
from rungs.policies.models import Decision, EvaluationRun, Policy
from rungs.records.models import Evaluation, Event, Metric

ROLES = ("agent", "team-lead", "supervisor", "qa-training", "department-manager", "hr", "executive", "admin")


@pytest.fixture
def keys(demo):
    """One API key per demo role."""
    return {role: ApiToken.issue(User.objects.get(username=f"demo-{role}"), "test")[1] for role in ROLES}


def _h(key):
    return {"Authorization": f"Bearer {key}"}


def get(client, key, url, **params):
    return client.get(url, params, headers=_h(key))


def post(client, key, url, body):
    return client.post(url, body, content_type="application/json", headers=_h(key))


def user(role):
    return User.objects.get(username=f"demo-{role}")


# ---------------------------------------------------------------------------------------------- docs


def test_docs_page_loads_its_assets_from_the_app(client, db):
    html = client.get("/api/docs").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    assert "cdn" not in html.lower() and "http" not in html
    assert '"url": "/api/openapi.json"' in html
    for u in urls:
        assert client.get(u).status_code == 200, u


def test_openapi_schema_is_valid(client, db):
    import schemathesis

    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    loaded = schemathesis.openapi.from_dict(schema)
    loaded.validate()  # against the OpenAPI 3.1 meta-schema (jsonschema-rs); raises when invalid
    ops = {f"{op.method.upper()} {op.path}" for op in (r.ok() for r in loaded.get_all_operations())}
    assert {
        "GET /api/employees",
        "GET /api/employees/{employee_id}",
        "GET /api/employees/{employee_id}/records",
        "GET /api/employees/{employee_id}/decisions",
        "POST /api/records/bulk",
        "GET /api/policies",
        "POST /api/policies",
        "GET /api/policies/{scheme}/{version}",
        "GET /api/evaluations/latest",
    } <= ops
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


# ---------------------------------------------------------------------------------------------- auth


@pytest.mark.django_db
def test_no_bad_or_revoked_token_is_401(client, keys):
    assert client.get("/api/employees").status_code == 401
    assert get(client, "rungs_not-a-key", "/api/employees").status_code == 401
    assert client.get("/api/employees", headers={"Authorization": keys["hr"]}).status_code == 401  # no Bearer
    assert get(client, keys["hr"], "/api/employees").status_code == 200
    ApiToken.objects.filter(user__username="demo-hr").update(revoked=True)
    assert get(client, keys["hr"], "/api/employees").status_code == 401
    hr = user("hr")
    hr.is_active = False
    hr.save()
    _, fresh = ApiToken.issue(hr)
    assert get(client, fresh, "/api/employees").status_code == 401


@pytest.mark.django_db
def test_a_browser_session_does_not_authorise_the_api(client, keys):
    client.force_login(user("hr"))
    assert client.get("/api/employees").status_code == 401
    assert client.post("/api/records/bulk", {}, content_type="application/json").status_code == 401


@pytest.mark.django_db
def test_keys_are_stored_hashed_and_use_is_recorded(client, keys):
    token = ApiToken.objects.get(user__username="demo-agent")
    assert keys["agent"] not in (token.key_hash, token.prefix) and len(token.key_hash) == 64
    assert token.last_used is None
    get(client, keys["agent"], "/api/employees")
    token.refresh_from_db()
    assert token.last_used is not None


@pytest.mark.django_db
def test_create_api_token_command_prints_a_working_key_once(client, demo, capsys):
    call_command("create_api_token", "demo-team-lead", name="helpdesk-sync")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="helpdesk-sync")
    assert token.user.username == "demo-team-lead" and key.startswith(token.prefix)
    assert get(client, key, "/api/employees").json()["count"] == 12


# ---------------------------------------------------------------------------------------------- scope


SCOPE = {
    "agent": 1,
    "team-lead": 12,
    "supervisor": 12,
    "department-manager": 12,
    "qa-training": 36,
    "hr": 36,
    "executive": 36,
    "admin": 36,
}


@pytest.mark.django_db
def test_each_role_lists_exactly_its_scope(client, keys):
    for role, count in SCOPE.items():
        body = get(client, keys[role], "/api/employees", page_size=200).json()
        assert body["count"] == count == len(body["items"]), role
        u = user(role)
        if role == "agent":
            assert [e["employee_id"] for e in body["items"]] == [u.employee.employee_id]
        if role == "team-lead":
            assert {e["team"] for e in body["items"]} == {u.team.code}
        if role in ("supervisor", "department-manager"):
            assert {e["department"] for e in body["items"]} == {u.department.name}


@pytest.mark.django_db
def test_pagination_and_filters(client, keys):
    first = get(client, keys["hr"], "/api/employees", page_size=10).json()
    second = get(client, keys["hr"], "/api/employees", page_size=10, page=2).json()
    assert first["count"] == 36 and len(first["items"]) == 10
    assert first["items"][-1]["employee_id"] < second["items"][0]["employee_id"]
    assert get(client, keys["hr"], "/api/employees", page=99).json()["items"] == []
    team = get(client, keys["hr"], "/api/employees", team="T0002").json()
    assert team["count"] == 12 and {e["team"] for e in team["items"]} == {"T0002"}
    dept = user("supervisor").department.name
    by_dept = get(client, keys["hr"], "/api/employees", department=dept).json()
    assert by_dept["count"] == Employee.objects.filter(department__name=dept).count()
    # A filter never widens the scope: a team lead asking for another team gets nobody.
    assert get(client, keys["team-lead"], "/api/employees", team="T0002").json()["count"] == 0
    assert get(client, keys["hr"], "/api/employees", page=0).status_code == 400
    assert get(client, keys["hr"], "/api/employees", page_size=1000).status_code == 400


@pytest.mark.django_db
def test_agent_reads_own_record_and_nobody_elses(client, keys):
    me = user("agent").employee
    colleague = Employee.objects.filter(team=me.team).exclude(pk=me.pk).first()
    body = get(client, keys["agent"], f"/api/employees/{me.employee_id}").json()
    assert body["name"] == me.name and body["levels"]
    for suffix in ("", "/records", "/decisions"):
        assert (
            get(client, keys["agent"], f"/api/employees/{colleague.employee_id}{suffix}").status_code == 404
        )
        assert get(client, keys["agent"], f"/api/employees/{me.employee_id}{suffix}").status_code == 200
    assert get(client, keys["agent"], "/api/employees/NOBODY").status_code == 404


@pytest.mark.django_db
def test_team_lead_and_department_scope_on_single_records(client, keys):
    lead = user("team-lead")
    outsider = Employee.objects.exclude(team=lead.team).first()
    insider = Employee.objects.filter(team=lead.team).last()
    assert get(client, keys["team-lead"], f"/api/employees/{outsider.employee_id}").status_code == 404
    assert get(client, keys["team-lead"], f"/api/employees/{insider.employee_id}").status_code == 200
    other_dept = Employee.objects.exclude(department=user("supervisor").department).first()
    assert get(client, keys["supervisor"], f"/api/employees/{other_dept.employee_id}").status_code == 404
    assert get(client, keys["executive"], f"/api/employees/{other_dept.employee_id}").status_code == 200


@pytest.mark.django_db
def test_records_are_in_interchange_columns(client, keys):
    me = user("agent").employee
    body = get(client, keys["agent"], f"/api/employees/{me.employee_id}/records").json()
    assert body["employee_id"] == me.employee_id
    assert len(body["evaluations"]) == me.evaluations.count() > 0
    assert len(body["metrics"]) == me.metrics.count() > 0
    assert len(body["events"]) == me.events.count()
    assert set(body["evaluations"][0]) == {"period", "score", "grade", "coefficient", "rank"}
    assert set(body["metrics"][0]) == {"period", "metric", "value"}


# ---------------------------------------------------------------------------------------------- bulk


def _rows(employee_id, *, score=88.5):
    return {
        "evaluations": [{"employee_id": employee_id, "period": "2030-01", "score": score, "grade": "优秀"}],
        "metrics": [
            {"employee_id": employee_id, "period": "2030-01", "metric": "csat", "value": 97},
            {"employee_id": employee_id, "period": "2030-01", "metric": "tickets", "value": "512"},
        ],
        "events": [
            {"employee_id": employee_id, "date": "2030-01-15", "type": "complaint"},
            {"employee_id": employee_id, "date": "2030/01/15", "type": "complaint"},  # two on one day
            {"employee_id": employee_id, "date": "2030-01-20", "type": "exam", "ref": "theory", "value": 91},
        ],
    }


def _line_rows(employee_id):
    """_rows without the exam, which only the quality/training group records."""
    rows = _rows(employee_id)
    return {**rows, "events": [r for r in rows["events"] if r["type"] != "exam"]}


def _counts():
    return Evaluation.objects.count(), Metric.objects.count(), Event.objects.count()


@pytest.mark.django_db
def test_bulk_upsert_stores_rows_and_is_idempotent(client, keys):
    eid = Employee.objects.last().employee_id
    before = _counts()
    first = post(client, keys["hr"], "/api/records/bulk", _rows(eid))
    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["evaluations"]["new"], body["metrics"]["new"], body["events"]["new"]) == (1, 2, 3)
    assert _counts() == (before[0] + 1, before[1] + 2, before[2] + 3)
    stored = Evaluation.objects.get(employee__employee_id=eid, period="2030-01")
    assert (stored.score, stored.grade, stored.period_kind) == (88.5, "优秀", "M")
    assert Metric.objects.get(employee__employee_id=eid, period="2030-01", metric="tickets").value == 512

    again = post(client, keys["hr"], "/api/records/bulk", _rows(eid)).json()
    assert _counts() == (before[0] + 1, before[1] + 2, before[2] + 3)
    assert all(again[n]["new"] == again[n]["changed"] == 0 for n in ("evaluations", "metrics", "events"))
    assert again["events"]["unchanged"] == 3

    changed = post(client, keys["hr"], "/api/records/bulk", _rows(eid, score=70)).json()
    assert changed["evaluations"] == {"new": 0, "changed": 1, "unchanged": 0}
    assert Evaluation.objects.get(employee__employee_id=eid, period="2030-01").score == 70
    assert _counts() == (before[0] + 1, before[1] + 2, before[2] + 3)


@pytest.mark.django_db
def test_bulk_invalid_row_is_400_with_row_and_column_and_writes_nothing(client, keys):
    eid = Employee.objects.last().employee_id
    rows = _rows(eid)
    rows["evaluations"].append({"employee_id": eid, "period": "2030-13", "score": "good"})
    rows["evaluations"].append({"employee_id": eid, "period": "2030-02", "rank": 10**11})  # beyond Int32
    rows["events"].append({"employee_id": "NOBODY", "date": "2030-01-32", "type": "complaint"})
    before = _counts()
    r = post(client, keys["hr"], "/api/records/bulk", rows)
    assert r.status_code == 400
    problems = r.json()["problems"]
    where = {(p["file"], p["row"], p["column"]) for p in problems}
    assert {
        ("evaluations", 1, "period"),
        ("evaluations", 1, "score"),
        ("evaluations", 2, "rank"),
        ("events", 3, "date"),
        ("events", 3, "employee_id"),
    } <= where
    period = next(p for p in problems if p["column"] == "period")
    assert period["got"] == "2030-13" and "YYYY-MM" in period["expected"]
    assert _counts() == before


@pytest.mark.django_db
def test_bulk_rejects_missing_values_duplicates_and_unknown_columns(client, keys):
    eid = Employee.objects.last().employee_id
    missing = post(
        client, keys["hr"], "/api/records/bulk", {"metrics": [{"employee_id": eid, "period": "2030"}]}
    )
    assert missing.status_code == 400
    assert {(p["row"], p["column"]) for p in missing.json()["problems"]} == {(0, "metric"), (0, "value")}
    twice = {"evaluations": [{"employee_id": eid, "period": "2030-Q1", "score": s} for s in (1, 2)]}
    dup = post(client, keys["hr"], "/api/records/bulk", twice)
    assert dup.status_code == 400 and dup.json()["problems"][0]["row"] in (0, 1)
    typo = post(client, keys["hr"], "/api/records/bulk", {"evaluations": [{"employee_id": eid, "scroe": 1}]})
    assert typo.status_code == 400
    assert typo.json()["problems"][0] | {"expected": ""} == {
        "file": "evaluations",
        "row": 0,
        "column": "scroe",
        "expected": "",
        "got": "1",
    }
    boolean = post(
        client, keys["hr"], "/api/records/bulk", {"metrics": [{"employee_id": eid, "value": True}]}
    )
    assert [(p["row"], p["column"]) for p in boolean.json()["problems"]] == [(0, "value")]
    assert not Evaluation.objects.filter(period__startswith="2030").exists()


@pytest.mark.django_db
def test_read_only_roles_may_not_write(client, keys):
    own = user("agent").employee.employee_id
    before = _counts()
    for role in ("agent", "executive"):
        r = post(client, keys[role], "/api/records/bulk", _rows(own))
        assert r.status_code == 403 and "不能通过 API 批量写入记录" in r.json()["detail"], role
    assert _counts() == before


@pytest.mark.django_db
def test_team_lead_writes_for_own_team_only(client, keys):
    lead = user("team-lead")
    outsider = Employee.objects.exclude(team=lead.team).first().employee_id
    insider = Employee.objects.filter(team=lead.team).last().employee_id
    before = _counts()
    mixed = _line_rows(insider)
    mixed["metrics"].append({"employee_id": outsider, "period": "2030-01", "metric": "csat", "value": 90})
    r = post(client, keys["team-lead"], "/api/records/bulk", mixed)
    assert r.status_code == 403 and outsider in r.json()["detail"]
    assert _counts() == before
    assert post(client, keys["team-lead"], "/api/records/bulk", _line_rows(insider)).status_code == 200
    other_dept = Employee.objects.exclude(department=user("supervisor").department).first().employee_id
    assert post(client, keys["supervisor"], "/api/records/bulk", _line_rows(other_dept)).status_code == 403
    # The quality/training group records exams for everyone, but not scores, KPIs or complaints: the same
    # rights as on the entry pages.
    exams = {"events": [r for r in _rows(other_dept)["events"] if r["type"] == "exam"]}
    assert post(client, keys["qa-training"], "/api/records/bulk", exams).status_code == 200
    r = post(client, keys["qa-training"], "/api/records/bulk", _rows(other_dept))
    assert r.status_code == 403 and "录入考核得分" in r.json()["detail"]


@pytest.mark.django_db
def test_a_team_lead_records_no_exam_through_the_api_as_the_exam_page_refuses(client, keys):
    """One authority table: the exam page refuses a team lead (403), and so does the bulk API, with the
    reason, and nothing is stored — before, the API stored the exam (200)."""
    lead = user("team-lead")
    client.force_login(lead)
    assert client.get("/entry/exam/").status_code == 403
    insider = Employee.objects.filter(team=lead.team).exclude(pk=lead.employee_id).first().employee_id
    exam = {"employee_id": insider, "date": "2030-01-20", "type": "exam", "ref": "theory", "value": 91}
    before = _counts()
    r = post(client, keys["team-lead"], "/api/records/bulk", {"events": [exam]})
    assert r.status_code == 403 and "不能录入考试、培训和证书" in r.json()["detail"]
    assert _counts() == before
    assert post(client, keys["qa-training"], "/api/records/bulk", {"events": [exam]}).status_code == 200
    assert _counts()[2] == before[2] + 1


# ---------------------------------------------------------------------------------------------- policies


@pytest.mark.django_db
def test_policies_are_listed_and_served_as_yaml(client, keys):
    listed = get(client, keys["agent"], "/api/policies").json()
    assert [(p["scheme"], p["version"]) for p in listed] == [("dual-track-logistics", "2026.1")]
    r = get(client, keys["agent"], "/api/policies/dual-track-logistics/2026.1")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/yaml")
    assert r.content.decode() == Policy.objects.get().text
    assert get(client, keys["agent"], "/api/policies/dual-track-logistics/1999").status_code == 404


def _upload(client, key, text):
    return client.post("/api/policies", text.encode(), content_type="application/yaml", headers=_h(key))


@pytest.mark.django_db
def test_policy_upload(client, keys):
    text = DEMO_POLICY.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2027.1"')
    for role in ("agent", "team-lead", "supervisor", "qa-training", "executive"):
        assert _upload(client, keys[role], text).status_code == 403
    r = _upload(client, keys["hr"], text)
    assert r.status_code == 201, r.content
    assert r.json()["version"] == "2027.1" and r.json()["uploaded_by"] == "demo-hr"
    assert _upload(client, keys["department-manager"], text).status_code == 409
    assert Policy.objects.count() == 2


@pytest.mark.django_db
def test_policy_upload_error_gives_line_and_column(client, keys):
    bad = DEMO_POLICY.read_text(encoding="utf-8").replace("defaults: {exam_pass", "defaultz: {exam_pass")
    r = _upload(client, keys["admin"], bad)
    assert r.status_code == 400
    body = r.json()
    line = next(i for i, text in enumerate(bad.splitlines(), 1) if text.startswith("defaultz:"))
    assert (body["line"], body["column"]) == (line, 1)
    assert f"policy.yaml:{line}:1" in body["detail"] and 'did you mean "defaults"' in body["detail"]
    assert Policy.objects.count() == 1


# ---------------------------------------------------------------------------------------------- decisions


@pytest.mark.django_db
def test_latest_evaluation_is_the_contract_shape_within_scope(client, keys):
    decided = set(Decision.objects.values_list("employee__employee_id", flat=True))
    for role in ("agent", "team-lead", "hr"):
        body = get(client, keys[role], "/api/evaluations/latest").json()
        assert (body["policy"], body["policy_version"], body["as_of"]) == (
            "dual-track-logistics",
            "2026.1",
            "2026-12-01",
        )
        ids = {r["employee_id"] for r in body["results"]}
        items = get(client, keys[role], "/api/employees", page_size=200).json()["items"]
        assert ids == decided & {e["employee_id"] for e in items}, role
        result = body["results"][0]
        assert set(result) == {
            "employee_id",
            "kind",
            "rule",
            "track",
            "from_level",
            "to_level",
            "eligible",
            "criteria",
        }
        assert {"id", "label", "passed", "actual", "required"} <= set(result["criteria"][0])
        assert get(client, keys[role], "/api/evaluations/latest", scheme="nope").status_code == 404
        # how old the data are: the run's data_through (the latest fact on file), as the pages say it
        run = EvaluationRun.objects.get(pk=Decision.objects.values_list("run_id", flat=True).first())
        assert run.data_through is not None and body["data_through"] == run.data_through.isoformat()
        assert body["stale"] is run.stale
    assert len(decided) > 30


@pytest.mark.django_db
def test_employee_decisions(client, keys):
    me = user("agent").employee.employee_id
    body = get(client, keys["agent"], f"/api/employees/{me}/decisions").json()
    assert body["results"] and {r["employee_id"] for r in body["results"]} == {me}
    assert get(client, keys["hr"], f"/api/employees/{me}/decisions").json() == body
