"""Reminders of the round steps due soon or overdue (procedure.deadlines): one per candidacy, stage,
approval step and kind, to the inbox of everyone the step waits on — the same rule as the inbox
(selectors.waiting_on) — and to the group robots of the round's scope. The round's own stage,
`application`, waits on whoever opened the round (HR when that account is gone): one reminder per round
before its applications and nominations close (none after: by then they are closed). Run daily by
`rungs manage send_reminders`; a second run the same day, or a run at the same moment elsewhere, sends
nothing new."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.audit.trail import record
from rungs.notify.services import announce
from rungs.promotions.deadlines import badge, due_badge, stage_label
from rungs.promotions.models import Candidacy, Reminder, Round, RoundReminder
from rungs.promotions.selectors import OPEN_STATES, waiting_among
from rungs.records.calendar import company_calendar


def due_now(today: dt.date) -> list[tuple[Candidacy, str]]:
    """The waiting candidacies whose step is due soon or overdue today, with which of the two."""
    rows = list(
        Candidacy.objects.filter(due_on__isnull=False, state__in=OPEN_STATES).select_related("employee")
    )
    rounds = Round.objects.select_related("policy", "department", "notice").in_bulk(
        {c.round_id for c in rows}
    )
    calendar, out = company_calendar(), []
    for c in rows:
        c.round = rounds[c.round_id]
        kind = badge(c, today, calendar)
        if kind:
            out.append((c, kind))
    return out


def who_acts(today: dt.date, due: list[Candidacy]) -> dict[int, list]:
    """For each of the `due` candidacies, the users whose inbox lists its step today. One query for the
    users (and their functions, delegations), none per user: the steps are grouped in Python
    (selectors.waiting_among, the inbox's rule). Asking `waiting_on` user by user made 10,000 candidacies
    × every user's rounds a query each."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(role="agent")
        .select_related("employee")
        .prefetch_related("functions")
        .order_by("pk")
    )
    return waiting_among(users, due, today)


def _text(c: Candidacy, kind: str) -> str:
    words = {
        "round": c.round.name,
        "name": c.employee.name,
        "level": c.to_level,
        "stage": stage_label(c.due_stage, c.due_step),
        "day": c.due_on.isoformat() if c.due_on else "—",
        "provisional": _("（待定）") if c.due_provisional else "",
    }
    if kind == Reminder.Kind.OVERDUE:
        return (
            _(
                "【已逾期】%(round)s：%(name)s 晋升 %(level)s 的“%(stage)s”应于 %(day)s%(provisional)s 前完成。"
            )
            % words
        )
    return (
        _("【即将到期】%(round)s：%(name)s 晋升 %(level)s 的“%(stage)s”请于 %(day)s%(provisional)s 前完成。")
        % words
    )


def reminders_send(*, today: dt.date, actor=None) -> list[Reminder | RoundReminder]:
    """Sends the reminders due today that were not sent before; returns those it sent. `actor` None is
    the scheduler (the system); a user who runs it must be allowed to (round.remind)."""
    if actor is not None:
        check(actor, "round.remind")
    sent: list[Reminder | RoundReminder] = list(applications_remind(today, actor))
    due = due_now(today)
    if not due:
        return sent
    acting = who_acts(today, [c for c, _kind in due])
    for c, kind in due:
        users = acting.get(c.pk)
        if not users:  # nobody can act yet (the 公示 still runs): tried again on the next run
            continue
        key = {"candidacy": c, "stage": c.due_stage, "step": c.due_step, "kind": kind}
        if Reminder.objects.filter(**key).exists():
            continue
        try:
            with transaction.atomic():
                r = Reminder.objects.create(**key, due_on=c.due_on, sent_on=today, text=_text(c, kind))
                r.recipients.set(users)
                record(
                    actor,
                    "round.remind",
                    c,
                    employee_id=c.employee.employee_id,
                    after={"stage": c.due_stage, "step": c.due_step, "kind": kind, "due_on": c.due_on,
                           "to": sorted(u.get_username() for u in users)},
                )  # fmt: skip
                announce(r.text, c.round.department)
        except IntegrityError:
            continue  # another run sent this one at the same moment
        sent.append(r)
    return sent


def applications_closing(today: dt.date) -> list[Round]:
    """The rounds whose applications and nominations close soon (at most remind_before working days left,
    the closing day included)."""
    rounds = Round.objects.filter(applications_due__gte=today).select_related(
        "policy", "department", "opened_by"
    )
    calendar = company_calendar()
    return [r for r in rounds if due_badge(r.policy, r.applications_due, today, calendar) == "soon"]


def application_recipients(rnd: Round) -> list:
    """Whom the application stage waits on: the round's opener, or HR when that account is gone."""
    if rnd.opened_by is not None and rnd.opened_by.is_active:
        return [rnd.opened_by]
    return list(get_user_model().objects.filter(is_active=True, role="hr").order_by("username"))


def _application_text(rnd: Round) -> str:
    words = {
        "round": rnd.name,
        "day": rnd.applications_due.isoformat() if rnd.applications_due else "—",
        "provisional": _("（待定）") if rnd.applications_provisional else "",
    }
    return (
        _("【即将截止】%(round)s：申请与推荐将于 %(day)s%(provisional)s 截止，请及时提醒员工申请、上级推荐。")
        % words
    )


def applications_remind(today: dt.date, actor=None) -> list[RoundReminder]:
    """The reminders of rounds whose applications close soon, each sent once."""
    sent = []
    for rnd in applications_closing(today):
        key = {"round": rnd, "stage": "application", "kind": Reminder.Kind.SOON}
        users = application_recipients(rnd)
        if not users or RoundReminder.objects.filter(**key).exists():
            continue
        try:
            with transaction.atomic():
                r = RoundReminder.objects.create(
                    **key, due_on=rnd.applications_due, sent_on=today, text=_application_text(rnd)
                )
                r.recipients.set(users)
                record(
                    actor,
                    "round.remind",
                    rnd,
                    after={"stage": "application", "kind": r.kind, "due_on": r.due_on,
                           "to": sorted(u.get_username() for u in users)},
                )  # fmt: skip
                announce(r.text, rnd.department)
        except IntegrityError:
            continue  # another run sent this one at the same moment
        sent.append(r)
    return sent
