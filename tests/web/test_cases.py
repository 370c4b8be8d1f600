"""Cases from a rule to a decision. A demotion trigger of `salary-grade-quarterly` (a senior agent's
quarterly score ≤ 75) and an unqualified leader of `zhangshang-game` (the latest annual grade 不可接受), each
opened from an evaluation run with the department manager as owner, decided by the owner or HR only, and —
for the leader — an observation period of 3–6 months whose targets, written as criteria, are evaluated on
the day it ends. Dates and scores worked by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.cases.models import Case
from rungs.cases.services import CaseRefused, case_conclude, case_decide, cases_open
from rungs.people.models import Assignment, Department, Employee, Team
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.records.models import Evaluation, Metric

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
User = get_user_model()
D = dt.date
S, Outcome = Case.State, Case.Outcome


@pytest.fixture
def office(db):
    dept = Department.objects.create(name="客服一部")
    other = Department.objects.create(name="客服二部")
    team = Team.objects.create(code="一组", department=dept)

    def user(name, role, **kw):
        return User.objects.create(username=name, role=role, **kw)

    people = {
        "lead": user("lead", "team_lead", department=dept, team=team),
        "sup": user("sup", "supervisor", department=dept),
        "dm": user("dm", "department_manager", department=dept),
        "dm2": user("dm2", "department_manager", department=other),
        "hr": user("hr", "hr"),
    }
    return people, dept, team


def person(code, name, dept, team, track, level, since):
    e = Employee.objects.create(
        employee_id=code, name=name, hire_date=D(2022, 1, 1), department=dept, team=team, status="regular"
    )
    Assignment.objects.create(
        employee=e, track=track, level=level, start_date=since, kind="promotion", department=dept.name
    )
    return e


def load(name, actor):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    return policy_create(text=text, filename=name, actor=actor)


@pytest.mark.django_db
def test_a_demotion_trigger_becomes_a_case_and_the_owner_demotes(office):
    u, dept, team = office
    e = person("S1", "孙悦", dept, team, "grade", "senior", D(2025, 1, 1))
    e.attributes = {"base_pay": "6800"}
    e.save()
    ok = person("S2", "钱多", dept, team, "grade", "senior", D(2025, 1, 1))
    # 2026-Q2 is the latest complete quarter on 2026-07-01: 72 ≤ 75 demotes, 76 does not
    Evaluation.objects.create(employee=e, period="2026-Q2", period_kind="Q", seq=2026 * 4 + 1, score=72)
    Evaluation.objects.create(employee=ok, period="2026-Q2", period_kind="Q", seq=2026 * 4 + 1, score=76)
    policy = load("salary-grade-quarterly.yaml", u["hr"])
    run = evaluation_run_start(policy=policy, as_of=D(2026, 7, 1), actor=u["hr"])

    with pytest.raises(Denied):
        cases_open(run=run, on=D(2026, 7, 2), actor=u["lead"])
    opened = cases_open(run=run, on=D(2026, 7, 2), actor=u["hr"])
    demotions = [c for c in opened if c.rule == "senior-demotion"]
    assert [c.employee.employee_id for c in demotions] == ["S1"]
    case = demotions[0]
    assert (case.owner, case.to_level, case.state) == (u["dm"], "junior", S.OPEN)
    assert any(x["id"] == "quarterly_score" and x["actual"] == 72 for x in case.explanation)

    for who in ("lead", "sup", "dm2"):  # not their decision: no authority, or not their department
        with pytest.raises(Denied):
            case_decide(
                case=case, outcome=Outcome.DEMOTE, on=D(2026, 7, 10), reason="季度考核72分", actor=u[who]
            )
    with pytest.raises(CaseRefused, match="处理意见"):
        case_decide(case=case, outcome=Outcome.DEMOTE, on=D(2026, 7, 10), reason=" ", actor=u["dm"])
    case_decide(
        case=case, outcome=Outcome.DEMOTE, on=D(2026, 7, 10), reason="季度考核72分，按制度降级", actor=u["dm"]
    )
    case.refresh_from_db()
    assert (case.state, case.outcome, case.decided_on) == (S.CLOSED, Outcome.DEMOTE, D(2026, 7, 10))
    current = e.current_assignments().get()
    assert (current.level, current.start_date, current.kind) == ("junior", D(2026, 7, 10), "demotion")
    # the demotion rule's pay effect (base pay −10%, from the next month): 6800.00 × 0.9 = 6120.00
    assert (case.pay["from"], case.pay["to"], case.pay["effective"]) == ("6800.00", "6120.00", "2026-08")
    # two entries in the one transaction: the level change (the assignment history) and the decision
    assert AuditEntry.objects.filter(action="case.decide", employee_id="S1").count() == 2
    with pytest.raises(CaseRefused, match="已经处理过"):
        case_decide(case=case, outcome=Outcome.NO_ACTION, on=D(2026, 7, 11), reason="重复", actor=u["hr"])
    # the same run again: the decided case closed its trigger, nothing new is opened for it
    assert [
        c for c in cases_open(run=run, on=D(2026, 7, 12), actor=u["hr"]) if c.rule == "senior-demotion"
    ] == []


TARGETS = """\
- id: csat
  label: {zh: 近3个月客户满意度均值≥90, en: Mean CSAT of the last 3 months ≥ 90}
  window: {of: metric.csat, period: month, last: 3, agg: mean}
  at_least: 90
"""


def leader(dept, team, code="L1", name="林立"):
    """A team lead whose latest annual grade (2025) is 不可接受: an unqualified leader (zhangshang-game)."""
    e = person(code, name, dept, team, "post", "team_lead", D(2024, 1, 1))
    Evaluation.objects.create(employee=e, period="2025", period_kind="Y", seq=2025, grade="不可接受")
    return e


def csat(e, values):
    for month, value in values.items():  # months of 2026
        Metric.objects.create(
            employee=e,
            period=f"2026-{month:02d}",
            period_kind="M",
            seq=2026 * 12 + month - 1,
            metric="csat",
            value=value,
        )


@pytest.mark.django_db
def test_an_unqualified_leader_is_observed_and_passes_on_the_targets(office):
    u, dept, team = office
    e = leader(dept, team)
    csat(e, {10: 92, 11: 88, 12: 95})  # mean of Oct–Dec 2026 = 275 / 3 = 91.67 ≥ 90
    policy = load("zhangshang-game.yaml", u["hr"])
    run = evaluation_run_start(policy=policy, as_of=D(2026, 9, 1), actor=u["hr"])
    case = next(
        c for c in cases_open(run=run, on=D(2026, 9, 2), actor=u["hr"]) if c.rule == "leader-optimization"
    )
    assert case.kind == "unqualified_leader"

    with pytest.raises(CaseRefused, match="3 到 6 个月"):
        case_decide(
            case=case,
            outcome=Outcome.OBSERVE,
            months=2,
            targets=TARGETS,
            on=D(2026, 10, 1),
            reason="考察",
            actor=u["dm"],
        )
    with pytest.raises(CaseRefused, match=r"targets:3:\d+: 第 3 行"):  # the line in what was written
        case_decide(
            case=case, outcome=Outcome.OBSERVE, months=3, on=D(2026, 10, 1), reason="考察", actor=u["dm"],
            targets=TARGETS.replace("metric.csat, period: month", "metric.csat, period: fortnight"),
        )  # fmt: skip
    case_decide(
        case=case,
        outcome=Outcome.OBSERVE,
        months=3,
        targets=TARGETS,
        on=D(2026, 10, 1),
        reason="设考察期",
        actor=u["dm"],
    )
    case.refresh_from_db()
    assert (case.state, case.observe_until) == (S.OBSERVING, D(2027, 1, 1))

    with pytest.raises(CaseRefused, match="2027-01-01"):
        case_conclude(case=case, on=D(2026, 12, 31), reason="结论", actor=u["dm"])
    case_conclude(case=case, on=D(2027, 1, 4), reason="目标达成", actor=u["dm"])
    case.refresh_from_db()
    assert (case.state, case.outcome) == (S.CLOSED, Outcome.PASSED)
    assert case.results[0]["passed"] is True and round(case.results[0]["actual"], 2) == 91.67
    assert e.current_assignments().get().level == "team_lead"


@pytest.mark.django_db
def test_observation_targets_missed_extend_then_demote_within_six_months(office):
    u, dept, team = office
    e = leader(dept, team)
    csat(e, {10: 85, 11: 88, 12: 86, 1: 0})  # Oct–Dec: (85 + 88 + 86) / 3 = 86.33 < 90
    Metric.objects.filter(employee=e, period="2026-01").delete()
    policy = load("zhangshang-game.yaml", u["hr"])
    run = evaluation_run_start(policy=policy, as_of=D(2026, 9, 1), actor=u["hr"])
    case = next(
        c for c in cases_open(run=run, on=D(2026, 9, 2), actor=u["hr"]) if c.rule == "leader-optimization"
    )
    case_decide(
        case=case,
        outcome=Outcome.OBSERVE,
        months=3,
        targets=TARGETS,
        on=D(2026, 10, 1),
        reason="设考察期",
        actor=u["dm"],
    )

    case_conclude(case=case, on=D(2027, 1, 4), reason="未达成，延长", extend_months=3, actor=u["dm"])
    case.refresh_from_db()
    assert (case.state, case.outcome, case.observe_until) == (S.OBSERVING, Outcome.EXTEND, D(2027, 4, 1))
    assert case.results[0]["passed"] is False
    with pytest.raises(CaseRefused, match="最多 6 个月"):  # 2026-10-01 + 6 months = 2027-04-01
        case_conclude(case=case, on=D(2027, 4, 2), reason="再延长", extend_months=1, actor=u["dm"])
    # Jan–Mar 2027 have no csat at all: the target is not met, and the leader is demoted one level
    case_conclude(case=case, on=D(2027, 4, 2), reason="考察期满仍未达成", actor=u["hr"])
    case.refresh_from_db()
    assert (case.state, case.outcome) == (S.CLOSED, Outcome.DEMOTE)
    assert e.current_assignments().get().level == "senior_agent"


@pytest.mark.django_db
def test_the_cases_pages_show_each_role_its_scope_and_decide_through_the_service(office, client, monkeypatch):
    from rungs.audit import clock

    u, dept, team = office
    e = leader(dept, team)
    agent = User.objects.create(username="agent", role="agent", employee=e, department=dept, team=team)
    run = evaluation_run_start(
        policy=load("zhangshang-game.yaml", u["hr"]), as_of=D(2026, 9, 1), actor=u["hr"]
    )
    monkeypatch.setattr(clock, "today", lambda: D(2026, 10, 1))

    client.force_login(u["dm"])
    assert client.post("/cases/open/").status_code == 302
    case = Case.objects.get(rule="leader-optimization")
    assert "林立" in client.get("/cases/").content.decode()
    response = client.post(
        f"/cases/{case.pk}/act/",
        {"outcome": "observe", "months": "3", "targets": TARGETS, "reason": "设考察期"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.observe_until) == (S.OBSERVING, D(2027, 1, 1))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "考察中" in page and "考察期到 2027-01-01 结束" in page and 'id="conclude"' not in page
    monkeypatch.setattr(clock, "today", lambda: D(2027, 1, 1))  # the period's last day: its conclusion is due
    assert 'id="conclude"' in client.get(f"/cases/{case.pk}/").content.decode()
    monkeypatch.setattr(clock, "today", lambda: D(2026, 10, 1))

    client.force_login(u["dm2"])  # another department's manager: the case is not in their scope
    assert "林立" not in client.get("/cases/").content.decode()
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    client.force_login(agent)  # an agent, even the person concerned, has no cases page
    assert client.get("/cases/").status_code == 403
    assert client.post(f"/cases/{case.pk}/act/", {"step": "conclude", "reason": "x"}).status_code == 403
    assert run.decisions.filter(rule="leader-optimization", eligible=True).count() == 1
