"""Issue 11 in a real browser (Playwright driving Debian's Chromium): HR records a staff forum (座谈会) with
its attendees and an issue raised, owned by the supervisor; the supervisor finds it in the inbox and takes
it through in progress to done; an agent of another department reads the forum and the handling,
published — also on a 375 px wide phone. Then the satisfaction dashboard of a survey series on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from rungs.demo.seed import DEMO_PASSWORD
from rungs.voice.models import ForumAction

from .conftest import sign_in
from .test_voice_dashboard import JUNE, SEPTEMBER, a_round
from .voice_company import make_company

pytestmark = [pytest.mark.browser]
TODAY = dt.date(2026, 11, 23)


def fits(page, width=375) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.django_db(transaction=True)
def test_a_forum_from_its_record_to_an_action_done_and_published(live_server, browser, monkeypatch, tmp_path):
    company = make_company()
    for role in ("hr", "sup", "outsider"):
        company["users"][role].set_password(DEMO_PASSWORD)
        company["users"][role].save()
    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    url = live_server.url

    hr = browser.new_context(locale="zh-CN").new_page()
    sign_in(hr, url, "hr")
    hr.click("nav >> text=座谈会")
    hr.fill("#new-forum input[name=held_on]", "2026-11-20")
    hr.fill("#new-forum input[name=topic]", "夜班排班座谈会")
    hr.select_option("#new-forum select[name=department]", label="客服一部")
    hr.fill("#new-forum textarea[name=attendees]", "E002, E003 E008")
    hr.fill("#new-forum input[name=other_attendees]", "人力资源部 李经理")
    hr.click("#new-forum button[type=submit]")
    expect(hr.locator("#attendees")).to_contain_text("员工002（E002）")
    expect(hr.locator("#attendees")).to_contain_text("员工008（E008）")
    hr.fill("#add-issue textarea[name=issue]", "夜班后第二天不要排早班")
    hr.select_option("#add-issue select[name=owner]", label="sup · 主管")
    hr.fill("#add-issue input[name=due_on]", "2026-12-15")
    hr.click("#add-issue button[type=submit]")
    expect(hr.locator("#action-1 .state")).to_have_text("已收到")

    sup = browser.new_context(locale="zh-CN").new_page()
    sign_in(sup, url, "sup")
    sup.goto(f"{url}/")
    row = sup.locator("#inbox tr.forum-action")
    expect(row).to_contain_text("夜班后第二天不要排早班")
    expect(row).to_contain_text("2026-12-15 前完成")
    row.locator("a").click()
    sup.locator("#action-1 button[value=in_progress]").click()
    expect(sup.locator("#action-1 .state")).to_have_text("处理中")
    sup.fill("#action-1 input[name=note]", "夜班次日统一排中班，12 月起执行")
    sup.locator("#action-1 button[value=done]").click()
    expect(sup.locator("#action-1 .state")).to_have_text("已完成")
    expect(sup.locator("#action-1 .steps")).to_contain_text("2026-11-23 已完成：夜班次日统一排中班")
    sup.goto(f"{url}/")
    assert sup.locator("#inbox tr.forum-action").count() == 0  # done: nothing waits on the owner

    other = browser.new_context(locale="zh-CN").new_page()
    sign_in(other, url, "outsider")
    other.click("nav >> text=座谈会")
    published = other.locator("#actions tr", has_text="夜班后第二天不要排早班")
    expect(published.locator(".state")).to_have_text("已完成")
    expect(published).to_contain_text("夜班次日统一排中班，12 月起执行")
    expect(other.locator("#forums tr", has_text="夜班排班座谈会")).to_contain_text("已完成 1")
    fits(other)
    other.locator("#forums a", has_text="夜班排班座谈会").click()
    expect(other.locator("#action-1 .state")).to_have_text("已完成")
    assert other.locator("#action-1 form").count() == 0  # reads; does not act
    fits(other)
    other.screenshot(path=tmp_path / "forum-375.png", full_page=True)
    assert ForumAction.objects.get().state == "done"


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_on_a_phone_shows_the_trend_and_hides_the_small_group(
    live_server, page, monkeypatch, tmp_path
):
    company = make_company()
    company["users"]["dm"].set_password(DEMO_PASSWORD)
    company["users"]["dm"].save()
    a_round(company, dt.date(2026, 6, 1), JUNE)
    a_round(company, dt.date(2026, 9, 1), SEPTEMBER)
    monkeypatch.setattr("rungs.audit.clock.today", lambda: dt.date(2026, 10, 1))
    sign_in(page, live_server.url, "dm")
    page.click("nav >> text=调查问卷")
    page.click("#dashboard-link")
    rating = page.locator('section.dashboard-table[data-kind="rating"]')
    expect(rating.locator("tr", has_text="客服一部")).to_contain_text("4.27")
    two = rating.locator("tr", has_text="二组")
    assert two.locator("td.hidden").count() == 2
    page.locator("#trend-groups a", has_text="一组").click()
    assert page.locator("#trend svg.chart circle").count() == 2  # 4.00 and 4.50
    fits(page)
    page.screenshot(path=tmp_path / "dashboard-375.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_manager_corrects_a_forum_and_an_actions_owner_and_the_new_owner_sees_it(
    live_server, browser, monkeypatch
):
    """Issue 11: 客服一部's manager corrects the topic of the department's forum and gives its action to the
    一组 team lead instead of the supervisor, each with a reason; the forum page publishes the dated lines
    (changed fields and reason, not what they said before); the lead finds the action in the inbox and the
    supervisor no longer does."""
    from rungs.voice.forums import forum_create, forum_issue_add

    company = make_company()
    u = company["users"]
    for role in ("dm", "lead", "sup", "outsider"):
        u[role].set_password(DEMO_PASSWORD)
        u[role].save()
    people = {e.employee_id: e for e in company["people"]["一组"]}
    forum = forum_create(
        held_on=dt.date(2026, 11, 20), topic="夜班座谈会", actor=u["dm"], department=company["one"],
        attendees=[people["E002"], people["E003"]], today=TODAY,
    )  # fmt: skip
    forum_issue_add(
        forum=forum, issue="夜班后第二天不要排早班", owner=u["sup"], due_on=dt.date(2026, 12, 15),
        actor=u["dm"], today=TODAY,
    )  # fmt: skip
    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    url = live_server.url

    dm = browser.new_context(locale="zh-CN").new_page()
    sign_in(dm, url, "dm")
    dm.goto(f"{url}/voice/forums/{forum.pk}/")
    dm.click("#edit-forum summary")
    dm.fill("#edit-forum input[name=topic]", "夜班排班座谈会")
    dm.fill("#edit-forum input[name=reason]", "主题漏写“排班”二字")
    dm.click("#edit-forum button[type=submit]")
    expect(dm.locator(".messages")).to_contain_text("已修改座谈会记录")
    expect(dm.locator("h1")).to_contain_text("夜班排班座谈会")
    expect(dm.locator("#forum-edits li")).to_have_text("2026-11-23 修改了主题：主题漏写“排班”二字")

    action = dm.locator("#action-1")
    action.locator("details.edit-action summary").click()
    action.locator("select[name=owner]").select_option(label="lead · 组长")
    action.locator("input[name=reason]").fill("排班由组长负责")
    action.locator("details.edit-action button[type=submit]").click()
    expect(dm.locator(".messages")).to_contain_text("已修改事项")
    expect(dm.locator("#action-1 ol.edits li")).to_have_text("2026-11-23 修改了负责人：排班由组长负责")
    expect(dm.locator("#action-1")).to_contain_text("lead")
    fits(dm)  # the published lines and the open forms fit a phone
    dm.context.close()

    lead = browser.new_context(locale="zh-CN").new_page()
    sign_in(lead, url, "lead")
    lead.goto(f"{url}/")
    row = lead.locator("#inbox tr.forum-action")
    expect(row).to_contain_text("夜班后第二天不要排早班")
    expect(row).to_contain_text("2026-12-15 前完成")
    lead.context.close()

    sup = browser.new_context(locale="zh-CN").new_page()
    sign_in(sup, url, "sup")
    sup.goto(f"{url}/")
    expect(sup.locator("#inbox")).to_be_visible()
    assert sup.locator("#inbox tr.forum-action").count() == 0
    sup.context.close()

    other = browser.new_context(locale="zh-CN").new_page()  # published: an agent of another department
    sign_in(other, url, "outsider")
    other.goto(f"{url}/voice/forums/{forum.pk}/")
    expect(other.locator("#forum-edits li")).to_have_text("2026-11-23 修改了主题：主题漏写“排班”二字")
    assert other.locator("#edit-forum").count() == 0 and "夜班座谈会" not in other.inner_text("main")
    other.context.close()
