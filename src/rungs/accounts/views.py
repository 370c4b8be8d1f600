from django import forms
from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from rungs.accounts import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to even check a password while the username or the address is locked (see throttle)."""

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        addr = throttle.address(self.request) if self.request else ""
        minutes = throttle.locked_for(username, addr)
        if minutes:
            raise forms.ValidationError(
                _("登录失败次数过多，请 %(n)s 分钟后再试。") % {"n": minutes}, code="throttled"
            )
        try:
            data = super().clean()
        except forms.ValidationError:
            throttle.failed(username, addr)
            raise
        throttle.succeeded(username)
        return data


class LoginView(auth.LoginView):
    template_name = "rungs/login.html"
    redirect_authenticated_user = True
    authentication_form = ThrottledAuthenticationForm


class LogoutView(auth.LogoutView):
    pass


class PasswordChangeView(auth.PasswordChangeView):
    """Everyone changes their own password (Django's full set of validators applies)."""

    template_name = "rungs/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        from rungs.accounts.services import password_changed

        with transaction.atomic():
            before = self.request.user.password
            response = super().form_valid(form)
            password_changed(user=self.request.user, actor=self.request.user, before_hash=before)
        return response


class PasswordChangeDoneView(auth.PasswordChangeDoneView):
    template_name = "rungs/password_change_done.html"


@login_not_required
def healthz(request):
    """For load balancers: the process is up and the database answers."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"ok": True})


def delegation(request):
    """Who approves in my place while I am away (审批委托): my delegations, and a form for a new one."""
    import datetime as dt

    from django.contrib import messages
    from django.shortcuts import redirect, render

    from rungs.accounts.authority import Denied
    from rungs.accounts.models import Delegation, User
    from rungs.accounts.services import delegation_create

    user = request.user
    if request.method == "POST":
        p = request.POST
        delegate = User.objects.filter(username=p.get("delegate", "").strip(), is_active=True).first()
        try:
            starts, ends = (
                dt.date.fromisoformat(p.get("starts_on", "")),
                dt.date.fromisoformat(p.get("ends_on", "")),
            )
        except ValueError:
            starts = ends = None
        if delegate is None or starts is None or ends is None:
            messages.error(request, _("请填写代理人的登录名，以及开始和结束日期（YYYY-MM-DD）。"))
        else:
            try:
                delegation_create(
                    principal=user,
                    delegate=delegate,
                    starts_on=starts,
                    ends_on=ends,
                    actor=user,
                    note=p.get("note", ""),
                )
                messages.success(request, _("已保存。"))
            except Denied as exc:
                messages.error(request, exc.reason)
        return redirect("delegation")
    return render(
        request,
        "accounts/delegation.html",
        {
            "given": Delegation.objects.filter(principal=user).select_related("delegate")[:50],
            "held": Delegation.objects.filter(delegate=user).select_related("principal")[:50],
        },
    )
