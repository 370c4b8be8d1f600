"""The vectorised engine agrees with the plain-Python reference evaluator (tests/core/reference.py).

Hypothesis draws small random data sets — a few employees with hire dates, assignment histories (transfers,
gaps, ended rows, acting posts), monthly/quarterly/half/yearly evaluations and metrics with gaps, events
with refs (penalties and their offsets, leave with refs, exams on the same day…) and positions — and a
random evaluation date, and checks that every result's eligibility and every criterion's passed, actual and
required agree. A few hand-worked examples pin the semantics of docs/policy-language.md directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import random
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rungs.core.engine.evaluate import evaluate
from rungs.core.engine.report import to_json_obj
from rungs.core.interchange.dataset import EDUCATION_LEVELS, SCHEMAS, Dataset
from rungs.core.policy.parse import load_policy, parse_policy

from .reference import evaluate_reference, months_back

D = dt.date
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
KITCHEN_SINK = load_policy(HERE / "policies" / "kitchen_sink.yaml")
DUAL_TRACK_FILE = ROOT / "examples" / "policies" / "dual-track-logistics.yaml"

MONTHLY = ("不合格", "合格", "良好", "优秀")
QUARTERLY = ("D", "C", "B", "A")
EVENT_REFS: dict[str, tuple[Any, ...]] = {
    "exam": ("technical", "technical", "l2"),
    "attestation": ("office_skills", "independent_operation", "office_visio"),
    "course_completed": ("l2", "l3", "l4", "junior"),
    "certificate": ("cs_cert", "other"),
    "commendation_customer": ("c1", "c2", "c3", None),
    "commendation_internal": (None, "hq"),
    "leave": ("sick", "marriage", "maternity", "bereavement", None),
    "penalty": ("p1", "p2", "p3", None),
    "penalty_offset": ("p1", "p2", "p3", None),
    "pay_step": (None,),
    "training": ("reserve_cadre", "safety", "other"),
    "mentored": (None, "n1"),
    "major_incident": (None,),
    "complaint": (None, "c1"),
    "career_talk": (None,),
}


@functools.cache
def dual_track() -> Any:
    return load_policy(DUAL_TRACK_FILE)


# ---- building data sets ------------------------------------------------------------------------------


def period_name(kind: str, seq: int) -> str:
    if kind == "M":
        return f"{seq // 12}-{seq % 12 + 1:02d}"
    if kind == "Q":
        return f"{seq // 4}-Q{seq % 4 + 1}"
    if kind == "H":
        return f"{seq // 2}-H{seq % 2 + 1}"
    return str(seq)


def seq_of(kind: str, d: dt.date) -> int:
    return {
        "M": d.year * 12 + d.month - 1,
        "Q": d.year * 4 + (d.month - 1) // 3,
        "H": d.year * 2 + (d.month - 1) // 6,
        "Y": d.year,
    }[kind]


def frame(name: str, rows: list[dict], extra: dict[str, pl.DataType] | None = None) -> pl.DataFrame:
    schema = {**SCHEMAS[name], **(extra or {})}
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema, orient="row")


def dataset(
    employees: list[dict],
    assignments: list[dict] = (),
    evaluations: list[dict] = (),  # type: ignore[assignment]
    metrics: list[dict] = (),
    events: list[dict] = (),
    positions: list[dict] = (),
) -> Dataset:  # type: ignore[assignment]
    """A data set from plain rows; evaluations/metrics rows give kind and seq, the period text is derived."""
    for r in [*evaluations, *metrics]:
        r.setdefault("period", period_name(r["period_kind"], r["seq"]))
    extra = {c: pl.String() for e in employees for c in e if c not in SCHEMAS["employees"]}
    return Dataset(
        employees=frame("employees", list(employees), extra),
        assignments=frame("assignments", list(assignments)),
        evaluations=frame("evaluations", list(evaluations)),
        metrics=frame("metrics", list(metrics)),
        events=frame("events", list(events)),
        positions=frame("positions", list(positions)),
    )


@st.composite
def near_dates(draw: st.DrawFn, as_of: dt.date, back_days: int = 1200, ahead_days: int = 60) -> dt.date:
    """A date around the evaluation date, often exactly on a boundary the semantics care about."""
    if draw(st.integers(0, 3)) == 0:
        months = draw(st.sampled_from((0, 1, 3, 6, 12, 24)))
        return months_back(as_of, months) + dt.timedelta(days=draw(st.sampled_from((-1, 0, 1))))
    if draw(st.integers(0, 5)) == 0:  # the first day of a year / month before the date
        return draw(
            st.sampled_from(
                (
                    D(as_of.year - 1, 1, 1),
                    D(as_of.year, 1, 1),
                    D(as_of.year - 1, 12, 31),
                    as_of.replace(day=1),
                )
            )
        )
    return as_of - dt.timedelta(days=draw(st.integers(-ahead_days, back_days)))


def near_date(rnd: random.Random, as_of: dt.date) -> dt.date:
    """near_dates for values drawn from a seeded generator."""
    if rnd.random() < 0.25:
        return months_back(as_of, rnd.choice((0, 1, 3, 6, 12, 24))) + dt.timedelta(
            days=rnd.choice((-1, 0, 1))
        )
    if rnd.random() < 0.15:
        return rnd.choice(
            (D(as_of.year - 1, 1, 1), D(as_of.year, 1, 1), D(as_of.year - 1, 12, 31), as_of.replace(day=1))
        )
    return as_of - dt.timedelta(days=rnd.randint(-60, 1200))


@st.composite
def periods(draw: st.DrawFn, kind: str, as_of: dt.date, back: int) -> list[int]:
    """A stretch of periods ending around the evaluation date's period, with a few gaps."""
    top = seq_of(kind, as_of)
    first = top - draw(st.integers(-1, back))
    gaps = draw(st.sets(st.integers(first, top + 1), max_size=3))
    return [s for s in range(first, top + 2) if s not in gaps]


@st.composite
def cases(draw: st.DrawFn, levels: tuple[str, ...], track: str = "skill") -> tuple[Dataset, dt.date]:
    as_of = draw(
        st.one_of(
            st.dates(D(2023, 1, 1), D(2026, 12, 31)),
            st.builds(D, st.integers(2023, 2026), st.integers(1, 12), st.just(1)),
            st.sampled_from((D(2026, 3, 31), D(2025, 12, 31), D(2024, 2, 29), D(2026, 1, 1))),
        )
    )
    n = draw(st.integers(2, 6))
    employees, assignments, evaluations, metrics, events = [], [], [], [], []
    for i in range(n):
        eid = f"e{i:02d}"
        hire = as_of - dt.timedelta(days=draw(st.integers(-40, 3000)))
        employees.append(
            {
                "employee_id": eid,
                "name": eid,
                "hire_date": hire,
                "team": draw(st.sampled_from(("t1", "t2", "t1", "t2", None))),
                "department": draw(st.sampled_from(("d1", "d2", "d1", "d2", None))),
                "education": draw(st.sampled_from((*EDUCATION_LEVELS, None))),
                "status": draw(st.sampled_from(("regular", "regular", "probation", "left", None))),
                "regularized_on": draw(
                    st.sampled_from((None, hire + dt.timedelta(days=90), hire + dt.timedelta(days=182)))
                ),
                "birth_date": draw(st.one_of(st.none(), st.dates(D(1965, 1, 1), D(2002, 12, 31)))),
                "site": draw(st.sampled_from(("A", "B", None))),
            }
        )
        # The assignment history: a chain of rows, sometimes with a gap, the last one open or ended.
        start, level = hire, draw(st.sampled_from(levels))
        for k in range(draw(st.integers(1, 4))):
            if k:
                level = draw(st.sampled_from((level, *levels)))  # the same level again: a transfer
            length = draw(st.integers(20, 900))
            last = k == 3 or draw(st.integers(0, 2)) == 0
            end = start + dt.timedelta(days=length)
            if last and draw(st.integers(0, 5)) > 0:
                end = None
            assignments.append(
                {
                    "employee_id": eid,
                    "track": track,
                    "level": level,
                    "start_date": start,
                    "end_date": end,  # kind is optional in assignments.csv: empty means not acting
                    "kind": draw(st.sampled_from(("hire" if k == 0 else "promotion", "transfer", None))),
                    "department": draw(st.sampled_from((None, "d1", "d2"))),
                }
            )
            if end is None or last:
                break
            start = end + dt.timedelta(days=draw(st.sampled_from((0, 0, 0, 15))))
        if draw(st.booleans()):  # a level on a second track whose level ids repeat the first's
            second = draw(st.sampled_from(("mgmt", "management")))
            assignments.append(
                {
                    "employee_id": eid,
                    "track": second,
                    "level": draw(st.sampled_from(levels)),
                    "start_date": draw(near_dates(as_of)),
                    "end_date": None,
                    "kind": None,
                }
            )
        if draw(st.integers(0, 2)) == 0:
            a_start = draw(near_dates(as_of, 700))
            assignments.append(
                {
                    "employee_id": eid,
                    "track": track,
                    "level": draw(st.sampled_from(levels)),
                    "start_date": a_start,
                    "kind": "acting",
                    "end_date": draw(st.sampled_from((None, None, as_of, a_start + dt.timedelta(days=400)))),
                }
            )
        # Evaluations and metrics: random periods around the evaluation date, with gaps.
        # Values per period come from a seeded generator: thousands of hypothesis draws per example
        # would make generation slower than the engine; the structure (which periods) is still drawn.
        rnd = random.Random(draw(st.integers(0, 2**32)))
        for kind, back in (("M", 26), ("Q", 10), ("H", 5), ("Y", 4)):
            scale = QUARTERLY if kind == "Q" else MONTHLY
            for seq in draw(periods(kind, as_of, back)):
                evaluations.append(
                    {
                        "employee_id": eid,
                        "period_kind": kind,
                        "seq": seq,
                        "score": rnd.choice((float(rnd.randint(50, 100)), float(rnd.randint(60, 90)), None)),
                        "grade": rnd.choice((*scale, *scale, None, "甲")),
                        "coefficient": rnd.choice((0.8, 0.9, 1.0, 1.1, 1.2, None)),
                        "rank": rnd.choice((1, 2, 3, 4, None)),
                    }
                )
        for metric, kind, top in (
            ("tickets", "M", 60),
            ("csat", "M", 5),
            ("complaint_rate", "M", 4),
            ("tickets", "H", 300),
            ("amount", "M", 9),
        ):
            for seq in draw(periods(kind, as_of, 14 if kind == "M" else 4)):
                value = float(rnd.randint(1 if metric == "csat" else 0, top))
                metrics.append(
                    {
                        "employee_id": eid,
                        "period_kind": kind,
                        "seq": seq,
                        "metric": metric,
                        "value": None if rnd.random() < 0.05 else value,
                    }
                )
        for _ in range(rnd.randint(0, 20)):
            kind = rnd.choice((*EVENT_REFS, "leave", "penalty", "penalty_offset", "commendation_customer"))
            low, high = {"exam": (40, 100), "attestation": (0, 1), "leave": (1, 10), "penalty": (1, 3)}.get(
                kind, (1, 1)
            )
            events.append(
                {
                    "employee_id": eid,
                    "date": near_date(rnd, as_of),
                    "type": kind,
                    "value": float(rnd.randint(low, high)) if rnd.random() > 0.1 else None,
                    "ref": rnd.choice(EVENT_REFS[kind]),
                }
            )
    positions = []
    for level in levels:
        for _ in range(draw(st.integers(0, 2))):
            positions.append(
                {
                    "level": level,
                    "headcount": draw(st.integers(0, 3)),
                    "track": draw(st.sampled_from((track, None, "mgmt", "management"))),
                    "team": draw(st.sampled_from((None, None, "t1", "t2"))),
                    "department": draw(st.sampled_from((None, None, "d1", "d2"))),
                }
            )
    return dataset(employees, assignments, evaluations, metrics, events, positions), as_of


# ---- comparing ---------------------------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)
    return a == b


def differences(engine: dict, reference: dict) -> list[str]:
    out = []
    eng = {(r["employee_id"], r["rule"]): r for r in engine["results"]}
    ref = {(r["employee_id"], r["rule"]): r for r in reference["results"]}
    if list(eng) != list(ref):
        out.append(
            f"results differ: engine only {sorted(set(eng) - set(ref))}, "
            f"reference only {sorted(set(ref) - set(eng))}"
        )
    for key in eng.keys() & ref.keys():
        e, r = eng[key], ref[key]
        for field in ("kind", "track", "from_level", "to_level", "eligible"):
            if e[field] != r[field]:
                out.append(f"{key} {field}: engine {e[field]!r}, reference {r[field]!r}")
        out += criteria_differences(key, e["criteria"], r["criteria"])
    return out


def criteria_differences(key: Any, eng: list[dict], ref: list[dict], prefix: str = "") -> list[str]:
    out = []
    if [c["id"] for c in eng] != [c["id"] for c in ref]:
        return [f"{key} {prefix}: criteria ids differ"]
    for e, r in zip(eng, ref, strict=True):
        path = f"{prefix}{e['id']}"
        for field in ("passed", "actual", "required"):
            if not same(e[field], r[field]):
                out.append(f"{key} {path} {field}: engine {e[field]!r}, reference {r[field]!r}")
        out += criteria_differences(key, e.get("criteria", []), r.get("criteria", []), path + ".")
    return out


def check(policy: Any, data: Dataset, as_of: dt.date) -> dict:
    engine = to_json_obj(evaluate(policy, data, as_of), "zh")
    reference = evaluate_reference(policy, data, as_of)
    problems = differences(engine, reference)
    assert not problems, f"as of {as_of}:\n" + "\n".join(sorted(problems)[:30])
    return engine


# ---- the property tests ------------------------------------------------------------------------------

SKILL = ("l1", "l2", "l3", "l4", "special")
DUAL = ("assistant", "junior", "intermediate", "senior", "expert")
EXAMPLES = int(os.environ.get("RUNGS_PROPERTY_EXAMPLES", "60"))  # more for a deeper search
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(cases(SKILL))
def test_engine_and_reference_agree_on_the_kitchen_sink_policy(case: tuple[Dataset, dt.date]):
    data, as_of = case
    check(KITCHEN_SINK, data, as_of)


@settings(
    max_examples=max(EXAMPLES // 3, 10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases(DUAL))
def test_engine_and_reference_agree_on_the_dual_track_example(case: tuple[Dataset, dt.date]):
    data, as_of = case
    check(dual_track(), data, as_of)


def test_the_kitchen_sink_uses_every_building_block_and_rule_kind():
    from rungs.core.engine.evaluate import walk
    from rungs.core.policy import model as m

    crits = [c for r in KITCHEN_SINK.rules for c in walk(r.criteria)]
    blocks = {type(c.block) for c in crits}
    assert blocks == {
        m.Tenure,
        m.Consecutive,
        m.Aggregate,
        m.Latest,
        m.Change,
        m.Rank,
        m.Count,
        m.LatestEvent,
        m.Attribute,
        m.Vacancy,
        m.AllOf,
        m.AnyOf,
        m.NotOf,
    }
    assert {c.block.of for c in crits if isinstance(c.block, m.Tenure)} == {
        "level",
        "level_in_department",
        "level_total",
        "company",
        "regularized",
        "acting",
        "last_pay_step",
        "department",
    }
    assert {c.block.window.kind for c in crits if isinstance(c.block, m.Count)} == {
        "months",
        "previous_year",
        "since_level",
        "since_department",
        "ever",
    }
    assert {c.block.agg for c in crits if isinstance(c.block, m.Aggregate)} == {
        "mean",
        "sum",
        "min",
        "max",
        "count",
    }
    assert {c.compare.op for c in crits if c.compare} == {">=", "<=", ">", "<", "==", "!=", "in"}
    assert {r.kind for r in KITCHEN_SINK.rules} >= {"promotion", "demotion", "warning"}


# ---- hand-worked examples ----------------------------------------------------------------------------

HEAD = """\
rungs: 1
id: t
grades:
  monthly: [不合格, 合格, 良好, 优秀]
tracks:
  skill:
    levels: {l1: 一级, l2: 二级, l3: 三级}
"""


def one_rule(criteria: str, kind: str = "promotion") -> Any:
    if kind == "promotion":
        return parse_policy(HEAD + "promotions:\n  - track: skill\n    from: l1\n    criteria:\n" + criteria)
    return parse_policy(
        HEAD + f"rules:\n  - id: r\n    kind: {kind}\n    track: skill\n    criteria:\n" + criteria
    )


def emp(eid: str, **kw: Any) -> dict:
    return {
        "employee_id": eid,
        "name": eid,
        "hire_date": D(2020, 1, 15),
        "team": "t1",
        "department": "d1",
        "status": "regular",
        **kw,
    }


def asg(eid: str, level: str, start: dt.date, end: dt.date | None = None, **kw: Any) -> dict:
    return {
        "employee_id": eid,
        "track": "skill",
        "level": level,
        "start_date": start,
        "end_date": end,
        "kind": "promotion",
        **kw,
    }


def actuals(out: dict) -> dict[tuple[str, str], Any]:
    return {(r["employee_id"], c["id"]): c["actual"] for r in out["results"] for c in r["criteria"]}


def test_whole_months_and_level_stretches_by_hand():
    policy = one_rule("""\
      - {id: level, tenure: level, at_least: 12}
      - {id: total, tenure: level_total, at_least: 12}
      - {id: dept, tenure: level_in_department, at_least: 12}
      - {id: company, tenure: company, at_least: 12}
""")
    data = dataset(
        [emp("a"), emp("b", hire_date=D(2026, 1, 1))],
        [  # a: l1 in d1, then a transfer to d2 at l1 (one stretch); l2 between; l1 again in d2 now
            asg("a", "l1", D(2024, 1, 15), D(2024, 7, 15), department="d1"),
            asg("a", "l1", D(2024, 7, 15), D(2025, 1, 15), department="d2"),
            asg("a", "l2", D(2025, 1, 15), D(2025, 6, 1), department="d2"),
            asg("a", "l1", D(2025, 6, 1), None, department="d2"),
            asg("b", "l1", D(2026, 1, 1), None),
        ],
    )
    out = check(policy, data, D(2026, 12, 1))
    got = actuals(out)
    # a: the current stretch began 2025-06-01 → 18 months; total 6 + 6 + 18 = 30; in d2 6 + 18 = 24
    assert got[("a", "level")] == 18 and got[("a", "total")] == 30 and got[("a", "dept")] == 24
    assert got[("a", "company")] == 82  # 2020-01-15 → 2026-12-01: 83 calendar months minus the partial one
    assert got[("b", "level")] == 11  # 2026-01-01 → 2026-12-01 is 11 (docs)
    # 2026-01-15 → 2026-12-14 is 10
    out = check(policy, dataset([emp("c")], [asg("c", "l1", D(2026, 1, 15))]), D(2026, 12, 14))
    assert actuals(out)[("c", "level")] == 10


def test_complete_periods_runs_and_windows_by_hand():
    policy = one_rule("""\
      - {id: run, consecutive: {of: grade, period: month, at_least: 良好}, at_least: 3}
      - {id: best, consecutive: {of: grade, period: month, at_least: 良好, since: level}, at_least: 3}
      - {id: mean6, window: {of: score, period: month, last: 6, agg: mean}, at_least: 80}
      - {id: good6, window: {of: grade, period: month, last: 6, at_least: 良好}, at_least: 3}
      - {id: latest, latest: {of: score, period: month}, at_least: 0}
      - {id: change, change: {of: score, period: month, last: 2}, at_least: 0}
""")
    # Evaluated on 2026-12-01: complete months are ≤ 2026-11; 2026-12 does not count yet.
    grades = {
        "2026-03": "优秀",
        "2026-04": "良好",
        "2026-05": "优秀",
        "2026-06": "合格",
        "2026-07": "良好",
        "2026-08": "优秀",
        "2026-10": "良好",
        "2026-11": "优秀",
        "2026-12": "不合格",
    }
    scores = {"2026-06": 70, "2026-07": 80, "2026-08": 90, "2026-10": 60, "2026-11": 100, "2026-12": 10}
    rows = []
    for month, grade in grades.items():
        y, mo = map(int, month.split("-"))
        rows.append(
            {
                "employee_id": "a",
                "period_kind": "M",
                "seq": y * 12 + mo - 1,
                "grade": grade,
                "score": float(scores[month]) if month in scores else None,
            }
        )
    data = dataset([emp("a")], [asg("a", "l1", D(2026, 4, 20))], rows)
    got = actuals(check(policy, data, D(2026, 12, 1)))
    assert got[("a", "run")] == 2  # 10, 11 (09 is missing: the gap breaks the run)
    assert got[("a", "best")] == 2  # since 2026-04: 04-05, 07-08, 10-11 are runs of 2
    assert got[("a", "mean6")] == 80  # 06 … 11: 70 80 90 60 100
    assert got[("a", "good6")] == 4  # 07 08 10 11
    assert got[("a", "latest")] == 100
    assert got[("a", "change")] == 80 - 90  # (60+100)/2 − 90 (08 and 09; 09 has no value)


def test_event_windows_offsets_and_latest_attempts_by_hand():
    policy = one_rule("""\
      - {id: p12, count: {event: penalty, months: 12}, at_most: 0}
      - {id: unoffset, count: {event: penalty, unoffset: true}, at_most: 0}
      - {id: leave, count: {event: leave, measure: sum, months: 12, exclude_refs: [marriage]}, below: 10}
      - {id: clients, count: {event: commendation_customer, measure: distinct_refs, window: previous_year}, at_least: 2}
      - {id: exam, exam: technical}
      - {id: none, exam: other}
""")
    ev = [
        ("2025-12-01", "penalty", 1, "p1"),  # exactly 12 months before: counts
        ("2025-11-30", "penalty", 1, "p2"),  # one day earlier: outside the 12 months
        ("2026-12-01", "penalty", 1, "p3"),  # on the evaluation date: not yet
        ("2026-03-01", "penalty_offset", None, "p1"),
        ("2026-05-01", "leave", 4, "sick"),
        ("2026-05-02", "leave", 9, "marriage"),
        ("2026-05-03", "leave", 3, None),
        ("2025-02-01", "commendation_customer", 1, "c1"),
        ("2025-12-31", "commendation_customer", 1, "c1"),
        ("2025-06-01", "commendation_customer", 1, "c2"),
        ("2026-01-01", "commendation_customer", 1, "c3"),
        ("2026-06-01", "exam", 55, "technical"),
        ("2026-06-01", "exam", 75, "technical"),
        ("2026-02-01", "exam", 95, "technical"),
    ]
    events = [
        {"employee_id": "a", "date": D.fromisoformat(d), "type": t, "value": v, "ref": r} for d, t, v, r in ev
    ]
    data = dataset([emp("a")], [asg("a", "l1", D(2025, 1, 1))], events=events)
    got = actuals(check(policy, data, D(2026, 12, 1)))
    assert got[("a", "p12")] == 1
    assert got[("a", "unoffset")] == 1  # p2 (p1 is offset, p3 is not before the date)
    assert got[("a", "leave")] == 7  # 4 + 3, marriage leave excluded
    assert got[("a", "clients")] == 2  # 2025: c1 twice and c2
    assert got[("a", "exam")] == 75  # the later row of the latest date
    assert got[("a", "none")] is None


def test_ranks_share_the_best_place_among_active_colleagues_by_hand():
    policy = one_rule("""\
      - {id: year, rank: {of: score, period: year, within: department}, at_most: 2}
      - {id: each, rank: {of: [metric.x, {of: metric.y, better: lower}], within: team, period: month, last: 2, agg: mean, combine: each}, at_most: 1}
""")
    people = [
        emp("a"),
        emp("b"),
        emp("c"),
        emp("d"),
        emp("gone", status="left"),
        emp("other", department="d9"),
    ]
    scores = {"a": 90, "b": 95, "c": 90, "d": 80, "gone": 99, "other": 100}
    evals = [
        {"employee_id": e, "period_kind": "Y", "seq": 2025, "score": float(s)} for e, s in scores.items()
    ]
    evals.append({"employee_id": "d", "period_kind": "Y", "seq": 2026, "score": 100.0})  # not complete yet
    x = {"a": (10, 20), "b": (15, 15), "c": (30, 0)}
    y = {"a": (1, 1), "b": (2, 2), "c": (0, 5)}
    metrics = [
        {"employee_id": e, "period_kind": "M", "seq": 2026 * 12 + 9 + i, "metric": name, "value": float(v[i])}
        for name, table in (("x", x), ("y", y))
        for e, v in table.items()
        for i in (0, 1)
    ]
    data = dataset(people, [asg(p["employee_id"], "l1", D(2024, 1, 1)) for p in people], evals, metrics)
    got = actuals(check(policy, data, D(2026, 12, 1)))
    # 2025 in d1 among active people: b 95 → 1, a and c 90 → 2, d 80 → 4 ("gone" left, "other" is in d9)
    assert [got[(e, "year")] for e in "abcd"] == [2, 1, 2, 4]
    # x means a 15, b 15, c 15 → all 1; y means a 1, b 2, c 2.5 (lower is better) → 1, 2, 3; each = the worst
    assert [got[(e, "each")] for e in "abc"] == [1, 2, 3]
    assert got[("d", "each")] is None


def test_missing_data_fails_and_counts_default_to_zero_by_hand():
    policy = one_rule("""\
      - {id: run, consecutive: {of: score, period: month, at_least: 1}, at_least: 0}
      - {id: window, window: {of: score, period: month, last: 3, agg: count}, at_least: 0}
      - {id: count, count: {event: award, months: 12}, at_least: 0}
      - {id: not_exam, not: {exam: technical}}
""")
    data = dataset(
        [emp("a")],
        [asg("a", "l1", D(2025, 1, 1))],
        [{"employee_id": "a", "period_kind": "M", "seq": 2026 * 12 + 11, "score": 80.0}],
    )
    out = check(policy, data, D(2026, 12, 1))  # the only score is for 2026-12: not complete
    (res,) = out["results"]
    crit = {c["id"]: c for c in res["criteria"]}
    assert crit["run"]["actual"] is None and not crit["run"]["passed"]
    assert crit["window"]["actual"] is None and not crit["window"]["passed"]
    assert crit["count"]["actual"] == 0 and crit["count"]["passed"]
    assert crit["not_exam"]["passed"]  # the exam never taken fails, so "not" passes


# ---- regressions: engine bugs the comparison found ----------------------------------------------------


def test_people_who_left_hold_no_position_for_vacancies():
    policy = one_rule("      - {id: vacancy, vacancy: $to}\n")
    data = dataset(
        [emp("a"), emp("b"), emp("gone", status="left")],
        [
            asg("a", "l1", D(2025, 1, 1)),
            asg("b", "l2", D(2025, 1, 1)),
            asg("gone", "l2", D(2025, 1, 1)),
        ],  # never closed when they left
        positions=[{"level": "l2", "headcount": 2, "track": "skill"}],
    )
    assert actuals(check(policy, data, D(2026, 12, 1)))[("a", "vacancy")] == 1  # was 0: "gone" counted


def test_acting_tenure_works_outside_acting_conversion_rules():
    policy = one_rule("      - {id: acting, tenure: acting, at_least: 3}\n")
    data = dataset(
        [emp("a"), emp("b")],
        [
            asg("a", "l1", D(2025, 1, 1)),
            asg("b", "l1", D(2025, 1, 1)),
            asg("a", "l2", D(2026, 2, 1), kind="acting"),
            asg("b", "l2", D(2025, 2, 1), D(2026, 2, 1), kind="acting"),
        ],
    )  # ended: no acting post
    got = actuals(check(policy, data, D(2026, 12, 1)))  # was: ColumnNotFoundError "acting_start"
    assert got[("a", "acting")] == 10 and got[("b", "acting")] is None


def test_assignment_rows_without_a_kind_are_not_acting():
    # kind is optional in assignments.csv; a file without the column left everyone without a level
    policy = one_rule("      - {id: level, tenure: level, at_least: 1}\n")
    data = dataset([emp("a")], [asg("a", "l1", D(2025, 1, 1), kind=None)])
    assert actuals(check(policy, data, D(2026, 12, 1))) == {("a", "level"): 23}


def test_grade_values_by_cases_take_the_scale_of_their_words():
    policy = one_rule("""\
      - id: grade
        latest: {of: grade, period: month}
        at_least:
          cases:
            - when: {attribute: team, equals: t1}
              value: 优秀
          else: 合格
""")  # was: KeyError '?' while loading
    rows = [{"employee_id": e, "period_kind": "M", "seq": 2026 * 12 + 10, "grade": "良好"} for e in "ab"]
    data = dataset([emp("a"), emp("b", team="t2")], [asg(e, "l1", D(2025, 1, 1)) for e in "ab"], rows)
    out = check(policy, data, D(2026, 12, 1))
    got = {r["employee_id"]: r["criteria"][0] for r in out["results"]}
    assert (got["a"]["passed"], got["a"]["required"]) == (False, "优秀")
    assert (got["b"]["passed"], got["b"]["required"]) == (True, "合格")
    assert got["a"]["actual"] == "良好"


def test_someone_without_a_team_has_no_rank_in_it_whatever_the_combination():
    policy = one_rule("""\
      - {id: one, rank: {of: score, within: team, period: year}, at_most: 1}
      - {id: two, rank: {of: [score, coefficient], within: team, period: year, all: true, agg: max}, at_most: 1}
""")
    people = [emp("a"), emp("b", team=None), emp("c", team=None)]
    evals = [
        {"employee_id": e, "period_kind": "Y", "seq": 2025, "score": s, "coefficient": 1.0}
        for e, s in (("a", 80.0), ("b", 90.0), ("c", 70.0))
    ]
    data = dataset(people, [asg(p["employee_id"], "l1", D(2024, 1, 1)) for p in people], evals)
    got = actuals(check(policy, data, D(2026, 12, 1)))
    # was: b and c ranked among each other on one measure (1, 2) but null on the combination
    assert [got[(e, k)] for e in "abc" for k in ("one", "two")] == [1, 1, None, None, None, None]


def test_the_reference_follows_the_documented_month_arithmetic():
    assert months_back(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert months_back(D(2024, 2, 29), 12) == D(2023, 2, 28)


@pytest.mark.parametrize("as_of", [D(2026, 12, 1), D(2026, 7, 15), D(2026, 3, 31)])
def test_engine_and_reference_agree_on_a_synthetic_department(as_of: dt.date):
    from rungs.core.synth import generate

    out = check(dual_track(), generate(300, as_of=D(2026, 12, 1), seed=11), as_of)
    assert len(out["results"]) > 300 and any(r["eligible"] for r in out["results"])
