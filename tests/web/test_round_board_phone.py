"""The round's board on a phone and in English (issue 10): the candidacies table stacks into one card per
candidacy below 640 px (`table.stack`, each cell headed by its column's name), so an approver's phone at
375 px does not scroll sideways; and every column speaks English on /en/ — the policy's labels of the
levels and conditions, the signer's role, the stage — not the stored Chinese labels or codes. The round of
test_round_approvals: 王芳 in the 公示 with the department manager's signature, 赵丽 waiting for review."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rungs.audit import clock
from rungs.promotions.services import candidacy_apply, candidacy_approve
from tests.web.test_round_approvals import noticed
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

from .conftest import DEMO_PASSWORD, sign_in

D = dt.date
DAY = D(2026, 10, 12)
HAN = re.compile(r"[\u4e00-\u9fff]")
SCROLLING = """() => [...document.querySelectorAll('main .card, main table')]
  .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.id || c.tagName)"""


def board(company, monkeypatch):  # noqa: F811
    u, rnd = company
    c = noticed(u, rnd, "[department_manager, hr]")
    candidacy_approve(candidacy=c, actor=u["dm"], today=DAY)
    candidacy_apply(round=c.round, actor=u["li"], statement="申请")
    monkeypatch.setattr(clock, "today", lambda: DAY)
    return u, c


def rows(html: str) -> dict[str, str]:
    table = re.search(r'<table id="candidacies" class="stack">.*?</table>', html, re.S)
    assert table, "no stacked candidacies table"
    return dict(re.findall(r'<tr data-employee="(\w+)".*?>(.*?)</tr>', table.group(0), re.S))


@pytest.mark.django_db
def test_every_column_of_the_english_board_is_in_english(client, company, monkeypatch):  # noqa: F811
    u, c = board(company, monkeypatch)
    client.force_login(u["hr"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    fang = rows(client.get(f"/en/rounds/{c.round_id}/").content.decode())["E1"]
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", re.sub(r"<form.*?</form>", "", fang, flags=re.S), re.S)
    labels = [re.search(r'data-label="([^"]*)"', attrs) for attrs, _text in cells]
    assert [m.group(1) if m else "" for m in labels] == [
        "",  # the name heads the card
        "Previous level → Proposed level",
        "Route",
        "Stage",
        "Due",
        "Assessment scores",
        "Conditions",
        "",  # the action cell: its buttons say what they do
    ]
    text = [re.sub(r"<[^>]+>", " ", t) for _attrs, t in cells]
    assert "Junior agent → Senior agent" in text[1]
    assert "Own application" in text[2] and "department manager" in text[2]
    assert "department_manager" not in fang
    assert "On public notice" in text[3]
    assert "2026-10-15" in text[4]
    assert text[6].split() and "Good communication and teamwork：attested" in text[6]
    assert "Mean customer satisfaction of the last 12 months ≥ 90：95" in text[6]
    # nothing Chinese is left but the person's name and their own words (the statement 申请)
    assert [HAN.findall(t) for t in text[1:]] == [[], list("申请"), [], [], [], [], []]


@pytest.mark.django_db
def test_the_chinese_board_keeps_its_labels(client, company, monkeypatch):  # noqa: F811
    u, c = board(company, monkeypatch)
    client.force_login(u["hr"])
    fang = rows(client.get(f"/rounds/{c.round_id}/").content.decode())["E1"]
    assert "初级客服 → 高级客服" in fang and "dm · 部门经理 · 2026-10-12" in fang
    assert "近12个月客户满意度均值≥90：95" in fang and 'data-label="资格条件"' in fang


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "who,path", [("hr", "/rounds/{pk}/"), ("hr", "/en/rounds/{pk}/"), ("sup", "/rounds/{pk}/")]
)
def test_the_board_fits_a_phone(live_server, page, company, monkeypatch, who, path):  # noqa: F811
    u, c = board(company, monkeypatch)
    for user in u.values():
        user.set_password(DEMO_PASSWORD)
        user.save()
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server.url, who)
    page.goto(live_server.url + path.format(pk=c.round_id))
    page.wait_for_selector("#candidacies")
    assert page.locator("#candidacies tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate(SCROLLING) == []
    box = page.locator('#candidacies tr[data-employee="E3"] button[value=pass]').bounding_box()
    assert (
        box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    )  # the reviewer's button in view
