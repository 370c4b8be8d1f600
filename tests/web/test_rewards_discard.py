"""Discarding a reward run while all its lines are still accrued (作废): the lines stay, in state discarded,
out of the statements, the payroll and the budgets, and the cycle can be run again; a run with an approved
or paid line is refused with the reason. May 2026 of the example salary-grade-quarterly, worked by hand in
test_rewards_ledger: 17 lines, 70200.31 元."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.rewards.models import RewardLine, RewardRun
from rungs.rewards.selectors import payroll_frame
from rungs.rewards.services import (
    RewardRefused,
    line_dispute,
    reward_run_approve,
    reward_run_discard,
    reward_run_pay,
    reward_run_start,
)
from tests.web.rewards_office import office  # noqa: F401  (the fixture)

S = RewardLine.State


def test_an_accrued_run_is_discarded_and_the_cycle_run_again(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    # commission: PR1 3150.00, PR3 2050.25, J1 8000, J2 5000, J3 7200, S1 9000, S3 6800, E1 10000, E2 9500
    # (9 lines, 60700.25); management bonus SV1, SV2 3400.03 each (6800.06); KPI tiers J1 800, J2 500,
    # J3 500, S1 500, S3 200, E1 200 (6 lines, 2700): 17 lines, 70200.31
    assert reward_run_discard(run=run, reason="提成数据导入有误", actor=u["hr"]) == 17
    run.refresh_from_db()
    assert run.is_discarded and run.discarded_by == u["hr"] and run.discard_reason == "提成数据导入有误"
    # nothing deleted: every line is still there, discarded
    assert run.lines.count() == 17
    assert set(run.lines.values_list("state", flat=True)) == {S.DISCARDED}
    entry = AuditEntry.objects.get(action="reward.discard")
    assert entry.actor == "hr" and entry.reason == "提成数据导入有误"
    assert entry.before == {"state": "accrued", "lines": 17, "total": "70200.31"}
    assert entry.after == {"state": "discarded", "lines": 17}
    # the cycle is run again: a new run with its own 17 accrued lines
    again = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    assert again.pk != run.pk and again.lines.filter(state=S.ACCRUED).count() == 17
    # and that one is run once, as before
    with pytest.raises(RewardRefused, match="已经核算过"):
        reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])


def test_discarded_lines_stay_out_of_statements_payroll_and_budget(client, office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    reward_run_discard(run=run, reason="重算", actor=u["hr"])
    client.force_login(u["wu"])  # 吴一 J1 had 8000.00 commission and 800.00 KPI bonus in the discarded run
    html = client.get("/rewards/statement/").content.decode()
    assert "没有奖励明细" in html and "8000.00" not in html
    client.force_login(u["sup"])
    html = client.get("/rewards/team/").content.decode()
    assert "没有奖励明细" in html
    # payroll: base pay only (J1 5000 + 0)
    frame = payroll_frame("2026-05")
    j1 = frame.filter(frame["工号"] == "J1").row(0, named=True)
    assert j1["合计"] == Decimal("5000.00")
    # the new run's KPI bonus: 2700 > 2500 still refused, the discarded 2700 is not counted on top
    again = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    with pytest.raises(RewardRefused, match="批准后合计 2700.00 元"):
        reward_run_approve(run=again, actor=u["boss"], plan="kpi_bonus")


def test_a_run_with_an_approved_line_cannot_be_discarded(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    assert reward_run_approve(run=run, actor=u["boss"], plan="commission") == 9
    with pytest.raises(RewardRefused) as refused:
        reward_run_discard(run=run, reason="重算", actor=u["hr"])
    assert str(refused.value) == (
        "不能作废：本次核算已有 9 条明细已批准、0 条已发放。已批准或已发放的明细只能逐条冲销更正，不能整体作废。"
    )
    reward_run_pay(run=run, actor=u["hr"])
    with pytest.raises(RewardRefused, match="已有 0 条明细已批准、9 条已发放"):
        reward_run_discard(run=run, reason="重算", actor=u["hr"])
    assert not RewardRun.objects.filter(discarded_at__isnull=False).exists()
    assert run.lines.filter(state=S.ACCRUED).count() == 8  # the other plans' lines untouched
    assert not AuditEntry.objects.filter(action="reward.discard").exists()


def test_what_a_discard_needs_and_what_a_discarded_run_refuses(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    with pytest.raises(RewardRefused, match="请写明作废的原因"):
        reward_run_discard(run=run, reason="  ", actor=u["hr"])
    line = run.lines.get(employee__employee_id="J1", plan="commission")
    dispute = line_dispute(line=line, text="提成少算了", actor=u["wu"])
    with pytest.raises(RewardRefused, match="有 1 项待答复的异议"):
        reward_run_discard(run=run, reason="重算", actor=u["hr"])
    dispute.delete()  # as if answered elsewhere; the rule under test is the open dispute
    reward_run_discard(run=run, reason="重算", actor=u["hr"])
    with pytest.raises(RewardRefused, match="已于 .* 作废"):
        reward_run_discard(run=run, reason="再作废", actor=u["hr"])
    with pytest.raises(RewardRefused, match="已于 .* 作废"):
        reward_run_approve(run=run, actor=u["boss"])
    with pytest.raises(RewardRefused, match="已经作废"):
        line_dispute(line=line, text="再问", actor=u["wu"])


@pytest.mark.parametrize("who", ["boss", "wu", "lead", "sup", "dm2", "qa"])
def test_only_hr_discards(office, who):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    with pytest.raises(Denied):
        reward_run_discard(run=run, reason="重算", actor=u[who])
    assert not run.lines.exclude(state=S.ACCRUED).exists()


def test_the_run_page_offers_the_discard_with_a_confirmation(client, office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    client.force_login(u["boss"])  # may approve, may not discard: no form
    assert 'id="discard"' not in client.get(f"/rewards/runs/{run.pk}/").content.decode()
    client.force_login(u["hr"])
    html = client.get(f"/rewards/runs/{run.pk}/").content.decode()
    assert 'id="discard"' in html and 'name="confirm"' in html
    url = f"/rewards/runs/{run.pk}/act/"
    html = client.post(url, {"step": "discard", "reason": "重算"}, follow=True).content.decode()
    assert "请勾选“确认作废”后再提交" in html
    assert not RewardRun.objects.get(pk=run.pk).is_discarded
    html = client.post(
        url, {"step": "discard", "reason": "提成数据导入有误", "confirm": "1"}, follow=True
    ).content.decode()
    assert "已作废本次核算（17 条明细），可重新核算 2026-05" in html
    assert 'id="discarded"' in html and "提成数据导入有误" in html
    assert 'id="discard"' not in html and 'id="approve"' not in html
    # a run with an approved line: no form, and the service's reason if posted anyway
    again = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    reward_run_approve(run=again, actor=u["boss"], plan="commission")
    assert 'id="discard"' not in client.get(f"/rewards/runs/{again.pk}/").content.decode()
    html = client.post(
        f"/rewards/runs/{again.pk}/act/", {"step": "discard", "reason": "x", "confirm": "1"}, follow=True
    ).content.decode()
    assert "不能作废：本次核算已有 9 条明细已批准" in html


def test_an_awards_run_is_not_discarded_whole(office):  # noqa: F811
    from rungs.people.models import Employee
    from rungs.rewards.awards import award_post

    u, _policy = office
    line = award_post(
        employee=Employee.objects.get(employee_id="J1"), cycle="2026-05", amount="300", unit="yuan",
        reason="抗疫表现", actor=u["hr"],
    )  # fmt: skip
    with pytest.raises(RewardRefused, match="专项奖励不能整体作废"):
        reward_run_discard(run=line.run, reason="x", actor=u["hr"])
