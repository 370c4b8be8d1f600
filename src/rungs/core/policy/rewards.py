"""The grammar of `rewards:`: reward plans (cycle, who, eligibility, components, caps, budget) and when
the pay effects of promotions and demotions take effect. Checked when the policy is loaded, like the rest.

Money is Decimal in yuan with at most two decimal places (fen); a rate is a Decimal fraction, written as a
percentage ("50%") or a fraction (0.5).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from rungs.core.policy import model as m
from rungs.core.policy.blocks import COMPARATORS
from rungs.core.policy.source import Mark, YList, YMap
from rungs.core.vocabulary import METRIC_WORDS

if TYPE_CHECKING:
    from rungs.core.policy.parse import _Parser

CALCS = ("share", "tiers", "fixed")
WITHIN: tuple[m.Within3, ...] = ("self", "team", "department")
METRIC_AGGS: tuple[m.MetricAgg, ...] = ("sum", "mean", "min", "max")
ORDER_OPS = {k: v for k, v in COMPARATORS.items() if v in (">=", "<=", ">", "<", "==")}
_PERCENT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*$")


def parse_rewards(p: _Parser, value: Any, mark: Mark) -> m.Rewards:
    if value is None:
        return m.Rewards()
    mp = p.mapping(value, "rewards", mark, ("pay_effective", "plans"))
    effective: m.PayEffective = p.name(
        mp.get("pay_effective", "next_month"),
        "rewards.pay_effective",
        p.at(mp, "pay_effective"),
        ("same_month", "next_month"),
    )
    plans = tuple(_plan(p, v, mk) for v, mk in p.items(mp, "plans"))
    p.check_unique([(pl.id, pl) for pl in plans], "reward plan id", "奖励方案 id")
    return m.Rewards(plans, effective)


def money(p: _Parser, raw: Any, what: str, mark: Mark, *, positive: bool = False) -> Decimal:
    """Yuan as Decimal, at most two decimal places (fen)."""
    ok = not isinstance(raw, bool) and isinstance(raw, int | float)
    value = Decimal(str(raw)) if ok else Decimal(0)
    if not ok or value.as_tuple().exponent < -2 or (positive and value <= 0):  # type: ignore[operator]
        need_zh, need_en = ("大于 0 的", "greater than 0 ") if positive else ("", "")
        raise p.fail(
            f"{what}：应为{need_zh}金额（元，最多两位小数，例如 800 或 1250.50），实际为 {raw!r}",
            f"{what}: expected an amount {need_en}in yuan with at most two decimals (e.g. 800 or 1250.50), "
            f"got {raw!r}",
            mark,
        )
    return value


def rate(p: _Parser, raw: Any, what: str, mark: Mark) -> Decimal:
    """50% or 0.5 → Decimal('0.5'); a bare number above 1 is refused (write 150% for one and a half)."""
    value: Decimal | None = None
    if isinstance(raw, str) and (hit := _PERCENT.match(raw)):
        value = Decimal(hit.group(1)) / 100
    elif not isinstance(raw, bool) and isinstance(raw, int | float) and 0 <= raw <= 1:
        value = Decimal(str(raw))
    if value is None or value < 0:
        raise p.fail(
            f"{what}：应为百分数（例如 50%）或 0 到 1 之间的小数（例如 0.5），实际为 {raw!r}",
            f"{what}: expected a percentage (e.g. 50%) or a fraction from 0 to 1 (e.g. 0.5), got {raw!r}",
            mark,
        )
    return value.normalize() if value else Decimal(0)


def _plan(p: _Parser, value: Any, mark: Mark) -> m.RewardPlan:
    keys = (
        "id",
        "label",
        "cycle",
        "track",
        "levels",
        "eligibility",
        "match",
        "components",
        "cap",
        "budget",
        "effective_from",
        "note",
        "unit",
    )
    mp = p.mapping(value, "reward plan", mark, keys)
    pid = p.name(p.need(mp, "id", "reward plan"), "reward plan id", p.at(mp, "id"))
    what = f"rewards.plans {pid}"
    cycle = m.PERIOD_WORDS[
        p.name(p.need(mp, "cycle", what), f"{what} cycle", p.at(mp, "cycle"), tuple(m.PERIOD_WORDS))
    ]
    if "track" in mp:
        track = p.track_ref(mp, what)
    elif len(p.tracks) == 1:
        track = next(iter(p.tracks.values()))
    else:
        raise p.fail(
            f'{what}：政策有多个通道，须用 "track" 指明方案适用的通道（{"、".join(p.tracks)}）',
            f'{what}: the policy has several tracks, so "track" must name the plan\'s ({", ".join(p.tracks)})',
            mp.mark,
        )
    levels = (
        p.names(mp["levels"], f"{what} levels", p.at(mp, "levels"), track.level_ids())
        if "levels" in mp
        else track.level_ids()
    )
    eligibility = _criteria(p, mp, "eligibility", track)
    match: m.Match = p.name(mp.get("match", "all"), f"{what} match", p.at(mp, "match"), ("all", "any"))
    items = p.items(mp, "components")
    if not items:
        raise p.fail(
            f'{what}：缺少 "components"：至少一个组成部分（share、tiers 或 fixed）',
            f'{what}: "components" is required: at least one component (share, tiers or fixed)',
            mp.mark,
        )
    components = tuple(_component(p, v, mk, track, levels, what) for v, mk in items)
    p.check_unique(
        [(c.id, c) for c in components], f"component id of plan {pid}", f"方案 {pid} 的组成部分 id"
    )
    effective = mp.get("effective_from")
    if effective is not None and not isinstance(effective, dt.date):
        raise p.fail(
            f"{what} effective_from：应为日期 YYYY-MM-DD，实际为 {effective!r}",
            f"{what} effective_from: expected a date YYYY-MM-DD, got {effective!r}",
            p.at(mp, "effective_from"),
        )
    unit: m.RewardUnit = p.name(mp.get("unit", "yuan"), f"{what} unit", p.at(mp, "unit"), ("yuan", "points"))
    plan = m.RewardPlan(
        id=pid,
        label=p.label(mp.get("label"), mp.mark, pid),
        cycle=cycle,
        track=track.id,
        levels=levels,
        components=components,
        eligibility=eligibility,
        match=match,
        cap=money(p, mp["cap"], f"{what} cap", p.at(mp, "cap"), positive=True) if "cap" in mp else None,
        budget=_budget(p, mp["budget"], p.at(mp, "budget"), what) if "budget" in mp else None,
        effective_from=effective,
        note=p.text(mp.get("note"), "note", p.at(mp, "note")),
        unit=unit,
    )
    if unit == "points":
        _whole_points(p, plan, what, mp.mark)
    return plan


def _whole_points(p: _Parser, plan: m.RewardPlan, what: str, mark: Mark) -> None:
    """A points plan gives whole points: its amounts (tiers, fixed, caps, budget) are whole numbers."""
    amounts = [plan.cap, plan.budget.amount if plan.budget else None]
    for c in plan.components:
        amounts.append(c.cap)
        if isinstance(c.calc, m.Tiers):
            amounts += [t.amount for t in c.calc.tiers]
        elif isinstance(c.calc, m.Fixed):
            amounts.append(c.calc.amount)
    for a in amounts:
        if a is not None and a != a.to_integral_value():
            raise p.fail(
                f"{what}：以积分计（unit: points）的方案只给整数积分，{a} 不是整数",
                f"{what}: a plan in points (unit: points) gives whole points; {a} is not a whole number",
                mark,
            )


def _criteria(p: _Parser, mp: YMap, key: str, track: m.Track) -> tuple[m.Criterion, ...]:
    out = tuple(p.criterion(c, mk, {}, track, named=True) for c, mk in p.items(mp, key))
    p.check_unique([(c.id, c) for c in out], "criterion id", "条件 id")
    return out


def _budget(p: _Parser, raw: Any, mark: Mark, what: str) -> m.Budget:
    if not isinstance(raw, YMap):
        return m.Budget(money(p, raw, f"{what} budget", mark, positive=True))
    bm = p.mapping(raw, f"{what} budget", mark, ("amount", "per"))
    amount = money(
        p, p.need(bm, "amount", f"{what} budget"), f"{what} budget.amount", p.at(bm, "amount"), positive=True
    )
    per: m.BudgetPer = p.name(
        bm.get("per", "company"), f"{what} budget.per", p.at(bm, "per"), ("company", "department")
    )
    return m.Budget(amount, per)


def _component(
    p: _Parser, value: Any, mark: Mark, track: m.Track, levels: tuple[str, ...], plan: str
) -> m.Component:
    mp = p.mapping(value, "component", mark, ("id", "label", "when", "cap", *CALCS))
    cid = p.name(p.need(mp, "id", f"{plan} component"), "component id", p.at(mp, "id"))
    what = f"{plan} component {cid}"
    calcs = [k for k in CALCS if k in mp]
    if len(calcs) != 1:
        raise p.fail(
            f"{what}：须恰有一种计算方式（share 按比例、tiers 按档位、fixed 固定金额），实际为 {len(calcs) or '零'} 种",
            f"{what}: needs exactly one way to compute it (share, tiers or fixed), found {len(calcs) or 'none'}",
            mp.mark,
        )
    kind, raw, at = calcs[0], mp[calcs[0]], p.at(mp, calcs[0])
    calc: m.Calc
    if kind == "share":
        calc = _share(p, raw, at, track, levels, what)
    elif kind == "tiers":
        calc = _tiers(p, raw, at, what)
    else:
        calc = m.Fixed(money(p, raw, f"{what} fixed", at))
        if calc.amount == 0:
            raise p.fail(f"{what} fixed：金额不能为 0", f"{what} fixed: the amount cannot be 0", at)
    when = _when(p, mp["when"], p.at(mp, "when"), track, levels, what) if "when" in mp else m.When()
    cap = money(p, mp["cap"], f"{what} cap", p.at(mp, "cap"), positive=True) if "cap" in mp else None
    return m.Component(cid, p.label(mp.get("label"), mp.mark, cid), calc, when, cap)


def measure(p: _Parser, raw: Any, mark: Mark, what: str) -> m.Measure:
    """`metric.commission`, or {metric: commission, total: department, agg: sum}."""
    if isinstance(raw, str):
        if not raw.startswith("metric.") or len(raw) <= 7:
            raise p.fail(
                f'{what}：应为 metric.<指标名>（例如 metric.commission），实际为 "{raw}"',
                f'{what}: expected metric.<name> (e.g. metric.commission), got "{raw}"',
                mark,
            )
        return m.Measure(raw[7:], _default_agg(raw[7:]))
    mm = p.mapping(raw, what, mark, ("metric", "total", "agg"))
    name = p.name(p.need(mm, "metric", what), f"{what} metric", p.at(mm, "metric"))
    name = name[7:] if name.startswith("metric.") else name
    within: m.Within3 = p.name(mm.get("total", "self"), f"{what} total", p.at(mm, "total"), WITHIN)
    agg: m.MetricAgg = p.name(mm.get("agg", _default_agg(name)), f"{what} agg", p.at(mm, "agg"), METRIC_AGGS)
    return m.Measure(name, agg, within)


def _default_agg(metric: str) -> m.MetricAgg:
    word = METRIC_WORDS.get(metric)
    return "sum" if word is not None and word.additive else "mean"


def _share(p: _Parser, raw: Any, mark: Mark, track: m.Track, levels: tuple[str, ...], what: str) -> m.Share:
    sm = p.mapping(raw, f"{what} share", mark, ("of", "rate", "rates"))
    of = measure(p, p.need(sm, "of", f"{what} share"), p.at(sm, "of"), f"{what} share.of")
    if ("rate" in sm) == ("rates" in sm):
        raise p.fail(
            f"{what} share：须有 rate（一个比例）或 rates（按情形的比例列表），二者选一",
            f"{what} share: give either rate (one share) or rates (shares by case), exactly one",
            sm.mark,
        )
    if "rate" in sm:
        return m.Share(of, (m.Rate(rate(p, sm["rate"], f"{what} share.rate", p.at(sm, "rate"))),))
    out = []
    for item, imk in p.items(sm, "rates"):
        rm = p.mapping(item, f"{what} share.rates", imk, ("rate", "when", "label"))
        r = rate(p, p.need(rm, "rate", f"{what} share.rates"), f"{what} share.rates.rate", p.at(rm, "rate"))
        when = _when(p, rm["when"], p.at(rm, "when"), track, levels, what) if "when" in rm else m.When()
        label = p.label(rm.get("label"), rm.mark, "") if "label" in rm else m.Label("", "")
        out.append(m.Rate(r, when, label))
    if not out:
        raise p.fail(
            f"{what} share.rates：至少一项", f"{what} share.rates: at least one item", p.at(sm, "rates")
        )
    return m.Share(of, tuple(out))


def _tiers(p: _Parser, raw: Any, mark: Mark, what: str) -> m.Tiers:
    if not isinstance(raw, YList) or not raw:
        raise p.fail(
            f"{what} tiers：应为档位列表（由高到低），每档有 label、kpis 和 amount",
            f"{what} tiers: expected a list of tiers (best first), each with label, kpis and amount",
            mark,
        )
    out: list[m.Tier] = []
    for item, imk in zip(raw, raw.item_marks, strict=True):
        tm = p.mapping(item, f"{what} tier", imk, ("label", "kpis", "amount"))
        label = p.label(tm.get("label"), tm.mark, f"{len(out) + 1}")
        amount = money(p, p.need(tm, "amount", f"{what} tier"), f"{what} tier amount", p.at(tm, "amount"))
        kpis_raw = p.need(tm, "kpis", f"{what} tier {label.zh}")
        if not isinstance(kpis_raw, YList) or not kpis_raw:
            raise p.fail(
                f"{what} tier {label.zh} kpis：应为指标条件列表，例如 - {{metric: csat, at_least: 95}}",
                f"{what} tier {label.en} kpis: expected a list of metric conditions, e.g. - {{metric: csat, "
                "at_least: 95}",
                p.at(tm, "kpis"),
            )
        kpis = tuple(
            _kpi(p, k, kmk, f"{what} tier {label.zh}")
            for k, kmk in zip(kpis_raw, kpis_raw.item_marks, strict=True)
        )
        out.append(m.Tier(label, kpis, amount))
    return m.Tiers(tuple(out))


def _kpi(p: _Parser, raw: Any, mark: Mark, what: str) -> m.KpiThreshold:
    km = p.mapping(raw, f"{what} kpi", mark, ("metric", "total", "agg", *ORDER_OPS))
    of = measure(p, YMap({k: v for k, v in km.items() if k in ("metric", "total", "agg")}), km.mark, what)
    ops = [k for k in km if k in ORDER_OPS]
    if len(ops) != 1:
        raise p.fail(
            f"{what} kpi {of.metric}：须恰有一个比较（{'、'.join(ORDER_OPS)} 之一）",
            f"{what} kpi {of.metric}: needs exactly one comparison (one of {', '.join(ORDER_OPS)})",
            km.mark,
        )
    raw_v = km[ops[0]]
    if isinstance(raw_v, bool) or not isinstance(raw_v, int | float):
        raise p.fail(
            f"{what} kpi {of.metric}：{ops[0]} 应为数字，实际为 {raw_v!r}",
            f"{what} kpi {of.metric}: {ops[0]} expects a number, got {raw_v!r}",
            p.at(km, ops[0]),
        )
    word = METRIC_WORDS.get(of.metric)
    if word is not None and word.fraction and not 0 <= raw_v <= 1:
        raise p.fail(
            f"{what} kpi {of.metric}：该指标为 0 到 1 的比率（90% 写作 0.9），实际为 {raw_v!r}",
            f"{what} kpi {of.metric}: this metric is a fraction from 0 to 1 (90% is 0.9), got {raw_v!r}",
            p.at(km, ops[0]),
        )
    return m.KpiThreshold(of, ORDER_OPS[ops[0]], Decimal(str(raw_v)))


def _when(p: _Parser, raw: Any, mark: Mark, track: m.Track, levels: tuple[str, ...], what: str) -> m.When:
    wm = p.mapping(raw, f"{what} when", mark, ("levels", "month_in_level", "criteria"))
    lv = p.names(wm["levels"], f"{what} when.levels", p.at(wm, "levels"), levels) if "levels" in wm else ()
    month = None
    if "month_in_level" in wm:
        rawm, at = wm["month_in_level"], p.at(wm, "month_in_level")
        if isinstance(rawm, YMap):
            cm = p.mapping(rawm, f"{what} when.month_in_level", at, tuple(ORDER_OPS))
            if len(cm) != 1:
                raise p.fail(
                    f"{what} when.month_in_level：须恰有一个比较，例如 {{at_least: 3}}",
                    f"{what} when.month_in_level: needs exactly one comparison, e.g. {{at_least: 3}}",
                    at,
                )
            key = next(iter(cm))
            month = m.Compare(
                ORDER_OPS[key], p.integer(cm[key], f"{what} when.month_in_level", p.at(cm, key), 1)
            )
        else:
            month = m.Compare("==", p.integer(rawm, f"{what} when.month_in_level", at, 1))
    return m.When(lv, month, _criteria(p, wm, "criteria", track))


def money_text(value: Decimal) -> str:
    """Yuan with two decimals: Decimal('800') → '800.00'."""
    try:
        return f"{value.quantize(Decimal('0.01')):f}"
    except InvalidOperation:  # pragma: no cover - amounts are checked when loaded
        return str(value)
