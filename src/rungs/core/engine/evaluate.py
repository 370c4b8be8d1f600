"""Evaluate a policy over a data set for every employee at once.

Each rule becomes one lazy query: the rule's subjects (employees at the rule's levels), joined with one
small frame per criterion holding the actual value, then column expressions for required and passed.
All rules are collected together so Polars can share common work and use both cores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from rungs.core.engine.compare import comparable, compare_expr
from rungs.core.engine.context import ID, Context, build_context
from rungs.core.engine.measures import A, actual, mergeable, merged, typed_attribute
from rungs.core.interchange.dataset import Dataset
from rungs.core.interchange.reader import Needed, Span
from rungs.core.periods import add_months, seq_of_date
from rungs.core.policy import model as m
from rungs.core.policy.errors import closest
from rungs.core.vocabulary import CANONICAL_METRICS, EVENT_TYPES

if TYPE_CHECKING:  # the classes of pl.when(...).then(...) chains, for annotations only
    from polars.expr.whenthen import ChainedThen, Then


@dataclass(frozen=True)
class CriterionMeta:
    """Where a criterion's columns are: `<path>|a` actual, `<path>|r` required (when it varies), `<path>|p`."""

    path: str
    criterion: m.Criterion
    depth: int

    @property
    def composite(self) -> bool:
        return self.criterion.compare is None


@dataclass(frozen=True)
class RuleResult:
    rule: m.Rule
    criteria: tuple[CriterionMeta, ...]
    frame: pl.DataFrame  # employee_id, track, from_level, to_level, eligible, and criterion columns


@dataclass(frozen=True)
class Evaluation:
    policy: m.Policy
    as_of: dt.date
    results: tuple[RuleResult, ...]
    warnings: tuple[str, ...]


def evaluate(policy: m.Policy, data: Dataset, as_of: dt.date) -> Evaluation:
    """Every rule of the policy for every employee it applies to."""
    ctx = build_context(data, as_of)
    shared = shared_measures(ctx, policy) if policy.rules else None
    builds = [_RuleBuild(ctx, policy, rule, shared) for rule in policy.rules]
    frames = pl.collect_all([b.query() for b in builds])
    results = tuple(RuleResult(b.rule, tuple(b.meta), f) for b, f in zip(builds, frames, strict=True))
    return Evaluation(policy, as_of, results, tuple(data_warnings(policy, data, as_of)))


def eligible_queries(ctx: Context, policy: m.Policy, rules: list[m.Rule]) -> list[pl.LazyFrame]:
    """For rules that are not the policy's own (a reward plan's eligibility, a component's conditions):
    one lazy frame each of the employees it applies to, LazyFrame[employee_id, eligible]."""
    return [_RuleBuild(ctx, policy, rule).query().select(ID, "eligible") for rule in rules]


# Columns a subjects frame may carry besides the employee's attributes: an attribute of this name is read
# from the subjects, so it depends on the rule.
_SUBJECT_COLUMNS = frozenset(
    {ID, "track", "level", "to_level", "level_start", "level_department", "acting_start", "acting_gap"}
)


def independent(b: m.Block) -> bool:
    """Whether a block's actual value for an employee is the same whichever rule asks (it reads nothing
    about the rule's level or track), so it can be computed once for everyone and shared by all rules."""
    if isinstance(b, m.Tenure):
        return b.of in ("company", "regularized")
    if isinstance(b, m.Consecutive | m.LatestEvent):
        return not b.since_level
    if isinstance(b, m.Aggregate):
        return b.window.kind != "since_level"
    if isinstance(b, m.Rank):
        return b.window is None or b.window.kind != "since_level"
    if isinstance(b, m.Count):
        return b.window.kind not in ("since_level", "since_department")
    if isinstance(b, m.Attribute):
        return b.name not in _SUBJECT_COLUMNS
    return isinstance(b, m.Latest | m.Change)


@dataclass(frozen=True)
class Shared:
    """The actual value of every rule-independent block the policy uses, computed once for every active
    employee: one column per block in `table` (employee_id, then the blocks' columns)."""

    table: pl.DataFrame
    columns: dict[m.Block, str]


def shared_measures(ctx: Context, policy: m.Policy) -> Shared:
    blocks = list(
        dict.fromkeys(
            c.block
            for r in policy.rules
            for c in walk(r.criteria)
            if c.compare is not None and independent(c.block) and _hashable(c.block)
        )
    )
    ids = ctx.employees.select(ID).collect()
    everyone = ids.lazy()
    groups: dict[tuple[object, ...], list[m.Block]] = {}
    for b in blocks:
        key = mergeable(b)
        groups.setdefault((b,) if key is None else key, []).append(b)
    parts: list[tuple[list[m.Block], pl.LazyFrame]] = []
    for group in groups.values():
        if len(group) == 1:
            parts.append((group, actual(ctx, group[0], everyone, policy.scales).rename({A: f"{A}0"})))
        else:
            parts.append((group, merged(ctx, group, everyone)))
    # Collected together so Polars runs them in parallel; each frame has one row per active employee.
    frames = pl.collect_all([q for _, q in parts])
    columns = {b: f"_b{i}" for i, b in enumerate(blocks)}
    aligned = []
    for (group, _), f in zip(parts, frames, strict=True):
        if not f.get_column(ID).equals(ids.get_column(ID)):  # put the rows in the order of `ids`
            f = ids.join(f, on=ID, how="left", maintain_order="left")
        aligned += [f.get_column(f"{A}{i}").alias(columns[b]) for i, b in enumerate(group)]
    return Shared(ids.with_columns(aligned), columns)


def _hashable(b: m.Block) -> bool:
    try:
        hash(b)
    except TypeError:
        return False
    return True


def subjects(ctx: Context, policy: m.Policy, rule: m.Rule) -> pl.LazyFrame:
    """The employees a rule applies to, with what criteria need to know about their position."""
    track = policy.tracks[rule.track]
    order = {lv: i for i, lv in enumerate(track.path)}
    base = ctx.levels.filter((pl.col("track") == rule.track) & pl.col("level").is_in(list(rule.levels))).join(
        ctx.employees.select(ID), on=ID, how="semi"
    )
    if rule.kind != "acting_conversion":
        return base.with_columns(to_level=pl.lit(rule.to_level, dtype=pl.String))
    day = ctx.day
    acting = (
        ctx.data.assignments.lazy()
        .filter(
            (pl.col("kind") == "acting")
            & (pl.col("track") == rule.track)
            & (pl.col("start_date") <= day)
            & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
        )
        .group_by(ID)
        .agg(
            pl.col("level").sort_by("start_date").last().alias("to_level"),
            pl.col("start_date").max().alias("acting_start"),
        )
    )

    def rank(c: str) -> pl.Expr:
        return pl.col(c).replace_strict(order, default=None, return_dtype=pl.Int32)

    return base.join(acting, on=ID, how="inner").with_columns(
        acting_gap=(rank("to_level") - rank("level")).cast(pl.Float64)
    )


class _RuleBuild:
    def __init__(self, ctx: Context, policy: m.Policy, rule: m.Rule, shared: Shared | None = None) -> None:
        self.ctx, self.policy, self.rule, self.shared = ctx, policy, rule, shared
        self.from_shared: list[pl.Expr] = []  # columns of shared.table, renamed for this rule
        self.subj = subjects(ctx, policy, rule).cache()
        self.frames: list[pl.LazyFrame] = []
        self.columns: list[pl.Expr] = []
        self.meta: list[CriterionMeta] = []
        top = [self.criterion(c, c.id, 0, visible=True) for c in rule.criteria]
        combine = pl.all_horizontal if rule.match == "all" else pl.any_horizontal
        self.columns.append(combine(top).alias("eligible"))

    def query(self) -> pl.LazyFrame:
        q = self.subj.select(ID, "track", pl.col("level").alias("from_level"), "to_level")
        if self.from_shared:
            assert self.shared is not None
            q = q.join(self.shared.table.lazy().select(ID, *self.from_shared), on=ID, how="left")
        for f in self.frames:
            q = q.join(f, on=ID, how="left")
        for expr in self.columns:
            q = q.with_columns(expr)
        keep = [ID, "track", "from_level", "to_level", "eligible"]
        keep += [c for meta in self.meta for c in (f"{meta.path}|a", f"{meta.path}|r", f"{meta.path}|p")]
        names = set(q.collect_schema().names())
        return q.select([c for c in keep if c in names]).sort(ID)

    def criterion(self, c: m.Criterion, path: str, depth: int, visible: bool) -> pl.Expr:
        """Adds the criterion's columns; returns its passed expression (never null)."""
        if visible:
            self.meta.append(CriterionMeta(path, c, depth))
        p = pl.col(f"{path}|p")
        if isinstance(c.block, m.AllOf | m.AnyOf | m.NotOf):
            kids = c.block.children if not isinstance(c.block, m.NotOf) else (c.block.child,)
            passed = [self.criterion(k, f"{path}.{k.id}", depth + 1, visible) for k in kids]
            value = (
                pl.all_horizontal(passed)
                if isinstance(c.block, m.AllOf)
                else pl.any_horizontal(passed)
                if isinstance(c.block, m.AnyOf)
                else ~passed[0]
            )
            self.columns.append(pl.sum_horizontal(passed).cast(pl.Float64).alias(f"{path}|a"))
            self.columns.append(value.alias(f"{path}|p"))
            return p
        assert c.compare is not None
        col = self.shared.columns.get(c.block) if self.shared is not None and _hashable(c.block) else None
        if col is not None:
            self.from_shared.append(pl.col(col).alias(f"{path}|a"))
        else:
            frame = actual(self.ctx, c.block, self.subj, self.policy.scales)
            self.frames.append(frame.rename({A: f"{path}|a"}))
        required = self.required(c, path)
        self.columns.append(
            compare_expr(pl.col(f"{path}|a"), c.compare.op, required).fill_null(False).alias(f"{path}|p")
        )
        return p

    def required(self, c: m.Criterion, path: str) -> pl.Expr | list[Any]:
        assert c.compare is not None
        grades, value = self.policy.scales, c.compare.value
        if c.compare.op == "in":
            return [comparable(v, c.value_kind, grades) for v in value]
        if not isinstance(value, m.Cases):
            return pl.lit(comparable(value, c.value_kind, grades))
        expr: Then | ChainedThen | None = None
        for i, (when, v) in enumerate(value.cases):
            cond = self.criterion(when, f"{path}#when{i}", 0, visible=False)
            lit = pl.lit(comparable(v, c.value_kind, grades))
            expr = pl.when(cond).then(lit) if expr is None else expr.when(cond).then(lit)
        assert expr is not None
        self.columns.append(
            expr.otherwise(pl.lit(comparable(value.default, c.value_kind, grades))).alias(f"{path}|r")
        )
        return pl.col(f"{path}|r")


def walk(criteria: tuple[m.Criterion, ...]) -> Iterator[m.Criterion]:
    """Every criterion, nested ones and the conditions of cases included."""
    for c in criteria:
        yield c
        b = c.block
        if isinstance(b, m.AllOf | m.AnyOf):
            yield from walk(b.children)
        elif isinstance(b, m.NotOf):
            yield from walk((b.child,))
        if c.compare is not None and isinstance(c.compare.value, m.Cases):
            yield from walk(tuple(w for w, _ in c.compare.value.cases))


def _measures(b: m.Block) -> Iterator[m.Series]:
    of = getattr(b, "of", None)
    for item in of if isinstance(of, tuple) else (of,):
        if isinstance(item, m.RankSeries):
            yield from item.parts
        elif isinstance(item, m.Series):
            yield item


def metrics_used(policy: m.Policy) -> set[str]:
    """The metric names a policy reads (so a reader can keep only those)."""
    return {
        s.metric
        for r in policy.rules
        for c in walk(r.criteria)
        for s in _measures(c.block)
        if s.source == "metric" and s.metric
    }


def needed(policy: m.Policy, as_of: dt.date) -> Needed:
    """The rows the policy's rules read at `as_of` (a reader leaves the rest out): per metric and for the
    evaluations, the period kinds and spans its measures look at, and the event types its counts and
    latest events select. Every measure reads complete periods only (up to the one before the date's);
    a window of the last n periods, a change over 2n, reach back that far, anything else (all periods,
    since the level began, the latest with a value, a run) to the earliest."""
    return needed_for(tuple(c for r in policy.rules for c in r.criteria), as_of)


def needed_for(criteria: tuple[m.Criterion, ...], as_of: dt.date) -> Needed:
    """`needed` of any criteria (a reward plan's eligibility, say) evaluated at `as_of`."""
    metrics: dict[str, dict[str, Span]] = {}
    evaluations: dict[str, Span] = {}
    types: set[str] = set()
    since: dict[str, dt.date | None] = {}  # per type, the earliest date read (None: any)
    for c in walk(criteria):
        b = c.block
        if isinstance(b, m.Count):
            types.update((b.event, "penalty_offset") if b.unoffset else (b.event,))
            # A type whose refs a criterion names is read at every age: data_warnings looks for each
            # named ref among all its events (a ref no event has is most likely misspelled).
            _read_since(since, b.event, None if b.refs else _earliest(b.window, as_of))
            if b.unoffset:
                _read_since(since, "penalty_offset", None)
        elif isinstance(b, m.LatestEvent):
            types.add(b.event)
            _read_since(since, b.event, None)
        elif isinstance(b, m.Tenure) and b.of == "last_pay_step":
            types.add("pay_step")
            _read_since(since, "pay_step", None)
        for kind, back in _periods_read(b):
            last = seq_of_date(kind, as_of) - 1
            first = None if back is None else last - back + 1
            for s in _measures(b):
                spans = evaluations if s.source != "metric" else metrics.setdefault(s.metric or "", {})
                widen(spans, kind, (first, last))
    dated = {t: d for t, d in since.items() if d is not None}
    return Needed(metrics, evaluations, frozenset(types), dated)


def _earliest(w: m.EventWindow, as_of: dt.date) -> dt.date | None:
    """The first event date a window reads at `as_of` (None: any), as measures._dated filters."""
    if w.kind == "months":
        return add_months(as_of, -w.n)
    if w.kind == "previous_year":
        return dt.date(as_of.year - 1, 1, 1)
    return None


def _read_since(since: dict[str, dt.date | None], kind: str, day: dt.date | None) -> None:
    if kind in since:
        was = since[kind]
        since[kind] = None if was is None or day is None else min(was, day)
    else:
        since[kind] = day


def widen(spans: dict[str, Span], kind: str, span: Span) -> None:
    """Adds a span of one period kind to `spans`, widening the span already there to cover both."""
    was = spans.get(kind)
    if was is None:
        spans[kind] = span
        return
    first = None if was[0] is None or span[0] is None else min(was[0], span[0])
    spans[kind] = (first, max(was[1], span[1]))


def union(*needs: Needed) -> Needed:
    """The rows any of several readers needs (two policy versions compared over one data set, say)."""
    metrics: dict[str, dict[str, Span]] = {}
    evaluations: dict[str, Span] = {}
    types: set[str] = set()
    since: dict[str, dt.date | None] = {}
    for n in needs:
        for name, kinds in n.metrics.items():
            for kind, span in kinds.items():
                widen(metrics.setdefault(name, {}), kind, span)
        for kind, span in n.evaluations.items():
            widen(evaluations, kind, span)
        types |= n.event_types
        for kind in n.event_types:
            _read_since(since, kind, n.event_since.get(kind))
    dated = {t: d for t, d in since.items() if d is not None}
    return Needed(metrics, evaluations, frozenset(types), dated)


def _periods_read(b: m.Block) -> Iterator[tuple[str, int | None]]:
    """(period kind, how many periods back; None: all) of the measures of a block."""
    if isinstance(b, m.Aggregate | m.Rank):
        w = b.window
        yield b.period, (w.n if w is not None and w.kind == "last" else None)
    elif isinstance(b, m.Change):
        yield b.period, 2 * b.n
    elif isinstance(b, m.Consecutive):
        yield b.period, None
        if b.in_latest_year:  # the latest year with an annual value of the same measure
            yield "Y", None
    elif isinstance(b, m.Latest):
        yield b.period, None


def data_warnings(policy: m.Policy, data: Dataset, as_of: dt.date) -> Iterator[str]:
    """Names the policy uses that the data set never mentions (such criteria fail with actual null), and
    tracks and levels of the data the policy does not know (nobody at them is evaluated: a data set meant
    for another scheme would otherwise give empty results without a word). A metric counts as present
    when it has a row in the periods the policy reads at `as_of` (`needed`): the same answer whether the
    reader kept every row or only those."""
    known_levels = {(t, lv.id) for t, track in policy.tracks.items() for lv in track.levels}
    for track, level in sorted(
        set(data.assignments.select("track", "level").unique().iter_rows()) - known_levels
    ):
        yield (
            f"通道/职级 {track}/{level} 不在政策中，处于该职级的人员不参与评估 / "
            f"track/level {track}/{level} in assignments.csv is not in the policy: nobody at it is evaluated"
        )
    read = needed(policy, as_of).metrics
    in_spans = [
        (pl.col("metric") == name)
        & pl.any_horizontal(
            (pl.col("period_kind") == kind) & pl.col("seq").is_between(first or -(2**31), last)
            for kind, (first, last) in spans.items()
        )
        for name, spans in read.items()
        if spans
    ]
    rows = data.metrics.filter(pl.any_horizontal(in_spans)) if in_spans else data.metrics.clear()
    present = frozenset(rows.get_column("metric").unique().cast(pl.String).to_list())
    for name in sorted(metrics_used(policy) - present):
        near = closest(name, sorted((present | set(CANONICAL_METRICS)) - {name}))
        yield (
            f"指标 {name} 在政策读取的期间内没有数据{f'，是否应为 {near}？' if near else ''} / "
            f"metrics.csv has no {name} in the periods the policy reads{f'; did you mean {near}?' if near else ''}"
        )
    yield from _ref_warnings(policy, data)
    yield from _attribute_warnings(policy, data)
    # Distinct values first, then text: casting millions of labels to text costs more than the check.
    types = set(data.events.get_column("type").unique().drop_nulls().cast(pl.String).to_list())
    for t in sorted(types - set(EVENT_TYPES)):
        yield (
            f"events.csv 中的事件类型 {t} 不在词汇表中，任何条件都不会读取 / "
            f"event type {t} in events.csv is not a known type: no criterion reads it"
        )
    scales = {
        s.scale
        for r in policy.rules
        for c in walk(r.criteria)
        for s in _measures(c.block)
        if s.source == "grade"
    }
    if scales:
        known = {w for sc in scales for w in policy.grades[sc or ""]}
        seen = set(data.evaluations.get_column("grade").drop_nulls().unique().to_list())
        for word in sorted(seen - known):
            yield f"等级 {word} 不在政策的等级表中 / grade {word!r} in evaluations.csv is in none of the policy's grade scales"


def refs_used(policy: m.Policy) -> set[tuple[str, str]]:
    """(event type, ref) pairs the policy's criteria select events by."""
    out: set[tuple[str, str]] = set()
    for r in policy.rules:
        for c in walk(r.criteria):
            b = c.block
            if isinstance(b, m.Count):
                out.update((b.event, ref) for ref in b.refs)
            elif isinstance(b, m.LatestEvent):
                out.add((b.event, b.ref))
    return out


def ref_labels(policy: m.Policy, event: str) -> dict[str, m.Label]:
    """ref → the label of the first criterion that reads it, for the refs of `event` the policy names
    (the exam subjects, attested items … an entry form offers instead of a code typed by hand)."""
    out: dict[str, m.Label] = {}
    for r in policy.rules:
        for c in walk(r.criteria):
            b = c.block
            refs = b.refs if isinstance(b, m.Count) else (b.ref,) if isinstance(b, m.LatestEvent) else ()
            if getattr(b, "event", None) == event:
                for ref in refs:
                    if not ref.startswith("$"):  # $to / $from stand for the transition's levels
                        out.setdefault(ref, c.label)
    return out


def _ref_warnings(policy: m.Policy, data: Dataset) -> Iterator[str]:
    """Refs are the data's own names (exam ids, courses, attested items …): a policy may name any, but one
    no event of its type has is most likely misspelled, and every criterion on it fails or counts 0."""
    wanted = refs_used(policy)
    if not wanted:
        return
    have: dict[str, set[str]] = {}
    # Only the types the policy names, and the distinct pairs before any text is made of the labels.
    pairs = (
        data.events.lazy()
        .filter(pl.col("type").is_in(sorted({e for e, _ in wanted})) & pl.col("ref").is_not_null())
        .select("type", "ref")
        .unique()
        .collect()
        .with_columns(pl.col("type").cast(pl.String))
    )
    for t, ref in pairs.iter_rows():
        have.setdefault(t, set()).add(ref)
    for event, ref in sorted(wanted):
        if ref in have.get(event, ()):
            continue
        near = closest(ref, sorted(have.get(event, ())))
        yield (
            f"events.csv 中没有 ref 为 {ref} 的 {event} 记录{f'，是否应为 {near}？' if near else ''} / "
            f"no {event} event in events.csv has ref {ref}{f'; did you mean {near}?' if near else ''}"
        )


def _attribute_warnings(policy: m.Policy, data: Dataset) -> Iterator[str]:
    """An attribute the data set has no column for, or values that are not of the attribute's type
    (a base_pay of "12k"): those employees' criteria fail with actual null."""
    used = {
        c.block.name: c.block.kind
        for r in policy.rules
        for c in walk(r.criteria)
        if isinstance(c.block, m.Attribute) and c.block.name not in _SUBJECT_COLUMNS and c.block.name != "age"
    }
    emp = data.employees
    for name, kind in sorted(used.items()):
        if name not in emp.columns:
            yield (
                f"属性 {name} 不是 employees.csv 的列，相关条件对所有人都不通过 / "
                f"attribute {name} is not a column of employees.csv: its criteria fail for everyone"
            )
            continue
        col = emp.get_column(name)
        typed = emp.select(typed_attribute(pl.col(name), kind, col.dtype, policy.scales)).to_series()
        bad = int((col.is_not_null() & typed.is_null()).sum())
        if bad:
            yield (
                f"属性 {name}：{bad} 个取值不是 {kind} 类型，视为缺失 / "
                f"attribute {name}: {bad} value(s) are not of type {kind} and count as missing"
            )
