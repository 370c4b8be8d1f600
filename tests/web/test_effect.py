"""The effect page (rungs.effect): a plan of a stored policy version on stored records with a known
effect (tests/core/effect/synthetic.py), the table, the chart and the caveats in Chinese; who may see it,
role by role; a department manager compares within their department."""

from __future__ import annotations

import re

import polars as pl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from rungs.accounts.models import Role
from rungs.core.effect import evaluate_effect, find_plan, plan_cost
from rungs.core.interchange.dataset import Dataset
from rungs.datasets.loader import replace_all
from rungs.people.models import Department
from rungs.policies.services import policy_create
from tests.core.effect.synthetic import POLICY, START, dataset, policy

User = get_user_model()
ALLOWED = {Role.HR, Role.DEPARTMENT_MANAGER, Role.QA_TRAINING, Role.EXECUTIVE, Role.ADMIN}


def synthetic() -> Dataset:
    """40 covered agents and 40 seniors, +3.0 CSAT from 2026-07; every other person in 客服二部."""
    data = dataset(n_covered=40, n_uncovered=40, effect=3.0, seed=8)
    n = data.employees.height
    employees = data.employees.with_columns(
        department=pl.Series(["客服一部" if i % 2 == 0 else "客服二部" for i in range(n)])
    )
    return Dataset(employees=employees, assignments=data.assignments, metrics=data.metrics)


@pytest.fixture
def office(db):
    replace_all(synthetic())
    hr = User.objects.create(username="hr-wang", role=Role.HR)
    stored = policy_create(text=POLICY, filename="effect-test.yaml", actor=hr)
    return hr, stored


def url(stored, since="2026-07"):
    return reverse("effect:index") + f"?plan={stored.pk}:csat_bonus&since={since}"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_or_may_not_see_the_effect(client, office, role):
    _, stored = office
    dept = Department.objects.get(name="客服一部")
    user = User.objects.create(username=f"u-{role}", role=role, department=dept)
    client.force_login(user)
    response = client.get(url(stored))
    if role in ALLOWED:
        assert response.status_code == 200
        assert "方案效果评估" in response.content.decode()
    else:
        assert response.status_code == 403
        assert "查看奖励方案的效果评估" in response.content.decode()


def test_the_page_shows_the_table_the_chart_and_the_caveats(client, office):
    hr, stored = office
    client.force_login(hr)
    html = client.get(url(stored)).content.decode()
    # the same numbers as the core on the same data (the page adds nothing of its own)
    p = policy()
    plan = find_plan(p, "csat_bonus")
    data = synthetic()
    cost = plan_cost(p, plan, data, START, START + 5)
    core = evaluate_effect(p, plan, data, START, cost=cost)
    csat = core.kpis[0]
    assert csat.did is not None and csat.did.ci_low <= 3.0 <= csat.did.ci_high
    row = re.search(r'<tr data-metric="csat">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', row)
    assert cells[:4] == [
        f"{v:.2f}"
        for v in (csat.before_covered, csat.after_covered, csat.before_uncovered, csat.after_uncovered)
    ]
    assert cells[4] == f"{csat.did.estimate:+.2f}"
    assert cells[5] == f"{csat.did.ci_low:+.2f} ~ {csat.did.ci_high:+.2f}"
    assert cells[7] == f"{csat.cost_per_point:,.2f}"
    assert "覆盖 40 人，未覆盖 40 人；实施前 6 个月，实施后 6 个月的数据。" in html
    assert f"方案在实施后的花费：{cost:,.2f} 元。" in html
    # one sentence a manager reads, and the chart drawn on the server: two lines, the start marked
    assert "方案实施后，覆盖的人的客户满意度比未覆盖的人多改善了" in html
    chart = html[html.index('<svg class="effect-chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count('class="line covered"') == 1 and chart.count('class="line uncovered"') == 1
    assert "方案生效 2026-07" in chart and "<script" not in html.split("<main", 1)[-1]
    # the caveats in plain Chinese: 40 a group is enough, but the resolution rate did not move
    assert "少于 30 人" not in html
    assert "问题解决率：95% 置信区间包含 0，差异可能只是偶然波动，因此不计算每提高 1 分的花费。" in html
    rate = re.search(r'<tr data-metric="resolution_rate">(.*?)</tr>', html, re.S).group(1)
    assert '<td class="num cost">—</td>' in rate


def test_a_department_manager_compares_within_their_department(client, office):
    _, stored = office
    dm = User.objects.create(
        username="dm-li", role=Role.DEPARTMENT_MANAGER, department=Department.objects.get(name="客服一部")
    )
    client.force_login(dm)
    html = client.get(url(stored)).content.decode()
    # 客服一部 holds every other person: 20 covered agents and 20 seniors, below 30 each
    assert "覆盖 20 人，未覆盖 20 人" in html
    assert "方案覆盖的人只有 20 人（少于 30 人）" in html and "未覆盖的人只有 20 人（少于 30 人）" in html


def test_a_bad_month_is_explained_and_nothing_is_computed(client, office):
    hr, stored = office
    client.force_login(hr)
    html = client.get(url(stored, since="2026-13")).content.decode()
    assert "起始月份应写作 YYYY-MM" in html and 'id="effect-result"' not in html


def test_a_later_policy_version_in_the_window_is_another_change(client, office):
    hr, stored = office
    later = POLICY.replace('version: "1"', 'version: "2"').replace(
        "effective_from: 2026-01-01", "effective_from: 2026-09-01", 1
    )
    policy_create(text=later, filename="effect-test.yaml", actor=hr)
    client.force_login(hr)
    html = client.get(url(stored)).content.decode()
    assert "同一时期还有其他变化：" in html and "（2026-09 起）" in html


def test_the_page_says_so_when_no_policy_has_a_plan(client, db):
    hr = User.objects.create(username="hr-zhao", role=Role.HR)
    client.force_login(hr)
    html = client.get(reverse("effect:index")).content.decode()
    assert 'id="effect-none"' in html


def _table(html: str) -> str:
    return re.search(r'<table class="effect" id="effect-table">.*?</table>', html, re.S).group(0)


def test_a_large_company_has_its_study_computed_by_the_worker(
    client, office, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from rungs.audit.models import AuditEntry
    from rungs.effect.models import EffectStudy
    from rungs.effect.services import effect_finish
    from rungs.people import size

    hr, stored = office
    client.force_login(hr)
    inline = client.get(url(stored)).content.decode()  # 80 people: computed within the request
    monkeypatch.setattr(size, "RUN_NOW_LIMIT", 10)  # now the company is "large"
    html = client.get(url(stored)).content.decode()
    assert 'id="effect-not-yet"' in html and 'id="effect-result"' not in html
    form = {"plan": f"{stored.pk}:csat_bonus", "since": "2026-07"}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("effect:study"), form)
    assert r.status_code == 302 and r.url == url(stored).replace(":", "%3A")
    study = EffectStudy.objects.get()
    task = DBTaskResult.objects.get(task_path="rungs.effect.tasks.compute_effect")
    assert task.args_kwargs["args"] == [study.pk]
    waiting = client.get(url(stored)).content.decode()
    assert 'id="effect-waiting"' in waiting and 'http-equiv="refresh"' in waiting
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("effect:study"), form)  # asked again while waiting: the same study
    assert EffectStudy.objects.count() == 1
    effect_finish(study.pk)  # what the worker does
    done = client.get(url(stored)).content.decode()
    assert 'id="effect-computed"' in done and 'http-equiv="refresh"' not in done
    assert _table(done) == _table(inline)  # the same numbers as computed within the request
    actions = list(
        AuditEntry.objects.filter(target_type="effectstudy").order_by("pk").values_list("actor", "after")
    )
    assert [a for a, _ in actions] == ["hr-wang", "hr-wang"]  # asked, and computed on their behalf
    assert actions[0][1]["since"] == "2026-07" and actions[1][1]["finished"] is True


def test_a_study_that_cannot_be_computed_keeps_why(client, office, monkeypatch):
    from rungs.effect.models import EffectStudy
    from rungs.effect.services import effect_finish
    from rungs.people import size

    hr, stored = office
    monkeypatch.setattr(size, "RUN_NOW_LIMIT", 10)
    study = EffectStudy.objects.create(
        policy=stored, plan="no_such_plan", since="2026-07", window=12, scope="company", requested_by=hr
    )
    effect_finish(study.pk)  # the plan is gone from the version: the worker must not fail for good
    study.refresh_from_db()
    assert study.done and study.error and not study.report and study.result is None
