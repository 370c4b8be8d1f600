"""salary-grade-quarterly (客服部薪酬晋升方案): expected results worked out by hand from SEEDS.md and
examples/data/salary-grade-quarterly, evaluated at the July 2026 review (2026-07-01, quarterly and annual).

At 2026-07-01: the latest complete quarter is 2026-Q2 and the latest complete year is 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 7, 1)
P2J = "grade.probation-junior"
J2S = "grade.junior-senior"
S2E = "grade.senior-expert"
E2V = "grade.expert-supervisor"


@pytest.fixture(scope="module")
def out():
    return run("salary-grade-quarterly", AS_OF)


def test_policy_loads_with_canonical_ids_and_pay():
    p = load_policy(policy_path("salary-grade-quarterly"))
    assert p.id == "salary-grade-quarterly"
    assert p.tracks["grade"].path == ("probation", "junior", "senior", "expert", "supervisor")
    assert p.procedure.windows == (1, 4, 7, 10)
    pay = {r.id: r.pay.base_pct for r in p.rules if r.pay is not None}
    assert pay[J2S] == pay[S2E] == pay[E2V] == 10
    assert pay["senior-demotion"] == pay["expert-demotion"] == pay["supervisor-demotion"] == -10
    assert {r.id: r.to_level for r in p.rules if r.kind == "demotion"} == {
        "senior-demotion": "junior",
        "expert-demotion": "senior",
        "supervisor-demotion": "expert",
    }


def test_no_warnings(out):
    assert out["warnings"] == []


# ---- probation -----------------------------------------------------------------------------------------


def test_probation_passed(out):
    # PR1: probation since 2026-04-20 → 2026-06-20 is 2 whole months ≥ 2; assessment 75 ≥ 60 → junior.
    r = result(out, "PR1", P2J)
    assert r["eligible"] is True
    assert crit(r, "probation_months")["actual"] == 2
    assert crit(r, "probation_exam")["actual"] == 75


def test_probation_not_yet_two_months(out):
    # PR2: since 2026-05-15 → 1 whole month (07-01 day < 15) < 2 → fail, although the exam (80) passed.
    r = result(out, "PR2", P2J)
    assert r["eligible"] is False
    assert crit(r, "probation_months") == {**crit(r, "probation_months"), "passed": False, "actual": 1}
    assert crit(r, "probation_exam")["passed"] is True


def test_probation_failed(out):
    # PR3: 3 months, but the assessment 50 < 60 → not eligible, and flagged for 淘汰.
    r = result(out, "PR3", P2J)
    assert r["eligible"] is False
    assert crit(r, "probation_months")["actual"] == 3
    assert crit(r, "probation_exam") == {**crit(r, "probation_exam"), "passed": False, "actual": 50}
    w = result(out, "PR3", "probation-failed")
    assert w["kind"] == "warning"
    assert w["eligible"] is True
    # PR1 (75) and PR2 (80) passed → not flagged.
    assert result(out, "PR1", "probation-failed")["eligible"] is False
    assert result(out, "PR2", "probation-failed")["eligible"] is False


# ---- promotions ----------------------------------------------------------------------------------------


def test_junior_promoted(out):
    # J1: regularized 2026-02-01 → 5 months ≥ 2; 2026-Q2 score 82 ≥ 80; overall_excellent 1 → eligible.
    r = result(out, "J1", J2S)
    assert r["eligible"] is True
    assert crit(r, "review_eligible")["actual"] == 5
    assert crit(r, "quarterly_score")["actual"] == 82


def test_junior_not_yet_in_quarterly_reviews(out):
    # J2: 正式 with regularized_on blank → regularized when probation ended, at the start of junior
    # 2026-05-10 → 1 whole month < 2 → not yet reviewed → fail, although Q2 is 90.
    r = result(out, "J2", J2S)
    assert r["eligible"] is False
    assert crit(r, "review_eligible") == {**crit(r, "review_eligible"), "passed": False, "actual": 1}
    assert crit(r, "quarterly_score")["passed"] is True


def test_junior_latest_quarter_counts(out):
    # J3: 2026-Q1 85 but the latest, 2026-Q2, is 79 < 80 → fail.
    r = result(out, "J3", J2S)
    assert r["eligible"] is False
    assert crit(r, "quarterly_score") == {**crit(r, "quarterly_score"), "passed": False, "actual": 79}


def test_senior_promoted_at_exactly_85(out):
    # S1: Q2 85 ≥ 85 (85分以上 includes 85); regularized 2024-03-01 → 28; excellent → eligible.
    r = result(out, "S1", S2E)
    assert r["eligible"] is True
    assert crit(r, "quarterly_score")["actual"] == 85
    assert crit(r, "review_eligible")["actual"] == 28
    # S3: Q2 75 < 85 → not eligible. Its regularized_on is blank and its history starts at senior, above
    # probation → regularized at hire 2023-05-01 → 38 months ≥ 2 (a blank date no longer fails it).
    r = result(out, "S3", S2E)
    assert r["eligible"] is False
    assert crit(r, "quarterly_score")["passed"] is False
    assert crit(r, "review_eligible") == {**crit(r, "review_eligible"), "passed": True, "actual": 38}


def test_expert_to_supervisor(out):
    # E1: annual 2025 95 ≥ 95; overall_excellent 1 → eligible.
    r = result(out, "E1", E2V)
    assert r["eligible"] is True
    assert crit(r, "annual_score")["actual"] == 95
    # E2: annual 94 < 95; overall_excellent recorded as 0 → both fail.
    r = result(out, "E2", E2V)
    assert r["eligible"] is False
    assert crit(r, "annual_score") == {**crit(r, "annual_score"), "passed": False, "actual": 94}
    assert crit(r, "overall_excellent") == {**crit(r, "overall_excellent"), "passed": False, "actual": 0}


def test_supervisor_is_the_top(out):
    assert not any(r["employee_id"] == "SV1" and r["kind"] == "promotion" for r in out["results"])


# ---- demotions -----------------------------------------------------------------------------------------


def test_senior_demotion(out):
    # S3: Q2 75 ≤ 75 (75分以下 includes 75) → triggered; S1: 85 > 75 → not.
    r = result(out, "S3", "senior-demotion")
    assert r["eligible"] is True
    assert r["to_level"] == "junior"
    assert crit(r, "quarterly_score")["actual"] == 75
    assert result(out, "S1", "senior-demotion")["eligible"] is False
    assert not has_result(out, "J1", "senior-demotion")


def test_expert_demotion(out):
    # E2: Q2 80 ≤ 80 → triggered; E1: Q1 78 but the latest (Q2) 82 > 80 → not triggered.
    r = result(out, "E2", "expert-demotion")
    assert r["eligible"] is True
    assert r["to_level"] == "senior"
    r = result(out, "E1", "expert-demotion")
    assert r["eligible"] is False
    assert crit(r, "quarterly_score")["actual"] == 82


def test_supervisor_demotion(out):
    # SV1: annual 2025 85 ≤ 85 → triggered; SV2: 2024 85 but the latest (2025) 90 > 85 → not triggered.
    r = result(out, "SV1", "supervisor-demotion")
    assert r["eligible"] is True
    assert r["to_level"] == "expert"
    r = result(out, "SV2", "supervisor-demotion")
    assert r["eligible"] is False
    assert crit(r, "annual_score")["actual"] == 90
