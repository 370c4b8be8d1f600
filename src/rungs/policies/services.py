"""Writes about policies and evaluation runs. Each service checks the authority table, runs in one
transaction and writes its audit entry inside it; pages, the API and commands only parse and render."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check
from rungs.accounts.functions import holds
from rungs.accounts.models import COMPANY_WIDE
from rungs.audit import clock
from rungs.audit.trail import record
from rungs.core.periods import add_months
from rungs.core.roles import role_label
from rungs.policies.models import STALE_MONTHS, EvaluationRun, Policy
from rungs.policies.runs import run_evaluation
from rungs.records.models import Evaluation, Event, Metric


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
    policy.department = _scope(actor)  # a department manager's version governs their department only
    policy.approved = not rules_owner(policy)
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
                    "department": policy.department.name if policy.department else None,
                    "approved": policy.approved,
                },
            )
    except IntegrityError:  # stored by someone else between the check and the insert
        raise DuplicateVersion(policy) from None
    return policy


def rules_owner(policy: Policy) -> str:
    """Who must approve a new version: the owner the version in force names (a draft cannot drop its own
    approver), else the one the new version names; '' when neither names one."""
    current = Policy.in_force(dt.date.max, policy.scheme, policy.department)
    owner = current.parsed.procedure.rules_owner if current is not None and current.pk != policy.pk else ""
    return owner or policy.parsed.procedure.rules_owner


class PolicyRefused(Exception):
    """The approval is not possible now (already approved, approving one's own upload)."""


@transaction.atomic
def policy_approve(*, policy: Policy, actor, reason: str = "") -> Policy:
    """The owner of the rules approves a draft version; from then on it is in force from its
    effective_from. The uploader does not approve their own draft."""
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    check(actor, "policy.approve")
    if policy.approved:
        raise PolicyRefused(_("这个版本已经批准过了。"))
    owner = rules_owner(policy)
    if owner and not holds(actor, owner, clock.today()):
        raise Denied("policy.approve", _("本制度的修订由%(who)s批准。") % {"who": role_label(owner)})
    if policy.uploaded_by_id == getattr(actor, "pk", None):
        raise PolicyRefused(_("上传者不能批准自己上传的版本。"))
    policy.approved, policy.approved_by, policy.approved_at = True, actor, timezone.now()
    policy.save(update_fields=["approved", "approved_by", "approved_at"])
    record(actor, "policy.approve", policy, after={"version": policy.version, "owner": owner}, reason=reason)
    return policy


class RunRefused(Exception):
    """The run cannot be started as asked (another version than the one in force, without a reason)."""


def data_through() -> dt.date | None:
    """The date of the latest fact on file: an event's date, or the last day of the latest month with an
    appraisal or a KPI value."""
    latest_event = Event.objects.aggregate(d=Max("date"))["d"]
    months = [
        q.filter(period_kind="M").aggregate(s=Max("seq"))["s"] for q in (Evaluation.objects, Metric.objects)
    ]
    latest = [
        add_months(dt.date(s // 12, s % 12 + 1, 1), 1) - dt.timedelta(days=1) for s in months if s is not None
    ]
    dates = [d for d in (latest_event, *latest) if d is not None]
    return max(dates) if dates else None


def _scope(actor):
    """A department manager's policies and runs are for their department; company-wide roles and the
    system act for the whole company."""
    if actor is None or actor.is_superuser or actor.role in COMPANY_WIDE:
        return None
    if actor.department is None:
        raise Denied("policy.create", _("您的账号未设置部门，请由人力资源或系统管理员操作。"))
    return actor.department


@transaction.atomic
def evaluation_run_start(*, policy: Policy, as_of: dt.date, actor, reason: str = "") -> EvaluationRun:
    """Evaluates everyone under `policy` on `as_of` and stores the run with the results in the actor's
    scope. The run is official (shown on the pages) when `policy` is the version in force on `as_of` and
    the run covers someone; another version needs a reason and is kept for reference only."""
    check(actor, "evaluation_run.start")
    reason = (reason or "").strip()
    department = _scope(actor)
    in_force = Policy.in_force(as_of, policy.scheme, department)
    if in_force != policy and not reason:
        raise RunRefused(
            _(
                "%(date)s 生效的版本是 %(version)s，不是所选的 %(chosen)s。如确需使用其他版本，请填写原因；"
                "这样的评估只供查阅，不会替换看板上的结果。"
            )
            % {
                "date": as_of.isoformat(),
                "version": in_force.version if in_force else _("（无）"),
                "chosen": policy.version,
            }
        )
    run = run_evaluation(policy, as_of, actor, department=department)
    through = data_through()
    warnings = list(run.warnings)
    if through is not None and add_months(through, STALE_MONTHS) < as_of:
        warnings.append(
            f"数据截至 {through.isoformat()}，比评估日期早两个月以上 · the data end on {through.isoformat()}, "
            f"more than {STALE_MONTHS} months before the evaluation date"
        )
    same_day = Event.objects.filter(date=as_of).count()
    if same_day:
        warnings.append(
            f"{same_day} 条记录的日期就是评估日期 {as_of.isoformat()}，未计入（只计入评估日期之前的记录；"
            f"要计入今天的记录，评估日期选明天）· {same_day} record(s) dated {as_of.isoformat()} itself "
            "are not counted (a run counts what is dated before its date)"
        )
    covered = run.decisions.exists()
    if not covered:
        warnings.append("这次评估没有覆盖任何人（策略的通道和职级与数据不符？）· this run covers nobody")
    run.official = in_force == policy and covered
    run.override_reason = "" if in_force == policy else reason
    run.data_through, run.warnings = through, warnings
    run.save(update_fields=["official", "override_reason", "data_through", "warnings"])
    record(
        actor,
        "evaluation_run.start",
        run,
        after={
            "policy": policy.scheme,
            "version": policy.version,
            "as_of": as_of,
            "employees": run.employees,
            "department": run.department.name if run.department else None,
            "official": run.official,
        },
        reason=run.override_reason,
    )
    return run


def evaluation_run_enqueue(*, policy: Policy, as_of: dt.date, actor, reason: str = ""):
    """Puts the run in the worker's queue; the worker calls evaluation_run_start as the same actor."""
    from rungs.policies.tasks import evaluate_policy

    check(actor, "evaluation_run.start")
    if Policy.in_force(as_of, policy.scheme, _scope(actor)) != policy and not (reason or "").strip():
        raise RunRefused(_("所选版本在评估日期不是生效版本，请填写原因。"))
    return evaluate_policy.enqueue(policy.pk, as_of.isoformat(), getattr(actor, "pk", None), reason)
