"""The pay change of one decided move (an appointment, a demotion case), computed as the month's run will
record it. Amounts worked out by hand from the policies' `pay:` (SEEDS: salary-grade-quarterly ±10% of base
pay from the month after; step-raise a raise of 500–800 yuan a month from the month after)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rungs.core.policy.parse import load_policy
from rungs.core.rewards.pay import move_pay_change

ROOT = Path(__file__).resolve().parents[3]


def change(scheme, base, track, move, kind, effective):
    return move_pay_change(
        load_policy(ROOT / f"examples/policies/{scheme}.yaml"),
        employee_id="E1",
        base_pay=base,
        track=track,
        from_level=move[0],
        to_level=move[1],
        kind=kind,
        effective=effective,
    )


def test_a_promotion_raises_base_pay_by_ten_percent_from_the_next_month():
    got = change(
        "salary-grade-quarterly", "4850.50", "grade", ("junior", "senior"), "promotion", dt.date(2026, 12, 1)
    )
    assert got is not None
    # 4850.50 × 1.10 = 5335.55, from January (pay_effective: next_month)
    assert (got["from"], got["to"], got["effective"]) == ("4850.50", "5335.55", "2027-01")
    assert "晋升" in got["explanation_zh"] and "5335.55" in got["explanation_zh"]


def test_a_demotion_cuts_it_by_ten_percent():
    got = change(
        "salary-grade-quarterly", "6000", "grade", ("senior", "junior"), "demotion", dt.date(2026, 7, 15)
    )
    assert got is not None
    assert (got["from"], got["to"], got["effective"]) == ("6000.00", "5400.00", "2026-08")


def test_a_raise_range_gives_the_lowest_and_highest_new_base():
    got = change("step-raise", "5000", "post", ("junior", "intermediate"), "promotion", dt.date(2026, 3, 1))
    assert got is not None
    assert got["to"] is None  # people decide within the range
    assert (got["to_min"], got["to_max"], got["effective"]) == ("5500.00", "5800.00", "2026-04")


def test_a_move_without_a_pay_effect_has_none_and_no_base_pay_is_said():
    rule = load_policy(ROOT / "examples/policies/notice-workflow.yaml").promotions()[0]
    assert rule.pay is None
    move = (rule.levels[0], rule.to_level or "")
    assert change("notice-workflow", "5000", rule.track, move, "promotion", dt.date(2026, 3, 1)) is None
    unknown = change(
        "salary-grade-quarterly", None, "grade", ("junior", "senior"), "promotion", dt.date(2026, 3, 1)
    )
    assert unknown is not None and unknown["from"] is None and "无基本工资" in unknown["explanation_zh"]
