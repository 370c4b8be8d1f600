"""A zhangshang-game round for a vacancy (SEEDS.md `zhangshang-game`): the quality/training group opens it for
the one free supervisor post (编制), a team lead is nominated by the department manager, passes the
qualification review, sits the assessment, the evaluation committee votes, the vice president approves (the
authority matrix: supervisor → 副总) — there is no 公示 in this scheme — and HR appoints with a numbered
notice; the appointment takes force at once and the 考察期 (onboarding assessment) decides."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.accounts.models import UserFunction
from rungs.people.models import Assignment, Department, Employee, Position, Team
from rungs.policies.services import evaluation_run_start, policy_create
from rungs.promotions.models import Candidacy, Transition
from rungs.promotions.services import (
    StepRefused,
    assessment_record,
    candidacy_appoint,
    candidacy_approve,
    candidacy_nominate,
    candidacy_review,
    committee_record,
    notice_open,
    round_open,
)
from rungs.records.models import Evaluation, Event

POLICY = Path(__file__).resolve().parents[2] / "examples" / "policies" / "zhangshang-game.yaml"
User = get_user_model()
D = dt.date
S = Candidacy.State


def team_lead(code, name, dept, team):
    """A team lead since 2025-01 in this department (20 months by 2026-09 ≥ 12), annual scores 84 and 86
    (mean 85 ≥ 80), never penalised, post qualification attested, promotion assessment 88 ≥ 80."""
    e = Employee.objects.create(
        employee_id=code, name=name, hire_date=D(2023, 1, 1), department=dept, team=team, status="regular"
    )
    Assignment.objects.create(
        employee=e,
        track="post",
        level="team_lead",
        start_date=D(2025, 1, 1),
        kind="promotion",
        department=dept.name,
    )
    for year, score in ((2024, 84), (2025, 86)):
        Evaluation.objects.create(employee=e, period=str(year), period_kind="Y", seq=year, score=score)
    Event.objects.create(
        employee=e, date=D(2026, 6, 1), type="attestation", ref="post_qualification", value=1
    )
    Event.objects.create(employee=e, date=D(2026, 6, 1), type="exam", ref="promotion_assessment", value=88)
    return e


@pytest.fixture
def vacancy(db):
    dept = Department.objects.create(name="游戏客服部")
    team = Team.objects.create(code="一组", department=dept)
    Position.objects.create(level="supervisor", headcount=1, department=dept.name, track="post")
    chen = team_lead("Z1", "陈晨", dept, team)
    team_lead("Z2", "周舟", dept, team)

    def user(name, role, **kw):
        return User.objects.create(username=name, role=role, **kw)

    people = {
        "chen": user("chen", "team_lead", employee=chen, department=dept, team=team),
        "qa": user("qa", "qa_training"),
        "dm": user("dm", "department_manager", department=dept),
        "hr": user("hr", "hr"),
        "exec": user("exec", "executive"),
        "vp": user("vp", "executive"),
    }
    UserFunction.objects.create(user=people["vp"], function="vice_president")
    policy = policy_create(text=POLICY.read_text(encoding="utf-8"), filename=POLICY.name, actor=people["hr"])
    evaluation_run_start(policy=policy, as_of=D(2026, 9, 1), actor=people["hr"])
    return people, policy, dept


@pytest.mark.django_db
def test_a_vacancy_round_with_a_committee_and_the_vice_presidents_approval(vacancy):
    u, policy, dept = vacancy
    post = {"track": "post", "level": "supervisor", "number": 2}
    with pytest.raises(StepRefused, match="编制 1 人，现有 0 人，最多还能补充 1 人"):
        round_open(
            policy=policy, name="主管空缺", kind="vacancy", posts=[post], department=dept, actor=u["qa"]
        )
    rnd = round_open(
        policy=policy,
        name="主管空缺补充",
        kind="vacancy",
        posts=[{**post, "number": 1}],
        department=dept,
        actor=u["qa"],
    )
    zhou = Employee.objects.get(employee_id="Z2")
    c = candidacy_nominate(round=rnd, employee=zhou, statement="带组业绩突出", actor=u["dm"])
    c2 = candidacy_nominate(round=rnd, employee=u["chen"].employee, statement="服务意识强", actor=u["dm"])
    candidacy_review(candidacy=c, passed=True, actor=u["qa"])
    candidacy_review(candidacy=c2, passed=True, actor=u["qa"])

    with pytest.raises(StepRefused, match="0 到 100"):
        assessment_record(round=rnd, scores={"Z2": {"笔试": "86"}, "Z1": {"笔试": "101"}}, actor=u["qa"])
    c.refresh_from_db()
    assert c.assessment == {}  # one bad score stored none
    assessment_record(
        round=rnd, scores={"Z2": {"笔试": "86", "面试": "90"}, "Z1": {"笔试": "78"}}, actor=u["qa"]
    )

    with pytest.raises(StepRefused, match="没有公示环节"):
        notice_open(round=rnd, opened_on=D(2026, 9, 23), actor=u["hr"])
    with pytest.raises(StepRefused, match="评审委员会"):
        candidacy_approve(candidacy=c, actor=u["vp"], today=D(2026, 9, 25))

    members = ["张总", "李经理", "王主管", "赵质培", "孙人事"]
    with pytest.raises(StepRefused, match="还没有对以下候选人表决：陈晨"):
        committee_record(
            round=rnd,
            members=members,
            chair="张总",
            minutes="纪要",
            met_on=D(2026, 9, 24),
            votes={c.pk: (5, 0)},
            actor=u["qa"],
        )
    with pytest.raises(StepRefused, match="不能超过委员人数 5"):
        committee_record(
            round=rnd, members=members, chair="张总", minutes="纪要", met_on=D(2026, 9, 24),
            votes={c.pk: (4, 2), c2.pk: (1, 1)}, actor=u["qa"],
        )  # fmt: skip
    # 3 of 5 in favour is more than half; 2 of 5 is not, even with 3 abstaining
    committee_record(
        round=rnd, members=members, chair="张总", minutes="推荐周舟任主管", met_on=D(2026, 9, 24),
        votes={c.pk: (3, 2), c2.pk: (2, 0)}, actor=u["qa"],
    )  # fmt: skip
    c.refresh_from_db()
    c2.refresh_from_db()
    assert (c.state, c2.state) == (S.RECOMMENDED, S.REJECTED)
    assert c2.transitions.last().reason == "同意 2 票，反对 0 票，委员 5 人"

    # supervisor level: the department manager proposes, the vice president approves (not any executive)
    with pytest.raises(Denied, match="副总"):
        candidacy_approve(candidacy=c, actor=u["dm"], today=D(2026, 9, 25))
    with pytest.raises(Denied, match="副总"):
        candidacy_approve(candidacy=c, actor=u["exec"], today=D(2026, 9, 25))
    candidacy_approve(candidacy=c, actor=u["vp"], today=D(2026, 9, 25))
    candidacy_appoint(candidacy=c, decided=D(2026, 9, 28), actor=u["hr"])
    c.refresh_from_db()
    # after_onboarding_assessment: the post is taken at once, the 考察期 then decides; numbered in the year
    assert (c.state, c.effective, c.appointment_no) == (S.APPOINTED, D(2026, 9, 28), "〔2026〕001号")
    assert c.term_ends == D(2028, 9, 28)  # the term of 2 years (任期两年)
    from rungs.promotions.selectors import terms_due

    assert terms_due(u["hr"], D(2028, 7, 29)) == []  # 61 days before: not yet
    assert terms_due(u["hr"], D(2028, 7, 30)) == [c]  # 60 days before: its renewal review is due
    assert terms_due(u["qa"], D(2028, 9, 1)) == []  # the quality group does not conclude appointments
    assert zhou.current_assignments().get().level == "supervisor"
    steps = list(Transition.objects.filter(candidacy=c).values_list("to_state", flat=True))
    assert steps == [S.CANDIDATE, S.QUALIFIED, S.RECOMMENDED, S.APPROVED, S.APPOINTED]


@pytest.mark.django_db
def test_the_appointment_notice_downloads_as_pdf_and_docx_with_its_text(vacancy, client):
    import docx
    from pypdf import PdfReader

    u, policy, dept = vacancy
    rnd = round_open(
        policy=policy, name="主管空缺补充", kind="vacancy", posts=[{"track": "post", "level": "supervisor", "number": 1}],
        department=dept, actor=u["qa"],
    )  # fmt: skip
    c = candidacy_nominate(
        round=rnd, employee=Employee.objects.get(employee_id="Z2"), statement="推荐", actor=u["dm"]
    )
    candidacy_review(candidacy=c, passed=True, actor=u["qa"])
    committee_record(
        round=rnd, members=["甲", "乙", "丙"], chair="甲", minutes="通过", met_on=D(2026, 9, 24),
        votes={c.pk: (3, 0)}, actor=u["qa"],
    )  # fmt: skip
    candidacy_approve(candidacy=c, actor=u["vp"], today=D(2026, 9, 25))
    url = f"/rounds/{rnd.pk}/appointment/{c.pk}."

    client.force_login(u["hr"])
    assert client.get(url + "pdf").status_code == 404  # no notice before the appointment
    candidacy_appoint(candidacy=c, decided=D(2026, 9, 28), actor=u["hr"])
    response = client.get(url + "pdf")
    assert response["Content-Type"] == "application/pdf"
    # pypdf reads this font's text with a NUL after each character; the words are what is checked
    text = "".join(
        PdfReader(io.BytesIO(response.content)).pages[0].extract_text().replace("\x00", "").split()
    )
    assert "任命通知〔2026〕001号" in text
    assert "决定任命你为部门主管或助理（原任客服组长），自2026年09月28日起生效" in text
    fonts = PdfReader(io.BytesIO(client.get(url + "pdf").content)).pages[0]["/Resources"]["/Font"]
    embedded = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts.values()]
    assert all("/FontFile3" in d or "/FontFile2" in d for d in embedded)  # the Chinese font travels with it

    word = docx.Document(io.BytesIO(client.get(url + "docx").content))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[:3] == ["任命通知", "〔2026〕001号", "周舟（工号 Z2，游戏客服部）："]
    assert (
        "根据主管空缺补充的结果，决定任命你为部门主管或助理（原任客服组长），自 2026年09月28日 起生效。"
        in paragraphs
    )

    client.force_login(u["chen"])  # another team lead: not their notice and not in their scope
    assert client.get(url + "pdf").status_code == 404
