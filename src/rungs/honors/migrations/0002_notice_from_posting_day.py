"""No schema change: the 公示 now counts its posting day as day 1 (rungs.core.notice), and an honor's notice
counts on the company's calendar as a round's does, so the end stored for a notice still running may be
late. A migration imports no live code (it is frozen history), so this one only marks the upgrade: when
`migrate` applies it, the app's post_migrate receiver (rungs.honors.apps) recounts the open notices with
the code of the day, through the same path as a calendar change (`calendar_changed` →
honor_notices_recount)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("honors", "0001_initial"),
        ("records", "0005_calendar"),
    ]

    operations: list = []
