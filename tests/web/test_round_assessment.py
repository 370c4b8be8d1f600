"""The assessment stage of a round, driven by the policy's procedure.assessment (SEEDS.md):

- posting-exam: "the hiring department picks the interviewees from the written results (ranked by written
  score)" — the policy: theory + practical, each ≥ 60, ties by the higher practical, 3 per post; an
  interview score is recorded only for them.
- dual-track-logistics: the selection panel's composite, business results 40% + test scores 30% + annual
  appraisal 30% (the policy's weights).
- game-company-rules: priority = the number of priority conditions met; ties keep the assessment order.

The candidacies are put past the qualification review directly (the review is tested in test_rounds);
expected values are worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rungs.audit.models import AuditEntry
from rungs.people.models import Assignment, Department, Employee
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.promotions import assessment
from rungs.promotions.models import Candidacy
from rungs.promotions.services import StepRefused, assessment_record, round_open
from rungs.records.models import Event

POLICIES = Path(__file__).resolve().parents[2] / "examples" / "policies"
User = get_user_model()
D = dt.date
S = Candidacy.State


def setup_round(scheme, track, from_level, to_level, people, number=1, events=()):
    """A company-wide round for `number` posts at `to_level`, its candidates past the review."""
    dept = Department.objects.create(name="客服部")
    hr = User.objects.create(username="hr", role="hr")
    staff = []
    for code, name in people:
        e = Employee.objects.create(
            employee_id=code, name=name, hire_date=D(2023, 1, 1), department=dept, status="regular"
        )
        Assignment.objects.create(
            employee=e, track=track, level=from_level, start_date=D(2024, 1, 1), kind="hire"
        )
        staff.append(e)
    for code, ref in events:
        Event.objects.create(
            employee=Employee.objects.get(employee_id=code),
            date=D(2026, 6, 1),
            type="attestation",
            ref=ref,
            value=1,
        )
    text = (POLICIES / f"{scheme}.yaml").read_text(encoding="utf-8")
    policy = policy_create(text=text, filename=f"{scheme}.yaml", actor=hr)
    evaluation_run_start(policy=policy, as_of=D(2026, 9, 1), actor=hr)
    rnd = round_open(
        policy=policy,
        name="晋升评审",
        kind="posting",
        posts=[{"track": track, "level": to_level, "number": number}],
        actor=hr,
    )
    cands = {
        e.employee_id: Candidacy.objects.create(
            round=rnd,
            employee=e,
            track=track,
            from_level=from_level,
            to_level=to_level,
            route="applied",
            state=S.QUALIFIED,
        )
        for e in staff
    }
    return hr, rnd, cands


def scores(c):
    c.refresh_from_db()
    return c.assessment


# ---- posting-exam: the interview shortlist ----------------------------------------------------------

POSTING = [("P1", "甲一"), ("P2", "乙二"), ("P3", "丙三"), ("P4", "丁四"), ("P5", "戊五")]


@pytest.fixture
def posting(db):
    return setup_round("posting-exam", "post", "agent", "supervisor", POSTING)


@pytest.mark.django_db
def test_the_interview_waits_for_every_written_score_and_takes_only_the_shortlist(posting):
    hr, rnd, c = posting
    assessment_record(round=rnd, scores={"P1": {"theory": "80", "practical": "75"}}, actor=hr)
    # the shortlist is not decided while 乙二 … 戊五 have no written scores
    with pytest.raises(
        StepRefused, match="还有候选人没有笔试成绩（乙二、丙三、丁四、戊五），面试名单尚未确定"
    ):
        assessment_record(round=rnd, scores={"P1": {"interview": "88"}}, actor=hr)
    # by label as well as by name: 理论考核 = theory, 实践考核 = practical
    assessment_record(
        round=rnd,
        scores={
            "P2": {"理论考核": "70", "实践考核": "85"},  # 155, practical 85 > 75 → 1st, 甲一 2nd
            "P3": {"theory": "90", "practical": "55"},  # 145 but practical 55 < 60
            "P4": {"theory": "72", "practical": "70"},  # 142 → 4th in the written order, 3rd who passed
            "P5": {"theory": "65", "practical": "70"},  # 135 → 5th
        },
        actor=hr,
    )
    assert scores(c["P2"]) == {"theory": "70", "practical": "85"}
    entries = AuditEntry.objects.filter(action="round.assess").count()
    with pytest.raises(
        StepRefused, match=r"戊五 未进入面试名单（笔试成绩排名第 5，面试名额 3 人），不能录入“面试”成绩"
    ):
        assessment_record(round=rnd, scores={"P1": {"interview": "88"}, "P5": {"面试": "95"}}, actor=hr)
    with pytest.raises(StepRefused, match="丙三 未进入面试名单（笔试成绩未达到 60 分）"):
        assessment_record(round=rnd, scores={"P3": {"interview": "90"}}, actor=hr)
    assert "interview" not in scores(c["P1"])  # one refused score stores none of the batch
    assert AuditEntry.objects.filter(action="round.assess").count() == entries

    assessment_record(
        round=rnd,
        scores={"P1": {"interview": "88"}, "P2": {"interview": "75"}, "P4": {"面试": "81"}},
        actor=hr,
    )
    assert scores(c["P4"])["interview"] == "81"
    # 戊五's written scores raised to 80 + 80 = 160 would put 戊五 first and push 丁四 (interviewed) out
    with pytest.raises(
        StepRefused, match="按这些笔试成绩，丁四 将不在面试名单中（笔试成绩排名第 5，面试名额 3 人）"
    ):
        assessment_record(round=rnd, scores={"P5": {"theory": "80", "practical": "80"}}, actor=hr)

    standing = assessment.by_candidacy(assessment.standings(rnd))
    assert {code: (standing[x.pk].position, standing[x.pk].shortlisted) for code, x in c.items()} == {
        "P2": (1, True),
        "P1": (2, True),
        "P3": (3, False),
        "P4": (4, True),
        "P5": (5, False),
    }


@pytest.mark.django_db
def test_a_score_the_policy_does_not_name_is_refused(posting):
    hr, rnd, c = posting
    with pytest.raises(
        StepRefused,
        match="“笔试”不是本制度的考核项目，应为：理论考核（theory）、实践考核（practical）、面试（interview）",
    ):
        assessment_record(round=rnd, scores={"P1": {"笔试": "80"}}, actor=hr)
    assert scores(c["P1"]) == {}


@pytest.mark.django_db
def test_the_board_shows_the_shortlist_in_written_order(posting, client):
    hr, rnd, c = posting
    assessment_record(
        round=rnd,
        scores={
            "P1": {"theory": "80", "practical": "75"},
            "P2": {"theory": "70", "practical": "85"},
            "P3": {"theory": "90", "practical": "55"},
            "P4": {"theory": "72", "practical": "70"},
            "P5": {"theory": "65", "practical": "70"},
        },
        actor=hr,
    )
    client.force_login(hr)
    html = client.get(f"/rounds/{rnd.pk}/").content.decode()
    board = html[html.index('id="assessment-board"') :]
    order = [board.index(f'data-employee="{code}"') for code in ("P2", "P1", "P3", "P4", "P5")]
    assert order == sorted(order)
    assert "面试名额 3 人" in board and "笔试未合格" in board and "未进入面试" in board


def interviewed(hr, rnd):
    """The written scores of test_the_interview_waits_… (甲一 155 2nd, 乙二 155 1st, 丙三 under 60, 丁四 142
    4th but 3rd who passed, 戊五 135 5th), and the interviews of the shortlist: 乙二, 甲一, 丁四."""
    written = {
        "P1": {"theory": "80", "practical": "75"},
        "P2": {"theory": "70", "practical": "85"},
        "P3": {"theory": "90", "practical": "55"},
        "P4": {"theory": "72", "practical": "70"},
        "P5": {"theory": "65", "practical": "70"},
    }
    assessment_record(round=rnd, scores=written, actor=hr)
    interviews = {"P1": {"interview": "88"}, "P2": {"interview": "75"}, "P4": {"interview": "81"}}
    assessment_record(round=rnd, scores=interviews, actor=hr)


def board_html(client, user, rnd):
    client.force_login(user)
    return client.get(f"/rounds/{rnd.pk}/").content.decode()


@pytest.mark.django_db
def test_a_late_candidate_without_written_scores_puts_the_interviewed_shortlist_in_doubt_and_says_so(
    posting, client
):
    hr, rnd, c = posting
    interviewed(hr, rnd)
    assert "interview-note" not in board_html(client, hr, rnd)  # all three interviewed are on the list
    # 己六 passes the review after the interviews: the shortlist is not decided until they have scores
    late = Employee.objects.create(
        employee_id="P6", name="己六", hire_date=D(2023, 1, 1), department=c["P1"].employee.department
    )
    Assignment.objects.create(
        employee=late, track="post", level="agent", start_date=D(2024, 1, 1), kind="hire"
    )
    Candidacy.objects.create(
        round=rnd, employee=late, track="post", from_level="agent", to_level="supervisor", route="applied",
        state=S.QUALIFIED,
    )  # fmt: skip
    notes = assessment.interview_notes(assessment.standings(rnd), assessment.rules(rnd))
    doubt = "已参加面试；有候选人尚无笔试成绩，面试名单待重新确定。"
    assert notes == {c["P1"].pk: doubt, c["P2"].pk: doubt, c["P4"].pk: doubt}  # 丙三, 戊五: not interviewed
    html = board_html(client, hr, rnd)
    board = html[html.index('id="assessment-board"') :]
    assert board.count(f'<small class="interview-note">{doubt}</small>') == 3
    assert f'<span class="interview-note">{doubt}</span>' in html[: html.index('id="assessment-board"')]
    # 己六's written scores 60 + 60 = 120, 6th: the shortlist is decided again, the same three
    assessment_record(round=rnd, scores={"P6": {"theory": "60", "practical": "60"}}, actor=hr)
    assert assessment.interview_notes(assessment.standings(rnd), assessment.rules(rnd)) == {}
    assert "interview-note" not in board_html(client, hr, rnd)


@pytest.mark.django_db
def test_an_interviewed_candidate_off_the_shortlist_is_told_why_in_chinese_and_english(posting, client):
    from django.utils import translation

    hr, rnd, c = posting
    interviewed(hr, rnd)
    # the service refuses written scores that push an interviewed candidate off (test above); scores stored
    # otherwise (by hand in the database, or before that check) can still do it: 戊五 80 + 80 = 160 goes
    # first, and 丁四 (142, interviewed) falls to 5th of the written order, the 4th of those who passed
    Candidacy.objects.filter(pk=c["P5"].pk).update(assessment={"theory": "80", "practical": "80"})
    results, rules = assessment.standings(rnd), assessment.rules(rnd)
    assert assessment.interview_notes(results, rules) == {
        c["P4"].pk: "已参加面试，但按现有笔试成绩已不在面试名单中（笔试成绩排名第 5，面试名额 3 人）。"
    }
    with translation.override("en"):
        assert assessment.interview_notes(results, rules) == {
            c["P4"].pk: "Interviewed, but no longer on the interview shortlist by the written scores as they"
            " stand (written score ranked 5, 3 interview places)."
        }
    html = board_html(client, hr, rnd)
    row = html[html.index('<tr data-employee="P4">', html.index('id="assessment-board"')) :]
    row = row[: row.index("</tr>")]
    assert "未进入面试" in row and "已不在面试名单中（笔试成绩排名第 5，面试名额 3 人）" in row


# ---- dual-track-logistics: the selection panel's composite -----------------------------------------

PANEL = [("L1", "钱一"), ("L2", "孙二"), ("L3", "李三")]


@pytest.mark.django_db
def test_the_composite_is_weighed_by_the_policys_proportions_and_orders_the_post(db, client):
    hr, rnd, c = setup_round("dual-track-logistics", "skill", "junior", "intermediate", PANEL)
    assessment_record(
        round=rnd,
        scores={
            # 85 × 40% + 90 × 30% + 78 × 30% = 34 + 27 + 23.4 = 84.40
            "L1": {"业务成绩": "85", "考试成绩": "90", "年度考核": "78"},
            # 90 × 40% + 80 × 30% + 70 × 30% = 36 + 24 + 21 = 81.00
            "L2": {"business_results": "90", "test_scores": "80", "annual_appraisal": "70"},
            # the appraisal not in yet: no composite, not ranked
            "L3": {"business_results": "99", "test_scores": "99"},
        },
        actor=hr,
    )
    result = assessment.standings(rnd)[("skill", "intermediate")]
    assert [(s.key, s.composite, s.rank) for s in result.standings] == [
        (c["L1"].pk, Decimal("84.40"), 1),
        (c["L2"].pk, Decimal("81.00"), 2),
        (c["L3"].pk, None, None),
    ]
    client.force_login(hr)
    html = client.get(f"/rounds/{rnd.pk}/").content.decode()
    assert '<span class="composite">84.40</span>' in html  # on the candidate's row
    form = html[html.index('id="committee-form"') :]  # the committee sees the candidates in rank order
    assert (
        form.index('data-employee="L1"') < form.index('data-employee="L2"') < form.index('data-employee="L3"')
    )


# ---- game-company-rules: ranking by priority conditions --------------------------------------------

RIVALS = [("G1", "赵一"), ("G2", "钱二"), ("G3", "孙三"), ("G4", "李四")]
# priority conditions attested: G1 teamwork + recognized = 2; G2 key_role + teamwork = 2;
# G3 value_created + key_role + training_excellent = 3; G4 none = 0
ATTESTED = [
    ("G1", "teamwork"),
    ("G1", "recognized"),
    ("G2", "key_role"),
    ("G2", "teamwork"),
    ("G3", "value_created"),
    ("G3", "key_role"),
    ("G3", "training_excellent"),
]


@pytest.mark.django_db
def test_priority_conditions_rank_the_rivals_and_ties_keep_the_assessment_order(db, client):
    hr, rnd, c = setup_round(
        "game-company-rules", "post", "senior_agent", "team_lead", RIVALS, events=ATTESTED
    )
    assessment_record(
        round=rnd,
        scores={
            "G1": {"assessment": "80"},
            "G2": {"考核组综合考核成绩": "86"},  # the same 2 conditions as G1, a better score → before G1
            "G3": {"assessment": "70"},  # 3 conditions: first despite the lowest score
            "G4": {"assessment": "95"},  # no condition met: last despite the best score
        },
        actor=hr,
    )
    result = assessment.standings(rnd)[("post", "team_lead")]
    by_pk = {x.pk: code for code, x in c.items()}
    assert [(by_pk[s.key], s.priority, s.rank) for s in result.standings] == [
        ("G3", 3, 1),
        ("G2", 2, 2),
        ("G1", 2, 3),
        ("G4", 0, 4),
    ]
    assessment_record(round=rnd, scores={"G1": {"assessment": "86"}}, actor=hr)  # now equal to G2 in both
    result = assessment.standings(rnd)[("post", "team_lead")]
    assert [(by_pk[s.key], s.rank) for s in result.standings] == [("G3", 1), ("G1", 2), ("G2", 2), ("G4", 4)]

    client.force_login(hr)
    html = client.get(f"/rounds/{rnd.pk}/").content.decode()
    board = html[html.index('id="assessment-board"') :]  # no committee in this scheme: the board ranks
    at = [board.index(f'data-employee="{x}"') for x in ("G3", "G1", "G2", "G4")]
    assert at == sorted(at)
    assert '<td class="priority">3</td>' in board


@pytest.mark.django_db
def test_the_round_page_does_not_query_per_candidate(db, client):
    people = [(f"G{i:02d}", f"员工{i}") for i in range(12)]
    hr, rnd, c = setup_round(
        "game-company-rules", "post", "senior_agent", "team_lead", people, events=[("G00", "teamwork")]
    )
    client.force_login(hr)

    def count(n):
        Candidacy.objects.filter(round=rnd).exclude(
            employee__employee_id__in=[p[0] for p in people[:n]]
        ).update(state=S.CANDIDATE)
        Candidacy.objects.filter(round=rnd, employee__employee_id__in=[p[0] for p in people[:n]]).update(
            state=S.QUALIFIED, assessment={"assessment": "80"}
        )
        with CaptureQueriesContext(connection) as q:
            assert client.get(f"/rounds/{rnd.pk}/").status_code == 200
        return len(q)

    assert count(3) == count(12)
