"""Whether a reward plan paid off: its KPIs before and after it took force, for the people it covered
against those it did not (difference in differences), against what it cost.

The method, written once (docs/effect.md says the same in words a manager reads):
- The covered group is fixed when the plan takes force: the employees at the plan's levels (on its track)
  on the day before the start month, who meet its eligibility on the first day of that month. They stay
  covered afterwards whatever happens to them (intention to treat). The comparison group is everyone else
  in employees.csv who is not at the plan's levels at any time from the start to the end of the window;
  people who moved into the plan's levels after the start belong to neither group and are counted apart.
- A KPI is read from the monthly rows of metrics.csv (period YYYY-MM), one observation per employee and
  month, over `window` months before the start and `window` months from it (months without data drop out).
- The estimate is the coefficient of covered × after in an ordinary least squares fit of
  value ~ covered + month (one dummy per month: the common trend) + covered × after, with standard errors
  clustered by employee and t-based intervals (statsmodels). On a balanced panel it equals the difference
  of the four means: (after − before of the covered) − (after − before of the others).
- The pre-trend check is the same fit on the months before the start only, with a pretend start half way
  through them (a placebo): an "effect" there means the two groups were already drifting apart.
- Cost per point: the plan's cost over the window after the start divided by the improvement in points
  (CSAT points; percentage points for a rate kept as 0–1; sign turned for a KPI where lower is better),
  only for an improvement whose 95% interval excludes 0.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import polars as pl

from rungs.core.engine.context import build_context, levels_on
from rungs.core.engine.evaluate import eligible_queries
from rungs.core.interchange.dataset import Dataset
from rungs.core.periods import month_label, month_of_seq, month_seq
from rungs.core.policy import model as m
from rungs.core.rewards.cycle import Cycle, parse_cycle
from rungs.core.rewards.run import run_rewards
from rungs.core.vocabulary import METRIC_WORDS

ID = "employee_id"
MIN_GROUP = 30  # fewer people than this in a group: one or two of them can move the means
MIN_MONTHS = 3  # fewer months than this before or after: a month's swing looks like an effect
ALPHA = 0.05  # 95% intervals; a pre-trend with p below this is reported
DEFAULT_WINDOW = 12
LOWER_IS_BETTER = frozenset({"complaint_rate"})  # besides KPIs a plan's tiers compare with at_most


@dataclass(frozen=True)
class Change:
    """Another change known to fall in the window (another plan or policy version taking force)."""

    month: str  # YYYY-MM
    label: str


@dataclass(frozen=True)
class Caveat:
    """What a reader must keep in mind; `code` and `params` let a page word it in its own language."""

    code: str  # small_group short_before short_after pre_trend not_significant no_improvement no_data
    #            other_change left_out no_cost since_differs
    zh: str
    en: str
    metric: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


@dataclass(frozen=True)
class Estimate:
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    observations: int
    clusters: int

    @property
    def significant(self) -> bool:
        return not (self.ci_low <= 0 <= self.ci_high)


@dataclass(frozen=True)
class MonthMeans:
    month: str  # YYYY-MM
    covered: float | None
    uncovered: float | None


@dataclass(frozen=True)
class KpiEffect:
    metric: str
    label: m.Label
    fraction: bool  # kept as 0–1, shown as a percentage; one point is 0.01
    lower_is_better: bool
    covered_n: int  # employees of the group with data for this KPI in the window
    uncovered_n: int
    before_covered: float | None
    after_covered: float | None
    before_uncovered: float | None
    after_uncovered: float | None
    did: Estimate | None
    placebo: Estimate | None
    improvement_points: float | None  # did in points, positive = better
    cost_per_point: Decimal | None
    months: tuple[MonthMeans, ...]


@dataclass(frozen=True)
class EffectReport:
    policy: str
    policy_version: str
    plan: str
    plan_label: m.Label
    since: str  # YYYY-MM
    before: tuple[str, ...]  # the months before the start with data
    after: tuple[str, ...]
    covered: int  # employees in each group
    uncovered: int
    left_out: int  # moved into the plan's levels after the start: in neither group
    cost: Decimal | None
    kpis: tuple[KpiEffect, ...]
    caveats: tuple[Caveat, ...]


def report_to_text(r: EffectReport) -> str:
    """The report as JSON text that report_from_text reads back to an equal report (money as exact
    decimal text, NaN as JSON's NaN token): what a page stores when the worker computed it."""
    return json.dumps(dataclasses.asdict(r), ensure_ascii=False, default=str)


def report_from_text(text: str) -> EffectReport:
    d = json.loads(text)

    def money(v: str | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    def estimate(e: dict[str, Any] | None) -> Estimate | None:
        return None if e is None else Estimate(**e)

    kpis = tuple(
        KpiEffect(
            **{
                **k,
                "label": m.Label(**k["label"]),
                "did": estimate(k["did"]),
                "placebo": estimate(k["placebo"]),
                "cost_per_point": money(k["cost_per_point"]),
                "months": tuple(MonthMeans(**x) for x in k["months"]),
            }
        )
        for k in d["kpis"]
    )
    return EffectReport(
        **{
            **d,
            "plan_label": m.Label(**d["plan_label"]),
            "before": tuple(d["before"]),
            "after": tuple(d["after"]),
            "cost": money(d["cost"]),
            "kpis": kpis,
            "caveats": tuple(Caveat(**c) for c in d["caveats"]),
        }
    )


def find_plan(policy: m.Policy, plan_id: str) -> m.RewardPlan:
    """The plan of that id; ValueError (both languages) naming the plans there are."""
    for plan in policy.rewards.plans:
        if plan.id == plan_id:
            return plan
    ids = ", ".join(p.id for p in policy.rewards.plans) or "—"
    raise ValueError(
        f"政策 {policy.id} 没有奖励方案 {plan_id!r}（有：{ids}）/ policy {policy.id} has no reward plan "
        f"{plan_id!r} (it has: {ids})"
    )


def parse_month(text: str) -> int:
    """'2026-07' → its month seq; ValueError (both languages) otherwise."""
    try:
        cycle = parse_cycle(text)
    except ValueError:
        cycle = None
    if cycle is None or cycle.kind != "M":
        raise ValueError(f"--since：应为 YYYY-MM，实际为 {text!r} / --since: expected YYYY-MM, got {text!r}")
    return cycle.first_month


def default_kpis(plan: m.RewardPlan) -> tuple[str, ...]:
    """CSAT and the metrics the plan's tiers compare, in that order."""
    names = ["csat"]
    for c in plan.components:
        if isinstance(c.calc, m.Tiers):
            names += [k.of.metric for t in c.calc.tiers for k in t.kpis]
    return tuple(dict.fromkeys(names))


def _lower_is_better(plan: m.RewardPlan, metric: str) -> bool:
    if metric in LOWER_IS_BETTER:
        return True
    ops = {
        k.op
        for c in plan.components
        if isinstance(c.calc, m.Tiers)
        for t in c.calc.tiers
        for k in t.kpis
        if k.of.metric == metric
    }
    return bool(ops) and ops <= {"<=", "<"}


def _day(seq: int) -> dt.date:
    y, mo = month_of_seq(seq)
    return dt.date(y, mo, 1)


def groups(policy: m.Policy, plan: m.RewardPlan, data: Dataset, start: int, last: int) -> pl.DataFrame:
    """DataFrame[cluster (a number per employee), employee_id, covered (bool)] of both groups; those who entered the plan's levels between
    the start and the end of month `last` are left out (see the module's docstring)."""
    first_day = _day(start)
    ctx = build_context(data, first_day)
    levels = levels_on(ctx, first_day - dt.timedelta(days=1))
    covered = levels.filter(pl.col("track") == plan.track, pl.col("level").is_in(list(plan.levels))).select(
        ID
    )
    if plan.eligibility:
        rule = m.Rule(
            f"{plan.id}:eligibility",
            "reward",
            plan.label,
            plan.track,
            plan.levels,
            None,
            plan.eligibility,
            plan.match,
        )
        ok = eligible_queries(dataclasses.replace(ctx, levels=levels), policy, [rule])[0]
        covered = covered.join(ok.filter(pl.col("eligible").fill_null(False)).select(ID), on=ID, how="semi")
    window_end = _day(last + 1)
    entered = (
        data.assignments.lazy()
        .filter(
            pl.col("track") == plan.track,
            pl.col("level").is_in(list(plan.levels)),
            pl.col("kind").ne_missing("acting"),
            pl.col("start_date") < window_end,
            pl.col("end_date").is_null() | (pl.col("end_date") > first_day),
        )
        .select(ID)
        .unique()
    )
    people = data.employees.lazy().select(ID)
    cov = covered.unique().collect()
    touched = entered.collect()
    both = pl.concat(
        [
            cov.with_columns(covered=pl.lit(True)),
            people.join(cov.lazy(), on=ID, how="anti")
            .join(touched.lazy(), on=ID, how="anti")
            .collect()
            .with_columns(covered=pl.lit(False)),
        ]
    )
    return both.with_row_index("cluster")  # a number per employee: what the standard errors cluster on


def plan_cost(policy: m.Policy, plan: m.RewardPlan, data: Dataset, first: int, last: int) -> Decimal:
    """What the plan paid (its ledger lines, by the rewards evaluator) in its cycles lying wholly within
    the months first..last (month seqs), in yuan."""
    only = dataclasses.replace(policy, rewards=dataclasses.replace(policy.rewards, plans=(plan,)))
    total = 0
    for cycle in _cycles(plan.cycle, first, last):
        lines = run_rewards(only, data, cycle).lines
        total += int(lines.filter(pl.col("plan") == plan.id).get_column("amount").sum())
    return (Decimal(total) / 100).quantize(Decimal("0.01"))


def _cycles(kind: str, first: int, last: int) -> list[Cycle]:
    out: list[Cycle] = []
    for seq in range(first, last + 1):
        y, mo = month_of_seq(seq)
        label = {
            "M": f"{y}-{mo:02d}",
            "Q": f"{y}-Q{(mo - 1) // 3 + 1}",
            "H": f"{y}-H{(mo - 1) // 6 + 1}",
            "Y": f"{y}",
        }[kind]
        cycle = parse_cycle(label)
        if cycle.first_month == seq and cycle.last_month <= last:
            out.append(cycle)
    return out


def evaluate_effect(
    policy: m.Policy,
    plan: m.RewardPlan,
    data: Dataset,
    since: int,
    *,
    kpis: Sequence[str] | None = None,
    cost: Decimal | None = None,
    window: int = DEFAULT_WINDOW,
    changes: Sequence[Change] = (),
) -> EffectReport:
    """The plan's effect on each KPI from month `since` (a month seq): means, DiD, interval, p-value, cost
    per point, and the caveats the data give. `cost` is what the plan paid after the start (plan_cost)."""
    names = tuple(kpis) if kpis else default_kpis(plan)
    first, last = since - window, since + window - 1
    who = groups(policy, plan, data, since, last)
    rows = (
        data.metrics.lazy()
        .filter(
            pl.col("period_kind") == "M",
            pl.col("seq").is_between(first, last),
            pl.col("metric").cast(pl.String).is_in(list(names)),
            pl.col("value").is_not_null() & pl.col("value").is_finite(),
        )
        .select(ID, pl.col("metric").cast(pl.String), pl.col("seq").cast(pl.Int64), "value")
        .join(who.lazy(), on=ID, how="inner")
        .with_columns(after=pl.col("seq") >= since)
        .collect()
    )
    months = sorted(set(rows.get_column("seq").to_list()))
    before = tuple(month_label(s) for s in months if s < since)
    after = tuple(month_label(s) for s in months if s >= since)
    with_data = rows.select(ID, "covered").unique()
    n_cov = with_data.filter("covered").height
    n_unc = with_data.height - n_cov
    entered = data.employees.height - who.height
    caveats = _window_caveats(
        policy, plan, since, before, after, n_cov, n_unc, entered, cost, changes, first, last
    )
    effects = []
    for name in names:
        effect = _kpi(plan, name, rows.filter(pl.col("metric") == name), months, since, cost)
        effects.append(effect)
        caveats += _kpi_caveats(effect, cost)
    return EffectReport(
        policy.id,
        policy.version,
        plan.id,
        plan.label,
        month_label(since),
        before,
        after,
        n_cov,
        n_unc,
        entered,
        cost,
        tuple(effects),
        tuple(caveats),
    )


def _mean(rows: pl.DataFrame, covered: bool, after: bool) -> float | None:
    cell = rows.filter(pl.col("covered") == covered, pl.col("after") == after).get_column("value")
    return float(cell.mean()) if cell.len() else None  # type: ignore[arg-type]


def _kpi(
    plan: m.RewardPlan, name: str, rows: pl.DataFrame, months: list[int], since: int, cost: Decimal | None
) -> KpiEffect:
    word = METRIC_WORDS.get(name)
    label = m.Label(word.zh, word.en) if word is not None else m.Label(name, name)
    fraction = bool(word is not None and word.fraction)
    lower = _lower_is_better(plan, name)
    people = rows.select(ID, "covered").unique()
    did = did_fit(rows, since)
    before_rows = rows.filter(~pl.col("after"))
    pre_months = sorted(set(before_rows.get_column("seq").to_list()))
    placebo = did_fit(before_rows, pre_months[len(pre_months) // 2]) if len(pre_months) >= 2 else None
    points = None
    per_point = None
    if did is not None:
        points = did.estimate * (100 if fraction else 1) * (-1 if lower else 1)
        rounded = Decimal(str(round(points, 4)))
        # A cost per point only for an improvement the data show (its interval excludes 0): dividing by
        # an estimate indistinguishable from 0 gives any number at all.
        if cost is not None and rounded > 0 and did.significant:
            per_point = (cost / rounded).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    by_month = (
        rows.group_by("seq", "covered").agg(pl.col("value").mean()).sort("seq")
        if rows.height
        else pl.DataFrame(schema={"seq": pl.Int64, "covered": pl.Boolean, "value": pl.Float64})
    )
    means = {(s, c): v for s, c, v in by_month.iter_rows()}
    series = tuple(MonthMeans(month_label(s), means.get((s, True)), means.get((s, False))) for s in months)
    return KpiEffect(
        name,
        label,
        fraction,
        lower,
        people.filter("covered").height,
        people.filter(~pl.col("covered")).height,
        _mean(rows, True, False),
        _mean(rows, True, True),
        _mean(rows, False, False),
        _mean(rows, False, True),
        did,
        placebo,
        points,
        per_point,
        series,
    )


def did_fit(rows: pl.DataFrame, start: int) -> Estimate | None:
    """The coefficient of covered × (seq ≥ start) in value ~ covered + month dummies + covered × after,
    standard errors clustered by employee, t with clusters − 1 degrees of freedom (statsmodels OLS).
    None when the four cells are not all observed or the fit is not identified.

    The month dummies are partialled out first (Frisch–Waugh–Lovell: value, covered and covered × after
    less their month's mean), so the fit has two columns instead of one per month: at 100,000 employees
    over 24 months the full design would take half a gigabyte. Coefficient, residuals and the sandwich
    are the same; only statsmodels' small-sample factor (n − 1)/(n − k) counts k = 2 columns instead of
    the full model's months + 2, which is put right here (test_effect checks against the full design)."""
    if rows.height == 0:
        return None
    frame = rows.select(
        "seq",
        pl.col("value").cast(pl.Float64),
        pl.col("covered").cast(pl.Float64).alias("t"),
        (pl.col("covered") & (pl.col("seq") >= start)).cast(pl.Float64).alias("tp"),
    )
    cells = frame.select(pl.col("t"), pl.col("seq") >= start).unique().height
    if cells < 4:
        return None
    n_months = frame.get_column("seq").n_unique()
    n, k_full = frame.height, n_months + 2
    clusters = rows.get_column("cluster").to_numpy()
    n_clusters = rows.get_column("cluster").n_unique()
    if n_clusters < 3 or n <= k_full:
        return None
    within = frame.select([(pl.col(c) - pl.col(c).mean().over("seq")).alias(c) for c in ("value", "t", "tp")])
    x = within.select("t", "tp").to_numpy()
    if np.linalg.matrix_rank(x) < 2:
        return None
    import statsmodels.api as sm  # here, not at the top: it takes a second to import, and only this needs it
    from scipy import stats

    fit = sm.OLS(within.get_column("value").to_numpy(), x).fit(
        cov_type="cluster", cov_kwds={"groups": clusters}, use_t=True
    )
    estimate = float(fit.params[1])
    variance = float(fit.cov_params()[1, 1])
    if not math.isfinite(variance) or variance <= 0:  # no variation left (identical values): no estimate
        return None
    se = math.sqrt(variance * (n - 2) / (n - k_full))
    df = n_clusters - 1
    half = float(stats.t.ppf(1 - ALPHA / 2, df)) * se
    p_value = float(2 * stats.t.sf(abs(estimate / se), df))
    return Estimate(estimate, se, estimate - half, estimate + half, p_value, n, n_clusters)


def _window_caveats(
    policy: m.Policy,
    plan: m.RewardPlan,
    since: int,
    before: tuple[str, ...],
    after: tuple[str, ...],
    n_cov: int,
    n_unc: int,
    entered: int,
    cost: Decimal | None,
    changes: Sequence[Change],
    first: int,
    last: int,
) -> list[Caveat]:
    out: list[Caveat] = []
    for group_zh, group_en, n in (("方案覆盖的人", "covered", n_cov), ("未覆盖的人", "not covered", n_unc)):
        if n < MIN_GROUP:
            out.append(
                Caveat(
                    "small_group",
                    f"{group_zh}只有 {n} 人（少于 {MIN_GROUP} 人）：个别人的好坏就能明显改变平均值，结论要谨慎。",
                    f"Only {n} people are {group_en} (fewer than {MIN_GROUP}): one or two of them can move "
                    "the means; read the result with care.",
                    params={
                        "group": "covered" if group_en == "covered" else "uncovered",
                        "n": n,
                        "min": MIN_GROUP,
                    },
                )
            )
    for code, months, zh, en in (
        ("short_before", before, "实施前", "before the start"),
        ("short_after", after, "实施后", "from the start"),
    ):
        if len(months) < MIN_MONTHS:
            out.append(
                Caveat(
                    code,
                    f"{zh}只有 {len(months)} 个月的数据（少于 {MIN_MONTHS} 个月）：一个月的起伏就可能被当成效果。",
                    f"Only {len(months)} months of data {en} (fewer than {MIN_MONTHS}): one month's swing can "
                    "look like an effect.",
                    params={"n": len(months), "min": MIN_MONTHS},
                )
            )
    known = list(changes) + [
        Change(month_label(month_seq(p.effective_from.year, p.effective_from.month)), p.label.zh)
        for p in policy.rewards.plans
        if p.id != plan.id and p.effective_from is not None
    ]
    for c in known:
        if month_label(first) <= c.month <= month_label(last):
            out.append(
                Caveat(
                    "other_change",
                    f"同一时期还有其他变化：{c.label}（{c.month} 起）。看到的差异可能部分来自它。",
                    f"Something else changed in the same period: {c.label} (from {c.month}); part of the "
                    "difference may come from it.",
                    params={"label": c.label, "month": c.month},
                )
            )
    if plan.effective_from is not None:
        took = month_label(month_seq(plan.effective_from.year, plan.effective_from.month))
        if took != month_label(since):
            out.append(
                Caveat(
                    "since_differs",
                    f"方案的生效日期是 {plan.effective_from.isoformat()}，这里按 {month_label(since)} 起计算。",
                    f"The plan took force on {plan.effective_from.isoformat()}; this reads it from "
                    f"{month_label(since)}.",
                    params={"effective_from": plan.effective_from.isoformat(), "since": month_label(since)},
                )
            )
    if entered:
        out.append(
            Caveat(
                "left_out",
                f"{entered} 人在方案实施后才进入方案覆盖的职级，不计入任何一组。",
                f"{entered} people moved into the plan's levels after the start and are in neither group.",
                params={"n": entered},
            )
        )
    if cost is None:
        out.append(
            Caveat(
                "no_cost",
                "没有成本数据，无法计算每提高 1 分的花费。",
                "No cost was given, so the cost per point is not computed.",
            )
        )
    return out


def _kpi_caveats(e: KpiEffect, cost: Decimal | None) -> list[Caveat]:
    zh_name, en_name = e.label.zh, e.label.en
    if e.did is None:
        return [
            Caveat(
                "no_data",
                f"{zh_name}：两组在实施前后都要有数据才能比较，这里缺少，无法估计。",
                f"{en_name}: both groups need data before and after the start; some is missing, so there is "
                "no estimate.",
                e.metric,
            )
        ]
    out: list[Caveat] = []
    if e.placebo is not None and e.placebo.p_value < ALPHA:
        out.append(
            Caveat(
                "pre_trend",
                f"{zh_name}：方案实施之前两组的走势就已经不同（实施前的安慰剂检验 p = {e.placebo.p_value:.3f}），"
                "差异不一定是方案带来的。",
                f"{en_name}: the two groups were already drifting apart before the start (placebo test on the "
                f"months before, p = {e.placebo.p_value:.3f}); the difference need not be the plan's doing.",
                e.metric,
                {"p": round(e.placebo.p_value, 3)},
            )
        )
    if not e.did.significant:
        out.append(
            Caveat(
                "not_significant",
                f"{zh_name}：95% 置信区间包含 0，差异可能只是偶然波动，因此不计算每提高 1 分的花费。",
                f"{en_name}: the 95% interval includes 0; the difference may be chance, so there is no cost "
                "per point.",
                e.metric,
            )
        )
    if cost is not None and e.cost_per_point is None and e.did.significant:
        out.append(
            Caveat(
                "no_improvement",
                f"{zh_name}：没有改善，反而变差，不计算每提高 1 分的花费。",
                f"{en_name}: it got worse, not better, so there is no cost per point.",
                e.metric,
            )
        )
    return out


def effect_with_cost(
    policy: m.Policy,
    plan: m.RewardPlan,
    data: Dataset,
    since: int,
    *,
    kpis: Sequence[str] | None = None,
    window: int = DEFAULT_WINDOW,
    changes: Sequence[Change] = (),
) -> EffectReport:
    """evaluate_effect with the cost the rewards evaluator gives for the plan's cycles from the start to
    the last month after it with KPI data (within the window)."""
    names = list(kpis) if kpis else list(default_kpis(plan))
    seqs = (
        data.metrics.lazy()
        .filter(
            pl.col("period_kind") == "M",
            pl.col("seq").is_between(since, since + window - 1),
            pl.col("metric").cast(pl.String).is_in(names),
        )
        .select(pl.col("seq").max())
        .collect()
        .item()
    )
    cost = plan_cost(policy, plan, data, since, int(seqs)) if seqs is not None else None
    return evaluate_effect(policy, plan, data, since, kpis=names, cost=cost, window=window, changes=changes)
