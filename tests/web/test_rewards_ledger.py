"""Reward runs over the database and the ledger (issue 12, "Runs and the ledger"), on the example
department of salary-grade-quarterly. The amounts are worked by hand from the example policy and files:
probation month 2 = commission × 50%, the supervisor's management bonus = 5% of the department's
commission, the KPI tiers 800/500/200 with a department budget of 2500."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.rewards.models import Dispute, PayChange, RewardLine
from rungs.rewards.services import (
    RewardRefused,
    dispute_decide,
    line_dispute,
    line_reverse,
    reward_run_approve,
    reward_run_pay,
    reward_run_start,
)
from tests.web.rewards_office import DATA, POLICY, office  # noqa: F401  (the fixture)

D = Decimal
S = RewardLine.State


def amounts(run):
    return {
        (ln.employee.employee_id, ln.plan): ln.amount
        for ln in run.lines.select_related("employee").order_by("pk")
    }


def test_it_runs_the_plans_of_may_with_hand_worked_amounts(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    got = amounts(run)
    # probation month 2 (PR1 hired 2026-04-20, PR3 2026-04-01): 6300.00 × 50% = 3150.00, 4100.50 × 50% = 2050.25
    assert got[("PR1", "commission")] == D("3150.00")
    assert got[("PR3", "commission")] == D("2050.25")
    # PR2 hired 2026-05-15: probation month 1, a 0% share, so no line at all
    assert ("PR2", "commission") not in got
    # the department's commission in May: 6300 + 2100 + 4100.50 + 8000 + 5000 + 7200 + 9000 + 6800 + 10000
    # + 9500 = 68000.50; × 5% = 3400.025 → 3400.03 (half away from zero), for each supervisor
    assert got[("SV1", "management_bonus")] == D("3400.03")
    assert got[("SV2", "management_bonus")] == D("3400.03")
    # KPI tiers: J1 csat 95 ≥ 95 and resolution 0.90 ≥ 0.90 → 一档 800; J2 94.9 → 二档 500; E1 85 → 三档 200
    assert got[("J1", "kpi_bonus")] == D("800.00")
    assert got[("J2", "kpi_bonus")] == D("500.00")
    assert got[("E1", "kpi_bonus")] == D("200.00")
    # E2 csat 84.9 < 85: no tier
    assert ("E2", "kpi_bonus") not in got
    line = run.lines.get(employee__employee_id="J1", plan="kpi_bonus")
    assert line.explanation == "客户满意度 95 ≥ 95 且 问题解决率 90% ≥ 90% → 一档 800.00 元"
    assert line.inputs == {"csat": "95", "resolution_rate": "0.9", "tier": "一档"}
    assert line.state == S.ACCRUED and line.department == "客服部" and line.cycle == "2026-05"
    assert line.policy == policy
    assert AuditEntry.objects.filter(action="reward.run", actor="hr").count() == 1


def test_the_database_run_gives_the_lines_of_rungs_rewards_to_the_fen(office, tmp_path):  # noqa: F811
    u, policy = office
    for cycle in ("2026-05", "2026-06", "2026-10"):
        run = reward_run_start(policy=policy, cycle=cycle, actor=u["hr"])
        out = subprocess.run(
            [sys.executable, "-m", "rungs.cli", "rewards", "--policy", str(POLICY), "--data", str(DATA),
             "--cycle", cycle, "--format", "json"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        files = json.loads(out.stdout)
        stored = [
            {
                "employee_id": ln.employee.employee_id,
                "plan": ln.plan,
                "component": ln.component,
                "amount": f"{ln.amount:.2f}",
                "unit": "yuan",  # the ledger takes plans in yuan only (a points plan is refused)
                "explanation": ln.explanation,
                "inputs": ln.inputs,
            }
            for ln in run.lines.select_related("employee").order_by("pk")
        ]
        assert stored == files["lines"], cycle
        pay = [
            {"employee_id": p.employee.employee_id, "reason": p.reason, "from": f"{p.pay_from:.2f}",
             "to": f"{p.pay_to:.2f}", "effective": p.effective}
            for p in PayChange.objects.filter(run=run).select_related("employee")
        ]  # fmt: skip
        assert pay == [
            {k: c[k] for k in ("employee_id", "reason", "from", "to", "effective")}
            for c in files["pay_changes"]
        ]


def test_it_records_the_pay_changes_of_october(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-10", actor=u["hr"])
    got = {
        p.employee.employee_id: (p.reason, p.pay_from, p.pay_to, p.effective)
        for p in run.pay_changes.select_related("employee")
    }
    # J3 promoted 2026-10-01: 5555.55 × 110% = 6111.105 → 6111.11; S3 and SV2 demoted: 6000 × 90% = 5400,
    # 9000 × 90% = 8100; all from the month after (pay_effective: next_month)
    assert got == {
        "J3": ("promotion", D("5555.55"), D("6111.11"), "2026-11"),
        "S3": ("demotion", D("6000.00"), D("5400.00"), "2026-11"),
        "SV2": ("demotion", D("9000.00"), D("8100.00"), "2026-11"),
    }
    # SV2 is no longer a supervisor on 2026-10-31: only SV1 has the 5% bonus, of 8000 + 7000 + 6000 = 21000
    assert amounts(run)[("SV1", "management_bonus")] == D("1050.00")
    assert ("SV2", "management_bonus") not in amounts(run)


def test_a_cycle_is_run_once(office):  # noqa: F811
    u, policy = office
    reward_run_start(policy=policy, cycle="2026-06", actor=u["hr"])
    with pytest.raises(RewardRefused, match="已经核算过"):
        reward_run_start(policy=policy, cycle="2026-06", actor=u["hr"])
    with pytest.raises(RewardRefused, match="YYYY-MM"):
        reward_run_start(policy=policy, cycle="2026-13", actor=u["hr"])


@pytest.mark.parametrize("who", ["wu", "lead", "sup", "dm2", "qa"])
def test_only_hr_runs_rewards(office, who):  # noqa: F811
    u, policy = office
    with pytest.raises(Denied):
        reward_run_start(policy=policy, cycle="2026-05", actor=u[who])
    assert not RewardLine.objects.exists()


def test_approval_refuses_a_plan_over_its_budget(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    # kpi_bonus in 客服部: J1 800 + J2 500 + J3 500 + S1 500 + S3 200 + E1 200 = 2700 > 2500, by 200
    with pytest.raises(RewardRefused) as refused:
        reward_run_approve(run=run, actor=u["boss"])
    assert str(refused.value) == (
        "超出预算，未批准：方案「月度KPI档位奖金」客服部 2026-05 周期的预算为 2500.00 元，"
        "批准后合计 2700.00 元，超出 200.00 元。"
    )
    assert not run.lines.exclude(state=S.ACCRUED).exists()
    # the plans without a budget are approved on their own
    assert reward_run_approve(run=run, actor=u["boss"], plan="commission") == 9
    # S3's 200 reversed (its tier was wrong): 2500 left, exactly the budget
    s3 = run.lines.get(employee__employee_id="S3", plan="kpi_bonus")
    line_reverse(line=s3, reason="满意度数据有误", actor=u["hr"])
    assert (
        reward_run_approve(run=run, actor=u["boss"], plan="kpi_bonus") == 7
    )  # its 6 lines and the reversal (S3 nets to 0)
    assert AuditEntry.objects.filter(action="reward.approve").count() == 2


@pytest.mark.parametrize("who", ["wu", "lead", "sup", "dm2", "qa"])
def test_only_hr_and_executives_approve(office, who):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-06", actor=u["hr"])
    with pytest.raises(Denied):
        reward_run_approve(run=run, actor=u[who])
    with pytest.raises(Denied):
        reward_run_pay(run=run, actor=u[who])


def test_a_dispute_upheld_reverses_the_line_from_its_frozen_inputs(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-10", actor=u["hr"])
    reward_run_approve(run=run, actor=u["boss"])
    reward_run_pay(run=run, actor=u["hr"])
    line = run.lines.get(employee__employee_id="S3")  # 6000.00 commission, 100%
    with pytest.raises(Denied, match="只能对自己的"):
        line_dispute(line=line, text="不对", actor=u["wu"])
    with pytest.raises(RewardRefused, match="请写明"):
        line_dispute(line=line, text="  ", actor=u["zheng"])
    d = line_dispute(line=line, text="十月提成应为 6500 元，有一张订单漏算", actor=u["zheng"])
    with pytest.raises(RewardRefused, match="待答复"):
        line_dispute(line=line, text="再问一次", actor=u["zheng"])
    for who in ("zheng", "lead", "sup", "boss"):
        with pytest.raises(Denied):
            dispute_decide(dispute=d, upheld=True, answer="成立", actor=u[who])
    # today's data changed meanwhile: the reversal still takes the frozen 6000.00, not a recomputation
    from rungs.records.models import Metric

    Metric.objects.filter(employee__employee_id="S3", metric="commission").update(value=9999)
    d = dispute_decide(
        dispute=d, upheld=True, answer="核实漏算订单 500 元", actor=u["hr"], corrected_amount="6500.00"
    )
    line.refresh_from_db()
    assert (line.amount, line.state, line.inputs["commission"]) == (D("6000.00"), S.PAID, "6000.00")
    assert d.state == Dispute.State.UPHELD
    assert (d.reversal.amount, d.reversal.reverses, d.reversal.state) == (D("-6000.00"), line, S.APPROVED)
    assert d.reversal.inputs == {**line.inputs, "reverses": str(line.pk)}
    assert (d.correction.amount, d.correction.corrects) == (D("6500.00"), line)
    # S3's October: 6000 − 6000 + 6500 = 6500
    assert sum(
        ln.amount for ln in RewardLine.objects.filter(employee__employee_id="S3", cycle="2026-10")
    ) == D("6500.00")
    with pytest.raises(RewardRefused, match="已经冲销"):
        line_reverse(line=line, reason="再冲一次", actor=u["hr"])
    with pytest.raises(RewardRefused, match="已经答复"):
        dispute_decide(dispute=d, upheld=False, answer="x", actor=u["hr"])
    assert AuditEntry.objects.filter(action="reward.decide", employee_id="S3").count() == 1


def test_a_rejected_dispute_leaves_the_ledger_alone(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-10", actor=u["hr"])
    line = run.lines.get(employee__employee_id="S3")
    d = line_dispute(line=line, text="应为 6500", actor=u["zheng"])
    d = dispute_decide(dispute=d, upheld=False, answer="订单不在十月", actor=u["hr"])
    assert d.state == Dispute.State.REJECTED and d.reversal is None
    assert RewardLine.objects.filter(employee__employee_id="S3").count() == 1


def test_the_database_refuses_to_edit_a_line(office):  # noqa: F811
    from django.db import DatabaseError, transaction

    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-10", actor=u["hr"])
    line = run.lines.get(employee__employee_id="S3")
    for change in (
        {"amount": D("6500.00")},
        {"inputs": {"commission": "6500.00"}},
        {"explanation": "改"},
        {"unit": "points"},
    ):
        with pytest.raises(DatabaseError, match="never edited"), transaction.atomic():
            RewardLine.objects.filter(pk=line.pk).update(**change)
    line.refresh_from_db()
    assert line.amount == D("6000.00")
    RewardLine.objects.filter(pk=line.pk).update(state=S.APPROVED)  # the state moves


def test_a_plan_in_points_keeps_points_apart_from_money(office):  # noqa: F811
    """A copy of the KPI tiers paying points (8 / 5 / 2 积分) instead of yuan: J1 → 一档 8, J2 → 二档 5,
    E1 → 三档 2 (the same KPIs as the yuan plan's 800 / 500 / 200). Points go to the ledger as whole
    numbers with their unit, are summed apart from money, and stay out of the payroll."""
    from rungs.policies.services import policy_create
    from rungs.rewards.selectors import payroll_frame

    u, policy = office
    text = POLICY.read_text(encoding="utf-8").replace('version: "2026.1"', 'version: "2026.2"')
    plan = text[text.index("    - id: kpi_bonus\n") :]
    points = (
        plan.replace("id: kpi_bonus", "id: kpi_points")
        .replace("      budget: {amount: 2500, per: department}\n", "      unit: points\n")
        .replace("amount: 800", "amount: 8")
        .replace("amount: 500", "amount: 5")
        .replace("amount: 200", "amount: 2")
    )
    assert points.count("unit: points") == 1
    stored = policy_create(text=text + points, filename=POLICY.name, actor=u["hr"])
    run = reward_run_start(policy=stored, cycle="2026-05", actor=u["hr"])
    got = {
        (ln.employee.employee_id, ln.plan): (ln.amount, ln.unit)
        for ln in run.lines.select_related("employee").filter(plan__in=["kpi_bonus", "kpi_points"])
    }
    assert got[("J1", "kpi_points")] == (D("8"), "points")
    assert got[("J2", "kpi_points")] == (D("5"), "points")
    assert got[("E1", "kpi_points")] == (D("2"), "points")
    assert got[("J1", "kpi_bonus")] == (D("800.00"), "yuan")
    line = run.lines.get(employee__employee_id="J1", plan="kpi_points")
    assert line.shown == "8" and "积分" in line.explanation
    # the run's audit entry sums money and points apart; the points plan is the yuan plan at 1/100
    entry = AuditEntry.objects.get(action="reward.run", target_id=str(run.pk))
    yuan_tiers = sum((ln.amount for ln in run.lines.filter(plan="kpi_bonus")), D(0))
    assert D(entry.after["points"]) == yuan_tiers / 100 and entry.after["points"] == "27"
    assert D(entry.after["total"]) == sum((ln.amount for ln in run.lines.filter(unit="yuan")), D(0))
    # a correction in points must be whole
    with pytest.raises(RewardRefused, match="整数"):
        line_reverse(line=line, reason="档位有误", actor=u["hr"], corrected_amount="4.5")
    reward_run_approve(run=run, actor=u["hr"], plan="kpi_points")
    reward_run_approve(run=run, actor=u["hr"], plan="commission")
    payroll = payroll_frame("2026-05")
    # one KPI档位奖金 column (the yuan plan's, nothing approved of it yet): J1's 8 points are not in it
    assert [c for c in payroll.columns if "KPI档位奖金" in c] == ["KPI档位奖金"]
    assert not any("kpi_points" in c for c in payroll.columns)  # nor a column of its own
    j1 = payroll.filter(payroll[payroll.columns[0]] == "J1").row(0, named=True)
    assert j1["KPI档位奖金"] == D("0.00")
