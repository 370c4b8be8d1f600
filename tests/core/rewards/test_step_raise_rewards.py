"""step-raise pay effects: raise ranges of promotions and recorded pay steps, worked out by hand from
SEEDS.md (+500–800, +1,000–1,200, +1,200–1,500 yuan a month) and examples/data/step-raise."""

from __future__ import annotations

from pathlib import Path

from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.parse import load_policy
from rungs.core.rewards.cycle import parse_cycle
from rungs.core.rewards.report import to_json_obj
from rungs.core.rewards.run import run_rewards

ROOT = Path(__file__).resolve().parents[3]


def test_raise_ranges_and_pay_step():
    policy = load_policy(ROOT / "examples/policies/step-raise.yaml")
    out = to_json_obj(
        run_rewards(policy, read_dataset(ROOT / "examples/data/step-raise"), parse_cycle("2026-04"))
    )
    got = {
        p["employee_id"]: (p["reason"], p["from"], p["to"], p["to_min"], p["to_max"], p["effective"])
        for p in out["pay_changes"]
    }
    assert got == {
        # R01 junior → intermediate on 2026-04-01: 4000.00 + 500..800 → 4500.00..4800.00, decided by people.
        "R01": ("promotion", "4000.00", None, "4500.00", "4800.00", "2026-05"),
        # R04 intermediate → senior: 5200.50 + 1000..1200 → 6200.50..6400.50.
        "R04": ("promotion", "5200.50", None, "6200.50", "6400.50", "2026-05"),
        # R05 senior → supervisor: 7000.00 + 1200..1500 → 8200.00..8500.00.
        "R05": ("promotion", "7000.00", None, "8200.00", "8500.00", "2026-05"),
        # R06 pay step recorded 2026-04-15 with 300 a month: 6500.00 → 6800.00.
        "R06": ("pay_step", "6500.00", "6800.00", "6800.00", "6800.00", "2026-05"),
    }
    assert out["lines"] == []
    assert out["warnings"] == []


def test_no_moves_no_changes():
    policy = load_policy(ROOT / "examples/policies/step-raise.yaml")
    out = to_json_obj(
        run_rewards(policy, read_dataset(ROOT / "examples/data/step-raise"), parse_cycle("2026-03"))
    )
    assert out["pay_changes"] == []
