from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from rungs.accounts import views as accounts

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", accounts.healthz, name="healthz"),
    path("api/", include("rungs.api.urls")),
]
urlpatterns += i18n_patterns(
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("board/", include("rungs.board.urls")),
    path("entry/", include("rungs.entry.urls")),
    path("", include("rungs.web.urls")),
    prefix_default_language=False,
)
