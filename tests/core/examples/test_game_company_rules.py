"""game-company-rules (游戏公司员工晋升管理制度): expected results worked out by hand from SEEDS.md, the policy's
written interpretations and examples/data/game-company-rules, evaluated on 2026-12-01.

Basic conditions (all): status regular; attestations conduct, results, post_skills = 1 (the latest counts;
never recorded → null → fails); no penalty in the 12 months before, 2025-12-01 ≤ date < 2026-12-01.
Priority (a separate rule, not a gate): the number of value_created, teamwork, key_role,
training_excellent, recognized attested 1; "eligible" there only means at least one is met.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, policy_path, result, run

AS_OF = dt.date(2026, 12, 1)
SCHEME = "game-company-rules"
A2S, S2T, T2S = "post.agent-senior_agent", "post.senior_agent-team_lead", "post.team_lead-supervisor"
BASIC = ("regular", "conduct", "results", "post_skills", "no_violation")


@pytest.fixture(scope="module")
def out():
    return run(SCHEME, AS_OF)


def basic(res: dict) -> dict[str, tuple[bool, object]]:
    return {cid: (crit(res, cid)["passed"], crit(res, cid)["actual"]) for cid in BASIC}


def priority(out: dict, emp: str) -> int:
    return crit(result(out, emp, "priority"), "priority")["actual"]


def test_policy_loads_with_canonical_ids():
    p = load_policy(policy_path(SCHEME))
    assert p.id == SCHEME
    assert p.tracks["post"].path == ("agent", "senior_agent", "team_lead", "supervisor")
    assert [r.id for r in p.promotions()] == [A2S, S2T, T2S]
    rule = next(r for r in p.rules if r.id == "priority")
    assert (rule.kind, rule.levels) == ("priority", ("agent", "senior_agent", "team_lead"))


def test_no_warnings(out):
    assert out["warnings"] == []


def test_agent_meets_every_basic_condition(out):
    # G1: 正式 → regular; conduct, results, post_skills 1 (2026-10-01); no penalty → 0 → eligible.
    r = result(out, "G1", A2S)
    assert r["eligible"] is True
    assert basic(r) == {
        "regular": (True, "regular"),
        "conduct": (True, 1),
        "results": (True, 1),
        "post_skills": (True, 1),
        "no_violation": (True, 0),
    }


def test_a_penalty_in_the_last_12_months_blocks(out):
    # G2: penalty 2026-03-01 → 1 ≠ 0 → the only failure → not eligible.
    r = result(out, "G2", A2S)
    assert r["eligible"] is False
    assert crit(r, "no_violation") == {**crit(r, "no_violation"), "passed": False, "actual": 1}
    assert [c["id"] for c in r["criteria"] if not c["passed"]] == ["no_violation"]


def test_a_penalty_older_than_12_months_does_not_block(out):
    # G3 (senior_agent): penalty 2025-11-15 is before 2025-12-01 → 0; attestations 1 → eligible for 组长.
    r = result(out, "G3", S2T)
    assert r["eligible"] is True
    assert (r["from_level"], r["to_level"]) == ("senior_agent", "team_lead")
    assert crit(r, "no_violation")["actual"] == 0


def test_probation_latest_judgement_and_missing_attestation(out):
    # G4: 试用 → probation ≠ regular; conduct 1 (2026-09-01) then 0 (2026-11-01) → latest 0; results never
    # recorded → null; post_skills 1; no penalty → not eligible.
    r = result(out, "G4", S2T)
    assert r["eligible"] is False
    assert basic(r) == {
        "regular": (False, "probation"),
        "conduct": (False, 0),
        "results": (False, None),
        "post_skills": (True, 1),
        "no_violation": (True, 0),
    }


def test_priority_does_not_make_anyone_eligible(out):
    # G5 (team_lead): results 0 and post_skills never recorded → not eligible for 主管, although all five
    # priority conditions are met (priority 5).
    r = result(out, "G5", T2S)
    assert r["eligible"] is False
    assert (crit(r, "results")["actual"], crit(r, "post_skills")["actual"]) == (0, None)
    assert priority(out, "G5") == 5


def test_priority_counts_the_conditions_met(out):
    # G1: teamwork, recognized → 2 of 5; G3: value_created, key_role, training_excellent → 3; G2, G4: none
    # attested (null each) → 0, and the priority rule reads "not met".
    assert {e: priority(out, e) for e in ("G1", "G2", "G3", "G4", "G5")} == {
        "G1": 2,
        "G2": 0,
        "G3": 3,
        "G4": 0,
        "G5": 5,
    }
    r = result(out, "G1", "priority")
    assert r["kind"] == "priority"
    assert [c["id"] for c in crit(r, "priority")["criteria"] if c["passed"]] == ["teamwork", "recognized"]
    assert result(out, "G2", "priority")["eligible"] is False


def test_the_supervisor_is_the_top(out):
    # G6 is supervisor, the top of the path, and the priority rule covers agent … team_lead only.
    assert not any(r["employee_id"] == "G6" for r in out["results"])
    assert sorted(r["employee_id"] for r in out["results"] if r["kind"] == "promotion" and r["eligible"]) == [
        "G1",
        "G3",
    ]
