"""Background work: a whole-company evaluation runs in the worker (`rungs worker`), not in a request."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.tasks import task

from rungs.policies.models import Policy
from rungs.policies.runs import run_evaluation


@task()
def evaluate_policy(policy_id: int, as_of: str, user_id: int | None = None) -> int:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = run_evaluation(Policy.objects.get(pk=policy_id), dt.date.fromisoformat(as_of), user)
    return run.pk
