from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "rungs.voice"
    verbose_name = _("员工之声")
