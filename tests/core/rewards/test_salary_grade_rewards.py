"""salary-grade-quarterly pay rules run through the rewards: amounts worked out by hand from SEEDS.md and
examples/data/salary-grade-quarterly (base_pay, monthly commission, CSAT and resolution rate)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.parse import load_policy
from rungs.core.rewards.cycle import parse_cycle
from rungs.core.rewards.report import to_json_obj
from rungs.core.rewards.run import run_rewards

ROOT = Path(__file__).resolve().parents[3]
POLICY = ROOT / "examples" / "policies" / "salary-grade-quarterly.yaml"
DATA = ROOT / "examples" / "data" / "salary-grade-quarterly"


def run(cycle: str, lang: str = "zh") -> dict:
    return to_json_obj(run_rewards(load_policy(POLICY), read_dataset(DATA), parse_cycle(cycle)), lang)


@pytest.fixture(scope="module")
def may() -> dict:
    return run("2026-05")


@pytest.fixture(scope="module")
def october() -> dict:
    return run("2026-10")


def line(out: dict, employee: str, plan: str) -> dict | None:
    found = [x for x in out["lines"] if x["employee_id"] == employee and x["plan"] == plan]
    assert len(found) <= 1
    return found[0] if found else None


# ---- probation: month 1 base only, month 2 base + 50% of commission --------------------------------


def test_probation_month_1_gives_no_commission_line(may):
    # PR2: probation began 2026-05-15, so May is probation month 1: base pay only, although 2100.00 earned.
    assert line(may, "PR2", "commission") is None


def test_probation_month_2_half_of_commission(may):
    # PR1: probation began 2026-04-20 → April is month 1, May month 2: 6300.00 × 50% = 3150.00.
    x = line(may, "PR1", "commission")
    assert x == {
        "employee_id": "PR1",
        "plan": "commission",
        "component": "commission_share",
        "amount": "3150.00",
        "unit": "yuan",
        "explanation": "试用期第2个月：提成 6300.00 × 50%",
        "inputs": {"commission": "6300.00", "share": "0.5", "month_in_level": "2"},
    }
    # PR3: began 2026-04-01 → May is month 2: 4100.50 × 50% = 2050.25.
    assert line(may, "PR3", "commission")["amount"] == "2050.25"


def test_probation_later_month_still_half():
    out = run("2026-06")
    # PR1 is still at probation in June (month 3): 5000.00 × 50% = 2500.00; PR2 month 2: 3000.10 × 50%
    # = 1500.05.
    assert line(out, "PR1", "commission")["amount"] == "2500.00"
    assert line(out, "PR1", "commission")["explanation"] == "试用期延长：提成 5000.00 × 50%"
    assert line(out, "PR2", "commission")["amount"] == "1500.05"


def test_regular_levels_full_commission(may):
    # J1 junior 8000.00 × 100%; J2 became junior on 2026-05-10, the level on May's last day counts: full 5000.00.
    assert line(may, "J1", "commission")["amount"] == "8000.00"
    assert line(may, "J2", "commission")["amount"] == "5000.00"
    assert line(may, "E1", "commission")["explanation"] == "提成 10000.00 × 100%"


# ---- the supervisor's management bonus: 5% of the department's commission ----------------------------


def test_supervisor_five_percent_of_department_commission(may):
    # May commission of 客服部: 6300 + 2100 + 4100.50 + 8000 + 5000 + 7200 + 9000 + 6800 + 10000 + 9500
    # = 68000.50; × 5% = 3400.025 → 3400.03 (rounded half up to the fen), for each supervisor.
    for sv in ("SV1", "SV2"):
        x = line(may, sv, "management_bonus")
        assert x["amount"] == "3400.03"
        assert x["inputs"] == {"department": "客服部", "department_commission": "68000.50", "share": "0.05"}
    assert line(may, "SV1", "management_bonus")["explanation"] == "部门 客服部 提成合计 68000.50 × 5%"


def test_management_bonus_lost_on_demotion(october):
    # October: commission 8000 + 7000 + 6000 = 21000.00; SV1 gets 5% = 1050.00. SV2 was demoted to expert
    # on 2026-10-01, so is no supervisor on October's last day: no bonus (and no commission recorded).
    assert line(october, "SV1", "management_bonus")["amount"] == "1050.00"
    assert line(october, "SV2", "management_bonus") is None


def test_variable_pay_is_the_sum_of_lines(may):
    # J1: commission 8000.00 + KPI tier 1 800.00.
    assert sum(float(x["amount"]) for x in may["lines"] if x["employee_id"] == "J1") == 8800.0


# ---- ±10% base pay on promotion and demotion -----------------------------------------------------------


def test_pay_changes_of_october_moves(october):
    got = {
        (p["employee_id"], p["reason"], p["from"], p["to"], p["effective"]) for p in october["pay_changes"]
    }
    assert got == {
        # J3 junior → senior on 2026-10-01: 5555.55 × 110% = 6111.105 → 6111.11, from the next month.
        ("J3", "promotion", "5555.55", "6111.11", "2026-11"),
        # S3 senior → junior (≤ 75): 6000.00 × 90% = 5400.00.
        ("S3", "demotion", "6000.00", "5400.00", "2026-11"),
        # SV2 supervisor → expert (annual ≤ 85): 9000.00 × 90% = 8100.00.
        ("SV2", "demotion", "9000.00", "8100.00", "2026-11"),
    }
    j3 = next(p for p in october["pay_changes"] if p["employee_id"] == "J3")
    assert j3["rule"] == "grade.junior-senior"
    assert j3["explanation"] == "晋升（初级客服 → 高级客服）：基本工资 +10%，5555.55 → 6111.11，2026-11 起"


def test_no_pay_change_outside_the_cycle(may):
    # J2's probation → junior on 2026-05-10 has only a note (no base_pct): no base-pay change.
    assert may["pay_changes"] == []


# ---- the KPI-tiered monthly plan, at each boundary -------------------------------------------------


@pytest.mark.parametrize(
    ("employee", "amount", "tier"),
    [
        ("J1", "800.00", "一档"),  # csat 95 ≥ 95 and resolution 0.90 ≥ 0.90: tier 1, both at the boundary
        ("J2", "500.00", "二档"),  # csat 94.9 < 95 → not tier 1; 94.9 ≥ 90 and 0.95 ≥ 0.85 → tier 2
        ("J3", "500.00", "二档"),  # csat 96 but resolution 0.89 < 0.90 → tier 2 (0.89 ≥ 0.85)
        ("S1", "500.00", "二档"),  # csat 90 ≥ 90 and 0.85 ≥ 0.85: tier 2 at the boundary
        ("S3", "200.00", "三档"),  # csat 89.9 < 90 → tier 3 (≥ 85), resolution 0.99 does not help
        ("E1", "200.00", "三档"),  # csat 85 ≥ 85: tier 3 at the boundary
    ],
)
def test_kpi_tiers(may, employee, amount, tier):
    x = line(may, employee, "kpi_bonus")
    assert x["amount"] == amount
    assert x["inputs"]["tier"] == tier


def test_kpi_below_every_tier_and_outside_the_plan(may):
    assert line(may, "E2", "kpi_bonus") is None  # csat 84.9 < 85
    assert line(may, "PR1", "kpi_bonus") is None  # probation is not one of the plan's levels


def test_kpi_explanation_both_languages(may):
    assert (
        line(may, "J1", "kpi_bonus")["explanation"]
        == "客户满意度 95 ≥ 95 且 问题解决率 90% ≥ 90% → 一档 800.00 元"
    )
    en = run("2026-05", "en")
    assert line(en, "J1", "kpi_bonus")["explanation"] == (
        "CSAT 95 ≥ 95 and resolution rate 90% ≥ 90% → Tier 1 800.00 yuan"
    )


def test_budget_reported_and_over_warned(may):
    # kpi_bonus: 800 + 500 + 500 + 500 + 200 + 200 = 2700.00 against 2500.00 for 客服部.
    assert may["budgets"] == [
        {
            "plan": "kpi_bonus",
            "department": "客服部",
            "budget": "2500.00",
            "total": "2700.00",
            "remaining": "-200.00",
        }
    ]
    assert any("超出 200.00 元" in w for w in may["warnings"])


def test_cli_json_shape():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rungs.cli",
            "rewards",
            "--policy",
            str(POLICY),
            "--data",
            str(DATA),
            "--cycle",
            "2026-05",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert list(obj)[:4] == ["policy", "policy_version", "cycle", "lines"]
    assert {"pay_changes", "warnings"} <= set(obj)
    assert (obj["policy"], obj["policy_version"], obj["cycle"]) == (
        "salary-grade-quarterly",
        "2026.1",
        "2026-05",
    )
    assert all(
        set(x) == {"employee_id", "plan", "component", "amount", "unit", "explanation", "inputs"}
        for x in obj["lines"]
    )
    assert {x["unit"] for x in obj["lines"]} == {"yuan"}  # every plan of this policy pays money
    assert all(isinstance(x["amount"], str) and x["amount"].count(".") == 1 for x in obj["lines"])
    assert len(obj["lines"]) == 17


def test_cli_invalid_cycle_exits_2():
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "rungs.cli",
            "rewards",
            "--policy",
            str(POLICY),
            "--data",
            str(DATA),
            "--cycle",
            "2026-13",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert "--cycle" in out.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_explains_each_line_in_the_language_asked_as_the_run_does(lang):
    """The command builds only the explanations of its --lang: each line says what a run with both
    languages says in that language."""
    out = subprocess.run(
        [sys.executable, "-m", "rungs.cli", "rewards", "--policy", str(POLICY), "--data", str(DATA),
         "--cycle", "2026-05", "--format", "json", "--lang", lang],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = json.loads(out.stdout)["lines"]
    full = run("2026-05", lang)["lines"]
    assert [x["explanation"] for x in lines] == [x["explanation"] for x in full]
    assert all(x["explanation"] for x in lines)
    other = run("2026-05", "en" if lang == "zh" else "zh")["lines"]
    assert all(x["explanation"] != y["explanation"] for x, y in zip(lines, other, strict=True))


def test_a_run_for_one_language_leaves_the_other_explanation_empty():
    result = run_rewards(load_policy(POLICY), read_dataset(DATA), parse_cycle("2026-05"), langs=("en",))
    assert result.lines.get_column("explanation_zh").null_count() == result.lines.height > 0
    assert result.lines.get_column("explanation_en").null_count() == 0
