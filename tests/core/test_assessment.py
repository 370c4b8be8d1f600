"""The assessment stage of a round (rungs.core.assessment), on the example policies' procedure.assessment.
Every expected value is worked out by hand from SEEDS.md and the policy's words:

- posting-exam: "the hiring department picks the interviewees from the written results (ranked by written
  score)"; the policy: theory + practical, each ≥ 60, ties by the higher practical, 3 per post.
- dual-track-logistics: the selection panel weighs business results 40%, test scores 30%, annual
  appraisal 30% (the weights are the policy's).
- game-company-rules: priority = the number of priority conditions met; ties keep the assessment order.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rungs.core import assessment as a
from rungs.core.policy import model as m
from rungs.core.policy.parse import load_policy

from .examples.support import policy_path, result, run

D = Decimal
POST: a.Post = ("post", "supervisor")


def procedure(scheme: str) -> m.Assessment:
    rules = load_policy(policy_path(scheme)).procedure.assessment
    assert rules is not None
    return rules


def entry(key: str, post: a.Post = POST, priority: int | None = None, **scores: str) -> a.Entry:
    return a.Entry(key, post, {k: D(v) for k, v in scores.items()}, priority)


def table(result: a.PostResult, *fields: str) -> dict[object, tuple[object, ...]]:
    return {s.key: tuple(getattr(s, f) for f in fields) for s in result.standings}


# ---- the interview shortlist (posting-exam) ---------------------------------------------------------


def test_a_standing_says_whether_the_interview_score_is_recorded():
    rules = procedure("posting-exam")
    entries = [
        entry("A", theory="80", practical="75", interview="88"),  # 155, interviewed
        entry("B", theory="70", practical="85"),  # 155, not yet
        entry("C"),  # no written score: the shortlist is not decided, yet A was interviewed
    ]
    r = a.assess(rules, entries, {POST: 1})[POST]
    assert table(r, "interviewed", "shortlisted") == {
        "A": (True, None),
        "B": (False, None),
        "C": (False, None),
    }


def test_the_interviewees_are_the_best_three_written_results_who_passed_both_exams():
    rules = procedure("posting-exam")
    entries = [
        entry("A", theory="80", practical="75"),  # 155
        entry("B", theory="70", practical="85"),  # 155, practical 85 > 75 → before A
        entry("C", theory="90", practical="55"),  # 145, practical 55 < 60 → may not be picked
        entry("D", theory="72", practical="70"),  # 142
        entry("E", theory="65", practical="70"),  # 135
        entry("F", theory="66", practical="69"),  # 135, practical 69 < 70 → after E
    ]
    r = a.assess(rules, entries, {POST: 1})[POST]
    # 1 post × 3 per post = 3 places; the passing in order: B, A, D | E, F
    assert (r.places, r.decided, r.missing_written) == (3, True, ())
    assert [s.key for s in r.standings] == ["B", "A", "C", "D", "E", "F"]
    assert table(r, "written", "position", "shortlisted", "below_pass") == {
        "B": (D(155), 1, True, False),
        "A": (D(155), 2, True, False),
        "C": (D(145), 3, False, True),
        "D": (D(142), 4, True, False),
        "E": (D(135), 5, False, False),
        "F": (D(135), 6, False, False),
    }


def test_whoever_ties_with_the_last_place_is_interviewed_too_and_places_follow_the_posts():
    rules = procedure("posting-exam")
    entries = [
        entry("A", theory="80", practical="80"),  # 160
        entry("B", theory="75", practical="75"),  # 150
        entry("C", theory="70", practical="70"),  # 140
        entry("D", theory="70", practical="70"),  # 140, equal to C in sum and practical: shares 3rd
        entry("E", theory="60", practical="60"),  # 120
    ]
    r = a.assess(rules, entries, {POST: 1})[POST]
    assert table(r, "position", "shortlisted") == {
        "A": (1, True),
        "B": (2, True),
        "C": (3, True),
        "D": (3, True),  # equal to the third: picked as well, 4 interviewees for 3 places
        "E": (5, False),
    }
    # two posts to fill: 2 × 3 = 6 places, everyone who passed is interviewed
    r2 = a.assess(rules, entries, {POST: 2})[POST]
    assert r2.places == 6 and all(s.shortlisted for s in r2.standings)


def test_the_shortlist_waits_for_every_written_score_and_each_post_has_its_own():
    rules = procedure("posting-exam")
    manager: a.Post = ("post", "manager")
    entries = [
        entry("A", theory="80", practical="80"),
        entry("B", theory="75"),  # the practical exam not recorded yet
        entry("M", post=manager, theory="61", practical="62"),
    ]
    out = a.assess(rules, entries, {POST: 1, manager: 1})
    r = out[POST]
    assert (r.decided, r.missing_written) == (False, ("B",))
    assert table(r, "written", "position", "shortlisted") == {"A": (D(160), 1, None), "B": (None, None, None)}
    assert table(out[manager], "shortlisted") == {"M": (True,)}  # 1 of 3 places, decided


def test_a_fixed_number_of_interviewees():
    rules = m.Assessment(
        scores=(("written", m.Label("笔试", "Written")), ("interview", m.Label("面试", "Interview"))),
        shortlist=m.Shortlist(by=("written",), interview=("interview",), number=2),
    )
    entries = [entry("A", written="90"), entry("B", written="50"), entry("C", written="70")]
    r = a.assess(rules, entries, {POST: 5})[POST]  # 5 posts, but 2 interviewees as the policy says
    assert r.places == 2
    assert table(r, "position", "shortlisted") == {"A": (1, True), "C": (2, True), "B": (3, False)}


# ---- the weighted composite (dual-track-logistics) -------------------------------------------------


def test_the_composite_weighs_the_panels_scores_by_the_policys_proportions():
    rules = procedure("dual-track-logistics")
    assert rules.composite is not None
    # 85 × 40% + 90 × 30% + 78 × 30% = 34 + 27 + 23.4 = 84.40
    assert a.composite(
        rules.composite, {"business_results": D(85), "test_scores": D(90), "annual_appraisal": D(78)}
    ) == D("84.40")
    # 88.5 × 40% + 71 × 30% + 93 × 30% = 35.4 + 21.3 + 27.9 = 84.60
    assert a.composite(
        rules.composite, {"business_results": D("88.5"), "test_scores": D(71), "annual_appraisal": D(93)}
    ) == D("84.60")
    assert a.composite(rules.composite, {"business_results": D(85), "test_scores": D(90)}) is None  # fmt: skip


def test_the_composite_rounds_half_up_to_cents():
    half = m.Composite((("x", D(50)), ("y", D(50))))
    assert a.composite(half, {"x": D("80.01"), "y": D("80.00")}) == D("80.01")  # 80.005 → 80.01
    assert a.composite(half, {"x": D("80.01"), "y": D("79.99")}) == D("80.00")


def test_without_a_rank_block_the_composite_orders_the_candidates():
    rules = procedure("dual-track-logistics")
    post: a.Post = ("skill", "senior")
    entries = [
        entry("P", post, business_results="70", test_scores="80", annual_appraisal="90"),  # 28+24+27 = 79.00
        entry("Q", post, business_results="90", test_scores="80", annual_appraisal="70"),  # 36+24+21 = 81.00
        entry("R", post, business_results="80", test_scores="80"),  # the appraisal missing: not ranked
        entry("S", post, business_results="80", test_scores="90", annual_appraisal="70"),  # 32+27+21 = 80.00
    ]
    r = a.assess(rules, entries, {post: 1})[post]
    assert table(r, "composite", "rank") == {
        "Q": (D("81.00"), 1),
        "S": (D("80.00"), 2),
        "P": (D("79.00"), 3),
        "R": (None, None),
    }
    assert [s.key for s in r.standings] == ["Q", "S", "P", "R"]


# ---- ranking by priority conditions (game-company-rules) -------------------------------------------


def test_priority_conditions_rank_first_and_ties_keep_the_assessment_order():
    rules = procedure("game-company-rules")
    post: a.Post = ("post", "team_lead")
    entries = [
        entry("G1", post, priority=2, assessment="88"),
        entry("G3", post, priority=3, assessment="70"),  # most conditions met: first despite 70
        entry("G5", post, priority=5),  # no assessment score yet: not ranked
        entry("X", post, priority=2, assessment="91"),  # 2 conditions like G1, better score → before G1
        entry("Y", post, priority=2, assessment="88"),  # equal to G1 in both: shares 3rd
        entry("Z", post, priority=0, assessment="99"),  # no condition met: after every 2
        entry("N", post, priority=None, assessment="95"),  # no result of the rule: counts as 0, 95 < 99
    ]
    r = a.assess(rules, entries, {post: 1})[post]
    assert [s.key for s in r.standings] == ["G3", "X", "G1", "Y", "Z", "N", "G5"]
    assert table(r, "priority", "score", "rank") == {
        "G3": (3, D(70), 1),
        "X": (2, D(91), 2),
        "G1": (2, D(88), 3),
        "Y": (2, D(88), 3),
        "Z": (0, D(99), 5),
        "N": (None, D(95), 6),
        "G5": (5, None, None),
    }


def test_the_priority_count_is_the_evaluations_number_of_conditions_met():
    # the example data (tests/core/examples/test_game_company_rules.py): G1 teamwork + recognized = 2,
    # G3 value_created + key_role + training_excellent = 3, G2 none = 0
    policy = load_policy(policy_path("game-company-rules"))
    rule = next(r for r in policy.rules if r.kind == "priority")
    out = run("game-company-rules", dt.date(2026, 12, 1))
    counts = {e: a.priority_count(rule, result(out, e, "priority")["criteria"]) for e in ("G1", "G2", "G3")}
    assert counts == {"G1": 2, "G2": 0, "G3": 3}
    assert a.priority_count(rule, []) is None


def test_a_score_is_named_by_its_name_or_its_label():
    rules = procedure("posting-exam")
    assert [a.score_name(rules, x) for x in ("theory", " 理论考核 ", "Practical exam", "笔试")] == [
        "theory",
        "theory",
        "practical",
        None,
    ]


@pytest.mark.parametrize("scheme", ["posting-exam", "dual-track-logistics", "game-company-rules"])
def test_an_empty_post_has_nothing_to_rank(scheme):
    r = a.assess(procedure(scheme), [], {POST: 1})[POST]
    assert (r.standings, r.decided, r.missing_written) == ((), True, ())
