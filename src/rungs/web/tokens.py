"""API tokens on a page (administrators): issue one for a user — the key is shown once, on the page that
issued it — and revoke one with a reason. Both through rungs.api.services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rungs.accounts.authority import requires
from rungs.api.models import ApiToken
from rungs.api.services import TokenRefused, token_issue, token_revoke


class IssueForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("用户"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        empty_label=gettext_lazy("— 请选择用户 —"),
    )
    name = forms.CharField(label=gettext_lazy("用途"), max_length=100, required=False)


def _page(request, form, key=None):
    tokens = ApiToken.objects.select_related("user").order_by("-created")[:200]
    return render(request, "rungs/tokens.html", {"form": form, "tokens": tokens, "key": key})


@requires("token.issue")
def index(request):
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = token_issue(
                user=form.cleaned_data["user"], name=form.cleaned_data["name"], actor=request.user
            )
        except TokenRefused as exc:
            form.add_error(None, str(exc))
        else:
            response = _page(request, IssueForm(), key=key)
            response["Cache-Control"] = "no-store"  # the key is on this page only
            return response
    return _page(request, form)


@require_POST
@requires("token.revoke")
def revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    token_revoke(token=token, actor=request.user, reason=request.POST.get("reason", "").strip()[:500])
    messages.success(request, _("已吊销令牌 %(prefix)s…") % {"prefix": token.prefix})
    return redirect("tokens")
