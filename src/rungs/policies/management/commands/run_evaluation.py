import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from rungs.accounts.authority import Denied
from rungs.accounts.cli import actor_option, resolve_actor
from rungs.audit import clock
from rungs.policies.models import Policy
from rungs.policies.services import evaluation_run_start


class Command(BaseCommand):
    help = "Evaluate everyone under the policy in force and store the decisions / 运行资格评估"

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            default=None,
            help="YYYY-MM-DD (default tomorrow: facts dated before it count, so today's do)",
        )
        parser.add_argument("--scheme", default=None)
        actor_option(parser)

    def handle(self, *args, as_of, scheme, **opts):
        day = dt.date.fromisoformat(as_of) if as_of else clock.today() + dt.timedelta(days=1)
        policy = Policy.in_force(day, scheme)
        if policy is None:
            raise CommandError(f"no policy in force on {day}: store one with `rungs manage add_policy FILE`")
        try:
            run = evaluation_run_start(policy=policy, as_of=day, actor=resolve_actor(opts["as_user"]))
        except Denied as exc:
            raise CommandError(str(exc)) from exc
        n = run.decisions.filter(eligible=True, kind="promotion").count()
        self.stdout.write(
            f"run {run.pk}: {run.employees} employees under {policy}, {n} eligible for promotion"
        )
