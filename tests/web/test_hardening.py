"""Issue 9 (hardening) on the pages and the API: what a user or a bad file sends is refused with where and
why, never taken down, and what previews clean commits."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from rungs.accounts.models import User
from rungs.api.models import ApiToken
from rungs.core.interchange.checks import CELL_CHARS, MAX_CHARS
from rungs.people import models as people
from rungs.people.models import Assignment, Employee
from rungs.policies.models import Policy
from rungs.records import models as records
from rungs.records.models import Evaluation, Event, Metric

from .conftest import login


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Uploads go to a folder of the test's own."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def key(role: str) -> dict:
    token = ApiToken.issue(User.objects.get(username=f"demo-{role}"), "test")[1]
    return {"Authorization": f"Bearer {token}"}


def bomb() -> str:
    lines = ["a0: &a0 [" + ",".join(['"x"'] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def upload(client, files: dict[str, str]) -> str:
    r = client.post(
        "/entry/import/", {"files": [SimpleUploadedFile(n, t.encode()) for n, t in files.items()]}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    return r.url


# ------------------------------------------------------------------------------------- policies


@pytest.mark.django_db
def test_the_alias_bomb_is_a_quick_400_on_the_api_and_an_error_on_the_policy_page(client, demo):
    before = Policy.objects.count()
    start = time.perf_counter()
    r = client.post("/api/policies", bomb().encode(), content_type="application/yaml", headers=key("hr"))
    assert r.status_code == 400 and time.perf_counter() - start < 5
    detail = r.json()["detail"]
    assert detail.startswith("policy.yaml:1:1: ") and "别名展开后过大" in detail
    login(client, "hr")
    start = time.perf_counter()
    r = client.post("/entry/policies/new/", {"text": bomb()})
    html = r.content.decode()
    assert r.status_code == 200 and time.perf_counter() - start < 5
    assert "策略文件有误，未保存" in html and "别名展开后过大" in html
    assert Policy.objects.count() == before


# -------------------------------------------------------------------------------- bad rows


@pytest.mark.django_db
def test_bad_dates_and_numbers_are_refused_at_preview_and_by_the_api_alike(client, demo):
    eid = Employee.objects.order_by("employee_id").first().employee_id
    login(client, "hr")
    preview = upload(
        client,
        {
            "employees.csv": f"employee_id,name,hire_date\n{eid},张三,2024-03-01\n",
            "events.csv": f"employee_id,date,type\n{eid},0000-01-01,complaint\n",
            "evaluations.csv": f"employee_id,period,score\n{eid},2026-01,NaN\n",
        },
    )
    html = client.get(preview).content.decode()
    assert 'id="problems"' in html and 'id="commit"' not in html
    assert "0000-01-01" in html and "1900-01-01" in html and "NaN" in html and "a finite number" in html
    body = {
        "events": [{"employee_id": eid, "date": "0000-01-01", "type": "complaint"}],
        "evaluations": [{"employee_id": eid, "period": "2026-01", "score": "NaN"}],
    }
    events, scores = Event.objects.count(), Evaluation.objects.count()
    r = client.post("/api/records/bulk", body, content_type="application/json", headers=key("hr"))
    assert r.status_code == 400
    found = {(p["file"], p["row"], p["column"]) for p in r.json()["problems"]}
    assert found == {("events", 0, "date"), ("evaluations", 0, "score")}
    assert (Event.objects.count(), Evaluation.objects.count()) == (events, scores)


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["0000-01-01", "-001-01-01", "+2024-01-01", "2024-01-01 garbage"])
def test_a_date_of_year_zero_a_negative_year_or_with_a_sign_or_tail_is_refused_alike(client, demo, written):
    """The same date is refused on the preview page (file, row, column) and by the bulk API (list, row from
    0, column), and nothing is stored either way."""
    eid = Employee.objects.order_by("employee_id").first().employee_id
    events = Event.objects.count()
    login(client, "hr")
    preview = upload(
        client,
        {
            "employees.csv": f"employee_id,name,hire_date\n{eid},张三,2024-03-01\n",
            "events.csv": f"employee_id,date,type\n{eid},{written},complaint\n",
        },
    )
    page = client.get(preview)
    html = page.content.decode()
    assert 'id="problems"' in html and 'id="commit"' not in html and written in html
    [p] = page.context["problems"]
    assert (p["file"].split("/")[-1], p["row"], p["column"], p["got"]) == ("events.csv", 2, "date", written)
    body = {"events": [{"employee_id": eid, "date": written, "type": "complaint"}]}
    r = client.post("/api/records/bulk", body, content_type="application/json", headers=key("hr"))
    assert r.status_code == 400
    [problem] = r.json()["problems"]
    assert (problem["file"], problem["row"], problem["column"], problem["got"]) == (
        "events",
        0,
        "date",
        written,
    )
    assert Event.objects.count() == events


# ------------------------------------------------------------------- previews clean, commits


def test_every_text_column_of_the_models_is_bounded_by_the_reader():
    """Each CharField an import writes has the reader's bound for it, so an over-long value is refused at
    preview instead of failing at commit (PostgreSQL) or being stored whole past its length (SQLite)."""
    columns = {
        (people.Employee, "employee_id"): ("employees", "employee_id"),
        (people.Employee, "name"): ("employees", "name"),
        (people.Team, "code"): ("employees", "team"),
        (people.Department, "name"): ("employees", "department"),
        (people.Assignment, "track"): ("assignments", "track"),
        (people.Assignment, "level"): ("assignments", "level"),
        (people.Assignment, "department"): ("assignments", "department"),
        (people.Position, "level"): ("positions", "level"),
        (people.Position, "track"): ("positions", "track"),
        (people.Position, "team"): ("positions", "team"),
        (people.Position, "department"): ("positions", "department"),
        (records.Evaluation, "grade"): ("evaluations", "grade"),
        (records.Metric, "metric"): ("metrics", "metric"),
        (records.Event, "type"): ("events", "type"),
        (records.Event, "ref"): ("events", "ref"),
    }
    # Written from codes the reader maps or checks by pattern, never as the file has them.
    coded = {"education", "status", "kind", "period", "period_kind"}
    # Not written by an import of the interchange: the calendar's own import cuts its texts to their length.
    elsewhere = {records.CalendarDay, records.CalendarYear}
    for model in (*people.__dict__.values(), *records.__dict__.values()):
        if not (isinstance(model, type) and issubclass(model, models.Model)) or model._meta.abstract:
            continue
        if model in elsewhere:
            continue
        if model.__module__ not in (people.__name__, records.__name__):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField) or field.name in coded:
                continue
            assert (model, field.name) in columns, f"{model.__name__}.{field.name} has no bound in the reader"
    for (model, name), (file, column) in columns.items():
        assert MAX_CHARS[file][column] == model._meta.get_field(name).max_length, (model, name)
    for file in MAX_CHARS:  # employee ids and manager ids as long as Employee.employee_id everywhere
        assert (
            MAX_CHARS[file].get("employee_id", 50)
            == people.Employee._meta.get_field("employee_id").max_length
        )
    assert MAX_CHARS["employees"]["manager_id"] == 50
    assert CELL_CHARS <= 2000  # the API's bound for a note (schemas.EventRow.note)


@pytest.mark.django_db
def test_assignments_without_kind_preview_and_commit(client, demo):
    login(client, "hr")
    preview = upload(
        client,
        {
            "employees.csv": "employee_id,name,hire_date\nH1,张三,2024-03-01\n",
            "assignments.csv": "employee_id,track,level,start_date\nH1,skill,junior,2024-03-01\n",
        },
    )
    assert 'id="commit"' in client.get(preview).content.decode()
    token = preview.rstrip("/").rsplit("/", 1)[1]
    r = client.post(f"/entry/import/{token}/commit/")
    assert r.status_code == 302
    assert list(Assignment.objects.filter(employee__employee_id="H1").values_list("kind", flat=True)) == [
        "promotion"
    ]


@pytest.mark.django_db
def test_a_value_longer_than_its_column_a_nul_and_a_huge_cell_are_refused_at_preview(client, demo):
    login(client, "hr")
    preview = upload(
        client,
        {
            "employees.csv": "employee_id,name,hire_date,team\n"
            f"H1,{'名' * 101},2024-03-01,一组\nH2,李\x00四,2024-03-01,一组\n"
            f"H3,王五,2024-03-01,{'组' * 10_000_000}\n",
        },
    )
    html = client.get(preview).content.decode()
    assert 'id="problems"' in html and 'id="commit"' not in html
    assert "at most 100 characters" in html and "NUL" in html and "10000000" in html
    assert len(html) < 200_000  # the 10 MB cell is not echoed back
    assert not Employee.objects.filter(employee_id__in=["H1", "H2", "H3"]).exists()


@pytest.mark.django_db
def test_malformed_csv_is_a_problem_on_the_preview_page(client, demo):
    login(client, "hr")
    preview = upload(client, {"employees.csv": 'employee_id,name,hire_date\nH1,"张三,2024-03-01\n'})
    r = client.get(preview)
    html = r.content.decode()
    assert r.status_code == 200 and 'id="problems"' in html and "quote" in html


# ------------------------------------------------------------------------------------ API limits


@pytest.mark.django_db
def test_a_body_over_the_limit_is_a_clear_400(client, demo, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = settings.MAX_BODY_BYTES = 1024 * 1024  # 1 MB for the test
    rows = [{"employee_id": "E000002", "period": "2026-11", "metric": "csat", "value": 1.5}] * 20_000
    r = client.post(
        "/api/records/bulk", {"metrics": rows}, content_type="application/json", headers=key("hr")
    )
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["detail"].startswith("请求体超过 1 MB") and body["problems"][0]["expected"] == "at most 1 MB"


@pytest.mark.django_db
def test_the_documented_bulk_limit_is_reachable(client, demo, settings):
    """100,000 rows in a list (the documented maximum, schemas.BulkIn) fit in a body under the limit and
    are written; one more row is refused by the schema, not by the body size."""
    eid = Employee.objects.order_by("employee_id").first().employee_id
    # A long-ish metric name and value: typical rows are shorter than these.
    rows = [
        {"employee_id": eid, "period": "2026-11", "metric": f"kpi_{i:06d}", "value": 12345.678}
        for i in range(100_000)
    ]
    assert len(json.dumps({"metrics": rows, "evaluations": [], "events": []})) * 3 < settings.MAX_BODY_BYTES
    start = Metric.objects.count()
    r = client.post(
        "/api/records/bulk", {"metrics": rows}, content_type="application/json", headers=key("hr")
    )
    assert r.status_code == 200, r.content[:500]
    assert r.json()["metrics"]["new"] == 100_000 and Metric.objects.count() == start + 100_000
    r = client.post(
        "/api/records/bulk", {"metrics": [*rows, rows[0]]}, content_type="application/json", headers=key("hr")
    )
    assert r.status_code == 400 and r.json()["problems"][0]["file"] == "metrics"


@pytest.mark.django_db
def test_uploads_have_a_size_limit_shown_on_the_import_page(client, demo, settings, var_dir):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    login(client, "hr")
    assert "每个文件不超过 1 MB" in client.get("/entry/import/").content.decode()
    big = "employee_id,name,hire_date\n" + "H1,张三,2024-03-01\n" * 60_000  # ~1.3 MB
    r = client.post("/entry/import/", {"files": [SimpleUploadedFile("employees.csv", big.encode())]})
    assert r.status_code == 200 and "employees.csv：文件超过 1 MB 的上限" in r.content.decode()
    assert not (var_dir / "uploads").exists() or not any((var_dir / "uploads").iterdir())


# ------------------------------------------------------------------------------------ exports


@pytest.mark.django_db
def test_board_export_writes_formula_like_names_as_text_and_counts_as_numbers(client, demo):
    import io

    import openpyxl

    from rungs.policies.models import Decision

    person = Decision.objects.select_related("employee").first().employee
    person.name = '=HYPERLINK("http://evil.example","点我")'
    person.save()
    login(client, "hr")
    r = client.get("/board/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    mine = [row for row in rows[1:] if row[0].value == person.employee_id]
    assert mine and all((row[1].value, row[1].data_type) == (person.name, "s") for row in mine)
    assert not any(c.data_type == "f" for row in rows for c in row)
    for column in ("已满足条件数", "条件总数"):
        assert {row[header.index(column)].data_type for row in rows[1:]} == {"n"}


@pytest.mark.django_db
def test_rungs_export_reimports_formula_like_names_unchanged(demo, tmp_path):
    from rungs.core.interchange.reader import read_dataset
    from rungs.core.interchange.writer import write_dataset
    from rungs.datasets.frames import dataset_from_db
    from rungs.datasets.importer import import_path

    first, second = Employee.objects.order_by("employee_id").values_list("employee_id", flat=True)[:2]
    names = {first: "=cmd|' /C calc'!A0", second: "@SUM(1+1)*cmd|' /C calc'!A0"}
    for eid, name in names.items():
        Employee.objects.filter(employee_id=eid).update(name=name)
    for target in ("export", "export.xlsx"):
        written = write_dataset(dataset_from_db(), tmp_path / target)
        back = dict(read_dataset(written).employees.select("employee_id", "name").iter_rows())
        assert {eid: back[eid] for eid in names} == names
        plan = import_path(written, dry_run=True)
        assert plan.changes["employees"].changed == 0  # nothing to change: the same names came back


# ------------------------------------------------------------------------- rows stored before


@pytest.mark.django_db
def test_pages_still_render_when_the_database_already_holds_non_finite_numbers(client, demo):
    """Rows stored before the reader refused them (issue 9: NaN scores left the team view at 500)."""
    from rungs.records.models import Metric

    person = Employee.objects.filter(evaluations__isnull=False, team__isnull=False).first()
    Evaluation.objects.filter(employee=person).update(score=float("nan"))
    Metric.objects.filter(employee=person).update(value=float("inf"))
    login(client, "hr")
    for url in (
        "/board/",
        f"/board/employee/{person.employee_id}/",
        f"/board/team/?team={person.team.code}",
        "/",
    ):
        assert client.get(url).status_code == 200, url
