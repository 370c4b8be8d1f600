"""The effect table exported (.xlsx and CSV): the page's rows and columns, each figure a number equal to the
core's on the same synthetic data (+3.0 CSAT from 2026-07, see test_effect), a rate in percent."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.utils import translation

from rungs.core.effect import evaluate_effect, find_plan, plan_cost
from tests.core.effect.synthetic import START, policy
from tests.web.test_effect import office, synthetic, url  # noqa: F401  (the fixture)

HEAD = ["指标", "单位", "覆盖人数", "未覆盖人数", "覆盖的人·实施前", "覆盖的人·实施后", "未覆盖的人·实施前",
        "未覆盖的人·实施后", "差异中的差异", "95% 置信区间下限", "95% 置信区间上限", "p 值", "每提高 1 分花费（元）"]  # fmt: skip


def core_report():
    p = policy()
    plan = find_plan(p, "csat_bonus")
    data = synthetic()
    return evaluate_effect(p, plan, data, START, cost=plan_cost(p, plan, data, START, START + 5))


def expected(k):
    scale = 100 if k.fraction else 1
    d = k.did
    return [
        k.label.zh, "%（差异为百分点）" if k.fraction else "分", k.covered_n, k.uncovered_n,
        *(round(v * scale, 2) for v in (k.before_covered, k.after_covered, k.before_uncovered, k.after_uncovered)),
        round(d.estimate * scale, 2), round(d.ci_low * scale, 2), round(d.ci_high * scale, 2),
        float(f"{d.p_value:.3g}"), float(k.cost_per_point) if k.cost_per_point is not None else None,
    ]  # fmt: skip


def test_the_workbook_has_the_table_in_numbers(client, office):  # noqa: F811
    hr, stored = office
    client.force_login(hr)
    assert 'id="effect-xlsx"' in client.get(url(stored)).content.decode()
    r = client.get(url(stored) + "&format=xlsx")
    assert (
        r.status_code == 200
        and r["Content-Disposition"] == 'attachment; filename="effect-csat_bonus-2026-07.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = [list(row) for row in book["效果评估"].iter_rows(values_only=True)]
    assert rows[0] == HEAD
    core = core_report()
    assert [k.metric for k in core.kpis] == ["csat", "resolution_rate"]
    assert rows[1] == expected(core.kpis[0])
    assert rows[2] == expected(core.kpis[1])
    # numbers are numbers; the CSAT gain holds the known +3.0; the rate's cost cell is empty (not significant)
    assert all(isinstance(v, (int, float)) for v in rows[1][2:])
    assert rows[1][9] <= 3.0 <= rows[1][10]
    assert rows[2][12] is None
    about = dict(book["说明"].iter_rows(min_row=2, values_only=True))
    assert about["生效月份"] == "2026-07" and about["覆盖人数"] == 40
    assert about["方案在实施后的花费（元）"] == float(core.cost)


def test_the_csv_has_the_same_table(client, office):  # noqa: F811
    hr, stored = office
    client.force_login(hr)
    r = client.get(url(stored) + "&format=csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == HEAD
    csat = expected(core_report().kpis[0])
    assert rows[1][:4] == ["客户满意度", "分", "40", "40"]
    assert [float(x) for x in rows[1][4:]] == csat[4:]


@pytest.mark.parametrize("role", ["agent", "team_lead", "supervisor"])
def test_the_export_is_refused_as_the_page_is(client, office, role):  # noqa: F811
    from django.contrib.auth import get_user_model

    _, stored = office
    client.force_login(get_user_model().objects.create(username=f"u-{role}", role=role))
    assert client.get(url(stored) + "&format=xlsx").status_code == 403


def test_the_english_export_has_english_headings(client, office):  # noqa: F811
    hr, stored = office
    client.force_login(hr)
    # the middleware leaves English active in this thread after the request; the override puts back what
    # was active, so the next test's reverse() does not give /en/ paths
    with translation.override("zh-hans"):
        r = client.get("/en" + url(stored) + "&format=csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Metric", "Unit", "Covered (people)", "Not covered (people)", "Covered, before",
                           "Covered, after"]  # fmt: skip
    assert rows[1][1] == "points"
