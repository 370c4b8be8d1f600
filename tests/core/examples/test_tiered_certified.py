"""tiered-certified (客服晋升方案 一级/二级/三级/高级): expectations worked out by hand from SEEDS.md.

level1 → level2: ≥ 24 months in post, attestation `independent`, certificate `internal_training`,
attestation `outstanding`. level2 → level3: ≥ 36 months in post, mean csat of the last 12 months minus the
mean of the 12 before ≥ 1, an `improvement_implemented` event since becoming level2, attestation
`communication`. Evaluated on 2026-07-01: the last 12 complete months are 2025-07 … 2026-06, the 12
before are 2024-07 … 2025-06.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, policy_path, result, run

AS_OF = dt.date(2026, 7, 1)
UP1, UP2 = "level1-level2", "level2-level3"


@pytest.fixture(scope="module")
def out() -> dict:
    return run("tiered-certified", AS_OF)


def check(res: dict, expected: dict[str, tuple[bool, object]]) -> None:
    got = {cid: (crit(res, cid)["passed"], crit(res, cid)["actual"]) for cid in expected}
    assert got == expected


def test_it_loads_with_the_canonical_ids():
    policy = load_policy(policy_path("tiered-certified"))
    assert policy.id == "tiered-certified"
    assert policy.tracks["tier"].path == ("level1", "level2", "level3", "top")
    assert [r.id for r in policy.promotions()] == [UP1, UP2]


def test_level1_all_met(out):
    # T01 level1 since 2024-06-15: 2024-06 → 2026-07 is 25 month-steps, day 15 > 1 → 24 months ≥ 24 → pass;
    # independent = 1, one internal_training certificate (1 ≥ 1), outstanding = 1 → eligible.
    res = result(out, "T01", UP1)
    assert res["eligible"] is True
    check(
        res,
        {
            "tenure": (True, 24),
            "independent": (True, 1),
            "internal_training": (True, 1),
            "outstanding": (True, 1),
        },
    )


def test_level1_too_short_in_post(out):
    # T02 level1 since 2024-09-01: 2024-09-01 → 2026-07-01 = 22 months < 24 → fail; the rest passes.
    res = result(out, "T02", UP1)
    assert res["eligible"] is False
    check(res, {"tenure": (False, 22), "independent": (True, 1), "internal_training": (True, 1)})


def test_level1_not_independent_and_wrong_certificate(out):
    # T03 level1 since 2023-03-01: 40 months ≥ 24 → pass; independent attested 0 → fail; the only
    # certificate is fire_safety, not internal_training → count 0 < 1 → fail.
    res = result(out, "T03", UP1)
    assert res["eligible"] is False
    check(
        res,
        {
            "tenure": (True, 40),
            "independent": (False, 0),
            "internal_training": (False, 0),
            "outstanding": (True, 1),
        },
    )


def test_level1_latest_outstanding_judgement_counts(out):
    # T04: outstanding attested 1 on 2025-06-01, then 0 on 2026-03-01 → the latest (0) counts → fail.
    # Tenure 2024-01-01 → 2026-07-01 = 30 months → pass.
    res = result(out, "T04", UP1)
    assert res["eligible"] is False
    check(res, {"tenure": (True, 30), "outstanding": (False, 0)})


def test_level2_all_met(out):
    # T05 level2 since 2023-05-01: 38 months ≥ 36 → pass. csat alternates 87/89 in 2024-07 … 2025-06
    # (mean 88) and 89/90 in 2025-07 … 2026-06 (mean 89.5) → +1.5 ≥ 1 → pass. Improvement implemented
    # 2025-11-10, after becoming level2 → 1 ≥ 1 → pass. communication = 1 → eligible.
    res = result(out, "T05", UP2)
    assert res["eligible"] is True
    check(
        res,
        {
            "tenure": (True, 38),
            "csat_gain": (True, 1.5),
            "improvement": (True, 1),
            "communication": (True, 1),
        },
    )


def test_level2_fails_tenure_gain_and_improvement(out):
    # T06 level2 since 2023-08-01: 2023-08 → 2026-07 = 35 months < 36 → fail. csat mean 91 → 91.5
    # (91/92 alternating) → +0.5 < 1 → fail. The only improvement (2023-06-01) predates level2
    # (2023-08-01) → 0 since the level → fail. communication = 1 → pass.
    res = result(out, "T06", UP2)
    assert res["eligible"] is False
    check(
        res,
        {
            "tenure": (False, 35),
            "csat_gain": (False, 0.5),
            "improvement": (False, 0),
            "communication": (True, 1),
        },
    )


def test_level2_boundaries_and_a_missing_attestation(out):
    # T07 level2 since 2023-07-01: exactly 36 months → pass (满3年). csat 84/86 (mean 85) → 85/87 (mean 86)
    # → +1 exactly, 以上 includes 1 → pass. Improvement dated 2026-06-30, the day before the evaluation
    # → counts → pass. communication never attested → actual null → fail.
    res = result(out, "T07", UP2)
    assert res["eligible"] is False
    check(
        res,
        {
            "tenure": (True, 36),
            "csat_gain": (True, 1),
            "improvement": (True, 1),
            "communication": (False, None),
        },
    )


def test_level2_without_a_previous_year_of_csat(out):
    # T08 has csat only for 2025-07 … 2026-06: no values in the 12 months before → the change is
    # unknown → actual null → fail. Tenure 2022-01-01 → 2026-07-01 = 54 months → pass.
    res = result(out, "T08", UP2)
    assert res["eligible"] is False
    check(res, {"tenure": (True, 54), "csat_gain": (False, None), "improvement": (True, 1)})


def test_it_states_no_promotion_beyond_level3(out):
    # The document gives no conditions for 三级 → 高级: T09 (level3) and T10 (top) get no result.
    assert [r for r in out["results"] if r["employee_id"] in ("T09", "T10")] == []
