"""The suggestion box pages.

The author's pages never put the receipt code or the suggestion's key in an address (web-server access
logs keep addresses beside the visitor's IP): the code travels only in POST bodies, every answer to it is
rendered directly (no redirect, no message kept in the session) and marked not to be stored by any cache,
and the code and texts are hidden from Django's error reports. Submitting or following writes nothing to
the session, so the session row does not change either.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, check, may, requires
from rungs.audit import clock
from rungs.rewards.awards import AwardRefused
from rungs.voice import suggestions as services
from rungs.voice.models import RewardClaim, Suggestion


def _published(day):
    """Every released suggestion with its handling. How many still wait for their batch is not shown
    (a counter that moves when someone submits would tell when they did)."""
    return {"published": services.released(day).prefetch_related("steps")[:500]}


@login_required
def index(request):
    """The box: submit, follow by receipt code, and every suggestion's handling, published to everyone."""
    return render(request, "voice/suggestions.html", _published(clock.today()))


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
@never_cache
@sensitive_post_parameters("title", "text")
def submit(request):
    try:
        s, code = services.suggestion_submit(
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
            actor=request.user,
            today=clock.today(),
        )
    except services.SuggestionRefused as exc:
        context = {**_published(clock.today()), "error": str(exc), "form": request.POST}
        return _private(render(request, "voice/suggestions.html", context, status=400))
    return _private(render(request, "voice/receipt.html", {"suggestion": s, "code": code}))


@login_required
@require_POST
@never_cache
@sensitive_post_parameters("code", "text")
def follow(request):
    """The author's view of their suggestion by receipt code: its state, the conversation, a reply, a
    claim. Reached by POST only and answered in place."""
    p = request.POST
    code, step, error, claimed = p.get("code", ""), p.get("step", ""), "", None
    try:
        if step == "reply":
            services.suggestion_author_reply(
                code=code, text=p.get("text", ""), actor=request.user, today=clock.today()
            )
        elif step == "claim":
            claimed = services.suggestion_claim(code=code, actor=request.user, today=clock.today())
        else:
            check(request.user, "suggestion.follow")
    except services.SuggestionRefused as exc:
        error = str(exc)
    s = services.by_receipt(code)
    if s is None:
        return _private(render(request, "voice/follow.html", {"error": _("回执码不正确。")}, status=404))
    return _private(
        render(
            request,
            "voice/follow.html",
            {
                "suggestion": s,
                "code": code,
                "error": error,
                "claimed": claimed or RewardClaim.objects.filter(suggestion=s).first(),
                "released": services.released(clock.today()).filter(pk=s.pk).exists(),
                "can_claim": may(request.user, "suggestion.claim") and request.user.employee_id is not None,
            },
        )
    )


@login_required
@requires("suggestion.handle")
def handle(request):
    """The handlers' desk: every released suggestion with its text, conversation and the next steps."""
    day = clock.today()
    rows = services.released(day).prefetch_related("messages", "steps")
    return render(
        request,
        "voice/handle.html",
        {"suggestions": rows[:500], "moves": services.MOVES, "S": Suggestion.State},
    )


@login_required
@require_POST
def act(request, pk):
    """One handler's step on a suggestion, named by the button pressed (`step`)."""
    check(request.user, "suggestion.handle")
    s = get_object_or_404(services.released(clock.today()), pk=pk)
    p, user, day = request.POST, request.user, clock.today()
    step = p.get("step", "")
    try:
        if step == "reply":
            services.suggestion_reply(suggestion=s, text=p.get("text", ""), actor=user, today=day)
        elif step == "excellent":
            try:
                reward = Decimal(p.get("reward", "").strip())
            except InvalidOperation:
                raise services.SuggestionRefused(_("请填写大于 0 的奖励金额。")) from None
            services.suggestion_mark_excellent(suggestion=s, reward=reward, actor=user, today=day)
        elif step in Suggestion.State.values:
            services.suggestion_move(suggestion=s, to=step, reason=p.get("reason", ""), actor=user, today=day)
        else:
            raise services.SuggestionRefused(_("未知的操作。"))
    except (Denied, services.SuggestionRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
        return redirect("voice:handle")
    messages.success(request, _("已保存。"))
    return redirect("voice:handle")


@login_required
@requires("reward.confidential")
def claims(request):
    """HR's list of claimed rewards: the only page that shows who wrote a suggestion (read by the action
    that reads an undisclosed award's reason; confirming one is suggestion.reward's, in claim_grant)."""
    if request.method == "POST":
        claim = get_object_or_404(RewardClaim, pk=request.POST.get("claim") or 0)
        try:
            services.claim_grant(claim=claim, actor=request.user, today=clock.today())
            messages.success(request, _("已确认：奖励已记入本月的奖励台账（专项奖励），批准后随工资发放。"))
        except (Denied, services.SuggestionRefused, AwardRefused) as exc:
            messages.error(request, getattr(exc, "reason", None) or str(exc))
        return redirect("voice:claims")
    rows = RewardClaim.objects.select_related("suggestion", "employee", "line")
    return render(request, "voice/claims.html", {"claims": rows})
