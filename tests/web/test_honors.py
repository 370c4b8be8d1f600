"""Honors (SEEDS.md, rewards and incentives: titles such as 优秀客服 and 服务明星 for meeting position targets,
honor certificates, an honor board; timely recognition). Titles with quotas per team or department and cycle,
criteria in the policy language evaluated on the day after the cycle, nomination by a superior → review →
公示 of N working days (objections pause it) → award, which writes the `award` event the promotion policies
count. Dates are worked by hand on the 2026 calendar (December 2026 has no holiday)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.honors.models import Award, Nomination, NominationStep, Recognition
from rungs.honors.recognition import allowance_left, recognition_give
from rungs.honors.services import (
    HonorRefused,
    honor_award,
    honor_define,
    honor_notice_open,
    honor_objection_decide,
    honor_objection_file,
    nomination_create,
    nomination_review,
)
from rungs.people.models import Assignment, Department, Employee, Team
from rungs.policies.models import Decision
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.records.models import Event, Metric

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "ecommerce-grades.yaml"
User = get_user_model()
D = dt.date
S = Nomination.State

# 服务明星: the month's CSAT ≥ 95 and thanked by colleagues at least twice in the month (the cycle 2026-11 is
# evaluated on 2026-12-01, so `months: 1` is 2026-11-01 ≤ date < 2026-12-01).
STAR_CRITERIA = """\
- id: csat
  label: {zh: 当月满意度≥95, en: CSAT ≥ 95 in the month}
  window: {of: metric.csat, period: month, last: 1, agg: mean}
  at_least: 95
- id: thanks
  label: {zh: 当月收到同事感谢≥2次, en: Thanked by colleagues at least twice in the month}
  count: {event: commendation_internal, ref: recognition, months: 1}
  at_least: 2
"""


def employee(code, name, dept, team, level="grade_d"):
    e = Employee.objects.create(
        employee_id=code, name=name, hire_date=D(2025, 1, 1), department=dept, team=team, status="regular"
    )
    Assignment.objects.create(employee=e, track="grade", level=level, start_date=D(2025, 1, 1), kind="hire")
    return e


def csat(e, period, value):
    year, month = (int(x) for x in period.split("-"))
    Metric.objects.create(
        employee=e, period=period, period_kind="M", seq=year * 12 + month - 1, metric="csat", value=value
    )


@pytest.fixture
def company(db):
    dept = Department.objects.create(name="客服一部")
    other = Department.objects.create(name="客服二部")
    one = Team.objects.create(code="一组", department=dept)
    two = Team.objects.create(code="二组", department=dept)
    three = Team.objects.create(code="三组", department=other)
    e = {
        "fang": employee("E1", "王芳", dept, one),
        "qiang": employee("E2", "李强", dept, one),
        "li": employee("E3", "赵丽", dept, one),
        "jing": employee("E4", "陈静", dept, two),
        "lei": employee("E5", "刘磊", other, three),
        "lead": employee("E9", "李组长", dept, one, level="grade_a"),
    }

    def user(name, role, **kw):
        return User.objects.create(username=name, role=role, **kw)

    u = {
        "fang": user("fang", "agent", employee=e["fang"], department=dept, team=one),
        "qiang": user("qiang", "agent", employee=e["qiang"], department=dept, team=one),
        "li": user("li", "agent", employee=e["li"], department=dept, team=one),
        "jing": user("jing", "agent", employee=e["jing"], department=dept, team=two),
        "lead": user("lead", "team_lead", employee=e["lead"], department=dept, team=one),
        "sup": user("sup", "supervisor", department=dept),
        "dm": user("dm", "department_manager", department=dept),
        "dm2": user("dm2", "department_manager", department=other),
        "hr": user("hr", "hr"),
    }
    policy = policy_create(text=POLICY.read_text(encoding="utf-8"), filename=POLICY.name, actor=u["hr"])
    excellent = honor_define(
        code="excellent_employee",
        name="优秀员工",
        quota=2,
        quota_scope="team",
        description="当月工作表现突出，由上级推荐",
        actor=u["hr"],
    )
    star = honor_define(
        code="service_star",
        name="服务明星",
        quota=1,
        quota_scope="department",
        policy=policy,
        track="grade",
        levels=("grade_d", "grade_c", "grade_b"),
        criteria=STAR_CRITERIA,
        actor=u["hr"],
    )
    return e, u, excellent, star


def thank(u, giver, receiver, on, text="帮我处理了一位情绪激动的客户"):
    return recognition_give(receiver=receiver, text=text, on=on, actor=u[giver])


@pytest.mark.django_db
def test_it_refuses_a_nomination_over_the_team_quota(company):
    e, u, excellent, _star = company
    for who in ("fang", "qiang"):
        nomination_create(
            honor=excellent,
            cycle="2026-11",
            employee=e[who],
            reason="本月零差评",
            on=D(2026, 11, 30),
            actor=u["sup"],
        )
    # 优秀员工: 2 per team; 一组 has 王芳 and 李强 → 赵丽 is a third
    with pytest.raises(HonorRefused) as refused:
        nomination_create(
            honor=excellent,
            cycle="2026-11",
            employee=e["li"],
            reason="本月零差评",
            on=D(2026, 11, 30),
            actor=u["sup"],
        )
    assert str(refused.value) == (
        "「优秀员工」2026-11 每个班组限 2 名，一组已有 2 名提名（王芳、李强），不能再推荐。"
    )
    # 二组 has its own two places, and the next month its own quota
    nomination_create(
        honor=excellent,
        cycle="2026-11",
        employee=e["jing"],
        reason="带新人",
        on=D(2026, 11, 30),
        actor=u["sup"],
    )
    nomination_create(
        honor=excellent,
        cycle="2026-12",
        employee=e["li"],
        reason="本月零差评",
        on=D(2026, 12, 31),
        actor=u["sup"],
    )
    # a rejected nomination gives its place back
    qiang = Nomination.objects.get(employee=e["qiang"], cycle="2026-11")
    nomination_review(nomination=qiang, passed=False, reason="有一次客诉", actor=u["dm"])
    nomination_create(
        honor=excellent,
        cycle="2026-11",
        employee=e["li"],
        reason="本月零差评",
        on=D(2026, 11, 30),
        actor=u["sup"],
    )
    with pytest.raises(HonorRefused, match="本周期已经推荐过"):
        nomination_create(
            honor=excellent,
            cycle="2026-11",
            employee=e["fang"],
            reason="再推一次",
            on=D(2026, 11, 30),
            actor=u["dm"],
        )
    with pytest.raises(HonorRefused, match="按月度评选"):
        nomination_create(
            honor=excellent,
            cycle="2026-Q4",
            employee=e["fang"],
            reason="季度",
            on=D(2026, 12, 31),
            actor=u["dm"],
        )


@pytest.mark.django_db
def test_it_checks_the_measurable_criteria_on_the_day_after_the_cycle(company):
    e, u, _excellent, star = company
    csat(e["fang"], "2026-11", 96)  # 96 ≥ 95
    csat(e["qiang"], "2026-11", 94.5)  # 94.5 < 95
    csat(e["li"], "2026-11", 97)
    csat(e["jing"], "2026-11", 98)
    thank(u, "qiang", e["fang"], D(2026, 11, 3))
    thank(u, "li", e["fang"], D(2026, 11, 28))  # 王芳: 2 in November
    for giver in ("fang", "li"):
        thank(u, giver, e["qiang"], D(2026, 11, 10))  # 李强: 2, but CSAT 94.5
    thank(u, "fang", e["li"], D(2026, 10, 31))  # October: before the cycle
    thank(u, "qiang", e["li"], D(2026, 11, 15))  # the one that counts
    thank(u, "jing", e["li"], D(2026, 12, 1))  # December: after it → 赵丽 has 1
    with pytest.raises(HonorRefused) as refused:
        nomination_create(
            honor=star,
            cycle="2026-11",
            employee=e["qiang"],
            reason="服务热情",
            on=D(2026, 12, 1),
            actor=u["sup"],
        )
    assert str(refused.value) == "李强 未达到「服务明星」2026-11 的评选条件：当月满意度≥95（实际 94.5）"
    with pytest.raises(HonorRefused) as refused:
        nomination_create(
            honor=star,
            cycle="2026-11",
            employee=e["li"],
            reason="服务热情",
            on=D(2026, 12, 1),
            actor=u["sup"],
        )
    assert str(refused.value) == "赵丽 未达到「服务明星」2026-11 的评选条件：当月收到同事感谢≥2次（实际 1）"
    with pytest.raises(HonorRefused, match="不在「服务明星」适用的职级"):  # the lead is at grade_a
        nomination_create(
            honor=star, cycle="2026-11", employee=e["lead"], reason="带队", on=D(2026, 12, 1), actor=u["dm"]
        )
    n = nomination_create(
        honor=star, cycle="2026-11", employee=e["fang"], reason="服务热情", on=D(2026, 12, 1), actor=u["sup"]
    )
    assert {c["id"]: (c["passed"], c["actual"]) for c in n.explanation} == {
        "csat": (True, 96.0),
        "thanks": (True, 2),
    }
    # 服务明星: 1 per department; 陈静 (二组, same department) meets the CSAT but not the thanks, and the
    # department's one place is taken anyway: the quota is checked first
    with pytest.raises(HonorRefused, match="每个部门限 1 名，客服一部已有 1 名提名（王芳）"):
        nomination_create(
            honor=star,
            cycle="2026-11",
            employee=e["jing"],
            reason="服务热情",
            on=D(2026, 12, 1),
            actor=u["dm"],
        )


@pytest.mark.django_db
def test_a_title_with_a_wrong_criterion_is_refused_with_its_line(company):
    _e, u, _excellent, star = company
    with pytest.raises(HonorRefused, match="line 2|第 2 行|:2"):
        honor_define(
            code="excellent_agent",
            name="优秀客服",
            quota=1,
            policy=excellent_policy(),
            track="grade",
            levels=("grade_d",),
            criteria="- id: csat\n  windw: {of: metric.csat, period: month, last: 1, agg: mean}\n  at_least: 95\n",
            actor=u["hr"],
        )
    with pytest.raises(Denied, match="普通客服"):
        honor_define(code="innovation", name="创新奖", quota=1, actor=u["fang"])
    with pytest.raises(Denied, match="主管"):
        honor_define(code="innovation", name="创新奖", quota=1, actor=u["sup"])


@pytest.mark.django_db
def test_each_role_is_refused_what_it_may_not_do(company):
    e, u, excellent, _star = company

    def nominate(who, actor):
        return nomination_create(
            honor=excellent,
            cycle="2026-11",
            employee=e[who],
            reason="表现突出",
            on=D(2026, 11, 30),
            actor=u[actor],
        )

    with pytest.raises(Denied, match="普通客服"):
        nominate("qiang", "fang")  # agents do not nominate: a superior does
    with pytest.raises(Denied, match="不能为自己"):
        nominate("lead", "lead")
    with pytest.raises(Denied, match="陈静 不在您的管理范围内"):
        nominate("jing", "lead")  # 二组 is not the lead's team
    with pytest.raises(Denied, match="刘磊 不在您的管理范围内"):
        nominate("lei", "sup")  # another department
    with pytest.raises(HonorRefused, match="推荐理由"):
        nomination_create(
            honor=excellent,
            cycle="2026-11",
            employee=e["fang"],
            reason=" ",
            on=D(2026, 11, 30),
            actor=u["lead"],
        )
    n = nominate("fang", "lead")
    with pytest.raises(Denied, match="组长"):
        nomination_review(nomination=n, passed=True, actor=u["lead"])
    with pytest.raises(Denied, match="主管"):
        nomination_review(nomination=n, passed=True, actor=u["sup"])
    with pytest.raises(Denied, match="王芳 不在您的管理范围内"):
        nomination_review(nomination=n, passed=True, actor=u["dm2"])
    with pytest.raises(HonorRefused, match="不通过时请写明原因"):
        nomination_review(nomination=n, passed=False, actor=u["dm"])
    mine = nominate("qiang", "dm")
    with pytest.raises(Denied, match="推荐人不能审核自己的推荐"):
        nomination_review(nomination=mine, passed=True, actor=u["dm"])
    nomination_review(nomination=n, passed=True, actor=u["dm"])
    with pytest.raises(Denied, match="主管"):
        honor_notice_open(honor=excellent, cycle="2026-11", opened_on=D(2026, 12, 1), actor=u["sup"])
    notice = honor_notice_open(honor=excellent, cycle="2026-11", opened_on=D(2026, 12, 1), actor=u["dm"])
    assert notice.ends_on == D(2026, 12, 3)  # 3 working days from the posting day: Tue 1, Wed 2, Thu 3
    with pytest.raises(Denied, match="普通客服"):
        honor_award(nomination=n, on=D(2026, 12, 7), actor=u["qiang"])
    with pytest.raises(Denied, match="王芳 不在您的管理范围内"):
        honor_award(nomination=n, on=D(2026, 12, 7), actor=u["dm2"])
    # an HR officer who is the nominee herself does not award her own honor
    u["fang"].employee = None
    u["fang"].save()
    fang_hr = User.objects.create(username="fang-hr", role="hr", employee=e["fang"])
    with pytest.raises(Denied, match="不能为自己授予荣誉"):
        honor_award(nomination=n, on=D(2026, 12, 7), actor=fang_hr)
    o = honor_objection_file(nomination=n, text="数据有误", received_on=D(2026, 12, 2), actor=u["qiang"])
    with pytest.raises(Denied, match="部门经理"):  # HR mediates objections
        honor_objection_decide(
            objection=o, upheld=False, reason="无误", decided_on=D(2026, 12, 2), actor=u["dm"]
        )


@pytest.mark.django_db
def test_an_honor_runs_through_the_notice_to_the_award_and_a_policy_counts_it(company):
    e, u, excellent, _star = company
    fang = e["fang"]
    n = nomination_create(
        honor=excellent,
        cycle="2026-11",
        employee=fang,
        reason="本月零差评，带教新人",
        on=D(2026, 11, 30),
        actor=u["lead"],
    )
    nomination_review(nomination=n, passed=True, actor=u["dm"])
    notice = honor_notice_open(honor=excellent, cycle="2026-11", opened_on=D(2026, 12, 1), actor=u["hr"])
    assert notice.ends_on == D(2026, 12, 3)  # 3 working days counted from Tue 1 Dec: Tue 1, Wed 2, Thu 3

    o = honor_objection_file(
        nomination=n, text="11月有一次客诉未计入", received_on=D(2026, 12, 3), actor=u["li"], anonymous=True
    )
    notice.refresh_from_db()
    assert notice.ends_on is None  # the clock stops while the objection is open
    with pytest.raises(HonorRefused, match="异议尚未处理完"):
        honor_award(nomination=n, on=D(2026, 12, 20), actor=u["hr"])
    assert AuditEntry.objects.get(action="honor.object").actor == "anonymous"

    honor_objection_decide(
        objection=o, upheld=False, reason="经核实该客诉不成立", decided_on=D(2026, 12, 7), actor=u["hr"]
    )
    notice.refresh_from_db()
    # Tue 1 (1), Wed 2 (2); Thu 3 – Mon 7 paused; resumes Tue 8 (3)
    assert notice.ends_on == D(2026, 12, 8)
    with pytest.raises(HonorRefused, match="公示到 2026-12-08 结束"):
        honor_award(nomination=n, on=D(2026, 12, 8), actor=u["hr"])

    before = evaluation_run_start(policy=excellent_policy(), as_of=D(2027, 1, 1), actor=u["hr"])
    award = honor_award(nomination=n, on=D(2026, 12, 9), actor=u["hr"])  # the day after it closed
    assert award.number == "〔2026〕荣字001号"
    event = Event.objects.get(employee=fang, type="award")
    assert (event.date, event.ref, award.event_id) == (D(2026, 12, 9), "excellent_employee", event.pk)
    n.refresh_from_db()
    assert n.state == S.AWARDED
    steps = list(NominationStep.objects.filter(nomination=n).values_list("to_state", flat=True))
    assert steps == [S.NOMINATED, S.APPROVED, S.NOTICE, S.AWARDED]
    assert AuditEntry.objects.filter(action="honor.award", target_type="award").count() == 1

    # ecommerce-grades grade_d → grade_c: "近3个月至少一次评为优秀员工", evaluated on 2027-01-01 (the 3 months
    # before: 2026-10-01 ≤ date < 2027-01-01): 0 before the award, 1 after
    after = evaluation_run_start(policy=excellent_policy(), as_of=D(2027, 1, 1), actor=u["hr"])

    def excellent_criterion(run):
        d = Decision.objects.get(run=run, employee=fang, kind="promotion")
        return next((c["passed"], c["actual"]) for c in d.criteria if c["id"] == "excellent_employee")

    assert excellent_criterion(before) == (False, 0)
    assert excellent_criterion(after) == (True, 1)


def excellent_policy():
    from rungs.policies.models import Policy

    return Policy.objects.get(scheme="ecommerce-grades")


@pytest.mark.django_db
def test_an_upheld_objection_withdraws_the_nomination(company):
    e, u, excellent, _star = company
    n = nomination_create(
        honor=excellent,
        cycle="2026-11",
        employee=e["qiang"],
        reason="表现突出",
        on=D(2026, 11, 30),
        actor=u["lead"],
    )
    nomination_review(nomination=n, passed=True, actor=u["hr"])
    honor_notice_open(honor=excellent, cycle="2026-11", opened_on=D(2026, 12, 1), actor=u["hr"])
    o = honor_objection_file(nomination=n, text="有一次重大客诉", received_on=D(2026, 12, 2), actor=u["fang"])
    assert o.filed_by == u["fang"]
    honor_objection_decide(
        objection=o, upheld=True, reason="客诉属实", decided_on=D(2026, 12, 3), actor=u["hr"]
    )
    n.refresh_from_db()
    assert n.state == S.REMOVED
    with pytest.raises(HonorRefused, match="因异议成立撤销"):
        honor_award(nomination=n, on=D(2026, 12, 10), actor=u["hr"])
    assert not Award.objects.exists()


@pytest.mark.django_db
def test_a_team_honor_is_nominated_per_department_and_writes_no_personal_event(company):
    e, u, _excellent, _star = company
    with pytest.raises(HonorRefused, match="名额按部门或全公司计"):
        honor_define(
            code="star_team", name="优秀班组", kind="team", quota=1, quota_scope="team", actor=u["hr"]
        )
    best = honor_define(
        code="star_team",
        name="优秀班组",
        kind="team",
        cycle="Q",
        quota=1,
        quota_scope="department",
        actor=u["hr"],
    )
    one, two = Team.objects.get(code="一组"), Team.objects.get(code="二组")
    with pytest.raises(Denied, match="二组 不在您的管理范围内"):
        nomination_create(
            honor=best, cycle="2026-Q4", team=two, reason="满意度第一", on=D(2026, 12, 31), actor=u["lead"]
        )
    n = nomination_create(
        honor=best, cycle="2026-Q4", team=one, reason="满意度第一", on=D(2026, 12, 31), actor=u["lead"]
    )
    with pytest.raises(HonorRefused, match="客服一部已有 1 名提名（一组）"):
        nomination_create(
            honor=best, cycle="2026-Q4", team=two, reason="满意度第一", on=D(2026, 12, 31), actor=u["dm"]
        )
    nomination_review(nomination=n, passed=True, actor=u["dm"])
    honor_notice_open(honor=best, cycle="2026-Q4", opened_on=D(2027, 1, 4), actor=u["dm"])
    award = honor_award(nomination=n, on=D(2027, 1, 8), actor=u["dm"])  # Mon 4 + 3 working days = Thu 7
    assert (award.team, award.event, award.number) == (one, None, "〔2027〕荣字001号")
    assert not Event.objects.filter(type="award").exists()


@pytest.mark.django_db
def test_the_monthly_giving_allowance(company, settings):
    e, u, _excellent, _star = company
    settings.RUNGS_RECOGNITION_PER_MONTH = 3
    for day in (2, 9, 30):
        thank(u, "fang", e["qiang"], D(2026, 11, day))
    assert allowance_left(u["fang"], D(2026, 11, 30)) == 0
    with pytest.raises(HonorRefused, match="您 2026-11 的 3 次感谢已经用完"):
        thank(u, "fang", e["li"], D(2026, 11, 30))
    assert allowance_left(u["fang"], D(2026, 12, 1)) == 3  # a new month, a new allowance
    thank(u, "fang", e["li"], D(2026, 12, 1))
    assert allowance_left(u["fang"], D(2026, 12, 1)) == 2
    assert allowance_left(u["qiang"], D(2026, 11, 30)) == 3  # receiving uses up nothing
    with pytest.raises(Denied, match="不能为自己感谢同事"):
        thank(u, "qiang", e["qiang"], D(2026, 11, 30))
    with pytest.raises(HonorRefused, match="具体的事"):
        thank(u, "qiang", e["fang"], D(2026, 11, 30), text="  ")
    # each thank-you is the receiver's commendation_internal event, with its audit entry
    assert (
        Event.objects.filter(employee=e["qiang"], type="commendation_internal", ref="recognition").count()
        == 3
    )
    assert AuditEntry.objects.filter(action="recognition.give").count() == Recognition.objects.count() == 4


@pytest.mark.django_db
def test_the_default_allowance_is_five(company):
    e, u, _excellent, _star = company
    for day in range(1, 6):
        thank(u, "hr", e["fang"], D(2026, 11, day))  # HR has no employee record: still a giver
    with pytest.raises(HonorRefused, match="5 次感谢已经用完"):
        thank(u, "hr", e["fang"], D(2026, 11, 6))


@pytest.mark.django_db
def test_the_certificate_is_a_pdf_with_the_chinese_font_embedded(company, client):
    e, u, excellent, _star = company
    n = nomination_create(
        honor=excellent,
        cycle="2026-11",
        employee=e["fang"],
        reason="表现突出",
        on=D(2026, 11, 30),
        actor=u["lead"],
    )
    nomination_review(nomination=n, passed=True, actor=u["dm"])
    honor_notice_open(honor=excellent, cycle="2026-11", opened_on=D(2026, 12, 1), actor=u["dm"])
    award = honor_award(nomination=n, on=D(2026, 12, 7), actor=u["dm"])
    client.force_login(u["fang"])
    response = client.get(f"/honors/awards/{award.pk}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = "".join(pdf.pages[0].extract_text().replace("\x00", "").split())
    assert text == (
        "荣誉证书王芳同志：在2026年11月的工作中表现突出，被评为“优秀员工”。特发此证，以资鼓励。"
        "客服一部2026年12月07日〔2026〕荣字001号"
    )
    font = next(iter(pdf.pages[0]["/Resources"]["/Font"].values())).get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert "NotoSansCJKSC" in font["/BaseFont"] and "/FontFile3" in descriptor
    client.force_login(u["dm2"])  # another department's manager: not in scope
    assert client.get(f"/honors/awards/{award.pk}/certificate.pdf").status_code == 403
