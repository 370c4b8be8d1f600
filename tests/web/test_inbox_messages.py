"""Inbox messages to the people a step concerns (站内通知): the awardee of an honor, the employees whose reward
lines were approved or paid. Written after the step's transaction commits, in Chinese and English, shown
on the home page until marked read. Amounts of May 2026 on the example salary-grade-quarterly (see
test_rewards_ledger): 吴一 J1 commission 8000.00, 郑三 S3 6800.00."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from rungs.audit.models import AuditEntry
from rungs.honors.services import honor_award, honor_notice_open, nomination_create, nomination_review
from rungs.notify.models import Message
from rungs.notify.services import messages_read
from rungs.rewards.services import RewardRefused, reward_run_approve, reward_run_pay, reward_run_start
from tests.web.rewards_office import office  # noqa: F401  (the fixture)
from tests.web.test_honors import company  # noqa: F401  (the fixture)

D = dt.date


def inbox(user):
    return [(m.kind, m.text, m.text_en, m.url) for m in Message.objects.filter(recipient=user).order_by("pk")]


def test_approved_and_paid_lines_are_told_after_the_commit(office, django_capture_on_commit_callbacks):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert reward_run_approve(run=run, actor=u["boss"], plan="commission") == 9
        assert not Message.objects.exists()  # nothing before the commit
    for callback in pending:
        callback()
    url = "/rewards/statement/?cycle=2026-05"
    assert inbox(u["wu"]) == [
        ("reward.approve", "您 2026-05 的奖励已批准：8000.00 元。",
         "Your rewards for 2026-05 were approved: 8000.00 yuan.", url),
    ]  # fmt: skip
    assert inbox(u["zheng"])[0][1] == "您 2026-05 的奖励已批准：6800.00 元。"
    # only the nine commission lines' people with an account: 吴一 and 郑三 (the others have none)
    assert Message.objects.count() == 2
    # a refused approval (KPI bonus 2700 over its budget of 2500) tells nobody
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RewardRefused):
        reward_run_approve(run=run, actor=u["boss"], plan="kpi_bonus")
    assert Message.objects.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        reward_run_pay(run=run, actor=u["hr"])
    assert inbox(u["wu"])[1][:3] == (
        "reward.pay",
        "您 2026-05 的奖励已发放：8000.00 元。",
        "Your rewards for 2026-05 were paid: 8000.00 yuan.",
    )


def test_the_home_page_shows_the_messages_until_read(client, office, django_capture_on_commit_callbacks):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        reward_run_approve(run=run, actor=u["boss"], plan="commission")
    client.force_login(u["wu"])
    html = client.get("/").content.decode()
    assert 'id="messages"' in html and "您 2026-05 的奖励已批准：8000.00 元。" in html
    with translation.override("zh-hans"):  # puts back the language the middleware leaves active
        html = client.get("/en/").content.decode()
    assert "Your rewards for 2026-05 were approved: 8000.00 yuan." in html
    client.post("/messages/read/")
    assert 'id="messages"' not in client.get("/").content.decode()
    entry = AuditEntry.objects.get(action="inbox.read")
    assert entry.actor == "wu" and entry.after == {"read": 1}
    assert messages_read(user=u["wu"]) == 0  # nothing left: no second entry
    assert AuditEntry.objects.filter(action="inbox.read").count() == 1
    # 郑三's message is still unread
    assert Message.objects.get(recipient=u["zheng"]).read_at is None


@pytest.mark.django_db
def test_the_awardee_is_told_of_the_honor(company, django_capture_on_commit_callbacks):  # noqa: F811
    e, u, excellent, _star = company
    n = nomination_create(
        honor=excellent, cycle="2026-11", employee=e["fang"], reason="本月零差评", on=D(2026, 11, 30),
        actor=u["lead"],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        nomination_review(nomination=n, passed=True, actor=u["dm"])
        honor_notice_open(honor=excellent, cycle="2026-11", opened_on=D(2026, 12, 1), actor=u["hr"])
    assert not Message.objects.exists()  # nominated, passed and on notice: not yet news to her
    with django_capture_on_commit_callbacks(execute=True):
        award = honor_award(nomination=n, on=D(2026, 12, 4), actor=u["hr"])
    assert inbox(u["fang"]) == [
        ("honor.award", "您获得了「优秀员工」荣誉（2026-11），证书编号 〔2026〕荣字001号。",
         "You have been awarded “优秀员工” (2026-11), certificate 〔2026〕荣字001号.",
         f"/honors/awards/{award.pk}/certificate.pdf"),
    ]  # fmt: skip
    assert Message.objects.count() == 1
