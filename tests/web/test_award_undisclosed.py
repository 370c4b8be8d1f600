"""An award with an undisclosed reason (原因不公开, issue 11): HR ticks it on the award form, and the line's
explanation, its frozen inputs.reason and its audit entry's reason carry the fixed text; the real reason is
one ConfidentialReason row, shown beside the line to exactly the audience that reads a suggestion's claims
— who may `reward.confidential` (HR) — and to the line's own employee. A suggestion's reward is such an
award (test_voice_award_line), so it no longer stands out among HR's awards.

The company of voice_company: 王晓明 (E7731X) is in 一组 of 客服一部; `lead` leads 一组, `sup` supervises and
`dm` manages 客服一部; `agent2` is a colleague in 一组."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from rungs.accounts import authority
from rungs.accounts.models import Role
from rungs.audit.models import AuditEntry
from rungs.rewards import awards
from rungs.rewards.models import ConfidentialReason, RewardLine, RewardRun
from rungs.rewards.services import line_reverse, reward_run_approve

from .voice_company import AUTHOR_EMPLOYEE_ID, make_company

DAY = dt.date(2026, 12, 7)
SECRET = "家属住院慰问7731"  # the real reason: distinctive, so any copy of it is found
FIXED = "原因不公开 · Reason not disclosed"


@pytest.fixture(autouse=True)
def chinese():
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


def tables() -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, read with raw SQL, each cell as text."""
    out = {}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = [tuple("" if v is None else str(v) for v in row) for row in cur.fetchall()]
    return out


@pytest.fixture
def posted(db, client, monkeypatch):
    """HR posts 300 yuan for 王晓明 in 2026-12 on the award form, reason undisclosed; the run approved."""
    company = make_company()
    u = company["users"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: DAY)
    client.force_login(u["hr"])
    answer = client.post(
        reverse("rewards:awards"),
        {"employee": AUTHOR_EMPLOYEE_ID, "cycle": "2026-12", "amount": "300", "unit": "yuan",
         "reason": SECRET, "undisclosed": "1"},
    )  # fmt: skip
    assert answer.status_code == 302
    client.logout()
    reward_run_approve(run=RewardRun.objects.get(kind="awards", cycle="2026-12"), actor=u["hr"])
    return company


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
def test_the_line_inputs_and_audit_entry_say_the_fixed_text_and_the_reason_is_in_one_row(posted):
    line = RewardLine.objects.get(plan="awards")
    assert (line.employee.employee_id, line.amount, line.state) == (AUTHOR_EMPLOYEE_ID, 300, "approved")
    assert (line.explanation, line.explanation_en, line.inputs) == (
        "专项奖励：原因不公开",
        "Award: reason not disclosed",
        {"reason": FIXED, "posted_by": "hr"},
    )
    entry = AuditEntry.objects.get(action="reward.award")
    assert (entry.reason, entry.employee_id, entry.after) == (
        FIXED,
        AUTHOR_EMPLOYEE_ID,
        {"run": line.run_id, "cycle": "2026-12", "amount": "300.00 元"},
    )
    assert ConfidentialReason.objects.get().line == line
    # Read the database as a database reader would: the reason is in one row of one table, nowhere else.
    found = [(t, row) for t, rows in tables().items() for row in rows if any(SECRET in c for c in row)]
    assert [t for t, _row in found] == ["rewards_confidentialreason"]


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
        ("admin", "audit-index"),
        ("agent2", "rewards:statement"),
    ],
)
def test_nobody_else_reads_the_reason(client, posted, role, url, english):
    html = page(client, posted["users"][role], reverse(url) + "?cycle=2026-12", english)
    assert SECRET not in html
    if role != "agent2" and url != "audit-index":
        assert ("Award: reason not disclosed" if english else "专项奖励：原因不公开") in html
    if url == "audit-index":
        assert "原因不公开" in html  # the entry is there, with the fixed text


@pytest.mark.django_db
def test_the_executive_approver_and_the_trail_export_do_not_either(client, posted):
    u = posted["users"]
    run = RewardRun.objects.get(kind="awards")
    html = page(client, u["exec"], reverse("rewards:run", args=[run.pk]))
    assert "专项奖励：原因不公开" in html and SECRET not in html
    for role in ("admin", "hr"):
        client.force_login(u[role])
        body = b"".join(client.get(reverse("audit-export")).streaming_content).decode("utf-8-sig")
        assert FIXED in body and SECRET not in body
    client.force_login(u["admin"])
    assert SECRET not in client.get("/admin/audit/auditentry/?q=" + AUTHOR_EMPLOYEE_ID).content.decode()
    for cycle_page in ("hr", "admin"):
        client.force_login(u[cycle_page])
        csv = client.get(reverse("rewards:payroll", args=["2026-12"]) + "?format=csv").content.decode()
        assert SECRET not in csv


@pytest.mark.django_db
@pytest.mark.parametrize("english", [False, True])
def test_hr_and_the_employee_read_the_reason_beside_the_line(client, posted, english):
    u = posted["users"]
    mine = page(client, u["author"], reverse("rewards:statement") + "?cycle=2026-12", english)
    hr = page(client, u["hr"], reverse("rewards:team") + "?cycle=2026-12", english)
    assert f"（{SECRET}）" in mine and f"（{SECRET}）" in hr


@pytest.mark.django_db
def test_a_reversal_keeps_the_fixed_text_and_its_reason_for_the_same_readers(client, posted):
    u = posted["users"]
    line = RewardLine.objects.get(plan="awards")
    reversal, _correction = line_reverse(line=line, reason="重复登记", actor=u["hr"])
    assert "原因不公开" in reversal.explanation and SECRET not in reversal.explanation
    assert reversal.inputs["reason"] == FIXED
    hr = awards.with_occasions([reversal], u["hr"])[0].occasion
    lead = awards.with_occasions([reversal], u["lead"])[0].occasion
    assert (hr, lead) == (SECRET, "")


@pytest.mark.django_db
def test_only_those_who_read_the_reason_may_post_one_undisclosed(client, posted):
    u = posted["users"]
    employee = u["author"].employee
    with pytest.raises(awards.AwardRefused, match="人力资源部"):
        awards.award_post(
            employee=employee, cycle="2026-12", amount="50", reason="x", actor=u["dm"], undisclosed=True
        )
    assert ConfidentialReason.objects.count() == 1
    assert 'name="undisclosed"' not in page(client, u["dm"], reverse("rewards:awards"))
    assert 'name="undisclosed"' in page(client, u["hr"], reverse("rewards:awards"))
    # an ordinary award keeps its reason in the open, as before
    line = awards.award_post(
        employee=employee, cycle="2026-12", amount="50", reason="季度全勤", actor=u["dm"]
    )
    assert (line.explanation, line.inputs["reason"]) == ("专项奖励：季度全勤", "季度全勤")
    assert not ConfidentialReason.objects.filter(line=line).exists()


@pytest.mark.django_db
def test_one_action_reads_both_the_reason_and_the_suggestion_claims(client, posted, monkeypatch):
    """The undisclosed reason and the claims of suggestion rewards (which join an author to a suggestion)
    are read by the one action reward.confidential: widen it, and both open at once; neither has its own."""
    u = posted["users"]
    assert authority.ACTIONS["reward.confidential"].roles == frozenset({Role.HR})
    assert authority.ACTIONS["reward.confidential"].roles_only
    client.force_login(u["dm"])
    assert client.get(reverse("voice:claims")).status_code == 403
    assert SECRET not in page(client, u["dm"], reverse("rewards:team") + "?cycle=2026-12")
    wider = authority.Rule(frozenset({Role.HR, Role.DEPARTMENT_MANAGER}), "x", roles_only=True)
    monkeypatch.setitem(authority.ACTIONS, "reward.confidential", wider)
    client.force_login(u["dm"])
    assert client.get(reverse("voice:claims")).status_code == 200
    assert f"（{SECRET}）" in page(client, u["dm"], reverse("rewards:team") + "?cycle=2026-12")
