"""The cycle's value of a metric for every employee, and the totals of teams and departments.

A cycle's value is taken from the rows whose period is the cycle itself (a quarterly figure given as
2026-Q4) when an employee has any, else from the monthly rows of the cycle's months, combined with the
measure's `agg`. Money is also kept in whole fen, summed exactly (`fen`); `value` is the Float64 the KPI
tiers compare (rounded to 6 decimals first, so a mean of three 0.9 is 0.9 and not 0.8999999999999999).
"""

from __future__ import annotations

import polars as pl

from rungs.core.interchange.dataset import Dataset
from rungs.core.policy import model as m
from rungs.core.rewards.cycle import Cycle
from rungs.core.rewards.money import fen_of_float, mean_fen

ID = "employee_id"
KPI_DECIMALS = 6


def _agg(rows: pl.LazyFrame, agg: m.MetricAgg) -> pl.LazyFrame:
    v, f = pl.col("value"), pl.col("fen")
    value = {"sum": v.sum(), "mean": v.mean(), "min": v.min(), "max": v.max()}[agg]
    money = {"sum": f.sum(), "mean": mean_fen(f.sum(), f.count()), "min": f.min(), "max": f.max()}[agg]
    return rows.group_by(ID).agg(value.alias("value"), money.alias("fen"))


def own_values(data: Dataset, cycle: Cycle, metric: str, agg: m.MetricAgg) -> pl.LazyFrame:
    """LazyFrame[employee_id, value (Float64), fen (Int64)]: each employee's value of the cycle."""
    rows = (
        data.metrics.lazy()
        .filter(pl.col("metric") == metric, pl.col("value").is_not_null())
        .with_columns(fen_of_float(pl.col("value")).alias("fen"))
    )
    exact = _agg(rows.filter(pl.col("period_kind") == cycle.kind, pl.col("seq") == cycle.seq), agg)
    if cycle.kind == "M":
        return exact
    months = _agg(
        rows.filter(
            pl.col("period_kind") == "M", pl.col("seq").is_between(cycle.first_month, cycle.last_month)
        ),
        agg,
    )
    # The cycle's own figure wins over its months, employee by employee.
    return pl.concat([exact, months.join(exact, on=ID, how="anti")], how="vertical")


def measure_values(data: Dataset, cycle: Cycle, measure: m.Measure) -> tuple[pl.LazyFrame, list[str]]:
    """LazyFrame[<keys>, value, fen] and the keys to join it on: [employee_id] for the employee's own
    value, [team] or [department] for the totals of everyone in employees.csv with that team/department."""
    own = own_values(data, cycle, measure.metric, measure.agg)
    if measure.within == "self":
        return own, [ID]
    group = measure.within
    people = data.employees.lazy().select(ID, group)
    totals = (
        own.join(people, on=ID, how="inner")
        .filter(pl.col(group).is_not_null())
        .group_by(group)
        .agg(pl.col("value").sum(), pl.col("fen").sum())
    )
    return totals, [group]


def kpi_value(col: str) -> pl.Expr:
    return pl.col(col).round(KPI_DECIMALS)
