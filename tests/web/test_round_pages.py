"""The round pages drive the same services: a notice-workflow round taken through its steps by each role's
own login, with the clock set to the days worked by hand in tests/core/test_notice.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rungs.audit import clock
from rungs.promotions.models import Candidacy, Objection
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

D = dt.date


def step(client, monkeypatch, user, rnd, day, **data):
    monkeypatch.setattr(clock, "today", lambda: day)
    client.force_login(user)
    return client.post(reverse("promotions:act", args=[rnd.pk]), data, follow=True)


@pytest.mark.django_db
def test_each_role_takes_its_step_on_the_pages_and_a_refusal_says_why(client, monkeypatch, company):  # noqa: F811
    u, rnd = company
    page = step(client, monkeypatch, u["fang"], rnd, D(2026, 9, 15), step="apply", statement="申请")
    assert "已保存" in page.content.decode()
    c = Candidacy.objects.get(employee=u["fang"].employee)

    page = step(client, monkeypatch, u["lead"], rnd, D(2026, 9, 16), step="pass", candidacy=c.pk)
    assert "本制度规定由主管、部门经理进行资格审查" in page.content.decode()
    c.refresh_from_db()
    assert c.state == Candidacy.State.CANDIDATE

    step(client, monkeypatch, u["sup"], rnd, D(2026, 9, 16), step="pass", candidacy=c.pk)
    step(client, monkeypatch, u["hr"], rnd, D(2026, 9, 23), step="notice")
    page = step(
        client,
        monkeypatch,
        u["li"],
        rnd,
        D(2026, 9, 28),
        step="object",
        candidacy=c.pk,
        text="请核实",
        anonymous="on",
    )
    assert "有异议待处理，计时暂停" in page.content.decode()
    o = Objection.objects.get()
    assert o.filed_by is None

    step(
        client, monkeypatch, u["hr"], rnd, D(2026, 9, 29), step="dismiss", objection=o.pk, reason="经核实无误"
    )
    client.force_login(u["li"])
    notice = client.get(reverse("promotions:notice", args=[rnd.pk])).content.decode()
    # posted Wed 23 Sep (1), 24 (2); 28–29 Sep paused; Wed 30 (3), 1–7 Oct off, Thu 8 (4), Fri 9 (5)
    assert "2026-09-23 – 2026-10-09" in notice and "王芳" in notice

    page = step(client, monkeypatch, u["hr"], rnd, D(2026, 10, 9), step="approve", candidacy=c.pk)
    assert "公示到 2026-10-09 结束" in page.content.decode()  # its last day: still running
    step(client, monkeypatch, u["hr"], rnd, D(2026, 10, 12), step="approve", candidacy=c.pk)
    step(client, monkeypatch, u["hr"], rnd, D(2026, 10, 12), step="appoint", candidacy=c.pk)
    c.refresh_from_db()
    assert c.state == Candidacy.State.APPOINTED
    assert u["fang"].employee.current_assignments().get().level == "senior"


@pytest.mark.django_db
def test_a_round_of_another_department_is_not_found(client, company):  # noqa: F811
    u, rnd = company
    client.force_login(u["sup2"])
    assert client.get(reverse("promotions:round", args=[rnd.pk])).status_code == 404
    assert client.get(reverse("promotions:index")).status_code == 200


@pytest.mark.django_db
def test_the_funnel_and_the_export_count_each_stage_and_the_days_in_it(company, client):  # noqa: F811
    import io

    import openpyxl
    from django.utils import timezone

    from rungs.promotions.models import Transition
    from rungs.promotions.services import candidacy_apply, candidacy_review

    u, rnd = company
    fang = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    li = candidacy_apply(round=rnd, actor=u["li"], statement="申请")
    candidacy_review(candidacy=fang, passed=True, actor=u["sup"])
    candidacy_review(candidacy=li, passed=False, reason="资料不全", actor=u["sup"])
    # the stage records dated by hand: both applied on 1 Sep; 王芳 passed on 4 Sep, 赵丽 was rejected on 6 Sep
    start = timezone.make_aware(dt.datetime(2026, 9, 1, 9))
    for c, days in ((fang, 3), (li, 5)):
        first, second = Transition.objects.filter(candidacy=c).order_by("pk")
        Transition.objects.filter(pk=first.pk).update(at=start)
        Transition.objects.filter(pk=second.pk).update(at=start + dt.timedelta(days=days))

    client.force_login(u["hr"])
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/rounds/{rnd.pk}/export.xlsx").content))
    flow = [tuple(r) for r in book["漏斗"].iter_rows(values_only=True)]
    # both entered 待资格审查 and stayed (3 + 5) / 2 = 4.0 days; one each went on, and is there now
    assert flow == [
        ("阶段", "进入人数", "当前人数", "平均停留天数"),
        ("待资格审查", 2, 0, 4.0),
        ("资格审查通过", 1, 1, None),
        ("未通过资格审查", 1, 1, None),
    ]
    people = list(book["候选人"].iter_rows(values_only=True))
    assert people[1][:7] == ("E1", "王芳", "客服一部", "初级客服", "高级客服", "本人申请", "资格审查通过")
    progress = client.get(f"/rounds/{rnd.pk}/progress/").content.decode()
    assert (
        '<tr data-state="candidate"><td>待资格审查</td><td class="num">2</td><td class="num">0</td><td class="num">4.0</td>'
        in progress
    )
    client.force_login(u["fang"])  # an agent sees the round, not its export or progress
    assert client.get(f"/rounds/{rnd.pk}/export.xlsx").status_code == 404
    assert client.get(f"/rounds/{rnd.pk}/progress/").status_code == 404


@pytest.mark.django_db
def test_the_board_lists_who_is_eligible_but_not_in_yet_and_filters_by_stage(company, client):  # noqa: F811
    from rungs.promotions.services import candidacy_apply

    u, rnd = company
    client.force_login(u["hr"])

    def section(html, start):
        return html[html.find(start) :] if start in html else ""

    page = client.get(f"/rounds/{rnd.pk}/").content.decode()
    # the run the round rests on says how old its data are (issue 9)
    assert 'id="freshness"' in page and f"评估日期 {rnd.run.as_of.isoformat()}" in page
    eligible = section(page, 'id="eligible"')
    # 王芳 and 赵丽 meet every condition; 李强 has 3 months as junior of the 12 wanted
    assert "符合条件、尚未参加的人选（2 人）" in eligible and "E1" in eligible and "E3" in eligible
    assert "E2" not in eligible
    candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    page = client.get(f"/rounds/{rnd.pk}/").content.decode()
    assert "（1 人）" in section(page, 'id="eligible"')
    assert 'data-employee="E1"' in client.get(f"/rounds/{rnd.pk}/?state=candidate").content.decode()
    assert 'data-employee="E1"' not in client.get(f"/rounds/{rnd.pk}/?state=qualified").content.decode()


@pytest.mark.django_db
def test_the_export_gives_each_waiting_step_its_due_date_as_real_cells(company, client, monkeypatch):  # noqa: F811
    import io

    import openpyxl

    from rungs.promotions.services import candidacy_apply, candidacy_review

    u, rnd = company
    client.force_login(u["hr"])

    def export(day):
        monkeypatch.setattr(clock, "today", lambda: day)
        book = openpyxl.load_workbook(io.BytesIO(client.get(f"/rounds/{rnd.pk}/export.xlsx").content))
        sheet = book["候选人"]
        head = [c.value for c in sheet[1]]
        cols = [head.index(h) for h in ("工号", "待办环节", "办理期限", "期限待定", "剩余工作日", "期限状态")]
        return [[row[j] for j in cols] for row in sheet.iter_rows(min_row=2)]

    # notice-workflow: review 3 working days, reminders 1 before. 王芳 applies Thu 24 Sep: 25–27 中秋 off,
    # due Wed 30 Sep (28, 29, 30)
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 24))
    candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    # on Tue 29 Sep only Wed 30 is left: 1 ≤ 1, due soon
    (fang,) = export(D(2026, 9, 29))
    assert [c.value for c in fang] == ["E1", "资格审查", dt.datetime(2026, 9, 30), False, 1, "即将到期"]
    assert (fang[2].is_date, fang[2].number_format, fang[3].data_type, fang[4].data_type) == (
        True,
        "yyyy-mm-dd",
        "b",
        "n",
    )

    # 赵丽 applies Wed 30 Dec: Thu 31 (1); 2027 unannounced, Fri 1 Jan assumed (2), Mon 4 (3): provisional
    monkeypatch.setattr(clock, "today", lambda: D(2026, 12, 30))
    li = candidacy_apply(round=rnd, actor=u["li"], statement="申请")
    fang, zhao = export(D(2026, 12, 30))
    # 王芳's review is three months overdue: no working days are counted down any more
    assert [c.value for c in fang] == ["E1", "资格审查", dt.datetime(2026, 9, 30), False, None, "已逾期"]
    # 赵丽: 31 Dec, 1 Jan, 4 Jan are left, 3 > 1: no badge yet
    assert [c.value for c in zhao] == [
        li.employee.employee_id,
        "资格审查",
        dt.datetime(2027, 1, 4),
        True,
        3,
        None,
    ]

    candidacy_review(candidacy=li, passed=False, reason="资料不全", actor=u["sup"])
    _fang, zhao = export(D(2026, 12, 30))
    assert [c.value for c in zhao] == [
        li.employee.employee_id,
        None,
        None,
        None,
        None,
        None,
    ]  # waits on nobody
