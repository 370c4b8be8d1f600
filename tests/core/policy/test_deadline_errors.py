"""procedure.deadlines is checked when the policy is loaded: Chinese first, English second, with the line."""

from __future__ import annotations

import pytest

from rungs.core.policy.errors import PolicyError
from rungs.core.policy.model import Deadlines
from rungs.core.policy.parse import parse_policy

HEAD = """\
rungs: 1
id: test
tracks:
  post:
    levels:
      agent: 客服
      senior_agent: 高级客服
promotions:
  - track: post
    from: agent
    criteria:
      - {id: t, tenure: level, at_least: 12}
procedure:
  notice_working_days: 5
"""


def parse(block: str):
    return parse_policy(HEAD + block, "p.yaml").procedure


def error(block: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        parse(block)
    return info.value


def test_deadlines_are_carried_typed_with_a_default_reminder_of_one_working_day():
    got = parse("  deadlines: {review: 3, approval: 2, appointment: 5}\n").deadlines
    assert got == Deadlines((("review", 3), ("approval", 2), ("appointment", 5)), remind_before=1)
    assert (got.get("approval"), got.get("committee")) == (2, None)
    assert parse("  deadlines: {review: 3, remind_before: 0}\n").deadlines.remind_before == 0


def test_a_policy_without_deadlines_has_none():
    assert parse("").deadlines == Deadlines()


def test_an_unknown_stage_is_refused_with_the_closest_name():
    err = error("  deadlines:\n    reveiw: 3\n")
    assert err.zh.startswith('procedure.deadlines：未知的阶段 "reveiw"，应为 application、review、assessment')
    assert err.zh.endswith('是否应为 "review"？')
    assert err.en.startswith(
        'procedure.deadlines: unknown stage "reveiw"; expected one of: application, review, '
    )
    assert (err.line, err.column) == (16, 5)  # HEAD is 14 lines


@pytest.mark.parametrize("days", ["0", "-2", "1.5", "三", "true"])
def test_a_deadline_is_a_positive_whole_number_of_working_days(days):
    err = error(f"  deadlines: {{review: {days}}}\n")
    assert err.zh.startswith("procedure.deadlines.review：期限应为正整数（工作日数），实际为")
    assert err.en.startswith("procedure.deadlines.review: a deadline is a whole number of working days ≥ 1")
    assert err.line == 15


def test_a_negative_reminder_is_refused():
    err = error("  deadlines: {review: 3, remind_before: -1}\n")
    assert err.zh == "procedure.deadlines.remind_before：应为不小于 0 的整数，实际为 -1"


def test_a_stage_the_procedure_does_not_have_is_refused():
    err = error("  deadlines: {committee: 3}\n")
    assert (
        err.zh
        == "procedure.deadlines.committee：本制度的晋升程序中没有“评审”这一环节（需要 procedure.steps 中有 committee）"
    )
    assert err.en == (
        "procedure.deadlines.committee: the procedure has no committee decision stage "
        "(it needs committee in procedure.steps)"
    )
    assert "procedure.assessment" in error("  deadlines: {assessment: 3}\n").zh
    no_notice = HEAD.replace("  notice_working_days: 5\n", "")
    with pytest.raises(PolicyError, match="发布公示"):
        parse_policy(no_notice + "  deadlines: {notice: 2}\n", "p.yaml")


def test_deadlines_must_be_a_mapping():
    assert error("  deadlines: [review, 3]\n").zh.startswith(
        "procedure.deadlines：应为 阶段: 工作日数 的映射"
    )
