"""No schema change: the 公示 now counts its posting day as day 1 (rungs.core.notice), so the end stored for
a notice still running is one working day late. A migration imports no live code (it is frozen history),
so this one only marks the upgrade: when `migrate` applies it, the app's post_migrate receiver
(rungs.promotions.apps) recounts the open notices with the code of the day, through the same path as a
calendar change (`calendar_changed` → notices_recount)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("promotions", "0007_round_reminders"),
        ("records", "0005_calendar"),
    ]

    operations: list = []
