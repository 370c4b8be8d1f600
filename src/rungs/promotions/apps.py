from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# Applying this migration recounts the notices still running: the counting changed (posting day = day 1).
UPGRADE = "0008_notice_from_posting_day"


def applied(plan, app_label: str, name: str) -> bool:
    """Whether `migrate` has just applied migration `name` of `app_label` forwards (post_migrate's plan)."""
    return any(m.app_label == app_label and m.name == name and not back for m, back in plan or ())


def recount_on_upgrade(upgrade: str, recount, what: str):
    """A post_migrate receiver: once, when `migrate` applies the app's migration `upgrade`, the notices
    still running are counted again by `recount` (the receiver of `calendar_changed`), and it says so."""

    def receiver(sender, plan=None, verbosity=1, stdout=None, **_signal):
        if not applied(plan, sender.label, upgrade):
            return
        moved = recount()
        if verbosity and stdout is not None:
            stdout.write(f"  Recounted the open 公示 of {what}: {moved} end date(s) moved.")

    return receiver


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
            recount_on_upgrade(UPGRADE, notices_recount, "promotion rounds"),
            sender=self,
            dispatch_uid="rungs.promotions.recount_on_upgrade",
            weak=False,  # the receiver is made here: nothing else holds it
        )
