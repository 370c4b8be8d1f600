"""Layout checks in a real browser at the widths people use: 1366 × 800 (a laptop) and 375 × 740 (a phone).
The top bar's links never break inside a name (HR's thirty links once broke as 处/理意见 and 退/出 at
1366 px), and the logins page shows a first password on a phone instead of beyond the card's right edge
(its tables once ran to 715 px inside a 354 px card)."""

import pytest
from playwright.sync_api import expect

from rungs.demo.seed import create_demo

from .conftest import AS_OF, sign_in

pytestmark = [pytest.mark.browser]

BROKEN = """() => [...document.querySelectorAll('header .links a, header .who, header button.link')]
  .filter(a => a.getClientRects().length > 1).map(a => a.textContent.trim())"""
SCROLLING = """() => [...document.querySelectorAll('main .card, main table')]
  .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.id || c.tagName)"""


@pytest.mark.django_db(transaction=True)
def test_the_bar_keeps_names_whole_and_logins_fit_a_phone(live_server, page):
    create_demo(24, as_of=AS_OF, seed=5)
    url = live_server.url
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, url, "demo-admin")
    for path in ("/", "/en/"):
        page.goto(url + path)
        assert page.evaluate(BROKEN) == [], path
    page.context.clear_cookies()
    sign_in(page, url, "demo-hr")
    assert page.evaluate(BROKEN) == []

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{url}/org/logins/")
    page.fill("#bulk-logins textarea", "zhang.xiaoming.customer-service-one,部门经理,,客服一部\n")
    page.click("#bulk-logins button")
    created = page.locator('#created tr[data-username="zhang.xiaoming.customer-service-one"]')
    expect(created).to_contain_text("部门经理")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(SCROLLING) == []  # nothing scrolls sideways inside its card either
    box = created.locator("code").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375  # the password in view
    listed = page.locator('#login-list tr[data-username="zhang.xiaoming.customer-service-one"]')
    expect(listed).to_contain_text("客服一部")
    box = listed.locator("input[type=checkbox]").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
