"""The satisfaction and expectation dashboard of a survey series (issue 11): each rating question's mean and
each choice question's shares per department and team, per round, with the minimum reporting group of each
round holding in every cell — by differencing too — because every cell comes from rungs.voice.results.

The company of voice_company (客服一部: 一组 6, 二组 4, 三组 5; k = 5). Two rounds of the series 季度满意度:
- June (everyone answers; 排班 ratings as in test_voice_surveys): 一组 24/6 = 4.00, 二组 6/4 = 1.50,
  三组 21/5 = 4.20, 客服一部 51/15 = 3.40. 二组 (4 < 5) is hidden, and 三组 with it: 15 − 6 − 5 would leave
  二组's 4 (its mean (51 − 24 − 21)/4 = 1.50 would follow).
- September (二组 does not answer): 一组 27/6 = 4.50, 三组 20/5 = 4.00, 客服一部 47/11 = 4.27 (4.2727…);
  nothing is left over, so both teams are shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.voice import dashboard as dash
from rungs.voice import surveys as svc
from rungs.voice.models import Survey
from rungs.voice.results import survey_groups

from .voice_company import make_company

D = dt.date
TODAY = D(2026, 10, 1)
SERIES = "季度满意度"
QUESTIONS = "评分：您对排班的满意度\n单选：最希望改进的方面｜培训｜排班｜薪酬\n文字：其他意见"
JUNE = {
    "一组": [(5, "培训"), (4, "培训"), (4, "培训"), (3, "培训"), (5, "排班"), (3, "排班")],
    "二组": [(1, "薪酬"), (1, "薪酬"), (2, "薪酬"), (2, "薪酬")],
    "三组": [(5, "排班"), (5, "排班"), (4, "排班"), (4, "排班"), (3, "排班")],
}
SEPTEMBER = {
    "一组": [(4, "培训"), (4, "培训"), (5, "排班"), (5, "排班"), (4, "薪酬"), (5, "培训")],  # 27
    "三组": [(4, "排班"), (4, "排班"), (4, "培训"), (3, "排班"), (5, "排班")],  # 20
}


@pytest.fixture
def company(db):
    return make_company()


def a_round(company, opens_on, answers, series=SERIES, close=True, **target):
    hr = company["users"]["hr"]
    survey = svc.survey_create(
        title=f"{opens_on:%Y-%m} 员工满意度调查",
        questions=svc.parse_questions(QUESTIONS),
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=9),
        series=series,
        actor=hr,
        **target,
    )
    svc.survey_open(survey=survey, actor=hr)
    rating, choice, _text = survey.questions.all()
    for team, rows in answers.items():
        for employee, (r, c) in zip(company["people"][team], rows, strict=True):
            user = company["voters"][employee.employee_id]
            token = svc.ballot_take(survey=survey, actor=user, today=opens_on)
            given = {str(rating.pk): str(r), str(choice.pk): c}
            svc.survey_answer(survey=survey, token=token, answers=given, actor=user, today=opens_on)
    if close:
        svc.survey_close(survey=survey, actor=hr)
    return Survey.objects.get(pk=survey.pk)


@pytest.fixture
def series(company):
    return a_round(company, D(2026, 6, 1), JUNE), a_round(company, D(2026, 9, 1), SEPTEMBER)


def board_for(user, day=TODAY):
    from rungs.voice.survey_views import surveys_for

    return dash.series_dashboard(SERIES, list(surveys_for(user)), user, day)


def cells(board, kind="rating"):
    """{group label: [cell text per round]}: the mean, the shares, or — / 本轮未问."""
    table = next(t for t in board.tables if t.kind == kind)
    out = {}
    for row in table.rows:
        out[row.label] = [
            (str(c.mean) if kind == "rating" else " ".join(f"{a}{p}" for a, p in c.shares))
            if c.state == dash.SHOWN
            else "—"
            for c in row.cells
        ]
    return out


@pytest.mark.django_db
def test_each_cell_is_the_rounds_own_result_and_small_groups_are_hidden_in_every_round(company, series):
    board = board_for(company["users"]["hr"])
    assert [r.label for r in board.rounds] == ["2026-06", "2026-09"]
    assert cells(board) == {
        "全公司": ["3.40", "4.27"],
        "客服一部": ["3.40", "4.27"],  # 51/15; 47/11 = 4.2727…
        "一组": ["4.00", "4.50"],  # 24/6; 27/6
        "二组": ["—", "—"],  # 4 < 5 in June; nobody answered in September: the same —
        "三组": ["—", "4.00"],  # June: its 5 would tell 二组's 4 by subtraction; September 20/5
    }
    # Expectations: June 客服一部 培训 4, 排班 7, 薪酬 4 of 15 → 27 %, 47 %, 27 %; September 一组 培训 3,
    # 排班 2, 薪酬 1 of 6 → 50 %, 33 %, 17 %.
    shares = cells(board, "choice")
    assert shares["客服一部"][0] == "培训27 排班47 薪酬27"
    assert shares["一组"][1] == "培训50 排班33 薪酬17"
    assert shares["二组"] == ["—", "—"] and shares["三组"][0] == "—"
    # n is shown only where the result is
    table = next(t for t in board.tables if t.kind == "rating")
    ns = {row.label: [c.n for c in row.cells] for row in table.rows}
    assert ns == {
        "全公司": [15, 11],
        "客服一部": [15, 11],
        "一组": [6, 6],
        "二组": [None, None],
        "三组": [None, 5],
    }


@pytest.mark.django_db
def test_no_subtraction_of_shown_cells_leaves_a_group_below_the_minimum(company, series):
    """The differencing attempt: from every shown parent cell subtract every shown child in the same
    round; what is left is nobody or at least k people — never 二组's 4 of June, whose mean 1.50 would
    follow from (15 × 3.40 − 6 × 4.00 − 5 × 4.20) / 4."""
    board = board_for(company["users"]["hr"])
    table = next(t for t in board.tables if t.kind == "rating")
    rows = {r.label: r for r in table.rows}
    for i, rnd in enumerate(board.rounds):
        k = rnd.survey.min_group
        parent = rows["客服一部"].cells[i]
        shown_children = [
            rows[t].cells[i] for t in ("一组", "二组", "三组") if rows[t].cells[i].state == dash.SHOWN
        ]
        left = parent.n - sum(c.n for c in shown_children)
        assert left == 0 or left >= k, (rnd.label, left)  # a leftover mean is of ≥ k people
    # June: 15 − 6 = 9 left (二组 and 三组 together), not 4.
    assert rows["客服一部"].cells[0].n - rows["一组"].cells[0].n == 9


@pytest.mark.django_db
def test_the_page_the_chart_and_the_export_show_nothing_of_a_hidden_group(
    client, company, series, monkeypatch
):
    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    teams = company["teams"]
    client.force_login(company["users"]["hr"])
    html = client.get(reverse("voice:dashboard"), {"series": SERIES}).content.decode()
    assert "4.27" in html and "4.50" in html
    assert "1.50" not in html and "4.20" not in html  # 二组's and June 三组's means
    row = re.search(rf'<tr data-group="t{teams["二组"].pk}".*?</tr>', html, re.S).group(0)
    assert row.count('class="cell hidden"') == 2 and "<small>" not in row  # no count either
    # The trend of a hidden group, asked for directly: no point at all.
    html = client.get(reverse("voice:dashboard"), {"series": SERIES, "group": f"t{teams['二组'].pk}"})
    trend = html.content.decode().split('id="trend"')[1].split("</section>")[0]
    assert "<svg" in trend and "<circle" not in trend and "1.5" not in trend
    trend = client.get(reverse("voice:dashboard"), {"series": SERIES, "group": f"t{teams['三组'].pk}"})
    trend = trend.content.decode().split('id="trend"')[1].split("</section>")[0]
    assert trend.count("<circle") == 1 and "2026-09: 4</title>" in trend  # June's point is a gap
    assert "4.2" not in trend

    export = client.get(reverse("voice:dashboard-export"), {"series": SERIES}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(export)))
    assert rows[0] == ["题目", "分组类型", "分组", "轮次", "调查", "答卷人数", "项目", "数值"]
    groups = {(r[2], r[3], r[5]) for r in rows[1:]}
    assert groups == {
        ("全公司", "2026-06", "15"),
        ("客服一部", "2026-06", "15"),
        ("一组", "2026-06", "6"),
        ("全公司", "2026-09", "11"),
        ("客服一部", "2026-09", "11"),
        ("一组", "2026-09", "6"),
        ("三组", "2026-09", "5"),
    }
    assert [
        "您对排班的满意度",
        "班组",
        "一组",
        "2026-06",
        "2026-06 员工满意度调查",
        "6",
        "平均分",
        "4.00",
    ] in rows


@pytest.mark.django_db
def test_readers_see_their_scope_and_together_no_more_than_hr(company, series):
    u = company["users"]
    hr = cells(board_for(u["hr"]))
    lead = cells(board_for(u["lead"]))  # 一组's team lead
    assert lead == {"一组": ["4.00", "4.50"]}
    assert cells(board_for(u["lead2"])) == {"二组": ["—", "—"]}  # their own team is hidden too
    dm = cells(board_for(u["dm"]))
    assert set(dm) == {"客服一部", "一组", "二组", "三组"} and all(dm[k] == hr[k] for k in dm)
    assert cells(board_for(u["dm2"])) == {}  # 客服二部 answered nothing
    with pytest.raises(Denied):
        from rungs.accounts.authority import check

        check(u["author"], "survey.results")


@pytest.mark.django_db
def test_a_round_still_open_shows_nothing_and_agents_are_refused(client, company, series, monkeypatch):
    late = a_round(company, D(2026, 9, 25), SEPTEMBER, close=False)  # closes 10-04
    board = board_for(company["users"]["hr"])
    assert [r.label for r in board.rounds] == ["2026-06", "2026-09"] and board.pending == [late]
    after = board_for(company["users"]["hr"], D(2026, 10, 5))
    assert len(after.rounds) == 3 and cells(after)["一组"] == ["4.00", "4.50", "4.50"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: TODAY)
    client.force_login(company["users"]["author"])
    assert client.get(reverse("voice:dashboard")).status_code == 403
    assert client.get(reverse("voice:dashboard-export")).status_code == 403


@pytest.mark.django_db
def test_the_dashboard_has_no_suppression_of_its_own(company, series, monkeypatch):
    """Every cell goes through rungs.voice.results: if its rule hid every child, the dashboard would too."""
    monkeypatch.setattr("rungs.voice.results.hidden_children", lambda parent_n, sizes, k: set(sizes))
    board = board_for(company["users"]["hr"])
    assert cells(board) == {
        "全公司": ["3.40", "4.27"],
        "客服一部": ["—", "—"],
        "一组": ["—", "—"],
        "二组": ["—", "—"],
        "三组": ["—", "—"],
    }


@pytest.mark.django_db
def test_a_survey_joins_a_series_on_creation_or_later_audited(company):
    u = company["users"]
    june = a_round(company, D(2026, 6, 1), JUNE)
    assert june.series == SERIES
    loose = a_round(company, D(2026, 9, 1), SEPTEMBER, series="")
    assert [r.label for r in board_for(u["hr"]).rounds] == ["2026-06"]
    svc.survey_series_set(survey=loose, series=f"  {SERIES} ", actor=u["hr"])
    assert Survey.objects.get(pk=loose.pk).series == SERIES
    entry = AuditEntry.objects.filter(action="survey.manage").latest("pk")
    assert (entry.actor, entry.before, entry.after) == ("hr", {"series": ""}, {"series": SERIES})
    assert [r.label for r in board_for(u["hr"]).rounds] == ["2026-06", "2026-09"]
    with pytest.raises(Denied):  # a company-wide survey is no department manager's
        svc.survey_series_set(survey=loose, series="x", actor=u["dm2"])
    with pytest.raises(Denied):
        svc.survey_series_set(survey=loose, series="x", actor=u["lead"])
    # the suppression of each round is its own, whatever series it is in
    assert {g.label: g.shown for g in survey_groups(loose, TODAY)}["三组"] is True
