"""The effect evaluation (rungs.core.effect): a hand-worked difference in differences on a tiny data set,
the estimate against a known effect on synthetic data (tests/core/effect/synthetic.py), and the caveats
the data must raise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rungs.core.effect import (
    Change,
    effect_with_cost,
    evaluate_effect,
    find_plan,
    parse_month,
    plan_cost,
    report_from_text,
    report_to_text,
)
from rungs.core.interchange.dataset import Dataset
from rungs.core.periods import month_seq
from tests.core.effect.synthetic import START, dataset, frame, metrics, people, policy


def codes(report, metric=None):
    return sorted(c.code for c in report.caveats if metric is None or c.metric == metric)


def kpi(report, metric):
    return next(k for k in report.kpis if k.metric == metric)


def tiny() -> Dataset:
    """Three covered agents (C0000–C0002) and three seniors (U0000–U0002), one month each side."""
    employees, assignments = people(3, 3)
    rows = []
    for who, before, after in (
        ("C0000", 89, 92),
        ("C0001", 90, 94),
        ("C0002", 91, 96),
        ("U0000", 85, 85),
        ("U0001", 86, 87),
        ("U0002", 87, 89),
    ):
        rows += [(who, "2026-06", "csat", before), (who, "2026-07", "csat", after)]
    return Dataset(employees=employees, assignments=assignments, metrics=metrics(rows))


def test_the_tiny_panel_gives_the_difference_of_the_four_means():
    p = policy()
    plan = find_plan(p, "csat_bonus")
    data = tiny()
    # July pays tier 2 (CSAT ≥ 90) to each covered agent: 92, 94 and 96 (96 ≥ 95 but there is no
    # resolution rate, so not tier 1) → 3 × 100 = 300.00; the seniors are not covered.
    cost = plan_cost(p, plan, data, START, START)
    assert cost == Decimal("300.00")
    r = evaluate_effect(p, plan, data, START, cost=cost)
    csat = kpi(r, "csat")
    # covered: before (89+90+91)/3 = 90, after (92+94+96)/3 = 94; others: 86 → (85+87+89)/3 = 87
    assert (csat.before_covered, csat.after_covered) == (pytest.approx(90), pytest.approx(94))
    assert (csat.before_uncovered, csat.after_uncovered) == (pytest.approx(86), pytest.approx(87))
    # (94 − 90) − (87 − 86) = 3
    assert csat.did is not None and csat.did.estimate == pytest.approx(3.0, abs=1e-9)
    assert (csat.did.observations, csat.did.clusters) == (12, 6)
    assert csat.did.ci_low < 3.0 < csat.did.ci_high
    # 300.00 / 3 points = 100.00 per point
    assert csat.cost_per_point == Decimal("100.00")
    assert csat.placebo is None  # one month before: nothing to split
    assert [(mm.month, mm.covered, mm.uncovered) for mm in csat.months] == [
        ("2026-06", pytest.approx(90), pytest.approx(86)),
        ("2026-07", pytest.approx(94), pytest.approx(87)),
    ]
    assert (r.covered, r.uncovered, r.left_out, r.before, r.after) == (3, 3, 0, ("2026-06",), ("2026-07",))
    # the plan's default KPIs: CSAT and what its tiers compare (resolution rate, absent here)
    assert [k.metric for k in r.kpis] == ["csat", "resolution_rate"]
    assert kpi(r, "resolution_rate").did is None
    assert codes(r) == ["no_data", "short_after", "short_before", "small_group", "small_group"]
    small = [c for c in r.caveats if c.code == "small_group"]
    assert small[0].zh == "方案覆盖的人只有 3 人（少于 30 人）：个别人的好坏就能明显改变平均值，结论要谨慎。"


def test_a_known_effect_of_three_points_lies_in_the_interval():
    p = policy()
    r = evaluate_effect(p, find_plan(p, "csat_bonus"), dataset(effect=3.0, seed=1), START, kpis=["csat"])
    did = kpi(r, "csat").did
    assert did is not None
    assert did.ci_low <= 3.0 <= did.ci_high
    assert did.p_value < 0.001 and did.significant
    assert codes(r) == ["no_cost"]  # 200 a group, 6 months each side, parallel before: nothing else


def test_no_effect_gives_an_interval_around_zero():
    p = policy()
    r = evaluate_effect(p, find_plan(p, "csat_bonus"), dataset(effect=0.0, seed=2), START, kpis=["csat"])
    did = kpi(r, "csat").did
    assert did is not None and did.ci_low <= 0.0 <= did.ci_high
    assert "not_significant" in codes(r, "csat")
    # with a cost: no cost per point for a difference indistinguishable from 0 (whatever its sign)
    r = evaluate_effect(
        p, find_plan(p, "csat_bonus"), dataset(effect=0.0, seed=2), START, kpis=["csat"], cost=Decimal("1000")
    )
    assert kpi(r, "csat").cost_per_point is None
    assert codes(r, "csat") == ["not_significant"]


def test_the_intervals_cover_the_true_effect_about_95_times_in_100():
    # 40 data sets: with clustering by employee the 95% interval holds 3.0 in about 38 of them; if the
    # standard errors ignored that a person's months move together (their ability) it would be far fewer.
    p = policy()
    plan = find_plan(p, "csat_bonus")
    hits = 0
    for seed in range(40):
        data = dataset(effect=3.0, n_covered=60, n_uncovered=60, seed=100 + seed)
        did = kpi(evaluate_effect(p, plan, data, START, kpis=["csat"]), "csat").did
        assert did is not None
        hits += did.ci_low <= 3.0 <= did.ci_high
    assert hits >= 34


def test_small_groups_are_named():
    p = policy()
    r = evaluate_effect(p, find_plan(p, "csat_bonus"), dataset(n_covered=12, n_uncovered=40), START)
    small = [c for c in r.caveats if c.code == "small_group"]
    assert [(c.params["group"], c.params["n"]) for c in small] == [("covered", 12)]


def test_groups_drifting_apart_before_the_start_are_a_pre_trend():
    # No effect at all, but the covered group gains 0.5 a month more than the others all along: the
    # DiD then shows a spurious gain, and the placebo on the six months before catches the drift.
    p = policy()
    r = evaluate_effect(
        p, find_plan(p, "csat_bonus"), dataset(effect=0.0, drift=0.5, seed=3), START, kpis=["csat"]
    )
    csat = kpi(r, "csat")
    assert csat.placebo is not None and csat.placebo.p_value < 0.05
    assert csat.did is not None and csat.did.estimate > 1  # spurious
    assert "pre_trend" in codes(r, "csat")
    # parallel groups: no pre-trend
    r = evaluate_effect(p, find_plan(p, "csat_bonus"), dataset(effect=3.0, seed=1), START, kpis=["csat"])
    assert "pre_trend" not in codes(r)


def test_short_windows_and_other_changes_in_the_window():
    other = """\
    - id: team_award
      label: {zh: 班组奖, en: Team award}
      cycle: month
      levels: [senior]
      effective_from: 2026-09-01
      components: [{id: a, fixed: 50}]
"""
    p = policy(other)
    plan = find_plan(p, "csat_bonus")
    data = dataset(months_before=2, months_after=6)
    r = evaluate_effect(p, plan, data, START, changes=[Change("2026-08", "新的排班制度")])
    assert "short_before" in codes(r) and "short_after" not in codes(r)
    assert [c.params["label"] for c in r.caveats if c.code == "other_change"] == ["新的排班制度", "班组奖"]
    # a change outside the window (12 months each side by default, data or not) is not named
    r = evaluate_effect(p, plan, data, START, changes=[Change("2025-06", "旧的变化")], window=6)
    assert [c.params["label"] for c in r.caveats if c.code == "other_change"] == ["班组奖"]


def test_someone_promoted_into_the_plans_levels_later_is_in_neither_group():
    employees, assignments = people(3, 4)
    # U0003 is a senior who becomes an agent in 2026-09: covered by the plan then, so not a comparison.
    moved = frame(
        "assignments",
        {
            "employee_id": ["U0003", "U0003"],
            "track": ["post", "post"],
            "level": ["senior", "agent"],
            "start_date": [dt.date(2024, 1, 1), dt.date(2026, 9, 1)],
            "end_date": [dt.date(2026, 9, 1), None],
            "kind": ["hire", "demotion"],
        },
    )
    assignments = assignments.filter(assignments["employee_id"] != "U0003").vstack(moved)
    rows = [(e, mo, "csat", 90.0) for e in employees["employee_id"] for mo in ("2026-06", "2026-09")]
    data = Dataset(employees=employees, assignments=assignments, metrics=metrics(rows))
    p = policy()
    r = evaluate_effect(p, find_plan(p, "csat_bonus"), data, START)
    assert (r.covered, r.uncovered, r.left_out) == (3, 3, 1)
    assert "left_out" in codes(r)


def test_lower_is_better_turns_the_sign_of_the_improvement():
    # The complaint rate of covered agents falls by 0.01 (one percentage point) while the others' stays.
    employees, assignments = people(3, 3)
    rows = []
    for who, before, after in (
        ("C0000", 0.05, 0.039),
        ("C0001", 0.06, 0.050),
        ("C0002", 0.07, 0.061),
        ("U0000", 0.05, 0.051),
        ("U0001", 0.06, 0.060),
        ("U0002", 0.07, 0.069),
    ):
        rows += [(who, "2026-06", "complaint_rate", before), (who, "2026-07", "complaint_rate", after)]
    data = Dataset(employees=employees, assignments=assignments, metrics=metrics(rows))
    p = policy()
    r = evaluate_effect(
        p, find_plan(p, "csat_bonus"), data, START, kpis=["complaint_rate"], cost=Decimal("250")
    )
    e = kpi(r, "complaint_rate")
    # means: covered 0.06 → (0.039+0.050+0.061)/3 = 0.05, others 0.06 → 0.06;
    # DiD = (0.05 − 0.06) − (0.06 − 0.06) = −0.01: one percentage point better; 250 / 1 = 250.00
    assert e.lower_is_better and e.fraction
    assert e.did is not None and e.did.estimate == pytest.approx(-0.01, abs=1e-9) and e.did.significant
    assert e.improvement_points == pytest.approx(1.0)
    assert e.cost_per_point == Decimal("250.00")


def test_no_improvement_gives_no_cost_per_point():
    p = policy()
    r = evaluate_effect(
        p,
        find_plan(p, "csat_bonus"),
        dataset(effect=-3.0, seed=4),
        START,
        kpis=["csat"],
        cost=Decimal("1000"),
    )
    assert kpi(r, "csat").cost_per_point is None
    assert "no_improvement" in codes(r, "csat")


def test_missing_cells_give_no_estimate():
    employees, assignments = people(3, 3)
    rows = [(f"C000{i}", mo, "csat", 90.0 + i) for i in range(3) for mo in ("2026-06", "2026-07")]
    data = Dataset(employees=employees, assignments=assignments, metrics=metrics(rows))
    p = policy()
    r = evaluate_effect(p, find_plan(p, "csat_bonus"), data, START, kpis=["csat"])
    assert kpi(r, "csat").did is None and codes(r, "csat") == ["no_data"]


def test_bad_plan_and_month_are_refused_in_both_languages():
    with pytest.raises(ValueError, match="没有奖励方案 'nope'.*has no reward plan"):
        find_plan(policy(), "nope")
    with pytest.raises(ValueError, match="应为 YYYY-MM.*expected YYYY-MM"):
        parse_month("2026-Q3")
    assert parse_month("2026-07") == month_seq(2026, 7)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_fit_is_statsmodels_full_design_with_one_dummy_per_month(seed):
    # did_fit partials the month dummies out (Frisch–Waugh–Lovell); statsmodels on the whole design —
    # constant, covered, a dummy for every month but the first, covered × after — must give the same.
    import numpy as np
    import polars as pl
    import statsmodels.api as sm

    from rungs.core.effect import did_fit, groups

    p = policy()
    plan = find_plan(p, "csat_bonus")
    data = dataset(n_covered=30, n_uncovered=50, effect=2.0, months_before=5, months_after=4, seed=seed)
    rows = (
        data.metrics.filter(pl.col("metric") == "csat")
        .select("employee_id", pl.col("seq").cast(pl.Int64), "value")
        .join(groups(p, plan, data, START, START + 3), on="employee_id")
        .sample(fraction=0.9, seed=seed)  # unbalanced: some months missing
    )
    got = did_fit(rows, START)
    assert got is not None
    seq = rows["seq"].to_numpy()
    treated = rows["covered"].to_numpy().astype(float)
    months = np.unique(seq)
    x = np.column_stack(
        [
            np.ones(len(seq)),
            treated,
            (seq[:, None] == months[None, 1:]).astype(float),
            treated * (seq >= START),
        ]
    )
    groups_ = rows["cluster"].to_numpy()
    full = sm.OLS(rows["value"].to_numpy(), x).fit(
        cov_type="cluster", cov_kwds={"groups": groups_}, use_t=True
    )
    low, high = full.conf_int(alpha=0.05)[-1]
    assert got.estimate == pytest.approx(full.params[-1], rel=1e-9)
    assert got.se == pytest.approx(full.bse[-1], rel=1e-9)
    assert (got.ci_low, got.ci_high) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
    assert got.p_value == pytest.approx(full.pvalues[-1], rel=1e-6, abs=1e-300)


def test_a_stored_report_reads_back_equal_to_the_one_computed():
    p = policy()
    plan = find_plan(p, "csat_bonus")
    data = dataset(months_before=2, months_after=6)
    r = effect_with_cost(p, plan, data, START, changes=[Change("2026-08", "新的排班制度")])
    assert r.cost is not None and r.caveats and r.kpis[0].did is not None  # every kind of field is there
    again = report_from_text(report_to_text(r))
    assert again == r
    assert isinstance(again.cost, Decimal) and isinstance(again.kpis[0].months, tuple)
