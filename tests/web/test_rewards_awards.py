"""Awards on the ledger (专项奖励, rungs.rewards.awards): lines no plan computed, posted by HR (or a department
manager in their department) with a reason, approved and paid with the cycle's awards run, in the payroll's
专项奖励 column, disputed and reversed like any line, charged to no plan's budget. And the points balance of
the statements. Amounts are worked by hand on the example salary-grade-quarterly department (see
test_rewards_ledger and test_rewards_pages for the plans' own amounts)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.people.models import Department, Employee
from rungs.rewards.awards import AwardRefused, award_post
from rungs.rewards.models import RewardLine, RewardRun
from rungs.rewards.selectors import payroll_frame, points_balances
from rungs.rewards.services import (
    RewardRefused,
    dispute_decide,
    line_dispute,
    line_reverse,
    reward_run_approve,
    reward_run_pay,
    reward_run_start,
)
from tests.web.rewards_office import POLICY, office  # noqa: F401  (the fixture)

D = Decimal
S = RewardLine.State
P = RewardLine.Unit.POINTS


def emp(code: str) -> Employee:
    return Employee.objects.select_related("department").get(employee_id=code)


@pytest.fixture
def dm(office):  # noqa: F811
    """The 客服部 department manager (their own record is SV2's, to show nobody awards themselves)."""
    return get_user_model().objects.create(
        username="dm",
        role="department_manager",
        department=Department.objects.get(name="客服部"),
        employee=emp("SV2"),
    )


def row(frame, code: str) -> dict:
    return frame.filter(frame[frame.columns[0]] == code).row(0, named=True)


def test_an_award_is_an_accrued_line_of_the_cycles_awards_run(office):  # noqa: F811
    u, _ = office
    line = award_post(
        employee=emp("J1"), cycle="2026-10", amount="300.50", reason="十月零投诉一次性奖金", actor=u["hr"]
    )
    assert (line.amount, line.unit, line.state, line.cycle) == (D("300.50"), "yuan", S.ACCRUED, "2026-10")
    assert (line.plan, line.component, line.policy_id, line.department) == ("awards", "award", None, "客服部")
    assert line.explanation == "专项奖励：十月零投诉一次性奖金"
    assert line.explanation_en == "Award: 十月零投诉一次性奖金"
    assert line.inputs == {"reason": "十月零投诉一次性奖金", "posted_by": "hr"}
    run = line.run
    assert (run.kind, run.policy_id, run.cycle) == ("awards", None, "2026-10")
    second = award_post(employee=emp("J3"), cycle="2026-10", amount="200", reason="带教新人", actor=u["hr"])
    assert second.run_id == run.pk  # one awards run per cycle
    assert RewardRun.objects.filter(kind="awards").count() == 1
    entry = AuditEntry.objects.get(action="reward.award", target_id=str(line.pk))
    assert (entry.actor, entry.employee_id, entry.reason) == ("hr", "J1", "十月零投诉一次性奖金")
    assert entry.after == {"run": run.pk, "cycle": "2026-10", "amount": "300.50 元"}


@pytest.mark.parametrize(
    ("amount", "unit", "reason", "cycle", "message"),
    [
        ("0", "yuan", "奖金", "2026-10", "大于 0"),
        ("-50", "yuan", "奖金", "2026-10", "大于 0"),
        ("1.234", "yuan", "奖金", "2026-10", "两位小数"),
        ("abc", "yuan", "奖金", "2026-10", "大于 0"),
        ("1.5", "points", "奖金", "2026-10", "正整数"),
        ("100", "yuan", "  ", "2026-10", "原因"),
        ("100", "yuan", "奖金", "2026-13", "YYYY-MM"),
        ("100", "coins", "奖金", "2026-10", "单位"),
    ],
)
def test_a_wrong_award_is_refused_and_stores_nothing(office, amount, unit, reason, cycle, message):  # noqa: F811
    u, _ = office
    with pytest.raises(AwardRefused, match=message):
        award_post(employee=emp("J1"), cycle=cycle, amount=amount, unit=unit, reason=reason, actor=u["hr"])
    assert not RewardLine.objects.exists() and not RewardRun.objects.exists()


@pytest.mark.parametrize("who", ["wu", "lead", "sup", "boss", "qa"])
def test_agents_the_line_and_executives_post_no_awards(office, who):  # noqa: F811
    u, _ = office
    with pytest.raises(Denied):
        award_post(employee=emp("J1"), cycle="2026-10", amount="100", reason="奖金", actor=u[who])
    assert not RewardLine.objects.exists()


def test_a_department_manager_awards_their_department_only_and_never_themselves(office, dm):  # noqa: F811
    u, _ = office
    line = award_post(employee=emp("J3"), cycle="2026-10", amount="200", reason="带教新人", actor=dm)
    assert line.amount == D("200.00")
    with pytest.raises(Denied, match="不在您的管理范围内"):  # 售后部's manager, for someone of 客服部
        award_post(employee=emp("J1"), cycle="2026-10", amount="100", reason="奖金", actor=u["dm2"])
    with pytest.raises(Denied, match="不能为自己"):
        award_post(employee=emp("SV2"), cycle="2026-10", amount="100", reason="奖金", actor=dm)
    with pytest.raises(Denied):  # the manager posts; HR or an executive approves
        reward_run_approve(run=line.run, actor=dm)
    assert RewardLine.objects.count() == 1


def test_awards_are_approved_paid_and_in_the_payroll_column_with_the_totals(office, dm):  # noqa: F811
    """October: the plans' lines approved as in test_rewards_pages (J1 8000, J3 7000, S3 6000 commission);
    awards J1 300.50 (HR), J3 200.00 (the manager), S3 120 points (no money, not in the payroll)."""
    u, policy = office
    plans = reward_run_start(policy=policy, cycle="2026-10", actor=u["hr"])
    reward_run_approve(run=plans, actor=u["boss"])
    a = award_post(employee=emp("J1"), cycle="2026-10", amount="300.50", reason="零投诉", actor=u["hr"])
    award_post(employee=emp("J3"), cycle="2026-10", amount="200", reason="带教新人", actor=dm)
    award_post(employee=emp("S3"), cycle="2026-10", amount="120", unit=P, reason="服务之星", actor=u["hr"])
    assert "专项奖励" not in payroll_frame("2026-10").columns  # accrued: not paid yet
    assert reward_run_approve(run=a.run, actor=u["boss"]) == 3
    frame = payroll_frame("2026-10")
    assert frame.columns == [
        "工号", "姓名", "部门", "基本工资", "提成", "部门管理奖金（客服总提成的5%）", "KPI档位奖金", "专项奖励", "合计",
    ]  # fmt: skip
    assert row(frame, "J1")["专项奖励"] == D("300.50")
    assert row(frame, "J1")["合计"] == D("13300.50")  # 5000 base + 8000 commission + 300.50
    assert row(frame, "J3")["合计"] == D("12755.55")  # 5555.55 + 7000 + 200.00
    assert row(frame, "S3")["专项奖励"] == D("0.00")  # 120 points are no money
    assert row(frame, "S3")["合计"] == D("12000.00")  # 6000 + 6000, as before
    assert row(frame, "E1")["专项奖励"] == D("0.00")
    assert sum(frame["专项奖励"].to_list(), D(0)) == D("500.50")
    assert reward_run_pay(run=a.run, actor=u["hr"]) == 3
    assert set(a.run.lines.values_list("state", flat=True)) == {S.PAID}
    assert row(payroll_frame("2026-10"), "J1")["合计"] == D("13300.50")  # paid lines stay in


def test_awards_are_charged_to_no_plans_budget(office):  # noqa: F811
    """May: kpi_bonus in 客服部 is 2700 > 2500 (test_rewards_ledger). An award of 3000.00 in the same cycle
    and department, above any budget, is approved, and the plan's refusal is the very same as without it."""
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    award = award_post(employee=emp("J1"), cycle="2026-05", amount="3000", reason="年中特别奖", actor=u["hr"])
    assert reward_run_approve(run=award.run, actor=u["boss"]) == 1
    with pytest.raises(RewardRefused) as refused:
        reward_run_approve(run=run, actor=u["boss"], plan="kpi_bonus")
    assert "批准后合计 2700.00 元，超出 200.00 元。" in str(refused.value)


def test_an_award_is_disputed_and_corrected_like_any_line(office):  # noqa: F811
    u, _ = office
    line = award_post(employee=emp("J1"), cycle="2026-10", amount="300.50", reason="零投诉", actor=u["hr"])
    reward_run_approve(run=line.run, actor=u["hr"])
    with pytest.raises(Denied):
        line_dispute(line=line, text="不是我的", actor=u["zheng"])
    d = line_dispute(line=line, text="说好的是 350.50", actor=u["wu"])
    d = dispute_decide(
        dispute=d, upheld=True, answer="核实为 350.50", actor=u["hr"], corrected_amount="350.50"
    )
    assert (d.reversal.amount, d.reversal.state, d.reversal.run_id) == (D("-300.50"), S.APPROVED, line.run_id)
    assert (d.correction.amount, d.correction.policy_id, d.correction.plan) == (D("350.50"), None, "awards")
    # 300.50 − 300.50 + 350.50: the corrected amount, approved, needs no budget
    assert row(payroll_frame("2026-10"), "J1")["专项奖励"] == D("350.50")
    with pytest.raises(RewardRefused, match="已经冲销"):
        line_reverse(line=line, reason="再冲一次", actor=u["hr"])


def test_the_database_refuses_to_edit_an_award_line(office):  # noqa: F811
    from django.db import DatabaseError, transaction

    u, policy = office
    line = award_post(employee=emp("J1"), cycle="2026-10", amount="100", reason="奖金", actor=u["hr"])
    for change in ({"amount": D("900")}, {"policy": policy}, {"explanation": "改"}, {"inputs": {}}):
        with pytest.raises(DatabaseError, match="never edited"), transaction.atomic():
            RewardLine.objects.filter(pk=line.pk).update(**change)
    # a line without a policy is an award's only
    with pytest.raises(DatabaseError), transaction.atomic():
        RewardLine.objects.create(
            run=line.run, employee=line.employee, policy=None, plan="commission", component="c",
            cycle="2026-10", amount=D("1"), explanation="x",
        )  # fmt: skip


def test_hr_posts_from_the_runs_page_and_the_employee_reads_the_reason(client, office, dm):  # noqa: F811
    u, _ = office
    client.force_login(u["hr"])
    page = client.get("/rewards/runs/").content.decode()
    assert 'id="award-form"' in page
    form = {"employee": "J1", "cycle": "2026-10", "amount": "300.50", "unit": "yuan", "reason": "零投诉"}
    r = client.post("/rewards/awards/", {**form, "back": "runs"})
    assert r.status_code == 302 and r["Location"] == "/rewards/runs/"
    line = RewardLine.objects.get()
    assert line.amount == D("300.50")
    assert "专项奖励" in client.get("/rewards/runs/").content.decode()
    assert "专项奖励" in client.get(f"/rewards/runs/{line.run_id}/").content.decode()
    r = client.post("/rewards/awards/", {**form, "employee": "NOPE"}, follow=True)
    assert "找不到工号 NOPE" in r.content.decode() and RewardLine.objects.count() == 1
    client.force_login(dm)  # the manager's page: their department only
    r = client.post("/rewards/awards/", {**form, "employee": "J3", "amount": "200"}, follow=True)
    assert "已登记 吴三 2026-10 的专项奖励 200.00" in r.content.decode()
    client.force_login(u["dm2"])
    r = client.post("/rewards/awards/", {**form, "employee": "J3"}, follow=True)
    assert "找不到工号 J3" in r.content.decode() and RewardLine.objects.count() == 2
    for who in ("wu", "lead", "boss"):
        client.force_login(u[who])
        assert client.get("/rewards/awards/").status_code == 403
        assert client.post("/rewards/awards/", form).status_code == 403
    assert RewardLine.objects.count() == 2
    client.force_login(u["wu"])
    mine = client.get("/rewards/statement/?cycle=2026-10").content.decode()
    assert "专项奖励：零投诉" in mine and "300.50" in mine


def _points_policy(u):
    """The example policy with a copy of the KPI tiers paying points (J1 一档 → 8 积分 in May)."""
    from rungs.policies.services import policy_create

    text = POLICY.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2026.2"')
    plan = text[text.index("    - id: kpi_bonus\n") :]
    points = (
        plan.replace("id: kpi_bonus", "id: kpi_points")
        .replace("      budget: {amount: 2500, per: department}\n", "      unit: points\n")
        .replace("amount: 800", "amount: 8")
        .replace("amount: 500", "amount: 5")
        .replace("amount: 200", "amount: 2")
    )
    return policy_create(text=text + points, filename=POLICY.name, actor=u["hr"])


def test_the_points_balance_sums_approved_and_paid_points_over_every_cycle(client, office):  # noqa: F811
    """J1: 8 (May's KPI points, paid) + 50 (an award, approved) + 30 (approved, then reversed and corrected
    to 25: −30 + 25) = 8 + 50 + 30 − 30 + 25 = 83; the 20 still accrued and the 800.00 yuan do not count."""
    u, _ = office
    run = reward_run_start(policy=_points_policy(u), cycle="2026-05", actor=u["hr"])
    reward_run_approve(run=run, actor=u["hr"], plan="kpi_points")
    reward_run_pay(run=run, actor=u["hr"])
    j1 = emp("J1")
    sep = award_post(employee=j1, cycle="2026-09", amount="50", unit=P, reason="九月服务之星", actor=u["hr"])
    reward_run_approve(run=sep.run, actor=u["hr"])
    oct_ = award_post(employee=j1, cycle="2026-10", amount="30", unit=P, reason="十月服务之星", actor=u["hr"])
    reward_run_approve(run=oct_.run, actor=u["hr"])
    line_reverse(line=oct_, reason="应为 25", actor=u["hr"], corrected_amount="25")
    award_post(employee=j1, cycle="2026-10", amount="20", unit=P, reason="待批准", actor=u["hr"])
    codes = dict(Employee.objects.values_list("pk", "employee_id"))
    got = {codes[pk]: total for pk, total in points_balances(Employee.objects.all()).items()}
    # the others' May KPI points, paid (the yuan tiers 500 / 200 at 1/100); E2 reached no tier
    assert got == {"J1": D("83"), "J2": D("5"), "J3": D("5"), "S1": D("5"), "S3": D("2"), "E1": D("2")}
    assert points_balances([emp("E2").pk]) == {}

    client.force_login(u["wu"])
    page = client.get("/rewards/statement/").content.decode()
    assert '<p id="points-balance">积分余额：<strong>83</strong>' in page
    client.force_login(u["zheng"])  # S3: May's 三档, 2 points
    assert "积分余额：<strong>2</strong>" in client.get("/rewards/statement/").content.decode()
    client.force_login(u["lead"])  # 一组: J1 is theirs
    team = client.get("/rewards/team/?cycle=2026-10").content.decode()
    assert '<tr data-employee="J1"><td>吴一（J1）</td><td class="num">83</td></tr>' in team
    client.force_login(u["dm2"])  # another department: not J1's balance
    assert 'data-employee="J1"><td>吴一' not in client.get("/rewards/team/").content.decode()
