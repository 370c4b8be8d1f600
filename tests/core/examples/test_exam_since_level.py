"""The `since: level` form of `exam`/`attestation`: only attempts made at the current level count."""

from __future__ import annotations

import datetime as dt
import textwrap

import polars as pl
import pytest

from rungs.core.engine.evaluate import evaluate
from rungs.core.engine.report import to_json_obj
from rungs.core.interchange.dataset import SCHEMAS, Dataset
from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import parse_policy

HEAD = """\
rungs: 1
id: t
tracks:
  stage:
    levels: {intern: 实习, junior: 初级, senior: 高级}
promotions:
  - track: stage
    from: junior
    criteria:
"""


def policy(criteria: str):
    return parse_policy(HEAD + textwrap.indent(textwrap.dedent(criteria), " " * 6), "p.yaml")


def test_it_parses_the_mapping_form():
    p = policy("""\
        - id: score
          exam: {ref: stage, since: level}
          at_least: 80
        - id: ok
          attestation: {ref: independent, since: level}
        """)
    score, ok = p.rules[0].criteria
    assert (score.block.ref, score.block.since_level) == ("stage", True)
    assert (ok.block.event, ok.block.since_level) == ("attestation", True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("exam: {ref: stage, since: hire}", 'unknown "hire"'),
        ("exam: {since: level}", '"ref" is required'),
        ("exam: {ref: stage, sinse: level}", 'did you mean "since"?'),
    ],
)
def test_it_rejects_a_wrong_mapping_form(text, message):
    with pytest.raises(PolicyError) as info:
        policy(f"- id: score\n  {text}\n")
    assert message in info.value.message


def frame(name: str, rows: list[dict]) -> pl.DataFrame:
    return (
        pl.DataFrame(rows, schema={k: v for k, v in SCHEMAS[name].items() if k in rows[0]})
        .with_columns(pl.lit(None).cast(v).alias(k) for k, v in SCHEMAS[name].items() if k not in rows[0])
        .select(list(SCHEMAS[name]))
    )


def test_it_ignores_attempts_made_before_the_current_level():
    d = dt.date
    data = Dataset(
        employees=frame(
            "employees", [{"employee_id": e, "name": e, "hire_date": d(2025, 1, 1)} for e in "AB"]
        ),
        assignments=frame(
            "assignments",
            [
                {
                    "employee_id": e,
                    "track": "stage",
                    "level": "junior",
                    "start_date": d(2026, 1, 1),
                    "kind": "promotion",
                }
                for e in "AB"
            ],
        ),
        events=frame(
            "events",
            [
                # A: 95 before the level began (2025-12-20) and 70 during it → 70 counts, not 95.
                {"employee_id": "A", "date": d(2025, 12, 20), "type": "exam", "value": 95.0, "ref": "stage"},
                {"employee_id": "A", "date": d(2026, 3, 1), "type": "exam", "value": 70.0, "ref": "stage"},
                # B: only an attempt before the level → nothing at this level → null, fails.
                {"employee_id": "B", "date": d(2025, 12, 31), "type": "exam", "value": 99.0, "ref": "stage"},
            ],
        ),
    )
    p = policy("""\
        - id: score
          exam: {ref: stage, since: level}
          at_least: 80
        - id: any_time
          exam: stage
          at_least: 80
        """)
    out = to_json_obj(evaluate(p, data, d(2026, 6, 1)))
    by = {
        r["employee_id"]: {c["id"]: (c["passed"], c["actual"]) for c in r["criteria"]} for r in out["results"]
    }
    assert by["A"] == {"score": (False, 70), "any_time": (False, 70)}
    assert by["B"] == {"score": (False, None), "any_time": (True, 99)}
