"""The 方案 column of the statements, the team and run pages, and the payroll's column titles name the plan
and its component as the policy does (Chinese; English on English pages), not by their codes. Names from
examples/policies/salary-grade-quarterly.yaml: commission 提成 / Commission (component 提成), management_bonus
部门管理奖金 (component 部门管理奖金（客服总提成的5%）), kpi_bonus 月度KPI档位奖金 (component KPI档位奖金)."""

from __future__ import annotations

import csv
import io
import re

from django.utils import translation

from rungs.rewards.selectors import joined_name
from rungs.rewards.services import reward_run_approve, reward_run_start
from tests.web.rewards_office import office  # noqa: F401  (the fixture)


def plan_cells(html: str) -> list[str]:
    return re.findall(r'<td data-label="[^"]*" class="plan" title="([^"]*)">([^<]*)</td>', html)


def test_one_name_when_one_holds_the_other():
    assert joined_name("提成", "提成") == "提成"
    assert joined_name("月度KPI档位奖金", "KPI档位奖金") == "月度KPI档位奖金"
    assert joined_name("部门管理奖金", "部门管理奖金（客服总提成的5%）") == "部门管理奖金（客服总提成的5%）"
    assert joined_name("季度奖", "出勤奖") == "季度奖 · 出勤奖"


def test_statements_name_the_plans(client, office):  # noqa: F811
    u, policy = office
    reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    client.force_login(u["wu"])  # 吴一 J1: commission 8000.00 and the KPI tier 一档 800.00
    html = client.get("/rewards/statement/?cycle=2026-05").content.decode()
    assert plan_cells(html) == [
        ("commission/commission_share", "提成"),
        ("kpi_bonus/kpi_tier", "月度KPI档位奖金"),
    ]
    with translation.override("zh-hans"):  # puts back the language the middleware leaves active
        html = client.get("/en/rewards/statement/?cycle=2026-05").content.decode()
    assert [name for _code, name in plan_cells(html)] == ["Commission", "Monthly KPI tier bonus"]
    client.force_login(u["sup"])  # 冯一 SV1's own line and the department's
    html = client.get("/rewards/statement/?cycle=2026-05").content.decode()
    assert [name for _code, name in plan_cells(html)] == ["部门管理奖金（客服总提成的5%）"]
    html = client.get("/rewards/team/?cycle=2026-05").content.decode()
    names = {name for _code, name in plan_cells(html)}
    assert names == {"提成", "部门管理奖金（客服总提成的5%）", "月度KPI档位奖金"}
    assert "commission/commission_share<" not in html


def test_the_run_page_names_the_plans(client, office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-05", actor=u["hr"])
    client.force_login(u["hr"])
    html = client.get(f"/rewards/runs/{run.pk}/").content.decode()
    totals = re.findall(r'<tr data-plan="([a-z_]+)"><td>([^<]*)</td><td>([^<]*)</td>', html)
    assert totals == [
        ("commission", "提成", "已计提"),
        ("kpi_bonus", "月度KPI档位奖金", "已计提"),
        ("management_bonus", "部门管理奖金", "已计提"),
    ]
    assert len(plan_cells(html)) == 17


def test_the_english_payroll_has_english_column_titles(client, office):  # noqa: F811
    u, policy = office
    run = reward_run_start(policy=policy, cycle="2026-10", actor=u["hr"])
    reward_run_approve(run=run, actor=u["boss"])
    client.force_login(u["hr"])
    with translation.override("zh-hans"):
        r = client.get("/en/rewards/payroll/2026-10/?format=csv")
    head = next(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert head[4:7] == [
        "Commission",
        "Management bonus (5% of the department's commission)",
        "KPI tier bonus",
    ]
