"""dual-track-logistics (客服人员晋升通道及管理办法(试行)): expected results worked out by hand from SEEDS.md, the
policy's written interpretations and the data set in examples/data/dual-track-logistics, evaluated on
2026-12-01 (selection once a year, in December; results take effect next January).

At 2026-12-01: the latest complete month is 2026-11 ("the last 12 months" are 2025-12 … 2026-11), the latest
complete year is 2025; event counts use 2025-12-01 ≤ date < 2026-12-01.
Annual scores 2025 in 客服部 among active employees: E07 95, E10 93, E08 90, E12 90, E11 85 → ranks
1, 2, 3, 3, 5 (ties share the best rank). E15 (98) has left and is not ranked; E14 (99) is in 运营部.
The policy defines promotions on the skill track only (the management track's criteria are not in the
document's text), and the incident demotion for everyone below senior management: one rule on the whole
skill track, one on the management track below vice_president. Incidents count since the current level
began; excluded leave (marriage, maternity, bereavement) is excluded only up to 3 / 98 / 3 days.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from rungs.core.engine.evaluate import evaluate
from rungs.core.engine.report import to_json_obj
from rungs.core.evaluate_cli import main as evaluate_main
from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.parse import load_policy

from .support import crit, data_path, policy_path, result, run

AS_OF = dt.date(2026, 12, 1)
SCHEME = "dual-track-logistics"


@pytest.fixture(scope="module")
def out():
    return run(SCHEME, AS_OF)


def test_policy_loads_with_canonical_ids():
    p = load_policy(policy_path(SCHEME))
    assert p.id == SCHEME
    assert p.tracks["skill"].path == ("assistant", "junior", "intermediate", "senior", "expert")
    assert p.tracks["management"].path == (
        "assistant",
        "junior",
        "intermediate",
        "supervisor",
        "manager",
        "vice_president",
        "director",
    )
    assert p.procedure.windows == (12,)
    assert p.procedure.effective == "next_january"
    assert p.procedure.one_level_at_a_time is True
    assert {r.id for r in p.rules} == {
        "skill.assistant-junior",
        "skill.junior-intermediate",
        "skill.intermediate-senior",
        "skill.senior-expert",
        "incident-demotion",
        "management-incident-demotion",
    }
    management = next(r for r in p.rules if r.id == "management-incident-demotion")
    assert "vice_president" not in management.levels and "director" not in management.levels


def test_no_warnings(out):
    # tickets and amount both appear in metrics.csv; no grade scale is used.
    assert out["warnings"] == []


# -- assistant → junior ---------------------------------------------------------------------------


def test_assistant_eligible_at_exactly_six_months(out):
    # E03: 正式 → regular; hired 2026-06-01 → 2026-12-01 is exactly 6 months ≥ 6 → pass;
    # independent_operation attested 1 (2026-11-01) → = 1 → eligible for junior.
    r = result(out, "E03", "skill.assistant-junior")
    assert r["eligible"] is True
    assert (r["kind"], r["track"], r["from_level"], r["to_level"]) == (
        "promotion",
        "skill",
        "assistant",
        "junior",
    )
    assert crit(r, "regularized") == {**crit(r, "regularized"), "passed": True, "actual": "regular"}
    assert crit(r, "seniority") == {**crit(r, "seniority"), "passed": True, "actual": 6, "required": 6}
    assert crit(r, "independent_operation") == {
        **crit(r, "independent_operation"),
        "passed": True,
        "actual": 1,
    }


def test_assistant_on_probation_short_and_unattested(out):
    # E02: 试用 → probation ≠ regular; hired 2026-06-02 → 2026-11-02 is 5 whole months (day 1 < 2) → 5 < 6;
    # independent_operation never recorded → actual null → fails (never silently passed).
    r = result(out, "E02", "skill.assistant-junior")
    assert r["eligible"] is False
    assert crit(r, "regularized") == {**crit(r, "regularized"), "passed": False, "actual": "probation"}
    assert crit(r, "seniority") == {**crit(r, "seniority"), "passed": False, "actual": 5}
    assert crit(r, "independent_operation") == {
        **crit(r, "independent_operation"),
        "passed": False,
        "actual": None,
    }


def test_assistant_latest_attestation_counts(out):
    # E01: hired 2025-03-01 → 21 months ≥ 6, regular; independent_operation 1 (2026-01-10) then 0
    # (2026-10-10) → the latest is 0 ≠ 1 → fails, so not eligible although the rest passes.
    r = result(out, "E01", "skill.assistant-junior")
    assert r["eligible"] is False
    assert crit(r, "seniority")["actual"] == 21
    assert crit(r, "regularized")["passed"] is True
    assert crit(r, "independent_operation") == {
        **crit(r, "independent_operation"),
        "passed": False,
        "actual": 0,
    }


def test_assistants_are_subject_to_the_incident_demotion_too(out):
    # "everyone below senior management": assistants have a result, with nothing recorded → not triggered.
    for emp in ("E01", "E02", "E03"):
        r = result(out, emp, "incident-demotion")
        assert r["eligible"] is False
        assert [c["actual"] for c in r["criteria"]] == [0, 0, 0, 0]


# -- junior → intermediate ------------------------------------------------------------------------


def test_junior_eligible_at_exactly_twelve_months(out):
    # E04: junior since 2025-12-01 → exactly 12 months ≥ 12; mentored N-004 on 2026-06-01 → 1 ≥ 1;
    # commendations: customer 0, internal 1 (2026-09-01) → any passes with 1 of 2;
    # technical exam 50 (2026-05-01) then 72 (2026-10-20) → latest 72 ≥ 60 → eligible.
    r = result(out, "E04", "skill.junior-intermediate")
    assert r["eligible"] is True
    assert r["to_level"] == "intermediate"
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": True, "actual": 12, "required": 12}
    assert crit(r, "mentored")["actual"] == 1
    com = crit(r, "commendations")
    assert com["passed"] is True
    assert com["actual"] == 1
    customer, internal = com["criteria"]
    assert (customer["passed"], customer["actual"]) == (False, 0)
    assert (internal["passed"], internal["actual"]) == (True, 1)
    assert crit(r, "exam") == {**crit(r, "exam"), "passed": True, "actual": 72, "required": 60}


def test_junior_window_edges_and_latest_failed_exam(out):
    # E05: junior since 2026-01-01 → 11 months < 12; mentored 2025-11-30 is before 2025-12-01 → 0;
    # internal commendation 2025-11-15 (too old) and customer commendation dated 2026-12-01 (the
    # evaluation date itself, not before it) → 0 and 0 → any 0 of 2 → fails;
    # exam 75 (2026-04-01) then 58 (2026-10-15) → latest 58 < 60 → fails.
    r = result(out, "E05", "skill.junior-intermediate")
    assert r["eligible"] is False
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": False, "actual": 11}
    assert crit(r, "mentored") == {**crit(r, "mentored"), "passed": False, "actual": 0}
    com = crit(r, "commendations")
    assert (com["passed"], com["actual"]) == (False, 0)
    assert [c["actual"] for c in com["criteria"]] == [0, 0]
    assert crit(r, "exam") == {**crit(r, "exam"), "passed": False, "actual": 58}


def test_junior_transfer_keeps_the_stretch_and_missing_exam_fails(out):
    # E06: junior 2025-06-01 (物流客服部) then a transfer row at junior from 2026-03-01 (客服部) → one
    # stretch from 2025-06-01 → 18 months ≥ 12; mentored N-006 → 1; customer commendation C-601 → the
    # customer branch passes (1 of 2); technical exam never taken → actual null → not eligible.
    r = result(out, "E06", "skill.junior-intermediate")
    assert r["eligible"] is False
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": True, "actual": 18}
    assert crit(r, "mentored")["passed"] is True
    com = crit(r, "commendations")
    assert (com["passed"], com["actual"]) == (True, 1)
    customer, internal = com["criteria"]
    assert (customer["passed"], customer["actual"]) == (True, 1)
    assert (internal["passed"], internal["actual"]) == (False, 0)
    assert crit(r, "exam") == {**crit(r, "exam"), "passed": False, "actual": None}


# -- intermediate → senior ------------------------------------------------------------------------


def test_intermediate_all_twelve_conditions_met(out):
    # E07 (本科): intermediate since 2025-12-01 → 12 months ≥ 12 (本科 is not below 专科 → 12 applies);
    # education bachelor ≥ associate and hired 2024-06-01 → 30 months ≥ 30 → any 2 of 2;
    # leave in window: annual 10 + personal 5 + marriage 10 − 3 entitled = 7 → 22 (personal 5 on 2025-11-28
    # too old) → 22 < 23; office_skills 1; learning_ability 1; mentored 1; customer 1; reserve_cadre 1;
    # internal 1;
    # tickets 2025-12 … 2026-11 alternate 500/540 → mean 520 ≥ 500 (2025-11's 100 is outside the window);
    # no amount rows → null; any passes 1 of 2; 2025 score 95 → rank 1 ≤ 3; exam 80 ≥ 60 → eligible.
    r = result(out, "E07", "skill.intermediate-senior")
    assert r["eligible"] is True
    assert r["to_level"] == "senior"
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": True, "actual": 12, "required": 12}
    eos = crit(r, "education_or_seniority")
    assert (eos["passed"], eos["actual"]) == (True, 2)
    assert [c["actual"] for c in eos["criteria"]] == ["bachelor", 30]
    assert crit(r, "leave") == {**crit(r, "leave"), "passed": True, "actual": 22, "required": "< 23"}
    for cid in (
        "office_skills",
        "learning_ability",
        "mentored",
        "commendation_customer",
        "reserve_cadre",
        "commendation_internal",
    ):
        assert crit(r, cid) == {**crit(r, cid), "passed": True, "actual": 1}
    assert crit(r, "workload") == {**crit(r, "workload"), "passed": True, "actual": 1}
    assert crit(r, "workload.tickets") == {**crit(r, "workload.tickets"), "passed": True, "actual": 520}
    assert crit(r, "workload.amount") == {**crit(r, "workload.amount"), "passed": False, "actual": None}
    assert crit(r, "annual_rank") == {**crit(r, "annual_rank"), "passed": True, "actual": 1}
    assert crit(r, "exam")["actual"] == 80


def test_intermediate_below_associate_needs_18_months_and_leave_at_the_limit_fails(out):
    # E08 (中专, below 专科): intermediate since 2025-06-01 → exactly 18 months, required 18 → pass;
    # education fails but hired 2024-06-01 → exactly 30 months ≥ 30 → any 1 of 2 → pass;
    # leave: sick 13 + personal 10 = 23 (bereavement 3, within its 3-day entitlement, excluded) → 23 is not
    # < 23 → fails; learning_ability 1;
    # workload: tickets mean 450 < 500, amount 600,000/700,000 alternating → mean 650,000 ≥ 600,000 → pass
    # (就高不就低); 2025 score 90 tied with E12 → both rank 3 ≤ 3 → pass; exam exactly 60 ≥ 60 → pass.
    # Only the leave fails → not eligible.
    r = result(out, "E08", "skill.intermediate-senior")
    assert r["eligible"] is False
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": True, "actual": 18, "required": 18}
    eos = crit(r, "education_or_seniority")
    assert (eos["passed"], eos["actual"]) == (True, 1)
    edu, seniority = eos["criteria"]
    assert (edu["passed"], edu["actual"]) == (False, "secondary_vocational")
    assert (seniority["passed"], seniority["actual"]) == (True, 30)
    assert crit(r, "leave") == {**crit(r, "leave"), "passed": False, "actual": 23, "required": "< 23"}
    assert crit(r, "workload.tickets") == {**crit(r, "workload.tickets"), "passed": False, "actual": 450}
    assert crit(r, "workload.amount") == {**crit(r, "workload.amount"), "passed": True, "actual": 650000}
    assert crit(r, "workload")["passed"] is True
    assert crit(r, "annual_rank") == {**crit(r, "annual_rank"), "passed": True, "actual": 3}
    assert crit(r, "exam") == {**crit(r, "exam"), "passed": True, "actual": 60}
    assert [c["id"] for c in r["criteria"] if not c["passed"]] == ["leave"]


def test_intermediate_missing_data_fails_with_null(out):
    # E09 (高中): intermediate since 2025-09-01 → 15 months < 18 (the 12 would have passed);
    # education fails and hired 2024-09-01 → 27 months < 30 → any 0 of 2; no leave → 0 < 23 passes;
    # office_skills and learning_ability never recorded → null; no events → counts 0; no tickets/amount at all → both windows
    # null → workload 0 of 2; no annual score → rank null; exam never taken → null.
    r = result(out, "E09", "skill.intermediate-senior")
    assert r["eligible"] is False
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": False, "actual": 15, "required": 18}
    eos = crit(r, "education_or_seniority")
    assert (eos["passed"], eos["actual"]) == (False, 0)
    assert [c["actual"] for c in eos["criteria"]] == ["high_school", 27]
    assert crit(r, "leave") == {**crit(r, "leave"), "passed": True, "actual": 0}
    assert crit(r, "office_skills") == {**crit(r, "office_skills"), "passed": False, "actual": None}
    assert crit(r, "learning_ability") == {**crit(r, "learning_ability"), "passed": False, "actual": None}
    for cid in ("mentored", "commendation_customer", "reserve_cadre", "commendation_internal"):
        assert crit(r, cid) == {**crit(r, cid), "passed": False, "actual": 0}
    assert crit(r, "workload") == {**crit(r, "workload"), "passed": False, "actual": 0}
    assert crit(r, "workload.tickets") == {**crit(r, "workload.tickets"), "passed": False, "actual": None}
    assert crit(r, "workload.amount") == {**crit(r, "workload.amount"), "passed": False, "actual": None}
    assert crit(r, "annual_rank") == {**crit(r, "annual_rank"), "passed": False, "actual": None}
    assert crit(r, "exam") == {**crit(r, "exam"), "passed": False, "actual": None}


def test_blank_education_gets_the_longer_tenure(tmp_path):
    # E09 and E07 with their education removed: "专科以下满18个月" cannot be ruled out, so 18 months apply.
    # E09: 15 months < 18 → fails as before; E07 (12 months, which passed with 本科) now fails too;
    # the education criterion itself fails with actual null.
    folder = tmp_path / "data"
    shutil.copytree(data_path(SCHEME), folder)
    people = folder / "employees.csv"
    lines = people.read_text(encoding="utf-8").splitlines()
    blanked = [
        line.replace(",高中,", ",,").replace(",本科,", ",,") if line[:4] in ("E09,", "E07,") else line
        for line in lines
    ]
    people.write_text("\n".join(blanked) + "\n", encoding="utf-8")
    data = read_dataset(folder)
    obj = to_json_obj(evaluate(load_policy(policy_path(SCHEME)), data, AS_OF), "en")
    for eid, months in (("E09", 15), ("E07", 12)):
        r = result(obj, eid, "skill.intermediate-senior")
        assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": False, "actual": months, "required": 18}
        edu = crit(r, "education_or_seniority.education")
        assert (edu["passed"], edu["actual"]) == (False, None)


def test_rank_is_within_the_department(out):
    # E14 (运营部, 本科): intermediate since 2023-01-01 → 47 months; 2025 score 99 → alone in 运营部 → rank 1.
    r = result(out, "E14", "skill.intermediate-senior")
    assert crit(r, "annual_rank") == {**crit(r, "annual_rank"), "passed": True, "actual": 1}
    assert crit(r, "tenure")["actual"] == 47
    assert r["eligible"] is False  # no office_skills, no events, no workload, no exam


# -- senior → expert ------------------------------------------------------------------------------


def test_senior_eligible_with_two_distinct_customers(out):
    # E10 (大专): senior since 2024-12-01 → exactly 24 months ≥ 24; associate ≥ associate;
    # leave personal 22 < 23; office_visio, major_exception_handling, client_engagement, led_training all 1;
    # customer commendations C-201, C-202 → 2 distinct ≥ 2; reserve_cadre on 2025-12-01 (exactly 12 months
    # before, D − 12 months ≤ date) → 1; internal 2 ≥ 2; tickets mean 300 < 500, amount 600,000 every month
    # → mean exactly 600,000 ≥ 600,000 (the 2026-12 row of 0 is an incomplete month, ignored);
    # exam 66 ≥ 60; 2025 score 93 → rank 2 ≤ 3 → eligible.
    r = result(out, "E10", "skill.senior-expert")
    assert r["eligible"] is True
    assert (r["from_level"], r["to_level"]) == ("senior", "expert")
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": True, "actual": 24, "required": 24}
    assert crit(r, "education") == {**crit(r, "education"), "passed": True, "actual": "associate"}
    assert crit(r, "leave") == {**crit(r, "leave"), "passed": True, "actual": 22}
    for cid in ("office_visio", "major_exception_handling", "client_engagement", "led_training"):
        assert crit(r, cid) == {**crit(r, cid), "passed": True, "actual": 1}
    assert crit(r, "commendation_customer") == {
        **crit(r, "commendation_customer"),
        "passed": True,
        "actual": 2,
    }
    assert crit(r, "reserve_cadre") == {**crit(r, "reserve_cadre"), "passed": True, "actual": 1}
    assert crit(r, "commendation_internal") == {
        **crit(r, "commendation_internal"),
        "passed": True,
        "actual": 2,
    }
    assert crit(r, "workload.tickets") == {**crit(r, "workload.tickets"), "passed": False, "actual": 300}
    assert crit(r, "workload.amount") == {**crit(r, "workload.amount"), "passed": True, "actual": 600000}
    assert crit(r, "exam")["actual"] == 66
    assert crit(r, "annual_rank") == {**crit(r, "annual_rank"), "passed": True, "actual": 2}


def test_senior_fails_every_side(out):
    # E11 (高中): senior since 2025-01-01 → 23 months < 24; high_school < associate;
    # leave: maternity 60 excluded, sick 5 + a leave of 3 days without a stated kind (not an excluded
    # kind, so it counts) → 8 < 23 passes; office_visio never recorded → null; led_training attested 0;
    # three commendations all from customer C-301 → 1 distinct < 2; training ref new_hire_trainer is not
    # reserve_cadre → 0; internal 1 < 2; tickets 400 < 500 and amount 500,000 < 600,000 → workload 0 of 2;
    # exam 59 < 60; 2025 score 85 → rank 5 (95, 93, 90, 90, 85 → 1, 2, 3, 3, 5) > 3. Its 2026 score 99 is
    # for an incomplete year and is ignored.
    r = result(out, "E11", "skill.senior-expert")
    assert r["eligible"] is False
    assert crit(r, "tenure") == {**crit(r, "tenure"), "passed": False, "actual": 23}
    assert crit(r, "education") == {**crit(r, "education"), "passed": False, "actual": "high_school"}
    assert crit(r, "leave") == {**crit(r, "leave"), "passed": True, "actual": 8}
    assert crit(r, "office_visio") == {**crit(r, "office_visio"), "passed": False, "actual": None}
    assert crit(r, "major_exception_handling")["passed"] is True
    assert crit(r, "client_engagement")["passed"] is True
    assert crit(r, "led_training") == {**crit(r, "led_training"), "passed": False, "actual": 0}
    assert crit(r, "commendation_customer") == {
        **crit(r, "commendation_customer"),
        "passed": False,
        "actual": 1,
    }
    assert crit(r, "reserve_cadre") == {**crit(r, "reserve_cadre"), "passed": False, "actual": 0}
    assert crit(r, "commendation_internal") == {
        **crit(r, "commendation_internal"),
        "passed": False,
        "actual": 1,
    }
    assert crit(r, "workload") == {**crit(r, "workload"), "passed": False, "actual": 0}
    assert crit(r, "workload.tickets")["actual"] == 400
    assert crit(r, "workload.amount")["actual"] == 500000
    assert crit(r, "exam") == {**crit(r, "exam"), "passed": False, "actual": 59}
    assert crit(r, "annual_rank") == {**crit(r, "annual_rank"), "passed": False, "actual": 5}


def test_left_employee_is_neither_evaluated_nor_ranked(out):
    # E15 has left (离职): no results; its 2025 score 98 would otherwise push E07 to rank 2 and E08 to 4.
    assert not any(r["employee_id"] == "E15" for r in out["results"])
    assert crit(result(out, "E07", "skill.intermediate-senior"), "annual_rank")["actual"] == 1


def test_top_of_skill_track_and_management_only_have_no_promotion(out):
    # E12 is expert, the top of the skill path; E13 holds only a management post (supervisor), for which
    # the policy defines no promotion → only the management incident demotion.
    assert not any(r["employee_id"] == "E12" and r["kind"] == "promotion" for r in out["results"])
    assert [r["rule"] for r in out["results"] if r["employee_id"] == "E13"] == [
        "management-incident-demotion"
    ]


# -- demotion -------------------------------------------------------------------------------------


def test_demotion_by_major_incident(out):
    # E12 (expert since 2023-01-01): major_incident 2026-03-01 since the level began → 1 ≥ 1 → triggered
    # (match: any).
    r = result(out, "E12", "incident-demotion")
    assert r["kind"] == "demotion"
    assert r["eligible"] is True
    assert crit(r, "major_incident") == {**crit(r, "major_incident"), "passed": True, "actual": 1}
    assert crit(r, "major_complaint") == {**crit(r, "major_complaint"), "passed": False, "actual": 0}


def test_incidents_count_since_the_level_began_not_12_months(out):
    # E10 (senior since 2024-12-01): major_incident on 2025-11-30 is more than 12 months ago but after the
    # level began → 1 → triggered (under a 12-month window it was not).
    r = result(out, "E10", "incident-demotion")
    assert r["eligible"] is True
    assert crit(r, "major_incident")["actual"] == 1
    # E04 (junior since 2025-12-01): red_line on 2025-11-01, before the level began → 0 → not triggered.
    r = result(out, "E04", "incident-demotion")
    assert r["eligible"] is False
    assert crit(r, "red_line") == {**crit(r, "red_line"), "passed": False, "actual": 0}


def test_only_a_major_complaint_triggers(out):
    # E09: complaint ref major on 2026-10-10 (intermediate since 2025-09-01) → 1 → triggered;
    # E08: an ordinary complaint (no ref) on 2025-12-01 → major_complaint 0 → not triggered.
    r = result(out, "E09", "incident-demotion")
    assert r["eligible"] is True
    assert crit(r, "major_complaint") == {**crit(r, "major_complaint"), "passed": True, "actual": 1}
    r = result(out, "E08", "incident-demotion")
    assert r["eligible"] is False
    assert crit(r, "major_complaint")["actual"] == 0


def test_red_line_and_circulated_notice_on_both_tracks(out):
    # E06 (junior since 2025-06-01, the transfer of 2026-03-01 keeps the stretch): red_line 2026-08-01 → 1
    # → triggered. E13 (management supervisor since 2022-01-01): circulated_notice 2026-05-01 → 1 →
    # triggered by the management-track rule.
    r = result(out, "E06", "incident-demotion")
    assert (r["eligible"], crit(r, "red_line")["actual"]) == (True, 1)
    r = result(out, "E13", "management-incident-demotion")
    assert (r["kind"], r["track"], r["from_level"]) == ("demotion", "management", "supervisor")
    assert r["eligible"] is True
    assert crit(r, "circulated_notice") == {**crit(r, "circulated_notice"), "passed": True, "actual": 1}


def test_demotion_subjects(out):
    # The skill rule covers every skill level held by active employees: E01–E12 and E14; the management
    # rule covers E13 only. Nothing is recorded for E01–E03, E05, E07, E11, E14.
    subjects = sorted(r["employee_id"] for r in out["results"] if r["rule"] == "incident-demotion")
    assert subjects == [f"E{i:02d}" for i in range(1, 13)] + ["E14"]
    for emp in ("E01", "E02", "E03", "E05", "E07", "E11", "E14"):
        assert result(out, emp, "incident-demotion")["eligible"] is False


# -- excluded leave beyond the entitlement -------------------------------------------------------


def test_marriage_leave_beyond_the_entitlement_counts(tmp_path):
    # E07's marriage leave made 11 days instead of 10: annual 10 + personal 5 + (11 − 3) = 23 → not < 23 →
    # the leave fails and E07 is no longer eligible (with the whole marriage leave excluded it would be 15).
    data = tmp_path / "data"
    shutil.copytree(data_path(SCHEME), data)
    events = (data / "events.csv").read_text(encoding="utf-8")
    (data / "events.csv").write_text(
        events.replace("E07,2026-05-01,leave,10,", "E07,2026-05-01,leave,11,"), "utf-8"
    )
    obj = to_json_obj(evaluate(load_policy(policy_path(SCHEME)), read_dataset(data), AS_OF), "en")
    r = result(obj, "E07", "skill.intermediate-senior")
    assert crit(r, "leave") == {**crit(r, "leave"), "passed": False, "actual": 23}
    assert r["eligible"] is False


# -- a metric the data set never mentions ---------------------------------------------------------


def test_metric_never_mentioned_is_a_warning_and_fails(tmp_path):
    # Without any amount rows, amount is reported as missing; E10's workload then rests on tickets (mean
    # 300 < 500) and amount (null) → 0 of 2 → E10 is no longer eligible.
    data = tmp_path / "data"
    shutil.copytree(data_path(SCHEME), data)
    lines = (data / "metrics.csv").read_text(encoding="utf-8").splitlines()
    (data / "metrics.csv").write_text(
        "\n".join(line for line in lines if ",amount," not in line) + "\n", encoding="utf-8"
    )
    obj = to_json_obj(evaluate(load_policy(policy_path(SCHEME)), read_dataset(data), AS_OF), "en")
    assert len(obj["warnings"]) == 1
    assert "amount" in obj["warnings"][0]
    r = result(obj, "E10", "skill.senior-expert")
    assert r["eligible"] is False
    assert crit(r, "workload.amount") == {**crit(r, "workload.amount"), "passed": False, "actual": None}
    assert crit(r, "workload")["actual"] == 0


# -- the `rungs evaluate` command -----------------------------------------------------------------


def _cli(capsys, fmt: str) -> tuple[int, str]:
    code = evaluate_main(
        [
            "--policy",
            str(policy_path(SCHEME)),
            "--data",
            str(data_path(SCHEME)),
            "--as-of",
            "2026-12-01",
            "--format",
            fmt,
        ]
    )
    return code, capsys.readouterr().out


def _walk(criteria):
    for c in criteria:
        yield c
        yield from _walk(c.get("criteria", []))


def test_cli_json_follows_the_contract(capsys):
    code, text = _cli(capsys, "json")
    assert code == 0
    obj = json.loads(text)
    assert obj["policy"] == SCHEME
    assert obj["as_of"] == "2026-12-01"
    results = obj["results"]
    # 3 assistants + 3 juniors + 4 intermediates + 2 seniors promotions, 13 skill demotion subjects and
    # one management demotion subject (E13).
    assert len(results) == 26
    for r in results:
        assert {"employee_id", "kind", "track", "from_level", "to_level", "eligible", "criteria"} <= r.keys()
        assert isinstance(r["eligible"], bool)
        for c in _walk(r["criteria"]):
            assert {"id", "label", "passed", "actual", "required"} <= c.keys()
            assert isinstance(c["passed"], bool)
            if c["actual"] is None:
                assert c["passed"] is False  # missing data is never silently passed
    eligible = sorted(
        (r["employee_id"], r["rule"]) for r in results if r["kind"] == "promotion" and r["eligible"]
    )
    assert eligible == [
        ("E03", "skill.assistant-junior"),
        ("E04", "skill.junior-intermediate"),
        ("E07", "skill.intermediate-senior"),
        ("E10", "skill.senior-expert"),
    ]
    triggered = sorted(r["employee_id"] for r in results if r["kind"] == "demotion" and r["eligible"])
    assert triggered == ["E06", "E09", "E10", "E12", "E13"]
    # Labels default to Chinese; the contract example's shape for one criterion.
    r = result(obj, "E08", "skill.intermediate-senior")
    leave = crit(r, "leave")
    assert leave == {
        "id": "leave",
        "label": "近12个月请假少于23天(婚产丧假在规定假期内除外)",
        "passed": False,
        "actual": 23,
        "required": "< 23",
    }
    assert crit(r, "tenure")["label"] == "任中级满12个月(专科以下满18个月)"


def test_cli_table_in_chinese_with_eligible_first(capsys):
    code, text = _cli(capsys, "table")
    assert code == 0
    assert "客服人员晋升通道及管理办法(试行)" in text
    assert "【晋升】客服助理 → 初级客服专员" in text
    assert "【降级】重大事故、重大客诉、红头文件通报或触犯高压线：降级/免职/调岗" in text
    assert "入职满6个月 (5 / 6)" in text  # E02's missing criterion with actual / required
    assert "无数据" in text  # a null actual
    sections = text.split("【")[1:]
    assert len(sections) == 6
    for section in sections:
        rows = [line.split() for line in section.splitlines()[2:] if line.startswith("E")]
        verdicts = [row[2] for row in rows]
        hits = [v in ("符合", "触发") for v in verdicts]
        assert hits == sorted(hits, reverse=True), section  # eligible / triggered first
        assert any(hits)
    # E03 (eligible) is listed before E01 and E02; E06, E09, E10, E12 (triggered) before E04.
    assistants = sections[0]
    assert assistants.index("E03") < assistants.index("E01") < assistants.index("E02")
    demotion = sections[4]
    assert demotion.index("E12") < demotion.index("E04")


def test_a_data_set_of_another_scheme_is_named_not_silently_empty():
    # star-titles' data has tracks position/title (levels agent, assistant, manager; star1–star4), which the
    # dual-track policy (tracks skill, management) does not know: nobody is evaluated, and each is named.
    ev = evaluate(load_policy(policy_path(SCHEME)), read_dataset(data_path("star-titles")), AS_OF)
    named = {w.split()[1] for w in ev.warnings if w.startswith("通道/职级")}
    assert named == {
        "position/agent",
        "position/assistant",
        "position/manager",
        "title/star1",
        "title/star2",
        "title/star3",
        "title/star4",
    }
    assert all(r.frame.is_empty() for r in ev.results)
