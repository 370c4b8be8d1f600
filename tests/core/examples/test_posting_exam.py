"""posting-exam (客服中心员工晋升制度): expectations worked out by hand from SEEDS.md.

agent → supervisor: ≥ 12 months in the company; supervisor → manager: ≥ 24 months as supervisor. Both need
a vacancy of the target level (positions.csv headcount minus current holders > 0) and the exams `theory`,
`practical`, `interview` passed at 60 (latest attempt made at the current level).
positions.csv: supervisor 4 posts, manager 1 post. Holders: supervisors P05, P06, P07; manager P08 until
2026-08-31.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import crit, policy_path, result, run

JUNE, SEPT = dt.date(2026, 6, 1), dt.date(2026, 9, 1)
UP1, UP2 = "agent-supervisor", "supervisor-manager"


@pytest.fixture(scope="module")
def june() -> dict:
    return run("posting-exam", JUNE)


@pytest.fixture(scope="module")
def sept() -> dict:
    return run("posting-exam", SEPT)


def check(res: dict, expected: dict[str, tuple[bool, object]]) -> None:
    got = {cid: (crit(res, cid)["passed"], crit(res, cid)["actual"]) for cid in expected}
    assert got == expected


def test_it_loads_with_the_canonical_ids_and_the_approval_chain():
    policy = load_policy(policy_path("posting-exam"))
    assert policy.id == "posting-exam"
    assert policy.tracks["post"].path == ("agent", "supervisor", "manager")
    (auth,) = policy.procedure.authority
    # SEEDS.md: the supervisor nominates → department manager → director → HR review → general manager
    assert (auth.proposes, auth.reviews) == ("supervisor", ("department_manager",))
    assert [s.roles for s in auth.approves] == [("director",), ("hr",), ("general_manager",)]


def test_agent_with_everything_passed(june):
    # P01 hired 2025-03-10 → 2026-06-01: 15 steps, 10 > 1 → 14 months ≥ 12 → pass. Supervisor posts:
    # 4 − 3 holders = 1 > 0 → pass. theory 75, practical 68, interview 80, all ≥ 60 → eligible.
    res = result(june, "P01", UP1)
    assert res["eligible"] is True
    check(
        res,
        {
            "company_tenure": (True, 14),
            "vacancy": (True, 1),
            "theory": (True, 75),
            "practical": (True, 68),
            "interview": (True, 80),
        },
    )


def test_agent_just_short_of_a_year(june, sept):
    # P02 hired 2025-06-02 → 2026-06-01: 12 steps, 2 > 1 → 11 months < 12 → fail, although every exam passed.
    res = result(june, "P02", UP1)
    assert res["eligible"] is False
    check(
        res,
        {
            "company_tenure": (False, 11),
            "theory": (True, 82),
            "practical": (True, 77),
            "interview": (True, 70),
        },
    )
    # By 2026-09-01: 15 steps, 2 > 1 → 14 months → pass → eligible.
    res = result(sept, "P02", UP1)
    assert res["eligible"] is True
    check(res, {"company_tenure": (True, 14)})


def test_agent_below_the_theory_pass_mark_and_no_interview(june):
    # P03: theory 58 < 60 → fail; practical 70 → pass; never interviewed → null → fail.
    # Hired 2023-04-01 → 38 months → pass.
    res = result(june, "P03", UP1)
    assert res["eligible"] is False
    check(
        res,
        {
            "company_tenure": (True, 38),
            "theory": (False, 58),
            "practical": (True, 70),
            "interview": (False, None),
        },
    )


def test_agent_at_the_pass_mark_after_a_resit_but_failed_interview(june):
    # P04: theory 60 = pass mark → pass; practical 55 (2026-04-08) then 66 (2026-05-13): the latest
    # counts → pass; interview 59 < 60 → fail. Hired 2024-01-15: 29 steps, 15 > 1 → 28 months.
    res = result(june, "P04", UP1)
    assert res["eligible"] is False
    check(
        res,
        {
            "company_tenure": (True, 28),
            "theory": (True, 60),
            "practical": (True, 66),
            "interview": (False, 59),
        },
    )


def test_supervisor_qualified_waits_for_a_manager_vacancy(june, sept):
    # P05 supervisor since 2024-05-01 → 2026-06-01 = 25 months ≥ 24 → pass; exams taken as supervisor
    # theory 80, practical 75, interview 85 → pass. On 2026-06-01 the one manager post is held by P08
    # → 1 − 1 = 0 → no vacancy → not eligible.
    res = result(june, "P05", UP2)
    assert res["eligible"] is False
    check(
        res,
        {
            "post_tenure": (True, 25),
            "vacancy": (False, 0),
            "theory": (True, 80),
            "practical": (True, 75),
            "interview": (True, 85),
        },
    )
    # P08's manager assignment ends 2026-08-31, so on 2026-09-01: 1 − 0 = 1 vacancy → eligible
    # (tenure 2024-05-01 → 2026-09-01 = 28 months).
    res = result(sept, "P05", UP2)
    assert res["eligible"] is True
    check(res, {"post_tenure": (True, 28), "vacancy": (True, 1)})


def test_supervisor_exams_from_the_earlier_posting_do_not_count(june, sept):
    # P06 supervisor since 2024-07-01 → 23 months < 24 → fail on 2026-06-01. Its only exams (theory 88,
    # practical 82, interview 90) were taken in May/June 2024 for the supervisor posting, before the
    # supervisor level began → none at this level → null → fail.
    check(
        result(june, "P06", UP2),
        {
            "post_tenure": (False, 23),
            "theory": (False, None),
            "practical": (False, None),
            "interview": (False, None),
        },
    )
    # On 2026-09-01: 26 months → pass, vacancy 1 → pass, but still no exams at this level → not eligible.
    res = result(sept, "P06", UP2)
    assert res["eligible"] is False
    check(res, {"post_tenure": (True, 26), "vacancy": (True, 1), "theory": (False, None)})


def test_supervisor_failing_the_practical_exam(sept):
    # P07 supervisor since 2023-09-01 → 2026-09-01 = 36 months → pass; theory 72 → pass; practical 50
    # < 60 → fail; interview 60 = pass mark → pass.
    res = result(sept, "P07", UP2)
    assert res["eligible"] is False
    check(
        res,
        {"post_tenure": (True, 36), "theory": (True, 72), "practical": (False, 50), "interview": (True, 60)},
    )


def test_the_manager_is_at_the_top(june, sept):
    # P08 is manager (top of the path) in June and holds no post on 2026-09-01 → no results.
    assert [r for r in june["results"] + sept["results"] if r["employee_id"] == "P08"] == []


def test_interviewees_are_picked_by_written_score_in_the_procedure():
    # SEEDS.md: the hiring department picks the interviewees from the written results; the shortlist is a
    # procedure step after both written exams and before the interview.
    steps = load_policy(policy_path("posting-exam")).procedure.steps
    shortlist = steps.index("interview_shortlist_by_written_score")
    assert steps.index("theory_exam") < shortlist and steps.index("practical_exam") < shortlist
    assert shortlist < steps.index("interview")
