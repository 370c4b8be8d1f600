"""junior-senior-reserve (客服部员工晋升体制管理制度): expected results worked out by hand from SEEDS.md and
examples/data/junior-senior-reserve, evaluated on 2026-07-01.

At 2026-07-01: the latest complete month is 2026-06, the last 3 months are 2026-04 … 2026-06, the latest
complete quarter is 2026-Q2.
客服一部 average monthly score 2026-04…06: J1 (95+93+94)/3 = 94, J2 (90+92+91)/3 = 91, J4 (88+86+87)/3 = 87,
J5 (75+80+76)/3 = 77, J3 (70+72+74)/3 = 72 → ranks J1 1, J2 2, J4 3, J5 4, J3 5 (trainees have no scores).
客服二部 (I1–I4), each month the one scoring 70 is rank 4, the others score 90/85/80 (ranks 1–3):
rank 4 in 2025-07…10 I4, 2025-11 I2, 2025-12 I3, 2026-01 I4, 2026-02…04 I1, 2026-05…06 I2.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 7, 1)
T2J = "career.trainee-junior"
J2I = "career.junior-intermediate"
DEMOTION = "intermediate-demotion"
WARNING = "junior-bare-pass-warning"


@pytest.fixture(scope="module")
def out():
    return run("junior-senior-reserve", AS_OF)


def test_policy_loads_with_canonical_ids():
    p = load_policy(policy_path("junior-senior-reserve"))
    assert p.id == "junior-senior-reserve"
    assert p.tracks["career"].path == ("trainee", "junior", "intermediate", "senior", "reserve_supervisor")
    assert p.procedure.skip_level == "review_committee"


def test_no_warnings(out):
    assert out["warnings"] == []


# ---- trainee → junior ------------------------------------------------------------------------------


def test_trainee_passing_probation_without_violation(out):
    # T1: probation exam 75 ≥ 60; no penalty → 0 = 0 → eligible.
    r = result(out, "T1", T2J)
    assert r["eligible"] is True
    assert crit(r, "probation_exam") == {**crit(r, "probation_exam"), "passed": True, "actual": 75}
    assert crit(r, "no_violation")["actual"] == 0


def test_trainee_latest_probation_attempt_counts(out):
    # T2: 70 on 2026-06-10, then 55 on 2026-06-25 → the latest 55 < 60 → fail.
    r = result(out, "T2", T2J)
    assert r["eligible"] is False
    assert crit(r, "probation_exam") == {**crit(r, "probation_exam"), "passed": False, "actual": 55}
    assert crit(r, "no_violation")["passed"] is True


def test_trainee_with_a_violation(out):
    # T3: exam 80 passes, but a penalty on 2026-06-15 → 1 ≠ 0 → fail.
    r = result(out, "T3", T2J)
    assert r["eligible"] is False
    assert crit(r, "probation_exam")["passed"] is True
    assert crit(r, "no_violation") == {**crit(r, "no_violation"), "passed": False, "actual": 1}


# ---- junior → intermediate -------------------------------------------------------------------------


def test_junior_eligible(out):
    # J1: hired 2026-01-05 → 2026-06-05 is 5 whole months (07-01 day < 5) ≥ 3; rank 1 ≤ 3;
    # junior since 2026-04-05 → quarters from 2026-Q2: 2026-Q2 A → 1 ≥ 1 → eligible.
    r = result(out, "J1", J2I)
    assert r["eligible"] is True
    assert crit(r, "seniority")["actual"] == 5
    assert crit(r, "monthly_rank")["actual"] == 1
    assert crit(r, "quarterly_a")["actual"] == 1


def test_junior_hired_less_than_three_months_ago(out):
    # J2: hired 2026-04-15 → 2026-06-15 is 2 whole months (07-01 day < 15) < 3 → fail; rank 2; Q2 A.
    r = result(out, "J2", J2I)
    assert r["eligible"] is False
    assert crit(r, "seniority") == {**crit(r, "seniority"), "passed": False, "actual": 2}
    assert crit(r, "monthly_rank") == {**crit(r, "monthly_rank"), "passed": True, "actual": 2}
    assert crit(r, "quarterly_a")["passed"] is True


def test_junior_outside_top_three(out):
    # J5: average 77 → rank 4 > 3 → fail (hired 2025-09-01 → 10 months; 2026-Q1 A since junior 2025-12-01).
    r = result(out, "J5", J2I)
    assert r["eligible"] is False
    assert crit(r, "monthly_rank") == {**crit(r, "monthly_rank"), "passed": False, "actual": 4}
    assert crit(r, "seniority")["actual"] == 10
    assert crit(r, "quarterly_a")["actual"] == 1
    # J3: average 72 → rank 5 → fail.
    assert crit(result(out, "J3", J2I), "monthly_rank")["actual"] == 5


def test_junior_without_a_quarterly_a(out):
    # J4: rank 3 (87) ≤ 3 passes; quarterly grades since 2025-Q2 all B → 0 A < 1 → fail.
    r = result(out, "J4", J2I)
    assert r["eligible"] is False
    assert crit(r, "monthly_rank") == {**crit(r, "monthly_rank"), "passed": True, "actual": 3}
    assert crit(r, "quarterly_a") == {**crit(r, "quarterly_a"), "passed": False, "actual": 0}
    assert crit(r, "seniority")["actual"] == 16  # hired 2025-03-01


def test_no_promotion_rule_for_intermediate(out):
    # The document gives no measurable condition for 中级 → 高级, so intermediates get only the demotion rule.
    assert not any(r["employee_id"] == "I1" and r["kind"] == "promotion" for r in out["results"])


# ---- demotion intermediate → junior ------------------------------------------------------------------


def test_demotion_three_months_outside_top_three(out):
    # I1: intermediate since 2026-01-01; rank 4 in 2026-02, 03, 04 → longest run 3 ≥ 3 → triggered.
    r = result(out, "I1", DEMOTION)
    assert r["eligible"] is True
    assert r["to_level"] == "junior"
    assert crit(r, "ranks_outside_top3") == {**crit(r, "ranks_outside_top3"), "passed": True, "actual": 3}
    assert crit(r, "quarterly_b_twice")["actual"] == 0  # 2026-Q1 A, Q2 A
    assert crit(r, "quarterly_below_b")["actual"] == 0


def test_demotion_two_consecutive_quarterly_b(out):
    # I2: intermediate since 2025-10-01; 2025-Q4 B, 2026-Q1 B → run 2 ≥ 2 → triggered.
    # Ranks since 2025-10: rank 4 in 2025-11, 2026-05, 2026-06 → longest run 2 < 3.
    r = result(out, "I2", DEMOTION)
    assert r["eligible"] is True
    assert crit(r, "quarterly_b_twice") == {**crit(r, "quarterly_b_twice"), "passed": True, "actual": 2}
    assert crit(r, "ranks_outside_top3") == {**crit(r, "ranks_outside_top3"), "passed": False, "actual": 2}
    assert crit(r, "quarterly_below_b")["actual"] == 0


def test_demotion_one_quarterly_grade_below_b(out):
    # I3: intermediate since 2025-07-01; 2025-Q4 C < B → 1 ≥ 1 → triggered (a trigger nobody acted on
    # stays triggered); rank 4 only in 2025-12 → run 1.
    r = result(out, "I3", DEMOTION)
    assert r["eligible"] is True
    assert crit(r, "quarterly_below_b") == {**crit(r, "quarterly_below_b"), "passed": True, "actual": 1}
    assert crit(r, "ranks_outside_top3")["actual"] == 1


def test_demotion_ignores_results_before_the_promotion(out):
    # I4: intermediate since 2026-01-01. Before that (as junior) rank 4 in 2025-07…10 (4 months) and
    # 2025-Q4 C — not counted. Since: rank 4 only 2026-01 → 1; 2026-Q1 B, Q2 A → B run 1; no C/D → 0.
    r = result(out, "I4", DEMOTION)
    assert r["eligible"] is False
    assert crit(r, "ranks_outside_top3")["actual"] == 1
    assert crit(r, "quarterly_b_twice")["actual"] == 1
    assert crit(r, "quarterly_below_b")["actual"] == 0


def test_demotion_applies_only_to_intermediates(out):
    assert not has_result(out, "J1", DEMOTION)


# ---- warning: three bare passes ------------------------------------------------------------------------


def test_warning_three_bare_passes(out):
    # J3: 2026-03 良好, then 04 及格 (70), 05 及格 (72), 06 及格 (74) → run ending 2026-06 is 3 ≥ 3 → flagged.
    r = result(out, "J3", WARNING)
    assert r["kind"] == "warning"
    assert r["eligible"] is True
    assert crit(r, "bare_pass_months")["actual"] == 3


def test_warning_run_broken_by_a_better_month(out):
    # J5: 04 及格, 05 良好, 06 及格 → run 1 < 3 → not flagged; J1 (all 优秀) → run 0.
    r = result(out, "J5", WARNING)
    assert r["eligible"] is False
    assert crit(r, "bare_pass_months")["actual"] == 1
    r = result(out, "J1", WARNING)
    assert r["eligible"] is False
    assert crit(r, "bare_pass_months")["actual"] == 0
