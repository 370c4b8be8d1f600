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
STEP_ACTIONS = (
    "round.review",
    "round.committee",
    "round.notice",
    "round.mediate",
    "round.approve",
    "round.appoint",
    "round.conclude",
)


def next_step(c, user, today, acts=None, holds=None) -> str | None:
    """The step of candidacy `c` that waits on `user` today, as a label, or None. The same checks as the
    services (the authority table, the policy's reviewers and approval chain, the 公示 clock), read only;
    `acts` (action → whether the user's role may take it) and `holds` (role → bool) may be given by a caller
    that asks for many candidacies, which then has already kept to the user's scope."""
    from rungs.accounts.authority import may
    from rungs.promotions import services

    def can(action):
        return acts[action] if acts is not None else may(user, action, c.employee)

    def named(role):
        return holds(role) if holds is not None else services.holds(user, role, today)

    S = c.State
    policy = c.round.policy
    auth = services.authority_for(policy, c.to_level)
    if c.state == S.CANDIDATE:
        ok = not (auth and auth.reviews) or any(named(r) for r in auth.reviews)
        return _("资格审查") if ok and can("round.review") else None
    notice = getattr(c.round, "notice", None)
    if c.state == services.before_notice(policy) and services.has_notice(policy):
        return _("发布公示") if notice is None and can("round.notice") else None
    if c.state == S.QUALIFIED and services.has_committee(policy):
        return _("评审委员会表决") if can("round.committee") else None
    if c.state == S.NOTICE and notice is not None and notice.ends_on is None:
        return _("处理公示异议") if can("round.mediate") else None
    if c.state == services.before_approval(policy):
        if notice is not None and (notice.ends_on is None or today <= notice.ends_on):
            return None  # the 公示 is still running: nobody's turn yet
        if not can("round.approve") or any(a["by"] == user.get_username() for a in c.approvals):
            return None
        chain = services.approval_chain(c)
        _i, step, signed = services.pending_signoff(chain, c.approvals)
        if not chain:
            return _("审批")
        if step is None:
            return None
        left = [r for r in step.roles if r not in signed] if step.every else list(step.roles)
        return _("审批") if any(named(r) for r in left) else None
    if c.state == S.APPROVED:
        return _("发布任命") if can("round.appoint") else None
    if c.state == S.APPOINTED:
        return _("考察期结论") if can("round.conclude") else None
    return None


def _states_for(rnd, acts, today) -> set[str]:
    """The stages of `rnd` in which a step may wait on someone whose role may take `acts`, today: what the
    query keeps, so that a thousand candidacies in a running 公示 are not read one by one."""
    from rungs.promotions import services
    from rungs.promotions.models import Candidacy

    S, policy = Candidacy.State, rnd.policy
    notice = getattr(rnd, "notice", None)
    states = set()
    if acts["round.review"]:
        states.add(S.CANDIDATE)
    if services.has_committee(policy) and acts["round.committee"]:
        states.add(S.QUALIFIED)
    if services.has_notice(policy):
        if notice is None and acts["round.notice"]:
            states.add(services.before_notice(policy))
        elif (
            notice is not None
            and notice.ends_on is None
            and acts["round.mediate"]
            or (
                notice is not None
                and notice.ends_on is not None
                and today > notice.ends_on
                and acts["round.approve"]
            )
        ):
            states.add(S.NOTICE)
    elif acts["round.approve"]:
        states.add(services.before_approval(policy))
    if acts["round.appoint"]:
        states.add(S.APPROVED)
    if acts["round.conclude"]:
        states.add(S.APPOINTED)
    return states


def waiting_on(user, today, limit: int = 100) -> list:
    """The candidacies of open rounds in the user's sight whose next step is theirs, with that step: the
    user's role is asked once per action, the scope is kept by the query, and every candidacy of a round
    shares that round (and its parsed policy)."""
    from functools import cache

    from rungs.accounts.authority import may
    from rungs.accounts.scope import visible_employees
    from rungs.promotions import services

    acts = {a: may(user, a) for a in STEP_ACTIONS}
    if not any(acts.values()):
        return []  # an agent: nothing in a round waits on them

    @cache
    def holds(role):
        return services.holds(user, role, today)

    out: list = []
    rounds = rounds_for(user).filter(candidacies__state__in=OPEN_STATES).distinct().select_related("notice")
    for rnd in rounds:
        states = _states_for(rnd, acts, today)
        if not states:
            continue
        rows = rnd.candidacies.filter(state__in=states).select_related("employee").order_by("pk")
        if user.employee_id:
            rows = rows.exclude(employee_id=user.employee_id)
        if not sees_everyone(user):
            rows = rows.filter(employee__in=visible_employees(user))
        for c in rows.iterator(chunk_size=500):
            c.round = rnd
            step = next_step(c, user, today, acts, holds)
            if step:
                c.step = step
                out.append(c)
                if len(out) == limit:
                    return out
    return out


def terms_due(user, today, within_days: int = 60, limit: int = 100) -> list:
    """Appointments whose term (任期) ends within `within_days` (or has ended) and whose renewal review
    is for the user to start: those who may conclude a candidacy, in their scope."""
    import datetime as dt

    from rungs.accounts.authority import may
    from rungs.accounts.scope import visible_employees
    from rungs.promotions.models import Candidacy

    if not may(user, "round.conclude"):
        return []
    rows = Candidacy.objects.filter(
        state__in=("appointed", "formal"), term_ends__lte=today + dt.timedelta(days=within_days)
    ).select_related("employee", "round")
    if not sees_everyone(user):
        rows = rows.filter(employee__in=visible_employees(user))
    return list(rows.order_by("term_ends", "pk")[:limit])


def reminders_for(user, today=None, limit: int = 50) -> list:
    """The reminders sent to the user (send_reminders) whose step still waits: the candidacy is still in
    the stage and approval step reminded of; a round's applications have not closed yet (on `today`, by
    default the clock's). Newest first."""
    from django.db.models import F

    from rungs.audit import clock
    from rungs.promotions.models import Reminder, RoundReminder

    today = today or clock.today()
    steps = list(
        Reminder.objects.filter(
            recipients=user,
            candidacy__state__in=OPEN_STATES,
            candidacy__due_stage=F("stage"),
            candidacy__due_step=F("step"),
        )
        .select_related("candidacy__round")
        .order_by("-sent_on", "-pk")[:limit]
    )
    rounds = list(
        RoundReminder.objects.filter(recipients=user, round__applications_due__gte=today).order_by(
            "-sent_on", "-pk"
        )[:limit]
    )
    return sorted(steps + rounds, key=lambda r: r.sent_on, reverse=True)[:limit]


def with_due_badges(rows, today):
    """The candidacies with `due_badge` ("soon", "overdue" or None) for their waiting step; the company
    calendar is read once, and only when one of them has a due date."""
    from rungs.promotions.deadlines import badge, stage_label
    from rungs.records.calendar import company_calendar

    rows = list(rows)
    calendar = company_calendar() if any(c.due_on for c in rows) else None
    for c in rows:
        c.due_badge = badge(c, today, calendar) if c.due_on else None
        c.due_label = stage_label(c.due_stage, c.due_step) if c.due_on else ""
    return rows


def waiting_among(users, candidacies, today) -> dict[int, list]:
    """For each of `candidacies` (their rounds, notices, policies and employees loaded), the users among
    `users` (their functions and employee prefetched) whose inbox lists its step today: the answer of
    `waiting_on` for every user at once, with the checks it makes by query made in Python — the user's
    sight of a round (`rounds_for`), their scope (`visible_employees`), the roles they hold themselves or
    for someone away (`accounts.functions.holds`) — so the queries do not grow with the users. A test holds
    it to `waiting_on` user by user."""
    from rungs.accounts.authority import may
    from rungs.accounts.models import Delegation, Role

    users = list(users)
    own = {u.pk: {u.role, *(f.function for f in u.functions.all())} for u in users}
    stands_for: dict[int, list[set[str]]] = {}
    delegations = Delegation.objects.filter(
        delegate__in=[u.pk for u in users],
        starts_on__lte=today,
        ends_on__gte=today,
        principal__is_active=True,
    ).select_related("principal")
    for d in delegations.prefetch_related("principal__functions"):
        roles = {d.principal.role, *(f.function for f in d.principal.functions.all())}
        stands_for.setdefault(d.delegate_id, []).append(roles)

    # The candidacies by round and stage, and within them by team and department: each user then reads only
    # the ones in their sight and scope, not every candidacy once per user.
    rounds: dict[int, object] = {}
    groups: dict[tuple[int, str], dict] = {}
    for c in candidacies:
        rounds[c.round.pk] = c.round
        g = groups.setdefault((c.round.pk, c.state), {"all": [], "team": {}, "department": {}})
        g["all"].append(c)
        g["team"].setdefault(c.employee.team_id, []).append(c)
        g["department"].setdefault(c.employee.department_id, []).append(c)

    def scope(u) -> tuple[str, object] | None:
        """Which part of a group `visible_employees(u)` keeps; None when it keeps nobody but themselves."""
        if sees_everyone(u):
            return "all", None
        if u.role == Role.TEAM_LEAD and u.team_id:
            return "team", u.team_id
        if u.role in (Role.SUPERVISOR, Role.DEPARTMENT_MANAGER) and u.department_id:
            return "department", u.department_id
        return None  # their own record at most, and nobody's step is about themselves

    out: dict[int, list] = {}
    for u in users:
        acts = {a: may(u, a) for a in STEP_ACTIONS}
        part = scope(u)
        if part is None or not any(acts.values()):
            continue
        mine, delegated = own[u.pk], stands_for.get(u.pk, ())

        def holds(role, mine=mine, delegated=delegated):
            return role in mine or any(role in roles for roles in delegated)

        everyone = sees_everyone(u)
        department = u.department_id
        if department is None and u.employee_id:
            department = u.employee.department_id
        for rnd in rounds.values():
            if not everyone and rnd.department_id is not None and rnd.department_id != department:
                continue  # rounds_for: company-wide rounds and those of their own department
            for state in _states_for(rnd, acts, today):
                g = groups.get((rnd.pk, state))
                if g is None:
                    continue
                kind, key = part
                for c in g["all"] if kind == "all" else g[kind].get(key, ()):
                    if u.employee_id and c.employee_id == u.employee_id:
                        continue
                    if next_step(c, u, today, acts, holds):
                        out.setdefault(c.pk, []).append(u)
    return out
