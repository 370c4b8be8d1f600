"""The reward pages: the published plans in words, statements within scope, the payroll export checked
cell by cell, the what-if of a draft, and refusals per role. Amounts worked by hand from the example
salary-grade-quarterly policy and files (see test_rewards_ledger)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from rungs.rewards.models import RewardLine
from rungs.rewards.services import dispute_decide, line_dispute, reward_run_approve, reward_run_start
from tests.web.rewards_office import POLICY, office  # noqa: F401  (the fixture)

HEAD = ["工号", "姓名", "部门", "基本工资", "提成", "部门管理奖金（客服总提成的5%）", "KPI档位奖金", "合计"]
# October 2026, approved: J1 8000, J3 7000, S3 6000 commission, SV1 1050 (5% of 21000); every employee with
# a base pay on file has a row; 合计 = base + the components.
OCTOBER = [
    ["E1", "王一", "客服部", 7000, 0, 0, 0, 7000],
    ["E2", "王二", "客服部", 7000, 0, 0, 0, 7000],
    ["J1", "吴一", "客服部", 5000, 8000, 0, 0, 13000],  # 5000 + 8000
    ["J2", "吴二", "客服部", 5000, 0, 0, 0, 5000],
    ["J3", "吴三", "客服部", 5555.55, 7000, 0, 0, 12555.55],  # 5555.55 + 7000
    ["PR1", "周一", "客服部", 4000, 0, 0, 0, 4000],
    ["PR2", "周二", "客服部", 4000, 0, 0, 0, 4000],
    ["PR3", "周三", "客服部", 4000, 0, 0, 0, 4000],
    ["S1", "郑一", "客服部", 6000, 0, 0, 0, 6000],
    ["S3", "郑三", "客服部", 6000, 6000, 0, 0, 12000],  # 6000 + 6000
    ["SV1", "冯一", "客服部", 9000, 0, 1050, 0, 10050],  # 9000 + 1050
    ["SV2", "冯二", "客服部", 9000, 0, 0, 0, 9000],
]


@pytest.fixture
def october(office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-10", actor=u["hr"])
    reward_run_approve(run=run, actor=u["boss"])
    return u, policy, run


def test_the_plans_are_published_in_words_to_every_employee(client, office):  # noqa: F811
    u, _ = office
    client.force_login(u["wu"])
    html = client.get("/rewards/").content.decode()
    assert "试用期第2个月：本人提成 × 50%" in html
    assert "<li>本部门提成合计 × 5%</li>" in html
    assert "一档：客户满意度 ≥ 95 且 问题解决率 ≥ 90% → 800.00 元" in html
    assert "三档：客户满意度 ≥ 85 → 200.00 元" in html
    assert "其他情况：本人提成 × 100%" in html
    assert "预算：每个部门每周期 2,500.00 元。" in html
    assert "每月核算；适用于初级客服、高级客服、资深客服" in html


def test_payroll_xlsx_cell_by_cell(client, october):
    u, _, _ = october
    client.force_login(u["hr"])
    r = client.get("/rewards/payroll/2026-10/")
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEAD
    assert rows[1:] == OCTOBER
    assert all(isinstance(v, (int, float)) for row in rows[1:] for v in row[3:])  # numbers are numbers


def test_payroll_csv_cell_by_cell_with_a_reversal_and_a_correction(client, october):
    u, _, run = october
    line = run.lines.get(employee__employee_id="S3")
    d = line_dispute(line=line, text="漏算一单", actor=u["zheng"])
    dispute_decide(dispute=d, upheld=True, answer="核实漏算 500 元", actor=u["hr"], corrected_amount="6500")
    client.force_login(u["hr"])
    r = client.get("/rewards/payroll/2026-10/?format=csv")
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == HEAD
    # S3: 6000 − 6000 (reversal) + 6500 (correction) = 6500 commission; 6000 + 6500 = 12500
    assert rows[10] == ["S3", "郑三", "客服部", "6000.00", "6500.00", "0.00", "0.00", "12500.00"]
    assert rows[3] == ["J1", "吴一", "客服部", "5000.00", "8000.00", "0.00", "0.00", "13000.00"]
    assert len(rows) == 13


@pytest.mark.parametrize("who", ["wu", "lead", "sup", "boss", "qa"])
def test_only_hr_exports_the_payroll(client, october, who):
    u, _, _ = october
    client.force_login(u[who])
    assert client.get("/rewards/payroll/2026-10/").status_code == 403


def test_an_agent_sees_their_own_lines_only(client, october):
    u, _, _ = october
    client.force_login(u["wu"])
    html = client.get("/rewards/statement/?cycle=2026-10").content.decode()
    assert "提成 8000.00 × 100%" in html  # J1's own line
    assert "7000.00" not in html  # J3's line is not theirs
    assert client.get("/rewards/team/").status_code == 403
    other = RewardLine.objects.get(employee__employee_id="J3")
    assert client.post(f"/rewards/lines/{other.pk}/dispute/", {"text": "x"}).status_code == 404


def test_a_team_lead_sees_the_team_and_a_supervisor_the_department(client, october):
    u, _, _ = october
    client.force_login(u["lead"])  # 一组: J1, J3 (and the probationers, who have no October line)
    html = client.get("/rewards/team/?cycle=2026-10").content.decode()
    assert 'data-employee="J1"' in html and 'data-employee="J3"' in html
    assert 'data-employee="S3"' not in html and 'data-employee="SV1"' not in html
    assert '<th class="num" id="total">15000.00</th>' in html  # 8000 + 7000
    client.force_login(u["sup"])  # 客服部: all four lines, 8000 + 7000 + 6000 + 1050 = 22050
    html = client.get("/rewards/team/?cycle=2026-10").content.decode()
    assert '<th class="num" id="total">22050.00</th>' in html


def test_the_what_if_of_a_draft_shows_cost_and_who_changes_tier(client, office):  # noqa: F811
    u, policy = office
    client.force_login(u["hr"])
    # the draft lowers tier 1's CSAT to 94 and pays it 900
    draft = (
        POLICY.read_text(encoding="utf-8")
        .replace("at_least: 95}", "at_least: 94}")
        .replace("amount: 800", "amount: 900")
    )
    html = client.post(
        "/rewards/what-if/", {"policy": policy.pk, "cycle": "2026-05", "text": draft}
    ).content.decode()
    # May: J1 800 → 900 (一档); J2 csat 94.9 ≥ 94 and resolution 0.95 ≥ 0.90 → 二档 500 → 一档 900;
    # J3 csat 96 but resolution 0.89 < 0.90: stays 二档. kpi_bonus 2700 → 2700 + 100 + 400 = 3200.
    assert (
        '<tr data-plan="kpi_bonus"><td>月度KPI档位奖金</td><td class="num">2700.00</td><td class="num">3200.00</td><td class="num">500.00</td></tr>'
        in html
    )
    assert "二档 → 一档" in html and 'data-employee="J2"' in html and 'data-employee="J1"' in html
    assert 'data-employee="J3"' not in html
    bad = client.post("/rewards/what-if/", {"policy": policy.pk, "cycle": "2026-05", "text": "id: ["})
    assert 'id="error"' in bad.content.decode()
    client.force_login(u["wu"])
    assert client.get("/rewards/what-if/").status_code == 403


def test_run_pages_refuse_agents_and_show_the_budget_refusal(client, office):  # noqa: F811
    u, policy = office
    client.force_login(u["wu"])
    assert client.get("/rewards/runs/").status_code == 403
    client.force_login(u["hr"])
    r = client.post("/rewards/runs/", {"policy": policy.pk, "cycle": "2026-05"}, follow=True)
    assert "已核算 2026-05：17 条明细" in r.content.decode()
    run_pk = r.resolver_match.kwargs["pk"]
    r = client.post(f"/rewards/runs/{run_pk}/act/", {"step": "approve", "plan": ""}, follow=True)
    assert "超出预算，未批准" in r.content.decode() and "超出 200.00 元" in r.content.decode()
    assert not RewardLine.objects.exclude(state="accrued").exists()
    assert Decimal("0") == sum(ln.amount for ln in RewardLine.objects.filter(state="approved"))


def test_a_run_in_the_background_is_enqueued_and_the_worker_task_stores_it(client, office):  # noqa: F811
    from django_tasks_db.models import DBTaskResult

    from rungs.rewards.tasks import run_rewards

    u, policy = office
    client.force_login(u["hr"])
    r = client.post("/rewards/runs/", {"policy": policy.pk, "cycle": "2026-06", "queue": "1"})
    assert r.status_code == 302
    task = DBTaskResult.objects.get()
    assert task.task_path == "rungs.rewards.tasks.run_rewards"
    assert task.args_kwargs["args"] == [policy.pk, "2026-06", u["hr"].pk]
    run_pk = run_rewards.call(policy.pk, "2026-06", u["hr"].pk)
    # June: PR1 5000 × 50% (probation extended) = 2500, PR2 3000.10 × 50% = 1500.05, SV1 and SV2 5% of
    # 8000.10 = 400.005 → 400.01 each
    got = sorted((ln.employee.employee_id, str(ln.amount)) for ln in RewardLine.objects.filter(run_id=run_pk))
    assert got == [("PR1", "2500.00"), ("PR2", "1500.05"), ("SV1", "400.01"), ("SV2", "400.01")]
    client.force_login(u["wu"])
    assert (
        client.post("/rewards/runs/", {"policy": policy.pk, "cycle": "2026-07", "queue": "1"}).status_code
        == 403
    )


def test_the_command_runs_a_cycle(office):  # noqa: F811
    from django.core.management import call_command

    out = io.StringIO()
    call_command("run_rewards", "--cycle", "2026-10", stdout=out)
    # 8000 + 7000 + 6000 + 1050 = 22050
    assert "4 lines" in out.getvalue() and "total 22050.00" in out.getvalue()


def test_the_statement_in_english(client, october):
    u, _, _ = october
    client.force_login(u["wu"])
    html = client.get("/en/rewards/statement/").content.decode()
    assert "commission 8000.00 × 100%" in html


@pytest.mark.parametrize("path", ["/rewards/team/?cycle=2026-05", "/rewards/runs/1/"])
def test_list_pages_take_the_same_queries_for_more_lines(client, office, path, django_assert_max_num_queries):  # noqa: F811
    """May has 17 lines; the page must not take a query per line."""
    u, policy = office
    reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    client.force_login(u["hr"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as q:
        assert client.get(path.replace("/1/", f"/{policy.reward_runs.get().pk}/")).status_code == 200
    assert len(q) <= 12, [x["sql"][:80] for x in q.captured_queries]


def test_an_agent_statement_takes_few_queries(client, october):
    u, _, run = october
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(u["zheng"])
    line_dispute(line=run.lines.get(employee__employee_id="S3"), text="问一下", actor=u["zheng"])
    with CaptureQueriesContext(connection) as q:
        client.get("/rewards/statement/")
    assert len(q) <= 9, [x["sql"][:80] for x in q.captured_queries]


def test_without_a_policy_with_reward_plans_the_run_form_says_what_to_do(client, db):
    """No policy in force has `rewards:`: an empty select would run nothing; the page says why and how."""
    from rungs.accounts.models import User

    client.force_login(User.objects.create(username="hr-alone", role="hr"))
    html = client.get("/rewards/runs/").content.decode()
    assert 'id="no-plans"' in html and "salary-grade-quarterly.yaml" in html
    assert 'id="start-run"' not in html


def test_with_a_policy_with_reward_plans_the_run_form_is_there(client, office):  # noqa: F811
    u, _ = office
    client.force_login(u["hr"])
    html = client.get("/rewards/runs/").content.decode()
    assert 'id="start-run"' in html and 'id="no-plans"' not in html
