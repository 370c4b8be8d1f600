"""notice-workflow (客服部晋升体制管理制度及规章制度): expectations worked out by hand from SEEDS.md.

Each promotion (junior → senior → supervisor) needs: mean csat of the last 12 complete months ≥ 90, mean
complaint rate ≤ 0.01, the target post's training course completed, attestation `teamwork`, ≥ 12 months in
the current post. Warning: in the first 12 months of a post without a passed `post_assessment` taken at
that level. The names are posted for 5 Chinese working days. Evaluated on 2026-07-01: the last 12 complete
months are 2025-07 … 2026-06.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.notice import Deadline, notice_end
from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 7, 1)
UP1, UP2, WARN = "junior-senior", "senior-supervisor", "new-post-assessment"


@pytest.fixture(scope="module")
def out() -> dict:
    return run("notice-workflow", AS_OF)


def check(res: dict, expected: dict[str, tuple[bool, object]]) -> None:
    got = {cid: (crit(res, cid)["passed"], crit(res, cid)["actual"]) for cid in expected}
    assert got == expected


def test_it_loads_with_the_levels_and_the_five_day_notice():
    policy = load_policy(policy_path("notice-workflow"))
    assert policy.id == "notice-workflow"
    assert policy.tracks["post"].path == ("junior", "senior", "supervisor")
    assert policy.procedure.notice_working_days == 5
    assert "notice" in policy.procedure.steps and "objection_mediation" in policy.procedure.steps


def test_the_notice_period_counts_chinese_working_days_from_the_posting_day():
    days = load_policy(policy_path("notice-workflow")).procedure.notice_working_days
    # 公示期自发布之日起计算. Posted Monday 2026-09-28: Mon 28 (1), Tue 29 (2), Wed 30 (3), 1–7 October
    # National Day holiday, Thu 8 (4), Fri 9 (5) → the notice closes at the end of 2026-10-09.
    assert notice_end(dt.date(2026, 9, 28), days) == Deadline(dt.date(2026, 10, 9))
    # Posted Wednesday 2026-02-11: Wed 11 (1), Thu 12 (2), Fri 13 (3), Saturday 14 February is a make-up
    # working day (4), 15–23 February Spring Festival, Tue 24 (5) → ends 2026-02-24.
    assert notice_end(dt.date(2026, 2, 11), days) == Deadline(dt.date(2026, 2, 24))
    # Posted Saturday 2026-06-06, not a working day: day 1 is Monday 8 June, so it ends Friday 12 June.
    assert notice_end(dt.date(2026, 6, 6), days) == Deadline(dt.date(2026, 6, 12))


def test_junior_meeting_every_standard(out):
    # N01 junior since 2025-06-15 → 2026-07-01: 13 steps, 15 > 1 → 12 months ≥ 12 → pass. csat 91/93
    # alternating → mean 92 ≥ 90 → pass; complaint rate 0.004/0.006 → mean 0.005 ≤ 0.01 → pass; course
    # `senior` (the target post) completed → 1 ≥ 1; teamwork = 1 → eligible.
    res = result(out, "N01", UP1)
    assert res["eligible"] is True
    check(res, {"csat": (True, 92), "training": (True, 1), "teamwork": (True, 1), "tenure": (True, 12)})
    rate = crit(res, "complaint_rate")
    assert rate["passed"] is True and rate["actual"] == pytest.approx(0.005)


def test_junior_low_satisfaction_and_short_tenure(out):
    # N02: csat 89/90 → mean 89.5 < 90 → fail; junior since 2025-08-01 → 11 months < 12 → fail;
    # complaint rate mean 0.008 ≤ 0.01 → pass.
    res = result(out, "N02", UP1)
    assert res["eligible"] is False
    check(res, {"csat": (False, 89.5), "tenure": (False, 11), "training": (True, 1)})
    assert crit(res, "complaint_rate")["passed"] is True


def test_junior_complaints_wrong_course_and_no_teamwork(out):
    # N03: csat 88/92 → mean 90, 90 ≥ 90 → pass (boundary); complaint rate 0.01/0.02 → mean 0.015 > 0.01
    # → fail; the only course is `junior` (its own post), not the target `senior` → 0 → fail; teamwork
    # attested 0 → fail. Junior since 2024-03-01 → 28 months → pass.
    res = result(out, "N03", UP1)
    assert res["eligible"] is False
    check(res, {"csat": (True, 90), "training": (False, 0), "teamwork": (False, 0), "tenure": (True, 28)})
    rate = crit(res, "complaint_rate")
    assert rate["passed"] is False and rate["actual"] == pytest.approx(0.015)


def test_junior_without_satisfaction_data_or_teamwork_attestation(out):
    # N04: no csat at all in the window → null → fail; teamwork never attested → null → fail.
    # Junior since 2023-01-01 → 42 months.
    res = result(out, "N04", UP1)
    assert res["eligible"] is False
    check(res, {"csat": (False, None), "teamwork": (False, None), "tenure": (True, 42)})


def test_seniors_eligible_for_supervisor(out):
    # N05 senior since 2024-09-01 → 22 months ≥ 12; csat 95; complaint 0.002; course `supervisor` done;
    # teamwork 1 → eligible. N09 senior since 2022-01-01 → 54 months; csat 90/92 → 91; complaint mean
    # 0.004; course `supervisor`; teamwork 1 → eligible.
    for emp, months, csat in (("N05", 22, 95), ("N09", 54, 91)):
        res = result(out, emp, UP2)
        assert res["eligible"] is True
        check(
            res,
            {"csat": (True, csat), "training": (True, 1), "teamwork": (True, 1), "tenure": (True, months)},
        )


def test_recently_promoted_seniors_are_not_yet_eligible(out):
    # N06 senior since 2025-11-01 → 8 months < 12 → fail; no `supervisor` course → 0 → fail.
    # N07 senior since 2025-12-01 → 7 months → fail.
    check(result(out, "N06", UP2), {"tenure": (False, 8), "training": (False, 0), "csat": (True, 91)})
    check(result(out, "N07", UP2), {"tenure": (False, 7), "csat": (True, 93)})
    assert not has_result(out, "N08", UP2)  # N08 is supervisor, the top of the path


# Warning: (employee, triggered, months in post, assessment actual)
WARNINGS = [
    # N06: 8 months < 12 → in the first year; its only post_assessment (85, 2025-10-15) predates the
    # senior post (2025-11-01) → no assessment at this level → not passed → triggered.
    ("N06", True, 8, None),
    # N08 supervisor since 2026-03-01 → 4 months; assessment 52 < 60 → not passed → triggered.
    ("N08", True, 4, 52),
    # N07: 7 months, assessment 78 ≥ 60 → passed → not triggered.
    ("N07", False, 7, 78),
    # N05 (22 months) and N09 (54 months) are past their first year → not triggered, although they
    # never took the assessment.
    ("N05", False, 22, None),
    ("N09", False, 54, None),
]


@pytest.mark.parametrize(("emp", "triggered", "months", "score"), WARNINGS)
def test_new_post_assessment_warning(out, emp, triggered, months, score):
    res = result(out, emp, WARN)
    assert res["kind"] == "warning"
    assert res["eligible"] is triggered
    assert (crit(res, "new_in_post")["passed"], crit(res, "new_in_post")["actual"]) == (months < 12, months)
    pending = crit(res, "assessment_pending")
    assert pending["passed"] is (score is None or score < 60)
    assert crit(res, "assessment_pending.assessment")["actual"] == score


def test_juniors_get_no_new_post_warning(out):
    assert not any(has_result(out, e, WARN) for e in ("N01", "N02", "N03", "N04"))
