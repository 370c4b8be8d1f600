"""Writes about policies and evaluation runs. Each service checks the authority table, runs in one
transaction and writes its audit entry inside it; pages, the API and commands only parse and render."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.audit.trail import record
from rungs.policies.models import EvaluationRun, Policy
from rungs.policies.runs import run_evaluation


class DuplicateVersion(Exception):
    """The scheme already has a version of that name; nothing was stored."""

    def __init__(self, policy: Policy):
        self.policy = policy
        super().__init__(
            _("制度“%(scheme)s”的版本 %(version)s 已存在，未保存。请在文件中修改 version 后再上传。")
            % {"scheme": policy.scheme, "version": policy.version}
        )


def policy_create(*, text: str, filename: str = "policy.yaml", actor) -> Policy:
    """Validates a policy file and stores it as a new version. Raises PolicyError (line and column) for
    an invalid file, DuplicateVersion when the version exists, Denied when the actor may not."""
    check(actor, "policy.create")
    policy = Policy.from_text(text, filename, user=actor)
    try:
        with transaction.atomic():
            if Policy.objects.filter(scheme=policy.scheme, version=policy.version).exists():
                raise DuplicateVersion(policy)
            policy.save()
            record(
                actor,
                "policy.create",
                policy,
                after={
                    "scheme": policy.scheme,
                    "version": policy.version,
                    "effective_from": policy.effective_from,
                    "label": policy.label,
                },
            )
    except IntegrityError:  # stored by someone else between the check and the insert
        raise DuplicateVersion(policy) from None
    return policy


@transaction.atomic
def evaluation_run_start(*, policy: Policy, as_of: dt.date, actor) -> EvaluationRun:
    """Evaluates everyone under `policy` on `as_of` and stores the run with its decisions."""
    check(actor, "evaluation_run.start")
    run = run_evaluation(policy, as_of, actor)
    record(
        actor,
        "evaluation_run.start",
        run,
        after={
            "policy": policy.scheme,
            "version": policy.version,
            "as_of": as_of,
            "employees": run.employees,
        },
    )
    return run


def evaluation_run_enqueue(*, policy: Policy, as_of: dt.date, actor):
    """Puts the run in the worker's queue; the worker calls evaluation_run_start as the same actor."""
    from rungs.policies.tasks import evaluate_policy

    check(actor, "evaluation_run.start")
    return evaluate_policy.enqueue(policy.pk, as_of.isoformat(), getattr(actor, "pk", None))
