from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo department and its logins: the top layer, it may use every app."""

    name = "rungs.demo"
    verbose_name = _("演示数据")
