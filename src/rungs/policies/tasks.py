"""Background work: a whole-company evaluation runs in the worker (`rungs worker`), not in a request."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.tasks import task

from rungs.policies.models import Policy


@task()
def evaluate_policy(policy_id: int, as_of: str, user_id: int | None = None, reason: str = "") -> int:
    from rungs.policies.services import evaluation_run_start

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    policy = Policy.objects.get(pk=policy_id)
    run = evaluation_run_start(policy=policy, as_of=dt.date.fromisoformat(as_of), actor=user, reason=reason)
    return run.pk
