from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from rungs.accounts.authority import Denied
from rungs.accounts.cli import actor_option, resolve_actor
from rungs.core.rewards.cycle import parse_cycle
from rungs.policies.models import Policy
from rungs.rewards.services import RewardRefused, reward_run_start


class Command(BaseCommand):
    help = "Run the reward plans of the policy in force for a cycle and keep the ledger lines / 核算奖励"

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY")
        parser.add_argument("--scheme", default=None)
        actor_option(parser)

    def handle(self, *args, cycle, scheme, **opts):
        try:
            c = parse_cycle(cycle)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        policy = Policy.in_force(c.start, scheme)
        if policy is None:
            raise CommandError(
                f"no policy in force on {c.start}: store one with `rungs manage add_policy FILE`"
            )
        try:
            run = reward_run_start(policy=policy, cycle=c.label, actor=resolve_actor(opts["as_user"]))
        except (Denied, RewardRefused) as exc:
            raise CommandError(str(exc)) from exc
        total = run.lines.aggregate(t=Sum("amount"))["t"] or Decimal(0)
        self.stdout.write(
            f"run {run.pk}: {run.lines.count()} lines under {policy} for {run.cycle}, total {total:.2f}"
        )
