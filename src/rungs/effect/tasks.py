"""Background work: an effect study of a large company runs in the worker (`rungs worker`)."""

from django.tasks import task


@task()
def compute_effect(study_pk: int) -> int:
    from rungs.effect.services import effect_finish

    return effect_finish(study_pk).pk
