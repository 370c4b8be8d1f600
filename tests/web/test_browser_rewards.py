"""A real browser runs a reward cycle of the salary-grade-quarterly example department: HR runs October
2026, an executive approves it (within budget), the agent 郑三 reads the statement and questions the
commission line, HR upholds it with the corrected amount (a reversal and a corrected line), the agent sees
the net, and the payroll workbook and CSV are checked cell by cell. Amounts as in test_rewards_pages."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from rungs.rewards.models import RewardLine
from tests.web.rewards_office import office  # noqa: F401  (the fixture)
from tests.web.test_rewards_pages import HEAD, OCTOBER

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_a_reward_cycle_in_the_browser(live_server, page, office, tmp_path):  # noqa: F811
    u, policy = office
    for user in u.values():
        user.set_password(DEMO_PASSWORD)
        user.save()

    def as_(name, path):
        page.context.clear_cookies()
        sign_in(page, live_server.url, name)
        page.goto(f"{live_server.url}{path}")

    as_("hr", "/rewards/runs/")
    page.select_option("#start-run select[name=policy]", str(policy.pk))
    page.fill("#start-run input[name=cycle]", "2026-10")
    page.click("#start-run button[type=submit]")
    assert "已核算 2026-10：4 条明细" in page.inner_text(".messages")
    run_url = page.url.removeprefix(live_server.url)

    as_("boss", run_url)
    page.click("#approve button[value=approve]")
    assert "已批准 4 条明细" in page.inner_text(".messages")
    assert page.locator('tr[data-employee="S3"] .state').inner_text() == "已批准"

    as_("zheng", "/rewards/statement/?cycle=2026-10")
    row = page.locator('table.lines tbody tr[data-employee="S3"]')
    assert row.locator(".explanation").inner_text() == "提成 6000.00 × 100%"
    assert row.locator(".amount").inner_text() == "6000.00"
    row.locator("input[name=text]").fill("十月有一张 500 元的订单漏算")
    row.locator("button[type=submit]").click()
    assert "异议已提交" in page.inner_text(".messages")
    assert page.locator("table.lines .dstate").inner_text() == "待答复"

    as_("hr", "/rewards/disputes/")
    d = page.locator('#disputes tr[data-employee="S3"]')
    d.locator("input[name=answer]").fill("核实漏算订单 500 元")
    d.locator("input[name=corrected]").fill("6500")
    d.locator("button[value=upheld]").click()
    assert page.locator('#disputes tr[data-employee="S3"] .state').inner_text() == "异议成立"

    as_("zheng", "/rewards/statement/?cycle=2026-10")
    amounts = page.locator("table.lines tbody .amount").all_inner_texts()
    assert sorted(amounts) == sorted(["6000.00", "-6000.00", "6500.00"])
    assert page.inner_text("#total") == "6500.00"  # 6000 − 6000 + 6500
    assert "冲销明细" in page.inner_text("table.lines")
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=tmp_path / "statement-375.png", full_page=True)

    as_("hr", run_url)
    page.click("#pay")  # the 4 lines, the reversal and the correction: the payroll had not gone out yet
    assert "已登记发放 6 条明细" in page.inner_text(".messages")
    with page.expect_download() as download:
        page.click("#payroll-xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    expected = [list(r) for r in OCTOBER]
    expected[9] = ["S3", "郑三", "客服部", 6000, 6500, 0, 0, 12500]  # the corrected commission
    assert rows == [HEAD, *expected]
    with page.expect_download() as download:
        page.click("#payroll-csv")
    text = download.value.path().read_text(encoding="utf-8-sig")
    got = list(csv.reader(io.StringIO(text)))
    assert got[0] == HEAD
    assert got[10] == ["S3", "郑三", "客服部", "6000.00", "6500.00", "0.00", "0.00", "12500.00"]
    assert got[11] == ["SV1", "冯一", "客服部", "9000.00", "0.00", "1050.00", "0.00", "10050.00"]
    # nothing was edited: the line keeps its 6000.00, beside its reversal and the corrected line
    states = dict(RewardLine.objects.filter(employee__employee_id="S3").values_list("amount", "state"))
    assert {str(k): v for k, v in states.items()} == {
        "6000.00": "paid",
        "-6000.00": "paid",
        "6500.00": "paid",
    }
