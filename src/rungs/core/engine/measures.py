"""The actual value of each building block, for every subject at once: LazyFrame[employee_id, a].

`subjects` carries employee_id, track, level (the from level), to_level, level_start,
level_department and acting_start for the rule being evaluated. Null means the data needed is missing
(the criterion then fails); counts of events are 0 when there are none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import polars as pl

from rungs.core.engine.compare import where_expr
from rungs.core.engine.context import ID, Context, add_months, months_between, seq_of_date_expr
from rungs.core.engine.series import combine_ranks, rank_within, series_frame
from rungs.core.interchange.dataset import EDUCATION_LEVELS
from rungs.core.policy import model as m

A = "a"
# Policy.scales: ordered words by value kind (grade scales low to high, `choice:<attribute>` lists).
Grades = dict[str, tuple[str, ...]]
# One block's computation; each takes its own block class (the dispatch table pairs them).
Measure = Callable[[Context, Any, pl.LazyFrame, Grades], pl.LazyFrame]


def actual(ctx: Context, block: m.Block, subjects: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    fn = _DISPATCH[type(block)]
    return fn(ctx, block, subjects, grades)


def _tenure(ctx: Context, b: m.Tenure, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    day = ctx.day
    if b.of == "acting" and "acting_start" not in subj.collect_schema().names():
        # Outside acting_conversion rules the subjects do not carry the open acting post: look it up.
        subj = subj.join(_acting_starts(ctx), on=[ID, "track"], how="left", maintain_order="left")
    if b.of in ("level", "acting"):
        start = "level_start" if b.of == "level" else "acting_start"
        return subj.select(ID, months_between(pl.col(start), day).alias(A))
    if b.of == "company":
        return subj.join(
            ctx.employees.select(ID, "hire_date"), on=ID, how="left", maintain_order="left"
        ).select(ID, months_between(pl.col("hire_date"), day).alias(A))
    if b.of == "regularized":
        return subj.join(_regularized_on(ctx, b), on=ID, how="left", maintain_order="left").select(
            ID, months_between(pl.col("_reg"), day).alias(A)
        )
    if b.of == "department":
        return _department_starts(ctx, subj).select(ID, months_between(pl.col("_entered"), day).alias(A))
    if b.of == "last_pay_step":
        steps = _events(ctx, "pay_step").group_by(ID).agg(pl.col("date").max().alias("_d"))
        return subj.join(steps, on=ID, how="left", maintain_order="left").select(
            ID, months_between(pl.coalesce("_d", "level_start"), day).alias(A)
        )
    # Time at the current level summed over its rows: all departments, or only the current one.
    rows = ctx.history.join(subj.select(ID, "track", "level", "level_department"), on=[ID, "track", "level"])
    if b.of == "level_in_department":
        rows = rows.filter(pl.col("department").eq_missing(pl.col("level_department")))
    end = pl.min_horizontal(pl.col("end_date").fill_null(day), day)
    return subj.select(ID).join(
        rows.group_by(ID).agg(months_between(pl.col("start_date"), end).sum().alias(A)),
        on=ID,
        how="left",
        maintain_order="left",
    )


def _department_starts(ctx: Context, subj: pl.LazyFrame) -> pl.LazyFrame:
    """employee_id, _entered: when the employee entered the department of their current post on the track,
    the start of their rows there after the latest row in another department (a transfer back in starts
    again); with no row in another department, the hire date (the history may begin after it)."""
    rows = ctx.history.join(subj.select(ID, "track", "level_department"), on=[ID, "track"])
    here = pl.col("department").eq_missing(pl.col("level_department"))
    left_last = rows.filter(~here).group_by(ID).agg(pl.col("start_date").max().alias("_o"))
    entered = (
        rows.filter(here)
        .join(left_last, on=ID, how="left")
        .filter(pl.col("_o").is_null() | (pl.col("start_date") > pl.col("_o")))
        .group_by(ID)
        .agg(pl.col("start_date").min().alias("_first"), pl.col("_o").is_null().all().alias("_only"))
        .join(ctx.employees.select(ID, "hire_date"), on=ID, how="left")
        .select(
            ID,
            pl.when(pl.col("_only"))
            .then(pl.min_horizontal("hire_date", "_first"))
            .otherwise(pl.col("_first"))
            .alias("_entered"),
        )
    )
    return subj.select(ID).join(entered, on=ID, how="left", maintain_order="left")


def _regularized_on(ctx: Context, b: m.Tenure) -> pl.LazyFrame:
    """employee_id, _reg: regularized_on, or for a regular employee whose date is blank (SEEDS.md) the start
    of their second level on the track, or the hire date when their history there starts above the first
    level. Null when neither can be told (no history on the track, or still at the first level)."""
    emp = ctx.employees.select(ID, "status", "regularized_on", "hire_date")
    if b.track is None:
        return emp.select(ID, pl.col("regularized_on").alias("_reg"))
    first = pl.col("level").first()  # history is sorted by start date within each employee and track
    rows = (
        ctx.history.filter(pl.col("track") == b.track)
        .group_by(ID)
        .agg(
            first.alias("_first"),
            pl.col("start_date").filter(pl.col("level") != first).min().alias("_second"),
        )
    )
    derived = (
        pl.when(pl.col("_first").is_null())
        .then(None)
        .when(pl.col("_first") == b.first_level)
        .then(pl.col("_second"))
        .otherwise(pl.col("hire_date"))
    )
    return emp.join(rows, on=ID, how="left").select(
        ID,
        pl.when(pl.col("regularized_on").is_not_null())
        .then(pl.col("regularized_on"))
        .when(pl.col("status") == "regular")
        .then(derived)
        .alias("_reg"),
    )


def _acting_starts(ctx: Context) -> pl.LazyFrame:
    """employee_id, track, acting_start: the start of the latest open acting assignment per track."""
    day = ctx.day
    return (
        ctx.data.assignments.lazy()
        .filter(
            (pl.col("kind") == "acting")
            & (pl.col("start_date") <= day)
            & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
        )
        .group_by(ID, "track")
        .agg(pl.col("start_date").max().alias("acting_start"))
    )


def _window_filter(
    ctx: Context, frame: pl.LazyFrame, w: m.Window, kind: str, subj: pl.LazyFrame
) -> pl.LazyFrame:
    last = ctx.complete(kind)
    if w.kind == "last":
        return frame.filter(pl.col("seq") > last - w.n)
    if w.kind == "since_level":
        starts = subj.select(ID, seq_of_date_expr(kind, pl.col("level_start")).alias("_s0"))
        return frame.join(starts, on=ID).filter(pl.col("seq") >= pl.col("_s0")).drop("_s0")
    return frame


def _consecutive(ctx: Context, b: m.Consecutive, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    s = series_frame(ctx, b.of, b.period, grades)
    if b.in_latest_year:  # only the periods of the latest year with an annual value; none: missing data
        per_year = {"M": 12, "Q": 4, "H": 2}[b.period]
        year = series_frame(ctx, b.of, "Y", grades).group_by(ID).agg(pl.col("seq").max().alias("_y"))
        s = s.join(year, on=ID).filter((pl.col("seq") // per_year) == pl.col("_y")).drop("_y")
    has_data = s.select(ID).unique()
    if b.since_level:
        s = _window_filter(ctx, s, m.Window("since_level"), b.period, subj)
    ok = s.filter(where_expr(pl.col("v"), b.where, _kind(b.of), grades)).select(ID, "seq")
    if b.since_level or b.in_latest_year:
        # Longest run anywhere since the level began: seq minus its position is constant within a run.
        runs = (
            ok.with_columns(_k=pl.col("seq") - pl.col("seq").rank("ordinal").over(ID).cast(pl.Int32))
            .group_by(ID, "_k")
            .len()
            .group_by(ID)
            .agg(pl.col("len").max().alias(A))
        )
    else:
        # The run ending with the latest complete period: count rows whose distance from the end equals
        # their position from the end (the first gap breaks the equality for every earlier row).
        last = ctx.complete(b.period)
        runs = (
            ok.with_columns(_pos=pl.col("seq").rank("ordinal", descending=True).over(ID).cast(pl.Int32) - 1)
            .filter((pl.lit(last) - pl.col("seq")) == pl.col("_pos"))
            .group_by(ID)
            .len()
            .rename({"len": A})
        )
    return (
        subj.select(ID)
        .join(has_data.with_columns(_has=pl.lit(True)), on=ID, how="left", maintain_order="left")
        .join(runs, on=ID, how="left", maintain_order="left")
        .select(ID, pl.when(pl.col("_has")).then(pl.col(A).fill_null(0)).alias(A).cast(pl.Float64))
    )


def _kind(of: m.Series | m.RankSeries) -> str:
    return f"grade:{of.scale}" if isinstance(of, m.Series) and of.source == "grade" else "number"


def _aggregate(ctx: Context, b: m.Aggregate, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    s = series_frame(ctx, b.of, b.period, grades)
    s = _window_filter(ctx, s, b.window, b.period, subj)
    if b.where is not None:
        agg = where_expr(pl.col("v"), b.where, _kind(b.of), grades).sum().cast(pl.Float64)
    else:
        agg = {
            "mean": pl.col("v").mean(),
            "sum": pl.col("v").sum(),
            "min": pl.col("v").min(),
            "max": pl.col("v").max(),
            "count": pl.len().cast(pl.Float64),
        }[b.agg]
    return subj.select(ID).join(s.group_by(ID).agg(agg.alias(A)), on=ID, how="left", maintain_order="left")


def mergeable(b: m.Block) -> tuple[object, ...] | None:
    """Blocks that can be computed in one pass with others of the same key (`merged`): window aggregates
    of metrics over the same periods, plain event counts over the same dates, and the latest events of one
    type. Each pass is one filter, one group_by and one join instead of one per block."""
    if (
        isinstance(b, m.Aggregate)
        and isinstance(b.of, m.Series)
        and b.of.source == "metric"
        and b.where is None
        and b.window.kind in ("last", "all")
    ):
        return ("metric", b.period, b.window)
    if (
        isinstance(b, m.Count)
        and b.window.kind in ("months", "previous_year", "ever")
        and not b.unoffset
        and not b.allowances
    ):
        return ("count", b.window)
    if isinstance(b, m.LatestEvent) and not b.since_level:
        return ("latest_event", b.event)
    return None


def merged(ctx: Context, blocks: list[m.Block], subj: pl.LazyFrame) -> pl.LazyFrame:
    """Blocks of one `mergeable` key in one pass: LazyFrame[employee_id, a0, a1, …], each column the same
    as `actual` of that block."""
    kind = mergeable(blocks[0])
    assert kind is not None
    # The key's first item names the one block class that mergeable() admits under it.
    if kind[0] == "metric":
        return metric_aggregates(ctx, cast(list[m.Aggregate], blocks), subj)
    if kind[0] == "count":
        return _counts(ctx, cast(list[m.Count], blocks), subj)
    return _latest_events(ctx, cast(list[m.LatestEvent], blocks), subj)


def _counts(ctx: Context, blocks: list[m.Count], subj: pl.LazyFrame) -> pl.LazyFrame:
    """Plain counts (no offsets, no entitlements) over one window, as `_count` computes each."""
    ev = _dated(ctx, _events(ctx, list(dict.fromkeys(b.event for b in blocks))), blocks[0].window)
    aggs = []
    for i, b in enumerate(blocks):
        mine = pl.col("type") == b.event
        if b.refs:
            mine &= pl.col("ref").is_in(list(b.refs))
        if b.exclude_refs:
            mine &= ~pl.col("ref").is_in(list(b.exclude_refs)).fill_null(False)
        mine = mine.fill_null(False)
        agg = {
            "count": mine.sum(),
            "sum": pl.col("value").filter(mine).sum(),
            "distinct_refs": pl.col("ref").filter(mine).drop_nulls().n_unique(),
        }[b.measure]
        aggs.append(agg.cast(pl.Float64).alias(f"{A}{i}"))
    counted = ev.group_by(ID).agg(aggs)
    return (
        subj.select(ID)
        .join(counted, on=ID, how="left", maintain_order="left")
        .with_columns(pl.col(f"{A}{i}").fill_null(0.0) for i in range(len(blocks)))
    )


def _latest_events(ctx: Context, blocks: list[m.LatestEvent], subj: pl.LazyFrame) -> pl.LazyFrame:
    """The latest event of one type for several refs, as `_latest_event` finds each."""
    refs = [b.ref for b in blocks]
    ev = _events(ctx, blocks[0].event).filter(pl.col("ref").is_in(list(dict.fromkeys(refs))))
    # A stable sort by date keeps the rows of one date in file order, as `_latest_event` breaks ties.
    latest = (
        ev.sort("date", maintain_order=True)
        .group_by(ID)
        .agg(pl.col("value").filter(pl.col("ref") == r).last().alias(f"{A}{i}") for i, r in enumerate(refs))
    )
    return subj.select(ID).join(latest, on=ID, how="left", maintain_order="left")


def metric_aggregates(ctx: Context, blocks: list[m.Aggregate], subj: pl.LazyFrame) -> pl.LazyFrame:
    """Several blocks of the same `mergeable` key in one pass over metrics: LazyFrame[employee_id, a0, a1, …],
    each the same as `_aggregate` of that block."""
    b0 = blocks[0]
    names = [cast(m.Series, b.of).metric for b in blocks]  # mergeable() admits series of metrics only
    src = ctx.data.metrics.lazy().filter(
        pl.col("metric").is_in(list(dict.fromkeys(names)))
        & (pl.col("period_kind") == b0.period)
        & (pl.col("seq") <= ctx.complete(b0.period))
    )
    src = _window_filter(ctx, src, b0.window, b0.period, subj)
    values = [
        pl.when(pl.col("metric") == n).then(pl.col("value")).alias(f"_v{i}") for i, n in enumerate(names)
    ]
    aggs = []
    for i, b in enumerate(blocks):
        v = pl.col(f"_v{i}")
        agg = {"mean": v.mean(), "sum": v.sum(), "min": v.min(), "max": v.max(), "count": v.count()}[b.agg]
        aggs.append(pl.when(v.count() > 0).then(agg.cast(pl.Float64)).alias(f"{A}{i}"))  # no values: null
    per = src.select(ID, *values).group_by(ID).agg(aggs)
    return subj.select(ID).join(per, on=ID, how="left", maintain_order="left")


def _latest(ctx: Context, b: m.Latest, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    s = series_frame(ctx, b.of, b.period, grades)
    latest = s.group_by(ID).agg(pl.col("v").sort_by("seq").last().alias(A))
    return subj.select(ID).join(latest, on=ID, how="left", maintain_order="left")


def _change(ctx: Context, b: m.Change, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    last = ctx.complete(b.period)
    s = series_frame(ctx, b.of, b.period, grades).filter(pl.col("seq") > last - 2 * b.n)
    recent = pl.col("v").filter(pl.col("seq") > last - b.n).mean()
    before = pl.col("v").filter(pl.col("seq") <= last - b.n).mean()
    return subj.select(ID).join(
        s.group_by(ID).agg((recent - before).alias(A)), on=ID, how="left", maintain_order="left"
    )


def _rank(ctx: Context, b: m.Rank, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    if b.window is None:  # the rank in the latest complete period the employee has a value for
        frame = series_frame(ctx, m.RankSeries(b.of, b.within, b.combine), b.period, grades)
        return _latest_of(frame, subj)
    groups = ctx.employees.select(ID, pl.col(b.within).alias("g")).drop_nulls("g")  # no team: no rank
    ranked = []
    for i, part in enumerate(b.of):
        s = _window_filter(ctx, series_frame(ctx, part, b.period, grades), b.window, b.period, subj)
        agg = getattr(pl.col("v"), b.agg)()
        per = s.group_by(ID).agg(agg.alias("v")).join(groups, on=ID, how="inner")
        ranked.append(per.select(ID, "g", rank_within(per, ["g"], part.lower_is_better).alias(f"r{i}")))
    combined = combine_ranks(ranked, b.combine, ["g"])
    return subj.select(ID).join(
        combined.select(ID, pl.col("v").alias(A)), on=ID, how="left", maintain_order="left"
    )


def _latest_of(frame: pl.LazyFrame, subj: pl.LazyFrame) -> pl.LazyFrame:
    latest = frame.group_by(ID).agg(pl.col("v").sort_by("seq").last().alias(A))
    return subj.select(ID).join(latest, on=ID, how="left", maintain_order="left")


def _events(ctx: Context, kind: str | list[str]) -> pl.LazyFrame:
    typed = pl.col("type").is_in(kind) if isinstance(kind, list) else pl.col("type") == kind
    return ctx.data.events.lazy().filter(typed & (pl.col("date") < ctx.day))


def _dated(ctx: Context, ev: pl.LazyFrame, w: m.EventWindow) -> pl.LazyFrame:
    """The events of a window that depends only on the evaluation date."""
    if w.kind == "months":
        return ev.filter(pl.col("date") >= pl.lit(add_months(ctx.as_of, -w.n)))
    if w.kind == "previous_year":
        return ev.filter(pl.col("date").dt.year() == ctx.as_of.year - 1)
    return ev


def _count(ctx: Context, b: m.Count, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    ev = _events(ctx, b.event)
    if b.refs:
        ev = ev.filter(pl.col("ref").is_in(list(b.refs)))
    if b.exclude_refs:
        ev = ev.filter(~pl.col("ref").is_in(list(b.exclude_refs)).fill_null(False))
    w = b.window
    if w.kind in ("months", "previous_year"):
        ev = _dated(ctx, ev, w)
    elif w.kind == "since_level":
        ev = ev.join(subj.select(ID, "level_start"), on=ID).filter(pl.col("date") >= pl.col("level_start"))
    elif w.kind == "since_department":
        ev = ev.join(_department_starts(ctx, subj), on=ID).filter(pl.col("date") >= pl.col("_entered"))
    if b.unoffset:  # a penalty whose ref was offset no longer counts
        offsets = _events(ctx, "penalty_offset").select(ID, "ref", _y=pl.col("date").dt.year()).drop_nulls()
        if b.offset_same_year:  # 年度内未抵消: only an offset dated in the penalty's year lifts it
            ev = ev.with_columns(_y=pl.col("date").dt.year()).join(offsets, on=[ID, "ref", "_y"], how="anti")
        else:
            ev = ev.join(offsets.drop("_y"), on=[ID, "ref"], how="anti")
    if b.allowances:  # excluded up to the entitlement: per ref, only the days beyond it count
        refs, allowed = [r for r, _ in b.allowances], [a for _, a in b.allowances]
        entitled = ev.filter(pl.col("ref").is_in(refs).fill_null(False))
        beyond = (
            entitled.group_by(ID, "ref")
            .agg(pl.col("value").sum())
            .select(
                ID,
                (
                    pl.col("value")
                    - pl.col("ref").cast(pl.String).replace_strict(refs, allowed, return_dtype=pl.Float64)
                )
                .clip(lower_bound=0)
                .alias("value"),
            )
        )
        rest = ev.filter(~pl.col("ref").is_in(refs).fill_null(False)).select(
            ID, pl.col("value").cast(pl.Float64)
        )
        ev = pl.concat([rest, beyond], how="vertical_relaxed")
    agg = {
        "count": pl.len(),
        "sum": pl.col("value").sum(),
        "distinct_refs": pl.col("ref").drop_nulls().n_unique(),
    }
    counted = ev.group_by(ID).agg(agg[b.measure].cast(pl.Float64).alias(A))
    return (
        subj.select(ID)
        .join(counted, on=ID, how="left", maintain_order="left")
        .with_columns(pl.col(A).fill_null(0.0))
    )


def _latest_event(ctx: Context, b: m.LatestEvent, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    ev = _events(ctx, b.event).filter(pl.col("ref") == b.ref)
    if b.since_level:  # only attempts made at the current level
        ev = ev.join(subj.select(ID, "level_start"), on=ID, maintain_order="left").filter(
            pl.col("date") >= pl.col("level_start")
        )
    # Sorting once by date (stable: the rows of one day stay in file order, the later row wins) and taking
    # each group's last row (groups keep the order of their rows) is cheaper than sorting within every
    # group, and a date sorts faster than an employee id.
    latest = ev.sort("date", maintain_order=True).group_by(ID).agg(pl.col("value").last().alias(A))
    return subj.select(ID).join(latest, on=ID, how="left", maintain_order="left")


def _attribute(ctx: Context, b: m.Attribute, subj: pl.LazyFrame, scales: Grades) -> pl.LazyFrame:
    if b.name in subj.collect_schema().names() and b.name not in ("level",):
        return subj.select(ID, pl.col(b.name).alias(A))
    schema = ctx.employees.collect_schema()
    if b.name not in schema.names():  # named in the data warnings; the criterion fails
        return subj.select(ID, pl.lit(None, dtype=_ATTRIBUTE_DTYPES.get(b.kind, pl.String)).alias(A))
    value = typed_attribute(pl.col(b.name), b.kind, schema[b.name], scales)
    return subj.select(ID).join(
        ctx.employees.select(ID, value.alias(A)), on=ID, how="left", maintain_order="left"
    )


_ATTRIBUTE_DTYPES: dict[str, pl.DataType] = {
    "number": pl.Float64(),
    "date": pl.Date(),
    "education": pl.Float64(),
}


def typed_attribute(col: pl.Expr, kind: str, dtype: pl.DataType, scales: Grades) -> pl.Expr:
    """An employee column as its attribute type compares: numbers and dates as such (an extra column of
    employees.csv arrives as text: "900" < "12000" only as numbers), ordered words as their position. A
    value that is not of the type becomes null (the criterion fails; data_warnings counts them)."""
    if kind == "number":
        return (
            col.str.strip_chars().cast(pl.Float64, strict=False)
            if dtype == pl.String
            else col.cast(pl.Float64)
        )
    if kind == "date":
        return (
            col.str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
            if dtype == pl.String
            else col.cast(pl.Date)
        )
    if kind == "education" or kind.startswith("choice:"):
        words = list(EDUCATION_LEVELS) if kind == "education" else list(scales[kind])
        return col.cast(pl.String).replace_strict(
            words, list(range(len(words))), default=None, return_dtype=pl.Float64
        )
    return col.cast(pl.String)


def _vacancy(ctx: Context, b: m.Vacancy, subj: pl.LazyFrame, grades: Grades) -> pl.LazyFrame:
    """Free posts of the level for each subject, counted where the posts are (positions.csv): rows with a
    team are that team's posts, rows with a department (no team) that department's, rows with neither the
    company's. A subject's vacancy is that of the most specific rows for their own team, else their own
    department, else the company: headcount minus the active holders of the level in that same scope.
    When positions are given only for other teams/departments the subject has no post (0); when no row
    names the level at all the vacancy is unknown (null)."""
    who = ctx.employees.select(ID, "team", "department")
    tracks = subj.select("track").unique()
    pos = (
        ctx.data.positions.lazy()
        .filter(pl.col("level") == b.level)
        .join(tracks, how="cross", suffix="_subj")
        .filter(pl.col("track").is_null() | (pl.col("track") == pl.col("track_subj")))
        .select(pl.col("track_subj").alias("track"), "team", "department", "headcount")
    )
    holders = (
        ctx.levels.filter(pl.col("level") == b.level)
        .join(tracks, on="track", how="semi")
        .join(who, on=ID, how="inner")  # people who left hold nothing
        .select("track", "team", "department")
    )

    def per(scope: list[str], rows: pl.LazyFrame, name: str) -> tuple[pl.LazyFrame, pl.LazyFrame]:
        hc = rows.group_by("track", *scope).agg(pl.col("headcount").sum().alias(f"_hc_{name}"))
        held = holders.drop_nulls(scope).group_by("track", *scope).agg(pl.len().alias(f"_held_{name}"))
        return hc, held

    scopes = {
        "team": (["team"], pos.filter(pl.col("team").is_not_null())),
        "department": (
            ["department"],
            pos.filter(pl.col("team").is_null() & pl.col("department").is_not_null()),
        ),
        "company": ([], pos.filter(pl.col("team").is_null() & pl.col("department").is_null())),
    }
    frame = subj.select(ID, "track").join(who, on=ID, how="left", maintain_order="left")
    for name, (scope, rows) in scopes.items():
        hc, held = per(scope, rows, name)
        # An employee without a team (department) matches no team (department) rows: nulls never join.
        frame = frame.join(hc, on=["track", *scope], how="left", maintain_order="left")
        frame = frame.join(held, on=["track", *scope], how="left", maintain_order="left")
    any_row = pos.select(pl.len().alias("_rows"))
    free = [pl.col(f"_hc_{n}") - pl.col(f"_held_{n}").fill_null(0) for n in scopes]
    return frame.join(any_row, how="cross").select(
        ID,
        pl.when(pl.col("_hc_team").is_not_null())
        .then(free[0])
        .when(pl.col("_hc_department").is_not_null())
        .then(free[1])
        .when(pl.col("_hc_company").is_not_null())
        .then(free[2])
        .when(pl.col("_rows") > 0)
        .then(0)
        .cast(pl.Float64)
        .alias(A),
    )


_DISPATCH: dict[type, Measure] = {
    m.Tenure: _tenure,
    m.Consecutive: _consecutive,
    m.Aggregate: _aggregate,
    m.Latest: _latest,
    m.Change: _change,
    m.Rank: _rank,
    m.Count: _count,
    m.LatestEvent: _latest_event,
    m.Attribute: _attribute,
    m.Vacancy: _vacancy,
}
