"""staged-score (客服中心晋升方案): expectations worked out by hand from SEEDS.md.

Rules: intern → junior after ≥ 3 months with a stage score ≥ 70; junior → senior after ≥ 6 months with
≥ 80; senior → stage4 after ≥ 12 months with ≥ 90. The stage score is exam `stage`, latest attempt made
during the current stage. Evaluated on 2026-06-01.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def out() -> dict:
    return run("staged-score", AS_OF)


def test_it_loads_with_the_canonical_ids():
    policy = load_policy(policy_path("staged-score"))
    assert policy.id == "staged-score"
    assert policy.tracks["stage"].path == ("intern", "junior", "senior", "stage4")
    assert [r.id for r in policy.promotions()] == ["intern-junior", "junior-senior", "senior-stage4"]


# (employee, rule, eligible, duration passed/actual, stage score passed/actual)
CASES = [
    # S01 intern since 2026-01-05: Jan 5 → Jun 1 is 5 month-steps, day 5 > 1 so 4 whole months ≥ 3 → pass;
    # stage exam 2026-04-20 = 75 ≥ 70 → pass → eligible.
    ("S01", "intern-junior", True, (True, 4), (True, 75)),
    # S02 intern since 2026-03-16: Mar 16 → Jun 1 is 3 steps, 16 > 1 → 2 months < 3 → fail;
    # exam 82 ≥ 70 → pass; not eligible because of the duration alone.
    ("S02", "intern-junior", False, (False, 2), (True, 82)),
    # S03 intern since 2025-12-01: 6 months ≥ 3 → pass; exams 72 (2026-03-01) then 65 (2026-05-10):
    # the latest attempt counts → 65 < 70 → fail.
    ("S03", "intern-junior", False, (True, 6), (False, 65)),
    # S10 intern since 2026-03-01: exactly 3 months ≥ 3 → pass; exam 70 ≥ 70 (及以上 includes 70) → pass.
    ("S10", "intern-junior", True, (True, 3), (True, 70)),
    # S04 junior since 2025-10-01: Oct 1 → Jun 1 = 8 months ≥ 6 → pass; junior-stage exam 2026-05-15 = 85
    # ≥ 80 → pass (the internship exam of 2025-09-20, 78, is earlier and not the latest) → eligible.
    ("S04", "junior-senior", True, (True, 8), (True, 85)),
    # S05 junior since 2026-01-10: Jan 10 → Jun 1 is 5 steps, 10 > 1 → 4 months < 6 → fail; the only stage
    # exam (95, 2025-12-20) was taken as an intern, before the junior stage began → no score for this
    # stage → actual null → fail.
    ("S05", "junior-senior", False, (False, 4), (False, None)),
    # S06 junior since 2025-09-01: 9 months ≥ 6 → pass; junior-stage exam 79 < 80 → fail.
    ("S06", "junior-senior", False, (True, 9), (False, 79)),
    # S07 senior since 2025-05-20: May 20 2025 → Jun 1 2026 is 13 steps, 20 > 1 → 12 months ≥ 12 → pass;
    # senior-stage exam 2026-05-08 = 90 ≥ 90 → pass → eligible.
    ("S07", "senior-stage4", True, (True, 12), (True, 90)),
    # S08 senior since 2025-08-01: 10 months < 12 → fail; exam 93 ≥ 90 → pass.
    ("S08", "senior-stage4", False, (False, 10), (True, 93)),
]


@pytest.mark.parametrize(("emp", "rule", "eligible", "duration", "score"), CASES)
def test_it_applies_each_stage_rule(out, emp, rule, eligible, duration, score):
    res = result(out, emp, rule)
    assert res["eligible"] is eligible
    assert (crit(res, "duration")["passed"], crit(res, "duration")["actual"]) == duration
    assert (crit(res, "stage_score")["passed"], crit(res, "stage_score")["actual"]) == score


def test_it_shows_the_pass_mark_of_each_stage(out):
    # 70 to leave the internship, 80 to leave junior, 90 to leave senior.
    assert crit(result(out, "S01", "intern-junior"), "stage_score")["required"] == 70
    assert crit(result(out, "S04", "junior-senior"), "stage_score")["required"] == 80
    assert crit(result(out, "S07", "senior-stage4"), "stage_score")["required"] == 90


def test_it_has_no_promotion_above_stage_four_and_skips_leavers(out):
    # S09 is at stage4, the top of the path; S11 has left (status 离职).
    assert [r for r in out["results"] if r["employee_id"] in ("S09", "S11")] == []
    assert not has_result(out, "S09", "senior-stage4")
