"""On a phone (375 px wide) the round board and the inbox show a step's due date and its badge without the
page running wider than the screen. 王芳's review is due Wed 30 Sep 2026 (test_round_deadlines)."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.audit import clock
from rungs.promotions.reminders import reminders_send
from rungs.promotions.services import candidacy_apply
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

from .conftest import DEMO_PASSWORD, sign_in

pytestmark = [pytest.mark.browser]
D = dt.date


@pytest.mark.django_db(transaction=True)
def test_due_dates_fit_a_phone(live_server, page, monkeypatch, company):  # noqa: F811
    u, rnd = company
    u["sup"].set_password(DEMO_PASSWORD)
    u["sup"].save()
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 24))
    candidacy_apply(round=rnd, actor=u["fang"], statement="申请晋升高级客服，" * 20)
    reminders_send(today=D(2026, 9, 29))
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 29))
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server.url, "sup")
    for path, badge in ((f"/rounds/{rnd.pk}/", '#candidacies tr[data-employee="E1"] .badge.soon'),
                        ("/", "#inbox .badge.soon")):  # fmt: skip
        page.goto(live_server.url + path)
        assert page.locator(badge).inner_text() == "即将到期"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    assert "请于 2026-09-30 前完成" in page.inner_text("#reminders")
