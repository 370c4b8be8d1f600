from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "rungs.promotions"
    verbose_name = _("晋升评审")

    def ready(self):
        from rungs.promotions.deadlines import deadlines_recount
        from rungs.promotions.services import notices_recount
        from rungs.records.calendar import calendar_changed

        calendar_changed.connect(notices_recount, dispatch_uid="rungs.promotions.notices_recount")
        calendar_changed.connect(deadlines_recount, dispatch_uid="rungs.promotions.deadlines_recount")
