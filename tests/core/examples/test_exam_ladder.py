"""exam-ladder (客服晋升方案 初级/中级/高级): expected results worked out by hand from SEEDS.md, the policy's
written interpretations and examples/data/exam-ladder, evaluated on 2026-12-01.

At 2026-12-01 the latest complete year is 2025 (a 2026 annual score is for an incomplete year and ignored);
exams and attestations count when dated before 2026-12-01, the latest attempt by date. Pass mark 60.
Every step: latest annual score ≥ 80 and attestation soft_skills = 1; 新入职 → 初级 waives the annual score
while the employee has been with the company < 12 months.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 12, 1)
SCHEME = "exam-ladder"
T2J, J2I, I2S = "ladder.trainee-junior", "ladder.junior-intermediate", "ladder.intermediate-senior"


@pytest.fixture(scope="module")
def out():
    return run(SCHEME, AS_OF)


def got(res: dict, *paths: str) -> dict[str, tuple[bool, object]]:
    return {p: (crit(res, p)["passed"], crit(res, p)["actual"]) for p in paths}


def test_policy_loads_with_canonical_ids():
    p = load_policy(policy_path(SCHEME))
    assert p.id == SCHEME
    assert p.tracks["ladder"].path == ("trainee", "junior", "intermediate", "senior")
    assert [r.id for r in p.promotions()] == [T2J, J2I, I2S]
    assert [(r.levels[0], r.to_level) for r in p.promotions()] == [
        ("trainee", "junior"),
        ("junior", "intermediate"),
        ("intermediate", "senior"),
    ]


def test_no_warnings(out):
    assert out["warnings"] == []


# ---- 新入职 → 初级客服 ---------------------------------------------------------------------------------


def test_new_hire_eligible_in_the_first_year(out):
    # T1: course onboarding 2026-07-15 → 1 ≥ 1; junior_exam 75 ≥ 60; no annual score (null) but hired
    # 2026-06-01 → 6 months < 12 → the waiver passes (any: 1 of 2); soft_skills 1 → eligible.
    r = result(out, "T1", T2J)
    assert r["eligible"] is True
    assert (r["from_level"], r["to_level"]) == ("trainee", "junior")
    assert got(
        r, "onboarding", "exam", "appraisal", "appraisal.annual", "appraisal.first_year", "soft_skills"
    ) == {
        "onboarding": (True, 1),
        "exam": (True, 75),
        "appraisal": (True, 1),
        "appraisal.annual": (False, None),
        "appraisal.first_year": (True, 6),
        "soft_skills": (True, 1),
    }


def test_new_hire_without_course_failed_exam_no_soft_skills(out):
    # T2: no onboarding course → 0 < 1; junior_exam 55 < 60; hired 2026-03-01 → 9 months < 12 → waiver;
    # soft_skills never recorded → null → fails.
    r = result(out, "T2", T2J)
    assert r["eligible"] is False
    assert got(r, "onboarding", "exam", "appraisal", "soft_skills") == {
        "onboarding": (False, 0),
        "exam": (False, 55),
        "appraisal": (True, 1),
        "soft_skills": (False, None),
    }


def test_trainee_past_the_first_year_needs_the_annual_score(out):
    # T3: hired 2025-01-01 → 23 months, not < 12 → no waiver; 2025 score 70 < 80 → the appraisal fails
    # (0 of 2) although the course (2025-03-01), the exam (exactly 60 ≥ 60) and soft_skills pass.
    r = result(out, "T3", T2J)
    assert r["eligible"] is False
    assert got(
        r, "onboarding", "exam", "appraisal", "appraisal.annual", "appraisal.first_year", "soft_skills"
    ) == {
        "onboarding": (True, 1),
        "exam": (True, 60),
        "appraisal": (False, 0),
        "appraisal.annual": (False, 70),
        "appraisal.first_year": (False, 23),
        "soft_skills": (True, 1),
    }


# ---- 初级 → 中级 ---------------------------------------------------------------------------------------


def test_junior_chosen_and_examined(out):
    # J1 (junior since 2024-06-01): outstanding 1 on 2026-06-01 (at the level); intermediate_exam 82;
    # 2025 score 85 ≥ 80 (the 2024 score 90 is not the latest); soft_skills 1 → eligible.
    r = result(out, "J1", J2I)
    assert r["eligible"] is True
    assert got(r, "outstanding", "exam", "annual", "soft_skills") == {
        "outstanding": (True, 1),
        "exam": (True, 82),
        "annual": (True, 85),
        "soft_skills": (True, 1),
    }


def test_junior_judged_only_before_the_level_fails_everything(out):
    # J2 (junior since 2025-05-01): the only outstanding attestation is dated 2025-04-20, while a trainee →
    # none at the current level → null; intermediate_exam 58 < 60; 2025 score 78 < 80; soft_skills 0 ≠ 1.
    r = result(out, "J2", J2I)
    assert r["eligible"] is False
    assert got(r, "outstanding", "exam", "annual", "soft_skills") == {
        "outstanding": (False, None),
        "exam": (False, 58),
        "annual": (False, 78),
        "soft_skills": (False, 0),
    }


# ---- 中级 → 高级 ---------------------------------------------------------------------------------------


def test_intermediate_eligible_at_exactly_80(out):
    # I1: outstanding 1 (2026-05-10, intermediate since 2024-07-01); senior_exam 90; 2025 score exactly 80
    # (80分以上 includes 80); soft_skills 1 → eligible.
    r = result(out, "I1", I2S)
    assert r["eligible"] is True
    assert (r["from_level"], r["to_level"]) == ("intermediate", "senior")
    assert got(r, "outstanding", "exam", "annual", "soft_skills") == {
        "outstanding": (True, 1),
        "exam": (True, 90),
        "annual": (True, 80),
        "soft_skills": (True, 1),
    }


def test_intermediate_latest_judgement_and_missing_data(out):
    # I2: outstanding 1 (2026-02-01) then 0 (2026-08-01) → latest 0; senior_exam never taken → null;
    # 2025 score 79 < 80 (2026's 95 is an incomplete year); soft_skills never recorded → null.
    r = result(out, "I2", I2S)
    assert r["eligible"] is False
    assert got(r, "outstanding", "exam", "annual", "soft_skills") == {
        "outstanding": (False, 0),
        "exam": (False, None),
        "annual": (False, 79),
        "soft_skills": (False, None),
    }


def test_intermediate_latest_exam_attempt_counts(out):
    # I3: senior_exam 70 (2026-10-10) then 59 (2026-11-20) → latest 59 < 60 → the only failure.
    r = result(out, "I3", I2S)
    assert r["eligible"] is False
    assert crit(r, "exam") == {**crit(r, "exam"), "passed": False, "actual": 59, "required": 60}
    assert [c["id"] for c in r["criteria"] if not c["passed"]] == ["exam"]


def test_senior_is_the_top(out):
    # S1 is senior, the top of the path: no promotion result; eligible: T1, J1, I1.
    assert not has_result(out, "S1", I2S)
    assert not any(r["employee_id"] == "S1" for r in out["results"])
    eligible = sorted(r["employee_id"] for r in out["results"] if r["eligible"])
    assert eligible == ["I1", "J1", "T1"]
