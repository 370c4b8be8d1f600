"""Acting appointments (代理) for a vacancy no one is eligible for (SEEDS.md zhangshang-game): from supervisor
level up only tenure may be short, and by less than a year; after the acting period the acting_conversion
rule fires and its case converts the acting post into the post. Dates and months worked by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.cases.models import Case
from rungs.cases.services import case_decide, cases_open
from rungs.people.models import Assignment, Department, Employee, Position, Team
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.promotions.services import StepRefused, acting_appoint, candidacy_nominate, round_open
from rungs.records.models import Evaluation, Event

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "zhangshang-game.yaml"
User = get_user_model()
D = dt.date


def lead(code, name, dept, team, since, assessment=88):
    """A team lead since `since`, annual scores 84 and 86, never penalised, qualified, assessed."""
    e = Employee.objects.create(
        employee_id=code, name=name, hire_date=D(2020, 1, 1), department=dept, team=team, status="regular"
    )
    Assignment.objects.create(
        employee=e, track="post", level="team_lead", start_date=since, kind="promotion", department=dept.name
    )
    for year, score in ((2024, 84), (2025, 86)):
        Evaluation.objects.create(employee=e, period=str(year), period_kind="Y", seq=year, score=score)
    Event.objects.create(
        employee=e, date=D(2026, 6, 1), type="attestation", ref="post_qualification", value=1
    )
    Event.objects.create(
        employee=e, date=D(2026, 6, 1), type="exam", ref="promotion_assessment", value=assessment
    )
    return e


@pytest.fixture
def vacancy(db):
    dept = Department.objects.create(name="游戏客服部")
    team = Team.objects.create(code="一组", department=dept)
    Position.objects.create(level="supervisor", headcount=1, department=dept.name, track="post")
    # on 2026-09-01: 8 months as team lead (12 in the department or 24 anywhere wanted: 4 months short)
    lead("T1", "田一", dept, team, D(2026, 1, 1))
    lead("T2", "田二", dept, team, D(2026, 1, 1), assessment=70)  # also short on the assessment (70 < 80)
    lead("T3", "田三", dept, team, D(2026, 8, 1))  # 1 month: 11 months short, still under a year
    lead("T4", "田四", dept, team, D(2026, 9, 1))  # 0 months: 12 short, not under a year
    hr = User.objects.create(username="hr", role="hr")
    dm = User.objects.create(username="dm", role="department_manager", department=dept)
    policy = policy_create(text=POLICY.read_text(encoding="utf-8"), filename=POLICY.name, actor=hr)
    evaluation_run_start(policy=policy, as_of=D(2026, 9, 1), actor=hr)
    rnd = round_open(
        policy=policy, name="主管空缺", kind="vacancy", posts=[{"track": "post", "level": "supervisor", "number": 1}],
        department=dept, actor=hr,
    )  # fmt: skip
    return {"hr": hr, "dm": dm}, rnd, policy


def person(code):
    return Employee.objects.get(employee_id=code)


@pytest.mark.django_db
def test_only_tenure_may_be_short_and_by_less_than_a_year(vacancy):
    u, rnd, _ = vacancy
    with pytest.raises(StepRefused, match="不符合|尚不符合"):
        candidacy_nominate(round=rnd, employee=person("T1"), statement="推荐", actor=u["dm"])  # not eligible
    with pytest.raises(Denied):
        acting_appoint(round=rnd, employee=person("T1"), on=D(2026, 9, 10), reason="主管空缺", actor=u["dm"])
    with pytest.raises(StepRefused, match="未满足：晋升考核成绩≥80"):
        acting_appoint(round=rnd, employee=person("T2"), on=D(2026, 9, 10), reason="主管空缺", actor=u["hr"])
    with pytest.raises(StepRefused, match="任职时间还差 12 个月；代理须不足 12 个月"):
        acting_appoint(round=rnd, employee=person("T4"), on=D(2026, 9, 10), reason="主管空缺", actor=u["hr"])
    row = acting_appoint(
        round=rnd, employee=person("T3"), on=D(2026, 9, 10), reason="主管空缺", actor=u["hr"]
    )
    assert (row.level, row.kind, row.start_date) == ("supervisor", "acting", D(2026, 9, 10))
    # the acting post runs beside the person's own
    assert person("T3").current_assignments().get().level == "team_lead"


@pytest.mark.django_db
def test_after_six_months_acting_one_grade_up_the_case_converts_the_post(vacancy):
    u, rnd, policy = vacancy
    acting_appoint(round=rnd, employee=person("T1"), on=D(2026, 9, 10), reason="主管空缺", actor=u["hr"])
    # one grade up (team lead → supervisor): 6 months; 2026-09-10 → 2027-03-10 is 6 whole months on 2027-03-10
    run = evaluation_run_start(policy=policy, as_of=D(2027, 3, 10), actor=u["hr"], reason="代理期满复核")
    case = next(
        c for c in cases_open(run=run, on=D(2027, 3, 11), actor=u["hr"]) if c.kind == "acting_conversion"
    )
    assert (case.employee.employee_id, case.to_level, case.owner) == ("T1", "supervisor", u["dm"])
    case_decide(
        case=case, outcome=Case.Outcome.CONVERT, on=D(2027, 3, 15), reason="代理期满，考核合格", actor=u["dm"]
    )
    t1 = person("T1")
    assert t1.current_assignments().get().level == "supervisor"
    acting = Assignment.objects.get(employee=t1, kind="acting")
    assert acting.end_date == D(2027, 3, 14)


@pytest.mark.django_db
def test_an_exception_enters_by_skip_level_and_ends_with_its_approver(vacancy):
    """zhangshang-game: skip_level is review_committee (评定小组). 田二 misses the assessment (70 < 80)."""
    from rungs.accounts.models import UserFunction
    from rungs.promotions.models import Candidacy
    from rungs.promotions.services import candidacy_approve, candidacy_review, committee_record

    u, rnd, _ = vacancy
    vp = User.objects.create(username="vp", role="executive")
    UserFunction.objects.create(user=vp, function="vice_president")
    panel = User.objects.create(username="panel", role="executive")
    UserFunction.objects.create(user=panel, function="review_committee")
    with pytest.raises(StepRefused, match="破格晋升须经评定小组成员批准"):
        candidacy_nominate(round=rnd, employee=person("T2"), statement="推荐", actor=u["dm"])
    c = candidacy_nominate(
        round=rnd, employee=person("T2"), statement="有特殊贡献", exception=True, actor=u["dm"]
    )
    assert c.route == Candidacy.Route.EXCEPTION
    candidacy_review(candidacy=c, passed=True, actor=u["hr"])
    committee_record(
        round=rnd, members=["甲", "乙", "丙"], chair="甲", minutes="破格推荐", met_on=D(2026, 9, 20),
        votes={c.pk: (3, 0)}, actor=u["hr"],
    )  # fmt: skip
    candidacy_approve(candidacy=c, actor=vp, today=D(2026, 9, 21))  # the matrix: supervisor → 副总
    c.refresh_from_db()
    assert c.state == Candidacy.State.RECOMMENDED  # and then the skip-level approver
    with pytest.raises(Denied, match="评定小组成员"):
        candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 9, 21))
    candidacy_approve(candidacy=c, actor=panel, today=D(2026, 9, 22))
    c.refresh_from_db()
    assert c.state == Candidacy.State.APPROVED and [a["as"] for a in c.approvals] == [
        "vice_president",
        "review_committee",
    ]
