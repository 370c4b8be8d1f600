"""Fills Decision.soon_months for runs stored before the field existed (or with it cleared), so their
team view lists the people whose time-based criteria will be met soon. Works from each run's stored
policy text with today's parser; a policy that no longer parses is left as it was."""

from django.core.management.base import BaseCommand

from rungs.board.gaps import soon_months
from rungs.core.policy.errors import PolicyError
from rungs.policies.models import Decision, EvaluationRun
from rungs.policies.policy_view import policy_view

BATCH = 2000


def fill() -> int:
    filled = 0
    for run in EvaluationRun.objects.select_related("policy").iterator():
        try:
            pv = policy_view(run.policy)
        except PolicyError:
            continue
        pending = Decision.objects.filter(run=run, kind="promotion", eligible=False, soon_months=None)
        changed = []
        for d in pending.only("rule", "criteria").iterator(chunk_size=BATCH):
            d.soon_months = soon_months(d.rule, d.criteria, pv)
            if d.soon_months is not None:
                changed.append(d)
        Decision.objects.bulk_update(changed, ["soon_months"], batch_size=BATCH)
        filled += len(changed)
    return filled


class Command(BaseCommand):
    help = "Fill soon_months of stored runs that lack it / 为旧的评估结果补算“即将符合”的月数"

    def handle(self, *args, **opts):
        self.stdout.write(f"filled {fill()} decisions")
