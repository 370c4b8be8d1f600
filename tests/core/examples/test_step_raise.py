"""step-raise (客服部员工晋升晋级管理方案): expectations worked out by hand from SEEDS.md.

Promotion (晋升) conditions, the same for each post: ≥ 12 months in the company; mean annual coefficient
≥ 1.1; attestations `independent` and `attitude`; in the 2 months before the evaluation date at most 3
days of sick leave and at most 3 days of personal leave. Raises 500–800 / 1,000–1,200 / 1,200–1,500.
Pay step (晋级): ≥ 12 months since the last pay step (else since the post began) and an attested
outstanding contribution. Evaluated on 2026-03-01: the leave window is 2026-01-01 ≤ date < 2026-03-01,
complete years are up to 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def out() -> dict:
    return run("step-raise", AS_OF)


def check(res: dict, expected: dict[str, tuple[bool, object]]) -> None:
    got = {cid: (crit(res, cid)["passed"], crit(res, cid)["actual"]) for cid in expected}
    assert got == expected


def test_it_loads_with_the_canonical_ids_raises_and_skip_approval():
    policy = load_policy(policy_path("step-raise"))
    assert policy.id == "step-raise"
    assert policy.tracks["post"].path == ("junior", "intermediate", "senior", "supervisor")
    raises = {r.id: (r.to_level, r.pay.raise_min, r.pay.raise_max) for r in policy.promotions()}
    assert raises == {
        "junior-intermediate": ("intermediate", 500, 800),
        "intermediate-senior": ("senior", 1000, 1200),
        "senior-supervisor": ("supervisor", 1200, 1500),
    }
    assert [r.kind for r in policy.rules if r.id == "pay-step"] == ["pay_step"]
    assert policy.procedure.skip_level == "general_manager"


def test_junior_meeting_every_condition_at_the_limits(out):
    # R01 hired 2024-07-01 → 20 months ≥ 12 → pass. Coefficients 2024 1.1, 2025 1.1 → mean 1.1 ≥ 1.1 → pass.
    # Sick 2 days (2026-01-15) ≤ 3 → pass; personal 3 days (2026-02-10) ≤ 3 (不超过 includes 3) → pass.
    # independent = 1, attitude = 1 → eligible.
    res = result(out, "R01", "junior-intermediate")
    assert res["eligible"] is True
    check(
        res,
        {
            "company_tenure": (True, 20),
            "coefficient": (True, 1.1),
            "independent": (True, 1),
            "sick_leave": (True, 2),
            "personal_leave": (True, 3),
            "attitude": (True, 1),
        },
    )


def test_junior_not_a_year_in_the_company(out):
    # R02 hired 2025-04-01 → 11 months < 12 → fail; coefficient 2025 1.3 → pass; no leave → 0 days → pass.
    res = result(out, "R02", "junior-intermediate")
    assert res["eligible"] is False
    check(
        res,
        {
            "company_tenure": (False, 11),
            "coefficient": (True, 1.3),
            "sick_leave": (True, 0),
            "personal_leave": (True, 0),
        },
    )


def test_junior_without_any_coefficient(out):
    # R08 hired 2025-01-02: Jan 2 2025 → Mar 1 2026 is 14 steps, 2 > 1 → 13 months → pass; no annual
    # coefficient recorded → mean unknown → actual null → fail.
    res = result(out, "R08", "junior-intermediate")
    assert res["eligible"] is False
    check(res, {"company_tenure": (True, 13), "coefficient": (False, None)})


def test_intermediate_with_a_low_coefficient_and_too_much_sick_leave(out):
    # R03: coefficients 1.0, 1.1, 1.0 → mean 3.1 / 3 = 1.0333 < 1.1 → fail. Sick leave in the window:
    # 2 (2026-01-05) + 2 (2026-02-20) = 4 > 3 → fail (the 5 days of 2025-12-20 are before the window).
    # Personal 1 ≤ 3 → pass. Hired 2022-05-01 → 46 months → pass.
    res = result(out, "R03", "intermediate-senior")
    assert res["eligible"] is False
    check(
        res,
        {
            "company_tenure": (True, 46),
            "coefficient": (False, 1.0333),
            "sick_leave": (False, 4),
            "personal_leave": (True, 1),
        },
    )


def test_intermediate_with_too_much_personal_leave(out):
    # R04: coefficients 1.2, 1.2, 1.1 → mean 3.5 / 3 = 1.1667 → pass. Sick 3 (2026-02-28) ≤ 3 → pass;
    # the 2 days dated 2026-03-01 (the evaluation date) do not count. Personal 1 (2026-01-01, first day
    # of the window) + 3 (2026-02-03) = 4 > 3 → fail. Annual leave (10 days) is neither sick nor personal.
    # Hired 2023-01-09: 38 steps, 9 > 1 → 37 months.
    res = result(out, "R04", "intermediate-senior")
    assert res["eligible"] is False
    check(
        res,
        {
            "company_tenure": (True, 37),
            "coefficient": (True, 1.1667),
            "sick_leave": (True, 3),
            "personal_leave": (False, 4),
            "attitude": (True, 1),
        },
    )


def test_senior_without_an_attitude_attestation(out):
    # R05: coefficients 1.1, 1.2, 1.3, 1.2, 1.2 → mean 6.0 / 5 = 1.2 → pass; attitude never attested →
    # null → fail. Hired 2020-09-01 → 66 months.
    res = result(out, "R05", "senior-supervisor")
    assert res["eligible"] is False
    check(
        res,
        {
            "company_tenure": (True, 66),
            "coefficient": (True, 1.2),
            "independent": (True, 1),
            "attitude": (False, None),
        },
    )


def test_senior_not_independent(out):
    # R06: independent attested 0 → fail; coefficients 1.2, 1.3, 1.1, 1.2 → mean 1.2 → pass.
    res = result(out, "R06", "senior-supervisor")
    assert res["eligible"] is False
    check(res, {"coefficient": (True, 1.2), "independent": (False, 0), "attitude": (True, 1)})


def test_supervisor_has_no_promotion_above_it(out):
    assert not has_result(out, "R07", "senior-supervisor")
    assert [r["rule"] for r in out["results"] if r["employee_id"] == "R07"] == ["pay-step"]


# Pay step (晋级): (employee, eligible, interval passed/actual, contribution passed/actual)
PAY_STEPS = [
    # R07: last pay step 2025-01-15 → 2026-03-01 is 14 steps, 15 > 1 → 13 months ≥ 12 → pass;
    # outstanding_contribution = 1 → eligible.
    ("R07", True, (True, 13), (True, 1)),
    # R04: last pay step 2025-03-01 → exactly 12 months → pass; contribution 1 → eligible.
    ("R04", True, (True, 12), (True, 1)),
    # R03: last pay step 2025-08-01 → 7 months < 12 → fail (contribution 1 does not help).
    ("R03", False, (False, 7), (True, 1)),
    # R06: last pay step 2025-06-10 → 9 steps, 10 > 1 → 8 months → fail.
    ("R06", False, (False, 8), (True, 1)),
    # R01: no pay step yet → counted from the post's start 2024-07-01 → 20 months → pass;
    # no contribution attested → null → fail.
    ("R01", False, (True, 20), (False, None)),
    # R02: no pay step; in post since 2025-04-01 → 11 months → fail.
    ("R02", False, (False, 11), (False, None)),
    # R05: in post since 2023-09-01 → 30 months → pass; contribution attested 0 → fail.
    ("R05", False, (True, 30), (False, 0)),
]


@pytest.mark.parametrize(("emp", "eligible", "interval", "contribution"), PAY_STEPS)
def test_pay_step(out, emp, eligible, interval, contribution):
    res = result(out, emp, "pay-step")
    assert res["kind"] == "pay_step"
    assert res["eligible"] is eligible
    check(res, {"interval": interval, "contribution": contribution})
