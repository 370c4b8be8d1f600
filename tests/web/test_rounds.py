"""A notice-workflow round (SEEDS.md `notice-workflow`): apply → review by the supervisor or department
manager → 公示 of 5 working days → approval by HR → appointment → 考察期, each step refused when the actor may
not take it. Dates are worked by hand on the 2026 calendar (see tests/core/test_notice.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.people.models import Assignment, Department, Employee, Position, Team
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.promotions.models import Candidacy, Objection, Transition
from rungs.promotions.services import (
    StepRefused,
    candidacy_apply,
    candidacy_appoint,
    candidacy_approve,
    candidacy_conclude,
    candidacy_nominate,
    candidacy_review,
    notice_open,
    objection_decide,
    objection_file,
    round_open,
)
from rungs.records.models import Event, Metric

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "notice-workflow.yaml"
User = get_user_model()
D = dt.date
S = Candidacy.State


def employee(code, name, dept, team, level, since):
    e = Employee.objects.create(
        employee_id=code, name=name, hire_date=D(2024, 1, 1), department=dept, team=team, status="regular"
    )
    Assignment.objects.create(employee=e, track="post", level=level, start_date=since, kind="hire")
    return e


def qualifies(e):
    """Every junior → senior condition met: csat 95 ≥ 90 and complaint rate 0.5% ≤ 1% for 20 months,
    the senior training completed, teamwork attested; tenure comes from the assignment."""
    for i in range(20):  # 2025-01 … 2026-08
        period = f"{2025 + i // 12}-{i % 12 + 1:02d}"
        seq = (2025 + i // 12) * 12 + i % 12
        Metric.objects.create(employee=e, period=period, period_kind="M", seq=seq, metric="csat", value=95)
        Metric.objects.create(
            employee=e, period=period, period_kind="M", seq=seq, metric="complaint_rate", value=0.005
        )
    Event.objects.create(employee=e, date=D(2026, 3, 1), type="course_completed", ref="senior")
    Event.objects.create(employee=e, date=D(2026, 3, 1), type="attestation", ref="teamwork", value=1)


@pytest.fixture
def company(db):
    dept = Department.objects.create(name="客服一部")
    other = Department.objects.create(name="客服二部")
    team = Team.objects.create(code="一组", department=dept)
    fang = employee("E1", "王芳", dept, team, "junior", D(2025, 1, 1))  # 20 months as junior
    qiang = employee("E2", "李强", dept, team, "junior", D(2026, 6, 1))  # 3 months: not yet
    li = employee("E3", "赵丽", dept, team, "junior", D(2025, 1, 1))
    for e in (fang, qiang, li):
        qualifies(e)

    def user(name, role, **kw):
        return User.objects.create(username=name, role=role, **kw)

    people = {
        "fang": user("fang", "agent", employee=fang, department=dept, team=team),
        "qiang": user("qiang", "agent", employee=qiang, department=dept, team=team),
        "li": user("li", "agent", employee=li, department=dept, team=team),
        "lead": user("lead", "team_lead", department=dept, team=team),
        "sup": user("sup", "supervisor", department=dept),
        "sup2": user("sup2", "supervisor", department=other),
        "dm": user("dm", "department_manager", department=dept),
        "hr": user("hr", "hr"),
    }
    policy = policy_create(text=POLICY.read_text(encoding="utf-8"), filename=POLICY.name, actor=people["hr"])
    evaluation_run_start(policy=policy, as_of=D(2026, 9, 1), actor=people["hr"])
    rnd = round_open(
        policy=policy,
        name="2026 年 9 月晋升评审",
        kind="regular",
        posts=[{"track": "post", "level": "senior", "number": 2}],
        department=dept,
        actor=people["hr"],
    )
    return people, rnd


@pytest.mark.django_db
def test_a_round_runs_from_application_to_appointment_and_the_observation_period(company):
    u, rnd = company
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请晋升高级客服")
    assert (c.state, c.from_level, c.to_level, c.route) == (S.CANDIDATE, "junior", "senior", "applied")
    assert {x["id"] for x in c.explanation} >= {"csat", "complaint_rate", "training", "teamwork", "tenure"}

    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    notice = notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=u["hr"])
    assert notice.ends_on == D(2026, 9, 30)  # posted Wed 23 Sep (1), 24 (2), 25–27 中秋, 28, 29, 30 (5)

    o = objection_file(
        candidacy=c, text="工作量统计有误", received_on=D(2026, 9, 28), actor=u["li"], anonymous=True
    )
    notice.refresh_from_db()
    assert notice.ends_on is None  # the clock stops while the objection is open
    with pytest.raises(StepRefused, match="异议"):
        candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 20))

    objection_decide(
        objection=o, upheld=False, reason="经核实统计无误", decided_on=D(2026, 9, 29), actor=u["hr"]
    )
    notice.refresh_from_db()
    # 28 and 29 Sep did not count: 23, 24, resumes Wed 30 (3), 1–7 Oct off, Thu 8 (4), Fri 9 (5)
    assert notice.ends_on == D(2026, 10, 9)

    with pytest.raises(StepRefused, match="2026-10-09"):  # the notice closes at the end of its last day
        candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 9))
    candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 10))
    candidacy_appoint(candidacy=c, decided=D(2026, 10, 12), actor=u["hr"])
    c.refresh_from_db()
    assert (c.state, c.effective) == (S.APPOINTED, D(2026, 10, 12))  # notice-workflow: effective immediately
    fang = u["fang"].employee
    assert fang.current_assignments().get().level == "senior"

    candidacy_conclude(candidacy=c, passed=False, on=D(2027, 1, 12), reason="新岗位考核未通过", actor=u["dm"])
    current = fang.current_assignments().get()
    assert (current.level, current.start_date) == ("junior", D(2027, 1, 12))
    steps = list(Transition.objects.filter(candidacy=c).values_list("to_state", flat=True))
    assert steps == [S.CANDIDATE, S.QUALIFIED, S.NOTICE, S.APPROVED, S.APPOINTED, S.REVERTED]


@pytest.mark.django_db
def test_an_anonymous_objection_names_nobody_and_an_upheld_one_removes_the_candidate(company):
    u, rnd = company
    c = candidacy_apply(round=rnd, actor=u["fang"])
    candidacy_review(candidacy=c, passed=True, actor=u["dm"])
    notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=u["hr"])
    o = objection_file(
        candidacy=c, text="有未抵消的处罚", received_on=D(2026, 9, 24), actor=u["li"], anonymous=True
    )
    entry = AuditEntry.objects.get(action="round.object")
    assert o.filed_by is None and entry.actor_id is None and entry.actor != "li"
    objection_decide(objection=o, upheld=True, reason="异议属实", decided_on=D(2026, 9, 25), actor=u["hr"])
    c.refresh_from_db()
    assert c.state == S.REMOVED
    assert Objection.objects.get().outcome == Objection.Outcome.UPHELD


@pytest.mark.django_db
def test_who_may_not_take_a_step_is_told_why_and_nothing_is_stored(company):
    u, rnd = company
    entries = AuditEntry.objects.count()
    # not eligible: the unmet criterion is named, with its label from the policy
    with pytest.raises(StepRefused, match="未满足：在现岗位工作满一年"):
        candidacy_apply(round=rnd, actor=u["qiang"])
    with pytest.raises(Denied):  # a line role nominates, an agent does not
        candidacy_nominate(round=rnd, employee=u["li"].employee, actor=u["fang"], statement="推荐")
    assert AuditEntry.objects.count() == entries and not Candidacy.objects.exists()

    c = candidacy_nominate(round=rnd, employee=u["fang"].employee, actor=u["lead"], statement="业绩突出")
    with pytest.raises(Denied, match="主管、部门经理"):  # the policy names supervisor or department manager
        candidacy_review(candidacy=c, passed=True, actor=u["lead"])
    with pytest.raises(Denied, match="不在您的管理范围"):  # another department's supervisor
        candidacy_review(candidacy=c, passed=True, actor=u["sup2"])
    with pytest.raises(StepRefused, match="原因"):
        candidacy_review(candidacy=c, passed=False, actor=u["sup"], reason=" ")
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    with pytest.raises(Denied):  # a supervisor does not post the 公示
        notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=u["sup"])
    notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=u["dm"])
    with pytest.raises(Denied, match="人力资源"):  # the policy: HR approves senior
        candidacy_approve(candidacy=c, actor=u["dm"], today=D(2026, 10, 12))
    with pytest.raises(StepRefused, match="刷新"):  # the approver saw an older state of the candidacy
        candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 12), version=c.version - 1)
    with pytest.raises(Denied):  # nobody appoints before approval, and a supervisor never
        candidacy_appoint(candidacy=c, decided=D(2026, 10, 12), actor=u["sup"])
    c.refresh_from_db()
    assert c.state == S.NOTICE


@pytest.mark.django_db
def test_posts_beyond_the_headcount_are_refused(company):
    u, rnd = company
    dept = Department.objects.get(name="客服一部")
    Position.objects.create(level="senior", headcount=2, department="客服一部")
    holder = employee("E9", "钱多", dept, None, "senior", D(2024, 1, 1))
    assert holder.current_assignments().get().level == "senior"
    with pytest.raises(StepRefused, match="最多还能补充 1 人"):
        round_open(
            policy=rnd.policy,
            name="补充高级客服",
            kind="vacancy",
            posts=[{"track": "post", "level": "senior", "number": 2}],
            department=dept,
            actor=u["hr"],
        )


@pytest.mark.django_db
def test_the_appointment_records_the_pay_effect_and_a_reversion_restores_the_pay(company):
    """A version of the policy whose junior → senior promotion raises base pay by 8%: the appointment
    records the change the rewards run of its month will make (5250.00 × 1.08 = 5670.00, from the month
    after the appointment: rewards.pay_effective defaults to next_month), and its notice says so."""
    from rungs.core.documents import appointment_lines
    from rungs.promotions.views import appointment_notice

    u, rnd = company
    text = POLICY.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2026.2"')
    text = text.replace("    id: junior-senior\n", "    id: junior-senior\n    pay: {base_pct: 8}\n", 1)
    policy = policy_create(text=text, filename=POLICY.name, actor=u["hr"])
    evaluation_run_start(policy=policy, as_of=D(2026, 9, 1), actor=u["hr"])
    rnd = round_open(
        policy=policy,
        name="2026 年 9 月晋升评审（调薪）",
        kind="regular",
        posts=[{"track": "post", "level": "senior", "number": 2}],
        department=rnd.department,
        actor=u["hr"],
    )
    fang = u["fang"].employee
    fang.attributes = {"base_pay": "5250"}
    fang.save()
    c = candidacy_apply(round=rnd, actor=u["fang"])
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=u["hr"])
    candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 12))
    candidacy_appoint(candidacy=c, decided=D(2026, 10, 12), actor=u["hr"])
    c.refresh_from_db()
    assert (c.pay["from"], c.pay["to"], c.pay["effective"]) == ("5250.00", "5670.00", "2026-11")
    reasons = AuditEntry.objects.filter(action="round.appoint", target_id=str(c.pk)).values_list("reason")
    assert any("5250.00 → 5670.00" in r for (r,) in reasons)  # the appointment's entry carries it
    _, body, _ = appointment_lines(appointment_notice(c))
    assert any(line.startswith("薪资调整：") and "5250.00 → 5670.00" in line for line in body)
    # pay is shown to whoever appoints and to the appointee, not to a manager who sees the candidacy
    from django.test import Client
    from django.urls import reverse

    for who, sees in (("hr", True), ("fang", True), ("dm", False)):
        client = Client()
        client.force_login(u[who])
        page = client.get(reverse("promotions:round", args=[rnd.pk])).content.decode()
        assert 'data-employee="E1"' in page and ("5670.00" in page) is sees, who

    candidacy_conclude(candidacy=c, passed=False, on=D(2027, 1, 12), reason="考核未通过", actor=u["dm"])
    last = Transition.objects.filter(candidacy=c).last()
    assert (last.to_state, last.reason) == (S.REVERTED, "考核未通过；基本工资恢复为 5250.00 元/月")
