"""What-if: a draft of a plan's policy against the version in force, on today's records, for one cycle —
what it would cost, plan by plan, and whose amount or tier would change. Nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from rungs.core.policy import model as m
from rungs.core.rewards.cycle import Cycle
from rungs.core.rewards.money import yuan_text
from rungs.core.rewards.run import run_rewards
from rungs.rewards.runs import database_dataset


@dataclass(frozen=True)
class WhatIf:
    plans: list[dict]  # plan, label, current, draft, difference (yuan text)
    changes: list[dict]  # employee_id, name, plan, current, draft, tier_current, tier_draft
    total_current: str
    total_draft: str


def _per_plan(lines: pl.DataFrame) -> pl.DataFrame:
    tier = pl.col("inputs").str.json_path_match("$.tier")
    return lines.group_by("employee_id", "plan").agg(
        pl.col("amount").sum(), tier.drop_nulls().first().alias("tier")
    )


def compare(current: m.Policy, draft: m.Policy, cycle: Cycle) -> WhatIf:
    data = database_dataset(cycle, current, draft)
    a = run_rewards(current, data, cycle)
    b = run_rewards(draft, data, cycle)
    labels = {p.id: p.label.zh for p in (*current.rewards.plans, *draft.rewards.plans)}
    old, new = _per_plan(a.lines), _per_plan(b.lines)
    both = old.join(new, on=["employee_id", "plan"], how="full", coalesce=True, suffix="_draft")
    both = both.with_columns(pl.col("amount", "amount_draft").fill_null(0))
    names = data.employees.select("employee_id", "name")
    changed = (
        both.filter(
            (pl.col("amount") != pl.col("amount_draft")) | (pl.col("tier").ne_missing(pl.col("tier_draft")))
        )
        .join(names, on="employee_id", how="left")
        .sort("employee_id", "plan")
    )
    plans = []
    totals = both.group_by("plan").agg(pl.col("amount").sum(), pl.col("amount_draft").sum()).sort("plan")
    for plan, cur, dra in totals.iter_rows():
        plans.append(
            {
                "plan": plan,
                "label": labels.get(plan, plan),
                "current": yuan_text(cur),
                "draft": yuan_text(dra),
                "difference": yuan_text(dra - cur),
            }
        )
    changes = [
        {
            "employee_id": r["employee_id"],
            "name": r["name"],
            "plan": labels.get(r["plan"], r["plan"]),
            "current": yuan_text(r["amount"]),
            "draft": yuan_text(r["amount_draft"]),
            "tier_current": r["tier"] or "—",
            "tier_draft": r["tier_draft"] or "—",
        }
        for r in changed.iter_rows(named=True)
    ]
    return WhatIf(
        plans,
        changes,
        yuan_text(int(both.get_column("amount").sum())),
        yuan_text(int(both.get_column("amount_draft").sum())),
    )
