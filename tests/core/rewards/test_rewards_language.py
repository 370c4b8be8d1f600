"""The rewards section of the policy language: errors with line and column (Chinese first), and the
components on tiny data sets with amounts worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from rungs.core.interchange.dataset import SCHEMAS, Dataset
from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import parse_policy
from rungs.core.rewards.cycle import parse_cycle
from rungs.core.rewards.report import to_json_obj
from rungs.core.rewards.run import run_rewards

HEAD = """\
rungs: 1
id: t
tracks:
  post:
    levels: {agent: 客服, lead: 组长}
promotions:
  - track: post
    from: agent
    criteria:
      - {id: t, tenure: level, at_least: 12}
"""


def policy(rewards: str):
    return parse_policy(HEAD + rewards, "t.yaml")


def error(rewards: str) -> PolicyError:
    with pytest.raises(PolicyError) as exc:
        policy(rewards)
    return exc.value


PLAN = """\
rewards:
  plans:
    - id: p
      cycle: month
      components:
"""


@pytest.mark.parametrize(
    ("text", "line", "column", "zh"),
    [
        ("rewards:\n  plan: []\n", 12, 3, '未知的键 "plan"'),
        (
            "rewards:\n  plans:\n    - id: p\n      cycle: weekly\n      components: [{id: a, fixed: 1}]\n",
            14,
            14,
            '未知的 "weekly"',
        ),
        ("rewards:\n  plans:\n    - id: p\n      cycle: month\n", 13, 7, '缺少 "components"'),
        (PLAN + "        - {id: a, fixed: 1, tiers: []}\n", 16, 11, "须恰有一种计算方式"),
        (PLAN + "        - {id: a, fixed: 12.345}\n", 16, 26, "最多两位小数"),
        (PLAN + "        - {id: a, share: {of: metric.commission, rate: 5}}\n", 16, 56, "应为百分数"),
        (PLAN + "        - {id: a, share: {of: commission, rate: 5%}}\n", 16, 31, "metric.<指标名>"),
        (PLAN + "        - {id: a, share: {of: metric.commission}}\n", 16, 26, "须有 rate"),
        (
            PLAN
            + "        - {id: a, tiers: [{amount: 5, kpis: [{metric: resolution_rate, at_least: 90}]}]}\n",
            16,
            82,
            "0 到 1 的比率",
        ),
        (
            PLAN + "        - {id: a, tiers: [{amount: 5, kpis: [{metric: csat}]}]}\n",
            16,
            46,
            "须恰有一个比较",
        ),
        (PLAN + "        - {id: a, fixed: 5, when: {levels: [boss]}}\n", 16, 45, '未知的 "boss"'),
        (
            PLAN
            + "        - {id: a, fixed: 5, when: {criteria: [{id: x, count: {event: majr_incident}, at_least: 1}]}}\n",
            16,
            70,
            "未知的事件类型",
        ),
        (
            PLAN + "        - {id: a, fixed: 5}\n        - {id: a, fixed: 6}\n",
            0,
            0,
            '组成部分 id "a" 重复使用',
        ),
        ("rewards:\n  pay_effective: later\n", 12, 18, '未知的 "later"'),
    ],
)
def test_errors_name_the_place(text, line, column, zh):
    e = error(text)
    assert zh in e.zh, e.zh
    assert (e.line, e.column) == (line, column), str(e)
    assert e.en and e.en != e.zh


def test_parsed_plan_is_typed():
    p = policy(PLAN + "        - {id: a, share: {of: metric.commission, rate: 12.5%}, cap: 100}\n")
    (plan,) = p.rewards.plans
    (c,) = plan.components
    assert plan.cycle == "M" and plan.track == "post" and plan.levels == ("agent", "lead")
    assert c.calc.rates[0].rate == Decimal("0.125")
    assert c.cap == Decimal("100")
    assert c.calc.of.agg == "sum"  # commission is money: the months of a longer cycle add up


# ---- components on tiny data ------------------------------------------------------------------------


def full(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """The frame with the interchange columns it lacks, as nulls of their types."""
    return df.with_columns(
        pl.lit(None, t).alias(c) for c, t in SCHEMAS[name].items() if c not in df.columns
    ).select(list(SCHEMAS[name]))


def data(metrics: list[tuple[str, str, str, float]], events: list[tuple[str, str, str]] = ()) -> Dataset:
    people = ["A", "B", "C"]
    return Dataset(
        employees=full(
            "employees",
            pl.DataFrame(
                {
                    "employee_id": people,
                    "name": ["甲", "乙", "丙"],
                    "hire_date": [dt.date(2024, 1, 1)] * 3,
                    "team": ["t1", "t1", "t2"],
                    "department": ["d", "d", "d"],
                    "status": ["regular"] * 3,
                }
            ),
        ),
        assignments=full(
            "assignments",
            pl.DataFrame(
                {
                    "employee_id": people,
                    "track": ["post"] * 3,
                    "level": ["agent", "agent", "lead"],
                    "start_date": [dt.date(2024, 1, 1)] * 3,
                    "kind": ["hire"] * 3,
                }
            ),
        ),
        metrics=full(
            "metrics",
            pl.DataFrame(
                [{"employee_id": e, "period": p, "metric": k, "value": v} for e, p, k, v in metrics],
                schema={
                    "employee_id": pl.String,
                    "period": pl.String,
                    "metric": pl.String,
                    "value": pl.Float64,
                },
            ).with_columns(
                period_kind=pl.when(pl.col("period").str.contains("Q"))
                .then(pl.lit("Q"))
                .otherwise(pl.lit("M")),
                seq=pl.when(pl.col("period").str.contains("Q"))
                .then(
                    pl.col("period").str.slice(0, 4).cast(pl.Int32) * 4
                    + pl.col("period").str.slice(6, 1).cast(pl.Int32)
                    - 1
                )
                .otherwise(
                    pl.col("period").str.slice(0, 4).cast(pl.Int32) * 12
                    + pl.col("period").str.slice(5, 2).cast(pl.Int32)
                    - 1
                ),
            ),
        ),
        events=full(
            "events",
            pl.DataFrame(
                [{"employee_id": e, "date": dt.date.fromisoformat(d), "type": t} for e, d, t in events],
                schema={"employee_id": pl.String, "date": pl.Date, "type": pl.String},
            ),
        ),
    )


def amounts(p, d, cycle) -> dict[tuple[str, str], str]:
    out = to_json_obj(run_rewards(p, d, parse_cycle(cycle)))
    return {(x["employee_id"], x["component"]): x["amount"] for x in out["lines"]}


def test_quarter_adds_its_months_and_caps():
    p = policy(
        "rewards:\n  plans:\n    - id: q\n      cycle: quarter\n      cap: 1000\n      components:\n"
        "        - {id: share, share: {of: metric.commission, rate: 10%}, cap: 900}\n"
        "        - {id: team, share: {of: {metric: commission, total: team}, rate: 1%}}\n"
    )
    d = data(
        [
            ("A", "2026-10", "commission", 3000.0),
            ("A", "2026-11", "commission", 3000.0),
            ("A", "2026-12", "commission", 3000.05),  # A: 9000.05 × 10% = 900.005 → 900.01 → capped at 900.00
            ("B", "2026-11", "commission", 4000.0),  # B: 400.00
            ("B", "2026-Q4", "commission", 5000.0),  # …but the quarter's own figure wins: 500.00
            ("C", "2026-09", "commission", 9999.0),  # outside the quarter
        ]
    )
    got = amounts(p, d, "2026-Q4")
    assert got[("A", "share")] == "900.00"
    assert got[("B", "share")] == "500.00"
    # team t1: A 9000.05 + B 5000.00 = 14000.05 × 1% = 140.0005 → 140.00, for A and B; C's team has nothing.
    assert got[("A", "team")] == got[("B", "team")] == "140.00"
    assert ("C", "team") not in got
    # plan cap 1000: A 900.00 + 140.00 = 1040.00 → a line of -40.00.
    assert got[("A", "plan_cap")] == "-40.00"
    assert ("B", "plan_cap") not in got  # 640.00


def test_fixed_cut_in_a_month_with_a_major_incident():
    p = policy(
        "rewards:\n  plans:\n    - id: allowance\n      cycle: month\n      levels: [agent]\n      components:\n"
        "        - {id: allowance, label: {zh: 津贴, en: Allowance}, fixed: 300}\n"
        "        - id: cut\n          label: {zh: 津贴扣减, en: Allowance cut}\n          fixed: -300\n"
        "          when:\n            criteria:\n"
        "              - {id: incident, label: {zh: 本月重大事故, en: major incident this month}, "
        "count: {event: major_incident, months: 1}, at_least: 1}\n"
    )
    # A: an incident on 2026-11-30 (in November); B: on 2026-12-01 (December, not this cycle).
    d = data([], [("A", "2026-11-30", "major_incident"), ("B", "2026-12-01", "major_incident")])
    out = to_json_obj(run_rewards(p, d, parse_cycle("2026-11")))
    got = {(x["employee_id"], x["component"]): x for x in out["lines"]}
    assert got[("A", "allowance")]["amount"] == got[("B", "allowance")]["amount"] == "300.00"
    assert got[("A", "cut")]["amount"] == "-300.00"
    assert got[("A", "cut")]["explanation"] == "津贴扣减（本月重大事故）：-300.00 元"
    assert ("B", "cut") not in got
    assert ("C", "allowance") not in got  # a lead, outside the plan's levels


def test_eligibility_uses_the_criterion_blocks():
    p = policy(
        "rewards:\n  plans:\n    - id: e\n      cycle: month\n"
        "      eligibility: [{id: tickets, latest: {of: metric.tickets, period: month}, at_least: 100}]\n"
        "      components: [{id: bonus, fixed: 50}]\n"
    )
    d = data(
        [
            ("A", "2026-11", "tickets", 100.0),
            ("B", "2026-11", "tickets", 99.0),
            ("C", "2026-10", "tickets", 500.0),
        ]
    )
    # A: 100 ≥ 100 in November; B: 99; C: only October's (the criteria run on 2026-12-01, November is latest).
    got = amounts(p, d, "2026-11")
    assert got == {("A", "bonus"): "50.00", ("C", "bonus"): "50.00"}


def test_a_plan_in_points_gives_whole_points_beside_money():
    p = policy(
        "rewards:\n  plans:\n"
        "    - id: stars\n      cycle: month\n      unit: points\n      cap: 150\n"
        "      budget: {amount: 200, per: company}\n      components:\n"
        "        - id: tier\n          tiers:\n"
        "            - {label: 一档, amount: 100, kpis: [{metric: csat, at_least: 95}]}\n"
        "            - {label: 二档, amount: 50, kpis: [{metric: csat, at_least: 90}]}\n"
        "        - {id: per_ticket, share: {of: metric.tickets, rate: 15%}}\n"
        "    - id: cash\n      cycle: month\n      components: [{id: f, fixed: 12.5}]\n"
    )
    d = data(
        [
            ("A", "2026-05", "csat", 96.0),  # 一档 100 points
            ("A", "2026-05", "tickets", 333),  # 333 × 15% = 49.95 → 50 points; 150 in all, the cap
            ("B", "2026-05", "csat", 91.0),  # 二档 50 points
            ("B", "2026-05", "tickets", 3),  # 3 × 15% = 0.45 → 0 points: no line
            ("C", "2026-05", "tickets", 10),  # 1.5 → 2 points (half away from zero)
        ]
    )
    out = to_json_obj(run_rewards(p, d, parse_cycle("2026-05")))
    got = {(x["employee_id"], x["plan"], x["component"]): (x["amount"], x["unit"]) for x in out["lines"]}
    assert got == {
        ("A", "stars", "tier"): ("100", "points"),
        ("A", "stars", "per_ticket"): ("50", "points"),
        ("B", "stars", "tier"): ("50", "points"),
        ("C", "stars", "per_ticket"): ("2", "points"),
        ("A", "cash", "f"): ("12.50", "yuan"),
        ("B", "cash", "f"): ("12.50", "yuan"),
        ("C", "cash", "f"): ("12.50", "yuan"),
    }
    tier = next(x for x in out["lines"] if (x["employee_id"], x["component"]) == ("A", "tier"))
    assert tier["explanation"].endswith("→ 一档 100 积分")
    # 100 + 50 + 50 + 2 = 202 points against a budget of 200
    assert out["budgets"] == [
        {"plan": "stars", "department": None, "budget": "200", "total": "202", "remaining": "-2"}
    ]
    assert any("超出 2 积分" in w for w in out["warnings"])


def test_a_plan_in_points_refuses_a_fraction_of_a_point():
    e = error(
        "rewards:\n  plans:\n    - id: stars\n      cycle: month\n      unit: points\n"
        "      components: [{id: f, fixed: 12.5}]\n"
    )
    assert "整数积分" in str(e) and "whole points" in str(e)
