from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "rungs.policies"
    verbose_name = _("晋升策略")
