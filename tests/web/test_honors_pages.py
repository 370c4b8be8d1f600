"""The honor pages as each role sees them: the titles with their public standards, setting one up (a wrong
criterion shows its line and stores nothing), the steps on a title's page, the board for a wall screen and
the thanks feed with its allowance."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.audit import clock
from rungs.honors.models import Honor, Nomination, Recognition
from rungs.honors.services import honor_award, honor_notice_open, nomination_create, nomination_review
from rungs.policies.models import Policy
from tests.web.test_honors import company  # noqa: F401  (the fixture)

D = dt.date


@pytest.fixture
def on(monkeypatch):
    def set_day(day):
        monkeypatch.setattr(clock, "today", lambda: day)

    return set_day


@pytest.mark.django_db
def test_everyone_reads_the_titles_and_only_hr_and_managers_set_one_up(client, company):  # noqa: F811
    _e, u, _excellent, star = company
    client.force_login(u["fang"])
    page = client.get("/honors/").content.decode()
    assert "服务明星" in page and "每个部门 1 名" in page and "当月满意度≥95" in page
    assert 'id="define"' not in page
    client.force_login(u["hr"])
    page = client.get("/honors/").content.decode()
    assert 'id="define"' in page
    response = client.post(
        "/honors/define/",
        {
            "name": "优秀客服",
            "code": "excellent_agent",
            "kind": "individual",
            "cycle": "M",
            "quota": "3",
            "quota_scope": "department",
            "policy": str(Policy.objects.get(scheme=star.scheme).pk),
            "track": "grade",
            "levels": "grade_d，grade_c",
            "criteria": "- id: csat\n  window: {of: metric.csat, period: mnth, last: 1, agg: mean}\n  at_least: 95\n",
        },
        follow=True,
    )
    assert "第 2 行" in response.content.decode() or "line 2" in response.content.decode()
    assert not Honor.objects.filter(code="excellent_agent").exists()
    response = client.post(
        "/honors/define/",
        {
            "name": "优秀客服",
            "code": "excellent_agent",
            "kind": "individual",
            "cycle": "M",
            "quota": "3",
            "quota_scope": "department",
            "policy": str(Policy.objects.get(scheme=star.scheme).pk),
            "track": "grade",
            "levels": "grade_d，grade_c",
            "criteria": "- id: csat\n  window: {of: metric.csat, period: month, last: 1, agg: mean}\n  at_least: 95\n",
        },
    )
    honor = Honor.objects.get(code="excellent_agent")
    assert response.url == f"/honors/{honor.pk}/"
    assert (honor.levels, honor.quota, honor.get_quota_scope_display()) == (
        ["grade_d", "grade_c"],
        3,
        "每个部门",
    )
    client.force_login(u["sup"])
    assert (
        client.post("/honors/define/", {"name": "创新奖", "code": "innovation", "quota": "1"}).status_code
        == 302
    )
    assert not Honor.objects.filter(code="innovation").exists()


@pytest.mark.django_db
def test_the_title_page_takes_each_step_and_shows_a_refusal(client, company, on):  # noqa: F811
    e, u, excellent, _star = company
    url = f"/honors/{excellent.pk}/"
    on(D(2026, 12, 1))
    client.force_login(u["lead"])
    page = client.get(url).content.decode()
    assert "2026年11月" in page  # the latest complete month is the default cycle
    client.post(
        f"{url}act/", {"step": "nominate", "cycle": "2026-11", "employee": e["fang"].pk, "reason": "零差评"}
    )
    client.post(
        f"{url}act/", {"step": "nominate", "cycle": "2026-11", "employee": e["qiang"].pk, "reason": "带新人"}
    )
    page = client.post(
        f"{url}act/",
        {"step": "nominate", "cycle": "2026-11", "employee": e["li"].pk, "reason": "加班"},
        follow=True,
    ).content.decode()
    assert "一组已有 2 名提名（王芳、李强），不能再推荐" in page
    assert Nomination.objects.count() == 2
    client.force_login(u["fang"])  # an agent sees nothing under review
    assert "王芳（E1）" not in client.get(url, {"cycle": "2026-11"}).content.decode()
    client.force_login(u["dm"])
    fang = Nomination.objects.get(employee=e["fang"])
    client.post(
        f"{url}act/", {"step": "review", "cycle": "2026-11", "nomination": fang.pk, "decision": "pass"}
    )
    response = client.post(f"{url}act/", {"step": "notice", "cycle": "2026-11"})
    notice = fang.__class__.objects.get(pk=fang.pk).notice
    assert response.url == f"/honors/notices/{notice.pk}/"
    page = client.get(response.url).content.decode()
    # 3 working days from the posting day, Tue 1 Dec: 1, 2, 3
    assert "2026-12-01 – 2026-12-03" in page and "王芳（E1）" in page and "李强" not in page
    client.force_login(u["fang"])  # the 公示 is public
    assert "王芳（E1）" in client.get(url, {"cycle": "2026-11"}).content.decode()


@pytest.mark.django_db
def test_the_board_shows_a_cycle_in_large_type_without_the_nav(client, company):  # noqa: F811
    e, u, excellent, _star = company
    n = nomination_create(
        honor=excellent,
        cycle="2026-11",
        employee=e["fang"],
        reason="零差评",
        on=D(2026, 11, 30),
        actor=u["lead"],
    )
    nomination_review(nomination=n, passed=True, actor=u["dm"])
    honor_notice_open(honor=excellent, cycle="2026-11", opened_on=D(2026, 12, 1), actor=u["dm"])
    honor_award(nomination=n, on=D(2026, 12, 7), actor=u["dm"])
    client.force_login(u["jing"])
    page = client.get("/honors/board/", {"refresh": "60"}).content.decode()
    assert "团队荣誉榜" in page and "2026年11月" in page
    assert 'data-employee="E1"' in page and "王芳" in page and "优秀员工" in page
    assert 'class="bar"' not in page and "honors/board.css" in page
    assert '<meta http-equiv="refresh" content="60">' in page
    assert "本周期暂无" in client.get("/honors/board/", {"cycle": "2026-10"}).content.decode()


@pytest.mark.django_db
def test_thanks_are_given_on_the_page_within_the_allowance(client, company, on, settings):  # noqa: F811
    _e, u, _excellent, _star = company
    settings.RUNGS_RECOGNITION_PER_MONTH = 2
    on(D(2026, 11, 20))
    client.force_login(u["fang"])
    assert "本月还可以感谢 2 次（每月 2 次）" in client.get("/honors/thanks/").content.decode()
    client.post("/honors/thanks/", {"employee_id": "E2", "text": "帮我顶了夜班"})
    page = client.post("/honors/thanks/", {"employee_id": "E1", "text": "自己"}, follow=True).content.decode()
    assert "不能为自己感谢同事" in page
    client.post("/honors/thanks/", {"employee_id": "E3", "text": "教我用新工单系统"})
    page = client.post(
        "/honors/thanks/", {"employee_id": "E4", "text": "整理了话术"}, follow=True
    ).content.decode()
    assert "您 2026-11 的 2 次感谢已经用完" in page and "本月还可以感谢 0 次" in page
    assert "王芳</strong> 感谢 <strong>赵丽</strong>（一组）：教我用新工单系统" in page
    assert Recognition.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_has_the_titles_of_the_source_document_and_their_criteria_run(client, demo):
    from rungs.core.honors import honor_results
    from rungs.datasets.frames import dataset_from_db
    from rungs.honors.services import criteria_policy

    from .conftest import login

    login(client, "agent")
    page = client.get("/honors/").content.decode()
    for name in ("优秀客服", "服务明星", "优秀客服服务主管", "创新奖", "优秀建议奖", "优秀班组"):
        assert name in page
    data = dataset_from_db()
    for code in ("excellent_agent", "service_star", "excellent_supervisor"):
        results = honor_results(criteria_policy(Honor.objects.get(code=code)), data, D(2026, 12, 1))
        assert results and all(len(criteria) >= 1 for _met, criteria in results.values())
    assert "荣誉" in client.get("/").content.decode()  # the nav link


def _award(e, u, honor, who, cycle="2026-11"):
    n = nomination_create(
        honor=honor, cycle=cycle, employee=e[who], reason="零差评", on=D(2026, 11, 30), actor=u["sup"]
    )
    nomination_review(nomination=n, passed=True, actor=u["dm"])
    honor_notice_open(honor=honor, cycle=cycle, opened_on=D(2026, 12, 1), actor=u["dm"])
    return honor_award(nomination=n, on=D(2026, 12, 7), actor=u["dm"])


@pytest.mark.django_db
def test_the_board_feed_and_title_pages_take_as_many_queries_for_one_row_as_for_three(
    client,
    company,  # noqa: F811
    on,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rungs.honors.recognition import recognition_give

    e, u, excellent, _star = company
    on(D(2026, 12, 1))
    client.force_login(u["hr"])

    def counts():
        out = {}
        for url in (
            "/honors/board/?cycle=2026-11",
            "/honors/thanks/",
            f"/honors/{excellent.pk}/?cycle=2026-11",
        ):
            client.get(url)  # warm: the session and the like
            with CaptureQueriesContext(connection) as q:
                assert client.get(url).status_code == 200
            out[url] = len(q)
        return out

    _award(e, u, excellent, "fang")
    recognition_give(receiver=e["fang"], text="帮我接了电话", on=D(2026, 11, 20), actor=u["qiang"])
    one = counts()
    for who in ("qiang", "jing"):
        _award(e, u, excellent, who)
    for giver in ("li", "jing", "lead"):
        recognition_give(receiver=e["qiang"], text="帮我接了电话", on=D(2026, 11, 20), actor=u[giver])
    assert counts() == one
