"""ecommerce-grades (客服部岗位晋升标准): expected results worked out by hand from SEEDS.md and
examples/data/ecommerce-grades, evaluated on 2026-07-01.

At 2026-07-01: the latest complete month is 2026-06; "the last 3 months" of events are
2026-04-01 ≤ date < 2026-07-01 (6 months: from 2026-01-01, 12 months: from 2025-07-01).

Team 一组 combined rank (sum of the ranks on KPI score, conversion, response, order value, then ranked):
2026-03…05 every measure has the same order, so the combined rank is that order:
  03: D1, D2, D4, D3, D5   04: D1, D3, D2, D4, D5   05: D3, D1, D4, D2, D5
2026-06 the measures disagree:
  score D4 1, D1 2, D2 3, D3 4, D5 5; conversion D1 1, D2 2, D3 3, D4 4, D5 5;
  response D3 1, D1 2, D2 3, D4 4, D5 5; order value D2 1, D3 2, D1 3, D5 4, D4 5
  sums D1 2+1+2+3 = 8, D2 3+2+3+1 = 9, D3 4+3+1+2 = 10, D4 1+4+4+5 = 14, D5 5+5+5+4 = 19
  → combined D1 1, D2 2, D3 3, D4 4 (although first on the KPI score), D5 5.
Runs of combined rank ≤ 3 ending 2026-06: D1 06,05,04,03 → 4; D2 06 then 05 is rank 4 → 1;
D3 06,05,04 (03 rank 4) → 3; D4 06 rank 4 → 0; D5 → 0.
Team 二组: C1, C2, B1 are 1st, 2nd, 3rd on every measure in 2026-01…06 → runs of 6.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 7, 1)
I2D = "grade.intern-grade_d"
D2C = "grade.grade_d-grade_c"
C2B = "grade.grade_c-grade_b"
B2A = "grade.grade_b-grade_a"
WARN = "probation-failed"


@pytest.fixture(scope="module")
def out():
    return run("ecommerce-grades", AS_OF)


def test_policy_loads_with_canonical_ids():
    p = load_policy(policy_path("ecommerce-grades"))
    assert p.id == "ecommerce-grades"
    assert p.tracks["grade"].path == ("intern", "grade_d", "grade_c", "grade_b", "grade_a")
    assert p.procedure.effective == "next_month"


def test_no_warnings(out):
    assert out["warnings"] == []


# ---- intern → grade D ----------------------------------------------------------------------------------


def test_intern_passes_every_assessment(out):
    # I1: theory 85 ≥ 80, practical 88 ≥ 85, typing 45 ≥ 40 (2026-06), product 70 ≥ 60 → eligible.
    r = result(out, "I1", I2D)
    assert r["eligible"] is True
    assert [crit(r, c)["actual"] for c in ("theory", "practical", "typing", "product")] == [85, 88, 45, 70]


def test_intern_theory_and_product_fail(out):
    # I2: theory 79 < 80 → fail; practical 90 passes; product 55 < 60 → fail; typing 45 passes.
    r = result(out, "I2", I2D)
    assert r["eligible"] is False
    assert crit(r, "theory") == {**crit(r, "theory"), "passed": False, "actual": 79}
    assert crit(r, "product") == {**crit(r, "product"), "passed": False, "actual": 55}
    assert crit(r, "practical")["passed"] is True
    assert crit(r, "typing")["passed"] is True


def test_intern_practical_and_typing_fail(out):
    # I3: theory 75 then a retake 82 → latest 82 ≥ 80 passes; practical 80 < 85 → fail; typing 35 < 40 →
    # fail; product exactly 60 → passes.
    r = result(out, "I3", I2D)
    assert r["eligible"] is False
    assert crit(r, "theory") == {**crit(r, "theory"), "passed": True, "actual": 82}
    assert crit(r, "practical") == {**crit(r, "practical"), "passed": False, "actual": 80}
    assert crit(r, "typing") == {**crit(r, "typing"), "passed": False, "actual": 35}
    assert crit(r, "product") == {**crit(r, "product"), "passed": True, "actual": 60}


def test_intern_not_yet_assessed(out):
    # I4 (hired 2026-06-22) has no exam and no typing speed → every actual null → not eligible.
    r = result(out, "I4", I2D)
    assert r["eligible"] is False
    assert all(c["actual"] is None and c["passed"] is False for c in r["criteria"])


def test_probation_failed_warning(out):
    # I2: theory 79 < 80 and product 55 < 60 → flagged; I3: practical 80 < 85 and typing 35 < 40 → flagged.
    r = result(out, "I2", WARN)
    assert r["kind"] == "warning"
    assert r["eligible"] is True
    assert [
        crit(r, c)["passed"] for c in ("theory_failed", "practical_failed", "typing_failed", "product_failed")
    ] == [
        True,
        False,
        False,
        True,
    ]
    r = result(out, "I3", WARN)
    assert r["eligible"] is True
    assert crit(r, "practical_failed")["passed"] is True
    assert crit(r, "typing_failed")["passed"] is True


def test_probation_warning_not_for_a_pass_or_before_assessment(out):
    # I1 passed everything → not flagged; I4 not yet assessed (null) → not flagged.
    assert result(out, "I1", WARN)["eligible"] is False
    assert result(out, "I4", WARN)["eligible"] is False
    assert not has_result(out, "D1", WARN)


# ---- grade D → grade C ---------------------------------------------------------------------------------


def test_d_to_c_eligible(out):
    # D1: hired 2025-04-01 → 15 months ≥ 12 (counted from hire, SEEDS.md); run 4 ≥ 3; the complaint of 2026-03-31 is before 2026-04-01
    # → 0 in 3 months; excellent employee 2026-05-20 → 1 ≥ 1 → eligible.
    r = result(out, "D1", D2C)
    assert r["eligible"] is True
    assert crit(r, "tenure")["actual"] == 15
    assert crit(r, "top3_months")["actual"] == 4
    assert crit(r, "no_complaint")["actual"] == 0
    assert crit(r, "excellent_employee")["actual"] == 1


def test_d_to_c_rank_four_resets_the_count(out):
    # D2: rank 4 in 2026-05 resets; only 2026-06 (rank 2) counts → 1 < 3 → fail
    # (hired 2025-02-01 → 17 months; award 2026-04-10 → 1; no complaint).
    r = result(out, "D2", D2C)
    assert r["eligible"] is False
    assert crit(r, "top3_months") == {**crit(r, "top3_months"), "passed": False, "actual": 1}
    assert crit(r, "tenure")["actual"] == 17
    assert crit(r, "excellent_employee")["passed"] is True


def test_d_to_c_complaint_in_last_three_months(out):
    # D3: run 3 ≥ 3 (passes exactly); complaint 2026-05-15 → 1 ≠ 0 → fail; hired 2025-05-01 → 14 months;
    # award 2026-06-05.
    r = result(out, "D3", D2C)
    assert r["eligible"] is False
    assert crit(r, "top3_months") == {**crit(r, "top3_months"), "passed": True, "actual": 3}
    assert crit(r, "no_complaint") == {**crit(r, "no_complaint"), "passed": False, "actual": 1}
    assert crit(r, "tenure")["actual"] == 14


def test_d_to_c_tenure_from_hire_no_award_and_combined_rank(out):
    # D4: hired 2025-07-01 (intern), grade_d since 2025-08-01: employed 12 months ≥ 12 → passes (counted
    # at the grade it would be 11 and fail); first on KPI score in 2026-06 but combined rank 4 → run 0; the
    # only award (2026-03-15) is before 2026-04-01 → 0 < 1 → not eligible.
    r = result(out, "D4", D2C)
    assert r["eligible"] is False
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": True, "actual": 12}
    assert crit(r, "top3_months")["actual"] == 0
    assert crit(r, "excellent_employee") == {**crit(r, "excellent_employee"), "passed": False, "actual": 0}
    # D5: always last → run 0.
    assert crit(result(out, "D5", D2C), "top3_months")["actual"] == 0


# ---- the example's stricter steps ------------------------------------------------------------------------


def test_c_to_b(out):
    # C1: grade_c since 2025-01-01 → 18; run 6 ≥ 6; no complaint since 2026-01-01; awards 2026-02-10 and
    # 2026-05-10 → 2 ≥ 2 → eligible.
    r = result(out, "C1", C2B)
    assert r["eligible"] is True
    assert crit(r, "top3_months")["actual"] == 6
    assert crit(r, "excellent_employee")["actual"] == 2
    # C2: complaint 2026-02-01 (within 6 months) → 1; one award (2026-03-01) → 1 < 2 → not eligible.
    r = result(out, "C2", C2B)
    assert r["eligible"] is False
    assert crit(r, "no_complaint")["actual"] == 1
    assert crit(r, "excellent_employee") == {**crit(r, "excellent_employee"), "passed": False, "actual": 1}
    assert crit(r, "tenure")["actual"] == 15


def test_b_to_a(out):
    # B1: grade_b since 2025-09-01 → 10 < 12; run 6 < 9; no complaint; awards 2025-08-10, 2025-11-10,
    # 2026-02-10, 2026-05-10 all from 2025-07-01 on → 4 ≥ 3.
    r = result(out, "B1", B2A)
    assert r["eligible"] is False
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": False, "actual": 10}
    assert crit(r, "top3_months") == {**crit(r, "top3_months"), "passed": False, "actual": 6}
    assert crit(r, "no_complaint")["passed"] is True
    assert crit(r, "excellent_employee") == {**crit(r, "excellent_employee"), "passed": True, "actual": 4}
