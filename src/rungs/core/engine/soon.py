"""Months until a promotion's time-based criteria are met, from the engine's columns: what a stored run
keeps as Decision.soon_months, so "eligible soon" is a query (the team view), not a scan of every criteria
list. The per-decision reading of the same rule (from stored criteria) is rungs.board.gaps.time_shorts."""

from __future__ import annotations

from typing import Any

import polars as pl

from rungs.core.engine.evaluate import RuleResult
from rungs.core.policy import model as m

SOON_MONTHS = 3  # "eligible soon": a time-based criterion met within this many months


def number(v: Any) -> Any:
    """2.0 → 2, 652.2512 → 652.25; anything else as it is (how stored values are shown)."""
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v, 2)
    return v


def soon_months_expr(result: RuleResult) -> pl.Expr:
    """`soon_months` of every row of a rule's result frame at once, from the engine's columns (what a run
    stores): for a promotion not met, the most months any unmet "at least N months" tenure criterion,
    nested ones included, is short, among those short by at most SOON_MONTHS; null otherwise.

    As soon_months reads the stored values: the required months as shown (number(): 2 places), the
    actual months whole (tenure counts whole months), the difference truncated."""
    none = pl.lit(None, dtype=pl.Int64)
    if result.rule.kind != "promotion":
        return none
    shorts = []
    for meta in result.criteria:
        c = meta.criterion
        if not isinstance(c.block, m.Tenure) or c.compare is None or c.compare.op != ">=":
            continue
        value = c.compare.value
        if isinstance(value, m.Cases):
            required = pl.col(f"{meta.path}|r").cast(pl.Float64).round(2)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            required = pl.lit(float(number(value)))
        else:  # shown as text: soon_months finds no "≥ number" in it
            continue
        short = (required - pl.col(f"{meta.path}|a").cast(pl.Float64)).cast(pl.Int64)
        unmet = ~pl.col(f"{meta.path}|p") & pl.col(f"{meta.path}|a").is_not_null()
        shorts.append(pl.when(unmet & (short <= SOON_MONTHS)).then(short))
    if not shorts:
        return none
    return pl.when(~pl.col("eligible")).then(pl.max_horizontal(shorts)).otherwise(none)
