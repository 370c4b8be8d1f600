"""Talent (rungs.talent) on zhangshang-game, evaluated on 2026-01-15 (the latest complete year 2025; "the
last 12 months" of events 2025-01-15 ≤ date < 2026-01-15): the 储备领导者 pool of the team_lead post built
from a run's reserve decisions, readiness from the same run, an audited override, the 9-box calibration,
successors, the reserve candidates of a vacancy, and the career plan / talk that close the warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.people.models import Assignment, Department, Employee, Team
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.promotions.services import round_open
from rungs.records.models import Evaluation, Event
from rungs.talent.models import Calibration, CareerTalk, PoolMember
from rungs.talent.selectors import pool_for_post
from rungs.talent.services import (
    TalentRefused,
    career_plan_record,
    career_talk_record,
    member_calibrate,
    member_readiness_override,
    pool_create,
    pool_refresh,
    successors_set,
)

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "zhangshang-game.yaml"
User = get_user_model()
D = dt.date
AS_OF = D(2026, 1, 15)
RULE = "reserve-team-lead"


def person(code, name, dept, team, level, since, **kw):
    e = Employee.objects.create(
        employee_id=code,
        name=name,
        hire_date=D(2022, 1, 1),
        department=dept,
        team=team,
        status="regular",
        **kw,
    )
    Assignment.objects.create(
        employee=e, track="post", level=level, start_date=since, kind="promotion", department=dept.name
    )
    return e


def annual(e, year, score, grade):
    Evaluation.objects.create(
        employee=e, period=str(year), period_kind="Y", seq=year, score=score, grade=grade
    )


def ready_for_team_lead(e, plan_ref="team_lead", assessment=88):
    """The post's qualification attested and the promotion assessment sat; a career plan naming the post."""
    Event.objects.create(
        employee=e, date=D(2025, 12, 1), type="attestation", ref="post_qualification", value=1
    )
    if assessment is not None:
        Event.objects.create(
            employee=e, date=D(2025, 12, 10), type="exam", ref="promotion_assessment", value=assessment
        )
    Event.objects.create(employee=e, date=D(2025, 6, 1), type="career_plan", ref=plan_ref)


@pytest.fixture
def talent(db):
    dept = Department.objects.create(name="客服一部")
    other = Department.objects.create(name="客服二部")
    team = Team.objects.create(code="一组", department=dept)
    people = {
        # P2 黄蓉: senior agent in 客服一部 since 2024-06-01 → 19 months ≥ 12; annual 84 and 86 (超出要求)
        # → mean 85 ≥ 80; no penalty; qualification 1; assessment 88 ≥ 80 → the promotion to team_lead is
        # eligible → ready now.
        "P2": person("P2", "黄蓉", dept, team, "senior_agent", D(2024, 6, 1)),
        # P3 许诺: senior agent since 2025-06-01 → 7 months (also 7 across departments): short 12 − 7 = 5 and
        # 24 − 7 = 17; the nearer alternative 5 ≤ 24 and nothing else unmet → 1–2 years.
        "P3": person("P3", "许诺", dept, team, "senior_agent", D(2025, 6, 1)),
        # P4 王五: 19 months, 杰出, but no promotion assessment on file (null fails; waiting does not
        # meet it) → later.
        "P4": person("P4", "王五", dept, team, "senior_agent", D(2024, 6, 1)),
        # P5 赵六: 2025 only 达到要求 < 超出要求 → not in the pool.
        "P5": person("P5", "赵六", dept, team, "senior_agent", D(2024, 6, 1)),
        # A1 小王: an agent regularized 2025-06-01 (7 months ≥ 1) with no career plan → the plan warning.
        "A1": person("A1", "小王", dept, team, "agent", D(2024, 6, 1), regularized_on=D(2025, 6, 1)),
        # B1 钱七: a senior agent of 客服二部 who qualifies, but for the other department's pool.
        "B1": person("B1", "钱七", other, None, "senior_agent", D(2024, 6, 1)),
    }
    for code, grades in {
        "P2": ((84, "超出要求"), (86, "超出要求")),
        "P3": ((85, "超出要求"), (85, "超出要求")),
        "P4": ((90, "杰出"), (90, "杰出")),
        "P5": ((82, "达到要求"), (82, "达到要求")),
        "B1": ((88, "超出要求"), (88, "超出要求")),
    }.items():
        for year, (score, grade) in zip((2024, 2025), grades, strict=True):
            annual(people[code], year, score, grade)
    for code in ("P2", "P3", "P5", "B1"):
        ready_for_team_lead(people[code])
    ready_for_team_lead(people["P4"], assessment=None)

    def user(name, role, **kw):
        return User.objects.create(username=name, role=role, **kw)

    u = {
        "hr": user("hr", "hr"),
        "qa": user("qa", "qa_training"),
        "dm": user("dm", "department_manager", department=dept),
        "sup": user("sup", "supervisor", department=dept),
        "sup2": user("sup2", "supervisor", department=other),
        "lead": user("lead", "team_lead", department=dept, team=team),
        "wang": user("wang", "agent", employee=people["A1"], department=dept, team=team),
        "huang": user("huang", "agent", employee=people["P2"], department=dept, team=team),
    }
    policy = policy_create(text=POLICY.read_text(encoding="utf-8"), filename=POLICY.name, actor=u["hr"])
    run = evaluation_run_start(policy=policy, as_of=AS_OF, actor=u["hr"])
    return u, people, dept, policy, run


def members(pool):
    return {
        m.employee.employee_id: (m.qualifies, m.readiness) for m in pool.members.select_related("employee")
    }


@pytest.mark.django_db
def test_a_pool_takes_its_members_and_readiness_from_the_run(talent):
    u, p, dept, policy, run = talent
    pool = pool_create(policy=policy, rule=RULE, department=dept, actor=u["qa"])
    assert (pool.track, pool.level) == ("post", "team_lead")
    pool_refresh(pool=pool, run=run, on=AS_OF, actor=u["qa"])
    # P5 (达到要求) is not a member; B1 qualifies but belongs to 客服二部; agents are not at the rule's levels.
    assert members(pool) == {
        "P2": (True, "ready_now"),
        "P3": (True, "one_two_years"),
        "P4": (True, "later"),
    }
    assert AuditEntry.objects.filter(action="talent.manage", target_id=str(pool.pk)).count() == 2
    # The company-wide pool (HR's reserve talent file) takes B1 too.
    company = pool_create(policy=policy, rule=RULE, department=None, actor=u["hr"])
    pool_refresh(pool=company, run=run, on=AS_OF, actor=u["hr"])
    assert set(members(company)) == {"P2", "P3", "P4", "B1"}
    with pytest.raises(TalentRefused, match="已经建立"):
        pool_create(policy=policy, rule=RULE, department=None, actor=u["hr"])


@pytest.mark.django_db
def test_a_member_who_no_longer_qualifies_stays_on_file_marked(talent):
    u, p, dept, policy, run = talent
    pool = pool_create(policy=policy, rule=RULE, department=dept, actor=u["hr"])
    pool_refresh(pool=pool, run=run, on=AS_OF, actor=u["hr"])
    # a penalty on 2025-12-20 for P3: no_penalty 1 ≠ 0 → P3 no longer qualifies on the next run
    Event.objects.create(employee=p["P3"], date=D(2025, 12, 20), type="penalty", ref="X1")
    again = evaluation_run_start(policy=policy, as_of=AS_OF, actor=u["hr"])
    pool_refresh(pool=pool, run=again, on=AS_OF, actor=u["hr"])
    assert members(pool)["P3"] == (False, "one_two_years")
    assert [m.employee.employee_id for m in pool_for_post("post", "team_lead", dept)] == ["P2", "P4"]


@pytest.mark.django_db
def test_an_override_needs_a_reason_and_is_audited(talent):
    u, p, dept, policy, run = talent
    pool = pool_create(policy=policy, rule=RULE, department=dept, actor=u["hr"])
    pool_refresh(pool=pool, run=run, on=AS_OF, actor=u["hr"])
    m = pool.members.get(employee=p["P4"])
    for who in ("dm", "sup", "lead", "wang"):
        with pytest.raises(Denied):
            member_readiness_override(member=m, readiness="one_two_years", reason="x", actor=u[who])
    with pytest.raises(TalentRefused, match="原因"):
        member_readiness_override(member=m, readiness="one_two_years", reason="  ", actor=u["hr"])
    member_readiness_override(
        member=m, readiness="one_two_years", reason="晋升考核安排在三月，预计通过", actor=u["hr"]
    )
    m.refresh_from_db()
    assert (m.computed, m.readiness) == ("later", "one_two_years")
    entry = AuditEntry.objects.get(action="talent.calibrate", employee_id="P4")
    assert (entry.actor, entry.reason) == ("hr", "晋升考核安排在三月，预计通过")
    assert entry.before == {"readiness": "later", "override": ""}
    assert entry.after["readiness"] == "one_two_years"
    # a refresh keeps the override (the computed value follows the run)
    pool_refresh(pool=pool, run=run, on=AS_OF, actor=u["hr"])
    m.refresh_from_db()
    assert m.readiness == "one_two_years"
    # the overridden member now ranks with the 1–2-year ones, after P3 by employee id
    assert [x.employee.employee_id for x in pool_for_post("post", "team_lead", dept)] == ["P2", "P3", "P4"]


@pytest.mark.django_db
def test_a_nine_box_calibration_and_the_successors(talent):
    u, p, dept, policy, run = talent
    pool = pool_create(policy=policy, rule=RULE, department=dept, actor=u["hr"])
    pool_refresh(pool=pool, run=run, on=AS_OF, actor=u["hr"])
    m2, m3 = pool.members.get(employee=p["P2"]), pool.members.get(employee=p["P3"])
    with pytest.raises(Denied):
        member_calibrate(
            member=m2, performance="high", potential="high", met_on=AS_OF, note="x", actor=u["dm"]
        )
    with pytest.raises(TalentRefused, match="会议记录"):
        member_calibrate(
            member=m2, performance="high", potential="high", met_on=AS_OF, note="", actor=u["qa"]
        )
    member_calibrate(
        member=m2,
        performance="high",
        potential="medium",
        met_on=D(2026, 1, 20),
        note="2026年1月校准会",
        actor=u["qa"],
    )
    cal = Calibration.objects.get()
    assert (cal.member, cal.performance, cal.potential, cal.by, cal.note) == (
        m2, "high", "medium", u["qa"], "2026年1月校准会"
    )  # fmt: skip
    with pytest.raises(Denied):
        successors_set(pool=pool, members=[m3, m2], actor=u["sup"])
    successors_set(pool=pool, members=[m3, m2], actor=u["hr"])
    assert dict(pool.members.values_list("employee__employee_id", "successor")) == {
        "P2": 2,
        "P3": 1,
        "P4": None,
    }
    # ready now still comes first; the successor order ranks within a readiness
    assert [x.employee.employee_id for x in pool_for_post("post", "team_lead", dept)] == ["P2", "P3", "P4"]


@pytest.mark.django_db
def test_who_may_not_build_a_pool_or_record_a_talk_is_refused(talent):
    u, p, dept, policy, run = talent
    for who in ("dm", "sup", "lead", "wang"):
        with pytest.raises(Denied):
            pool_create(policy=policy, rule=RULE, department=dept, actor=u[who])
    with pytest.raises(TalentRefused, match="没有储备规则"):
        pool_create(policy=policy, rule="leader-optimization", department=dept, actor=u["hr"])
    talk = {"held_on": D(2026, 1, 10), "kind": "joining", "notes": "了解职业兴趣"}
    for who in ("lead", "wang", "sup2"):  # an agent or team lead holds no talks; sup2 is another department's
        with pytest.raises(Denied):
            career_talk_record(employee=p["A1"], actor=u[who], **talk)
    with pytest.raises(Denied):  # an agent fills only their own plan
        career_plan_record(employee=p["P2"], filled_on=D(2026, 1, 10), fields=PLAN, actor=u["wang"])
    assert not Event.objects.filter(type="career_talk").exists()


PLAN = {
    "department": "客服一部",
    "post": "普通客服",
    "trainings": ["新员工入职培训", "产品知识"],
    "skills": [{"kind": "technical", "note": "熟悉工单系统"}],
    "needs": ["manager", "pay", "challenge"],
    "career_track": "management",
    "target": "post.team_lead",
    "short_term": "一年内成为高级客服",
}


@pytest.mark.django_db
def test_recording_a_career_plan_closes_the_warning_on_the_next_run(talent):
    u, p, dept, policy, run = talent
    warning = run.decisions.get(employee=p["A1"], rule="career-plan-missing")
    assert warning.eligible is True  # regularized 7 months ago, no plan in the last 12 months
    with pytest.raises(TalentRefused, match="三项"):
        career_plan_record(
            employee=p["A1"], filled_on=D(2026, 1, 10), fields={**PLAN, "needs": ["pay"]}, actor=u["wang"]
        )
    plan = career_plan_record(employee=p["A1"], filled_on=D(2026, 1, 10), fields=PLAN, actor=u["wang"])
    assert (plan.event.type, plan.event.ref, plan.event.date) == ("career_plan", "team_lead", D(2026, 1, 10))
    assert AuditEntry.objects.filter(action="career_plan.record", employee_id="A1", actor="wang").count() == 1
    again = evaluation_run_start(policy=policy, as_of=AS_OF, actor=u["hr"])
    # 2026-01-10 is in 2025-01-15 … 2026-01-14 → 1 plan → no_plan_this_year fails → not triggered
    d = again.decisions.get(employee=p["A1"], rule="career-plan-missing")
    assert d.eligible is False
    assert next(c for c in d.criteria if c["id"] == "no_plan_this_year")["actual"] == 1


@pytest.mark.django_db
def test_a_career_talk_names_the_departments_supervisor_and_closes_its_warning(talent):
    u, p, dept, policy, run = talent
    # A1 entered 客服一部 2024-06-01 (19 months ≥ 3) with no talk → flagged
    assert run.decisions.get(employee=p["A1"], rule="career-talk-missing").eligible is True
    talk = career_talk_record(
        employee=p["A1"], held_on=D(2026, 1, 8), kind="joining", notes="职业兴趣：管理通道", actor=u["qa"]
    )
    assert talk.mentor == u["sup"]  # the department's supervisor, though the training group recorded it
    assert CareerTalk.objects.get().event.type == "career_talk"
    again = evaluation_run_start(policy=policy, as_of=AS_OF, actor=u["hr"])
    assert again.decisions.get(employee=p["A1"], rule="career-talk-missing").eligible is False


@pytest.mark.django_db
def test_the_round_page_proposes_the_pools_members_first(talent, client):
    u, p, dept, policy, run = talent
    pool = pool_create(policy=policy, rule=RULE, department=dept, actor=u["hr"])
    pool_refresh(pool=pool, run=run, on=AS_OF, actor=u["hr"])
    rnd = round_open(
        policy=policy, name="客服组长空缺", kind="vacancy",
        posts=[{"track": "post", "level": "team_lead", "number": 1}], actor=u["hr"], department=dept,
    )  # fmt: skip
    client.force_login(u["hr"])
    html = client.get(f"/rounds/{rnd.pk}/").content.decode()
    assert "储备人选" in html
    section = html[html.index('id="reserve"') : html.index("候选人")]
    assert (
        section.index('data-employee="P2"')
        < section.index('data-employee="P3"')
        < section.index('data-employee="P4"')
    )
    assert "现在可任" in section
    client.force_login(u["wang"])  # an agent does not read the pools
    assert 'id="reserve"' not in client.get(f"/rounds/{rnd.pk}/").content.decode()


@pytest.mark.django_db
def test_the_talent_pages_render(talent, client):
    u, p, dept, policy, run = talent
    pool = pool_create(policy=policy, rule=RULE, department=dept, actor=u["hr"])
    pool_refresh(pool=pool, run=run, on=AS_OF, actor=u["hr"])
    client.force_login(u["hr"])
    assert client.get("/talent/").status_code == 200
    page = client.get(f"/talent/pools/{pool.pk}/").content.decode()
    assert 'data-employee="P2"' in page and "1–2年内可任" in page
    assert 'id="freshness"' in page and f"评估日期 {run.as_of.isoformat()}" in page  # issue 9
    file = client.get("/talent/people/A1/").content.decode()
    assert "转正1个月内及每年应填写员工职业发展规划表" in file
    client.force_login(u["wang"])
    assert client.get(f"/talent/pools/{pool.pk}/").status_code == 403
    assert client.get("/talent/people/P2/").status_code == 404  # not in an agent's scope
    assert client.get("/talent/people/A1/plan/").status_code == 200
    assert PoolMember.objects.count() == 3
