"""Which plans a user may evaluate, and the evaluation of one on the stored records (read only: nothing
is written, so there is no service and no audit entry)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from rungs.accounts.models import COMPANY_WIDE
from rungs.accounts.scope import visible_employees
from rungs.core.effect import DEFAULT_WINDOW, Change, EffectReport, default_kpis, effect_with_cost
from rungs.core.engine.evaluate import metrics_used
from rungs.core.interchange.dataset import Dataset
from rungs.core.periods import month_label, month_seq
from rungs.core.policy import model as m
from rungs.core.rewards.run import metrics_needed
from rungs.datasets.frames import dataset_from_db, frames_from_db
from rungs.effect.models import EffectStudy
from rungs.policies.models import Policy


@dataclass(frozen=True)
class PlanChoice:
    value: str  # "<policy pk>:<plan id>"
    policy: Policy
    plan: m.RewardPlan

    @property
    def default_since(self) -> str:
        """The month the plan took force: its own effective_from, else its policy version's."""
        d = self.plan.effective_from or self.policy.effective_from
        return f"{d.year}-{d.month:02d}"


def _company_wide(user) -> bool:
    return bool(user.is_superuser or user.role in COMPANY_WIDE)


def _department(user):
    if user.department_id:
        return user.department_id
    employee = getattr(user, "employee", None)
    return employee.department_id if employee is not None else None


def versions_for(user):
    """The stored policy versions whose plans the user may evaluate: the company's, and a department
    manager's own department's."""
    scope = Q(department__isnull=True)
    if not _company_wide(user) and _department(user) is not None:
        scope |= Q(department_id=_department(user))
    return Policy.objects.filter(scope).order_by("scheme", "-effective_from", "-pk")


def plan_choices(user) -> list[PlanChoice]:
    """Every reward plan of every version the user may see, newest version first within a scheme."""
    return [
        PlanChoice(f"{p.pk}:{plan.id}", p, plan)
        for p in versions_for(user)
        for plan in p.parsed.rewards.plans
    ]


def scope_key(user) -> str:
    """Whose records a user compares: the whole company's, or their own department's."""
    return "company" if _company_wide(user) else f"department:{_department(user)}"


def latest_study(user, choice: PlanChoice, since: str, window: int = DEFAULT_WINDOW):
    """The newest study of the plan from `since` over the user's scope, finished or still waiting."""
    return (
        EffectStudy.objects.filter(
            policy=choice.policy, plan=choice.plan.id, since=since, window=window, scope=scope_key(user)
        )
        .order_by("-requested_at", "-pk")
        .first()
    )


def _dataset(user, metrics: set[str]) -> Dataset:
    """The stored records as a data set: everyone for company-wide roles, else the people in the user's
    scope (a department manager compares within their department)."""
    if _company_wide(user):
        return dataset_from_db(keep_metrics=metrics)
    ids = list(visible_employees(user).values_list("employee_id", flat=True))
    frames = frames_from_db(keep_metrics=metrics, employee_ids=ids)
    return Dataset(**{name: df.drop("_id") for name, df in frames.items()})


def _changes(user, choice: PlanChoice, first: int, last: int) -> list[Change]:
    """The other policy versions that took force within the window: changes at the same time."""
    out = []
    for p in versions_for(user).exclude(pk=choice.policy.pk):
        month = month_seq(p.effective_from.year, p.effective_from.month)
        if first <= month <= last:
            out.append(Change(month_label(month), f"{p.label} {p.version}"))
    return sorted(out, key=lambda c: c.month)


def effect_of(user, choice: PlanChoice, since: int, window: int = DEFAULT_WINDOW) -> EffectReport:
    policy = choice.policy.parsed
    kpis = list(default_kpis(choice.plan))
    data = _dataset(user, set(kpis) | metrics_needed(policy) | metrics_used(policy))
    changes = _changes(user, choice, since - window, since + window - 1)
    return effect_with_cost(policy, choice.plan, data, since, kpis=kpis, window=window, changes=changes)
