"""Issue 12 in a real browser: HR posts a special award (专项奖励) to the agent 吴一 (J1) for October 2026 on
/rewards/awards/, approves the cycle's awards run, 吴一 reads the line with its reason on 我的奖励, and the
payroll workbook and CSV carry it in the 专项奖励 column. With no plan run that month, J1's row is the base pay
on file (5000) and the award: 5000 + 300.50 = 5300.50 (test_rewards_pages for the base pays)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.web.rewards_office import office  # noqa: F401  (the fixture)

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_hr_posts_and_approves_an_award_the_agent_reads_it_and_the_payroll_has_it(
    live_server,
    page,
    office,  # noqa: F811
):
    u, _policy = office
    for name in ("hr", "wu"):
        u[name].set_password(DEMO_PASSWORD)
        u[name].save()
    url = live_server.url

    sign_in(page, url, "hr")
    page.goto(f"{url}/rewards/awards/")
    form = page.locator("#award-form")
    form.locator("input[name=employee]").fill("J1")
    form.locator("input[name=cycle]").fill("2026-10")
    form.locator("input[name=amount]").fill("300.50")
    form.locator("select[name=unit]").select_option("yuan")
    form.locator("input[name=reason]").fill("十月零投诉一次性奖金")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已登记 吴一 2026-10 的专项奖励 300.50")
    row = page.locator('table.lines tbody tr[data-employee="J1"]')
    expect(row.locator(".state")).to_have_text("已计提")
    expect(row.locator(".plan")).to_have_text("专项奖励")

    page.goto(f"{url}/rewards/runs/")
    page.locator("#runs tr", has_text="专项奖励").locator("a", has_text="2026-10").click()
    page.click("#approve button[value=approve]")
    expect(page.locator(".messages")).to_contain_text("已批准 1 条明细")
    expect(page.locator('tr[data-employee="J1"] .state')).to_have_text("已批准")
    with page.expect_download() as download:
        page.click("#payroll-xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    head = rows[0]
    assert head[:4] == ["工号", "姓名", "部门", "基本工资"] and head[-2:] == ["专项奖励", "合计"]
    j1 = next(r for r in rows if r[0] == "J1")
    assert (j1[head.index("专项奖励")], j1[head.index("合计")]) == (300.5, 5300.5)
    e1 = next(r for r in rows if r[0] == "E1")
    assert e1[head.index("专项奖励")] == 0  # a row for every base pay; no award, no amount
    with page.expect_download() as download:
        page.click("#payroll-csv")
    got = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    j1 = next(r for r in got if r[0] == "J1")
    assert (j1[got[0].index("专项奖励")], j1[got[0].index("合计")]) == ("300.50", "5300.50")

    page.context.clear_cookies()
    sign_in(page, url, "wu")
    page.goto(f"{url}/rewards/statement/?cycle=2026-10")
    line = page.locator('table.lines tbody tr[data-employee="J1"]')
    expect(line.locator(".explanation")).to_have_text("专项奖励：十月零投诉一次性奖金")
    expect(line.locator(".amount")).to_have_text("300.50")
    expect(line.locator(".state")).to_have_text("已批准")
    page.set_viewport_size({"width": 375, "height": 740})  # one block per line: the dispute form in view
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = line.locator("input[name=text]").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
