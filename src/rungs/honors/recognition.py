"""Timely recognition (及时认可): anyone thanks a colleague for something specific, within a monthly giving
allowance (settings.RUNGS_RECOGNITION_PER_MONTH). A thank-you is also the colleague's
`commendation_internal` event with ref `recognition`, so an honor's criteria (or a promotion policy) can
count the thanks received: `count: {event: commendation_internal, ref: recognition, months: 1}`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.audit.trail import record
from rungs.honors.models import Recognition
from rungs.honors.services import HonorRefused
from rungs.people.models import Employee
from rungs.records.models import Event
from rungs.records.services import serialise_fact_writes

REF = "recognition"
MAX_TEXT = 500


def allowance() -> int:
    return settings.RUNGS_RECOGNITION_PER_MONTH


def given_in_month(user, on: dt.date) -> int:
    return Recognition.objects.filter(giver=user, on__year=on.year, on__month=on.month).count()


def allowance_left(user, on: dt.date) -> int:
    return max(0, allowance() - given_in_month(user, on))


@transaction.atomic
def recognition_give(*, receiver: Employee, text: str, on: dt.date, actor) -> Recognition:
    """A thank-you from `actor` to `receiver` for what `text` says; refused for oneself, without a text,
    to someone who has left, or beyond the giver's allowance for the month of `on`."""
    check(actor, "recognition.give", receiver)
    text = (text or "").strip()
    if not text:
        raise HonorRefused(_("请写明感谢对方做的具体的事。"))
    if len(text) > MAX_TEXT:
        raise HonorRefused(_("感谢的内容最多 %(n)s 字。") % {"n": MAX_TEXT})
    if receiver.status == Employee.Status.LEFT:
        raise HonorRefused(_("%(name)s 已离职。") % {"name": receiver.name})
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()  # one giver, one count at a time
    if given_in_month(actor, on) >= allowance():
        raise HonorRefused(
            _("您 %(month)s 的 %(n)s 次感谢已经用完，下个月再来吧。")
            % {"month": f"{on:%Y-%m}", "n": allowance()}
        )
    serialise_fact_writes()  # behind an import that is committing (rungs.records.services)
    event = Event.objects.create(
        employee=receiver, date=on, type="commendation_internal", ref=REF, note=text, recorded_by=actor
    )
    r = Recognition.objects.create(giver=actor, receiver=receiver, text=text, on=on, event=event)
    record(
        actor,
        "recognition.give",
        r,
        employee_id=receiver.employee_id,
        after={"on": on, "text": text, "event": event.pk},
    )
    return r
