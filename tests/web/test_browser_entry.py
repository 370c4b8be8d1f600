"""A real browser imports a data set: HR uploads the CSV files, reads the preview, commits."""

from pathlib import Path

import pytest

from rungs.accounts.demo import create_demo
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
