"""HR keeps the organisation on its pages in a real browser (Playwright driving Debian's Chromium): a
department, a team in it, a new employee in that team, a post's headcount, and logins in bulk whose
first password works once, to set the person's own."""

import pytest
from playwright.sync_api import expect

from rungs.demo.seed import create_demo
from rungs.people.models import Employee, Position

from .conftest import AS_OF, sign_in

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_hr_builds_a_team_adds_a_person_sets_posts_and_creates_logins(live_server, page, browser, tmp_path):
    create_demo(24, as_of=AS_OF, seed=5)
    sign_in(page, live_server.url, "demo-hr")
    page.click("#org-link")
    expect(page.locator("h1")).to_have_text("部门与班组")

    page.fill("#new-department input[name=name]", "质检中心")
    page.click("#new-department button")
    expect(page.locator(".messages")).to_contain_text("已保存部门 质检中心")
    page.fill("#new-team input[name=code]", "Q0001")
    page.select_option("#new-team select[name=department]", label="质检中心")
    page.click("#new-team button")
    expect(page.locator('tr[data-team="Q0001"]')).to_contain_text("质检中心")

    page.click("#org-tabs >> text=员工")
    page.click("#new-employee")
    form = page.locator("#employee-form")
    form.locator("input[name=employee_id]").fill("E0100001")
    form.locator("input[name=name]").fill("苏青")
    form.locator("input[name=hire_date]").fill("2026-11-16")
    form.locator("select[name=team]").select_option(label="Q0001（质检中心）")
    form.locator("select[name=education]").select_option("bachelor")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已保存 苏青（E0100001）")
    person = Employee.objects.get(employee_id="E0100001")
    assert (person.team.code, person.department.name, person.status) == ("Q0001", "质检中心", "probation")

    page.click("#org-tabs >> text=编制")
    row = page.locator('#positions tr[data-level="manager"]')
    row.locator("input[name=headcount]").fill("3")
    row.locator("button", has_text="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存编制")
    assert Position.objects.get(level="manager").headcount == 3

    page.click("#org-tabs >> text=登录账号")
    page.fill("#bulk-logins textarea", "su.qing,普通客服,E0100001\nzhou.lead,组长,,质检中心,Q0001\n")
    page.click("#bulk-logins button")
    created = page.locator("#created")
    expect(created).to_contain_text("已创建 2 个账号")
    password = created.locator('tr[data-username="su.qing"] code').inner_text()
    page.screenshot(path=tmp_path / "org-logins.png", full_page=True)

    other = browser.new_context(locale="zh-CN").new_page()
    try:
        other.goto(f"{live_server.url}/accounts/login/")
        other.fill("input[name=username]", "su.qing")
        other.fill("input[name=password]", password)
        other.click("button[type=submit]")
        # a first password is temporary: the password page comes first, then the pages open
        expect(other.locator("#must-change")).to_be_visible()
        other.goto(f"{live_server.url}/")
        expect(other.locator("#must-change")).to_be_visible()
        other.fill("input[name=old_password]", password)
        other.fill("input[name=new_password1]", "青色-Marten-2031!")
        other.fill("input[name=new_password2]", "青色-Marten-2031!")
        other.click("section.card form button[type=submit]")
        other.goto(f"{live_server.url}/")
        expect(other.locator("#my-progress-link")).to_be_visible()
    finally:
        other.context.close()
