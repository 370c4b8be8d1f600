from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from rungs.promotions.apps import recount_on_upgrade

# Applying this migration recounts the notices still running: the counting changed (posting day = day 1,
# on the company's calendar).
UPGRADE = "0002_notice_from_posting_day"


class HonorsConfig(AppConfig):
    name = "rungs.honors"
    verbose_name = _("荣誉与认可")

    def ready(self):
        from rungs.honors.services import honor_notices_recount
        from rungs.records.calendar import calendar_changed

        calendar_changed.connect(honor_notices_recount, dispatch_uid="rungs.honors.honor_notices_recount")
        post_migrate.connect(
            recount_on_upgrade(UPGRADE, honor_notices_recount, "honors"),
            sender=self,
            dispatch_uid="rungs.honors.recount_on_upgrade",
            weak=False,  # the receiver is made here: nothing else holds it
        )
