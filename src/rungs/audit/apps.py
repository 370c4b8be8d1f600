from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "rungs.audit"
    verbose_name = _("审计记录")
    default_auto_field = "django.db.models.BigAutoField"
