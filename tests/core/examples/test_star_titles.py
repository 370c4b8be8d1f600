"""star-titles (客服部晋升管理制度): expected results worked out by hand from SEEDS.md and the data set in
examples/data/star-titles, evaluated on 2026-12-01 (a December round).

At 2026-12-01: the latest complete month is 2026-11; "previous year" is 2025.
Positions: assistant headcount 2 held by E07 only (E08/E10 only act) → vacancy 1;
manager headcount 1 held by E09 → vacancy 0.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, has_result, policy_path, result, run

AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def out():
    return run("star-titles", AS_OF)


def test_policy_loads_with_canonical_ids():
    p = load_policy(policy_path("star-titles"))
    assert p.id == "star-titles"
    assert p.tracks["title"].path == ("star1", "star2", "star3", "star4", "star5")
    assert p.tracks["position"].path == ("agent", "assistant", "manager")
    assert p.procedure.windows == (6, 12)
    assert p.procedure.skip_level == "chairman"


def test_no_warnings(out):
    assert out["warnings"] == []


def test_all_conditions_met_on_both_tracks(out):
    # E01: star2 since 2025-06-01 → 18 months ≥ 12; grades 优秀 2026-05…2026-11 → run 7 ≥ 6;
    # course star3 done; target_skills 1, potential 1; no penalty → eligible for star3.
    r = result(out, "E01", "title.star2-star3")
    assert r["eligible"] is True
    assert r["to_level"] == "star3"
    assert crit(r, "tenure.months")["actual"] == 18
    assert crit(r, "excellent_months")["actual"] == 7
    assert crit(r, "courses")["actual"] == 1
    # agent since 2024-03-01 → 33 months; course assistant done; assistant vacancy 2 − 1 = 1 > 0.
    r = result(out, "E01", "position.agent-assistant")
    assert r["eligible"] is True
    assert crit(r, "tenure.months")["actual"] == 33
    assert crit(r, "vacancy") == {**crit(r, "vacancy"), "passed": True, "actual": 1}


def test_tenure_short_without_waiver_fails(out):
    # E02: star1 since 2026-03-01 → 9 months < 12, no tenure_waiver attestation (null) → tenure fails;
    # everything else passes (9 months of 优秀 ≥ 6), so not eligible on either track.
    for rule in ("title.star1-star2", "position.agent-assistant"):
        r = result(out, "E02", rule)
        assert r["eligible"] is False
        t = crit(r, "tenure")
        assert t["passed"] is False
        assert crit(r, "tenure.months")["actual"] == 9
        assert crit(r, "tenure.chairman_waiver")["actual"] is None
        assert crit(r, "excellent_months")["passed"] is True


def test_chairman_waiver_is_a_recorded_exception(out):
    # E03: star1 since 2026-06-15 → 2026-11-15 is 5 whole months (the 12-01 day < 15) → 5 < 12 fails,
    # but the attestation tenure_waiver = 1 (2026-11-20) passes the "any"; grades 2026-06…11 → run 6 ≥ 6.
    r = result(out, "E03", "title.star1-star2")
    assert r["eligible"] is True
    assert crit(r, "tenure.months") == {**crit(r, "tenure.months"), "passed": False, "actual": 5}
    assert crit(r, "tenure.chairman_waiver")["passed"] is True
    assert crit(r, "tenure")["passed"] is True
    assert crit(r, "excellent_months")["actual"] == 6


def test_missing_course_of_target_level_fails(out):
    # E03 never completed course "assistant" → 0 < 1 → the position promotion fails on courses only.
    r = result(out, "E03", "position.agent-assistant")
    assert r["eligible"] is False
    assert crit(r, "courses") == {**crit(r, "courses"), "passed": False, "actual": 0}
    # E05 completed course star2 (its current title), not star3 → 0 for the star2 → star3 step.
    r = result(out, "E05", "title.star2-star3")
    assert crit(r, "courses")["actual"] == 0
    assert crit(r, "courses")["passed"] is False


def test_a_good_month_breaks_the_run_of_excellent(out):
    # E04: 优秀 every month of 2026 except 2026-09 良好 → run ending 2026-11 is 10, 11 → 2 < 6 → fail.
    r = result(out, "E04", "title.star1-star2")
    assert r["eligible"] is False
    assert crit(r, "excellent_months") == {**crit(r, "excellent_months"), "passed": False, "actual": 2}
    # star1 since 2024-01-01 → 35 months ≥ 12.
    assert crit(r, "tenure.months")["actual"] == 35


def test_latest_attestation_counts_and_missing_attestation_fails(out):
    # E05: target_skills 1 on 2026-01-10, then 0 on 2026-10-10 → latest 0 ≠ 1 → fail;
    # potential never recorded → actual null → fail (never silently passed).
    r = result(out, "E05", "title.star2-star3")
    assert r["eligible"] is False
    assert crit(r, "target_skills") == {**crit(r, "target_skills"), "passed": False, "actual": 0}
    assert crit(r, "potential") == {**crit(r, "potential"), "passed": False, "actual": None}
    # star2 since 2025-01-01 → 23 months; 6 months of 优秀 (2026-06…11) → exactly 6 passes.
    assert crit(r, "tenure.months")["actual"] == 23
    assert crit(r, "excellent_months")["passed"] is True


def test_unoffset_penalty_of_previous_year_blocks(out):
    # E06: penalty P-0601 on 2025-08-10 (year 2025 = previous year); its offset is dated 2026-03-01, not
    # within 2025 (年度内未抵消) → still counts → 1 ≠ 0 → blocked. (Under "any offset lifts it" E06 passed.)
    for rule in ("title.star3-star4", "position.agent-assistant"):
        r = result(out, "E06", rule)
        assert r["eligible"] is False
        assert crit(r, "no_unoffset_penalty") == {
            **crit(r, "no_unoffset_penalty"),
            "passed": False,
            "actual": 1,
        }


def test_offset_penalty_and_this_years_penalty_do_not_block(out):
    # E07: P-0701 (2025-05-05) was offset on 2025-10-01 → dropped; P-0702 is dated 2026 (not the previous
    # year) → count 0 → passes. star2 since 2025-03-01 → 21 months; course star3; run 6 → eligible.
    r = result(out, "E07", "title.star2-star3")
    assert r["eligible"] is True
    assert crit(r, "no_unoffset_penalty") == {**crit(r, "no_unoffset_penalty"), "passed": True, "actual": 0}
    assert crit(r, "tenure.months")["actual"] == 21


def test_no_vacancy_blocks_position_promotion(out):
    # E07 assistant → manager: manager headcount 1, held by E09 → 1 − 1 = 0, not > 0 → fail,
    # although every other condition holds (assistant since 2025-03-01 → 21 months, course manager done).
    r = result(out, "E07", "position.assistant-manager")
    assert r["eligible"] is False
    assert crit(r, "vacancy") == {**crit(r, "vacancy"), "passed": False, "actual": 0}
    others = [c for c in r["criteria"] if c["id"] != "vacancy"]
    assert all(c["passed"] for c in others)


def test_title_needs_no_vacancy(out):
    assert all(c["id"] != "vacancy" for c in result(out, "E01", "title.star2-star3")["criteria"])


def test_top_of_position_track_has_no_promotion(out):
    # E09 is manager, the top of the position path → no position promotion result.
    assert not has_result(out, "E09", "position.assistant-manager")
    assert not any(
        r["employee_id"] == "E09" and r["kind"] == "promotion" and r["track"] == "position"
        for r in out["results"]
    )


def test_acting_holder_confirmed_when_conditions_met(out):
    # E10: agent since 2023-01-01 (47 months), acting assistant since 2026-06-01; 6 months of 优秀;
    # course assistant; target_skills and potential 1; no penalty → acting conversion eligible.
    r = result(out, "E10", "acting-assistant")
    assert r["kind"] == "acting_conversion"
    assert r["to_level"] == "assistant"
    assert r["eligible"] is True
    assert crit(r, "tenure.months")["actual"] == 47


def test_acting_holder_not_confirmed_when_performance_fails(out):
    # E08: acting assistant since 2026-06-01, but 2026-11 is 不合格 → run of 优秀 ending 2026-11 is 0 → fail.
    r = result(out, "E08", "acting-assistant")
    assert r["eligible"] is False
    assert crit(r, "excellent_months") == {**crit(r, "excellent_months"), "passed": False, "actual": 0}
    # Nobody acts as manager → no acting-manager results.
    assert not any(r["rule"] == "acting-manager" for r in out["results"])


def test_demotion_for_a_fault_since_the_level(out):
    # E06: star3 since 2024-06-01; penalty 2025-08-10 is after that → fault 1 ≥ 1 → triggered.
    r = result(out, "E06", "title-demotion")
    assert r["eligible"] is True
    assert crit(r, "fault") == {**crit(r, "fault"), "passed": True, "actual": 1}
    assert crit(r, "unfit")["passed"] is False  # latest grade 2026-11 is 优秀
    # E07: assistant since 2025-03-01; penalties 2025-05-05 and 2026-04-01 → 2 (offset or not, a fault).
    r = result(out, "E07", "position-demotion")
    assert r["eligible"] is True
    assert crit(r, "fault")["actual"] == 2


def test_demotion_for_unfit_latest_grade(out):
    # E08 (star3) and E09 (star4, manager): latest monthly grade 2026-11 不合格 → triggered; no penalties.
    for emp, rule in (("E08", "title-demotion"), ("E09", "title-demotion"), ("E09", "position-demotion")):
        r = result(out, emp, rule)
        assert r["eligible"] is True
        assert crit(r, "unfit") == {**crit(r, "unfit"), "passed": True, "actual": "不合格"}
        assert crit(r, "fault")["actual"] == 0


def test_demotion_not_triggered_without_fault_or_unfit_grade(out):
    # E01: star2, no penalty, latest grade 优秀 → not triggered.
    r = result(out, "E01", "title-demotion")
    assert r["eligible"] is False
    assert crit(r, "fault")["actual"] == 0
    assert crit(r, "unfit")["actual"] == "优秀"
    # star1 holders are not subject to the demotion rule (nothing to demote from).
    assert not has_result(out, "E02", "title-demotion")


def test_shared_criteria_take_each_steps_target_level():
    # The criteria are written once (YAML anchor) and reused; `course: $to` still means each step's target.
    p = load_policy(policy_path("star-titles"))
    refs = {r.id: next(c.block.refs for c in r.criteria if c.id == "courses") for r in p.rules if r.to_level}
    assert refs["title.star1-star2"] == ("star2",)
    assert refs["title.star4-star5"] == ("star5",)
    assert refs["position.assistant-manager"] == ("manager",)
    assert refs["acting-assistant"] == ("assistant",)
