"""The columnar reports (rungs.core.engine.report) pinned against the per-row reference (report_reference)
on hand-made result frames: values the example data never produce (rounding near ties, 2.99999, -0.00003,
NaN, text with quotes, commas and line breaks, names missing), results interleaved across rules, nested
composites, required values by cases, and empty results."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

import polars as pl
import pytest

from rungs.core.engine import report, text
from rungs.core.engine.evaluate import CriterionMeta, Evaluation, RuleResult
from rungs.core.policy import model as m
from rungs.core.policy.parse import parse_policy
from tests.core import report_reference as ref

POLICY = """
rungs: 1
id: tiny
version: "1"
label: {zh: 小政策, en: Tiny "quoted" policy}
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
    label: {zh: 甲 → 乙, en: "A → B, \\"next\\""}
    criteria:
      - id: tenure
        label: {zh: 在岗满12个月(专科以下18个月), en: "12 months, \\"in post\\""}
        tenure: level
        at_least:
          cases:
            - when: {attribute: education, at_least: associate}
              value: 12
          else: 18
      - id: either
        label: {zh: 学历或表现, en: Education or record}
        any:
          - id: edu
            label: {zh: 专科及以上, en: Associate or above}
            attribute: education
            at_least: associate
          - id: record
            label: {zh: 表现, en: Record}
            all:
              - id: leave
                label: {zh: 请假少于23天, en: Less than 23 days of leave}
                count: {event: leave, measure: sum, months: 12}
                below: 23
              - id: clean
                label: {zh: 无重大事故, en: No major incident}
                not:
                  id: incident
                  label: {zh: 重大事故, en: Major incident}
                  count: {event: major_incident, months: 12}
                  at_least: 1
      - id: status
        label: {zh: 在职, en: In post}
        attribute: status
        in: [regular, probation]
rules:
  - id: watch
    kind: warning
    label: {zh: 投诉预警, en: Complaints}
    track: t
    levels: [a, b]
    criteria:
      - id: complaints
        label: {zh: 投诉次数, en: Complaints}
        count: {event: complaint, months: 12}
        above:
          cases:
            - when: {attribute: education, at_least: associate}
              value: 2
          else: 3.5
"""


def metas(criteria: tuple[m.Criterion, ...], prefix: str = "", depth: int = 0):
    """The visible criteria in policy order, as the engine lists them."""
    for c in criteria:
        path = f"{prefix}{c.id}"
        yield CriterionMeta(path, c, depth)
        kids = c.block.children if isinstance(c.block, m.AllOf | m.AnyOf) else ()
        kids = (c.block.child,) if isinstance(c.block, m.NotOf) else kids
        yield from metas(kids, path + ".", depth + 1)


def evaluation(frames: dict[str, dict]) -> Evaluation:
    policy = parse_policy(POLICY, "tiny.yaml")
    results = []
    for rule in policy.rules:
        crit = tuple(metas(rule.criteria))
        results.append(RuleResult(rule, crit, pl.DataFrame(frames[rule.id])))
    return Evaluation(policy, dt.date(2026, 12, 1), tuple(results), ('注意 "警告", a warning',))


NAN = float("nan")
PROMOTION = {  # employees out of order across rules: E3 has no promotion, E1 is only in the promotion
    "employee_id": ["E1", "E2", "E4"],
    "track": ["t", "t", None],
    "from_level": ["a", "a", "a"],
    "to_level": ["b", "b", "b"],
    "eligible": [True, False, False],
    "tenure|a": pl.Series([14, 11, None], dtype=pl.Int32),
    "tenure|r": [12.0, 18.0, 18.0],
    "tenure|p": [True, False, False],
    "either|a": [1.0, 0.0, 1.0],
    "either|p": [True, False, True],
    "either.edu|a": [3.0, 1.0, None],  # education levels by position: 3 associate, 1 high school
    "either.edu|p": [True, False, False],
    "either.record|a": [2.0, 1.0, 2.0],
    "either.record|p": [True, False, True],
    "either.record.leave|a": [0.12345, 22.99999, -0.00003],
    "either.record.leave|p": [True, True, True],
    "either.record.clean|a": [1.0, 0.0, 1.0],
    "either.record.clean|p": [True, False, True],
    "either.record.clean.incident|a": [0.0, 1.0, NAN],
    "either.record.clean.incident|p": [False, True, False],
    "status|a": ["regular", 'left, "gone"\nfor good', None],
    "status|p": [True, False, False],
}
WATCH = {
    "employee_id": ["E2", "E3", "E4"],
    "track": ["t", "t", "t"],
    "from_level": ["a", "b", "a"],
    "to_level": [None, None, None],
    "eligible": [False, True, False],
    "complaints|a": [2.0, 1e7 + 0.5, 89.57140000000001],
    "complaints|r": [2.0, 3.5, 3.5],
    "complaints|p": [False, True, False],
}
NAMES = {"E1": "张三", "E2": 'O\'Brien, "Bob"', "E3": "李四四"}  # E4 has no name


@pytest.fixture(params=["zh", "en"])
def lang(request):
    return request.param


def test_json_is_that_of_the_per_row_reference(lang):
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    assert report.json_report(ev, lang) == ref.json_text(ev, lang)


def test_json_shows_values_as_worked_out_by_hand():
    out = report.to_json_obj(evaluation({"t.a-b": PROMOTION, "watch": WATCH}), "en")
    assert [(r["employee_id"], r["rule"]) for r in out["results"]] == [
        ("E1", "t.a-b"),
        ("E2", "t.a-b"),
        ("E2", "watch"),
        ("E3", "watch"),
        ("E4", "t.a-b"),
        ("E4", "watch"),
    ]
    e1, e2 = out["results"][0], out["results"][1]
    assert e1["criteria"][0] == {
        "id": "tenure",
        "label": '12 months, "in post"',
        "passed": True,
        "actual": 14,
        "required": 12,
    }
    leave = e1["criteria"][1]["criteria"][1]["criteria"][0]
    assert (leave["actual"], leave["required"]) == (0.1235, "< 23")  # 0.12345 is a little above the tie
    assert e2["criteria"][1]["criteria"][0]["actual"] == "high_school"
    assert e2["criteria"][1]["criteria"][1]["criteria"][0]["actual"] == 23.0  # 22.99999 rounds to 23.0
    assert e2["criteria"][2] == {
        "id": "status",
        "label": "In post",
        "passed": False,
        "actual": 'left, "gone"\nfor good',
        "required": ["regular", "probation"],
    }
    e3 = out["results"][3]
    assert (e3["track"], e3["to_level"], e3["criteria"][0]["actual"]) == ("t", None, 10000000.5)
    assert e3["criteria"][0]["required"] == "> 3.5"
    e4 = out["results"][4]
    assert e4["track"] is None and e4["criteria"][0]["actual"] is None
    assert e4["criteria"][1]["criteria"][1]["criteria"][0]["actual"] == -0.0
    incident = e4["criteria"][1]["criteria"][1]["criteria"][1]["criteria"][0]
    assert incident["actual"] != incident["actual"]  # NaN, as json.dumps writes it
    assert out["warnings"] == ['注意 "警告", a warning']


def test_result_rows_are_those_of_the_per_row_reference(lang):
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    buf = io.BytesIO()
    report.write_csv(ev, NAMES, buf, lang)
    assert buf.getvalue().decode() == ref.result_rows(ev, NAMES, lang).write_csv()
    assert report.result_rows(ev, NAMES, lang).equals(ref.result_rows(ev, NAMES, lang))


def test_result_rows_by_hand():
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    rows = report.result_rows(ev, NAMES, "en")
    # E1: promotion only, E2 and E4: both, E3: warning only; rules in policy order within an employee.
    assert rows.select("employee_id", "kind").rows() == [
        ("E1", "promotion"),
        ("E2", "promotion"),
        ("E2", "warning"),
        ("E3", "warning"),
        ("E4", "promotion"),
        ("E4", "warning"),
    ]
    assert rows.get_column("criteria_total").to_list() == [3, 3, 1, 1, 3, 1]  # top-level criteria only
    assert rows.get_column("criteria_met").to_list() == [3, 0, 0, 1, 1, 0]
    e2 = rows.row(1, named=True)  # 11 of 18 months, neither education nor record, and has left
    assert e2["explanation"] == (
        '12 months, "in post" (11 / 18); Education or record (0 / ≥ 1 of 2); '
        'In post (left, "gone"\nfor good / regular, probation)'
    )
    assert rows.row(3, named=True)["explanation"] == "Complaints (10000000.5 / > 3.5)"  # what triggered it
    assert rows.row(4, named=True)["name"] == ""  # E4 is not among the names
    for row in rows.iter_rows(named=True):
        missing = row["explanation"]
        if row["kind"] == "promotion":  # a promotion lists what is missing: nothing when all are met
            assert (missing is None) == (row["criteria_met"] == row["criteria_total"])
        else:  # a warning lists what triggered it: nothing when nothing did
            assert (missing is None) == (row["criteria_met"] == 0)


def test_criterion_rows_are_those_of_the_per_row_reference(lang):
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    buf = io.BytesIO()
    report.write_csv(ev, NAMES, buf, lang, rows="criterion")
    expected = ref.long_rows(ev, NAMES, lang).write_csv()
    assert buf.getvalue().decode() == expected
    assert report.long_rows(
        ev, pl.DataFrame({"employee_id": list(NAMES), "name": list(NAMES.values())}), lang
    ).equals(ref.long_rows(ev, NAMES, lang))


def test_csv_rows_by_hand():
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    rows = report.long_rows(ev, NAMES, "en")
    # 8 criteria per promotion, 1 per warning; E1: promotion only, E2 and E4: both, E3: warning only.
    assert rows.height == 3 * 8 + 3 * 1
    e4 = rows.filter(pl.col("employee_id") == "E4")
    assert e4.get_column("name").to_list() == [""] * 9  # not in the names given
    assert e4.get_column("criterion").to_list() == [
        "tenure",
        "either",
        "either.edu",
        "either.record",
        "either.record.leave",
        "either.record.clean",
        "either.record.clean.incident",
        "status",
        "complaints",
    ]
    assert e4.row(6, named=True)["actual"] == "nan"  # str(nan), as the reference writes it
    assert e4.row(7, named=True)["required"] == "regular, probation"
    assert e4.row(8, named=True)["required"] == "> 3.5"


def test_table_is_that_of_the_per_row_reference(lang):
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    assert report.table(ev, NAMES, lang) == ref.table(ev, NAMES, lang)


def test_empty_results_are_those_of_the_reference(lang):
    empty_p = {k: pl.Series(k, [], dtype=pl.Series(v).dtype) for k, v in PROMOTION.items()}
    empty_w = {k: pl.Series(k, [], dtype=pl.Series(v).dtype) for k, v in WATCH.items()}
    ev = evaluation({"t.a-b": empty_p, "watch": empty_w})
    assert report.json_report(ev, lang) == ref.json_text(ev, lang)
    assert report.table(ev, NAMES, lang) == ref.table(ev, NAMES, lang)
    buf = io.BytesIO()
    report.write_csv(ev, NAMES, buf, lang, rows="criterion")
    assert buf.getvalue().decode() == ref.long_rows(ev, NAMES, lang).write_csv()
    buf = io.BytesIO()
    report.write_csv(ev, NAMES, buf, lang)
    assert buf.getvalue().decode() == ref.result_rows(ev, NAMES, lang).write_csv()
    no_rules = dataclasses.replace(ev, results=())
    assert report.json_report(no_rules, lang) == ref.json_text(no_rules, lang)


def test_blocks_of_employees_give_the_same_bytes(monkeypatch):
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    whole = report.json_report(ev, "zh")
    bufs = {rows: io.BytesIO() for rows in report.ROWS}
    for rows, buf in bufs.items():
        report.write_csv(ev, NAMES, buf, "zh", rows=rows)
    monkeypatch.setattr(report, "BLOCK", 1)  # one employee per block: four blocks
    assert report.json_report(ev, "zh") == whole
    for rows, buf in bufs.items():
        again = io.BytesIO()
        report.write_csv(ev, NAMES, again, "zh", rows=rows)
        assert again.getvalue() == buf.getvalue()


def test_frames_not_sorted_by_employee_give_the_same_output(lang):
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    shuffled = dataclasses.replace(
        ev, results=tuple(dataclasses.replace(r, frame=r.frame.reverse()) for r in ev.results)
    )
    assert report.json_report(shuffled, lang) == ref.json_text(ev, lang)
    assert report.table(shuffled, NAMES, lang) == ref.table(ev, NAMES, lang)


def test_stored_criteria_are_the_compact_json_of_the_reference():
    ev = evaluation({"t.a-b": PROMOTION, "watch": WATCH})
    rows = pl.concat(report.decision_parts(ev, "zh"))
    expected = list(ref.result_dicts(ev, "zh"))
    assert rows.get_column("criteria").to_list() == [
        json.dumps(r["criteria"], ensure_ascii=False) for r in expected
    ]
    # Top-level criteria met, of how many: E1 3/3, E2 0/3, E2 watch 0/1, E3 1/1, E4 1/3, E4 0/1.
    assert rows.select("passed", "total").rows() == [(3, 3), (0, 3), (0, 1), (1, 1), (1, 3), (0, 1)]


def test_numbers_as_python_shows_them():
    values = [14.0, 0.12345, 2.99999, -0.00003, 89.57140000000001, 1e7 + 0.5, 1e20, NAN, None, 0.00015, 2.5]
    as_json, as_cell = text.numbers(pl.Series(values, dtype=pl.Float64))
    assert as_cell.to_list() == [
        "14",
        "0.1235",
        "3.0",
        "-0.0",
        "89.5714",
        "10000000.5",
        "100000000000000000000",
        "nan",
        None,
        "0.0001",  # 0.00015 is a little below the tie in binary
        "2.5",
    ]
    assert as_json.to_list()[7] == "NaN"


def test_numbers_agree_with_displayable_on_many_values():
    import random

    rnd = random.Random(13)
    values = [rnd.uniform(-1, 1) * 10 ** rnd.randint(-5, 9) for _ in range(20_000)]
    values += [k / 10_000 + 0.00005 for k in range(-2_000, 2_000)]  # ties, as near as binary allows
    from rungs.core.engine.compare import displayable

    _, cells = text.numbers(pl.Series(values, dtype=pl.Float64))
    assert cells.to_list() == [str(displayable(v, "number", {})) for v in values]
