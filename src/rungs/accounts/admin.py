"""Logins in the admin. Saving goes through rungs.accounts.services.user_save (authorised, audited);
a login is never deleted — deactivate it, so the facts it entered keep who entered them."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from rungs.accounts.models import User, UserFunction
from rungs.accounts.services import functions_recorded, password_changed, snapshot, user_save


class FunctionInline(admin.TabularInline):
    model = UserFunction
    extra = 1


@admin.register(User)
class RungsUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("Rungs", {"fields": ["role", "employee", "department", "team"]})]
    list_display = ["username", "role", "department", "team", "is_active"]
    list_filter = ["role", "department", "is_active"]
    inlines = [FunctionInline]

    def save_model(self, request, obj, form, change):
        before = snapshot(User.objects.get(pk=obj.pk)) if change else None
        user_save(
            user=obj, before=before, actor=request.user, password_changed="password1" in form.changed_data
        )

    def save_related(self, request, form, formsets, change):
        before = sorted(form.instance.functions.values_list("function", flat=True))
        super().save_related(request, form, formsets, change)
        functions_recorded(user=form.instance, before=before, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        """Django's password page, with the change audited in the same transaction."""
        with transaction.atomic():
            user = User.objects.filter(pk=id).first()
            before = user.password if user is not None else ""
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                password_changed(user=user, actor=request.user, before_hash=before)
        return response

    def has_delete_permission(self, request, obj=None):
        return False
