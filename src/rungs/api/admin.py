from django.contrib import admin

from rungs.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["prefix", "created", "last_used"]

    def has_add_permission(self, request):
        return False  # keys are created with `rungs manage create_api_token`, which shows the key once
