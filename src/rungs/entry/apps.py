from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntryConfig(AppConfig):
    name = "rungs.entry"
    verbose_name = _("数据录入")
