"""A reward run: every plan of the cycle's kind over everyone it covers at once, as ledger lines.

Per plan, one frame of its subjects (the employees at the plan's levels on the last day of the cycle),
with one column per condition (the eligibility and the components' `when` criteria, evaluated by the
engine on the day after the cycle) and one per measure; each component is then a few column expressions
over that frame. Amounts are whole fen (Int64) from start to end; a line's explanation and its frozen
inputs are built as columns too, so no Python runs per employee.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from rungs.core.engine.context import Context, build_context, levels_on
from rungs.core.engine.evaluate import eligible_queries, needed_for, widen
from rungs.core.interchange.dataset import Dataset
from rungs.core.interchange.reader import Needed
from rungs.core.periods import month_seq
from rungs.core.policy import model as m
from rungs.core.rewards.cycle import KIND_WORDS, Cycle
from rungs.core.rewards.measures import ID, kpi_value, measure_values
from rungs.core.rewards.money import UNITS, decimal_text, fen, percent_text, ratio, times, yuan
from rungs.core.rewards.pay import pay_changes
from rungs.core.vocabulary import METRIC_WORDS

LINE_SCHEMA: dict[str, pl.DataType] = {
    ID: pl.String(),
    "plan": pl.String(),
    "component": pl.String(),
    "amount": pl.Int64(),  # fen, or hundredths of a point (rungs.core.rewards.money.Unit)
    "unit": pl.String(),  # yuan | points
    "explanation_zh": pl.String(),
    "explanation_en": pl.String(),
    "inputs": pl.String(),  # a JSON object of strings: the values the line was computed from
    "_p": pl.Int32(),
    "_c": pl.Int32(),
}
Build = Callable[[pl.LazyFrame], pl.LazyFrame]  # a component: the plan's frame → its lines
OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


@dataclass(frozen=True)
class RewardRun:
    policy: m.Policy
    cycle: Cycle
    plans: tuple[m.RewardPlan, ...]  # the plans run (those of the cycle's kind in force)
    lines: pl.DataFrame  # LINE_SCHEMA without the order columns, sorted by employee, plan, component
    pay_changes: pl.DataFrame  # rungs.core.rewards.pay.PAY_SCHEMA
    budgets: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...]


def metrics_needed(policy: m.Policy) -> set[str]:
    """The metrics the reward plans read (with those of their criteria, for the reader to keep)."""
    from rungs.core.engine.evaluate import _measures, walk

    out: set[str] = set()
    for plan in policy.rewards.plans:
        criteria = list(plan.eligibility)
        for c in plan.components:
            criteria += c.when.criteria
            if isinstance(c.calc, m.Share):
                out.add(c.calc.of.metric)
                criteria += [x for r in c.calc.rates for x in r.when.criteria]
            elif isinstance(c.calc, m.Tiers):
                out.update(k.of.metric for t in c.calc.tiers for k in t.kpis)
        out.update(s.metric for c in walk(tuple(criteria)) for s in _measures(c.block) if s.metric)
    return out


def needed_for_cycle(policy: m.Policy, cycle: Cycle) -> Needed:
    """The rows a run of the cycle reads (a reader leaves the rest out): what the plans' criteria read on
    the day after the cycle, the metrics of their shares and tiers for the cycle's own period and its
    months, and the pay_step events of the pay changes."""
    plans = plans_for(policy, cycle)
    criteria: list[m.Criterion] = []
    metrics: set[str] = set()
    for plan in plans:
        criteria += plan.eligibility
        for c in plan.components:
            criteria += c.when.criteria
            if isinstance(c.calc, m.Share):
                metrics.add(c.calc.of.metric)
                criteria += [x for r in c.calc.rates for x in r.when.criteria]
            elif isinstance(c.calc, m.Tiers):
                metrics.update(k.of.metric for t in c.calc.tiers for k in t.kpis)
    base = needed_for(tuple(criteria), cycle.after)
    spans = {name: dict(kinds) for name, kinds in base.metrics.items()}
    for name in metrics:
        widen(spans.setdefault(name, {}), cycle.kind, (cycle.seq, cycle.seq))
        widen(spans[name], "M", (cycle.first_month, cycle.last_month))
    return Needed(spans, base.evaluations, base.event_types | {"pay_step"}, base.event_since)


def plans_for(policy: m.Policy, cycle: Cycle) -> tuple[m.RewardPlan, ...]:
    """The plans of the cycle's kind in force for it (effective_from on or before the cycle's start)."""
    return tuple(
        p
        for p in policy.rewards.plans
        if p.cycle == cycle.kind and (p.effective_from is None or p.effective_from <= cycle.start)
    )


def run_rewards(
    policy: m.Policy, data: Dataset, cycle: Cycle, langs: tuple[str, ...] = ("zh", "en")
) -> RewardRun:
    """Every plan of the cycle for everyone it covers, and the pay changes the cycle's decisions imply.
    `langs`: the languages whose explanations are built (the ledger keeps both; a report on files shows
    one, and the other's column is left empty rather than worked out for every line)."""
    plans = plans_for(policy, cycle)
    warnings: list[str] = []
    if not policy.rewards.plans and not any(
        r.pay and (r.pay.base_pct or r.pay.raise_min) for r in policy.rules
    ):
        warnings.append(
            "政策没有奖励方案（rewards.plans），也没有规则的薪酬影响（pay）/ the policy has no reward plans "
            "(rewards.plans) and no rule with a pay effect (pay)"
        )
    elif policy.rewards.plans and not plans:
        zh, en = KIND_WORDS[cycle.kind]
        warnings.append(
            f"没有适用于{zh}周期 {cycle.label} 的奖励方案 / no reward plan with a {en} cycle is in force for "
            f"{cycle.label}"
        )
    last_day = cycle.after - dt.timedelta(days=1)
    ctx = build_context(data, cycle.after)
    # Who holds which level is read on the cycle's last day (a promotion starting the day after does not
    # count for the cycle); the criteria are evaluated on the day after, so the cycle is complete.
    ctx = dataclasses.replace(ctx, levels=levels_on(ctx, last_day))
    builds = [_PlanBuild(ctx, policy, plan, i, cycle) for i, plan in enumerate(plans)]
    unused = [
        pl.lit(None, pl.String).alias(f"explanation_{lang}") for lang in ("zh", "en") if lang not in langs
    ]
    frames = pl.collect_all([b.query().with_columns(unused) for b in builds]) if builds else []
    lines = pl.concat([pl.DataFrame(schema=LINE_SCHEMA), *frames], how="vertical")
    lines = lines.sort(ID, "_p", "_c").drop("_p", "_c")
    changes, pay_warnings = pay_changes(policy, data, cycle)
    budgets = tuple(_budgets(plans, lines, data, warnings))
    warnings += pay_warnings
    warnings += _metric_warnings(policy, data, plans, cycle)
    return RewardRun(policy, cycle, plans, lines, changes, budgets, tuple(warnings))


def _metric_warnings(
    policy: m.Policy, data: Dataset, plans: tuple[m.RewardPlan, ...], cycle: Cycle
) -> list[str]:
    """The metrics the cycle's plans read that metrics.csv has no row of for the cycle (its own period or
    its months): those components give no lines, most likely because the KPI export is missing."""
    of_cycle = ((pl.col("period_kind") == cycle.kind) & (pl.col("seq") == cycle.seq)) | (
        (pl.col("period_kind") == "M") & pl.col("seq").is_between(cycle.first_month, cycle.last_month)
    )
    present = set(data.metrics.filter(of_cycle).get_column("metric").unique().cast(pl.String).to_list())
    sub = dataclasses.replace(policy, rewards=m.Rewards(plans))
    return [
        f"metrics.csv 中没有 {cycle.label} 的指标 {name}，用到它的组成部分不产生明细 / metrics.csv has no "
        f"{name} for {cycle.label}: the components that use it give no lines"
        for name in sorted(metrics_needed(sub) - present)
    ]


def _budgets(
    plans: tuple[m.RewardPlan, ...], lines: pl.DataFrame, data: Dataset, warnings: list[str]
) -> list[dict[str, Any]]:
    """Per plan with a budget, per company or department: the budget, what the lines pay and what is
    left (text in the plan's unit), and a warning for each one over. Built as columns: a company-wide
    run has thousands of departments."""
    out: list[dict[str, Any]] = []
    people = data.employees.select(ID, "department")
    for plan in plans:
        if plan.budget is None:
            continue
        u, cap = UNITS[plan.unit], fen(plan.budget.amount)
        mine = lines.filter(pl.col("plan") == plan.id)
        if plan.budget.per == "company":
            sums = pl.DataFrame({"department": [None], "total": [int(mine.get_column("amount").sum())]})
            sums = sums.cast({"department": pl.String, "total": pl.Int64})
        else:
            sums = (
                mine.join(people, on=ID, how="left")
                .group_by("department")
                .agg(pl.col("amount").sum().alias("total"))
                .sort(pl.col("department").is_null(), "department")
            )
        rows = sums.select(
            pl.lit(plan.id).alias("plan"),
            "department",
            pl.lit(u.text(cap)).alias("budget"),
            u.expr(pl.col("total")).alias("total"),
            u.expr(cap - pl.col("total")).alias("remaining"),
            (pl.col("total") > cap).alias("_over"),
            u.expr(pl.col("total") - cap).alias("_by"),
        )
        for r in rows.iter_rows(named=True):
            if r.pop("_over"):
                dept, total, by = r["department"], r["total"], r.pop("_by")
                where_zh = f"部门 {dept} " if dept else ""
                where_en = f" in department {dept}" if dept else ""
                warnings.append(
                    f"方案 {plan.id} {where_zh}本周期合计 {total} {u.zh}，预算 {r['budget']} {u.zh}，"
                    f"超出 {by} {u.zh} / plan {plan.id}{where_en} pays {total} {u.en} this cycle, "
                    f"{by} over its budget of {r['budget']}"
                )
            else:
                r.pop("_by")
            out.append(r)
    return out


def _lit(text: str) -> pl.Expr:
    return pl.lit(text, dtype=pl.String)


def _compare(col: pl.Expr, op: m.Op, value: Any) -> pl.Expr:
    ops: dict[str, pl.Expr] = {
        ">=": col >= value,
        "<=": col <= value,
        ">": col > value,
        "<": col < value,
        "==": col == value,
        "!=": col != value,
    }
    return ops[op].fill_null(False)


def _kpi_text(col: str, metric: str) -> pl.Expr:
    """A KPI value as people read it: 96.2, or 91% for a fraction."""
    word = METRIC_WORDS.get(metric)
    if word is not None and word.fraction:
        return (pl.col(col) * 100).round(4).cast(pl.String).str.replace(r"\.0$", "") + "%"
    return _number_text(col)


def _number_text(col: str) -> pl.Expr:
    """A KPI value as written: 85.0 → 85, 0.905 → 0.905."""
    return kpi_value(col).cast(pl.String).str.replace(r"\.0$", "")


def _threshold_text(metric: str, value: Decimal) -> str:
    word = METRIC_WORDS.get(metric)
    return percent_text(value) if word is not None and word.fraction else decimal_text(value)


def metric_label(metric: str, lang: str) -> str:
    word = METRIC_WORDS.get(metric)
    return word.label(lang) if word is not None else metric


class _PlanBuild:
    """One plan's query: subjects, condition and measure columns, then one line frame per component."""

    def __init__(self, ctx: Context, policy: m.Policy, plan: m.RewardPlan, index: int, cycle: Cycle) -> None:
        self.ctx, self.policy, self.plan, self.index, self.cycle = ctx, policy, plan, index, cycle
        self.u = UNITS[plan.unit]
        self.rules: list[tuple[str, m.Rule]] = []  # condition column → the rule that computes it
        self.measures: dict[m.Measure, str] = {}

    def condition(self, name: str, criteria: tuple[m.Criterion, ...], match: m.Match = "all") -> str | None:
        if not criteria:
            return None
        col = f"_w{len(self.rules)}"
        rule = m.Rule(
            f"{self.plan.id}:{name}",
            "reward",
            self.plan.label,
            self.plan.track,
            self.plan.levels,
            None,
            criteria,
            match,
        )
        self.rules.append((col, rule))
        return col

    def when(self, w: m.When, name: str) -> pl.Expr:
        expr = pl.lit(True)
        if w.levels:
            expr = expr & pl.col("level").is_in(list(w.levels))
        if w.month_in_level is not None:
            expr = expr & _compare(pl.col("month_in_level"), w.month_in_level.op, w.month_in_level.value)
        col = self.condition(name, w.criteria)
        if col is not None:
            expr = expr & pl.col(col).fill_null(False)
        return expr

    def measure(self, ms: m.Measure) -> str:
        return self.measures.setdefault(ms, f"_m{len(self.measures)}")

    def query(self) -> pl.LazyFrame:
        plan, ctx = self.plan, self.ctx
        subjects = (
            ctx.levels.filter(pl.col("track") == plan.track, pl.col("level").is_in(list(plan.levels)))
            .join(ctx.employees.select(ID, "team", "department"), on=ID, how="inner")
            .with_columns(
                month_in_level=(
                    self.cycle.last_month
                    - month_seq(
                        pl.col("level_start").dt.year().cast(pl.Int32),
                        pl.col("level_start").dt.month().cast(pl.Int32),
                    )
                    + 1
                )
            )
            .select(ID, "level", "team", "department", "month_in_level")
        )
        eligible = self.condition("eligibility", plan.eligibility, plan.match)
        parts = [(i, c, self.component(c)) for i, c in enumerate(plan.components)]  # registers columns
        frame = subjects
        for col, q in zip(
            [c for c, _ in self.rules],
            eligible_queries(ctx, self.policy, [r for _, r in self.rules]),
            strict=True,
        ):
            frame = frame.join(q.rename({"eligible": col}), on=ID, how="left")
        for ms, col in self.measures.items():
            values, keys = measure_values(ctx.data, self.cycle, ms)
            frame = frame.join(values.rename({"value": col, "fen": f"{col}f"}), on=keys, how="left")
        if eligible is not None:
            frame = frame.filter(pl.col(eligible).fill_null(False))
        frame = frame.cache()
        lines = [
            build(frame)
            .filter(pl.col("amount").is_not_null() & (pl.col("amount") != 0))
            .with_columns(
                plan=_lit(plan.id),
                component=_lit(c.id),
                unit=_lit(plan.unit),
                _p=pl.lit(self.index, pl.Int32),
                _c=pl.lit(i, pl.Int32),
            )
            for i, c, build in parts
        ]
        out = pl.concat([q.select(list(LINE_SCHEMA)) for q in lines], how="vertical")
        if plan.cap is not None:
            out = pl.concat([out, self.plan_cap(out, fen(plan.cap))], how="vertical")
        return out

    # -- components ----------------------------------------------------------------------------------

    def component(self, c: m.Component) -> Build:
        applies = self.when(c.when, c.id)
        if isinstance(c.calc, m.Share):
            build = self.share(c, c.calc)
        elif isinstance(c.calc, m.Tiers):
            build = self.tiers(c, c.calc)
        else:
            build = self.fixed(c, c.calc)

        def run(frame: pl.LazyFrame) -> pl.LazyFrame:
            return self.capped(c, build(frame.filter(applies)))

        return run

    def share(self, c: m.Component, calc: m.Share) -> Build:
        ms = calc.of
        col = self.measure(ms)
        conds = [self.when(r.when, f"{c.id}#{i}") for i, r in enumerate(calc.rates)]
        chosen: Any = None
        for i, cond in enumerate(conds):
            chosen = pl.when(cond).then(pl.lit(i)) if chosen is None else chosen.when(cond).then(pl.lit(i))
        index = chosen.otherwise(pl.lit(None)).cast(pl.Int32)
        nums = {i: ratio(r.rate)[0] for i, r in enumerate(calc.rates)}
        dens = {i: ratio(r.rate)[1] for i, r in enumerate(calc.rates)}

        def pick(values: dict[int, Any], dtype: pl.DataType) -> pl.Expr:
            return pl.col("_ri").replace_strict(values, default=None, return_dtype=dtype)

        months = any(r.when.month_in_level is not None for r in calc.rates)
        metric_zh, metric_en = metric_label(ms.metric, "zh"), metric_label(ms.metric, "en")
        if ms.within == "self":
            what_zh, what_en = _lit(f"{metric_zh} "), _lit(f"{metric_en} ")
            key = ms.metric
        else:
            group_zh = {"team": "班组", "department": "部门"}[ms.within]
            what_zh = pl.concat_str(_lit(f"{group_zh} "), pl.col(ms.within), _lit(f" {metric_zh}合计 "))
            what_en = pl.concat_str(_lit(f"{ms.within} "), pl.col(ms.within), _lit(f" total {metric_en} "))
            key = f"{ms.within}_{ms.metric}"

        def prefix(lang: str) -> pl.Expr:
            labels = {
                i: (r.label.get(lang) + ("：" if lang == "zh" else ": ")) if r.label.zh else ""
                for i, r in enumerate(calc.rates)
            }
            return pick(labels, pl.String())

        def build(frame: pl.LazyFrame) -> pl.LazyFrame:
            q = frame.with_columns(index.alias("_ri")).filter(pl.col("_ri").is_not_null())
            q = q.filter(pl.col(f"{col}f").is_not_null())
            base = pl.col(f"{col}f")
            rate_text = pick({i: percent_text(r.rate) for i, r in enumerate(calc.rates)}, pl.String())
            inputs: list[pl.Expr] = []
            if ms.within != "self":
                inputs.append(pl.col(ms.within).alias(ms.within))
            inputs += [
                yuan(base).alias(key),
                pick({i: decimal_text(r.rate) for i, r in enumerate(calc.rates)}, pl.String()).alias("share"),
            ]
            if months:
                inputs.append(pl.col("month_in_level").cast(pl.String).alias("month_in_level"))
            return q.select(
                ID,
                self.u.whole(times(base, pick(nums, pl.Int64()), pick(dens, pl.Int64()))).alias("amount"),
                pl.concat_str(prefix("zh"), what_zh, yuan(base), _lit(" × "), rate_text).alias(
                    "explanation_zh"
                ),
                pl.concat_str(prefix("en"), what_en, yuan(base), _lit(" × "), rate_text).alias(
                    "explanation_en"
                ),
                pl.struct(inputs).struct.json_encode().alias("inputs"),
            )

        return build

    def tiers(self, c: m.Component, calc: m.Tiers) -> Build:
        kpis = {k.of: self.measure(k.of) for t in calc.tiers for k in t.kpis}
        met = [
            pl.all_horizontal([_compare(kpi_value(kpis[k.of]), k.op, float(k.value)) for k in t.kpis])
            for t in calc.tiers
        ]
        chosen: Any = None
        for i, cond in enumerate(met):
            chosen = pl.when(cond).then(pl.lit(i)) if chosen is None else chosen.when(cond).then(pl.lit(i))
        index = chosen.otherwise(pl.lit(None)).cast(pl.Int32)

        def text(t: m.Tier, lang: str) -> pl.Expr:
            parts: list[pl.Expr] = []
            for j, k in enumerate(t.kpis):
                if j:
                    parts.append(_lit(" 且 " if lang == "zh" else " and "))
                parts += [
                    _lit(f"{metric_label(k.of.metric, lang)} "),
                    _kpi_text(kpis[k.of], k.of.metric),
                    _lit(f" {OPS[k.op]} {_threshold_text(k.of.metric, k.value)}"),
                ]
            parts.append(_lit(f" → {t.label.get(lang)} {self.u.text(fen(t.amount))} {self.u.word(lang)}"))
            return pl.concat_str(parts)

        def by_tier(exprs: list[pl.Expr]) -> pl.Expr:
            out: Any = None
            for i, e in enumerate(exprs):
                cond = pl.col("_ti") == i
                out = pl.when(cond).then(e) if out is None else out.when(cond).then(e)
            return out.otherwise(pl.lit(None))  # type: ignore[no-any-return]

        names = list(
            dict.fromkeys(k.metric if k.within == "self" else f"{k.within}_{k.metric}" for k in kpis)
        )
        columns = {
            (k.metric if k.within == "self" else f"{k.within}_{k.metric}"): col for k, col in kpis.items()
        }

        def build(frame: pl.LazyFrame) -> pl.LazyFrame:
            q = frame.with_columns(index.alias("_ti")).filter(pl.col("_ti").is_not_null())
            inputs = [_number_text(columns[n]).alias(n) for n in names]
            inputs.append(by_tier([_lit(t.label.zh) for t in calc.tiers]).alias("tier"))
            return q.select(
                ID,
                pl.col("_ti")
                .replace_strict({i: fen(t.amount) for i, t in enumerate(calc.tiers)}, return_dtype=pl.Int64)
                .alias("amount"),
                by_tier([text(t, "zh") for t in calc.tiers]).alias("explanation_zh"),
                by_tier([text(t, "en") for t in calc.tiers]).alias("explanation_en"),
                pl.struct(inputs).struct.json_encode().alias("inputs"),
            )

        return build

    def fixed(self, c: m.Component, calc: m.Fixed) -> Build:
        amount = fen(calc.amount)
        why_zh = "、".join(x.label.zh for x in c.when.criteria)
        why_en = ", ".join(x.label.en for x in c.when.criteria)
        shown = self.u.text(amount)
        zh = f"{c.label.zh}{f'（{why_zh}）' if why_zh else ''}：{shown} {self.u.zh}"
        en = f"{c.label.en}{f' ({why_en})' if why_en else ''}: {shown} {self.u.en}"

        def build(frame: pl.LazyFrame) -> pl.LazyFrame:
            return frame.select(
                ID,
                pl.lit(amount, pl.Int64).alias("amount"),
                _lit(zh).alias("explanation_zh"),
                _lit(en).alias("explanation_en"),
                pl.struct(pl.col("level").alias("level"), _lit(shown).alias("amount"))
                .struct.json_encode()
                .alias("inputs"),
            )

        return build

    def capped(self, c: m.Component, q: pl.LazyFrame) -> pl.LazyFrame:
        if c.cap is None:
            return q
        cap = fen(c.cap)
        over = pl.col("amount") > cap
        note = self.u.text(cap)
        return q.with_columns(
            pl.when(over).then(pl.lit(cap, pl.Int64)).otherwise(pl.col("amount")).alias("amount"),
            pl.when(over)
            .then(pl.col("explanation_zh") + f"，封顶 {note} {self.u.zh}")
            .otherwise(pl.col("explanation_zh")),
            pl.when(over)
            .then(pl.col("explanation_en") + f"; capped at {note}")
            .otherwise(pl.col("explanation_en")),
            pl.when(over)
            .then(pl.col("inputs").str.head(-1) + f',"cap":"{note}"}}')
            .otherwise(pl.col("inputs")),
        )

    def plan_cap(self, lines: pl.LazyFrame, cap: int) -> pl.LazyFrame:
        """A negative line for what the plan's lines pay one employee above the plan's cap."""
        u = self.u
        note, word, shown = u.text(cap), u.zh, u.expr
        total = pl.col("_total")
        return (
            lines.group_by(ID)
            .agg(pl.col("amount").sum().alias("_total"))
            .filter(total > cap)
            .select(
                ID,
                _lit(self.plan.id).alias("plan"),
                _lit("plan_cap").alias("component"),
                (pl.lit(cap, pl.Int64) - total).alias("amount"),
                _lit(self.plan.unit).alias("unit"),
                pl.concat_str(
                    _lit(f"方案封顶 {note} {word}：合计 "),
                    shown(total),
                    _lit(f" {word}，扣减 "),
                    shown(total - cap),
                    _lit(f" {word}"),
                ).alias("explanation_zh"),
                pl.concat_str(
                    _lit(f"plan cap {note}: total "),
                    shown(total),
                    _lit(", "),
                    shown(total - cap),
                    _lit(" deducted"),
                ).alias("explanation_en"),
                pl.struct(shown(total).alias("total"), _lit(note).alias("cap"))
                .struct.json_encode()
                .alias("inputs"),
                pl.lit(self.index, pl.Int32).alias("_p"),
                pl.lit(len(self.plan.components), pl.Int32).alias("_c"),
            )
        )
