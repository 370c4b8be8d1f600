"""The audit trail in the admin: readable and searchable, never added to, changed or deleted."""

from django.contrib import admin

from rungs.audit.models import AuditEntry
from rungs.audit.trail import hidden_actions


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target", "employee_id"]
    list_filter = ["action"]
    search_fields = ["actor", "target", "employee_id"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(action__in=hidden_actions(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
