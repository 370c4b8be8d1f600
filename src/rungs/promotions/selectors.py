"""What the round pages read: the rounds a user may see, and labels of the policy's levels."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from rungs.accounts.scope import sees_everyone
from rungs.policies.models import Policy
from rungs.promotions.models import Round


def rounds_for(user) -> QuerySet[Round]:
    """HR, the quality/training group, executives and admins see every round; everyone else the company-wide
    rounds and those of their own department."""
    rounds = Round.objects.select_related("policy", "department")
    if sees_everyone(user):
        return rounds
    department = user.department_id
    if department is None and user.employee_id:
        department = user.employee.department_id
    return rounds.filter(Q(department__isnull=True) | Q(department_id=department))


def level_label(policy: Policy, track: str, level: str, lang: str) -> str:
    t = policy.parsed.tracks.get(track)
    for lv in t.levels if t else ():
        if lv.id == level:
            return lv.label.get(lang)
    return level
