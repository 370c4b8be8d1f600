"""The base-pay changes a cycle's decisions imply: promotions and demotions in assignments.csv whose rule
has a pay effect (`pay: {base_pct: 10}` or `pay: {raise: [500, 800]}`), and recorded pay steps.

A level change belongs to the cycle when its start_date falls in it; its from level is the employee's
previous non-acting level on the track. It is matched to the policy's rule for that move (track, from,
to): a promotion rule from → to, or a demotion rule whose levels hold from and whose `to` is to (the
data's `kind` chooses when both exist). The base is `base_pay` of employees.csv, the monthly base paid
before the change; several changes in one cycle apply one after the other, each rounded to the fen. A
raise range gives the lowest and highest new base (`to_min`, `to_max`; `to` is null: the amount within
the range is decided by people). A `pay_step` event in the cycle with a value (yuan per month) raises
the base by that value when the policy has pay steps. The change takes effect in the month of the start
date or the month after (rewards.pay_effective).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from rungs.core.interchange.dataset import Dataset, empty
from rungs.core.periods import month_seq
from rungs.core.policy import model as m
from rungs.core.rewards.cycle import Cycle, parse_cycle
from rungs.core.rewards.money import fen, fen_of_float, fen_of_text, ratio, times, yuan, yuan_text

ID = "employee_id"
PAY_SCHEMA: dict[str, pl.DataType] = {
    ID: pl.String(),
    "reason": pl.String(),  # promotion | demotion | pay_step
    "rule": pl.String(),
    "from_level": pl.String(),
    "to_level": pl.String(),
    "from": pl.Int64(),  # fen; null when employees.csv has no base_pay for the employee
    "to": pl.Int64(),  # null for a raise range
    "to_min": pl.Int64(),
    "to_max": pl.Int64(),
    "effective": pl.String(),  # YYYY-MM
    "explanation_zh": pl.String(),
    "explanation_en": pl.String(),
}

REASONS_ZH = {"promotion": "晋升", "demotion": "降级", "pay_step": "晋级"}
REASONS_EN = {"promotion": "promotion", "demotion": "demotion", "pay_step": "pay step"}


def _effects(policy: m.Policy) -> pl.DataFrame:
    """One row per (track, from, to, kind) move with a pay effect in the policy."""
    rows = []
    for r in policy.rules:
        if r.kind not in ("promotion", "demotion") or r.pay is None or r.to_level is None:
            continue
        if r.pay.base_pct is None and r.pay.raise_min is None:
            continue
        # the new base is base × num / den (+ the raise): 100 + pct percent of it, or all of it
        num, den = ratio(100 + r.pay.base_pct) if r.pay.base_pct is not None else (100, 1)
        for src in r.levels:
            rows.append(
                {
                    "track": r.track,
                    "from_level": src,
                    "to_level": r.to_level,
                    "kind": r.kind,
                    "rule": r.id,
                    "label_zh": r.label.zh,
                    "label_en": r.label.en,
                    "num": num,
                    "den": den * 100,
                    "pct": None if r.pay.base_pct is None else f"{r.pay.base_pct.normalize():+f}%",
                    "raise_min": None if r.pay.raise_min is None else fen(r.pay.raise_min),
                    "raise_max": None if r.pay.raise_max is None else fen(r.pay.raise_max),
                }
            )
    schema = {
        "track": pl.String,
        "from_level": pl.String,
        "to_level": pl.String,
        "kind": pl.String,
        "rule": pl.String,
        "label_zh": pl.String,
        "label_en": pl.String,
        "num": pl.Int64,
        "den": pl.Int64,
        "pct": pl.String,
        "raise_min": pl.Int64,
        "raise_max": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema)


def _month(col: str) -> pl.Expr:
    seq: pl.Expr = month_seq(pl.col(col).dt.year().cast(pl.Int32), pl.col(col).dt.month().cast(pl.Int32))
    return seq


def pay_changes(policy: m.Policy, data: Dataset, cycle: Cycle) -> tuple[pl.DataFrame, list[str]]:
    warnings: list[str] = []
    shift = 1 if policy.rewards.pay_effective == "next_month" else 0
    rows = data.assignments.lazy().filter(pl.col("kind").ne_missing("acting"))
    in_cycle = pl.col("start_date").is_between(cycle.start, cycle.after, closed="left")
    # The level before a move is that of the row before it on its track: only the tracks of people with a
    # move in the cycle are sorted for it, not every assignment of a large company.
    moved = (
        rows.filter(in_cycle, pl.col("kind").is_in(["promotion", "demotion"])).select(ID, "track").unique()
    )
    moves = (
        rows.join(moved, on=[ID, "track"], how="semi")
        .sort(ID, "track", "start_date")
        .with_columns(pl.col("level").shift(1).over(ID, "track").alias("from_level"))
        .filter(
            in_cycle,
            pl.col("kind").is_in(["promotion", "demotion"]),
            pl.col("from_level").is_not_null(),
            pl.col("from_level") != pl.col("level"),
        )
        .rename({"level": "to_level"})
    )
    effects = _effects(policy).lazy()
    matched = (
        moves.join(effects, on=["track", "from_level", "to_level"], how="inner", suffix="_rule")
        # the data's kind first when a move is both a promotion rule's and a demotion rule's
        .sort(ID, "start_date", pl.col("kind") != pl.col("kind_rule"))
        .unique([ID, "track", "start_date"], keep="first", maintain_order=True)
        .with_columns(reason=pl.col("kind_rule"), date=pl.col("start_date"))
    )
    steps = _pay_steps(policy, data, cycle)
    changes = pl.concat(
        [
            matched.select(
                ID,
                "reason",
                "rule",
                "from_level",
                "to_level",
                "date",
                "num",
                "den",
                "pct",
                "raise_min",
                "raise_max",
                "label_zh",
                "label_en",
            ),
            steps,
        ],
        how="vertical",
    ).collect()
    if changes.is_empty():
        return pl.DataFrame(schema=PAY_SCHEMA), warnings
    base = data.employees.select(
        ID,
        fen_of_text(pl.col("base_pay")).alias("_base")
        if "base_pay" in data.employees.columns
        else pl.lit(None, pl.Int64).alias("_base"),
    )
    changes = changes.join(base, on=ID, how="left").sort(ID, "date")
    missing = changes.filter(pl.col("_base").is_null()).get_column(ID).unique().sort().to_list()
    if missing:
        warnings.append(
            f"{len(missing)} 人有薪酬变动但 employees.csv 没有 base_pay（{'、'.join(missing[:10])}）/ "
            f"{len(missing)} employee(s) with a pay change have no base_pay in employees.csv ({', '.join(missing[:10])})"
        )
    # Several changes in a cycle apply in date order: step k starts from step k-1's result.
    changes = changes.with_columns(pl.int_range(pl.len()).over(ID).alias("_k"))
    lo, hi = pl.col("_base"), pl.col("_base")
    done: list[pl.DataFrame] = []
    for k in range(int(changes.select(pl.col("_k").max()).item() or 0) + 1):
        step = changes.filter(pl.col("_k") == k).with_columns(_lo=lo, _hi=hi)
        if done:
            prev = done[-1].select(ID, pl.col("_to_lo").alias("_lo"), pl.col("_to_hi").alias("_hi"))
            step = step.drop("_lo", "_hi").join(prev, on=ID, how="left")
        step = step.with_columns(
            _to_lo=times(pl.col("_lo"), pl.col("num"), pl.col("den")) + pl.col("raise_min").fill_null(0),
            _to_hi=times(pl.col("_hi"), pl.col("num"), pl.col("den")) + pl.col("raise_max").fill_null(0),
        )
        done.append(step)
    out = pl.concat(done, how="vertical")
    exact = pl.col("_lo") == pl.col("_hi")
    ranged = pl.col("raise_min").is_not_null() & (pl.col("raise_min") != pl.col("raise_max"))
    seq = _month("date") + shift
    eff = pl.concat_str((seq // 12).cast(pl.String), _s("-"), (seq % 12 + 1).cast(pl.String).str.zfill(2))
    frm, to_lo, to_hi = yuan(pl.col("_lo")), yuan(pl.col("_to_lo")), yuan(pl.col("_to_hi"))
    what_zh = (
        pl.when(pl.col("pct").is_not_null())
        .then(pl.concat_str(_s("基本工资 "), pl.col("pct")))
        .when(ranged)
        .then(
            pl.concat_str(
                _s("加薪 "), yuan(pl.col("raise_min")), _s("–"), yuan(pl.col("raise_max")), _s(" 元/月")
            )
        )
        .otherwise(pl.concat_str(_s("加薪 "), yuan(pl.col("raise_min")), _s(" 元/月")))
    )
    what_en = (
        pl.when(pl.col("pct").is_not_null())
        .then(pl.concat_str(_s("base pay "), pl.col("pct")))
        .when(ranged)
        .then(
            pl.concat_str(
                _s("raise "), yuan(pl.col("raise_min")), _s("–"), yuan(pl.col("raise_max")), _s(" a month")
            )
        )
        .otherwise(pl.concat_str(_s("raise "), yuan(pl.col("raise_min")), _s(" a month")))
    )
    result_zh = pl.when(ranged | ~exact).then(pl.concat_str(to_lo, _s("–"), to_hi)).otherwise(to_lo)
    out = out.select(
        ID,
        "reason",
        "rule",
        "from_level",
        "to_level",
        pl.col("_lo").alias("from"),
        pl.when(ranged | ~exact).then(pl.lit(None, pl.Int64)).otherwise(pl.col("_to_lo")).alias("to"),
        pl.col("_to_lo").alias("to_min"),
        pl.col("_to_hi").alias("to_max"),
        eff.alias("effective"),
        pl.concat_str(
            pl.col("reason").replace_strict(REASONS_ZH, default="", return_dtype=pl.String),
            _s("（"),
            pl.col("label_zh"),
            _s("）："),
            what_zh,
            _s("，"),
            frm.fill_null("（无基本工资）"),
            _s(" → "),
            result_zh.fill_null("？"),
            _s("，"),
            eff,
            _s(" 起"),
        ).alias("explanation_zh"),
        pl.concat_str(
            pl.col("reason").replace_strict(REASONS_EN, default="", return_dtype=pl.String),
            _s(" ("),
            pl.col("label_en"),
            _s("): "),
            what_en,
            _s(", "),
            frm.fill_null("(no base pay)"),
            _s(" → "),
            result_zh.fill_null("?"),
            _s(", from "),
            eff,
        ).alias("explanation_en"),
    )
    return out.sort(ID, "effective", "reason").select(list(PAY_SCHEMA)), warnings


def move_pay_change(
    policy: m.Policy,
    *,
    employee_id: str,
    base_pay: str | None,
    track: str,
    from_level: str,
    to_level: str,
    kind: str,
    effective: dt.date,
) -> dict[str, Any] | None:
    """The pay change of one decided level change (an appointment, a demotion), as the run of its month
    will record it: `pay_changes` over a data set holding only that move, so a decision shows exactly
    what the rewards side pays and the two cannot drift apart. None: the move's rule has no pay effect.
    Amounts are yuan text ("6600.00"); `to` is None for a raise range (people decide within it)."""
    employees = empty("employees").select(ID).vstack(pl.DataFrame({ID: [employee_id]}))
    employees = employees.with_columns(base_pay=pl.lit(base_pay, dtype=pl.String))
    moves = pl.DataFrame(
        {
            ID: [employee_id, employee_id],
            "track": [track, track],
            "level": [from_level, to_level],
            "start_date": [effective - dt.timedelta(days=1), effective],
            "kind": ["initial", kind],
        }
    )
    month = f"{effective.year}-{effective.month:02d}"
    found, _ = pay_changes(policy, Dataset(employees=employees, assignments=moves), parse_cycle(month))
    found = found.filter(pl.col("reason") == kind)
    if found.is_empty():
        return None
    row = found.row(0, named=True)
    money = {k: None if row[k] is None else yuan_text(row[k]) for k in ("from", "to", "to_min", "to_max")}
    return {
        **money,
        "rule": row["rule"],
        "effective": row["effective"],
        "explanation_zh": row["explanation_zh"],
        "explanation_en": row["explanation_en"],
    }


def _s(text: str) -> pl.Expr:
    return pl.lit(text, dtype=pl.String)


def _pay_steps(policy: m.Policy, data: Dataset, cycle: Cycle) -> pl.LazyFrame:
    """Recorded pay steps (events `pay_step` with a value in yuan a month) of the cycle, when the policy
    has a pay_step rule."""
    rule = next((r for r in policy.rules if r.kind == "pay_step"), None)
    empty = pl.LazyFrame(
        schema={
            ID: pl.String,
            "reason": pl.String,
            "rule": pl.String,
            "from_level": pl.String,
            "to_level": pl.String,
            "date": pl.Date,
            "num": pl.Int64,
            "den": pl.Int64,
            "pct": pl.String,
            "raise_min": pl.Int64,
            "raise_max": pl.Int64,
            "label_zh": pl.String,
            "label_en": pl.String,
        }
    )
    if rule is None:
        return empty
    return (
        data.events.lazy()
        .filter(
            pl.col("type") == "pay_step",
            pl.col("value").is_not_null(),
            pl.col("date").is_between(cycle.start, cycle.after, closed="left"),
        )
        .select(
            ID,
            _s("pay_step").alias("reason"),
            _s(rule.id).alias("rule"),
            pl.lit(None, pl.String).alias("from_level"),
            pl.lit(None, pl.String).alias("to_level"),
            pl.col("date"),
            pl.lit(1, pl.Int64).alias("num"),
            pl.lit(1, pl.Int64).alias("den"),
            pl.lit(None, pl.String).alias("pct"),
            fen_of_float(pl.col("value")).alias("raise_min"),
            fen_of_float(pl.col("value")).alias("raise_max"),
            _s(rule.label.zh).alias("label_zh"),
            _s(rule.label.en).alias("label_en"),
        )
    )
