"""The entry pages: import from the browser, policies and runs, and the day-to-day facts forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rungs.people.models import Employee
from rungs.policies.models import Decision, EvaluationRun, Policy
from rungs.records.models import Evaluation, Event

from .conftest import login

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"
POLICIES = ROOT / "examples" / "policies"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def csv_files(folder: Path, **replace: str) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(p.name, replace.get(p.stem, p.read_text(encoding="utf-8")).encode(), "text/csv")
        for p in sorted(folder.glob("*.csv"))
    ]


def upload(client, files) -> str:
    r = client.post("/entry/import/", {"files": files})
    assert r.status_code == 302, r.content.decode()[:2000]
    return r.url


def uploads(var_dir: Path) -> list[Path]:
    folder = var_dir / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


# ------------------------------------------------------------------------------------------------ import


@pytest.mark.django_db
def test_import_preview_names_the_bad_cell_and_writes_nothing(client, demo, var_dir):
    login(client, "hr")
    before = Employee.objects.count()
    src = DATA / "dual-track-logistics"
    metrics = (src / "metrics.csv").read_text(encoding="utf-8") + "E01,2026-05,tickets,很多\n"
    lines = metrics.count("\n")
    preview = upload(client, csv_files(src, metrics=metrics))
    html = client.get(preview).content.decode()
    assert 'id="problems"' in html and "未写入任何数据" in html
    row = html.split('id="problems"')[1].split("</table>")[0]
    assert "<td>metrics.csv</td>" in row and f">{lines}</td>" in row and "<td>value</td>" in row
    assert "很多" in row and str(var_dir) not in html
    assert 'id="commit"' not in html
    assert Employee.objects.count() == before
    # Commit is refused as well: the plan is read again and still fails.
    token = preview.rstrip("/").rsplit("/", 1)[1]
    r = client.post(f"/entry/import/{token}/commit/")
    assert r.status_code == 200 and 'id="problems"' in r.content.decode()
    assert Employee.objects.count() == before
    client.post(f"/entry/import/{token}/cancel/")
    assert uploads(var_dir) == []


@pytest.mark.django_db
def test_import_commit_then_reupload_shows_nothing_to_change(client, demo, var_dir):
    login(client, "hr")
    src = DATA / "star-titles"
    before = Employee.objects.count()
    preview = upload(client, csv_files(src))
    html = client.get(preview).content.decode()
    assert 'data-file="employees"' in html and 'id="commit"' in html
    employees = html.split('data-file="employees"')[1].split("</tr>")[0]
    assert '<td class="num">10</td>' in employees  # ten new people
    assert Employee.objects.count() == before  # nothing written by the preview
    token = preview.rstrip("/").rsplit("/", 1)[1]
    r = client.post(f"/entry/import/{token}/commit/", follow=True)
    assert r.status_code == 200 and "导入完成" in r.content.decode()
    assert "运行资格评估" in r.content.decode()  # offers an evaluation
    assert Employee.objects.count() == before + 10
    assert Evaluation.objects.filter(employee__employee_id="E01").exists()
    assert uploads(var_dir) == []
    assert client.post(f"/entry/import/{token}/commit/").status_code == 404  # gone
    again = upload(client, csv_files(src))
    html = client.get(again).content.decode()
    assert 'id="nothing"' in html and 'id="commit"' not in html
    token = again.rstrip("/").rsplit("/", 1)[1]
    client.post(f"/entry/import/{token}/cancel/")
    assert uploads(var_dir) == []


@pytest.mark.django_db
def test_import_of_a_workbook(client, demo, tmp_path):
    from rungs.core.interchange.reader import read_dataset
    from rungs.core.interchange.writer import write_dataset

    book = write_dataset(read_dataset(DATA / "star-titles"), tmp_path / "星级.xlsx")
    login(client, "admin")
    preview = upload(client, [SimpleUploadedFile("星级.xlsx", Path(book).read_bytes())])
    token = preview.rstrip("/").rsplit("/", 1)[1]
    assert 'id="commit"' in client.get(preview).content.decode()
    client.post(f"/entry/import/{token}/commit/")
    assert Employee.objects.filter(employee_id="E01").exists()


@pytest.mark.django_db
def test_a_csv_renamed_to_xlsx_is_reported_not_a_server_error(client, demo):
    login(client, "hr")
    preview = upload(client, [SimpleUploadedFile("人员.xlsx", b"employee_id,name\nE1,x\n")])
    r = client.get(preview)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="problems"' in html and "人员.xlsx" in html and "xlsx workbook" in html


@pytest.mark.django_db
def test_import_refuses_unknown_files_and_other_roles(client, demo):
    login(client, "hr")
    r = client.post("/entry/import/", {"files": [SimpleUploadedFile("人员名单.csv", b"a,b\n")]})
    assert r.status_code == 200 and "无法识别的文件" in r.content.decode()
    both = [
        SimpleUploadedFile("employees.csv", b"employee_id,name,hire_date\n"),
        SimpleUploadedFile("events.csv", b""),
    ]
    r = client.post("/entry/import/", {"files": both})
    assert r.status_code == 200 and "events.csv：所提交的是空文件" in r.content.decode()
    for role in ("agent", "team-lead", "supervisor", "qa-training", "executive"):
        login(client, role)
        assert client.get("/entry/import/").status_code == 403
    # Another user's upload is not theirs to see.
    login(client, "hr")
    preview = upload(client, csv_files(DATA / "star-titles"))
    login(client, "department-manager")
    assert client.get(preview).status_code == 404


@pytest.mark.django_db
def test_a_department_manager_imports_only_their_department(client, demo, var_dir):
    user = login(client, "department-manager")
    ours = user.department.name  # 客服一部 in the demo; E0000013 is stored in 客服二部
    assert "本部门（客服一部）" in client.get("/entry/import/").content.decode()
    header = "employee_id,name,hire_date,department,team\n"
    people = (
        header + f"N1,新人甲,2026-03-01,{ours},\nN2,新人乙,2026-03-01,客服二部,\nN3,新人丙,2026-03-01,,\n"
    )
    people += f"E0000013,借调,2024-01-01,{ours},\n"
    people += f"N4,新人丁,2026-03-01,{ours},T0002\n"  # T0002 is a team of 客服二部
    metrics = "employee_id,period,metric,value\nN1,2026-05,tickets,40\nN2,2026-05,tickets,50\n"
    files = [
        SimpleUploadedFile("employees.csv", people.encode()),
        SimpleUploadedFile("metrics.csv", metrics.encode()),
    ]
    preview = upload(client, files)
    html = client.get(preview).content.decode()
    table = re.sub(r">\s+<", "><", html.split('id="problems"')[1].split("</table>")[0])
    # Row 3 (N2, another department), row 4 (N3, none), row 5 (E0000013, stored in 客服二部) and row 6
    # (N4, in 客服二部's team T0002).
    assert table.count("<tr>") == 1 + 4, table
    assert ">3</td><td>department</td>" in table and ">4</td><td>department</td>" in table
    assert ">5</td><td>employee_id</td>" in table and "E0000013（客服二部）" in table
    assert ">6</td><td>team</td>" in table and "T0002（客服二部）" in table
    token = preview.rstrip("/").rsplit("/", 1)[1]
    assert 'id="problems"' in client.post(f"/entry/import/{token}/commit/").content.decode()
    assert not Employee.objects.filter(employee_id__in=["N1", "N2", "N3", "N4"]).exists()
    assert Employee.objects.get(employee_id="E0000013").department.name == "客服二部"
    # Their own department's people and records go in; HR may import any department.
    preview = upload(
        client,
        [SimpleUploadedFile("employees.csv", (header + f"N1,新人甲,2026-03-01,{ours},T0001\n").encode())],
    )
    client.post(preview + "commit/")
    assert Employee.objects.get(employee_id="N1").department.name == ours
    login(client, "hr")
    preview = upload(client, [SimpleUploadedFile("employees.csv", people.encode())])
    assert 'id="commit"' in client.get(preview).content.decode()


# ---------------------------------------------------------------------------------------------- policies


def policy_text(scheme: str = "star-titles") -> str:
    return (POLICIES / f"{scheme}.yaml").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_policy_upload_as_file_then_view_with_line_numbers(client, demo):
    user = login(client, "hr")
    r = client.post(
        "/entry/policies/new/",
        {"file": SimpleUploadedFile("star-titles.yaml", policy_text().encode()), "text": ""},
    )
    assert r.status_code == 302
    stored = Policy.objects.get(scheme="star-titles")
    assert stored.uploaded_by == user and stored.version == "2026.1"
    html = client.get(r.url).content.decode()
    assert 'id="L1"' in html and '<span class="ln">1</span>' in html
    listing = client.get("/entry/policies/").content.decode()
    assert "star-titles" in listing and "2026.1" in listing and "demo-hr" in listing


@pytest.mark.django_db
def test_policy_error_names_and_highlights_the_line_and_saves_nothing(client, demo):
    login(client, "department-manager")
    lines = policy_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("version:"))
    lines.insert(at + 1, "colour: blue")
    before = Policy.objects.count()
    r = client.post("/entry/policies/new/", {"text": "\n".join(lines)})
    html = r.content.decode()
    assert r.status_code == 200 and "策略文件有误，未保存" in html
    assert f"第 {at + 2} 行" in html
    assert f'class="line bad" id="L{at + 2}"' in html
    assert "colour: blue" in html  # the text is kept for fixing
    assert Policy.objects.count() == before


@pytest.mark.django_db
def test_duplicate_policy_version_is_refused(client, demo):
    login(client, "admin")
    assert client.post("/entry/policies/new/", {"text": policy_text()}).status_code == 302
    r = client.post("/entry/policies/new/", {"text": policy_text()})
    assert r.status_code == 200 and "已存在" in r.content.decode() and 'id="duplicate"' in r.content.decode()
    assert Policy.objects.filter(scheme="star-titles").count() == 1


@pytest.mark.django_db
def test_policy_pages_by_role(client, demo):
    policy = Policy.objects.first()
    for role in ("team-lead", "supervisor", "qa-training", "executive"):
        login(client, role)
        assert client.get("/entry/policies/").status_code == 200
        assert client.get(f"/entry/policies/{policy.pk}/").status_code == 200
        assert client.get("/entry/policies/new/").status_code == 403
        assert client.post("/entry/policies/run/", {"policy": policy.pk}).status_code == 403
    login(client, "agent")
    assert client.get("/entry/policies/").status_code == 403
    assert client.get(f"/entry/policies/{policy.pk}/").status_code == 403


@pytest.mark.django_db
def test_run_evaluation_now_creates_a_run_with_decisions(client, demo):
    user = login(client, "hr")
    policy = Policy.objects.get()
    r = client.post("/entry/policies/run/", {"policy": policy.pk, "as_of": "2026-12-01", "mode": "now"})
    assert r.status_code == 302
    run = EvaluationRun.objects.filter(created_by=user).get()
    assert run.as_of.isoformat() == "2026-12-01" and run.employees == Employee.objects.count()
    assert Decision.objects.filter(run=run).exists()
    html = client.get(r.url).content.decode()
    assert 'id="by-kind"' in html and 'data-kind="promotion"' in html
    listing = client.get("/entry/policies/").content.decode()
    assert f"/entry/runs/{run.pk}/" in listing


@pytest.mark.django_db
def test_run_evaluation_in_the_background_is_enqueued(client, demo):
    from django_tasks_db.models import DBTaskResult

    user = login(client, "department-manager")
    policy = Policy.objects.get()
    r = client.post("/entry/policies/run/", {"policy": policy.pk, "as_of": "2026-12-01", "mode": "queue"})
    assert r.status_code == 302
    task = DBTaskResult.objects.get()
    assert task.task_path == "rungs.policies.tasks.evaluate_policy"
    assert task.args_kwargs["args"] == [policy.pk, "2026-12-01", user.pk, ""]
    assert "已放入后台队列" in client.get("/entry/policies/").content.decode()


# ------------------------------------------------------------------------------------------------- facts


def in_scope(user):
    from rungs.accounts.scope import visible_employees

    return visible_employees(user).exclude(pk=user.employee_id).order_by("employee_id").first()


def outside(user):
    from rungs.accounts.scope import visible_employees

    return Employee.objects.exclude(pk__in=visible_employees(user)).order_by("employee_id").first()


FACTS = {
    "score": {"period": "2020-03", "score": "91.5", "grade": "优秀"},
    "attestation": {"ref": "office_skills", "value": "1", "date": "2026-01-15", "note": ""},
    "commendation": {"source": "customer", "customer": "C-501", "date": "2026-01-15", "note": "来信表扬"},
    "exam": {"ref": "technical", "value": "86", "date": "2026-01-15", "note": ""},
}


ALLOWED = [
    ("team-lead", "score"),
    ("supervisor", "score"),
    ("department-manager", "score"),
    ("team-lead", "attestation"),
    ("supervisor", "attestation"),
    ("team-lead", "commendation"),
    ("supervisor", "commendation"),
    ("qa-training", "exam"),
    ("admin", "exam"),
]
FORBIDDEN = [
    ("agent", "score"),
    ("agent", "attestation"),
    ("agent", "commendation"),
    ("agent", "exam"),
    ("executive", "score"),
    ("hr", "commendation"),
    ("qa-training", "score"),
    ("team-lead", "exam"),
    ("supervisor", "exam"),
]


@pytest.mark.django_db
def test_each_fact_is_stored_by_an_allowed_role(client, demo):
    for role, fact in ALLOWED:
        Evaluation.objects.filter(period="2020-03").delete()
        Event.objects.filter(date="2026-01-15").delete()
        check_stored(client, role, fact)


def check_stored(client, role, fact):
    user = login(client, role)
    person = in_scope(user)
    html = client.get(f"/entry/{fact}/").content.decode()
    assert f'value="{person.employee_id}"' in html
    r = client.post(f"/entry/{fact}/", {"employee": person.employee_id, **FACTS[fact]})
    assert r.status_code == 302, r.content.decode()
    if fact == "score":
        e = Evaluation.objects.get(employee=person, period="2020-03")
        assert (e.score, e.grade, e.period_kind, e.seq) == (91.5, "优秀", "M", 2020 * 12 + 2)
        imported = Evaluation.objects.exclude(period="2020-03")
        assert imported.exists() and not imported.exclude(recorded_by=None).exists()
        assert not imported.filter(recorded_at=None).exists()  # the import's time, set by the database
    else:
        kind = {"attestation": "attestation", "commendation": "commendation_customer", "exam": "exam"}[fact]
        e = Event.objects.filter(employee=person, type=kind).latest("pk")
        assert e.date.isoformat() == "2026-01-15"
        assert (e.ref, e.value) == {
            "attestation": ("office_skills", 1.0),
            "commendation": ("C-501", None),
            "exam": ("technical", 86.0),
        }[fact]
    assert e.recorded_by == user  # who entered it is kept with the fact, and shown in the recent list
    page = client.get(r.url).content.decode()
    assert "已保存" in page
    assert f'<td class="recorded">{user.username} ' in page


@pytest.mark.django_db
def test_forbidden_roles_get_403(client, demo):
    person = Employee.objects.first()
    before = (Evaluation.objects.count(), Event.objects.count())
    for role, fact in FORBIDDEN:
        login(client, role)
        assert client.get(f"/entry/{fact}/").status_code == 403, (role, fact)
        post = {"employee": person.employee_id, **FACTS[fact]}
        assert client.post(f"/entry/{fact}/", post).status_code == 403, (role, fact)
    assert (Evaluation.objects.count(), Event.objects.count()) == before


@pytest.mark.django_db
def test_a_person_outside_the_scope_is_neither_offered_nor_accepted(client, demo):
    for role, fact in [
        ("team-lead", "score"),
        ("supervisor", "attestation"),
        ("department-manager", "commendation"),
    ]:
        user = login(client, role)
        stranger = outside(user)
        assert stranger is not None
        html = client.get(f"/entry/{fact}/").content.decode()
        assert f'value="{stranger.employee_id}"' not in html
        before = (Evaluation.objects.count(), Event.objects.count())
        r = client.post(f"/entry/{fact}/", {"employee": stranger.employee_id, **FACTS[fact]})
        assert r.status_code == 404, (role, fact)
        assert (Evaluation.objects.count(), Event.objects.count()) == before


@pytest.mark.django_db
def test_score_validation_messages_and_correction(client, demo):
    from django.utils import timezone

    user = login(client, "team-lead")
    person = in_scope(user)
    post = {"employee": person.employee_id, "score": "90", "grade": ""}
    html = client.post("/entry/score/", {**post, "period": "2026/05"}).content.decode()
    assert "考核期应为 YYYY-MM，例如 2026-05。" in html
    html = client.post(
        "/entry/score/", {**post, "period": f"{timezone.localdate().year + 1}-01"}
    ).content.decode()
    assert "考核期不能晚于本月。" in html
    html = client.post("/entry/score/", {**post, "period": "2020-01", "score": "很好"}).content.decode()
    assert "得分应为数字" in html
    html = client.post("/entry/score/", {**post, "period": "2020-01", "score": ""}).content.decode()
    assert "请填写得分或等级（至少一项）。" in html
    stored = Evaluation.objects.filter(employee=person, period_kind="M").latest("seq")
    html = client.post("/entry/score/", {**post, "period": stored.period, "score": "77"}).content.decode()
    assert "已有考核结果" in html and "更正已有记录" in html
    assert Evaluation.objects.get(pk=stored.pk).score == stored.score
    html = client.post(
        "/entry/score/", {**post, "period": stored.period, "score": "77", "replace": "on"}
    ).content.decode()
    assert "更正已有记录须填写更正原因。" in html  # a correction needs a reason
    assert Evaluation.objects.get(pk=stored.pk).score == stored.score
    fix = {
        **post,
        "period": stored.period,
        "score": "77",
        "replace": "on",
        "reason": "录入错误，按考核表更正",
    }
    r = client.post("/entry/score/", fix)
    assert r.status_code == 302 and Evaluation.objects.get(pk=stored.pk).score == 77


@pytest.mark.django_db
def test_commendation_and_attestation_messages(client, demo):
    user = login(client, "supervisor")
    person = in_scope(user)
    base = {"employee": person.employee_id, "date": "2026-01-15", "note": ""}
    html = client.post(
        "/entry/commendation/", {**base, "source": "customer", "customer": ""}
    ).content.decode()
    assert "客户表扬须填写客户名称或编号。" in html
    r = client.post("/entry/commendation/", {**base, "source": "internal", "customer": ""})
    assert r.status_code == 302
    assert Event.objects.filter(employee=person, type="commendation_internal", date="2026-01-15").exists()
    html = client.post("/entry/commendation/", {**base, "source": "internal"}).content.decode()
    assert "未重复保存" in html
    # The items are the policy's own, offered by name: a typo cannot be saved to never match.
    page = client.get("/entry/attestation/").content.decode()
    assert 'value="office_skills"' in page and 'value="learning_ability"' in page
    html = client.post("/entry/attestation/", {**base, "ref": "office_skils", "value": "1"}).content.decode()
    assert "请从列表中选择认定项目。" in html
    assert not Event.objects.filter(ref="office_skils").exists()
    html = client.post(
        "/entry/attestation/", {**base, "ref": "x", "value": "1", "date": "2099-01-01"}
    ).content.decode()
    assert "日期不能晚于今天。" in html


@pytest.mark.django_db
def test_entry_hub_and_nav_by_role(client, demo):
    login(client, "agent")
    assert client.get("/entry/").status_code == 403
    assert "/entry/" not in client.get("/").content.decode()
    login(client, "team-lead")
    html = client.get("/").content.decode()
    assert (
        'href="/entry/"' in html and 'href="/entry/policies/"' in html and 'href="/entry/import/"' not in html
    )
    hub = client.get("/entry/").content.decode()
    assert "/entry/score/" in hub and "/entry/exam/" not in hub
    login(client, "hr")
    html = client.get("/").content.decode()
    assert 'href="/entry/import/"' in html


@pytest.mark.django_db
def test_uploads_left_behind_are_swept(client, demo, var_dir):
    import os
    import time

    login(client, "hr")
    old = var_dir / "uploads" / ("0" * 32)
    old.mkdir(parents=True)
    os.utime(old, (time.time() - 2 * 86400,) * 2)
    preview = upload(client, csv_files(DATA / "star-titles"))
    assert not old.exists() and len(uploads(var_dir)) == 1
    client.post(preview + "cancel/")
    assert uploads(var_dir) == []


@pytest.mark.django_db
def test_entry_pages_in_english(client, demo):
    login(client, "hr")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/en/entry/import/").content.decode()
    assert "Upload and preview" in html and "上传并预览" not in html
    html = client.get("/en/entry/policies/").content.decode()
    assert "Stored policies and versions" in html and "Run now" in html


@pytest.mark.django_db
def test_edit_in_the_browser_saves_a_new_version(client, demo):
    login(client, "hr")
    base = Policy.objects.get()
    html = client.get(f"/entry/policies/new/?from={base.pk}").content.decode()
    assert f"{base.version}" in html and "rungs: 1" in html  # the text to edit is in the textarea
    text = base.text.replace(f'version: "{base.version}"', 'version: "2027.1"').replace(
        f"version: {base.version}", 'version: "2027.1"'
    )
    assert "2027.1" in text
    r = client.post("/entry/policies/new/", {"text": text})
    assert r.status_code == 302
    assert list(
        Policy.objects.filter(scheme=base.scheme).values_list("version", flat=True).order_by("version")
    ) == [
        base.version,
        "2027.1",
    ]


@pytest.mark.django_db
def test_run_now_is_refused_for_a_large_department(client, demo, monkeypatch):
    from rungs.people import size

    monkeypatch.setattr(size, "RUN_NOW_LIMIT", 10)
    login(client, "hr")
    assert 'id="run-now"' not in client.get("/entry/policies/").content.decode()
    r = client.post(
        "/entry/policies/run/", {"policy": Policy.objects.get().pk, "as_of": "2026-12-01", "mode": "now"}
    )
    assert r.status_code == 302 and not EvaluationRun.objects.filter(created_by__username="demo-hr").exists()
    assert "请放入后台队列运行" in client.get("/entry/policies/").content.decode()


@pytest.mark.django_db
def test_exam_results_are_entered_in_bulk_all_or_none(client, demo):
    user = login(client, "qa-training")
    a, b = Employee.objects.order_by("employee_id")[:2]
    before = Event.objects.filter(type="exam").count()
    base = {"ref": "technical", "date": "2026-03-02", "note": "第一季度"}
    # A bad line names its number and nothing is saved, not even the good lines.
    bad = f"{a.employee_id}\t86\n{b.employee_id}\t很好\nNOBODY 70\n{a.employee_id} 90"
    html = client.post("/entry/exam/bulk/", {**base, "lines": bad}).content.decode()
    assert "第 2 行：成绩应为 0–1000 的数字" in html
    assert "第 3 行：工号 NOBODY 不存在" in html and "第 4 行：工号 " in html and "出现了两次" in html
    assert Event.objects.filter(type="exam").count() == before
    r = client.post("/entry/exam/bulk/", {**base, "lines": f"{a.employee_id}\t86\n{b.employee_id}，92.5\n"})
    assert r.status_code == 302
    stored = Event.objects.filter(type="exam", date="2026-03-02", ref="technical")
    assert sorted((e.employee_id, e.value, e.recorded_by_id) for e in stored) == sorted(
        [(a.pk, 86.0, user.pk), (b.pk, 92.5, user.pk)]
    )
    # The same sitting again is refused as a whole, naming the person.
    html = client.post("/entry/exam/bulk/", {**base, "lines": f"{a.employee_id} 86"}).content.decode()
    assert a.employee_id in html and "未重复保存" in html
    login(client, "team-lead")
    assert client.get("/entry/exam/bulk/").status_code == 403


@pytest.mark.django_db
def test_a_department_manager_cannot_name_a_manager_from_another_department(client, demo, var_dir):
    user = login(client, "department-manager")
    ours = user.department.name
    theirs = Employee.objects.exclude(department=user.department).order_by("employee_id").first()
    colleague = Employee.objects.filter(department=user.department).order_by("employee_id").first()
    header = "employee_id,name,hire_date,department,manager_id\n"
    people = header + f"N1,新人甲,2026-03-01,{ours},{theirs.employee_id}\n"
    people += f"N2,新人乙,2026-03-01,{ours},{colleague.employee_id}\nN3,新人丙,2026-03-01,{ours},N2\n"
    preview = upload(client, [SimpleUploadedFile("employees.csv", people.encode())])
    table = re.sub(
        r">\s+<", "><", client.get(preview).content.decode().split('id="problems"')[1].split("</table>")[0]
    )
    # Only row 2 (N1's manager is in another department); a colleague or someone in the file is fine.
    assert table.count("<tr>") == 1 + 1, table
    assert ">2</td><td>manager_id</td>" in table and theirs.employee_id in table
