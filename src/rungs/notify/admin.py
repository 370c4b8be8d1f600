from django.contrib import admin

from rungs.audit.trail import record
from rungs.notify.models import Robot


@admin.register(Robot)
class RobotAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "department", "active")

    def save_model(self, request, obj, form, change):
        # the secret is never written to the trail, only that it changed
        changed = {f: ("***" if f == "secret" else str(form.cleaned_data.get(f))) for f in form.changed_data}
        super().save_model(request, obj, form, change)
        record(request.user, "user.manage", obj, after=changed)
