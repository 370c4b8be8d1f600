from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RewardsConfig(AppConfig):
    name = "rungs.rewards"
    verbose_name = _("奖励与明细账")
