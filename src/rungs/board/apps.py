from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "rungs.board"
    verbose_name = _("资格看板")
