"""Synthetic data with a known effect, for the effect evaluation (not demo data).

Two groups of agents on one track: `covered` people at the plan's level `agent`, the others at `senior`
(which the plan does not cover). Each person has their own CSAT level (ability); every month adds a
common trend; noise is normal with a fixed seed. From the start month the covered group's CSAT rises by
`effect` points (and their resolution rate by `rate_effect`). `drift` adds a trend of its own to the
covered group in every month, before the start too: the two groups then drift apart whatever the plan
does, which the pre-trend check must catch.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from rungs.core.interchange.dataset import SCHEMAS, Dataset
from rungs.core.periods import month_label, month_seq
from rungs.core.policy.parse import parse_policy

START = month_seq(2026, 7)  # the plan takes force in 2026-07

POLICY = """\
rungs: 1
id: effect-test
version: "1"
effective_from: 2026-01-01
tracks:
  post:
    levels: {agent: 客服, senior: 高级客服, lead: 组长}
    path: [agent, senior, lead]
promotions:
  - track: post
    from: agent
    criteria:
      - {id: t, tenure: level, at_least: 12}
rewards:
  plans:
    - id: csat_bonus
      label: {zh: 满意度奖金, en: CSAT bonus}
      cycle: month
      track: post
      levels: [agent]
      effective_from: 2026-07-01
      components:
        - id: tier
          tiers:
            - label: {zh: 一档, en: Tier 1}
              kpis: [{metric: csat, at_least: 95}, {metric: resolution_rate, at_least: 0.9}]
              amount: 300
            - label: {zh: 二档, en: Tier 2}
              kpis: [{metric: csat, at_least: 90}]
              amount: 100
"""


def policy(extra_plans: str = ""):
    return parse_policy(POLICY + extra_plans, "effect-test.yaml")


def frame(name: str, columns: dict[str, object]) -> pl.DataFrame:
    """A frame of interchange file `name` with these columns, the others null."""
    df = pl.DataFrame(columns)
    schema = SCHEMAS[name]
    return df.with_columns(
        [pl.lit(None, dtype=t).alias(c) for c, t in schema.items() if c not in df.columns]
    ).select([pl.col(c).cast(t) for c, t in schema.items()])


def people(n_covered: int, n_uncovered: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = [f"C{i:04d}" for i in range(n_covered)] + [f"U{i:04d}" for i in range(n_uncovered)]
    employees = frame(
        "employees",
        {
            "employee_id": ids,
            "name": ids,
            "hire_date": [dt.date(2024, 1, 1)] * len(ids),
            "status": ["regular"] * len(ids),
        },
    )
    assignments = frame(
        "assignments",
        {
            "employee_id": ids,
            "track": ["post"] * len(ids),
            "level": ["agent"] * n_covered + ["senior"] * n_uncovered,
            "start_date": [dt.date(2024, 1, 1)] * len(ids),
            "kind": ["hire"] * len(ids),
        },
    )
    return employees, assignments


def dataset(
    *,
    n_covered: int = 200,
    n_uncovered: int = 200,
    effect: float = 3.0,
    rate_effect: float = 0.0,
    months_before: int = 6,
    months_after: int = 6,
    trend: float = 0.25,
    drift: float = 0.0,
    noise: float = 2.0,
    seed: int = 1,
) -> Dataset:
    """A data set over months_before months before 2026-07 and months_after from it (see the docstring)."""
    rng = np.random.default_rng(seed)
    employees, assignments = people(n_covered, n_uncovered)
    n = n_covered + n_uncovered
    covered = np.arange(n) < n_covered
    ability = rng.normal(0.0, 3.0, n)
    months = np.arange(START - months_before, START + months_after)
    t = (months - START).astype(float)  # 0 in the start month
    after = (months >= START).astype(float)
    shape = (n, months.size)
    csat = (
        86.0
        + ability[:, None]
        + trend * t[None, :]
        + drift * covered[:, None] * t[None, :]
        + effect * covered[:, None] * after[None, :]
        + rng.normal(0.0, noise, shape)
    )
    rate = (
        0.85
        + 0.002 * t[None, :]
        + rate_effect * covered[:, None] * after[None, :]
        + rng.normal(0, 0.02, shape)
    )
    ids = employees.get_column("employee_id").to_numpy()
    labels = [month_label(int(s)) for s in months]
    frames = [
        frame(
            "metrics",
            {
                "employee_id": np.repeat(ids, months.size),
                "period": np.tile(labels, n),
                "period_kind": ["M"] * values.size,
                "seq": np.tile(months, n).astype(np.int32),
                "metric": [metric] * values.size,
                "value": values.ravel(),
            },
        )
        for metric, values in (("csat", csat), ("resolution_rate", rate))
    ]
    return Dataset(employees=employees, assignments=assignments, metrics=pl.concat(frames))


def metrics(rows: list[tuple[str, str, str, float]]) -> pl.DataFrame:
    """metrics.csv rows (employee, YYYY-MM, metric, value) as the data set's frame."""
    return frame(
        "metrics",
        {
            "employee_id": [r[0] for r in rows],
            "period": [r[1] for r in rows],
            "period_kind": ["M"] * len(rows),
            "seq": [month_seq(int(r[1][:4]), int(r[1][5:])) for r in rows],
            "metric": [r[2] for r in rows],
            "value": [float(r[3]) for r in rows],
        },
    )
