"""The pay change of one decided move (an appointment, a demotion case), computed as the month's run will
record it. Amounts worked out by hand from the policies' `pay:` (SEEDS: salary-grade-quarterly ±10% of base
pay from the month after; step-raise a raise of 500–800 yuan a month from the month after)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rungs.core.policy.parse import load_policy
from rungs.core.rewards.pay import move_pay_change

ROOT = Path(__file__).resolve().parents[3]


def test_a_promotion_raises_base_pay_by_ten_percent_from_the_next_month():
    policy = load_policy(ROOT / "examples/policies/salary-grade-quarterly.yaml")
    change = move_pay_change(
        policy,
        employee_id="E1",
        base_pay="4850.50",
        track="grade",
        from_level="junior",
        to_level="senior",
        kind="promotion",
        effective=dt.date(2026, 12, 1),
    )
    assert change is not None
    # 4850.50 × 1.10 = 5335.55, from January (pay_effective: next_month)
    assert (change["from"], change["to"], change["effective"]) == ("4850.50", "5335.55", "2027-01")
    assert "晋升" in change["explanation_zh"] and "5335.55" in change["explanation_zh"]


def test_a_demotion_cuts_it_by_ten_percent():
    policy = load_policy(ROOT / "examples/policies/salary-grade-quarterly.yaml")
    change = move_pay_change(
        policy,
        employee_id="E1",
        base_pay="6000",
        track="grade",
        from_level="senior",
        to_level="junior",
        kind="demotion",
        effective=dt.date(2026, 7, 15),
    )
    assert change is not None
    assert (change["from"], change["to"], change["effective"]) == ("6000.00", "5400.00", "2026-08")


def test_a_raise_range_gives_the_lowest_and_highest_new_base():
    policy = load_policy(ROOT / "examples/policies/step-raise.yaml")
    change = move_pay_change(
        policy,
        employee_id="E1",
        base_pay="5000",
        track="post",
        from_level="junior",
        to_level="intermediate",
        kind="promotion",
        effective=dt.date(2026, 3, 1),
    )
    assert change is not None
    assert change["to"] is None  # people decide within the range
    assert (change["to_min"], change["to_max"], change["effective"]) == ("5500.00", "5800.00", "2026-04")


def test_a_move_without_a_pay_effect_has_none_and_no_base_pay_is_said():
    policy = load_policy(ROOT / "examples/policies/notice-workflow.yaml")
    rule = policy.promotions()[0]
    assert rule.pay is None
    assert (
        move_pay_change(
            policy,
            employee_id="E1",
            base_pay="5000",
            track=rule.track,
            from_level=rule.levels[0],
            to_level=rule.to_level or "",
            kind="promotion",
            effective=dt.date(2026, 3, 1),
        )
        is None
    )
    grade = load_policy(ROOT / "examples/policies/salary-grade-quarterly.yaml")
    unknown = move_pay_change(
        grade,
        employee_id="E1",
        base_pay=None,
        track="grade",
        from_level="junior",
        to_level="senior",
        kind="promotion",
        effective=dt.date(2026, 3, 1),
    )
    assert unknown is not None and unknown["from"] is None and "无基本工资" in unknown["explanation_zh"]
