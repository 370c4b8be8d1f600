"""Series: one value per employee and complete period, from evaluations, metrics or ranks.

Grades become their position in the policy's scale (0 = lowest) so they can be compared and ordered.
Ranks are computed among the active employees of the same team/department who have a value that
period; ties share the best rank (1, 2, 2, 4).
"""

from __future__ import annotations

import polars as pl

from rungs.core.engine.context import ACTIVE, ID, Context
from rungs.core.policy import model as m

Measure = m.Series | m.RankSeries


def series_frame(ctx: Context, of: Measure, kind: str, grades: dict[str, tuple[str, ...]]) -> pl.LazyFrame:
    """LazyFrame[employee_id, seq, v] of complete periods of `kind`."""
    if isinstance(of, m.RankSeries):
        return rank_frame(ctx, of.parts, of.within, of.combine, kind, grades)
    last = ctx.complete(kind)
    if of.source == "metric":
        src = ctx.data.metrics.lazy().filter(
            (pl.col("metric") == of.metric) & (pl.col("period_kind") == kind)
        )
        value = pl.col("value")
    else:
        src = ctx.data.evaluations.lazy().filter(pl.col("period_kind") == kind)
        value = pl.col(of.source).cast(pl.Float64)
        if of.source == "grade":
            words = grades[of.scale or ""]
            value = pl.col("grade").replace_strict(
                words, list(range(len(words))), default=None, return_dtype=pl.Float64
            )
    return src.filter(pl.col("seq") <= last).select(ID, "seq", value.alias("v")).drop_nulls("v")


def _grouped(employees: pl.LazyFrame, frame: pl.LazyFrame, within: str) -> pl.LazyFrame:
    # Someone without a team/department has no colleagues to be ranked among: their rank is missing;
    # people who have left are not ranked (nor counted in others' ranks).
    groups = employees.filter(ACTIVE).select(ID, pl.col(within).alias("g")).drop_nulls("g")
    return frame.join(groups, on=ID, how="inner")


def ranks_in_groups(
    values: pl.LazyFrame, employees: pl.LazyFrame, within: str, lower_is_better: bool = False
) -> pl.LazyFrame:
    """The one definition of a period rank (engine and pages alike): among the active employees of the
    same `within` group with a value that period; ties share the best rank (1, 2, 2, 4).
    values: [employee_id, seq, v]; employees: [employee_id, status, <within>]. → [employee_id, seq, v]."""
    f = _grouped(employees, values, within)
    return f.select(ID, "seq", rank_within(f, ["g", "seq"], lower_is_better).cast(pl.Float64).alias("v"))


def rank_within(frame: pl.LazyFrame, keys: list[str], lower_is_better: bool = False) -> pl.Expr:
    return pl.col("v").rank("min", descending=not lower_is_better).over(keys)


def rank_frame(
    ctx: Context,
    parts: tuple[m.Series, ...],
    within: str,
    combine: str,
    kind: str,
    grades: dict[str, tuple[str, ...]],
) -> pl.LazyFrame:
    """Per period rank within the group, on one measure or several combined."""
    ranked = []
    for i, part in enumerate(parts):
        f = _grouped(ctx.employees, series_frame(ctx, part, kind, grades), within)
        ranked.append(
            f.select(ID, "seq", "g", rank_within(f, ["g", "seq"], part.lower_is_better).alias(f"r{i}"))
        )
    return combine_ranks(ranked, combine, ["g", "seq"]).select(ID, "seq", "v")


def combine_ranks(ranked: list[pl.LazyFrame], combine: str, keys: list[str]) -> pl.LazyFrame:
    """One rank from several: the rank of the sum of ranks (sum), or the worst rank (each).

    An employee must have every measure to be ranked on a combination."""
    joined = ranked[0]
    for f in ranked[1:]:
        joined = joined.join(f, on=[ID, *keys], how="inner")
    cols = [pl.col(f"r{i}") for i in range(len(ranked))]
    if len(cols) == 1:
        return joined.with_columns(v=cols[0].cast(pl.Float64))
    if combine == "each":
        return joined.with_columns(v=pl.max_horizontal(cols).cast(pl.Float64))
    return joined.with_columns(_s=pl.sum_horizontal(cols)).with_columns(
        v=pl.col("_s").rank("min").over(keys).cast(pl.Float64)
    )
