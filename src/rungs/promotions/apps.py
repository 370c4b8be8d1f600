from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "rungs.promotions"
    verbose_name = _("晋升评审")
