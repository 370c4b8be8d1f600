"""What the round pages read: the rounds a user may see, and labels of the policy's levels."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

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


OPEN_STATES = ("candidate", "qualified", "recommended", "notice", "approved", "appointed")


def next_step(c, user, today) -> str | None:
    """The step of candidacy `c` that waits on `user` today, as a label, or None. The same checks as the
    services (the authority table, the policy's reviewers and approval chain, the 公示 clock), read only."""
    from rungs.accounts.authority import may
    from rungs.promotions import services

    S = c.State
    policy, e = c.round.policy, c.employee
    auth = services.authority_for(policy, c.to_level)
    if c.state == S.CANDIDATE:
        named = not (auth and auth.reviews) or any(services.holds(user, r) for r in auth.reviews)
        return _("资格审查") if named and may(user, "round.review", e) else None
    notice = getattr(c.round, "notice", None)
    if c.state == services.before_notice(policy) and services.has_notice(policy):
        return _("发布公示") if notice is None and may(user, "round.notice") else None
    if c.state == S.QUALIFIED and services.has_committee(policy):
        return _("评审委员会表决") if may(user, "round.committee") else None
    if c.state == S.NOTICE and notice is not None and notice.ends_on is None:
        return _("处理公示异议") if may(user, "round.mediate", e) else None
    if c.state == services.before_approval(policy):
        if notice is not None and (notice.ends_on is None or today <= notice.ends_on):
            return None  # the 公示 is still running: nobody's turn yet
        if not may(user, "round.approve", e) or any(a["by"] == user.get_username() for a in c.approvals):
            return None
        chain = auth.approves if auth else ()
        _i, step, signed = services.pending_signoff(chain, c.approvals)
        if chain and step is None:
            return None
        left = (
            [r for r in step.roles if r not in signed]
            if step and step.every
            else list(step.roles if step else ())
        )
        return _("审批") if not chain or any(services.holds(user, r, today) for r in left) else None
    if c.state == S.APPROVED:
        return _("发布任命") if may(user, "round.appoint", e) else None
    if c.state == S.APPOINTED:
        return _("考察期结论") if may(user, "round.conclude", e) else None
    return None


def waiting_on(user, today, limit: int = 200) -> list:
    """The candidacies of open rounds in the user's sight whose next step is theirs, with that step."""
    from rungs.promotions.models import Candidacy

    rows = (
        Candidacy.objects.filter(round__in=rounds_for(user), state__in=OPEN_STATES)
        .exclude(employee_id=user.employee_id)
        .select_related("round__policy", "round__notice", "employee")
        .order_by("round", "pk")
    )
    out = []
    for c in rows[: limit * 5]:
        step = next_step(c, user, today)
        if step:
            c.step = step
            out.append(c)
            if len(out) == limit:
                break
    return out
