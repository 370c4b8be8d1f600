"""The anonymous suggestion box, one service per action (checked against the authority table, atomic, with
its audit entry in the same transaction).

What keeps an author anonymous, and where:
- `suggestion_submit` checks that the actor may submit and then forgets them: the row has no user, no
  address, no browser, the day only, a random key; the audit entry has no actor, the day only, and does
  not name the suggestion. The receipt code is returned once and only its keyed hash is stored.
- The author's follow-up (`suggestion_author_reply`) is found by the receipt code alone and audited the
  same way; reading by code (`by_receipt`) writes nothing at all.
- Handlers see a suggestion only once it is released with its batch: when BATCH suggestions are waiting
  they are released together, and any that still waits is released the next day. So a handler cannot
  tell a suggestion from the moment it appeared (someone who just left their desk).
- Claiming a reward (`suggestion_claim`) is the author's own choice and the only step that names them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from rungs.accounts.authority import check, may
from rungs.audit.trail import record
from rungs.rewards.awards import award_post
from rungs.voice.models import RewardClaim, Suggestion, SuggestionMessage, SuggestionStep
from rungs.voice.receipts import keyed_hash, new_code

S = Suggestion.State
BATCH = int(getattr(settings, "RUNGS_SUGGESTION_BATCH", 3))
ANONYMOUS_TARGET = ("suggestion", "", "匿名意见")  # an author's entry does not name the suggestion
# The real reason of a suggestion's award line, kept undisclosed beside it (rungs.rewards.awards): that it is
# an excellent suggestion's reward, never which suggestion (no id, title or text).
REWARD_REASON, REWARD_REASON_EN = "优秀意见奖励", "Excellent-suggestion reward"

# The handling, published to everyone: received → under review → adopted / declined → implemented.
MOVES: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.REVIEW,),
    S.REVIEW: (S.ADOPTED, S.DECLINED),
    S.ADOPTED: (S.IMPLEMENTED,),
}


class SuggestionRefused(Exception):
    """The box does not allow this now (empty text, wrong state, unknown receipt code …)."""


def _text(value: str, what: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise SuggestionRefused(_("请填写%(what)s。") % {"what": what})
    if len(value) > limit:
        raise SuggestionRefused(_("%(what)s最多 %(n)s 个字。") % {"what": what, "n": limit})
    return value


# ---------------------------------------------------------------------------------------------- reading


def released(today: dt.date) -> QuerySet[Suggestion]:
    """The suggestions handlers and everyone else see: released with their batch, or from an earlier day."""
    return Suggestion.objects.filter(Q(released=True) | Q(received_on__lt=today))


def by_receipt(code: str) -> Suggestion | None:
    """The suggestion of a receipt code, or None. Writes nothing: a lookup leaves no trace of who made it."""
    if not (code or "").strip():
        return None
    return Suggestion.objects.filter(receipt_hash=keyed_hash(code, "receipt")).first()


# ---------------------------------------------------------------------------------------------- the author


@transaction.atomic
def suggestion_submit(*, title: str, text: str, actor, today: dt.date) -> tuple[Suggestion, str]:
    """Stores an anonymous suggestion; returns it and its receipt code (shown once, never stored)."""
    check(actor, "suggestion.submit")
    title, text = _text(title, _("标题"), 200), _text(text, _("内容"), 4000)
    code = new_code()
    s = Suggestion.objects.create(
        receipt_hash=keyed_hash(code, "receipt"), title=title, text=text, received_on=today
    )
    waiting = Suggestion.objects.select_for_update().filter(released=False, received_on=today)
    if waiting.count() >= BATCH:
        waiting.update(released=True)
    record(None, "suggestion.submit", ANONYMOUS_TARGET, anonymous_on=today)
    return s, code


def _message(s: Suggestion, text: str, from_author: bool, today: dt.date) -> SuggestionMessage:
    seq = (s.messages.aggregate(m=Max("seq"))["m"] or 0) + 1
    return SuggestionMessage.objects.create(
        suggestion=s, seq=seq, from_author=from_author, text=text, sent_on=today
    )


@transaction.atomic
def suggestion_author_reply(*, code: str, text: str, actor, today: dt.date) -> Suggestion:
    """The author writes to the handlers, by receipt code, still anonymous."""
    check(actor, "suggestion.follow")
    s = by_receipt(code)
    if s is None:
        raise SuggestionRefused(_("回执码不正确。"))
    _message(s, _text(text, _("回复内容"), 4000), True, today)
    record(None, "suggestion.follow", ANONYMOUS_TARGET, anonymous_on=today)
    return s


@transaction.atomic
def suggestion_claim(*, code: str, actor, today: dt.date) -> RewardClaim:
    """The author of an excellent suggestion claims its reward, and so names themselves to HR."""
    check(actor, "suggestion.claim")
    employee = getattr(actor, "employee", None)
    if employee is None:
        raise SuggestionRefused(_("您的账号没有关联员工档案，不能领取奖励。"))
    s = by_receipt(code)
    if s is None:
        raise SuggestionRefused(_("回执码不正确。"))
    s = Suggestion.objects.select_for_update().get(pk=s.pk)
    if not s.excellent or s.reward is None:
        raise SuggestionRefused(_("这条意见没有被评为优秀意见，没有可领取的奖励。"))
    if RewardClaim.objects.filter(suggestion=s).exists():
        raise SuggestionRefused(_("这条意见的奖励已经领取过了。"))
    claim = RewardClaim.objects.create(suggestion=s, employee=employee, amount=s.reward, claimed_on=today)
    # The entry names the claimant (they chose to be known) but not the suggestion: the claim row,
    # which HR alone reads, is the one link between the two.
    record(
        actor,
        "suggestion.claim",
        ("rewardclaim", str(claim.pk), str(_("优秀意见奖励"))),
        employee_id=employee.employee_id,
        after={"amount": s.reward},
    )
    return claim


# ---------------------------------------------------------------------------------------------- handlers


def _handled(suggestion: Suggestion, actor, today: dt.date) -> Suggestion:
    check(actor, "suggestion.handle")
    s = released(today).select_for_update().filter(pk=suggestion.pk).first()
    if s is None:
        raise SuggestionRefused(_("这条意见还没有发给处理人。"))
    return s


@transaction.atomic
def suggestion_reply(*, suggestion: Suggestion, text: str, actor, today: dt.date) -> SuggestionMessage:
    """A handler writes to the anonymous author, who reads it with the receipt code."""
    s = _handled(suggestion, actor, today)
    m = _message(s, _text(text, _("回复内容"), 4000), False, today)
    record(actor, "suggestion.handle", s, after={"message": m.seq})
    return m


@transaction.atomic
def suggestion_move(
    *, suggestion: Suggestion, to: str, actor, today: dt.date, reason: str = ""
) -> Suggestion:
    """One handling step; declining needs a reason. The state and the reason are published."""
    s = _handled(suggestion, actor, today)
    if to not in MOVES.get(s.state, ()):
        raise SuggestionRefused(
            _("这条意见目前“%(state)s”，不能改为“%(to)s”。")
            % {"state": s.get_state_display(), "to": S(to).label if to in S.values else to}
        )
    reason = (reason or "").strip()
    if to == S.DECLINED and not reason:
        raise SuggestionRefused(_("不采纳须说明原因。"))
    seq = (s.steps.aggregate(m=Max("seq"))["m"] or 0) + 1
    SuggestionStep.objects.create(
        suggestion=s, seq=seq, from_state=s.state, to_state=to, on=today, reason=reason
    )
    old, s.state = s.state, to
    if reason:
        s.response = reason
    s.save(update_fields=["state", "response"])
    record(actor, "suggestion.handle", s, before={"state": old}, after={"state": to}, reason=reason)
    return s


@transaction.atomic
def suggestion_mark_excellent(
    *, suggestion: Suggestion, reward: Decimal, actor, today: dt.date
) -> Suggestion:
    """An adopted or implemented suggestion is named excellent, with the reward its author may claim."""
    s = _handled(suggestion, actor, today)
    if s.state not in (S.ADOPTED, S.IMPLEMENTED):
        raise SuggestionRefused(_("只有已采纳或已落实的意见可以评为优秀意见。"))
    if not isinstance(reward, Decimal) or reward <= 0:
        raise SuggestionRefused(_("请填写大于 0 的奖励金额。"))
    if RewardClaim.objects.filter(suggestion=s).exists():
        raise SuggestionRefused(_("奖励已经领取，不能再修改。"))
    before = {"excellent": s.excellent, "reward": s.reward}
    s.excellent, s.reward = True, reward.quantize(Decimal("0.01"))
    s.save(update_fields=["excellent", "reward"])
    record(actor, "suggestion.handle", s, before=before, after={"excellent": True, "reward": s.reward})
    return s


@transaction.atomic
def claim_grant(*, claim: RewardClaim, actor, today: dt.date) -> RewardClaim:
    """HR confirms a claimed reward: it goes on the rewards ledger as an award line of the month (accrued, then
    approved and paid with the payroll). The line is an undisclosed award: its explanation, inputs and audit
    entry say 原因不公开 like any other such award, the reason row says only 优秀意见奖励; the claim, which
    HR alone reads, is the one link to the suggestion."""
    check(actor, "suggestion.reward", claim.employee)
    c = (
        RewardClaim.objects.select_for_update(of=("self",))
        .select_related("employee__department")
        .get(pk=claim.pk)
    )
    if c.state != RewardClaim.State.CLAIMED:
        raise SuggestionRefused(_("这笔奖励已经记入奖励台账。"))
    c.line = award_post(
        employee=c.employee,
        cycle=f"{today:%Y-%m}",
        amount=c.amount,
        reason=REWARD_REASON,
        reason_en=REWARD_REASON_EN,
        actor=actor,
        undisclosed=True,
    )
    c.state, c.granted_on = RewardClaim.State.GRANTED, today
    c.save(update_fields=["state", "granted_on", "line"])
    record(
        actor,
        "suggestion.reward",
        ("rewardclaim", str(c.pk), str(_("优秀意见奖励"))),
        employee_id=c.employee.employee_id,
        after={"state": c.state, "amount": c.amount, "line": c.line.pk},
    )
    return c


# ---------------------------------------------------------------------------------------------- who knows


def may_read_claims(user) -> bool:
    """Whether `user` reads the claims and the audit entries of claims, which name the claimant: the same
    action that reads an undisclosed award's real reason (rungs.rewards.awards.may_read_confidential), so
    whoever may see why a line was paid is whoever may see who claimed a suggestion's reward."""
    return may(user, "reward.confidential")
