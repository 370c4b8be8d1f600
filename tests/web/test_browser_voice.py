"""The suggestion box in a real browser (Playwright driving Debian's Chromium), as issue 11 asks: an agent
submits a suggestion and keeps the receipt code, follows it with the code, the handler replies, the
handling is published to everyone, and the author claims the reward — named to HR alone."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from rungs.demo.seed import DEMO_PASSWORD
from rungs.voice.models import RewardClaim

from .conftest import sign_in
from .voice_company import AUTHOR_NAME, AUTHOR_USERNAME, make_company

pytestmark = [pytest.mark.browser]
DAY = dt.date(2026, 12, 7)


def follow(page, url, code):
    page.goto(f"{url}/voice/suggestions/")
    page.fill("#follow input[name=code]", code)
    page.click("#follow button[type=submit]")
    page.wait_for_selector("#mine")


@pytest.mark.django_db(transaction=True)
def test_submit_follow_reply_publish_and_claim(live_server, page, browser, monkeypatch):
    company = make_company()
    for role in ("author", "hr", "outsider"):
        user = company["users"][role]
        user.set_password(DEMO_PASSWORD)
        user.save()
    url = live_server.url
    monkeypatch.setattr("rungs.audit.clock.today", lambda: DAY)

    # The agent submits and is shown the receipt code once.
    sign_in(page, url, AUTHOR_USERNAME)
    page.click("nav >> text=意见箱")
    page.fill("#suggest input[name=title]", "夜班后的排班")
    page.fill("#suggest textarea[name=text]", "夜班后第二天希望不排早班。")
    page.click("#suggest button[type=submit]")
    code = page.locator("#receipt-code").inner_text()
    assert len(code) == 19  # 16 characters in groups of four
    follow(page, url, code)
    expect(page.locator("#state")).to_contain_text("已收到")
    expect(page.locator("#state")).to_contain_text("等待")  # not yet released to the handlers
    page.fill("#author-reply textarea[name=text]", "周末也是一样。")
    page.click("#author-reply button[type=submit]")
    expect(page.locator("#thread")).to_contain_text("周末也是一样。")

    # The next day the suggestion reaches HR, who replies and takes it through to implemented.
    monkeypatch.setattr("rungs.audit.clock.today", lambda: DAY + dt.timedelta(days=1))
    hr = browser.new_context(locale="zh-CN").new_page()
    sign_in(hr, url, "hr")
    hr.click("nav >> text=处理意见")
    card = hr.locator("section.suggestion", has_text="夜班后的排班")
    expect(card).to_contain_text("周末也是一样。")
    card.locator("form.reply input[name=text]").fill("收到，请问是哪个班组？")
    card.locator("form.reply button").click()
    card = hr.locator("section.suggestion", has_text="夜班后的排班")
    card.locator("button[value=review]").click()
    card = hr.locator("section.suggestion", has_text="夜班后的排班")
    card.locator("form.move input[name=reason]").fill("采纳，下月起执行")
    card.locator("button[value=adopted]").click()
    card = hr.locator("section.suggestion", has_text="夜班后的排班")
    card.locator("form.move input[name=reason]").fill("已调整排班规则")
    card.locator("button[value=implemented]").click()
    card = hr.locator("section.suggestion", has_text="夜班后的排班")
    card.locator("form.excellent input[name=reward]").fill("200")
    card.locator("button[value=excellent]").click()
    expect(hr.locator("section.suggestion", has_text="夜班后的排班")).to_contain_text("200.00")

    # Published to everyone: another department's agent sees the handling, not the conversation.
    other = browser.new_context(locale="zh-CN").new_page()
    sign_in(other, url, "outsider")
    other.goto(f"{url}/voice/suggestions/")
    row = other.locator("#published tr", has_text="夜班后的排班")
    expect(row).to_contain_text("已落实")
    expect(row).to_contain_text("已调整排班规则")
    assert "收到，请问是哪个班组" not in other.inner_text("main")

    # The author reads the reply with the code and claims the reward.
    follow(page, url, code)
    expect(page.locator("#thread")).to_contain_text("收到，请问是哪个班组？")
    expect(page.locator("#reward")).to_contain_text("200.00")
    page.click("#claim-button")
    expect(page.locator("#claimed")).to_be_visible()
    assert RewardClaim.objects.get().employee.name == AUTHOR_NAME

    hr.click("nav >> text=意见奖励")
    expect(hr.locator("#claims")).to_contain_text(AUTHOR_NAME)
    hr.locator("#claims button").click()
    expect(hr.locator("#claims")).to_contain_text("已记入奖励台账")
