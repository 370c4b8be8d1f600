from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from rungs.accounts import views as accounts
from rungs.web.views import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", accounts.healthz, name="healthz"),
    path("api/", include("rungs.api.urls")),
]
urlpatterns += i18n_patterns(
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/delegation/", accounts.delegation, name="delegation"),
    path("accounts/password/done/", accounts.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("board/", include("rungs.board.urls")),
    path("entry/", include("rungs.entry.urls")),
    path("rounds/", include("rungs.promotions.urls")),
    path("cases/", include("rungs.cases.urls")),
    path("honors/", include("rungs.honors.urls")),
    path("talent/", include("rungs.talent.urls")),
    path("effect/", include("rungs.effect.urls")),
    path("rewards/", include("rungs.rewards.urls")),
    path("voice/", include("rungs.voice.urls")),
    path("", include("rungs.web.urls")),
    prefix_default_language=False,
)

handler500 = "rungs.web.views.server_error"
