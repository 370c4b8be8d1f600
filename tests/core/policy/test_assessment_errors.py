"""procedure.assessment is checked when the policy is loaded: Chinese first, English second, with the line."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from rungs.core.policy.errors import PolicyError
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
rules:
  - id: priority
    kind: priority
    track: post
    criteria:
      - id: priority
        any:
          - {id: teamwork, attestation: teamwork}
          - {id: key_role, attestation: key_role}
  - id: flat
    kind: priority
    track: post
    criteria:
      - {id: teamwork, attestation: teamwork}
procedure:
  assessment:
"""


def parse(block: str):
    return parse_policy(HEAD + textwrap.indent(textwrap.dedent(block), " " * 4), "p.yaml")


def error(block: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        parse(block)
    return info.value


SCORES = """\
scores: {technical: 专业测试, business: 业务成绩, appraisal: 年度考核}
"""


def test_a_valid_assessment_is_carried_typed():
    a = parse(
        SCORES
        + "composite: {technical: 40%, business: 30, appraisal: 30%}\nrank: {priority: priority, by: composite}\n"
    ).procedure.assessment
    assert a is not None and a.composite is not None and a.rank is not None
    assert a.composite.weights == (
        ("technical", Decimal(40)),
        ("business", Decimal(30)),
        ("appraisal", Decimal(30)),
    )
    assert (a.rank.priority, a.rank.by) == ("priority", "composite")
    assert a.label("business") == "业务成绩"


def test_weights_that_do_not_sum_to_100_are_refused():
    err = error(SCORES + "composite: {technical: 40%, business: 30%, appraisal: 20%}\n")
    assert err.zh == "procedure.assessment.composite：权重合计应为 100%，实际为 90%"
    assert err.en == "procedure.assessment.composite: the weights must sum to 100%, got 90%"
    assert (err.line, err.column) == (30, 16)  # the line of `composite:`, at its value
    assert str(err).startswith("p.yaml:30:16: 第 30 行第 16 列：procedure.assessment.composite：权重合计")


def test_a_weight_must_be_a_positive_percentage():
    err = error(SCORES + "composite: {technical: 0%, business: 100%}\n")
    assert "权重应为大于 0、不超过 100 的百分数" in err.zh and "percentage above 0" in err.en
    err = error(SCORES + "composite: {technical: lots, business: 100%}\n")
    assert "'lots'" in err.message


def test_a_weighted_or_ranked_score_must_be_declared():
    err = error(SCORES + "composite: {technical: 50%, busines: 50%}\n")
    assert '"busines" 不是 procedure.assessment.scores 中的考核项目' in err.zh
    assert 'did you mean "business"?' in err.en
    err = error(SCORES + "rank: {by: composite}\n")  # no composite declared
    assert 'unknown "composite"' in err.en


def test_the_shortlist_names_its_written_and_interview_scores_and_one_count():
    base = "scores: [theory, practical, interview]\n"
    err = error(base + "shortlist: {by: [theory, practical], interview: interview, per_post: 3, number: 5}\n")
    assert "须写 per_post（每个岗位的面试人数）或 number（固定的面试人数）二者之一" in err.zh
    err = error(base + "shortlist: {by: [theory, interview], interview: interview, per_post: 3}\n")
    assert '"interview" 既是笔试成绩（by）又是面试成绩（interview）' in err.zh
    err = error(base + "shortlist: {by: theory, interview: interview, per_post: 3, pass: 120}\n")
    assert "及格线应在 0 到 100 之间" in err.zh
    err = error(base + "shortlist: {by: theory, per_post: 3}\n")
    assert err.en == 'procedure.assessment.shortlist: "interview" is required'
    ok = parse(base + "shortlist: {by: theory, interview: interview, number: 5, pass: 60}\n").procedure
    assert ok.assessment is not None and ok.assessment.shortlist is not None
    assert (ok.assessment.shortlist.number, ok.assessment.shortlist.pass_mark) == (5, Decimal(60))


def test_the_priority_rule_must_exist_and_count_its_conditions_in_one_any():
    err = error(SCORES + "rank: {priority: prio, by: technical}\n")
    assert 'did you mean "priority"?' in err.en
    err = error(SCORES + "rank: {priority: flat, by: technical}\n")
    assert "优先条件规则 flat 应写成一个 any: 条件，其实际值为满足的项数" in err.zh


def test_scores_are_required_unique_and_not_called_composite():
    assert error("shortlist: {by: theory, interview: interview, per_post: 1}\n").en == (
        'procedure.assessment: "scores" is required'
    )
    assert "出现两次" in error("scores: [theory, theory]\n").zh
    assert "composite" in error("scores: [composite]\n").en
    assert 'unknown key "weights"' in error(SCORES + "weights: {technical: 100%}\n").en
