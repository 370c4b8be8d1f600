"""Fills Decision.soon_months for runs stored before the field existed, so their team view still lists the
people whose time-based criteria will be met soon. Works from the stored policy text with today's parser; a
policy that no longer parses is left as it was (its runs then list only the "close" people)."""

from django.db import migrations

BATCH = 2000


def fill(apps, schema_editor):
    from rungs.board.gaps import soon_months
    from rungs.board.policy_view import policy_view
    from rungs.core.policy.errors import PolicyError

    Decision = apps.get_model("policies", "Decision")
    EvaluationRun = apps.get_model("policies", "EvaluationRun")
    for run in EvaluationRun.objects.select_related("policy").iterator():
        try:
            pv = policy_view(run.policy)
        except PolicyError:
            continue
        pending = Decision.objects.filter(run=run, kind="promotion", eligible=False).only("rule", "criteria")
        changed = []
        for d in pending.iterator(chunk_size=BATCH):
            d.soon_months = soon_months(d.rule, d.criteria, pv)
            if d.soon_months is not None:
                changed.append(d)
        Decision.objects.bulk_update(changed, ["soon_months"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("policies", "0002_decision_soon_months")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
