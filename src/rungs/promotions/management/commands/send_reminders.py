"""Reminders of round steps due soon or overdue, once a day (cron, or a systemd timer, beside the worker):
`rungs manage send_reminders [--today YYYY-MM-DD]`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from rungs.accounts.cli import actor_option, resolve_actor
from rungs.audit import clock
from rungs.promotions.reminders import reminders_send


class Command(BaseCommand):
    help = "Send reminders of promotion-round steps due soon or overdue / 发送晋升评审各环节的到期与逾期提醒"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to count from, YYYY-MM-DD (default: today)")
        actor_option(parser)

    def handle(self, *args, **opts):
        try:
            today = dt.date.fromisoformat(opts["today"]) if opts["today"] else clock.today()
        except ValueError:
            raise CommandError(
                f"--today：日期应为 YYYY-MM-DD / a date YYYY-MM-DD, not {opts['today']!r}"
            ) from None
        sent = reminders_send(today=today, actor=resolve_actor(opts["as_user"]))
        self.stdout.write(f"已发送 {len(sent)} 条提醒 / sent {len(sent)} reminders ({today.isoformat()})")
