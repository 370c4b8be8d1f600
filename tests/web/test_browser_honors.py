"""A real browser runs an honor from nomination to the board as the roles involved: the team lead nominates,
the department manager passes the review and posts the 公示, a colleague objects anonymously, HR dismisses
the objection (the clock resumes), HR awards once the notice has ended; the certificate downloads as a PDF
and the honor is on the board. Days worked by hand on the 2026 calendar (December has no holiday)."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from rungs.audit import clock
from rungs.honors.models import HonorObjection
from rungs.records.models import Event
from tests.web.test_honors import company  # noqa: F401  (the fixture)

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]
D = dt.date


@pytest.mark.django_db(transaction=True)
def test_an_honor_from_nomination_through_the_notice_to_the_board(
    live_server,
    page,
    monkeypatch,
    company,  # noqa: F811
    tmp_path,
):
    e, u, excellent, _star = company
    for user in u.values():
        user.set_password(DEMO_PASSWORD)
        user.save()
    url = f"{live_server.url}/honors/{excellent.pk}/?cycle=2026-11"
    row = '#nominations tr[data-nominee="E1"]'

    def as_(name, day, where=url):
        monkeypatch.setattr(clock, "today", lambda: day)
        page.context.clear_cookies()
        sign_in(page, live_server.url, name)
        page.goto(where)

    as_("lead", D(2026, 11, 30))
    page.select_option("#nominate select[name=employee]", label="王芳（E1）")
    page.fill("#nominate textarea[name=reason]", "本月零差评，带教两名新人")
    page.click("#nominate button[type=submit]")
    assert page.locator(f"{row} .state").inner_text() == "待审核"

    as_("dm", D(2026, 12, 1))
    page.click(f"{row} button[value=pass]")
    assert page.locator(f"{row} .state").inner_text() == "审核通过，待公示"
    page.click("#open-notice")
    # 3 working days from the posting day: Tue 1, Wed 2, Thu 3
    assert page.inner_text("#notice-dates") == "公示期：2026-12-01 – 2026-12-03"
    notice_url = page.url

    as_("li", D(2026, 12, 2), notice_url)
    page.fill("#object textarea[name=text]", "11月有一次客诉未计入")
    page.check("#object input[name=anonymous]")
    page.click("#object button[type=submit]")
    assert "计时暂停" in page.inner_text("#notice-dates")
    assert HonorObjection.objects.get().filed_by is None

    as_("hr", D(2026, 12, 3))
    page.fill("#objections input[name=reason]", "经核实该客诉不成立")
    page.click("#objections button[value=dismiss]")
    # 2 and 3 Dec did not count: Tue 1 (1), Fri 4 (2), Mon 7 (3)
    assert "2026-12-01 – 2026-12-07" in page.inner_text(".notice-state")

    as_("hr", D(2026, 12, 7))
    page.click(f"{row} button[name=award]")
    assert "公示到 2026-12-07 结束，结束后才能授予" in page.inner_text(".messages")
    as_("hr", D(2026, 12, 8))
    page.click(f"{row} button[name=award]")
    assert page.locator(f"{row} .state").inner_text() == "已授予"
    assert Event.objects.get(type="award").ref == "excellent_employee"

    as_("fang", D(2026, 12, 10))
    with page.expect_download() as download:
        page.click(f"{row} a.doc")
    pdf = PdfReader(download.value.path())
    text = "".join(pdf.pages[0].extract_text().replace("\x00", "").split())
    assert (
        "荣誉证书王芳同志：在2026年11月的工作中表现突出，被评为“优秀员工”。" in text
        and "〔2026〕荣字001号" in text
    )

    page.goto(f"{live_server.url}/honors/board/?cycle=2026-11")
    assert page.inner_text("#board-cycle") == "2026年11月"
    assert page.locator('#people li[data-employee="E1"] .name').inner_text() == "王芳"
    assert page.locator('#people li[data-employee="E1"] .title').inner_text() == "优秀员工"
    assert page.locator("header.bar").count() == 0  # no nav on the wall screen
    page.set_viewport_size({"width": 1920, "height": 1080})
    size = page.locator('#people li[data-employee="E1"] .name').evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 60  # legible across a room: clamp(2rem, 4.5vw, 4.2rem) = 67.2px
    page.screenshot(path=tmp_path / "board-1920.png", full_page=True)
