"""Background work: a whole-company reward run goes to the worker (`rungs worker`), not the request."""

from django.contrib.auth import get_user_model
from django.tasks import task

from rungs.policies.models import Policy


@task()
def run_rewards(policy_id: int, cycle: str, user_id: int | None = None) -> int:
    from rungs.rewards.services import reward_run_start

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = reward_run_start(policy=Policy.objects.get(pk=policy_id), cycle=cycle, actor=user)
    return run.pk
