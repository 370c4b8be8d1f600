"""Issue 13, a policy language without holes: what a policy names is from a known vocabulary or refused at
load (with the closest valid name, Chinese first); what it parses acts or is refused."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest

from rungs.core.policy.errors import PolicyError
from rungs.core.policy.model import Signoff
from rungs.core.policy.parse import parse_policy
from rungs.core.roles import ROLES, USER_ROLES

HEAD = """\
rungs: 1
id: test
tracks:
  skill:
    levels:
      junior: {zh: 初级, en: Junior}
      senior: {zh: 高级, en: Senior}
  mgmt:
    levels:
      lead: {zh: 组长, en: Lead}
      manager: {zh: 经理, en: Manager}
"""


def promotion(criteria: str, head: str = HEAD) -> str:
    body = "promotions:\n  - track: skill\n    from: junior\n    criteria:\n"
    return head + body + textwrap.indent(textwrap.dedent(criteria), " " * 6)


def refused(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        parse_policy(text, "p.yaml")
    return info.value


OK = "- {id: t, tenure: level, at_least: 12}\n"


# ---- 1. event types are a fixed vocabulary --------------------------------------------------------------


def test_a_misspelled_event_type_is_refused_with_a_suggestion_chinese_first():
    err = refused(promotion("- {id: inc, count: {event: majr_incident}, equals: 0}\n"))
    # HEAD is 11 lines, so line 16 is the criterion; "majr_incident" is at column 34
    # (6 spaces + "- {id: inc, count: {event: ", 27 characters)
    assert (err.file, err.line, err.column) == ("p.yaml", 16, 34)
    assert err.zh.startswith('未知的事件类型 "majr_incident"')
    assert '是否应为 "major_incident"？' in err.zh
    assert 'unknown event type "majr_incident"' in err.en and 'did you mean "major_incident"?' in err.en
    text = str(err)
    assert text.startswith("p.yaml:16:34: 第 16 行第 34 列：未知的事件类型")
    assert text.index("第 16 行") < text.index("line 16, column 34")  # Chinese first, English second


def test_every_event_type_of_the_interchange_is_accepted():
    for event in ("penalty", "major_incident", "red_line", "circulated_notice", "career_plan", "pay_step"):
        parse_policy(promotion(f"- {{id: e, count: {{event: {event}}}, equals: 0}}\n"))


# ---- 2. attributes are typed ----------------------------------------------------------------------------


def test_an_undeclared_attribute_is_refused_with_a_suggestion():
    err = refused(promotion("- {id: pay, attribute: base_pai, at_least: 5000}\n"))
    assert 'unknown attribute "base_pai"' in err.en and 'did you mean "base_pay"?' in err.en
    assert "attributes:" in err.en and err.zh.startswith('未知的属性 "base_pai"')


def test_an_ordering_comparison_on_text_is_refused():
    err = refused(
        promotion("- {id: site, attribute: site, at_least: B}\n", HEAD + "attributes: {site: text}\n")
    )
    assert "at_least orders values, but text has no order" in err.en
    assert (err.line, err.column) == (17, 37)  # the at_least key: 6 spaces + "- {id: site, attribute: site, "
    # the built-in text columns too; equality stays allowed
    assert "no order" in refused(promotion("- {id: t, attribute: team, above: t1}\n")).en
    parse_policy(
        promotion("- {id: site, attribute: site, in: [A, B]}\n", HEAD + "attributes: {site: text}\n")
    )


def test_an_ordering_comparison_on_status_is_refused():
    assert (
        "a status has no order" in refused(promotion("- {id: s, attribute: status, at_least: regular}\n")).en
    )


def test_declared_types_check_the_required_values():
    head = HEAD + "attributes:\n  band: {choice: [C, B, A]}\n  joined: date\n  points: number\n"
    err = refused(promotion("- {id: b, attribute: band, at_least: AA}\n", head))
    assert "expected a choice of band (C, B, A)" in err.en and 'did you mean "A"?' in err.en
    assert "expected a date" in refused(promotion("- {id: j, attribute: joined, below: soon}\n", head)).en
    assert "expected a number" in refused(promotion("- {id: p, attribute: points, above: many}\n", head)).en
    p = parse_policy(promotion("- {id: b, attribute: band, at_least: B}\n", head))
    assert p.attributes["band"].choices == ("C", "B", "A") and p.attributes["joined"].type == "date"


def test_a_builtin_attribute_cannot_be_redeclared_and_types_are_known():
    assert "base_pay is built in" in refused(HEAD + "attributes: {base_pay: text}\n").en
    err = refused(HEAD + "attributes: {site: txt}\n")
    assert 'did you mean "text"?' in err.en


# ---- 4. what is parsed acts or is refused ----------------------------------------------------------------


def test_procedure_is_typed_and_strict():
    proc = """\
procedure:
  windows: [6, 12]
  effective: next_month
  notice_working_days: 5
  skip_level: chairman
  steps: [nomination, review, approval]
  lateral:
    - [skill.senior, mgmt.lead]
  authority:
    - {levels: [senior], proposes: team_lead, approves: general_manager, reviews: [hr, vice_president]}
"""
    p = parse_policy(
        HEAD + proc + "promotions:\n  - {track: skill, from: junior, criteria: [" + OK.strip()[2:] + "]}\n"
    )
    assert p.procedure.windows == (6, 12) and p.procedure.effective == "next_month"
    assert p.procedure.skip_level == "chairman" and p.procedure.lateral == (("skill.senior", "mgmt.lead"),)
    (a,) = p.procedure.authority
    assert (a.levels, a.proposes, a.approves, a.reviews) == (
        ("senior",),
        "team_lead",
        (Signoff(("general_manager",)),),
        ("hr", "vice_president"),
    )
    assert 'unknown key "approvers"' in refused(HEAD + "procedure: {approvers: [hr]}\n").en
    assert (
        'procedure.effective: unknown "next_year"' in refused(HEAD + "procedure: {effective: next_year}\n").en
    )
    assert "expected true or false" in refused(HEAD + "procedure: {one_level_at_a_time: yes please}\n").en
    assert '"review" appears twice' in refused(HEAD + "procedure: {steps: [review, review]}\n").en
    assert (
        'unknown "skill.expert"' in refused(HEAD + "procedure: {lateral: [[skill.expert, mgmt.lead]]}\n").en
    )


def test_an_approver_outside_the_roles_vocabulary_is_refused_with_a_suggestion():
    auth = "procedure:\n  authority:\n    - {levels: [senior], proposes: team_lead, approves: chairmen}\n"
    err = refused(HEAD + auth)
    assert 'procedure.authority.approves: unknown "chairmen"' in err.en
    assert 'did you mean "chairman"?' in err.en and '是否应为 "chairman"？' in err.zh
    assert (err.line, err.column) == (
        14,
        57,
    )  # 4 spaces + "- {levels: [senior], proposes: team_lead, approves: "
    assert 'did you mean "general_manager"?' in refused(HEAD + "procedure: {skip_level: general_manger}\n").en


def test_the_roles_vocabulary_names_the_schemes_deciders_and_the_user_roles():
    assert {"chairman", "general_manager", "vice_president", "director", "review_committee"} <= set(ROLES)
    assert ROLES["chairman"].zh == "董事长" and ROLES["review_committee"].zh == "评定小组成员"
    assert USER_ROLES == (
        "agent",
        "team_lead",
        "supervisor",
        "qa_training",
        "department_manager",
        "hr",
        "executive",
        "admin",
    )


def test_pay_is_decimal_and_strict():
    def pay(text: str) -> str:
        return (
            HEAD
            + f"promotions:\n  - {{track: skill, from: junior, pay: {text}, criteria: [{OK.strip()[2:]}]}}\n"
        )

    (r,) = parse_policy(pay("{base_pct: 10, raise: [500, 800]}")).rules
    assert r.pay is not None
    assert (r.pay.base_pct, r.pay.raise_min, r.pay.raise_max) == (Decimal(10), Decimal(500), Decimal(800))
    assert isinstance(r.pay.base_pct, Decimal) and isinstance(r.pay.raise_min, Decimal)
    assert 'unknown key "bonus"' in refused(pay("{bonus: 100}")).en
    assert "pay.raise: expected [min, max]" in refused(pay("{raise: [800, 500]}")).en
    assert "pay.base_pct: expected a non-zero number" in refused(pay("{base_pct: ten}")).en


def test_equivalences_and_unused_defaults_are_refused():
    err = refused(HEAD + "equivalences: [[skill.senior, mgmt.lead]]\n")
    assert "procedure.lateral" in err.en and err.line == 12  # right after the 11 lines of HEAD
    err = refused(HEAD + "defaults: {exam_pass: 60, rank_top: 3}\n")
    assert 'defaults: unknown key "rank_top"' in err.en


def test_exam_pass_acts_as_the_default_comparison():
    p = parse_policy(promotion("- {id: exam, exam: technical}\n", HEAD + "defaults: {exam_pass: 75}\n"))
    (c,) = p.rules[0].criteria
    assert c.compare is not None and (c.compare.op, c.compare.value) == (">=", 75)
    assert p.exam_pass == 75


def test_an_approval_chain_has_steps_in_order_each_one_of_or_all_of_its_roles():
    auth = "procedure:\n  authority:\n    - levels: [senior]\n      proposes: team_lead\n      approves: {}\n"

    def chain(approves):
        p = parse_policy(
            HEAD
            + auth.format(approves)
            + "promotions:\n  - {track: skill, from: junior, criteria: ["
            + OK.strip()[2:]
            + "]}\n"
        )
        return p.procedure.authority[0].approves

    assert chain("hr") == (Signoff(("hr",)),)
    # 部门经理 first, then 人事 and 副总 both (会签), then 总经理 or 董事长 (或签)
    assert chain("[department_manager, {all: [hr, vice_president]}, {any: [general_manager, chairman]}]") == (
        Signoff(("department_manager",)),
        Signoff(("hr", "vice_president"), every=True),
        Signoff(("general_manager", "chairman")),
    )
    assert "{any: [roles]}" in refused(HEAD + auth.format("[{both: [hr]}]")).en
    assert 'unknown "boss"' in refused(HEAD + auth.format("[{any: [boss]}]")).en
    assert "at least one approver" in refused(HEAD + auth.format("[]")).en
