"""Who holds a decider's role a policy names (rungs.core.roles): by their own role, by a function they hold
(董事长, 总经理 …), or — on a given day — as the delegate of someone away who does."""

from __future__ import annotations

import datetime as dt

from rungs.accounts.models import Delegation


def holds(user, code: str, on: dt.date | None = None) -> bool:
    """Whether the user is `code` of rungs.core.roles: by their role or a function they hold, or — on day
    `on` — as the delegate of someone away who is."""
    return holder(user, code, on) is not None


def _own(user, code: str) -> bool:
    return user.role == code or user.functions.filter(function=code).exists()


def holder(user, code: str, on: dt.date | None = None):
    """Whom the user acts for as `code`: themselves, the principal of a delegation in force on `on`, or
    None."""
    if user is None:
        return None
    if _own(user, code):
        return user
    if on is not None:
        for d in Delegation.objects.filter(delegate=user, starts_on__lte=on, ends_on__gte=on).select_related(
            "principal"
        ):
            if d.principal.is_active and _own(d.principal, code):
                return d.principal
    return None
