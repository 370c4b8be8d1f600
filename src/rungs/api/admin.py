"""API tokens in the admin: read only. A token is issued by `rungs manage create_api_token` or the token
page and revoked there or by the admin action below — each through rungs.api.services, so it is
authorised and audited. The admin cannot give a token to another user or make a revoked one valid."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from rungs.accounts.authority import Denied
from rungs.api.models import ApiToken
from rungs.api.services import token_revoke


@admin.action(description=_("吊销所选令牌"))
def revoke(modeladmin, request, queryset):
    try:
        for token in queryset.filter(revoked=False):
            token_revoke(token=token, actor=request.user, reason=str(_("在管理后台吊销")))
    except Denied as exc:
        modeladmin.message_user(request, exc.reason, messages.ERROR)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "name", "prefix"]
    actions = [revoke]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a revoked token stays, so its uses remain explainable
