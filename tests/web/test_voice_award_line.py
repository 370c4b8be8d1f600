"""The ledger line of an anonymous suggestion's reward (issue 11): once the author claims and HR confirms, an
award line (专项奖励) of the month goes on the ledger. The author's team lead, supervisor and department
manager see that line on their pages — it is money paid to someone they manage — but nothing on it, or
anywhere they can read, says it is a suggestion's: so they cannot set the person beside the published
excellent suggestion. HR (who reads the claims) and the author themselves see what it is for.

The company of voice_company: the author 王晓明 (E7731X) is in 一组 of 客服一部; `lead` leads 一组, `sup`
supervises and `dm` manages 客服一部."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from rungs.rewards.models import RewardRun
from rungs.rewards.services import reward_run_approve
from rungs.voice import suggestions as box
from rungs.voice.models import RewardClaim, Suggestion

from .voice_company import AUTHOR_EMPLOYEE_ID, AUTHOR_NAME, make_company

D = dt.date
DAY = D(2026, 12, 7)
NEXT = D(2026, 12, 8)
S = Suggestion.State
# What would tell a reader that the line is a suggestion's, in either language.
TELLS = re.compile(r"意见|建议|suggest|idea", re.IGNORECASE)


@pytest.fixture(autouse=True)
def chinese():
    """Each test starts in Chinese (an English request leaves English active in the thread)."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def granted(db, client, monkeypatch):
    """An excellent suggestion of 200 yuan, claimed by its author and confirmed by HR on its page, the
    month's awards approved (so the line is in the payroll)."""
    company = make_company()
    u = company["users"]
    s, code = box.suggestion_submit(
        title="知识库", text="建议把常见问题整理成知识库。", actor=u["author"], today=DAY
    )
    box.suggestion_move(suggestion=s, to=S.REVIEW, actor=u["hr"], today=NEXT)
    box.suggestion_move(suggestion=s, to=S.ADOPTED, reason="采纳", actor=u["hr"], today=NEXT)
    box.suggestion_mark_excellent(suggestion=s, reward=Decimal("200"), actor=u["hr"], today=NEXT)
    box.suggestion_claim(code=code, actor=u["author"], today=NEXT)
    monkeypatch.setattr("rungs.audit.clock.today", lambda: NEXT)
    client.force_login(u["hr"])
    client.post(reverse("voice:claims"), {"claim": RewardClaim.objects.get().pk})
    client.logout()
    reward_run_approve(run=RewardRun.objects.get(kind="awards", cycle="2026-12"), actor=u["hr"])
    return company


def lines_table(html: str) -> str:
    """The ledger lines table of a page (the navigation, with its 意见箱 link, left out)."""
    found = re.search(r'<table class="lines[^"]*">.*?</table>', html, re.S)
    assert found, "no lines table"
    return found.group(0)


def author_row(html: str) -> str:
    found = re.search(rf'<tr data-line="\d+" data-employee="{AUTHOR_EMPLOYEE_ID}".*?</tr>', html, re.S)
    assert found, "the author's line is not shown"
    return found.group(0)


def page(client, user, url: str, english: bool = False) -> str:
    client.force_login(user)
    if english:
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        url = f"/en{url}"
    answer = client.get(url)
    translation.activate("zh-hans")
    assert answer.status_code == 200, (user.username, url, answer.status_code)
    return answer.content.decode()


@pytest.mark.django_db
def test_the_confirmed_claim_is_an_award_line_marked_as_on_the_ledger(granted):
    claim = RewardClaim.objects.select_related("line").get()
    assert (claim.state, claim.get_state_display(), claim.line.state) == (
        "granted",
        "已记入奖励台账",
        "approved",
    )
    assert (claim.line.explanation, claim.line.explanation_en) == (
        "专项奖励：原因不公开",
        "Award: reason not disclosed",
    )
    assert RewardClaim.State.CLAIMED.label == "待确认"


@pytest.mark.django_db
@pytest.mark.parametrize("english", [False, True])
@pytest.mark.parametrize(
    "role,url",
    [
        ("lead", "rewards:team"),
        ("sup", "rewards:team"),
        ("dm", "rewards:team"),
        ("dm", "rewards:awards"),
        ("admin", "rewards:team"),
        ("admin", "rewards:awards"),
    ],
)
def test_the_authors_managers_see_a_neutral_award(client, granted, role, url, english):
    html = page(client, granted["users"][role], reverse(url) + "?cycle=2026-12", english)
    row = author_row(lines_table(html))
    assert "200.00" in row and 'data-plan="awards"' in row
    assert ("Award: reason not disclosed" if english else "专项奖励：原因不公开") in row
    assert not TELLS.search(lines_table(html)), TELLS.search(lines_table(html))


@pytest.mark.django_db
def test_the_executive_approving_the_awards_sees_a_neutral_award(client, granted):
    run = RewardRun.objects.get(kind="awards")
    html = page(client, granted["users"]["exec"], reverse("rewards:run", args=[run.pk]))
    assert "专项奖励：原因不公开" in author_row(lines_table(html))
    assert not TELLS.search(html.split("</nav>")[-1])


@pytest.mark.django_db
@pytest.mark.parametrize("english", [False, True])
def test_the_author_and_hr_see_what_the_award_is_for(client, granted, english):
    u = granted["users"]
    mine = author_row(lines_table(page(client, u["author"], reverse("rewards:statement"), english)))
    hr = author_row(lines_table(page(client, u["hr"], reverse("rewards:team") + "?cycle=2026-12", english)))
    occasion = "Excellent-suggestion reward" if english else "优秀意见奖励"
    assert occasion in mine and occasion in hr
    # … and nobody else: another agent's statement and the line of an ordinary award say nothing of it.
    assert "优秀意见奖励" not in page(client, u["agent2"], reverse("rewards:statement"))


@pytest.mark.django_db
def test_the_payroll_says_award_and_only_hr_and_administrators_export_it(client, granted):
    u = granted["users"]
    for role in ("hr", "admin"):
        client.force_login(u[role])
        csv = client.get(reverse("rewards:payroll", args=["2026-12"]) + "?format=csv").content.decode()
        header, *rows = csv.lstrip("\ufeff").splitlines()
        assert "专项奖励" in header and not TELLS.search(csv)
        assert [r for r in rows if r.startswith(AUTHOR_EMPLOYEE_ID)] == [
            f"{AUTHOR_EMPLOYEE_ID},{AUTHOR_NAME},客服一部,,200.00,200.00"
        ]
    for role in ("lead", "sup", "dm"):
        client.force_login(u[role])
        assert client.get(reverse("rewards:payroll", args=["2026-12"])).status_code == 403


def audit_rows(client, user) -> list[str]:
    client.force_login(user)
    body = b"".join(client.get(reverse("audit-export")).streaming_content).decode("utf-8-sig")
    return body.splitlines()[1:]


@pytest.mark.django_db
def test_the_audit_trail_joins_the_author_to_the_reward_for_hr_alone(client, granted):
    u = granted["users"]
    for role in ("lead", "sup", "dm"):
        client.force_login(u[role])
        assert client.get(reverse("audit-index")).status_code == 403
    # The administrator reads the trail, but the claim's entries (which name the claimant beside 优秀意见奖励)
    # are HR's, like the claims themselves: what is left about the author is the neutral award.
    rows = [r for r in audit_rows(client, u["admin"]) if AUTHOR_EMPLOYEE_ID in r]
    assert len(rows) == 1 and ",reward.award,rewardline," in rows[0] and "原因不公开" in rows[0]
    assert not any(TELLS.search(r) for r in rows)
    html = page(client, u["admin"], reverse("audit-index") + f"?employee={AUTHOR_EMPLOYEE_ID}")
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "原因不公开" in table and not TELLS.search(table)
    hr = [r for r in audit_rows(client, u["hr"]) if AUTHOR_EMPLOYEE_ID in r]
    assert sorted(r.split(",")[2] for r in hr) == ["reward.award", "suggestion.claim", "suggestion.reward"]
    # The admin site's trail, which the administrators' superuser flag opens, leaves them out the same way.
    client.force_login(u["admin"])
    listed = client.get("/admin/audit/auditentry/?q=" + AUTHOR_EMPLOYEE_ID).content.decode()
    assert "reward.award" in listed and "suggestion.claim" not in listed and "suggestion.reward" not in listed
