"""The anonymous suggestion box (issue 11): submitting stores nothing that leads to the author, handlers
see suggestions in batches, the author follows and converses by receipt code, the handling is published,
and only a claim — the author's own choice — names them, to HR alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.voice import suggestions as box
from rungs.voice.models import RewardClaim, Suggestion, SuggestionMessage
from rungs.voice.receipts import normalize

from .voice_company import (
    AUTHOR_EMPLOYEE_ID,
    AUTHOR_EMPLOYEE_PK,
    AUTHOR_NAME,
    AUTHOR_USER_PK,
    AUTHOR_USERNAME,
    make_company,
)

D = dt.date
DAY = D(2026, 12, 7)
IP = "203.0.113.77"
BROWSER = "AuthorBrowser/7731"
S = Suggestion.State


@pytest.fixture
def company(db):
    return make_company()


def tables() -> dict[str, set[tuple[str, ...]]]:
    """Every row of every table in the database, read with raw SQL, each cell as text."""
    out = {}
    with connection.cursor() as cur:
        for table in connection.introspection.table_names():
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = {tuple("" if v is None else str(v) for v in row) for row in cur.fetchall()}
    return out


def models() -> dict[str, set[tuple[str, ...]]]:
    """Every row of every model Django knows (apps.get_models, through tables included), by the ORM."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        out[model._meta.label] = {
            tuple("" if v is None else str(v) for v in row.values())
            for row in model._base_manager.all().values()
        }
    return out


def new_rows(before, after):
    return {name: after[name] - before.get(name, set()) for name in after if after[name] != before.get(name)}


NEEDLES = [str(AUTHOR_USER_PK), str(AUTHOR_EMPLOYEE_PK), AUTHOR_USERNAME, AUTHOR_EMPLOYEE_ID, AUTHOR_NAME]


def naming(rows: dict[str, set[tuple[str, ...]]], needles: list[str]) -> list[tuple[str, str]]:
    return [
        (name, cell) for name, rs in rows.items() for row in rs for cell in row for n in needles if n in cell
    ]


def submit(client, title="排班建议", text="夜班后第二天希望不排早班。"):
    client.defaults.update(REMOTE_ADDR=IP, HTTP_USER_AGENT=BROWSER)
    return client.post(reverse("voice:submit"), {"title": title, "text": text})


def receipt_of(response) -> str:
    html = response.content.decode()
    start = html.index('id="receipt-code">') + len('id="receipt-code">')
    return html[start : html.index("<", start)]


@pytest.mark.django_db
def test_a_submission_leaves_nothing_in_any_table_that_names_its_author(client, company, monkeypatch):
    author = company["users"]["author"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: DAY)
    client.force_login(author)
    raw_before, orm_before = tables(), models()

    response = submit(client)
    assert response.status_code == 200
    code = receipt_of(response)
    raw_after, orm_after = tables(), models()

    # Only the suggestion and its audit entry were written: not the session (its expiry would time the
    # submission), not the user (last_login), nothing else.
    changed = new_rows(raw_before, raw_after)
    assert set(changed) == {"voice_suggestion", "audit_auditentry"}
    assert all(len(rows) == 1 for rows in changed.values())
    assert raw_after["django_session"] == raw_before["django_session"]
    assert raw_after["accounts_user"] == raw_before["accounts_user"]
    # Nothing new names the author: user id, username, employee key, 工号, name — by SQL and by the ORM.
    assert naming(changed, NEEDLES) == []
    assert naming(new_rows(orm_before, orm_after), NEEDLES) == []
    assert set(new_rows(orm_before, orm_after)) == {"voice.Suggestion", "audit.AuditEntry"}
    # The address, the browser and the receipt code itself are nowhere in the database at all.
    assert naming(raw_after, [IP, BROWSER, code, normalize(code)]) == []

    s = Suggestion.objects.get()
    assert s.received_on == DAY and not s.released and len(s.receipt_hash) == 64
    entry = AuditEntry.objects.get(action="suggestion.submit")
    assert (entry.actor_id, entry.actor, entry.target_id) == (None, "anonymous", "")
    assert entry.at.astimezone(dt.timezone(dt.timedelta(hours=8))).time() == dt.time(0, 0)  # the day only


@pytest.mark.django_db
def test_following_by_receipt_writes_nothing_and_a_reply_stays_anonymous(client, company, monkeypatch):
    author = company["users"]["author"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: DAY)
    client.force_login(author)
    code = receipt_of(submit(client))

    before = tables()
    page = client.post(reverse("voice:follow"), {"code": code.lower().replace("-", " ")})
    assert page.status_code == 200 and "排班建议" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert tables() == before  # a lookup leaves no trace of who made it, anywhere

    reply = client.post(
        reverse("voice:follow"), {"code": code, "step": "reply", "text": "补充：周末也一样。"}
    )
    assert "补充：周末也一样。" in reply.content.decode()
    changed = new_rows(before, tables())
    assert set(changed) == {"voice_suggestionmessage", "audit_auditentry"}
    assert naming(changed, NEEDLES) == []
    assert AuditEntry.objects.get(action="suggestion.follow").actor_id is None

    assert client.post(reverse("voice:follow"), {"code": "0000-0000-0000-0000"}).status_code == 404
    assert client.get(reverse("voice:follow")).status_code == 405  # never in an address


@pytest.mark.django_db
def test_handlers_see_suggestions_in_batches_of_three_or_the_next_day(company):
    agent = company["users"]["author"]
    first, _c1 = box.suggestion_submit(title="一", text="内容一", actor=agent, today=DAY)
    second, _c2 = box.suggestion_submit(title="二", text="内容二", actor=agent, today=DAY)
    assert list(box.released(DAY)) == []  # two waiting: below the batch of 3
    third, _c3 = box.suggestion_submit(title="三", text="内容三", actor=agent, today=DAY)
    assert {s.title for s in box.released(DAY)} == {"一", "二", "三"}  # released together
    fourth, _c4 = box.suggestion_submit(title="四", text="内容四", actor=agent, today=DAY)
    assert box.released(DAY).count() == 3  # the fourth waits for its own batch …
    assert box.released(DAY + dt.timedelta(days=1)).count() == 4  # … or the next day
    with pytest.raises(box.SuggestionRefused, match="还没有"):
        box.suggestion_reply(suggestion=fourth, text="收到", actor=company["users"]["hr"], today=DAY)


@pytest.mark.django_db
def test_the_handling_is_published_and_the_author_claims_the_reward_by_receipt(client, company, monkeypatch):
    u = company["users"]
    monkeypatch.setattr("rungs.audit.clock.today", lambda: DAY + dt.timedelta(days=1))
    s, code = box.suggestion_submit(
        title="知识库", text="建议把常见问题整理成知识库。", actor=u["author"], today=DAY
    )
    nxt = DAY + dt.timedelta(days=1)
    box.suggestion_reply(suggestion=s, text="请问主要是哪类问题？", actor=u["hr"], today=nxt)
    box.suggestion_author_reply(code=code, text="退换货流程。", actor=u["author"], today=nxt)
    assert [(m.from_author, m.text) for m in SuggestionMessage.objects.filter(suggestion=s)] == [
        (False, "请问主要是哪类问题？"),
        (True, "退换货流程。"),
    ]
    with pytest.raises(box.SuggestionRefused, match="不能改为"):  # received → review first
        box.suggestion_move(suggestion=s, to=S.ADOPTED, actor=u["hr"], today=nxt)
    box.suggestion_move(suggestion=s, to=S.REVIEW, actor=u["hr"], today=nxt)
    with pytest.raises(box.SuggestionRefused, match="原因"):
        box.suggestion_move(suggestion=s, to=S.DECLINED, actor=u["hr"], today=nxt)
    with pytest.raises(box.SuggestionRefused, match="优秀"):  # not adopted yet
        box.suggestion_mark_excellent(suggestion=s, reward=Decimal("200"), actor=u["hr"], today=nxt)
    box.suggestion_move(suggestion=s, to=S.ADOPTED, reason="采纳，由质/培组整理", actor=u["hr"], today=nxt)
    box.suggestion_move(suggestion=s, to=S.IMPLEMENTED, reason="知识库已上线", actor=u["hr"], today=nxt)
    with pytest.raises(box.SuggestionRefused, match="优秀意见"):  # nothing to claim yet
        box.suggestion_claim(code=code, actor=u["author"], today=nxt)
    box.suggestion_mark_excellent(suggestion=s, reward=Decimal("200"), actor=u["hr"], today=nxt)

    # Published to everyone: another agent sees the state, the result and the steps.
    client.force_login(u["outsider"])
    page = client.get(reverse("voice:suggestions")).content.decode()
    assert "知识库已上线" in page and "已落实" in page and "优秀意见" in page
    assert "退换货流程" not in page  # the conversation is the author's and the handlers' only

    claim = box.suggestion_claim(code=code, actor=u["author"], today=nxt)
    assert (claim.employee.employee_id, claim.amount) == (AUTHOR_EMPLOYEE_ID, Decimal("200.00"))
    with pytest.raises(box.SuggestionRefused, match="已经领取"):
        box.suggestion_claim(code=code, actor=u["agent2"], today=nxt)
    entry = AuditEntry.objects.get(action="suggestion.claim")
    assert str(s.pk) not in f"{entry.target_id} {entry.target} {entry.after}"  # the claim row is the link
    before = tables()
    box.claim_grant(claim=claim, actor=u["hr"], today=nxt)
    claim = RewardClaim.objects.get()
    assert claim.state == RewardClaim.State.GRANTED
    # HR's confirmation puts the reward on the ledger: an accrued award line of the month for the claimant
    line = claim.line
    assert (line.employee.employee_id, line.amount, line.state) == (
        AUTHOR_EMPLOYEE_ID,
        Decimal("200.00"),
        "accrued",
    )
    assert (line.cycle, line.plan, line.run.kind, line.explanation) == (
        "2026-12",
        "awards",
        "awards",
        "专项奖励：原因不公开",
    )
    # … which says nothing of the suggestion: its key, title and text are in no new row of the ledger or the
    # trail (the claim, read by HR alone, is the one row that joins them, as before)
    changed = new_rows(before, tables())
    assert set(changed) == {
        "rewards_rewardrun",
        "rewards_rewardline",
        "rewards_confidentialreason",  # the line's real reason: 优秀意见奖励, and which suggestion nowhere
        "voice_rewardclaim",
        "audit_auditentry",
    }
    secrets = [str(s.pk), s.pk.hex, s.title, s.text]
    ledger = {k: v for k, v in changed.items() if k != "voice_rewardclaim"}
    assert naming(ledger, secrets) == []
    assert naming({"rewards_rewardline": tables()["rewards_rewardline"]}, secrets) == []


@pytest.mark.django_db
def test_each_role_that_may_not_is_refused(client, company):
    u = company["users"]
    s, code = box.suggestion_submit(title="一", text="内容", actor=u["author"], today=DAY)
    later = DAY + dt.timedelta(days=1)
    for role in ("author", "lead", "sup", "dm", "qa", "exec"):  # only HR and administrators handle
        with pytest.raises(Denied):
            box.suggestion_reply(suggestion=s, text="x", actor=u[role], today=later)
        with pytest.raises(Denied):
            box.suggestion_move(suggestion=s, to=S.REVIEW, actor=u[role], today=later)
    box.suggestion_move(suggestion=s, to=S.REVIEW, actor=u["admin"], today=later)
    box.suggestion_move(suggestion=s, to=S.ADOPTED, actor=u["admin"], today=later)
    box.suggestion_mark_excellent(suggestion=s, reward=Decimal("50.00"), actor=u["admin"], today=later)
    claim = box.suggestion_claim(code=code, actor=u["author"], today=later)
    for role in ("admin", "dm", "exec", "author"):  # claims name authors: HR alone, not even a superuser
        with pytest.raises(Denied):
            box.claim_grant(claim=claim, actor=u[role], today=later)
        client.force_login(u[role])
        assert client.get(reverse("voice:claims")).status_code == 403
    client.force_login(u["author"])
    assert client.get(reverse("voice:handle")).status_code == 403
    assert (
        client.post(reverse("voice:act", args=[s.pk]), {"step": "declined", "reason": "x"}).status_code == 403
    )
    client.force_login(u["hr"])
    page = client.get(reverse("voice:claims")).content.decode()
    assert AUTHOR_NAME in page and AUTHOR_EMPLOYEE_ID in page
    with pytest.raises(Denied):  # signed out: nobody submits
        from django.contrib.auth.models import AnonymousUser

        box.suggestion_submit(title="x", text="y", actor=AnonymousUser(), today=DAY)


def audit_csv(client) -> str:
    return b"".join(client.get(reverse("audit-export")).streaming_content).decode("utf-8-sig")


@pytest.mark.django_db
def test_the_audit_page_shows_an_anonymous_entry_only_once_its_day_is_over(client, company):
    from django.utils import timezone

    today = timezone.localdate()
    box.suggestion_submit(title="一", text="内容", actor=company["users"]["author"], today=today)
    client.force_login(company["users"]["hr"])
    assert "suggestion.submit" not in audit_csv(client)
    box.suggestion_submit(
        title="二", text="内容", actor=company["users"]["author"], today=today - dt.timedelta(days=1)
    )
    export = audit_csv(client)
    assert export.count("suggestion.submit") == 1 and "anonymous" in export
