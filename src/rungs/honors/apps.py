from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from rungs.promotions.apps import applied

# Applying this migration recounts the notices still running: the counting changed (posting day = day 1,
# on the company's calendar).
UPGRADE = "0002_notice_from_posting_day"


def recount_on_upgrade(sender, plan=None, verbosity=1, stdout=None, **_signal):
    """post_migrate: once, when the upgrade's migration is applied, the open notices' ends are counted
    again, by the receiver of `calendar_changed`."""
    if not applied(plan, sender.label, UPGRADE):
        return
    from rungs.honors.services import honor_notices_recount

    moved = honor_notices_recount()
    if verbosity and stdout is not None:
        stdout.write(f"  Recounted the open 公示 of honors: {moved} end date(s) moved.")


class HonorsConfig(AppConfig):
    name = "rungs.honors"
    verbose_name = _("荣誉与认可")

    def ready(self):
        from rungs.honors.services import honor_notices_recount
        from rungs.records.calendar import calendar_changed

        calendar_changed.connect(honor_notices_recount, dispatch_uid="rungs.honors.honor_notices_recount")
        post_migrate.connect(recount_on_upgrade, sender=self, dispatch_uid="rungs.honors.recount_on_upgrade")
