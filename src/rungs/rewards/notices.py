"""Telling the people whose reward lines were approved or paid, in their inbox (rungs.notify.tell), with
what they come to in the cycle. Only people with an account are worded a message: a company-wide run is
100,000 lines, most of them people who never sign in."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Sum
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from rungs.notify.services import accounts_of, in_both, tell
from rungs.rewards.models import RewardLine, amount_text

Unit = RewardLine.Unit


def _amounts(per_unit: dict[str, Decimal]) -> str:
    """'3150.00 元', '3150.00 元、120 积分': yuan first, then points."""
    parts = [
        f"{amount_text(per_unit[u], u)} {Unit(u).label}" for u in (Unit.YUAN, Unit.POINTS) if u in per_unit
    ]
    return _("、").join(parts)


def lines_moved(kind: str, lines, cycle: str) -> None:
    """Queues one message per employee among `lines` (a queryset, read now, before the lines move), after
    the commit: "您 2026-05 的奖励已批准：3150.00 元。" (kind reward.approve) or "…已发放…" (reward.pay)."""
    holders = accounts_of(lines.values("employee_id"))
    if not holders:
        return
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = lines.filter(employee_id__in=holders).order_by().values_list("employee_id", "unit")
    for emp, unit, total in rows.annotate(t=Sum("amount")):
        sums[emp][unit] = total
    with translation.override("zh-hans"):
        url = f"{reverse('rewards:statement')}?{urlencode({'cycle': cycle})}"

    def words(per_unit):
        if kind == "reward.pay":
            return _("您 %(cycle)s 的奖励已发放：%(amount)s。") % {
                "cycle": cycle,
                "amount": _amounts(per_unit),
            }
        return _("您 %(cycle)s 的奖励已批准：%(amount)s。") % {"cycle": cycle, "amount": _amounts(per_unit)}

    tell(kind, [(emp, *in_both(lambda p=per_unit: words(p)), url) for emp, per_unit in sums.items()])
