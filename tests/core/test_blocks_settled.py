"""Building-block options added for readings SEEDS.md settles, each on a tiny hand-made frame; `check`
also runs the plain-Python reference evaluator and requires it to agree with the engine.

Evaluated on 2026-12-01 unless said otherwise (latest complete year 2025, quarter 2026-Q3).
"""

from __future__ import annotations

import pytest

from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import parse_policy

from .test_engine_vs_reference import D, actuals, asg, check, dataset, emp, one_rule

AS_OF = D(2026, 12, 1)


def test_a_blank_regularization_is_dated_from_the_history():
    policy = one_rule("      - {id: reg, tenure: regularized, at_least: 3}\n", "warning")  # every level
    data = dataset(
        [
            emp("given", regularized_on=D(2025, 12, 1)),  # a date on file is used as it is
            emp("second", hire_date=D(2025, 3, 1)),  # l1 then l2 from 2025-06-01: regularized then
            emp("above", hire_date=D(2024, 2, 1)),  # history starts at l2: regularized at hire
            emp("still", hire_date=D(2026, 5, 1)),  # only l1 so far: nothing to date it by
            emp("trial", hire_date=D(2025, 3, 1), status="probation"),  # not regular: no date
        ],
        [
            asg("given", "l1", D(2020, 1, 15)),
            asg("second", "l1", D(2025, 3, 1), D(2025, 6, 1)),
            asg("second", "l2", D(2025, 6, 1)),
            asg("above", "l2", D(2024, 2, 1)),
            asg("still", "l1", D(2026, 5, 1)),
            asg("trial", "l1", D(2025, 3, 1), D(2025, 6, 1)),
            asg("trial", "l2", D(2025, 6, 1)),
        ],
    )
    got = actuals(check(policy, data, AS_OF))
    assert got[("given", "reg")] == 12  # 2025-12-01 → 2026-12-01
    assert got[("second", "reg")] == 18  # 2025-06-01 → 2026-12-01
    assert got[("above", "reg")] == 34  # 2024-02-01 → 2026-12-01
    assert got[("still", "reg")] is None
    assert got[("trial", "reg")] is None
    assert policy.rules[0].criteria[0].block.first_level == "l1"


def test_an_offset_lifts_a_penalty_only_within_its_year():
    policy = one_rule("""\
      - {id: any_offset, count: {event: penalty, window: previous_year, unoffset: true}, equals: 0}
      - {id: same_year, count: {event: penalty, window: previous_year, unoffset: same_year}, equals: 0}
""")
    ev = [  # penalties of 2025 (the previous year at 2026-12-01)
        ("a", "2025-03-01", "penalty", "p1"),
        ("a", "2025-11-20", "penalty_offset", "p1"),  # offset in 2025: lifted under both readings
        ("b", "2025-10-01", "penalty", "p2"),
        ("b", "2026-02-01", "penalty_offset", "p2"),  # offset in 2026: lifted only under any_offset
        ("c", "2025-06-01", "penalty", "p3"),  # never offset: counts under both
    ]
    events = [{"employee_id": e, "date": D.fromisoformat(d), "type": t, "ref": r} for e, d, t, r in ev]
    data = dataset([emp(x) for x in "abc"], [asg(x, "l1", D(2024, 1, 1)) for x in "abc"], events=events)
    got = actuals(check(policy, data, AS_OF))
    assert (got[("a", "any_offset")], got[("a", "same_year")]) == (0, 0)
    assert (got[("b", "any_offset")], got[("b", "same_year")]) == (0, 1)
    assert (got[("c", "any_offset")], got[("c", "same_year")]) == (1, 1)


def test_excluded_leave_is_excluded_only_up_to_the_entitlement():
    policy = one_rule("""\
      - {id: leave, count: {event: leave, measure: sum, months: 12, exclude_refs: {marriage: 3, bereavement: 3}}, below: 23}
      - {id: plain, count: {event: leave, measure: sum, months: 12, exclude_refs: [marriage, bereavement]}, below: 23}
""")
    ev = [
        ("2026-02-01", 10, "sick"),
        ("2026-03-01", 2, "marriage"),
        ("2026-03-10", 3, "marriage"),  # marriage 2 + 3 = 5 in the window: 3 entitled, 2 count
        ("2026-05-01", 3, "bereavement"),  # exactly the entitlement: 0 count
        ("2025-11-01", 9, "marriage"),  # before the 12 months (2025-12-01 ≤ date): not in the window
        ("2026-06-01", 4, None),  # leave without a ref counts in full
    ]
    events = [
        {"employee_id": "a", "date": D.fromisoformat(d), "type": "leave", "value": v, "ref": r}
        for d, v, r in ev
    ]
    data = dataset([emp("a")], [asg("a", "l1", D(2024, 1, 1))], events=events)
    got = actuals(check(policy, data, AS_OF))
    assert got[("a", "leave")] == 16  # 10 + 2 + 0 + 4
    assert got[("a", "plain")] == 14  # 10 + 4, marriage and bereavement wholly excluded


def test_entitlements_need_a_sum():
    with pytest.raises(PolicyError, match="measure: sum"):
        one_rule("      - {id: n, count: {event: leave, exclude_refs: {marriage: 3}}, below: 2}\n")


def test_months_and_events_since_entering_the_department():
    policy = one_rule(
        """\
      - {id: months, tenure: department, at_least: 3}
      - {id: talks, count: {event: career_talk, window: since_department}, at_least: 1}
""",
        "warning",
    )
    data = dataset(
        [emp("stay"), emp("moved"), emp("back"), emp("late", hire_date=D(2022, 3, 1))],
        [
            # stay: l1 then l2, both in d1 → in d1 since hire (2020-01-15; a promotion does not restart it)
            asg("stay", "l1", D(2024, 1, 1), D(2025, 1, 1), department="d1"),
            asg("stay", "l2", D(2025, 1, 1), department="d1"),
            # moved: d1, then a transfer to d2 on 2026-10-15 → 1 month in d2 (2026-10-15 → 2026-12-01)
            asg("moved", "l1", D(2023, 1, 1), D(2026, 10, 15), department="d1"),
            asg("moved", "l1", D(2026, 10, 15), department="d2"),
            # back: d1, d2, then d1 again from 2026-06-01 → 6 months; the earlier d1 time does not count
            asg("back", "l1", D(2022, 1, 1), D(2024, 1, 1), department="d1"),
            asg("back", "l1", D(2024, 1, 1), D(2026, 6, 1), department="d2"),
            asg("back", "l2", D(2026, 6, 1), department="d1"),
            # late: hired 2022-03-01, history on file only from 2026-09-01 and all in d1 → since hire
            asg("late", "l2", D(2026, 9, 1), department="d1"),
        ],
        events=[
            {"employee_id": "stay", "date": D(2024, 2, 1), "type": "career_talk"},
            {
                "employee_id": "moved",
                "date": D(2024, 2, 1),
                "type": "career_talk",
            },  # in d1: before entering d2
            {"employee_id": "back", "date": D(2026, 6, 1), "type": "career_talk"},  # on the day of entry
        ],
    )
    got = actuals(check(policy, data, AS_OF))
    assert got[("stay", "months")] == 82 and got[("stay", "talks")] == 1  # 2020-01-15 → 2026-12-01
    assert got[("moved", "months")] == 1 and got[("moved", "talks")] == 0
    assert got[("back", "months")] == 6 and got[("back", "talks")] == 1
    assert got[("late", "months")] == 57 and got[("late", "talks")] == 0  # 2022-03-01 → 2026-12-01


def test_a_run_of_quarters_within_the_year_of_the_latest_annual_grade():
    policy = parse_policy("""\
rungs: 1
id: t
grades:
  appraisal: [不可接受, 需要改进, 达到要求]
tracks:
  skill:
    levels: {l1: 一级}
rules:
  - id: r
    kind: unqualified_leader
    track: skill
    criteria:
      - {id: ending, consecutive: {of: grade, period: quarter, equals: 不可接受}, at_least: 2}
      - {id: in_year, consecutive: {of: grade, period: quarter, equals: 不可接受, year: latest_annual}, at_least: 2}
""")

    def grades(eid: str, rows: dict[str, str]) -> list[dict]:
        out = []
        for period, grade in rows.items():
            y, _, q = period.partition("-Q")
            kind, seq = ("Q", int(y) * 4 + int(q) - 1) if q else ("Y", int(y))
            out.append({"employee_id": eid, "period_kind": kind, "seq": seq, "grade": grade})
        return out

    evaluations = [
        # a: 2025-Q1, Q2 不可接受, Q3, Q4 fine; annual 2025 → in 2025 a run of 2; the run ending 2026-Q1 is 0
        *grades(
            "a",
            {
                "2025": "需要改进",
                "2025-Q1": "不可接受",
                "2025-Q2": "不可接受",
                "2025-Q3": "达到要求",
                "2025-Q4": "达到要求",
                "2026-Q1": "达到要求",
            },
        ),
        # b: 2025-Q4 and 2026-Q1 不可接受: a run of 2 ending 2026-Q1, but only 1 of them in 2025
        *grades("b", {"2025": "需要改进", "2025-Q4": "不可接受", "2026-Q1": "不可接受"}),
        # c: no annual grade on file → the year is unknown: missing data
        *grades("c", {"2025-Q1": "不可接受", "2025-Q2": "不可接受"}),
    ]
    data = dataset([emp(x) for x in "abc"], [asg(x, "l1", D(2020, 1, 1)) for x in "abc"], evaluations)
    got = actuals(check(policy, data, D(2026, 5, 15)))  # latest complete quarter 2026-Q1, year 2025
    assert (got[("a", "ending")], got[("a", "in_year")]) == (0, 2)
    assert (got[("b", "ending")], got[("b", "in_year")]) == (2, 1)
    assert (got[("c", "ending")], got[("c", "in_year")]) == (0, None)


def test_priority_rules_count_the_conditions_met_and_are_named_in_chinese():
    from rungs.core.engine.report import kind_label

    policy = one_rule(
        """\
      - id: priority
        any:
          - {id: teamwork, attestation: teamwork}
          - {id: key_role, attestation: key_role}
""",
        "priority",
    )
    events = [
        {"employee_id": "a", "date": D(2026, 3, 1), "type": "attestation", "value": 1, "ref": "teamwork"}
    ]
    out = check(
        policy,
        dataset([emp("a"), emp("b")], [asg(x, "l1", D(2024, 1, 1)) for x in "ab"], events=events),
        AS_OF,
    )
    got = actuals(out)
    assert (got[("a", "priority")], got[("b", "priority")]) == (1, 0)  # conditions met, of 2
    assert {r["kind"] for r in out["results"]} == {"priority"}
    assert (kind_label("priority"), kind_label("priority", "en")) == ("优先条件", "priority")
