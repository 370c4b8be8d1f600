"""Reading only what a policy reads (`needed`): the same results as reading everything, for every example
policy at several dates, and nothing left out that could be a bad cell or a row the policy counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from rungs.core.engine.evaluate import evaluate, needed
from rungs.core.engine.report import json_report
from rungs.core.interchange.errors import DataError
from rungs.core.interchange.reader import read_dataset
from rungs.core.interchange.writer import write_dataset
from rungs.core.policy.parse import load_policy, parse_policy
from rungs.core.synth import generate

ROOT = Path(__file__).resolve().parents[3]
SCHEMES = sorted(p.stem for p in (ROOT / "examples/policies").glob("*.yaml"))
DATES = [dt.date(2026, 12, 1), dt.date(2026, 7, 15), dt.date(2027, 1, 1)]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_example_policy_gives_the_same_results_from_the_rows_it_reads(scheme):
    policy = load_policy(ROOT / f"examples/policies/{scheme}.yaml")
    data = ROOT / f"examples/data/{scheme}"
    full = read_dataset(data)
    for as_of in DATES:
        less = read_dataset(data, needed=needed(policy, as_of))
        assert json_report(evaluate(policy, less, as_of)) == json_report(evaluate(policy, full, as_of))


def test_a_synthetic_department_gives_the_same_results_and_fewer_rows(tmp_path):
    as_of = dt.date(2026, 12, 1)
    write_dataset(generate(400, as_of=as_of, months=24), tmp_path)
    policy = load_policy(ROOT / "examples/policies/dual-track-logistics.yaml")
    full, less = read_dataset(tmp_path), read_dataset(tmp_path, needed=needed(policy, as_of))
    assert json_report(evaluate(policy, less, as_of)) == json_report(evaluate(policy, full, as_of))
    # dual-track reads the annual score (its rank in the department) and 12 months of tickets and amount
    assert set(less.evaluations.get_column("period_kind").to_list()) == {"Y"}
    months = less.metrics.get_column("period").cast(pl.String)
    assert (months.min(), months.max()) == ("2025-12", "2026-11")
    assert set(less.metrics.get_column("metric").cast(pl.String).to_list()) == {"tickets", "amount"}
    assert full.metrics.height > 2 * less.metrics.height


POLICY = """
rungs: 1
id: tiny
version: "1"
label: {zh: 小政策, en: Tiny}
effective_from: 2026-01-01
tracks:
  t:
    label: {zh: 通道, en: Track}
    levels:
      a: {zh: 甲, en: A}
      b: {zh: 乙, en: B}
    path: [a, b]
promotions:
  - track: t
    from: a
    criteria:
      - id: q
        label: {zh: 近两个季度平均分≥80, en: Mean of the last two quarters ≥ 80}
        window: {of: score, period: quarter, last: 2, agg: mean}
        at_least: 80
      - id: leave
        label: {zh: 请假少于5天, en: Less than 5 days of leave}
        count: {event: leave, measure: sum, months: 12}
        below: 5
"""


def _data(folder: Path, evaluations: str, events: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "employees.csv").write_text("employee_id,name,hire_date\nE1,张三,2020-01-01\n")
    (folder / "assignments.csv").write_text("employee_id,track,level,start_date\nE1,t,a,2020-01-01\n")
    (folder / "evaluations.csv").write_text("employee_id,period,score\n" + evaluations)
    (folder / "events.csv").write_text("employee_id,date,type,value,ref\n" + events)
    return folder


def test_only_well_formed_periods_and_known_types_not_read_are_left_out(tmp_path):
    policy = parse_policy(POLICY)
    as_of = dt.date(2026, 12, 1)  # the last two complete quarters: 2026-Q2 and 2026-Q3
    folder = _data(
        tmp_path,
        "E1,2026-Q3,90\nE1,2026-Q2,70\nE1,2026-Q1,10\nE1,2026-10,0\nE1,2025,0\n",
        "E1,2026-03-01,leave,2,sick\nE1,2026-04-01, leave,2,sick\nE1,2026-05-01,exam,10,technical\n",
    )
    less = read_dataset(folder, needed=needed(policy, as_of))
    # Q1 is before the window, 2026-10 a month, 2025 a year: none is read; the exam is not either
    assert less.evaluations.get_column("period").cast(pl.String).to_list() == ["2026-Q3", "2026-Q2"]
    assert less.events.get_column("type").cast(pl.String).to_list() == ["leave", "leave"]  # " leave" kept
    result = evaluate(policy, less, as_of).results[0].frame.row(0, named=True)
    assert (result["q|a"], result["leave|a"]) == (80.0, 4.0)  # (90 + 70) / 2; 2 + 2 days, the padded one too


def test_a_malformed_period_is_still_read_and_reported(tmp_path):
    policy = parse_policy(POLICY)
    folder = _data(tmp_path, "E1,2026-Q3,90\nE1,2026-13,70\n", "E1,2026-03-01,leave,2,sick\n")
    with pytest.raises(DataError) as exc:
        read_dataset(folder, needed=needed(policy, dt.date(2026, 12, 1)))
    assert [(p.row, p.column) for p in exc.value.problems] == [(3, "period")]


REWARD_SCHEMES = sorted(
    p.stem
    for p in (ROOT / "examples/policies").glob("*.yaml")
    if "\nrewards:" in p.read_text(encoding="utf-8")
)


@pytest.mark.parametrize("scheme", REWARD_SCHEMES)
def test_a_reward_run_gives_the_same_lines_from_the_rows_its_cycle_reads(scheme):
    from rungs.core.rewards.cycle import parse_cycle
    from rungs.core.rewards.report import to_json_obj
    from rungs.core.rewards.run import needed_for_cycle, run_rewards

    policy = load_policy(ROOT / f"examples/policies/{scheme}.yaml")
    data = ROOT / f"examples/data/{scheme}"
    full = read_dataset(data)
    lines = 0
    for label in ("2026-04", "2026-05", "2026-06", "2026-10", "2026-Q2", "2026-Q4", "2026-H1", "2026"):
        cycle = parse_cycle(label)
        less = read_dataset(data, needed=needed_for_cycle(policy, cycle))
        want = to_json_obj(run_rewards(policy, full, cycle))
        assert to_json_obj(run_rewards(policy, less, cycle)) == want, label
        lines += len(want["lines"]) + len(want["pay_changes"])
    assert lines  # the example data give lines or pay changes in some of these cycles


def test_the_union_of_two_needs_reads_what_either_reads():
    from rungs.core.engine.evaluate import union
    from rungs.core.interchange.reader import Needed

    a = Needed({"csat": {"M": (24300, 24310)}}, {"Q": (8100, 8105)}, frozenset({"penalty"}))
    b = Needed(
        {"csat": {"M": (None, 24305), "Q": (8100, 8101)}, "aht": {"M": (24309, 24309)}},
        {"Q": (8104, 8108), "Y": (2025, 2025)},
        frozenset({"leave"}),
    )
    both = union(a, b)
    # csat monthly: from the earliest (b reads all) to the later of the two ends
    assert both.metrics == {
        "csat": {"M": (None, 24310), "Q": (8100, 8101)},
        "aht": {"M": (24309, 24309)},
    }
    assert both.evaluations == {"Q": (8100, 8108), "Y": (2025, 2025)}
    assert both.event_types == {"penalty", "leave"}
    assert union(a) == a


def test_events_older_than_every_window_that_reads_them_are_left_out(tmp_path):
    # The leave count reads the 12 months before 2026-12-01: from 2025-12-01 on. A leave of 2025-11-30
    # written as an ISO date is read by nothing; written another way (2025/11/30) or not a date at all
    # (2025-11-31) it is kept, so the bad cell is still reported.
    policy = parse_policy(POLICY)
    as_of = dt.date(2026, 12, 1)
    events = "E1,2025-11-30,leave,7,sick\nE1,2025-12-01,leave,2,sick\nE1,2025/11/30,leave,1,sick\n"
    folder = _data(tmp_path, "E1,2026-Q3,90\nE1,2026-Q2,70\n", events)
    n = needed(policy, as_of)
    assert n.event_since == {"leave": dt.date(2025, 12, 1)}
    less = read_dataset(folder, needed=n)
    assert less.events.get_column("date").to_list() == [dt.date(2025, 12, 1), dt.date(2025, 11, 30)]
    result = evaluate(policy, less, as_of).results[0].frame.row(0, named=True)
    assert result["leave|a"] == 2.0  # the 2025/11/30 leave is kept but outside the window
    (tmp_path / "events.csv").write_text(
        "employee_id,date,type,value,ref\n" + events + "E1,2025-11-31,leave,1,x\n"
    )
    with pytest.raises(DataError) as exc:
        read_dataset(folder, needed=n)
    assert [(p.row, p.column) for p in exc.value.problems] == [(5, "date")]


def test_a_type_whose_refs_a_criterion_names_is_read_at_every_age():
    # Counting only sick leave names a ref: all leave is read, so that a ref no event has is warned about
    # from every event of the type, not only the recent ones.
    policy = parse_policy(POLICY.replace("measure: sum, months: 12", "ref: sick, measure: sum, months: 12"))
    assert needed(policy, dt.date(2026, 12, 1)).event_since == {}


def test_the_union_reads_events_from_the_earlier_date_or_at_every_age():
    from rungs.core.engine.evaluate import union
    from rungs.core.interchange.reader import Needed

    early, late = dt.date(2025, 1, 1), dt.date(2025, 6, 1)
    a = Needed({}, {}, frozenset({"leave", "mentored"}), {"leave": late, "mentored": late})
    b = Needed({}, {}, frozenset({"leave", "mentored"}), {"leave": early})  # mentored: every age
    assert union(a, b).event_since == {"leave": early}
    assert union(a).event_since == a.event_since


def test_problems_name_the_rows_of_the_file_after_rows_were_left_out(tmp_path):
    # Rows 2 and 3 are left out (a month and an old leave); the problems are still on rows 4 and 5.
    policy = parse_policy(POLICY)
    folder = _data(
        tmp_path,
        "E1,2026-10,0\nE1,2026-Q3,90\nE1,2026-13,70\n",
        "E1,2020-01-01,leave,1,sick\nE1,2020-01-02,leave,1,sick\nE1,2026-03-01,leave,2,sick\nE9,2026-04-01,leave,1,sick\n",
    )
    with pytest.raises(DataError) as exc:
        read_dataset(folder, needed=needed(policy, dt.date(2026, 12, 1)))
    assert [(p.file.split("/")[-1], p.row, p.column) for p in exc.value.problems] == [
        ("evaluations.csv", 4, "period")
    ]
    (folder / "evaluations.csv").write_text("employee_id,period,score\nE1,2026-Q3,90\n")
    with pytest.raises(DataError) as exc:
        read_dataset(folder, needed=needed(policy, dt.date(2026, 12, 1)))
    assert [(p.file.split("/")[-1], p.row, p.column) for p in exc.value.problems] == [
        ("events.csv", 5, "employee_id")
    ]


def test_rungs_evaluate_reports_an_invalid_policy_before_the_data_problems(tmp_path, capsys):
    """One thing to fix at a time: the policy, which says what of the data is read, before the data."""
    from rungs.core.evaluate_cli import main

    policy = tmp_path / "bad.yaml"
    policy.write_text("rungs: 1\nid: x\nversion: '1'\ntracks: {}\npromotions: [{track: nowhere}]\n")
    data = tmp_path / "data"
    data.mkdir()
    (data / "employees.csv").write_text("employee_id,name,hire_date\nE1,甲,not a date\n", encoding="utf-8")
    assert main(["--policy", str(policy), "--data", str(data), "--as-of", "2026-12-01"]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "not a date" not in err
    (data / "employees.csv").unlink()  # no employees.csv at all: still the policy first
    assert main(["--policy", str(policy), "--data", str(data), "--as-of", "2026-12-01"]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "employees.csv" not in err
