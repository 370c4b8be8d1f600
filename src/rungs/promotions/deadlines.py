"""When the step a candidacy waits in is due (procedure.deadlines), counted on the company calendar.

Which step waits, and from when (docs/policy-language.md, "期限 / Deadlines"):
- application (the round's own): applications and nominations from the day the round was opened;
- review: from the day the candidate applied or was nominated;
- assessment: from the day the review passed, until every score of procedure.assessment is recorded (the
  interview scores of a shortlist excepted: not every candidate has one);
- committee: from the day the review passed, or the day the assessment was complete;
- notice (posting it): from the day the review, or the committee, passed;
- objection: from the day an objection against the candidate was received, while it is open;
- approval: each step of the approval chain, the first from the day the 公示 ended (or, without one, from
  the day the candidacy became ready for approval), each later one from the day the step before it signed;
- appointment: from the day the approval was complete.
The stage and its start are stored on the candidacy with every transition; the due date is counted again
when the calendar changes (a provisional due date becomes firm once its year is imported).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rungs.audit import clock
from rungs.core.deadlines import STAGES, Urgency, due_date, urgency
from rungs.promotions.models import Candidacy, Objection
from rungs.records.calendar import company_calendar

S = Candidacy.State
DUE_FIELDS = ["due_stage", "due_step", "due_from", "due_on", "due_provisional"]


def stage_label(stage: str, step: int = 0) -> str:
    """The stage's name in the user's language (the approval's step counted from 1)."""
    zh, en = STAGES.get(stage, (stage, stage))
    label = en if (get_language() or "").startswith("en") else zh
    return _("%(stage)s（第 %(n)s 步）") % {"stage": label, "n": step + 1} if stage == "approval" else label


def assessment_done(c: Candidacy, rules) -> bool:
    """Every score the policy's assessment records is there, except a shortlist's interview scores."""
    skip = set(rules.shortlist.interview) if rules.shortlist else set()
    return all(name in c.assessment for name, _label in rules.scores if name not in skip)


def _approval_start(c: Candidacy, policy, entered: dt.date | None) -> tuple[str, int, dt.date | None] | None:
    from rungs.promotions import services

    chain = services.approval_chain(c)
    index, step, _signed = services.pending_signoff(chain, c.approvals)
    if chain and step is None:
        return None
    if index > 0:  # from the day the step before signed
        days = [a["on"] for a in c.approvals if a.get("step", 0) == index - 1 and a.get("on")]
        return "approval", index, dt.date.fromisoformat(max(days)) if days else entered
    if not services.has_notice(policy):
        return "approval", 0, entered
    notice = getattr(c.round, "notice", None)
    if notice is None:
        return None
    if notice.ends_on is None:  # an objection is open: it is what waits, for this candidate
        received = (
            Objection.objects.filter(candidacy=c, outcome=Objection.Outcome.OPEN)
            .order_by("received_on")
            .values_list("received_on", flat=True)
            .first()
        )
        return ("objection", 0, received) if received else None
    return "approval", 0, notice.ends_on


def waiting_stage(c: Candidacy, entered: dt.date | None) -> tuple[str, int, dt.date | None] | None:
    """(stage, approval step, the day it began) of the step the candidacy waits in, or None (nothing
    waits, or a stage no deadline can be set for: the 考察期 is months, not working days). `entered` is
    the day of the transition into its state (None: as stored)."""
    from rungs.promotions import services

    policy = c.round.policy
    procedure = policy.parsed.procedure
    if c.state == S.CANDIDATE:
        return "review", 0, entered
    if c.state == S.QUALIFIED:
        if procedure.assessment is not None and not assessment_done(c, procedure.assessment):
            return "assessment", 0, entered
        if services.has_committee(policy):
            return "committee", 0, entered
    if c.state == services.before_notice(policy) and services.has_notice(policy):
        return ("notice", 0, entered) if getattr(c.round, "notice", None) is None else None
    if c.state == services.before_approval(policy):
        return _approval_start(c, policy, entered)
    if c.state == S.APPROVED:
        return "appointment", 0, entered
    return None


def due_set(c: Candidacy, entered: dt.date | None = None, calendar=None) -> None:
    """Sets the candidacy's due fields (not saved) for the step it waits in now; `entered` is the day of
    the transition that brought it there (None: count again from the start stored)."""
    if not has_deadlines(c.round.policy):  # the stage is kept only for a deadline: no query otherwise
        c.due_stage, c.due_step, c.due_from, c.due_on, c.due_provisional = "", 0, None, None, False
        return
    found = waiting_stage(c, entered if entered is not None else c.due_from)
    stage, step, start = found if found else ("", 0, None)
    days = c.round.policy.parsed.procedure.deadlines.get(stage) if stage else None
    c.due_stage, c.due_step, c.due_from = stage, step, start
    c.due_on, c.due_provisional = None, False
    if days is not None and start is not None:
        due = due_date(start, days, calendar or company_calendar())
        c.due_on, c.due_provisional = due.day, due.provisional


def round_due_set(rnd, opened: dt.date, calendar=None) -> bool:
    """Sets (not saved) when the round's applications and nominations close, counted from the day it was
    opened (procedure.deadlines.application); False when the policy sets no such deadline."""
    days = rnd.policy.parsed.procedure.deadlines.get("application")
    if days is None:
        return False
    due = due_date(opened, days, calendar or company_calendar())
    rnd.applications_due, rnd.applications_provisional = due.day, due.provisional
    return True


def has_deadlines(policy) -> bool:
    return bool(policy.parsed.procedure.deadlines.days)


def notice_candidacies_recount(notice, calendar=None) -> None:
    """After the 公示's end moved (an objection filed or decided, the calendar changed): the approval and
    objection due dates of its candidates, which count from it."""
    rnd = notice.round
    if not has_deadlines(rnd.policy):
        return
    calendar = calendar or company_calendar()
    for c in rnd.candidacies.filter(state=S.NOTICE).select_for_update():
        c.round = rnd
        due_set(c, None, calendar)
        c.save(update_fields=DUE_FIELDS)


def deadlines_recount(**_signal) -> int:
    """Counts every due date of a waiting step again on the calendar as it is now (after a year was
    imported or a day corrected); a step already overdue keeps the due date it had. Returns how many moved."""
    from rungs.promotions.models import Round

    calendar, moved, today = company_calendar(), 0, clock.today()
    running = Q(due_on__gte=today) | Q(due_provisional=True)
    with transaction.atomic():
        rows = list(Candidacy.objects.select_for_update().filter(running, due_on__isnull=False))
        ids = {c.round_id for c in rows}
        rounds = Round.objects.select_related("policy", "notice").in_bulk(ids)
        for c in rows:
            c.round = rounds[c.round_id]  # one round (and its parsed policy) shared by its candidacies
            before = (c.due_stage, c.due_step, c.due_on, c.due_provisional)
            due_set(c, None, calendar)
            if before != (c.due_stage, c.due_step, c.due_on, c.due_provisional):
                c.save(update_fields=DUE_FIELDS)
                moved += 1
        for rnd in Round.objects.select_for_update().filter(applications_provisional=True):
            opened = timezone.localdate(rnd.opened_at)
            before = rnd.applications_due
            round_due_set(rnd, opened, calendar)
            rnd.save(update_fields=["applications_due", "applications_provisional"])
            moved += before != rnd.applications_due
    return moved


def badge(c: Candidacy, today: dt.date, calendar) -> Urgency | None:
    """Whether the candidacy's waiting step is due soon (即将到期), overdue (已逾期), or neither (None)."""
    return due_badge(c.round.policy, c.due_on, today, calendar)


def due_badge(policy, due: dt.date | None, today: dt.date, calendar) -> Urgency | None:
    if due is None:
        return None
    return urgency(today, due, policy.parsed.procedure.deadlines.remind_before, calendar)
