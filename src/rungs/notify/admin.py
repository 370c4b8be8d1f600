from django.contrib import admin

from rungs.accounts.authority import check, may
from rungs.audit.trail import record
from rungs.notify.models import Robot


@admin.register(Robot)
class RobotAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "department", "active")

    # Who may change a robot is the authority table's answer, not the admin's own permissions.
    def has_module_permission(self, request):
        return may(request.user, "robot.manage")

    def has_view_permission(self, request, obj=None):
        return may(request.user, "robot.manage")

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def save_model(self, request, obj, form, change):
        check(request.user, "robot.manage")
        # the secret is never written to the trail, only that it changed
        changed = {f: ("***" if f == "secret" else str(form.cleaned_data.get(f))) for f in form.changed_data}
        super().save_model(request, obj, form, change)
        record(request.user, "robot.manage", obj, after=changed)

    def delete_model(self, request, obj):
        check(request.user, "robot.manage")
        record(request.user, "robot.manage", obj, before={"name": obj.name, "kind": obj.kind}, after=None)
        super().delete_model(request, obj)
