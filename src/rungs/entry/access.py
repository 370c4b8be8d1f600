"""Who may do what on the entry pages. Scope (whom) is `visible_employees`; this is the role (what)."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

from rungs.accounts.models import Role

# Bulk data and policies: the people who own the department's data and its scheme.
IMPORTERS = frozenset({Role.HR, Role.ADMIN, Role.DEPARTMENT_MANAGER})
POLICY_EDITORS = IMPORTERS
# Day-to-day facts about the people in one's scope: the line (team lead, supervisor, their manager).
LINE_RECORDERS = frozenset({Role.TEAM_LEAD, Role.SUPERVISOR, Role.DEPARTMENT_MANAGER, Role.ADMIN})
# Exam results: the quality/training group.
EXAM_RECORDERS = frozenset({Role.QA_TRAINING, Role.ADMIN})
# Everyone logged in except agents reads the policies and the runs.
POLICY_READERS = frozenset(set(Role) - {Role.AGENT})


def allowed(user, roles) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in roles))


def role_required(roles):
    """403 unless the user has one of `roles` (login itself is enforced by LoginRequiredMiddleware)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user, roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def abilities(user) -> dict[str, bool]:
    """What the entry pages offer to this user (for links and buttons)."""
    return {
        "can_import": allowed(user, IMPORTERS),
        "can_edit_policies": allowed(user, POLICY_EDITORS),
        "can_record": allowed(user, LINE_RECORDERS),
        "can_record_exam": allowed(user, EXAM_RECORDERS),
        "can_read_policies": allowed(user, POLICY_READERS),
    }
