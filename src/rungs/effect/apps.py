from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EffectConfig(AppConfig):
    name = "rungs.effect"
    verbose_name = _("方案效果评估")
