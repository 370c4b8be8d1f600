"""Writes of the effect page: asking the worker for a study, and the worker keeping its result. Both check
the authority table and write their audit entry in the same transaction; the task is queued only once the
request is committed, so the worker never looks for a study that is not there yet."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from rungs.accounts.authority import check
from rungs.audit.trail import record
from rungs.core.effect import parse_month, report_to_text
from rungs.effect.models import EffectStudy
from rungs.effect.selectors import PlanChoice, effect_of, scope_key


@transaction.atomic
def effect_request(*, actor, choice: PlanChoice, since: str, window: int) -> EffectStudy:
    """A study of the plan from month `since` (YYYY-MM) over the records the actor may compare, queued
    for the worker. A study already waiting for the same is returned instead of a second one."""
    check(actor, "reward.effect")
    key = {"policy": choice.policy, "plan": choice.plan.id, "since": since, "window": window}
    waiting = EffectStudy.objects.filter(**key, scope=scope_key(actor), finished_at__isnull=True).first()
    if waiting is not None:
        return waiting
    study = EffectStudy.objects.create(**key, scope=scope_key(actor), requested_by=actor)
    record(actor, "reward.effect", study, after={"plan": choice.plan.id, "since": since, "window": window})

    def queue() -> None:
        from rungs.effect.tasks import compute_effect

        compute_effect.enqueue(study.pk)

    transaction.on_commit(queue)
    return study


def effect_finish(study_pk: int) -> EffectStudy:
    """The worker's half: computes the study as the user who asked for it (their scope) and keeps the
    report, or why it could not be computed. The computation runs outside the transaction that stores it."""
    study = EffectStudy.objects.select_related("policy", "requested_by").get(pk=study_pk)
    actor = study.requested_by
    report, error = "", ""
    try:
        check(actor, "reward.effect")  # the user's role may have changed since they asked
        if actor is None:
            raise ValueError("the user who asked for the study no longer exists")
        plan = next(p for p in study.policy.parsed.rewards.plans if p.id == study.plan)
        choice = PlanChoice(f"{study.policy.pk}:{plan.id}", study.policy, plan)
        report = report_to_text(effect_of(actor, choice, parse_month(study.since), study.window))
    except Exception as exc:  # noqa: BLE001 — whatever it was, the page says so instead of waiting forever
        error = str(exc) or type(exc).__name__
    with transaction.atomic():
        study = EffectStudy.objects.select_for_update().get(pk=study_pk)
        study.report, study.error, study.finished_at = report, error, timezone.now()
        study.save(update_fields=["report", "error", "finished_at"])
        record(actor, "reward.effect", study, after={"finished": True, "error": error[:200]})
    return study
