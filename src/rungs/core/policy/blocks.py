"""The grammar of criteria: one building block plus one comparison, type-checked when loaded."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from rungs.core.policy import model as m
from rungs.core.policy.errors import one_of, one_of_zh, suggest, suggest_zh
from rungs.core.policy.source import Mark, YList, YMap
from rungs.core.vocabulary import EDUCATION_WORDS, EVENT_TYPES, STATUS_WORDS

if TYPE_CHECKING:
    from rungs.core.policy.parse import _Parser

COMPARATORS: dict[str, m.Op] = {
    "at_least": ">=",
    "at_most": "<=",
    "above": ">",
    "below": "<",
    "equals": "==",
    "not_equals": "!=",
    "in": "in",
}
SERIES = ("score", "grade", "coefficient", "rank", "metric.<name>")
AGGS: tuple[m.Agg, ...] = ("mean", "sum", "min", "max", "count")
TENURES: tuple[m.TenureOf, ...] = (
    "level",
    "level_in_department",
    "level_total",
    "company",
    "regularized",
    "acting",
    "last_pay_step",
    "department",
)
ORDERING = (">=", "<=", ">", "<")


def _attr(name: str, kind: m.AttributeKind) -> tuple[str, m.AttributeType]:
    return name, m.AttributeType(name, kind)


# The attributes every data set has (employees.csv columns, INTERCHANGE.md, and two derived ones) with
# their types; the policy's `attributes:` section types the extra columns it uses.
BUILTIN_ATTRIBUTES: dict[str, m.AttributeType] = dict(
    [
        _attr("education", "education"),
        _attr("status", "status"),
        _attr("age", "number"),  # whole years since birth_date
        _attr("acting_gap", "number"),  # levels between the acting post and the current one
        _attr("base_pay", "number"),
        _attr("team", "text"),
        _attr("department", "text"),
        _attr("manager_id", "text"),
        _attr("name", "text"),
        _attr("hire_date", "date"),
        _attr("regularized_on", "date"),
        _attr("birth_date", "date"),
    ]
)


def parse_block(
    p: _Parser, mp: YMap, block: str, cid: str, ctx: dict[str, str], track: m.Track
) -> m.Criterion:
    label = p.label(mp.get("label"), mp.mark, cid)
    raw, mark = mp[block], p.at(mp, block)
    note = str(mp.get("note", ""))
    if block in ("all", "any", "not"):
        if any(k in mp for k in COMPARATORS):
            raise p.fail(
                f'"{block}" 用于组合条件，不带比较',
                f'"{block}" combines criteria and takes no comparison',
                mp.mark,
            )
        items = raw if isinstance(raw, YList) else None
        if block == "not":
            child = p.criterion(raw, mark, ctx, track, named=False)
            return m.Criterion(cid, label, m.NotOf(child), None, note=note)
        if not items:
            raise p.fail(f'"{block}"：应为条件列表', f'"{block}": expected a list of criteria', mark)
        children = [
            p.criterion(c, mk, ctx, track, named=False) for c, mk in zip(items, items.item_marks, strict=True)
        ]
        children = [_unique_child(c, i, children) for i, c in enumerate(children)]
        node = m.AllOf(tuple(children)) if block == "all" else m.AnyOf(tuple(children))
        return m.Criterion(cid, label, node, None, note=note)
    obj, kind, default = BUILDERS[block](p, raw, mark, ctx, track)
    kind, cmp = comparison(p, mp, kind, default, ctx, track, what=f"criterion {cid}")
    if isinstance(obj, m.Consecutive | m.Aggregate | m.Latest) and obj.of == m.Series("grade"):
        obj = _with_scale(obj, kind)
    return m.Criterion(cid, label, obj, cmp, kind, note)


def _unique_child(c: m.Criterion, i: int, all_children: list[m.Criterion]) -> m.Criterion:
    if sum(1 for o in all_children if o.id == c.id) > 1:
        return m.Criterion(f"{c.id}{i + 1}", c.label, c.block, c.compare, c.value_kind, c.note)
    return c


def _with_scale(obj: Any, kind: str) -> Any:
    import dataclasses

    return dataclasses.replace(obj, of=m.Series("grade", scale=kind.partition(":")[2]))


# -- comparisons ----------------------------------------------------------------------------------


def comparison(
    p: _Parser, mp: YMap, kind: str, default: m.Compare | None, ctx: dict[str, str], track: m.Track, what: str
) -> tuple[str, m.Compare]:
    found = [k for k in mp if k in COMPARATORS]
    if len(found) > 1:
        raise p.fail(
            f"{what}：只能有一个比较，实际有 {one_of_zh(found)}",
            f"{what}: only one comparison is allowed, found {one_of(found)}",
            mp.mark,
        )
    if not found:
        if default is None:
            raise p.fail(
                f"{what}：须有一个比较：{one_of_zh(COMPARATORS)} 之一",
                f"{what}: a comparison is required: one of {one_of(COMPARATORS)}",
                mp.mark,
            )
        return kind, default
    key = found[0]
    op, raw, mark = COMPARATORS[key], mp[key], p.at(mp, key)
    if op in ORDERING and kind in ("text", "status"):
        raise p.fail(
            f"{what}：{key} 比较大小，但取值为{'文字' if kind == 'text' else '状态'}，没有大小顺序；"
            "请用 equals、not_equals 或 in（或在 attributes 中把该列声明为 number、date 或 {choice: [..]}）",
            f"{what}: {key} orders values, but {'text' if kind == 'text' else 'a status'} has no order; "
            "use equals, not_equals or in (or declare the column in attributes: as number, date or "
            "{choice: [..]})",
            p.key_at(mp, key),
        )
    if op == "in":
        if not isinstance(raw, YList) or not raw:
            raise p.fail(f"{what}：in 应为取值列表", f"{what}: in: expected a list of values", mark)
        kind = _resolve_kind(p, kind, raw[0], mark)
        return kind, m.Compare("in", tuple(_value(p, kind, v, mark) for v in raw))
    if isinstance(raw, YMap):
        if kind == "grade:?" and "else" in raw:  # grade values by cases: the scale is that of the else value
            kind = _resolve_kind(p, kind, raw["else"], p.at(raw, "else"))
        return kind, m.Compare(op, _cases(p, kind, raw, mark, ctx, track))
    kind = _resolve_kind(p, kind, raw, mark)
    return kind, m.Compare(op, _value(p, kind, raw, mark))


def _resolve_kind(p: _Parser, kind: str, raw: Any, mark: Mark) -> str:
    """A grade series names its scale by the words it is compared with."""
    if kind != "grade:?":
        return kind
    scales = [name for name, words in p.grades.items() if str(raw) in words]
    if not scales:
        known = [w for words in p.grades.values() for w in words]
        raise p.fail(
            f"应为政策 grades 中的等级词（{one_of_zh(known) or '未声明'}），实际为 {raw!r}"
            f"{suggest_zh(str(raw), known)}",
            f"expected a grade word from the policy's grades ({one_of(known) or 'none declared'}), "
            f"got {raw!r}{suggest(str(raw), known)}",
            mark,
        )
    if len(scales) > 1:
        raise p.fail(
            f'等级 "{raw}" 出现在多个等级表中（{one_of_zh(scales)}）；请加 scale: <名称>',
            f'grade "{raw}" is in several scales ({one_of(scales)}); add scale: <name>',
            mark,
        )
    return f"grade:{scales[0]}"


def _value(p: _Parser, kind: str, raw: Any, mark: Mark) -> Any:
    if kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise p.fail(f"应为数字，实际为 {raw!r}", f"expected a number, got {raw!r}", mark)
        return raw
    if kind == "date":
        if not isinstance(raw, dt.date):
            raise p.fail(
                f"应为日期 YYYY-MM-DD，实际为 {raw!r}", f"expected a date YYYY-MM-DD, got {raw!r}", mark
            )
        return raw
    if kind.startswith("grade:") or kind.startswith("choice:"):
        words = p.grades[kind[6:]] if kind.startswith("grade:") else p.attributes[kind[7:]].choices
        what_zh, what = (
            ("等级表", "a grade of scale") if kind.startswith("grade:") else ("属性", "a choice of")
        )
        if str(raw) not in words:
            raise p.fail(
                f"应为{what_zh} {kind.partition(':')[2]} 的取值（{one_of_zh(words)}），实际为 {raw!r}"
                f"{suggest_zh(str(raw), words)}",
                f"expected {what} {kind.partition(':')[2]} ({one_of(words)}), got {raw!r}"
                f"{suggest(str(raw), words)}",
                mark,
            )
        return str(raw)
    if kind in ("education", "status"):
        codes = EDUCATION_WORDS if kind == "education" else STATUS_WORDS
        what_zh, what = ("学历", "an education level") if kind == "education" else ("状态", "a status")
        if str(raw) not in codes:
            raise p.fail(
                f"应为{what_zh}（{one_of_zh(codes)}），实际为 {raw!r}{suggest_zh(str(raw), codes)}",
                f"expected {what} ({one_of(codes)}), got {raw!r}{suggest(str(raw), codes)}",
                mark,
            )
        return codes[str(raw)]
    if isinstance(raw, YMap | YList):
        raise p.fail(f"应为单个取值，实际为 {raw!r}", f"expected a single value, got {raw!r}", mark)
    return str(raw)


def _cases(p: _Parser, kind: str, raw: YMap, mark: Mark, ctx: dict[str, str], track: m.Track) -> m.Cases:
    mp = p.mapping(raw, "cases", mark, ("cases", "else"))
    items = p.need(mp, "cases", "a value by cases")
    if not isinstance(items, YList) or not items:
        raise p.fail(
            "cases：应为 {when: <条件>, value: <取值>} 的列表",
            "cases: expected a list of {when: <criterion>, value: <value>}",
            p.at(mp, "cases"),
        )
    out = []
    for item, imk in zip(items, items.item_marks, strict=True):
        cm = p.mapping(item, "case", imk, ("when", "value"))
        when = p.criterion(p.need(cm, "when", "case"), p.at(cm, "when"), ctx, track, named=False)
        out.append((when, _value(p, kind, p.need(cm, "value", "case"), p.at(cm, "value"))))
    default = _value(p, kind, p.need(mp, "else", "a value by cases"), p.at(mp, "else"))
    return m.Cases(tuple(out), default)


# -- series, periods, windows -----------------------------------------------------------------------


def period(p: _Parser, mp: YMap, default: str | None = None) -> m.PeriodKind:
    word = mp.get("period", default)
    if word is None:
        raise p.fail(
            f'缺少 "period"：{one_of_zh(m.PERIOD_WORDS)} 之一',
            f'"period" is required: one of {one_of(m.PERIOD_WORDS)}',
            mp.mark,
        )
    return m.PERIOD_WORDS[p.name(word, "period", p.at(mp, "period"), tuple(m.PERIOD_WORDS))]


def series(p: _Parser, raw: Any, mark: Mark, scale: str | None = None) -> m.Series:
    if isinstance(raw, YMap):
        sm = p.mapping(raw, "measure", mark, ("of", "better"))
        inner = series(p, p.need(sm, "of", "measure"), p.at(sm, "of"), scale)
        better = p.name(sm.get("better", "higher"), "better", p.at(sm, "better"), ("higher", "lower"))
        return m.Series(inner.source, inner.metric, inner.scale, lower_is_better=better == "lower")
    name = p.name(raw, "of", mark)
    if name.startswith("metric.") and len(name) > 7:
        return m.Series("metric", metric=name[7:])  # metric names are the data's own: warned of, not refused
    if name not in ("score", "grade", "coefficient", "rank"):
        raise p.unknown("of", name, SERIES, mark, ("度量", "measure"))
    if scale and name == "grade" and scale not in p.grades:
        raise p.unknown("scale", str(scale), tuple(p.grades), mark, ("等级表", "grade scale"))
    source = cast(m.Source, name)  # one of the four, checked above
    return m.Series(source, scale=scale if name == "grade" else None, lower_is_better=name == "rank")


def series_or_rank(p: _Parser, mp: YMap) -> tuple[m.Series | m.RankSeries, str]:
    raw, mark = p.need(mp, "of", "block"), p.at(mp, "of")
    if isinstance(raw, YMap) and "rank" in raw:
        rm = p.mapping(
            p.mapping(raw, "of", mark, ("rank",))["rank"],
            "rank",
            p.at(raw, "rank"),
            ("of", "within", "combine"),
        )
        parts = rank_parts(p, rm)
        within: m.Within = p.name(
            p.need(rm, "within", "rank"), "within", p.at(rm, "within"), ("team", "department")
        )
        combine: m.Combine = p.name(rm.get("combine", "sum"), "combine", p.at(rm, "combine"), ("sum", "each"))
        return m.RankSeries(parts, within, combine), "number"
    s = series(p, raw, mark, mp.get("scale"))
    if s.source == "grade":
        return s, f"grade:{s.scale}" if s.scale else "grade:?"
    return s, "number"


def rank_parts(p: _Parser, rm: YMap) -> tuple[m.Series, ...]:
    raw, mark = p.need(rm, "of", "rank"), p.at(rm, "of")
    items = list(zip(raw, raw.item_marks, strict=True)) if isinstance(raw, YList) else [(raw, mark)]
    parts = tuple(series(p, r, mk) for r, mk in items)
    if any(s.source == "grade" for s in parts):
        raise p.fail(
            "rank：按分数或指标排名，不能按等级词排名",
            "rank: rank on scores or metrics, not on grade words",
            mark,
        )
    return parts


@overload
def window(p: _Parser, mp: YMap, required: Literal[True]) -> m.Window: ...
@overload
def window(p: _Parser, mp: YMap, required: bool) -> m.Window | None: ...
def window(p: _Parser, mp: YMap, required: bool) -> m.Window | None:
    given = [k for k in ("last", "all", "since") if k in mp]
    if len(given) > 1:
        raise p.fail(
            f"只能选一个窗口：last: N、all: true 或 since: level（实际有 {one_of_zh(given)}）",
            f"choose one window: last: N, all: true or since: level (found {one_of(given)})",
            mp.mark,
        )
    if not given:
        if required:
            raise p.fail(
                "须有一个窗口：last: N（完整周期）、all: true 或 since: level",
                "a window is required: last: N (complete periods), all: true, or since: level",
                mp.mark,
            )
        return None
    key = given[0]
    if key == "last":
        return m.Window("last", p.integer(mp["last"], "last", p.at(mp, "last"), 1))
    if key == "all":
        return m.Window("all")
    p.name(mp["since"], "since", p.at(mp, "since"), ("level",))
    return m.Window("since_level")


def ref(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str]) -> str:
    name = p.name(raw, "ref", mark)
    if name.startswith("$"):
        if name not in ctx:
            raise p.fail(
                f"{name} 只在晋升（或带 to: 的规则）中有意义；此处可用：{one_of_zh(ctx) or '无'}",
                f"{name} is only known in a promotion (or a rule with to:); known here: "
                f"{one_of(ctx) or 'none'}",
                mark,
            )
        return ctx[name]
    return name


# -- the blocks ----------------------------------------------------------------------------------------

Built = tuple[m.Block, str, "m.Compare | None"]


def _tenure(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    of = p.name(raw, "tenure", mark, TENURES)
    if of == "regularized":  # a blank regularized_on is dated from the history on this track
        return m.Tenure("regularized", track.id, track.path[0] if track.path else None), "number", None
    return m.Tenure(of), "number", None


def _consecutive(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    mp = p.mapping(raw, "consecutive", mark, ("of", "period", "since", "year", "scale", *COMPARATORS))
    of, kind = series_or_rank(p, mp)
    if "since" in mp:
        p.name(mp["since"], "since", p.at(mp, "since"), ("level",))
    if "year" in mp:  # 同时: the periods of the year of the latest annual value (e.g. that year's quarters)
        p.name(mp["year"], "year", p.at(mp, "year"), ("latest_annual",))
        if "since" in mp or isinstance(of, m.RankSeries):
            raise p.fail(
                "consecutive：year: latest_annual 只用于得分、等级或指标，且不能与 since: 同用",
                "consecutive: year: latest_annual takes a score, grade or metric and no since:",
                mp.mark,
            )
    kind, where = comparison(p, mp, kind, None, ctx, track, "consecutive")
    of = m.Series("grade", scale=kind[6:]) if kind.startswith("grade:") else of
    per = period(p, mp)
    if "year" in mp and per == "Y":
        raise p.fail(
            "consecutive：year: latest_annual 须用短于一年的周期",
            "consecutive: year: latest_annual needs a period shorter than a year",
            p.at(mp, "year"),
        )
    return m.Consecutive(of, per, where, "since" in mp, in_latest_year="year" in mp), "number", None


def _window(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    mp = p.mapping(
        raw, "window", mark, ("of", "period", "last", "all", "since", "agg", "scale", *COMPARATORS)
    )
    of, kind = series_or_rank(p, mp)
    where = None
    if any(k in mp for k in COMPARATORS):
        kind, where = comparison(p, mp, kind, None, ctx, track, "window")
        of = m.Series("grade", scale=kind[6:]) if kind.startswith("grade:") else of
    agg: m.Agg = p.name(mp.get("agg", "count" if where else "mean"), "agg", p.at(mp, "agg"), AGGS)
    if where is not None and agg != "count":
        raise p.fail(
            "window：带条件时汇总方式为 count（满足条件的周期数）",
            "window: with a condition the aggregate is count (the number of periods meeting it)",
            mp.mark,
        )
    out_kind = "number"
    if kind.startswith("grade") and where is None:
        if agg not in ("min", "max"):
            raise p.fail(
                f"window：等级词不能求和或求平均（agg {agg}）；请用 min、max 或一个条件",
                f"window: grade words cannot be summed or averaged (agg {agg}); use min, max or a condition",
                p.at(mp, "agg"),
            )
        out_kind = kind
    agg_obj = m.Aggregate(of, period(p, mp), window(p, mp, required=True), agg, where)
    return agg_obj, out_kind, None


def _latest(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    mp = p.mapping(raw, "latest", mark, ("of", "period", "scale"))
    of, kind = series_or_rank(p, mp)
    return m.Latest(of, period(p, mp)), kind, None


def _change(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    mp = p.mapping(raw, "change", mark, ("of", "period", "last"))
    s = series(p, p.need(mp, "of", "change"), p.at(mp, "of"))
    if s.source == "grade":
        raise p.fail(
            "change：比较平均值，需要分数或指标，不能用等级词",
            "change: compares averages, so it needs scores or metrics, not grade words",
            p.at(mp, "of"),
        )
    return (
        m.Change(s, period(p, mp), p.integer(p.need(mp, "last", "change"), "last", p.at(mp, "last"), 1)),
        "number",
        None,
    )


def _rank(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    mp = p.mapping(raw, "rank", mark, ("of", "within", "period", "last", "all", "since", "agg", "combine"))
    parts = rank_parts(p, mp)
    within: m.Within = p.name(
        p.need(mp, "within", "rank"), "within", p.at(mp, "within"), ("team", "department")
    )
    agg: m.RankAgg = p.name(mp.get("agg", "mean"), "agg", p.at(mp, "agg"), ("mean", "sum", "min", "max"))
    combine: m.Combine = p.name(mp.get("combine", "sum"), "combine", p.at(mp, "combine"), ("sum", "each"))
    if "since" in mp:  # everyone ranked must be measured over the same periods
        raise p.fail(
            "rank：请用 last: N 或 all: true；since: level 因人而异，无法同口径排名",
            "rank: use last: N or all: true; since: level differs from person to person",
            p.at(mp, "since"),
        )
    return m.Rank(parts, within, period(p, mp), window(p, mp, required=False), agg, combine), "number", None


EVENT_WINDOWS: tuple[m.EventWindowKind, ...] = ("previous_year", "since_level", "since_department", "ever")


def _count(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    keys = ("event", "ref", "exclude_refs", "months", "window", "measure", "unoffset")
    mp = p.mapping(raw, "count", mark, keys)
    event = p.name(p.need(mp, "event", "count"), "count.event", p.at(mp, "event"))
    if event not in EVENT_TYPES:  # the event types are fixed (INTERCHANGE.md): a misspelling counts nothing
        raise p.fail(
            f'未知的事件类型 "{event}"，应为 {one_of_zh(EVENT_TYPES)} 之一{suggest_zh(event, EVENT_TYPES)}',
            f'unknown event type "{event}"; expected one of: {one_of(EVENT_TYPES)}{suggest(event, EVENT_TYPES)}',
            p.at(mp, "event"),
        )
    refs = tuple(
        ref(p, r, p.at(mp, "ref"), ctx)
        for r in (mp["ref"] if isinstance(mp.get("ref"), YList) else [mp["ref"]] if "ref" in mp else [])
    )
    allowances: tuple[tuple[str, float], ...] = ()
    if isinstance(mp.get("exclude_refs"), YMap):  # excluded up to an entitlement: {marriage: 3, …}
        allowances = _allowances(p, mp["exclude_refs"], p.at(mp, "exclude_refs"))
        exclude: tuple[str, ...] = ()
    else:
        exclude = p.names(mp.get("exclude_refs", YList()), "exclude_refs", p.at(mp, "exclude_refs"))
    if "months" in mp and "window" in mp:
        raise p.fail(
            "count：months: N 与 window: … 只能给一个",
            "count: give either months: N or window: …, not both",
            mp.mark,
        )
    if "months" in mp:
        win = m.EventWindow("months", p.integer(mp["months"], "months", p.at(mp, "months"), 1))
    else:
        win = m.EventWindow(p.name(mp.get("window", "ever"), "window", p.at(mp, "window"), EVENT_WINDOWS))
    measure: m.CountMeasure = p.name(
        mp.get("measure", "count"), "measure", p.at(mp, "measure"), ("count", "sum", "distinct_refs")
    )
    if allowances and measure != "sum":
        raise p.fail(
            "exclude_refs 带额度（{ref: 天数}）时须写 measure: sum（计超出额度的天数）",
            "exclude_refs with entitlements ({ref: days}) needs measure: sum (the days beyond count)",
            p.at(mp, "exclude_refs"),
        )
    unoffset = mp.get("unoffset", False)
    if unoffset != "same_year" and not isinstance(unoffset, bool):
        raise p.fail(
            f"unoffset：应为 true、false 或 same_year（年度内抵消），实际为 {unoffset!r}",
            f"unoffset: expected true, false or same_year (年度内抵消), got {unoffset!r}",
            p.at(mp, "unoffset"),
        )
    return (
        m.Count(
            event,
            refs,
            exclude,
            win,
            measure,
            bool(unoffset),
            offset_same_year=unoffset == "same_year",
            allowances=allowances,
        ),
        "number",
        None,
    )


def _allowances(p: _Parser, mp: YMap, mark: Mark) -> tuple[tuple[str, float], ...]:
    out = []
    for key in mp:
        value = mp[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise p.fail(
                f"exclude_refs.{key}：应为额度天数（≥ 0 的数），实际为 {value!r}",
                f"exclude_refs.{key}: expected the entitlement, a number ≥ 0, got {value!r}",
                mark,
            )
        out.append((str(key), float(value)))
    return tuple(out)


def _latest_event(
    p: _Parser, event: m.LatestEventKind, raw: Any, mark: Mark, ctx: dict[str, str]
) -> m.LatestEvent:
    """`exam: technical`, or `exam: {ref: technical, since: level}` to count only attempts made at the
    current level (a stage or post score taken at an earlier level does not count)."""
    if not isinstance(raw, YMap):
        return m.LatestEvent(event, ref(p, raw, mark, ctx))
    mp = p.mapping(raw, event, mark, ("ref", "since"))
    name = ref(p, p.need(mp, "ref", event), p.at(mp, "ref"), ctx)
    if "since" in mp:
        p.name(mp["since"], "since", p.at(mp, "since"), ("level",))
    return m.LatestEvent(event, name, since_level="since" in mp)


def _exam(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    return (
        _latest_event(p, "exam", raw, mark, ctx),
        "number",
        m.Compare(">=", p.exam_pass),
    )  # defaults.exam_pass


def _attestation(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    return _latest_event(p, "attestation", raw, mark, ctx), "number", m.Compare("==", 1)


def _course(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    return m.Count("course_completed", (ref(p, raw, mark, ctx),)), "number", m.Compare(">=", 1)


def _certificate(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    return m.Count("certificate", (ref(p, raw, mark, ctx),)), "number", m.Compare(">=", 1)


def _attribute(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    name = p.name(raw, "attribute", mark)
    if name not in p.attributes:
        raise p.fail(
            f'未知的属性 "{name}"，应为 {one_of_zh(p.attributes)} 之一{suggest_zh(name, p.attributes)}；'
            "employees.csv 的其他列须先在 attributes: 中声明类型（number、date、text 或 {choice: [..]}）",
            f'unknown attribute "{name}"; expected one of: {one_of(p.attributes)}{suggest(name, p.attributes)}; '
            "declare the type of another employees.csv column in attributes: (number, date, text or "
            "{choice: [..]})",
            mark,
        )
    kind = p.attributes[name].value_kind
    return m.Attribute(name, kind), kind, None


def _vacancy(p: _Parser, raw: Any, mark: Mark, ctx: dict[str, str], track: m.Track) -> Built:
    level = ref(p, raw, mark, ctx)
    if level not in track.level_ids():
        raise p.unknown(f"vacancy（通道 {track.id} / track {track.id}）", level, track.level_ids(), mark)
    return m.Vacancy(level), "number", m.Compare(">", 0)


BUILDERS = {
    "tenure": _tenure,
    "consecutive": _consecutive,
    "window": _window,
    "latest": _latest,
    "change": _change,
    "rank": _rank,
    "count": _count,
    "exam": _exam,
    "attestation": _attestation,
    "course": _course,
    "certificate": _certificate,
    "attribute": _attribute,
    "vacancy": _vacancy,
}
BLOCKS: tuple[str, ...] = (*BUILDERS, "all", "any", "not")
