"""Each building block's measure on its own, on a tiny hand-made frame: `actual()` for the subjects of one
rule, checked for its values (worked out by hand from docs/policy-language.md) and its exact dtypes
(employee_id String; months of tenure Int32; every other measure Float64, null where data is missing).

Evaluated on 2026-12-01: the latest complete month is 2026-11, quarter 2026-Q3, half 2026-H1, year 2025;
events dated on or after 2026-12-01 do not count yet.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from rungs.core.engine.context import build_context
from rungs.core.engine.evaluate import subjects
from rungs.core.engine.measures import A, actual, metric_aggregates
from rungs.core.interchange.dataset import Dataset
from rungs.core.policy import model as m

from .test_engine_vs_reference import D, asg, dataset, emp, one_rule

AS_OF = D(2026, 12, 1)
ID = "employee_id"


def measured(criteria: str, data: Dataset, index: int = 0) -> tuple[pl.DataFrame, m.Block]:
    """The actual values of one criterion of a one-promotion policy (from l1), for its subjects."""
    policy = one_rule(criteria)
    rule = policy.rules[0]
    ctx = build_context(data, AS_OF)
    block = rule.criteria[index].block
    out = actual(ctx, block, subjects(ctx, policy, rule), policy.scales).collect()
    return out, block


def values(out: pl.DataFrame) -> dict[str, Any]:
    return dict(zip(out[ID].to_list(), out[A].to_list(), strict=True))


LEVEL_START = D(2025, 6, 1)


def at_l1(*ids: str, start: Any = LEVEL_START, **kw: Any) -> list[dict]:
    return [asg(i, "l1", start, **kw) for i in ids]


def ev(eid: str, date: str, type_: str, value: float | None = None, ref: str | None = None) -> dict:
    return {"employee_id": eid, "date": D.fromisoformat(date), "type": type_, "value": value, "ref": ref}


def month(eid: str, ym: str, **kw: Any) -> dict:
    y, mo = map(int, ym.split("-"))
    return {"employee_id": eid, "period_kind": "M", "seq": y * 12 + mo - 1, **kw}


def quarter(eid: str, y: int, q: int, **kw: Any) -> dict:
    return {"employee_id": eid, "period_kind": "Q", "seq": y * 4 + q - 1, **kw}


NUMBER = {ID: pl.String(), A: pl.Float64()}


def test_tenure_since_the_last_pay_step_or_else_the_level_start():
    data = dataset(
        [emp("a"), emp("b"), emp("c")],
        [*at_l1("a", "b"), asg("c", "l1", D(2026, 1, 15))],
        events=[
            ev("a", "2025-03-10", "pay_step"),
            ev("a", "2026-02-01", "pay_step"),  # the latest: 2026-02-01 → 2026-12-01 is 10 months
            ev("c", "2026-12-01", "pay_step"),  # on the evaluation date: not yet
        ],
    )
    out, _ = measured("      - {id: t, tenure: last_pay_step, at_least: 12}\n", data)
    assert out.schema == {ID: pl.String(), A: pl.Int32()}
    # b: none, from the level start 2025-06-01: 18; c: 2026-01-15 → 2026-12-01 is 10 (day 15 > day 1)
    assert values(out) == {"a": 10, "b": 18, "c": 10}


def test_consecutive_quarters_ending_with_the_latest_complete_one():
    data = dataset(
        [emp("a"), emp("b"), emp("c")],
        at_l1("a", "b", "c"),
        [
            quarter("a", 2026, 1, score=85.0),
            quarter("a", 2026, 2, score=90.0),
            quarter("a", 2026, 3, score=81.0),
            quarter("a", 2026, 4, score=10.0),  # 2026-Q4 is not complete on 2026-12-01: ignored
            quarter("b", 2026, 2, score=95.0),
            quarter("b", 2026, 3, score=79.0),  # the latest complete quarter fails: the run is 0
        ],
    )
    out, _ = measured(
        "      - {id: q, consecutive: {of: score, period: quarter, at_least: 80}, at_least: 2}\n", data
    )
    assert out.schema == NUMBER
    assert values(out) == {"a": 3.0, "b": 0.0, "c": None}  # c has no quarters at all: missing


def test_window_max_and_sum_of_a_metric_over_the_last_three_months():
    rows = [
        month("a", "2026-08", metric="csat", value=0.95),  # before the last three complete months
        month("a", "2026-09", metric="csat", value=0.9),
        month("a", "2026-10", metric="csat", value=0.8),
        month("a", "2026-11", metric="csat", value=0.6),
        month("a", "2026-12", metric="csat", value=1.0),  # not complete
        month("b", "2026-11", metric="tickets", value=7.0),  # another metric only
    ]
    data = dataset([emp("a"), emp("b")], at_l1("a", "b"), metrics=rows)
    criteria = """\
      - {id: best, window: {of: metric.csat, period: month, last: 3, agg: max}, at_least: 0.9}
      - {id: total, window: {of: metric.csat, period: month, last: 3, agg: sum}, at_least: 2}
"""
    best, b0 = measured(criteria, data, 0)
    total, b1 = measured(criteria, data, 1)
    assert best.schema == total.schema == NUMBER
    assert values(best) == {"a": 0.9, "b": None}
    assert abs(values(total)["a"] - 2.3) < 1e-9 and values(total)["b"] is None
    # The one-pass form for several metric windows gives the same columns, a0 and a1.
    ctx = build_context(data, AS_OF)
    subj = ctx.employees.select(ID)
    assert isinstance(b0, m.Aggregate) and isinstance(b1, m.Aggregate)
    merged = metric_aggregates(ctx, [b0, b1], subj).collect()
    assert merged.schema == {ID: pl.String(), "a0": pl.Float64(), "a1": pl.Float64()}
    by_id = {r[ID]: (r["a0"], r["a1"]) for r in merged.iter_rows(named=True)}
    assert by_id == {"a": (0.9, values(total)["a"]), "b": (None, None)}


def test_latest_half_year_value_that_is_complete():
    halves = [
        {"employee_id": "a", "period_kind": "H", "seq": 2025 * 2 + 1, "coefficient": 1.1},
        {"employee_id": "a", "period_kind": "H", "seq": 2026 * 2, "coefficient": 1.3},  # 2026-H1
        {"employee_id": "a", "period_kind": "H", "seq": 2026 * 2 + 1, "coefficient": 2.0},  # H2: open
        {"employee_id": "b", "period_kind": "H", "seq": 2025 * 2, "coefficient": 0.9},  # 2025-H1 only
    ]
    data = dataset([emp("a"), emp("b"), emp("c")], at_l1("a", "b", "c"), halves)
    out, _ = measured("      - {id: h, latest: {of: coefficient, period: half}, at_least: 1}\n", data)
    assert out.schema == NUMBER
    assert values(out) == {"a": 1.3, "b": 0.9, "c": None}


def test_change_is_the_last_quarters_mean_minus_the_ones_before():
    data = dataset(
        [emp("a"), emp("b")],
        at_l1("a", "b"),
        [
            quarter("a", 2026, 1, score=70.0),  # two quarters before: outside last: 1
            quarter("a", 2026, 2, score=80.0),
            quarter("a", 2026, 3, score=86.0),
            quarter("b", 2026, 3, score=90.0),  # nothing to compare with
        ],
    )
    out, _ = measured("      - {id: c, change: {of: score, period: quarter, last: 1}, at_least: 0}\n", data)
    assert out.schema == NUMBER
    assert values(out) == {"a": 6.0, "b": None}


def test_rank_of_a_two_month_mean_within_the_team():
    scores = {"a": (90.0, 80.0), "b": (70.0, 100.0), "c": (60.0, 60.0), "d": (50.0, 50.0), "e": (99.0, 99.0)}
    rows = [
        month(e, ym, score=s)
        for e, pair in scores.items()
        for ym, s in zip(("2026-10", "2026-11"), pair, strict=True)
    ]
    people = [emp("a"), emp("b"), emp("c"), emp("d", team="t2"), emp("e", team=None)]
    data = dataset(people, at_l1(*"abcde"), rows)
    out, _ = measured(
        "      - {id: r, rank: {of: score, within: team, period: month, last: 2, agg: mean}, at_most: 2}\n",
        data,
    )
    assert out.schema == NUMBER
    # t1: a and b both 85 share first place, c (60) is third; d alone in t2; e has no team: no rank
    assert values(out) == {"a": 1.0, "b": 1.0, "c": 3.0, "d": 1.0, "e": None}


def test_count_of_events_in_the_six_months_before_the_date():
    data = dataset(
        [emp("a"), emp("b")],
        at_l1("a", "b"),
        events=[
            ev("a", "2026-05-31", "commendation_internal"),  # before 2026-06-01: outside
            ev("a", "2026-06-01", "commendation_internal"),
            ev("a", "2026-11-30", "commendation_internal"),
            ev("a", "2026-12-01", "commendation_internal"),  # on the date: not yet
            ev("a", "2026-08-01", "commendation_customer"),  # another type
        ],
    )
    out, _ = measured(
        "      - {id: n, count: {event: commendation_internal, months: 6}, at_least: 1}\n", data
    )
    assert out.schema == NUMBER
    assert values(out) == {"a": 2.0, "b": 0.0}  # none is a count of 0, not missing


def test_latest_exam_attempt_at_the_current_level():
    data = dataset(
        [emp("a"), emp("b"), emp("c")],
        at_l1("a", "b", "c", start=D(2026, 4, 1)),
        events=[
            ev("a", "2026-03-01", "exam", 92.0, "technical"),  # before the level began
            ev("a", "2026-06-01", "exam", 58.0, "technical"),
            ev("b", "2026-02-01", "exam", 88.0, "technical"),  # only before the level began
            ev("c", "2026-05-01", "exam", 60.0, "technical"),
            ev("c", "2026-05-01", "exam", 75.0, "technical"),  # same day, later row: the latest
            ev("c", "2026-07-01", "exam", 99.0, "product"),  # another exam
        ],
    )
    criteria = "      - {id: e, exam: technical}\n      - {id: s, exam: {ref: technical, since: level}}\n"
    ever, _ = measured(criteria, data, 0)
    here, _ = measured(criteria, data, 1)
    assert ever.schema == here.schema == NUMBER
    assert values(ever) == {"a": 58.0, "b": 88.0, "c": 75.0}
    assert values(here) == {"a": 58.0, "b": None, "c": 75.0}


def test_attribute_education_is_its_place_in_the_order_and_age_a_number():
    people = [
        emp("a", education="bachelor", birth_date=D(1990, 12, 2)),  # 35 the day before the 36th birthday
        emp("b", education="associate", birth_date=D(1990, 12, 1)),  # 36 on the day
        emp("c", education=None, birth_date=None),
    ]
    data = dataset(people, at_l1("a", "b", "c"))
    criteria = "      - {id: ed, attribute: education, at_least: 大专}\n      - {id: age, attribute: age, below: 40}\n"
    education, _ = measured(criteria, data, 0)
    age, _ = measured(criteria, data, 1)
    assert education.schema == age.schema == NUMBER
    # The data set holds the codes the reader maps the words to (本科 bachelor, 大专 associate), ordered
    # 初中 0 < 高中 1 < 中专 2 < 大专 3 < 本科 4 < 硕士 5 < 博士 6 (docs/policy-language.md)
    assert values(education) == {"a": 4.0, "b": 3.0, "c": None}
    assert values(age) == {"a": 35.0, "b": 36.0, "c": None}


def test_vacancy_is_the_teams_posts_less_their_holders():
    people = [emp("a"), emp("b", team="t2"), emp("h")]
    data = dataset(
        people,
        [*at_l1("a", "b"), asg("h", "l2", D(2025, 1, 1))],  # h holds one of t1's two l2 posts
        positions=[{"level": "l2", "headcount": 2, "track": "skill", "team": "t1", "department": None}],
    )
    out, _ = measured("      - {id: v, vacancy: l2}\n", data)
    assert out.schema == NUMBER
    # b's team t2 has no row, nor has its department or the company: no post for b (0, not unknown)
    assert values(out) == {"a": 1.0, "b": 0.0}
