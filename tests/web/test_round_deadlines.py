"""Step deadlines of a notice-workflow round (examples/policies/notice-workflow.yaml: review 3, notice 2,
objection 3, approval 3, appointment 5 working days; reminders 1 working day before). Dates are worked by
hand on the 2026 arrangement as chinese_calendar 1.11 gives it: 中秋 Fri 25 – Sun 27 Sep off, National Day
Thu 1 – Wed 7 Oct off, make-up working days Sun 20 Sep and Sat 10 Oct; 2027 is not in the package."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.audit import clock
from rungs.promotions.models import Candidacy
from rungs.promotions.services import (
    candidacy_apply,
    candidacy_appoint,
    candidacy_approve,
    candidacy_review,
    notice_open,
    objection_decide,
    objection_file,
)
from rungs.records.calendar import calendar_import
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

D = dt.date
S = Candidacy.State


def on(monkeypatch, day):
    """The day the services take a step on and the pages count from (rungs.audit.clock)."""
    monkeypatch.setattr(clock, "today", lambda: day)


def due(c):
    c.refresh_from_db()
    return c.due_stage, c.due_step, c.due_on, c.due_provisional


@pytest.mark.django_db
def test_each_step_is_due_in_working_days_from_the_day_it_began(company, monkeypatch):  # noqa: F811
    u, rnd = company
    on(monkeypatch, D(2026, 9, 24))  # a Thursday, before 中秋 and 国庆
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    # review, 3 working days: Fri 25 – Sun 27 off, Mon 28 (1), Tue 29 (2), Wed 30 (3)
    assert due(c) == ("review", 0, D(2026, 9, 30), False)

    on(monkeypatch, D(2026, 9, 30))
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    # posting the 公示, 2 working days: 1–7 Oct off, Thu 8 (1), Fri 9 (2)
    assert due(c) == ("notice", 0, D(2026, 10, 9), False)

    notice = notice_open(round=rnd, opened_on=D(2026, 10, 9), actor=u["hr"])
    # 5 working days counted from the posting day: Fri 9 Oct (1), Sat 10 调休 (2), Mon 12 (3), Tue 13 (4),
    # Wed 14 (5); the first approval step, 3 working days after it: Thu 15 (1), Fri 16 (2), Mon 19 (3)
    assert notice.ends_on == D(2026, 10, 14)
    assert due(c) == ("approval", 0, D(2026, 10, 19), False)

    o = objection_file(candidacy=c, text="工作量有误", received_on=D(2026, 10, 12), actor=u["li"])
    # an open objection waits on HR, 3 working days from Mon 12: Tue 13, Wed 14, Thu 15
    assert due(c) == ("objection", 0, D(2026, 10, 15), False)

    objection_decide(
        objection=o, upheld=False, reason="经核实无误", decided_on=D(2026, 10, 13), actor=u["hr"]
    )
    # the clock resumes: Fri 9 (1), Sat 10 (2), 12–13 paused, Wed 14 (3), Thu 15 (4), Fri 16 (5);
    # approval after it: Mon 19 (1), Tue 20 (2), Wed 21 (3)
    notice.refresh_from_db()
    assert notice.ends_on == D(2026, 10, 16)
    assert due(c) == ("approval", 0, D(2026, 10, 21), False)

    candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 21))
    # appointment, 5 working days from Wed 21: Thu 22, Fri 23, Mon 26, Tue 27, Wed 28
    assert due(c) == ("appointment", 0, D(2026, 10, 28), False)

    candidacy_appoint(candidacy=c, decided=D(2026, 10, 23), actor=u["hr"])
    assert due(c) == ("", 0, None, False)  # the 考察期 is months, not a working-day deadline


@pytest.mark.django_db
def test_the_make_up_saturday_counts(company, monkeypatch):  # noqa: F811
    u, rnd = company
    on(monkeypatch, D(2026, 9, 30))  # Wed; 1–7 Oct off, Thu 8 (1), Fri 9 (2), Sat 10 调休上班 (3)
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    assert due(c) == ("review", 0, D(2026, 10, 10), False)


@pytest.mark.django_db
def test_a_rejected_candidate_waits_on_nobody(company, monkeypatch):  # noqa: F811
    u, rnd = company
    on(monkeypatch, D(2026, 9, 24))
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    candidacy_review(candidacy=c, passed=False, reason="材料不全", actor=u["sup"])
    assert due(c) == ("", 0, None, False)


@pytest.mark.django_db
def test_a_due_date_in_an_unannounced_year_is_provisional_until_the_year_is_imported(
    company,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    u, rnd = company
    on(monkeypatch, D(2026, 12, 30))  # Wed: Thu 31 (1); 2027 unknown: Fri 1 Jan assumed (2), Mon 4 (3)
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    assert due(c) == ("review", 0, D(2027, 1, 4), True)

    with django_capture_on_commit_callbacks(execute=True):  # the due dates recount once the import commits
        calendar_import(year=2027, text="2027-01-01,0,元旦\n", source="国办发明电", actor=u["hr"])
    # 1 January is a holiday: Thu 31 (1), Mon 4 (2), Tue 5 (3), firm
    assert due(c) == ("review", 0, D(2027, 1, 5), False)


@pytest.mark.django_db
def test_each_step_of_an_approval_chain_is_due_from_the_day_the_step_before_it_signed(
    company,  # noqa: F811
    monkeypatch,
):
    from tests.web.test_round_approvals import director, noticed

    u, rnd = company
    u["dir"] = director("dir")
    on(monkeypatch, D(2026, 9, 16))
    c = noticed(u, rnd, "[department_manager, {all: [hr, director]}]")  # 公示 Wed 23 – Wed 30 Sep
    # step 1 from the end of the 公示, Wed 30 Sep: 1–7 Oct off, Thu 8 (1), Fri 9 (2), Sat 10 调休 (3)
    assert due(c) == ("approval", 0, D(2026, 10, 10), False)
    candidacy_approve(candidacy=c, actor=u["dm"], today=D(2026, 10, 12))
    # step 2 (会签) from Mon 12: Tue 13, Wed 14, Thu 15
    assert due(c) == ("approval", 1, D(2026, 10, 15), False)
    candidacy_approve(candidacy=c, actor=u["hr"], today=D(2026, 10, 14))
    assert due(c) == ("approval", 1, D(2026, 10, 15), False)  # half of the 会签: the same step, still due
    candidacy_approve(candidacy=c, actor=u["dir"], today=D(2026, 10, 16))
    # appointment, 5 working days from Fri 16: Mon 19 – Fri 23
    assert due(c) == ("appointment", 0, D(2026, 10, 23), False)


# ---- dual-track-logistics: application 7, assessment 10, committee 5 working days ----------------------


@pytest.mark.django_db
def test_the_committee_is_due_from_the_day_the_assessment_is_complete(db, monkeypatch):
    from rungs.promotions.deadlines import due_set
    from rungs.promotions.services import assessment_record
    from tests.web.test_round_assessment import PANEL, setup_round

    hr, rnd, cands = setup_round("dual-track-logistics", "skill", "junior", "intermediate", PANEL)
    c = cands["L1"]
    due_set(c, D(2026, 9, 24))  # as if the review passed on Thu 24 Sep
    c.save()
    # assessment, 10 working days: 28, 29, 30 Sep, 8, 9, 10 (调休), 12, 13, 14, 15 Oct
    assert due(c) == ("assessment", 0, D(2026, 10, 15), False)

    on(monkeypatch, D(2026, 10, 9))
    assessment_record(round=rnd, scores={"L1": {"业务成绩": "85", "考试成绩": "90"}}, actor=hr)
    assert due(c)[:3] == ("assessment", 0, D(2026, 10, 15))  # the appraisal is not in yet
    on(monkeypatch, D(2026, 10, 12))
    assessment_record(round=rnd, scores={"L1": {"年度考核": "78"}}, actor=hr)
    # complete on Mon 12 Oct: the committee, 5 working days: 13, 14, 15, 16, 19 Oct
    assert due(c) == ("committee", 0, D(2026, 10, 19), False)


@pytest.mark.django_db
def test_applications_close_seven_working_days_after_the_round_is_opened(db):
    from rungs.promotions.deadlines import round_due_set
    from tests.web.test_round_assessment import PANEL, setup_round

    _hr, rnd, _cands = setup_round("dual-track-logistics", "skill", "junior", "intermediate", PANEL)
    assert rnd.applications_due is not None  # set when the round was opened
    # opened Thu 24 Sep: 28, 29, 30 Sep, 8, 9, 10 (调休), 12 Oct
    assert round_due_set(rnd, D(2026, 9, 24))
    assert (rnd.applications_due, rnd.applications_provisional) == (D(2026, 10, 12), False)
    # opened Fri 25 Dec: 28, 29, 30, 31 Dec, then 2027 assumed: Fri 1, Mon 4, Tue 5 Jan, provisional
    round_due_set(rnd, D(2026, 12, 25))
    assert (rnd.applications_due, rnd.applications_provisional) == (D(2027, 1, 5), True)


# ---- the pages -------------------------------------------------------------------------------------


def board(client, monkeypatch, user, rnd, day):
    monkeypatch.setattr(clock, "today", lambda: day)
    client.force_login(user)
    return client.get(f"/rounds/{rnd.pk}/").content.decode()


@pytest.mark.django_db
def test_the_board_shows_each_waiting_steps_due_date_and_badge(client, company, monkeypatch):  # noqa: F811
    u, rnd = company
    on(monkeypatch, D(2026, 9, 24))
    candidacy_apply(round=rnd, actor=u["fang"], statement="申请")  # review due Wed 30 Sep
    on(monkeypatch, D(2026, 12, 30))
    candidacy_apply(round=rnd, actor=u["li"], statement="申请")  # review due Mon 4 Jan 2027, provisional
    cell = '<td class="due-cell" data-label="办理期限"><span class="due" data-due="2026-09-30">资格审查 2026-09-30 前'
    page = board(client, monkeypatch, u["sup"], rnd, D(2026, 9, 28))  # 2 working days left: no badge
    assert cell + "</span></td>" in page
    page = board(client, monkeypatch, u["sup"], rnd, D(2026, 9, 29))
    assert cell + ' <strong class="badge soon">即将到期</strong>' in page
    page = board(client, monkeypatch, u["dm"], rnd, D(2026, 10, 8))
    assert cell + ' <strong class="badge overdue">已逾期</strong>' in page
    assert (
        'data-due="2027-01-04">资格审查 2027-01-04 前<span class="provisional"' in page and "（待定）" in page
    )


@pytest.mark.django_db
def test_the_board_says_when_applications_close(client, db, monkeypatch):
    from rungs.promotions.models import Round
    from tests.web.test_round_assessment import PANEL, setup_round

    hr, rnd, _cands = setup_round("dual-track-logistics", "skill", "junior", "intermediate", PANEL)
    Round.objects.filter(pk=rnd.pk).update(applications_due=D(2026, 10, 12))  # opened Thu 24 Sep (above)
    page = board(client, monkeypatch, hr, rnd, D(2026, 10, 9))  # Sat 10 (调休) and Mon 12 left: 2 ≤ 2
    assert (
        '<dd id="applications-due"><span class="due" data-due="2026-10-12">2026-10-12 前 '
        '<strong class="badge soon">即将到期</strong></span></dd>'
    ) in page


# ---- one today ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_services_and_the_pages_count_from_one_today(client, company, monkeypatch):  # noqa: F811
    from django.urls import reverse

    u, rnd = company
    on(monkeypatch, D(2026, 9, 24))  # Thu: the page's day is the service's day
    client.force_login(u["fang"])
    client.post(reverse("promotions:act", args=[rnd.pk]), {"step": "apply", "statement": "申请"})
    c = Candidacy.objects.get(employee=u["fang"].employee)
    # review, 3 working days after Thu 24 Sep: 25–27 中秋 off, Mon 28 (1), Tue 29 (2), Wed 30 (3)
    assert due(c) == ("review", 0, D(2026, 9, 30), False)
    cell = '<td class="due-cell" data-label="办理期限"><span class="due" data-due="2026-09-30">资格审查 2026-09-30 前'
    # the same clock on Fri 25: 3 working days left (28, 29, 30) > remind_before 1: no badge
    assert cell + "</span></td>" in board(client, monkeypatch, u["sup"], rnd, D(2026, 9, 25))
    # Tue 29: Wed 30 alone is left (1 ≤ remind_before 1): due soon, on the board and in the inbox
    page = board(client, monkeypatch, u["sup"], rnd, D(2026, 9, 29))
    assert cell + ' <strong class="badge soon">即将到期</strong>' in page
    home = client.get("/").content.decode()
    assert "王芳" in home[home.find('id="inbox"') :] and "即将到期" in home[home.find('id="inbox"') :]


@pytest.mark.django_db
def test_a_round_opened_on_the_clock_counts_its_applications_from_that_day(db, monkeypatch):
    from tests.web.test_round_assessment import PANEL, setup_round

    on(monkeypatch, D(2026, 9, 24))  # opened Thu 24 Sep: 28, 29, 30 Sep, 8, 9, 10 (调休), 12 Oct (7)
    _hr, rnd, _cands = setup_round("dual-track-logistics", "skill", "junior", "intermediate", PANEL)
    rnd.refresh_from_db()
    assert (rnd.applications_due, rnd.applications_provisional) == (D(2026, 10, 12), False)
