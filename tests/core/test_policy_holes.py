"""Issue 13, a policy language without holes, in the evaluation: typed attributes, vacancy per team and
department, and warnings for names that are the data's own. Expected values worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rungs.core.engine.evaluate import evaluate
from rungs.core.engine.report import to_json_obj
from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.parse import parse_policy
from tests.core.test_engine_vs_reference import HEAD, actuals, asg, check, dataset, emp, one_rule

D = dt.date
AS_OF = D(2026, 12, 1)


# ---- attributes are typed ------------------------------------------------------------------------------


def test_base_pay_compares_as_a_number_not_as_text(tmp_path: Path):
    # As text "900" ≥ "5000" (9 > 5) and "12000" < "5000" (1 < 5): the rule read backwards.
    (tmp_path / "employees.csv").write_text(
        "employee_id,name,hire_date,base_pay\nlow,L,2020-01-01,900\nhigh,H,2020-01-01,12000\nnone,N,2020-01-01,\n",
        encoding="utf-8",
    )
    (tmp_path / "assignments.csv").write_text(
        "employee_id,track,level,start_date\nlow,skill,l1,2024-01-01\nhigh,skill,l1,2024-01-01\n"
        "none,skill,l1,2024-01-01\n",
        encoding="utf-8",
    )
    data = read_dataset(tmp_path)
    assert not any("base_pay" in w for w in data.warnings)  # a known column, not an unknown one
    policy = one_rule("      - {id: pay, attribute: base_pay, at_least: 5000}\n")
    got = {r["employee_id"]: r["criteria"][0] for r in to_json_obj(evaluate(policy, data, AS_OF))["results"]}
    assert (got["low"]["passed"], got["low"]["actual"]) == (False, 900)
    assert (got["high"]["passed"], got["high"]["actual"]) == (True, 12000)
    assert (got["none"]["passed"], got["none"]["actual"]) == (False, None)  # missing data fails


def test_a_base_pay_that_is_no_number_is_a_data_error(tmp_path: Path):
    import pytest

    from rungs.core.interchange.errors import DataError

    (tmp_path / "employees.csv").write_text(
        "employee_id,name,hire_date,base_pay\na,A,2020-01-01,12k\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        read_dataset(tmp_path)
    assert "base_pay" in str(info.value) and "a number" in str(info.value)


def test_declared_attribute_types_compare_by_their_type():
    head = HEAD + "attributes:\n  band: {choice: [C, B, A]}\n  joined: date\n  points: number\n"
    policy = parse_policy(
        head
        + "promotions:\n  - track: skill\n    from: l1\n    criteria:\n"
        + "      - {id: band, attribute: band, at_least: B}\n"
        + "      - {id: joined, attribute: joined, below: 2021-01-01}\n"
        + "      - {id: points, attribute: points, above: 80}\n"
    )
    people = [
        emp(
            "a", band="A", joined="2020-06-30", points="100"
        ),  # A ≥ B; 2020 < 2021; 100 > 80 (as text "100" < "80")
        emp("b", band="C", joined="2021-01-01", points="9"),  # C < B; not before; 9 < 80 (as text "9" > "80")
        emp("c", band="Z", joined="soon", points="x"),  # not of the type: missing, fails
    ]
    data = dataset(people, [asg(p["employee_id"], "l1", D(2024, 1, 1)) for p in people])
    ev = evaluate(policy, data, AS_OF)
    got = actuals(to_json_obj(ev))
    assert [got[("a", k)] for k in ("band", "joined", "points")] == ["A", "2020-06-30", 100]
    assert [got[("b", k)] for k in ("band", "joined", "points")] == ["C", "2021-01-01", 9]
    assert [got[("c", k)] for k in ("band", "joined", "points")] == [None, None, None]
    passed = {(r["employee_id"]): [c["passed"] for c in r["criteria"]] for r in to_json_obj(ev)["results"]}
    assert passed == {"a": [True, True, True], "b": [False, False, False], "c": [False, False, False]}
    for name in ("band", "joined", "points"):  # c's values are named, one each
        assert any(f"attribute {name}: 1 value(s) are not of type" in w for w in ev.warnings)


# ---- vacancy per team and department ------------------------------------------------------------------


def _vacancy_data(positions: list[dict]):
    people = [
        emp("a", team="t1", department="d1"),
        emp("b", team="t2", department="d2"),
        emp("c", team="t5", department="d3"),
        emp("d", team=None, department=None),
        emp("h1", team="t1", department="d1"),  # holders of l2
        emp("h2", team="t3", department="d2"),
        emp("h3", team="t4", department="d2"),
        emp("gone", team="t1", department="d1", status="left"),  # holds nothing
    ]
    rows = [asg(e, "l1", D(2024, 1, 1)) for e in "abcd"]
    rows += [asg(e, "l2", D(2024, 1, 1)) for e in ("h1", "h2", "h3", "gone")]
    return dataset(people, rows, positions=positions)


def test_vacancy_counts_posts_in_the_employees_own_team_or_department():
    policy = one_rule("      - {id: vacancy, vacancy: $to}\n")
    positions = [
        {"level": "l2", "headcount": 2, "track": "skill", "team": "t1"},  # team t1's posts
        {"level": "l2", "headcount": 3, "track": None, "department": "d2"},  # department d2's posts
        {"level": "l2", "headcount": 5, "track": "skill"},  # the company's, for everyone else
    ]
    got = actuals(check(policy, _vacancy_data(positions), AS_OF))
    # a: t1 has 2 posts, held by h1 → 1. b: no t2 rows; d2 has 3, held by h2 and h3 → 1.
    # c and d: neither their team nor department has rows → the company's 5 minus all 3 holders → 2.
    # (Before: every row summed, 10 − 3 = 7 for everyone.)
    assert [got[(e, "vacancy")] for e in "abcd"] == [1, 1, 2, 2]


def test_without_company_rows_there_is_no_post_outside_the_listed_teams_and_departments():
    policy = one_rule("      - {id: vacancy, vacancy: $to}\n")
    positions = [
        {"level": "l2", "headcount": 2, "track": "skill", "team": "t1", "department": "d1"},
        {"level": "l2", "headcount": 3, "track": "skill", "department": "d2"},
    ]
    out = check(policy, _vacancy_data(positions), AS_OF)
    got = actuals(out)
    assert [got[(e, "vacancy")] for e in "abcd"] == [1, 1, 0, 0]
    assert [r["eligible"] for r in out["results"]] == [True, True, False, False]


def test_vacancy_is_unknown_when_no_row_names_the_level():
    policy = one_rule("      - {id: vacancy, vacancy: $to}\n")
    out = check(policy, _vacancy_data([{"level": "l3", "headcount": 9, "track": "skill"}]), AS_OF)
    assert {c["actual"] for r in out["results"] for c in r["criteria"]} == {None}


# ---- names that are the data's own are warned of ---------------------------------------------------------


def test_refs_metrics_and_attributes_the_data_lack_are_named_in_the_warnings():
    policy = one_rule("""\
      - {id: exam, exam: technicl}
      - {id: course, course: service_basics}
      - {id: csat, window: {of: metric.csta, period: month, last: 3, agg: mean}, at_least: 90}
      - {id: site, attribute: manager_id, equals: m1}
""")
    people = [emp("a")]
    events = [
        {"employee_id": "a", "date": D(2026, 3, 1), "type": "exam", "value": 80.0, "ref": "technical"},
        {"employee_id": "a", "date": D(2026, 3, 1), "type": "course_completed", "ref": "service_basics"},
        {"employee_id": "a", "date": D(2026, 3, 1), "type": "praise", "ref": None},
    ]
    metrics = [
        {"employee_id": "a", "period_kind": "M", "seq": 2026 * 12 + 9, "metric": "csat", "value": 95.0}
    ]
    data = dataset(people, [asg("a", "l1", D(2024, 1, 1))], metrics=metrics, events=events)
    warnings = evaluate(policy, data, AS_OF).warnings
    assert "events.csv 中没有 ref 为 technicl 的 exam 记录，是否应为 technical？ / " in "".join(warnings)
    assert any(
        w.endswith("no exam event in events.csv has ref technicl; did you mean technical?") for w in warnings
    )
    assert not any("service_basics" in w for w in warnings)  # present in the data
    assert any(
        "metrics.csv has no csta in the periods the policy reads; did you mean csat?" in w for w in warnings
    )
    assert any("event type praise in events.csv is not a known type" in w for w in warnings)
    assert not any("manager_id" in w for w in warnings)  # a column every data set has
