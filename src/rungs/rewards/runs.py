"""A reward run over the database: the Dataset read from the stored records (as rungs.policies.runs does
for promotions) and the very evaluator of `rungs rewards`, so the lines are the same on the same data."""

from __future__ import annotations

import polars as pl

from rungs.core.engine.evaluate import union
from rungs.core.interchange.dataset import Dataset
from rungs.core.policy.model import Policy as ParsedPolicy
from rungs.core.rewards.cycle import Cycle
from rungs.core.rewards.money import yuan
from rungs.core.rewards.run import RewardRun as CoreRun
from rungs.core.rewards.run import needed_for_cycle, run_rewards
from rungs.datasets.frames import dataset_from_db
from rungs.datasets.importer import insert_rows, refresh_statistics
from rungs.people.models import Employee
from rungs.policies.models import Policy
from rungs.rewards.models import PayChange, RewardLine, RewardRun

LINE_COLUMNS = {
    "run_id": pl.Int64,
    "employee_id": pl.Int64,
    "policy_id": pl.Int64,
    "plan": pl.String,
    "component": pl.String,
    "cycle": pl.String,
    "department": pl.String,
    "amount": pl.String,  # yuan (or points) with two places: exact into the DECIMAL column
    "unit": pl.String,
    "explanation": pl.String,
    "explanation_en": pl.String,
    "inputs": pl.String,
    "state": pl.String,
}


def database_dataset(cycle: Cycle, *parsed: ParsedPolicy) -> Dataset:
    """The stored records a run of these policies' plans for the cycle reads: the database leaves out the
    rest (rungs rewards does the same while it reads the files), so the lines are the same either way."""
    return dataset_from_db(needed=union(*(needed_for_cycle(p, cycle) for p in parsed)))


def evaluate(policy: Policy, cycle: Cycle, data: Dataset | None = None) -> CoreRun:
    """The core run of the policy version's plans for the cycle over the database (or `data`)."""
    return run_rewards(
        policy.parsed, data if data is not None else database_dataset(cycle, policy.parsed), cycle
    )


def _pks() -> pl.DataFrame:
    ids = list(Employee.objects.values_list("employee_id", "pk"))
    return pl.DataFrame(ids, schema={"employee_id": pl.String, "pk": pl.Int64}, orient="row")


def store_lines(run: RewardRun, result: CoreRun, data: Dataset) -> tuple[int, int]:
    """The run's lines and pay changes written in bulk, as an import does (a company-wide run is hundreds
    of thousands of lines). Returns (lines, pay changes)."""
    pks = _pks()
    depts = data.employees.select("employee_id", pl.col("department").fill_null(""))
    rows = (
        result.lines.join(pks, on="employee_id", how="inner", maintain_order="left")
        .join(depts, on="employee_id", how="left", maintain_order="left")
        .select(
            pl.lit(run.pk, dtype=pl.Int64).alias("run_id"),
            pl.col("pk").alias("employee_id"),
            pl.lit(run.policy_id, dtype=pl.Int64).alias("policy_id"),
            "plan",
            "component",
            pl.lit(run.cycle).alias("cycle"),
            pl.col("department").fill_null(""),
            yuan(pl.col("amount")).alias("amount"),  # points are hundredths too: 12000 → 120.00
            "unit",
            pl.col("explanation_zh").alias("explanation"),
            pl.col("explanation_en").fill_null(""),
            "inputs",
            pl.lit(RewardLine.State.ACCRUED.value).alias("state"),
        )
    )
    insert_rows(RewardLine, rows.cast(LINE_COLUMNS))  # type: ignore[arg-type]

    def money(col: str) -> pl.Expr:
        return pl.when(pl.col(col).is_not_null()).then(yuan(pl.col(col))).alias(f"pay_{col}")

    changes = result.pay_changes.join(pks, on="employee_id", how="inner", maintain_order="left").select(
        pl.lit(run.pk, dtype=pl.Int64).alias("run_id"),
        pl.col("pk").alias("employee_id"),
        "reason",
        *(pl.col(c).fill_null("") for c in ("rule", "from_level", "to_level")),
        money("from"),
        money("to"),
        money("to_min"),
        money("to_max"),
        "effective",
        pl.col("explanation_zh").alias("explanation"),
    )
    insert_rows(PayChange, changes)
    refresh_statistics([RewardLine])
    return rows.height, changes.height
