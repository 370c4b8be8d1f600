"""Pages and exports with personal data are not kept by shared caches (proxies, a shared browser cache);
someone signed in with a temporary password changes it before anything else."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control


def private_pages(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return middleware


def first_password(get_response):
    """A login whose password someone else set (a new login, an administrator's reset) sees only the
    password page (and can sign out) until it has a password of its own: a temporary password shown
    once to HR must not stay in use."""

    def middleware(request):
        if request.path.startswith(("/api/", "/static/")):  # the API takes tokens, never the session
            return get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse("password_change"), reverse("password_change_done"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith("/i18n/"):
                return redirect("password_change")
        return get_response(request)

    return middleware
