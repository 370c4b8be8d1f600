"""A real browser: an HR officer builds the 储备领导者 pool of the team_lead post and sees its members with
their readiness (hand-worked in test_talent), calibrates one on the 9-box; an agent fills their
员工职业发展规划表 online and sees it printable; the plan's reminder closes on the next evaluation."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.audit import clock
from rungs.policies.services import evaluation_run_start
from rungs.talent.models import CareerPlan
from tests.web.test_talent import AS_OF, talent  # noqa: F401  (the fixture)

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_hr_builds_a_reserve_pool_and_an_agent_fills_the_plan(
    live_server,
    page,
    monkeypatch,
    talent,  # noqa: F811
    tmp_path,
):
    u, p, dept, policy, run = talent
    for user in u.values():
        user.set_password(DEMO_PASSWORD)
        user.save()
    monkeypatch.setattr(clock, "today", lambda: dt.date(2026, 1, 10))

    sign_in(page, live_server.url, "hr")
    page.click("nav >> text=人才发展")
    page.select_option("#pool-create select[name=rule]", label=f"储备领导者：客服组长 · {policy.label}")
    page.select_option("#pool-create select[name=department]", label="客服一部")
    page.click("#pool-create button[type=submit]")
    page.wait_for_selector("#members")
    assert page.inner_text("#pool-run") == AS_OF.isoformat()

    def readiness(code):
        return page.locator(f'#members tr[data-employee="{code}"] .readiness').inner_text()

    assert (readiness("P2"), readiness("P3"), readiness("P4")) == ("现在可任", "1–2年内可任", "2年以上")
    assert page.locator('#members tr[data-employee="P5"]').count() == 0
    row = '#members tr[data-employee="P2"]'
    page.select_option(f"{row} .calibrate select[name=performance]", "high")
    page.select_option(f"{row} .calibrate select[name=potential]", "high")
    page.fill(f"{row} .calibrate input[name=note]", "2026年1月人才校准会")
    page.click(f"{row} .calibrate button")
    assert "黄蓉" in page.locator("#nine-box tbody tr").first.inner_text()  # potential high, performance high

    page.context.clear_cookies()
    sign_in(page, live_server.url, "wang")
    page.goto(f"{live_server.url}/talent/me/")
    assert "转正1个月内及每年应填写员工职业发展规划表" in page.inner_text("#reminders")
    page.click("#new-plan")
    page.fill("#plan-form input[name=age]", "24")
    page.fill("#plan-form input[name=school]", "广州商学院")
    page.locator("#plan-form input[name=training]").first.fill("新员工入职培训")
    for need in ("manager", "challenge", "expert"):
        page.check(f"#needs input[value={need}]")
    page.select_option("#plan-form select[name=career_track]", "management")
    page.select_option("#plan-form select[name=target]", "post.team_lead")
    page.fill("#plan-form textarea[name=short_term]", "一年内晋升高级客服")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("#plan")
    assert page.inner_text("#plan-target") == "客服组长"
    assert "☑成为管理者" in page.inner_text("#plan-needs")
    page.emulate_media(media="print")
    assert page.locator("nav").is_hidden()  # printable: the sheet alone
    page.screenshot(path=tmp_path / "plan.png", full_page=True)
    plan = CareerPlan.objects.get()
    assert (plan.employee.employee_id, plan.event.ref, plan.filled_on) == (
        "A1",
        "team_lead",
        dt.date(2026, 1, 10),
    )

    evaluation_run_start(policy=policy, as_of=AS_OF, actor=u["hr"])
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}/talent/me/")
    assert "职业发展规划表" not in page.inner_text("#reminders")
