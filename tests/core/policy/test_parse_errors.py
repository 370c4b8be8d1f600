"""A wrong policy is caught when loaded, with file:line:column, what was expected and a suggestion."""

from __future__ import annotations

import textwrap

import pytest

from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import parse_policy

HEAD = """\
rungs: 1
id: test
grades:
  monthly: [不合格, 合格, 良好, 优秀]
  quarterly: [D, C, B, A]
tracks:
  skill:
    levels:
      junior: {zh: 初级, en: Junior}
      intermediate: {zh: 中级, en: Intermediate}
      senior: {zh: 高级, en: Senior}
promotions:
  - track: skill
    from: junior
    criteria:
"""


def load(criteria: str, head: str = HEAD) -> PolicyError:
    text = head + textwrap.indent(textwrap.dedent(criteria), " " * 6)
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "p.yaml")
    return info.value


def test_it_names_line_and_column_of_an_unknown_building_block():
    err = load("""\
        - id: t
          tenur: level
          at_least: 12
        """)
    # line 16 is "- id: t"; the unknown key "tenur" is on line 17, column 9
    assert (err.file, err.line, err.column) == ("p.yaml", 17, 9)
    assert 'unknown key "tenur"' in err.message
    assert 'did you mean "tenure"?' in err.message


def test_it_rejects_a_grade_compared_with_a_number():
    err = load("""\
        - id: run
          consecutive: {of: grade, period: month, at_least: 90}
          at_least: 6
        """)
    assert "expected a grade word" in err.message
    assert err.line == 17


def test_it_rejects_a_number_compared_with_a_grade_word():
    err = load("""\
        - id: avg
          window: {of: score, period: month, last: 3, agg: mean}
          at_least: 优秀
        """)
    assert "expected a number, got '优秀'" in err.message
    assert (err.line, err.column) == (18, 19)  # 8 spaces + 'at_least: ' = column 19


def test_it_suggests_the_closest_grade_word():
    err = load("""\
        - id: q
          latest: {of: grade, period: quarter}
          equals: b
        """)
    assert 'did you mean "B"?' in err.message


def test_it_rejects_an_unknown_level_with_a_suggestion():
    text = HEAD.replace("from: junior", "from: junoir") + "      - {id: t, tenure: level, at_least: 12}\n"
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "p.yaml")
    assert info.value.line == 14
    assert 'unknown "junoir"' in info.value.message and 'did you mean "junior"?' in info.value.message


def test_it_rejects_a_transition_to_nowhere():
    text = HEAD.replace("from: junior", "from: senior") + "      - {id: t, tenure: level, at_least: 12}\n"
    with pytest.raises(PolicyError, match="top of the normal path"):
        parse_policy(text, "p.yaml")


def test_it_rejects_a_normal_path_that_loops():
    text = HEAD.replace(
        "      senior: {zh: 高级, en: Senior}\n",
        "      senior: {zh: 高级, en: Senior}\n    path: [junior, intermediate, junior]\n",
    )
    text += "      - {id: t, tenure: level, at_least: 12}\n"
    with pytest.raises(PolicyError, match='loops: "junior" appears twice'):
        parse_policy(text, "p.yaml")


def test_it_rejects_promotions_that_loop_back():
    text = (
        HEAD
        + "      - {id: t, tenure: level, at_least: 12}\n"
        + textwrap.dedent("""\
          - track: skill
            from: intermediate
            to: junior
            criteria:
              - {id: t, tenure: level, at_least: 12}
        """)
        .replace("\n", "\n  ", 4)
        .replace("- track", "  - track")
    )
    with pytest.raises(PolicyError, match='loop back to "junior"'):
        parse_policy(text, "p.yaml")


def test_it_rejects_an_unknown_tenure_kind():
    err = load("- {id: t, tenure: levle, at_least: 12}\n")
    assert 'unknown "levle"' in err.message and 'did you mean "level"?' in err.message


def test_it_requires_a_comparison():
    err = load("- {id: t, tenure: level}\n")
    assert "a comparison is required" in err.message


def test_it_rejects_two_building_blocks_in_one_criterion():
    err = load("- {id: t, tenure: level, exam: technical, at_least: 12}\n")
    assert "exactly one building block" in err.message


def test_it_reports_yaml_syntax_errors_with_position():
    with pytest.raises(PolicyError) as info:
        parse_policy("rungs: 1\nid: [unclosed\n", "bad.yaml")
    assert info.value.file == "bad.yaml" and info.value.line >= 2
    assert "not valid YAML" in info.value.message


def test_it_rejects_an_unknown_education_word():
    err = load("- {id: e, attribute: education, at_least: 本课}\n")
    assert "expected an education level" in err.message and 'did you mean "本科"?' in err.message


def test_it_rejects_an_unknown_measure():
    err = load("- {id: w, window: {of: scores, period: month, last: 3}, at_least: 80}\n")
    assert 'unknown measure "scores"' in err.message and 'did you mean "score"?' in err.message


def test_it_rejects_a_placeholder_outside_a_transition():
    text = (
        HEAD
        + "      - {id: t, tenure: level, at_least: 12}\n"
        + textwrap.dedent("""\
        rules:
          - id: r
            kind: warning
            track: skill
            criteria:
              - {id: c, course: $to}
        """)
    )
    with pytest.raises(PolicyError, match=r"\$to is only known in a promotion"):
        parse_policy(text, "p.yaml")


def test_it_rejects_averaging_grade_words():
    err = load(
        "- {id: w, window: {of: grade, period: month, last: 3, agg: mean, scale: monthly}, at_least: 良好}\n"
    )
    assert "cannot be summed or averaged" in err.message


def test_it_rejects_a_duplicate_criterion_id():
    err = load("""\
        - {id: t, tenure: level, at_least: 12}
        - {id: t, tenure: company, at_least: 12}
        """)
    assert 'criterion id "t" is used twice' in err.message


def test_it_loads_a_valid_policy_with_cases():
    policy = parse_policy(
        HEAD
        + textwrap.indent(
            textwrap.dedent("""\
        - id: t
          tenure: level
          at_least:
            cases:
              - when: {attribute: education, below: 大专}
                value: 18
            else: 12
        """),
            " " * 6,
        ),
        "p.yaml",
    )
    (rule,) = policy.rules
    assert (rule.levels, rule.to_level) == (("junior",), "intermediate")
    cases = rule.criteria[0].compare.value
    assert cases.default == 12 and cases.cases[0][1] == 18
    assert cases.cases[0][0].compare.value == "associate"  # 大专 is the associate degree


RESERVE_HEAD = HEAD + "      - {id: t, label: 满12个月, tenure: level, at_least: 12}\nrules:\n"


def reserve(rule: str):
    return parse_policy(RESERVE_HEAD + textwrap.indent(textwrap.dedent(rule), "  "), "p.yaml")


def test_a_reserve_rule_needs_its_key_post():
    with pytest.raises(PolicyError) as info:
        reserve("""\
        - id: pool
          kind: reserve
          track: skill
          levels: [junior]
          criteria:
            - {id: t, label: 满12个月, tenure: level, at_least: 12}
        """)
    assert 'reserve rule pool needs "to"' in str(info.value) and "缺少" in str(info.value)


def test_a_reserve_rule_takes_only_levels_below_the_post():
    with pytest.raises(PolicyError) as info:
        reserve("""\
        - id: pool
          kind: reserve
          track: skill
          to: intermediate
          levels: [junior, senior]
          criteria:
            - {id: t, label: 满12个月, tenure: level, at_least: 12}
        """)
    assert 'level "senior" is not below the key post "intermediate"' in str(info.value)
    assert info.value.line == 22  # the line of `levels:`


def test_a_reserve_rule_defaults_to_every_level_below_the_post():
    rule = reserve("""\
        - id: pool
          kind: reserve
          track: skill
          to: senior
          criteria:
            - {id: t, label: 满12个月, tenure: level, at_least: 12}
        """).reserves()[0]
    assert (rule.kind, rule.levels, rule.to_level) == ("reserve", ("junior", "intermediate"), "senior")
