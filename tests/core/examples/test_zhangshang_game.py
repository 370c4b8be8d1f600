"""zhangshang-game (掌上明珠客服部员工晋升管理办法): expected results worked out by hand from SEEDS.md and
examples/data/zhangshang-game, evaluated on 2026-01-15 (after the 2025 annual appraisal).

At 2026-01-15: the latest complete year is 2025, quarter 2025-Q4; "the last 12 months" of events are
2025-01-15 ≤ date < 2026-01-15. Whole months: 2024-06-01 → 2026-01-15 is 19 (the 15th ≥ the 1st).
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 1, 15)
A2S = "post.agent-senior_agent"
S2T = "post.senior_agent-team_lead"
T2S = "post.team_lead-supervisor"
S2M = "post.supervisor-manager"
LEADER = "leader-optimization"


@pytest.fixture(scope="module")
def out():
    return run("zhangshang-game", AS_OF)


def test_policy_loads_with_canonical_ids():
    p = load_policy(policy_path("zhangshang-game"))
    assert p.id == "zhangshang-game"
    assert p.tracks["post"].path == ("agent", "senior_agent", "team_lead", "supervisor", "manager")
    assert p.procedure.every_years == 2
    by_level = {
        lv: (a.proposes, *(r for step in a.approves for r in step.roles))
        for a in p.procedure.authority
        for lv in a.levels
    }
    assert by_level["senior_agent"] == ("supervisor", "department_manager")
    assert by_level["supervisor"] == ("department_manager", "vice_president")
    assert by_level["manager"][1] == "vice_president"


def test_no_warnings(out):
    assert out["warnings"] == []


# ---- promotion -----------------------------------------------------------------------------------------


def test_eligible_with_a_year_in_the_department(out):
    # P1: agent in 客服部 since 2024-06-01 → 19 months ≥ 12 (across departments also 19 < 24, but one
    # alternative suffices); annual scores 85, 88 → mean 86.5 ≥ 80; no penalty; qualification 1;
    # assessment 85 ≥ 80 → eligible.
    r = result(out, "P1", A2S)
    assert r["eligible"] is True
    assert crit(r, "tenure.in_department") == {
        **crit(r, "tenure.in_department"),
        "passed": True,
        "actual": 19,
    }
    assert crit(r, "tenure.across_departments")["passed"] is False
    assert crit(r, "annual_average")["actual"] == 86.5
    assert crit(r, "assessment")["actual"] == 85


def test_eligible_with_two_years_across_departments(out):
    # P2: senior_agent in 运营部 2023-01-01 → 2025-03-01 (26 months), then 客服部 since 2025-03-01
    # (10 months): in this department 10 < 12, across departments 26 + 10 = 36 ≥ 24 → tenure passes;
    # mean (82 + 84 + 86) / 3 = 84 → eligible.
    r = result(out, "P2", S2T)
    assert r["eligible"] is True
    assert crit(r, "tenure.in_department") == {
        **crit(r, "tenure.in_department"),
        "passed": False,
        "actual": 10,
    }
    assert crit(r, "tenure.across_departments") == {
        **crit(r, "tenure.across_departments"),
        "passed": True,
        "actual": 36,
    }
    assert crit(r, "annual_average")["actual"] == 84


def test_short_in_both_departments(out):
    # P3: senior_agent 运营部 2024-08-01 → 2025-06-01 (10) + 客服部 2025-06-01 → 2026-01-15 (7):
    # in department 7 < 12, across 17 < 24 → tenure fails; everything else passes.
    r = result(out, "P3", S2T)
    assert r["eligible"] is False
    assert crit(r, "tenure")["passed"] is False
    assert crit(r, "tenure.in_department")["actual"] == 7
    assert crit(r, "tenure.across_departments")["actual"] == 17
    assert all(c["passed"] for c in r["criteria"] if c["id"] != "tenure")


def test_average_of_all_annual_scores_below_80(out):
    # P4: (90 + 75 + 70) / 3 = 78.33… < 80 → fail, although 2023 alone was 90.
    r = result(out, "P4", A2S)
    assert r["eligible"] is False
    a = crit(r, "annual_average")
    assert a["passed"] is False
    assert a["actual"] == pytest.approx(235 / 3, abs=1e-3)
    assert crit(r, "tenure.in_department")["actual"] == 36  # agent since 2023-01-01


def test_new_hire_without_records(out):
    # P5: hired 2025-11-01 → 2 months (< 12 and < 24); no annual score, no qualification, no assessment →
    # actual null and failed; no penalty → 0 passes.
    r = result(out, "P5", A2S)
    assert r["eligible"] is False
    assert crit(r, "tenure.in_department")["actual"] == 2
    for cid in ("annual_average", "post_qualification", "assessment"):
        assert crit(r, cid)["passed"] is False
        assert crit(r, cid)["actual"] is None
    assert crit(r, "no_penalty") == {**crit(r, "no_penalty"), "passed": True, "actual": 0}


def test_assessment_below_80_and_missing_qualification(out):
    # P6: team_lead since 2024-01-01 → 24 ≥ 12; mean (88 + 90 + 92) / 3 = 90; assessment 78 < 80 → fail
    # (above the general pass mark 60, so the scheme's 80 is what applies); no qualification → null.
    r = result(out, "P6", T2S)
    assert r["eligible"] is False
    assert crit(r, "assessment") == {**crit(r, "assessment"), "passed": False, "actual": 78}
    assert crit(r, "post_qualification")["actual"] is None
    assert crit(r, "annual_average")["actual"] == 90


def test_offset_penalty_still_counts(out):
    # L4: penalty P-L4-01 (2023-03-01) was offset on 2023-06-01 — "no penalty ever, offset or not" → 1 ≠ 0.
    # mean (80 + 70) / 2 = 75 < 80 → also fails; assessment 90 and qualification pass.
    r = result(out, "L4", S2M)
    assert r["eligible"] is False
    assert crit(r, "no_penalty") == {**crit(r, "no_penalty"), "passed": False, "actual": 1}
    assert crit(r, "annual_average")["actual"] == 75
    assert crit(r, "assessment")["passed"] is True
    assert crit(r, "tenure.in_department")["actual"] == 30  # supervisor since 2023-07-01


def test_top_level_has_no_promotion(out):
    assert not any(r["employee_id"] == "L3" and r["kind"] == "promotion" for r in out["results"])


# ---- acting --------------------------------------------------------------------------------------------


def test_acting_one_grade_up_for_six_months(out):
    # A2: senior_agent acting team_lead (one grade up) since 2025-06-01 → 7 months ≥ 6; mean (84 + 90)/2
    # = 87; no penalty; qualification; assessment 88 → eligible.
    r = result(out, "A2", "acting-conversion")
    assert r["to_level"] == "team_lead"
    assert r["eligible"] is True
    m = crit(r, "acting_months")
    assert (m["passed"], m["actual"], m["required"]) == (True, 7, 6)


def test_acting_two_grades_up_needs_twelve_months(out):
    # A1: agent acting team_lead (two grades up) since 2025-03-01 → 10 months < 12 → fail
    # (it would pass the 6 months of a one-grade acting post).
    r = result(out, "A1", "acting-conversion")
    assert r["eligible"] is False
    m = crit(r, "acting_months")
    assert (m["passed"], m["actual"], m["required"]) == (False, 10, 12)
    # A1's ordinary promotion is separate: agent since 2024-01-01 → 24 months, all conditions met.
    assert result(out, "A1", A2S)["eligible"] is True


def test_no_acting_result_without_acting_assignment(out):
    assert not has_result(out, "P1", "acting-conversion")


# ---- leader optimization -------------------------------------------------------------------------------


def test_unqualified_annual_unacceptable(out):
    # L1 (team_lead): 2025 annual 不可接受 → triggered.
    r = result(out, "L1", LEADER)
    assert r["kind"] == "unqualified_leader"
    assert r["eligible"] is True
    assert crit(r, "annual_unacceptable") == {
        **crit(r, "annual_unacceptable"),
        "passed": True,
        "actual": "不可接受",
    }


def test_unqualified_two_quarters_and_needs_improvement(out):
    # L2 (supervisor): 2025-Q3 and Q4 不可接受 → a run of 2 within 2025, the year of the latest annual
    # appraisal; 2025 annual 需要改进 → both parts → triggered.
    r = result(out, "L2", LEADER)
    assert r["eligible"] is True
    assert crit(r, "quarters_unacceptable")["passed"] is True
    assert crit(r, "quarters_unacceptable.quarters")["actual"] == 2
    assert crit(r, "quarters_unacceptable.annual")["actual"] == "需要改进"
    assert crit(r, "annual_unacceptable")["passed"] is False
    assert crit(r, "years_meets_only")["actual"] == 0


def test_unqualified_two_years_only_meets(out):
    # L3 (manager): 2024 达到要求, 2025 达到要求 (2023 超出要求) → run 2 ≥ 2 → triggered.
    r = result(out, "L3", LEADER)
    assert r["eligible"] is True
    assert crit(r, "years_meets_only") == {**crit(r, "years_meets_only"), "passed": True, "actual": 2}


def test_leader_not_unqualified(out):
    # L4: 2025-Q3 不可接受 but Q4 需要改进 → the longest run in 2025 is 1 < 2; annual 需要改进 ≠ 不可接受;
    # 2025 not 达到要求 → run 0.
    r = result(out, "L4", LEADER)
    assert r["eligible"] is False
    assert crit(r, "quarters_unacceptable.quarters")["actual"] == 1
    assert crit(r, "quarters_unacceptable.annual")["passed"] is True
    assert crit(r, "years_meets_only")["actual"] == 0
    # P6 (team_lead, 2025 杰出, no quarterly grades) → not triggered; agents are not leaders.
    r = result(out, "P6", LEADER)
    assert r["eligible"] is False
    assert crit(r, "quarters_unacceptable.quarters")["actual"] is None
    assert not has_result(out, "P1", LEADER)


def test_the_two_quarters_are_of_the_annual_appraisals_year_whenever_it_runs():
    # At 2026-04-15 the latest complete quarter is 2026-Q1 (L2: 达到要求) and the latest annual 2025. The
    # quarters that count are 2025's (同时): Q3, Q4 不可接受 → 2, so L2 is still unqualified. (A run ending
    # with the latest quarter would be 0 and miss it.)
    r = result(run("zhangshang-game", dt.date(2026, 4, 15)), "L2", LEADER)
    assert r["eligible"] is True
    assert crit(r, "quarters_unacceptable.quarters") == {
        **crit(r, "quarters_unacceptable.quarters"),
        "passed": True,
        "actual": 2,
    }


# ---- career development warnings ----------------------------------------------------------------------


def test_career_talk_missing(out):
    # P4: in 客服部 since hire 2023-01-01 (no row elsewhere) → 36 months ≥ 3, no career_talk → flagged.
    r = result(out, "P4", "career-talk-missing")
    assert r["eligible"] is True
    assert crit(r, "no_career_talk")["actual"] == 0
    # P5: joined 2025-11-01 → 2 months < 3, not yet due → not flagged; P1 had a talk (2024-07-15, in 客服部
    # since 2024-06-01) → not flagged.
    r = result(out, "P5", "career-talk-missing")
    assert r["eligible"] is False
    assert crit(r, "joined_3_months") == {**crit(r, "joined_3_months"), "passed": False, "actual": 2}
    r = result(out, "P1", "career-talk-missing")
    assert r["eligible"] is False
    assert crit(r, "no_career_talk")["actual"] == 1


def test_a_transfer_into_the_department_starts_the_three_months_again(out):
    # P2: 运营部 until 2025-03-01, then 客服部 → 2025-03-01 → 2026-01-15 is 10 months ≥ 3; the only talk
    # (2022-07-01) was held in 运营部 → 0 since entering 客服部 → flagged. P3: 客服部 since 2025-06-01 → 7
    # months, talk 2023-09-01 in 运营部 → flagged. (Counted from hire, both had a talk and were not flagged.)
    for emp, months in (("P2", 10), ("P3", 7)):
        r = result(out, emp, "career-talk-missing")
        assert r["eligible"] is True
        assert crit(r, "joined_3_months") == {**crit(r, "joined_3_months"), "passed": True, "actual": months}
        assert crit(r, "no_career_talk") == {**crit(r, "no_career_talk"), "passed": True, "actual": 0}
    # A2: history on file only from 2024-03-01, all in 客服部 → since hire 2022-03-01 → 46 months; talk
    # 2022-04-01 counts → not flagged.
    r = result(out, "A2", "career-talk-missing")
    assert r["eligible"] is False
    assert (crit(r, "joined_3_months")["actual"], crit(r, "no_career_talk")["actual"]) == (46, 1)


def test_career_plan_missing(out):
    # L3: the last plan was 2024-06-01, before 2025-01-15 → 0 in 12 months; regularized 2015 → flagged.
    r = result(out, "L3", "career-plan-missing")
    assert r["eligible"] is True
    assert crit(r, "no_plan_this_year")["actual"] == 0
    # P4 never filed one → flagged; P1 filed 2025-09-01 → 1 → not flagged.
    assert result(out, "P4", "career-plan-missing")["eligible"] is True
    r = result(out, "P1", "career-plan-missing")
    assert r["eligible"] is False
    assert crit(r, "no_plan_this_year")["actual"] == 1
    # P5 is still on probation (not regularized) → months since regularization null → not flagged.
    r = result(out, "P5", "career-plan-missing")
    assert r["eligible"] is False
    assert crit(r, "regularized_1_month")["actual"] is None


# ---- reserve pools (储备领导者) ---------------------------------------------------------------------------
RESERVE_TL, RESERVE_SUP = "reserve-team-lead", "reserve-supervisor"


def test_reserve_pools_take_only_the_levels_below_the_post(out):
    # reserve-team-lead takes senior agents (P2, P3, A2); reserve-supervisor senior agents and team leads
    # (P2, P3, A2 and P6, L1). Agents, supervisors and managers are in neither.
    def subjects(rule):
        return sorted(r["employee_id"] for r in out["results"] if r["rule"] == rule)

    assert subjects(RESERVE_TL) == ["A2", "P2", "P3"]
    assert subjects(RESERVE_SUP) == ["A2", "L1", "P2", "P3", "P6"]
    r = result(out, "P2", RESERVE_TL)
    assert (r["kind"], r["from_level"], r["to_level"]) == ("reserve", "senior_agent", "team_lead")


def test_reserve_entry_needs_the_career_plan_to_target_the_post(out):
    # P2: latest annual (2025) 超出要求 ≥ 超出要求; mean of annual scores 84 ≥ 80; no penalty; a career plan
    # 2025-06-01 (within 2025-01-15 … 2026-01-14) with ref team_lead → 1 ≥ 1 → in the team_lead pool.
    r = result(out, "P2", RESERVE_TL)
    assert r["eligible"] is True
    assert crit(r, "outstanding")["actual"] == "超出要求"
    assert crit(r, "plan_targets_post")["actual"] == 1
    # The same plan names team_lead, not supervisor → 0 plans for the supervisor pool → not in it.
    r = result(out, "P2", RESERVE_SUP)
    assert r["eligible"] is False
    assert crit(r, "plan_targets_post") == {**crit(r, "plan_targets_post"), "passed": False, "actual": 0}
    # P3: 超出要求, mean 85, plan 2025-08-01 for team_lead → in the team_lead pool.
    assert result(out, "P3", RESERVE_TL)["eligible"] is True
    # P6: team_lead, 2025 杰出 ≥ 超出要求, mean 90, plan 2025-03-01 for supervisor → in the supervisor pool.
    assert result(out, "P6", RESERVE_SUP)["eligible"] is True
    # A2: 超出要求 and mean 87, but the plan of 2025-03-01 names no post → in neither pool.
    assert result(out, "A2", RESERVE_TL)["eligible"] is False
    # L1: team_lead, latest annual 不可接受 < 超出要求, mean 68.5 < 80 → not in the supervisor pool.
    r = result(out, "L1", RESERVE_SUP)
    assert (r["eligible"], crit(r, "outstanding")["passed"], crit(r, "annual_average")["actual"]) == (
        False,
        False,
        68.5,
    )
