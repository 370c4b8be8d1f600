"""A real browser imports a data set: HR uploads CSV files; a department manager uploads a workbook."""

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from rungs.core.interchange.dataset import empty
from rungs.core.interchange.reader import read_dataset
from rungs.core.interchange.writer import write_dataset
from rungs.demo.seed import create_demo
from rungs.people.models import Employee

from .conftest import AS_OF, sign_in

pytestmark = [pytest.mark.browser]
DATA = Path(__file__).resolve().parents[2] / "examples" / "data" / "star-titles"


@pytest.mark.django_db(transaction=True)
def test_hr_uploads_csv_files_previews_and_commits(live_server, page, settings, tmp_path):  # noqa: F811
    settings.VAR_DIR = tmp_path / "var"
    create_demo(24, as_of=AS_OF, seed=5)
    before = Employee.objects.count()
    sign_in(page, live_server.url, "demo-hr")
    page.wait_for_selector("#scope")
    page.click("nav >> text=导入数据")
    page.wait_for_selector("#import-form")
    page.set_input_files("input[name=files]", sorted(str(p) for p in DATA.glob("*.csv")))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#changes")
    assert page.locator("h1").inner_text() == "导入预览"
    employees = page.locator('#changes tr[data-file="employees"] td')
    assert employees.nth(1).inner_text() == "10"  # ten new people
    assert page.locator("#changes tbody tr").count() == 5  # one row per uploaded file
    assert Employee.objects.count() == before  # the preview wrote nothing
    page.click("#commit")
    page.wait_for_selector("#imported")
    assert page.locator("h1").inner_text() == "导入完成"
    assert "导入完成：所有数据已写入。" in page.inner_text(".messages")
    assert page.locator("#run-now").count() == 1  # offers to evaluate
    assert Employee.objects.count() == before + 10
    assert not any((tmp_path / "var" / "uploads").iterdir())
    page.screenshot(path=tmp_path / "import-done.png")


@pytest.mark.django_db(transaction=True)
def test_department_manager_uploads_a_workbook_outside_then_inside_their_department(
    live_server, page, settings, tmp_path
):
    settings.VAR_DIR = tmp_path / "var"
    create_demo(24, as_of=AS_OF, seed=5)  # the manager's department is 客服一部
    data = read_dataset(DATA)
    ours = data.employees.with_columns(department=pl.lit("客服一部"))
    good = write_dataset(
        replace(data, employees=ours, positions=empty("positions")), tmp_path / "good" / "星级.xlsx"
    )
    stray = ours.with_columns(
        department=pl.when(pl.col("employee_id") == "E03").then(pl.lit("客服二部")).otherwise("department")
    )
    bad = write_dataset(
        replace(data, employees=stray, positions=empty("positions")), tmp_path / "bad" / "星级.xlsx"
    )
    sign_in(page, live_server.url, "demo-department-manager")
    page.click("nav >> text=导入数据")
    assert "本部门（客服一部）" in page.inner_text("#scope-note")
    page.set_input_files("input[name=files]", str(bad))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#problems")
    cells = page.locator("#problems tbody tr").first.locator("td").all_inner_texts()
    # E03 is the third person: row 4 of the employees sheet (row 1 is the header).
    assert cells[:3] == ["星级.xlsx[employees]", "4", "department"] and cells[4] == "客服二部"
    assert page.locator("#problems tbody tr").count() == 1
    page.click("text=返回")
    page.set_input_files("input[name=files]", str(good))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#changes")
    page.click("#commit")
    page.wait_for_selector("#imported")
    assert Employee.objects.filter(employee_id="E03", department__name="客服一部").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_employee_picker_searches(live_server, page):
    create_demo(24, as_of=AS_OF, seed=5)
    lead = Employee.objects.filter(user__username="demo-team-lead").get()
    target = Employee.objects.filter(team=lead.team).exclude(pk=lead.pk).order_by("employee_id").last()
    sign_in(page, live_server.url, "demo-team-lead")
    page.goto(live_server.url + "/entry/score/")
    options = page.locator("select[name=employee] option:not([hidden])")
    everyone = options.count()
    page.fill("input.picker-search", target.employee_id)
    assert options.count() == 2 < everyone  # the empty choice and the one match
    assert page.locator("select[name=employee]").input_value() == target.employee_id
