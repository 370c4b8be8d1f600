"""A real browser runs a notice-workflow round as the roles involved: the agent applies, the supervisor
passes the review, HR posts the 公示, a colleague objects anonymously, HR dismisses the objection (the clock
resumes), HR approves once the notice has ended and appoints; the level changes. Days as in test_notice."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from rungs.audit import clock
from rungs.promotions.models import Objection
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]
D = dt.date


@pytest.mark.django_db(transaction=True)
def test_a_notice_workflow_round_in_the_browser(live_server, page, monkeypatch, company, tmp_path):  # noqa: F811
    u, rnd = company
    for user in u.values():
        user.set_password(DEMO_PASSWORD)
        user.save()
    url = f"{live_server.url}/rounds/{rnd.pk}/"
    row = '#candidacies tr[data-employee="E1"]'

    def as_(name, day):
        monkeypatch.setattr(clock, "today", lambda: day)
        page.context.clear_cookies()  # a signed-in user is sent away from the login page
        sign_in(page, live_server.url, name)
        page.goto(url)

    as_("fang", D(2026, 9, 15))
    page.fill("input[name=statement]", "申请晋升高级客服")
    page.click("#apply")
    assert page.locator(f"{row} .state").inner_text() == "待资格审查"

    as_("sup", D(2026, 9, 16))
    page.click(f"{row} button[value=pass]")
    assert page.locator(f"{row} .state").inner_text() == "资格审查通过"

    as_("hr", D(2026, 9, 23))
    page.click("#open-notice")
    # day 1 is the posting day: 23, 24, 28, 29, 30 Sep (中秋 25–27 off)
    assert "2026-09-23 – 2026-09-30" in page.inner_text("#notice-state")

    as_("li", D(2026, 9, 28))
    page.goto(f"{url}notice/")
    page.fill("#object textarea[name=text]", "工作量统计有误")
    page.check("#object input[name=anonymous]")
    page.click("#object button[type=submit]")
    assert "计时暂停" in page.inner_text("#notice-dates")
    assert Objection.objects.get().filed_by is None

    as_("hr", D(2026, 9, 29))
    page.fill("#objections input[name=reason]", "经核实统计无误")
    page.click("#objections button[value=dismiss]")
    # 28–29 Sep did not count: 23, 24, 30 Sep, 8, 9 Oct
    assert "2026-09-23 – 2026-10-09" in page.inner_text("#notice-state")

    as_("hr", D(2026, 10, 12))
    page.click(f"{row} button[value=approve]")
    assert page.locator(f"{row} .state").inner_text() == "已审批"
    page.click(f"{row} button[value=appoint]")
    assert page.locator(f"{row} .state").inner_text() == "已任命（考察期）"
    with page.expect_download() as download:
        page.click(f"{row} a.doc")
    pdf = PdfReader(download.value.path())
    # pypdf reads the embedded font's text with a NUL after each character; the words are what is checked
    text = "".join(pdf.pages[0].extract_text().replace("\x00", "").split())
    assert (
        "任命通知〔2026〕001号" in text
        and "决定任命你为高级客服（原任初级客服），自2026年10月12日起生效" in text
    )
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=tmp_path / "round-375.png", full_page=True)
    assert u["fang"].employee.current_assignments().get().level == "senior"
