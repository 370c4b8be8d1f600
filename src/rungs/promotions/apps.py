from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Applying this migration recounts the notices still running: the counting changed (posting day = day 1).
UPGRADE = "0008_notice_from_posting_day"


def applied(plan, app_label: str, name: str) -> bool:
    """Whether `migrate` has just applied migration `name` of `app_label` forwards (post_migrate's plan)."""
    return any(m.app_label == app_label and m.name == name and not back for m, back in plan or ())


def recount_on_upgrade(sender, plan=None, verbosity=1, stdout=None, **_signal):
    """post_migrate: once, when the upgrade's migration is applied, the open notices' ends (and their
    candidates' due dates) are counted again, by the receiver of `calendar_changed`."""
    if not applied(plan, sender.label, UPGRADE):
        return
    from rungs.promotions.services import notices_recount

    moved = notices_recount()
    if verbosity and stdout is not None:
        stdout.write(f"  Recounted the open 公示 of promotion rounds: {moved} end date(s) moved.")


class PromotionsConfig(AppConfig):
    name = "rungs.promotions"
    verbose_name = _("晋升评审")

    def ready(self):
        from rungs.promotions.deadlines import deadlines_recount
        from rungs.promotions.services import notices_recount
        from rungs.records.calendar import calendar_changed

        calendar_changed.connect(notices_recount, dispatch_uid="rungs.promotions.notices_recount")
        calendar_changed.connect(deadlines_recount, dispatch_uid="rungs.promotions.deadlines_recount")
        post_migrate.connect(
            recount_on_upgrade, sender=self, dispatch_uid="rungs.promotions.recount_on_upgrade"
        )
