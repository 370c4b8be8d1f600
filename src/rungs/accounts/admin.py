from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from rungs.accounts.models import User


@admin.register(User)
class RungsUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Rungs", {"fields": ["role", "employee", "department", "team"]})]
    list_display = ["username", "role", "department", "team", "is_active"]
    list_filter = ["role", "department", "is_active"]
