"""A real browser runs a zhangshang-game vacancy round as the roles involved: the quality/training group opens
it for the free supervisor post, the department manager nominates, the group reviews, enters the written
scores and records the committee's vote, the vice president approves (no 公示 in this scheme), HR appoints;
the numbered notice is there to download and the level has changed. The people are those of
test_round_committee."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.audit import clock
from rungs.people.models import Employee
from rungs.promotions.models import Candidacy, Round
from tests.web.test_round_committee import vacancy  # noqa: F401  (the fixture)

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]
D = dt.date


@pytest.mark.django_db(transaction=True)
def test_a_zhangshang_vacancy_round_with_committee_and_vice_president(
    live_server, page, monkeypatch, request
):
    u, policy, dept = request.getfixturevalue("vacancy")
    for user in u.values():
        user.set_password(DEMO_PASSWORD)
        user.save()
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 20))
    row = '#candidacies tr[data-employee="Z2"]'

    def as_(name, path):
        page.context.clear_cookies()
        sign_in(page, live_server.url, name)
        page.goto(f"{live_server.url}{path}")

    as_("qa", "/rounds/")
    page.fill("#open-round input[name=name]", "游戏客服部主管空缺补充")
    page.select_option("#open-round select[name=kind]", "vacancy")
    page.select_option("#open-round select[name=department]", label="游戏客服部")
    page.fill("#open-round input[name=level]", "post.supervisor")
    page.click("#open-round button[type=submit]")
    rnd = Round.objects.get()
    assert (rnd.kind, rnd.department) == ("vacancy", dept)
    url = f"/rounds/{rnd.pk}/"

    as_("dm", url)
    page.select_option("#nominate select[name=employee]", label="周舟（Z2）")
    page.fill("#nominate textarea[name=statement]", "带组业绩突出，服务意识强")
    page.click("#nominate button[type=submit]")
    assert page.locator(f"{row} .state").inner_text() == "待资格审查"

    as_("qa", url)
    page.click(f"{row} button[value=pass]")
    page.fill("#assess textarea[name=scores]", "Z2,笔试,86\nZ2,面试,90")
    page.click("#assess button[type=submit]")
    assert page.locator(f"{row} .assessment").inner_text() == "笔试 86；面试 90"
    page.fill("#committee-form textarea[name=members]", "张总、李经理、王主管")
    page.fill("#committee-form input[name=chair]", "张总")
    page.fill('#committee-form tr[data-employee="Z2"] input[name^=for_]', "3")
    page.fill('#committee-form tr[data-employee="Z2"] input[name^=against_]', "0")
    page.fill("#committee-form textarea[name=minutes]", "一致同意推荐周舟任部门主管")
    page.click("#committee-form button[type=submit]")
    assert page.locator(f"{row} .state").inner_text() == "评审委员会通过"
    assert "张总、李经理、王主管" in page.inner_text("#committee")

    as_("exec", url)  # an executive who is not the vice president is told who approves
    page.click(f"{row} button[value=approve]")
    assert "副总" in page.inner_text(".messages")
    assert page.locator(f"{row} .state").inner_text() == "评审委员会通过"
    as_("vp", url)
    page.click(f"{row} button[value=approve]")
    assert page.locator(f"{row} .state").inner_text() == "已审批"

    as_("hr", url)
    page.click(f"{row} button[value=appoint]")
    assert page.locator(f"{row} .state").inner_text() == "已任命（考察期）"
    assert "〔2026〕001号" in page.inner_text(f"{row} a.doc")
    assert Employee.objects.get(employee_id="Z2").current_assignments().get().level == "supervisor"
    assert Candidacy.objects.get().approvals[0]["by"] == "vp"
