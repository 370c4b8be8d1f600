"""Career development in the inbox (issue 11) and the training group's yearly review of each plan.

zhangshang-game: a supervisor (the career mentor) holds a career talk within 3 months of an employee
joining the department, a transfer in starting the 3 months again; the 员工职业发展规划表 is filled within
1 month of regularization and yearly; the training group reviews each plan yearly (training and promotion
opportunities given, appraisal results, next steps). Today is 2026-12-02 unless said otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.people.models import Assignment, Department, Employee, Team
from rungs.records.models import Evaluation, Event
from rungs.talent.models import CareerPlan, PlanReview
from rungs.talent.selectors import (
    department_entered,
    my_plan_due,
    plan_due,
    reviews_due,
    talks_due,
    year_end_talks_due,
)
from rungs.talent.services import TalentRefused, career_talk_record, plan_review_record

User = get_user_model()
D = dt.date
TODAY = D(2026, 12, 2)


def person(code, name, dept, team, rows, **kw):
    e = Employee.objects.create(
        employee_id=code, name=name, hire_date=rows[0][1], department=dept, team=team, **kw
    )
    for i, (department, start) in enumerate(rows):
        end = rows[i + 1][1] if i + 1 < len(rows) else None
        Assignment.objects.create(
            employee=e, track="post", level="agent", start_date=start, end_date=end, department=department,
            kind="hire" if i == 0 else "transfer",
        )  # fmt: skip
    return e


@pytest.fixture
def org(db):
    one, two = Department.objects.create(name="客服一部"), Department.objects.create(name="客服二部")
    t1, t2 = (
        Team.objects.create(code="一组", department=one),
        Team.objects.create(code="二部一组", department=two),
    )
    p = {
        # joined 客服一部 on 2026-09-15: the talk is due by 2026-12-15, not yet overdue
        "new": person("N1", "新人甲", one, t1, [("客服一部", D(2026, 9, 15))], status="probation"),
        # joined 2026-01-05, no talk: due 2026-04-05, overdue
        "late": person("L1", "老员工乙", one, t1, [("客服一部", D(2026, 1, 5))]),
        # joined 2025-03-01, talked 2025-04-10: nothing due
        "done": person("K1", "已面谈丙", one, t1, [("客服一部", D(2025, 3, 1))]),
        # 客服一部 2024-05-01, talked there 2024-06-01, transferred to 客服二部 on 2026-10-01: the old talk
        # does not count, the new department's mentor owes one by 2027-01-01
        "moved": person("M1", "调岗丁", two, t2, [("客服一部", D(2024, 5, 1)), ("客服二部", D(2026, 10, 1))]),
    }
    Event.objects.create(employee=p["done"], date=D(2025, 4, 10), type="career_talk", ref="joining")
    Event.objects.create(employee=p["moved"], date=D(2024, 6, 1), type="career_talk", ref="joining")

    def user(name, role, **kw):
        return User.objects.create(username=name, role=role, **kw)

    u = {
        "sup": user("sup", "supervisor", department=one),  # the first supervisor of 客服一部: the mentor
        "sup_b": user("sup_b", "supervisor", department=one),
        "sup2": user("sup2", "supervisor", department=two),
        "dm": user("dm", "department_manager", department=one),
        "qa": user("qa", "qa_training"),
        "hr": user("hr", "hr"),
        "late": user("late", "agent", employee=p["late"], department=one, team=t1),
    }
    return p, u


@pytest.mark.django_db
def test_entering_a_department_is_read_as_the_engine_reads_it(org):
    p, _u = org
    rows = list(p["moved"].assignments.all())
    assert department_entered(p["moved"], rows) == D(2026, 10, 1)  # the transfer in
    assert department_entered(p["late"], list(p["late"].assignments.all())) == D(2026, 1, 5)
    # a transfer back in starts again
    back = list(p["moved"].assignments.all()) + [
        Assignment(
            employee=p["moved"], track="post", level="agent", start_date=D(2026, 11, 1), department="客服一部"
        )
    ]
    back[1].end_date = D(2026, 11, 1)
    assert department_entered(p["moved"], back) == D(2026, 11, 1)


@pytest.mark.django_db
def test_the_mentor_sees_the_talks_due_and_a_transfer_restarts_them(client, org, monkeypatch):
    p, u = org
    due = talks_due(u["sup"], TODAY)
    assert [(e.employee_id, e.talk_due, e.overdue) for e in due] == [
        ("L1", D(2026, 4, 5), True),
        ("N1", D(2026, 12, 15), False),
    ]
    assert talks_due(u["sup_b"], TODAY) == []  # the department's mentor is its first supervisor
    assert talks_due(u["dm"], TODAY) == []
    moved = talks_due(u["sup2"], TODAY)
    assert [(e.employee_id, e.entered, e.talk_due) for e in moved] == [("M1", D(2026, 10, 1), D(2027, 1, 1))]

    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    client.force_login(u["sup2"])
    inbox = client.get("/").content.decode().split('id="inbox"')[1].split("</section>")[0]
    assert "调岗丁" in inbox and "2026-10-01 进入本部门，2027-01-01 前面谈" in inbox

    career_talk_record(
        employee=p["moved"], held_on=D(2026, 11, 20), kind="joining", notes="职业兴趣与方向", actor=u["sup2"]
    )
    assert talks_due(u["sup2"], TODAY) == []  # recorded: the reminder closes
    assert 'id="inbox"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_employee_sees_their_plan_due_a_month_ahead_and_yearly(client, org, monkeypatch):
    p, u = org
    late = p["late"]
    late.regularized_on = D(2026, 11, 10)  # due 2026-12-10: within a month already
    late.save()
    assert plan_due(late) == D(2026, 12, 10)
    assert my_plan_due(u["late"], TODAY) == {"employee": late, "due": D(2026, 12, 10), "overdue": False}
    assert my_plan_due(u["late"], D(2026, 12, 11))["overdue"] is True
    assert plan_due(p["new"]) is None  # on probation

    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    client.force_login(u["late"])
    inbox = client.get("/").content.decode().split('id="inbox"')[1].split("</section>")[0]
    assert "员工职业发展规划表" in inbox and "2026-12-10 前填写" in inbox

    # A plan filed on 2026-12-01: the next one is due 2027-12-01, shown from 2027-11-01.
    Event.objects.create(employee=late, date=D(2026, 12, 1), type="career_plan", ref="team_lead")
    assert plan_due(late) == D(2027, 12, 1)
    assert my_plan_due(u["late"], TODAY) is None
    assert my_plan_due(u["late"], D(2027, 10, 31)) is None
    assert my_plan_due(u["late"], D(2027, 11, 1))["due"] == D(2027, 12, 1)
    assert 'id="inbox"' not in client.get("/").content.decode()


def a_plan(e, filled_on, by):
    return CareerPlan.objects.create(
        employee=e, filled_on=filled_on, filled_by=by, career_track="management", needs=["pay", "expert", "challenge"],
        short_term="两年内成为组长",
    )  # fmt: skip


@pytest.mark.django_db
def test_the_training_group_reviews_each_plan_yearly(client, org, monkeypatch):
    p, u = org
    old = a_plan(p["late"], D(2025, 2, 1), u["late"])
    plan = a_plan(p["late"], D(2026, 2, 1), u["late"])  # the latest: the one awaiting
    other = a_plan(p["done"], D(2026, 3, 1), u["qa"])
    assert [x.pk for x in reviews_due(u["qa"], TODAY)] == [plan.pk, other.pk]
    assert reviews_due(u["hr"], TODAY) == [] and reviews_due(u["sup"], TODAY) == []  # the 质/培组's inbox
    assert reviews_due(u["qa"], TODAY)[0].review_due == D(2027, 2, 1)

    with pytest.raises(Denied):
        plan_review_record(plan=plan, reviewed_on=TODAY, next_steps="x", actor=u["late"], today=TODAY)
    with pytest.raises(Denied):  # not the line either
        plan_review_record(plan=plan, reviewed_on=TODAY, next_steps="x", actor=u["sup"], today=TODAY)
    with pytest.raises(TalentRefused, match="下一步建议"):
        plan_review_record(plan=plan, reviewed_on=TODAY, next_steps=" ", actor=u["qa"], today=TODAY)
    with pytest.raises(TalentRefused, match="早于"):
        plan_review_record(plan=plan, reviewed_on=D(2026, 1, 1), next_steps="x", actor=u["qa"], today=TODAY)
    review = plan_review_record(
        plan=plan,
        reviewed_on=TODAY,
        trainings_given="2026-05-10 新员工带教培训",
        promotions_given="2026 年组长竞聘：未报名",
        appraisal_results="2025：86 超出要求",
        next_steps="参加组长储备培训",
        actor=u["qa"],
        today=TODAY,
    )
    assert (review.year, review.reviewer, review.next_steps) == (2026, u["qa"], "参加组长储备培训")
    entry = AuditEntry.objects.get(action="career_review.record")
    assert (entry.actor, entry.employee_id, entry.after["plan"], entry.after["year"]) == (
        "qa",
        "L1",
        plan.pk,
        2026,
    )
    with pytest.raises(TalentRefused, match="已经审查过"):
        plan_review_record(plan=plan, reviewed_on=TODAY, next_steps="again", actor=u["qa"], today=TODAY)
    assert [x.pk for x in reviews_due(u["qa"], TODAY)] == [other.pk]  # reviewed: off the list
    assert [x.pk for x in reviews_due(u["qa"], D(2027, 12, 3))] == [plan.pk, other.pk]  # a year on, again
    assert old.reviews.count() == 0 and PlanReview.objects.count() == 1


@pytest.mark.django_db
def test_the_review_form_starts_from_the_file_and_prints_as_a_sheet(client, org, monkeypatch):
    p, u = org
    plan = a_plan(p["late"], D(2026, 2, 1), u["late"])
    Event.objects.create(employee=p["late"], date=D(2026, 5, 10), type="training", ref="新员工带教培训")
    Event.objects.create(
        employee=p["late"], date=D(2025, 5, 10), type="training", ref="旧培训"
    )  # before the plan
    Evaluation.objects.create(
        employee=p["late"], period="2025", period_kind="Y", seq=2025, score=86, grade="超出要求"
    )
    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    client.force_login(u["late"])
    assert client.get(reverse("talent:plan-review", args=[plan.pk])).status_code == 403
    client.force_login(u["qa"])
    form = client.get(reverse("talent:plan-review", args=[plan.pk])).content.decode()
    assert "2026-05-10 新员工带教培训" in form and "旧培训" not in form and "2025：86 超出要求" in form
    missing = client.post(
        reverse("talent:plan-review", args=[plan.pk]), {"reviewed_on": "2026-12-02", "next_steps": ""}
    )
    assert "请填写下一步建议" in missing.content.decode() and not PlanReview.objects.exists()
    done = client.post(
        reverse("talent:plan-review", args=[plan.pk]),
        {
            "reviewed_on": "2026-12-02",
            "trainings_given": "2026-05-10 新员工带教培训",
            "promotions_given": "",
            "appraisal_results": "2025：86 超出要求",
            "next_steps": "参加组长储备培训",
        },
        follow=True,
    )
    html = done.content.decode()
    assert 'id="review"' in html and "参加组长储备培训" in html and "plan-sheet" in html
    assert "新员工带教培训" in client.get(reverse("talent:file", args=["L1"])).content.decode()
    plan_page = client.get(reverse("talent:plan", args=[plan.pk])).content.decode()
    assert "参加组长储备培训" in plan_page


@pytest.mark.django_db
def test_the_mentor_is_reminded_of_the_year_end_talk_after_the_annual_appraisal(client, org, monkeypatch):
    """zhangshang-game: supervisors hold a year-end talk after the appraisal results. Once a person's
    annual appraisal is on file (entered 2026-12-01 here), their mentor owes a year-end talk by a month
    later (2027-01-01); a joining talk does not count, a year-end talk held since closes it, and a talk
    held before the appraisal was entered does not."""
    from django.utils import timezone

    p, u = org
    entered = timezone.make_aware(dt.datetime(2026, 12, 1, 10, 0))
    for key in ("late", "done"):
        ev = Evaluation.objects.create(employee=p[key], period="2026", period_kind="Y", seq=2026, score=88)
        Evaluation.objects.filter(pk=ev.pk).update(recorded_at=entered)
    # K1 had a year-end talk in January, before this appraisal: still owed
    Event.objects.create(employee=p["done"], date=D(2026, 1, 20), type="career_talk", ref="year_end")
    due = year_end_talks_due(u["sup"], TODAY)
    assert [(e.employee_id, e.year, e.since, e.year_end_due, e.overdue) for e in due] == [
        ("K1", 2026, D(2026, 12, 1), D(2027, 1, 1), False),
        ("L1", 2026, D(2026, 12, 1), D(2027, 1, 1), False),
    ]
    assert year_end_talks_due(u["sup"], D(2027, 1, 2))[0].overdue
    assert year_end_talks_due(u["sup_b"], TODAY) == [] and year_end_talks_due(u["sup2"], TODAY) == []

    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    client.force_login(u["sup"])
    inbox = client.get("/").content.decode().split('id="inbox"')[1].split("</section>")[0]
    assert "2026 年度考核结果 2026-12-01 录入，2027-01-01 前面谈" in inbox

    career_talk_record(
        employee=p["late"], held_on=D(2026, 12, 2), kind="joining", notes="入部门", actor=u["sup"]
    )
    assert [e.employee_id for e in year_end_talks_due(u["sup"], TODAY)] == ["K1", "L1"]  # not a year-end talk
    career_talk_record(
        employee=p["late"], held_on=D(2026, 12, 2), kind="year_end", notes="年终", actor=u["sup"]
    )
    assert [e.employee_id for e in year_end_talks_due(u["sup"], TODAY)] == ["K1"]
