"""What a person still lacks, in plain words (还差2个月; 考试需≥80，当前75; 无记录), and when a time-based
criterion will be met.

A stored criterion (Decision.criteria) carries actual and required as shown to people: a number for "at
least", otherwise a string with the comparison in front ("≤ 3", "< 23", "= 1"). The criterion of the
policy tells what kind of measure it is, so the gap can be worded for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rungs.core.engine.soon import SOON_MONTHS, number
from rungs.core.periods import add_months
from rungs.core.periods import months_between_dates as months_between  # as the engine counts them
from rungs.core.policy import model as m
from rungs.people.models import Employee
from rungs.policies.policy_view import PolicyView

OPS = ("≥", "≤", "≠", "=", "<", ">")
# How many months ahead "soon" reaches (the team view's "eligible soon").


@dataclass(frozen=True)
class Projection:
    """The day a time-based criterion will be met; `exact` is False when only the month is certain."""

    date: dt.date
    exact: bool


def projected_date(
    as_of: dt.date, actual: int, required: int, start: dt.date | None = None
) -> Projection | None:
    """When `required` whole months will have passed. With the start date (hire date, start of the level)
    that gives `actual` months at `as_of`, the exact first day; without it, the day `required − actual`
    months after the evaluation date, by which it is met at the latest."""
    if actual >= required:
        return None
    if start is not None and months_between(start, as_of) == actual:
        day = add_months(start, required)
        if months_between(start, day) < required:  # the start's day does not exist in that month (31st)
            day = add_months(day.replace(day=1), 1)
        return Projection(day, True)
    return Projection(add_months(as_of, required - actual), False)


def split_required(required: Any) -> tuple[str, Any]:
    """(comparison symbol, value): 12 → ("≥", 12); "≤ 3" → ("≤", 3); "= regular" → ("=", "regular")."""
    if isinstance(required, str):
        for op in OPS:
            if required.startswith(op + " "):
                rest = required[len(op) + 1 :]
                try:
                    return op, number(float(rest))
                except ValueError:
                    return op, rest
        return "=", required
    if isinstance(required, list):
        return "∈", required
    return "≥", number(required)


def shown(value: Any, kind: str = "number") -> str:
    """A value for people: education and status codes as their words, lists joined, numbers trimmed."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(shown(v, kind) for v in value)
    if kind == "education" or value in Employee.Education.values:
        return str(Employee.Education(value).label) if value in Employee.Education.values else str(value)
    if value in Employee.Status.values:
        return str(Employee.Status(value).label)
    return str(number(value))


def display_pair(item: dict[str, Any], criterion: m.Criterion | None) -> tuple[str, str]:
    """(actual, required) of a stored criterion for people: a composite as "met of how many", an
    attestation as attested or not, codes as words."""
    block = criterion.block if criterion else None
    actual, required = item.get("actual"), item.get("required")
    if "criteria" in item or isinstance(block, m.AllOf | m.AnyOf | m.NotOf):
        n = len(item.get("criteria", []))
        met = sum(1 for c in item.get("criteria", []) if c.get("passed"))
        if isinstance(block, m.AnyOf):
            need = _("至少%(k)s项") % {"k": 1}
        elif isinstance(block, m.NotOf):
            need = _("不得满足")
        else:
            need = _("全部%(n)s项") % {"n": n}
        return f"{met}/{n}", need
    if isinstance(block, m.LatestEvent) and block.event == "attestation":
        got = "—" if actual is None else _("已认定") if actual == 1 else _("未认定")
        return got, _("已认定")
    kind = criterion.value_kind if criterion else "number"
    return shown(actual, kind), shown(required, kind)


def _minus(a: Any, b: Any) -> Any:
    return number(float(a) - float(b)) if isinstance(a, int | float) and isinstance(b, int | float) else None


def gap_text(item: dict[str, Any], criterion: m.Criterion | None) -> str:
    """What is missing for one stored criterion, in the active language; empty when it is met."""
    if item.get("passed"):
        return ""
    actual, (op, req) = item.get("actual"), split_required(item.get("required"))
    block = criterion.block if criterion else None
    if isinstance(block, m.AnyOf):
        return _("满足其中任意一项即可")
    if isinstance(block, m.AllOf):
        missing = sum(1 for c in item.get("criteria", []) if not c.get("passed"))
        return ngettext("还需满足%(n)s项", "还需满足%(n)s项", missing) % {"n": missing}
    if isinstance(block, m.NotOf):
        return _("不得出现该情况")
    if actual is None:
        return _("无记录")
    short = _minus(req, actual) if op == "≥" else None
    if isinstance(block, m.Tenure) and short is not None:
        return ngettext("还差%(n)s个月", "还差%(n)s个月", short) % {"n": short}
    if isinstance(block, m.Consecutive) and short is not None:
        return ngettext("还需连续%(n)s期达标", "还需连续%(n)s期达标", short) % {"n": short}
    if isinstance(block, m.Count) and block.measure == "count" and short is not None:
        return ngettext("还差%(n)s次", "还差%(n)s次", short) % {"n": short}
    if isinstance(block, m.LatestEvent) and block.event == "attestation":
        return _("认定未通过")
    kind = criterion.value_kind if criterion else "number"
    values = {"op": op, "req": shown(req, kind), "act": shown(actual, kind)}
    if isinstance(block, m.LatestEvent):
        return _("考试需%(op)s%(req)s，当前%(act)s") % values
    if isinstance(block, m.Rank) and op == "≤":
        return _("需排名前%(req)s，当前第%(act)s名") % values
    return _("需%(op)s%(req)s，当前%(act)s") % values


def flatten(
    criteria: list[dict[str, Any]], prefix: str = "", depth: int = 0
) -> Iterator[tuple[str, int, dict]]:
    for c in criteria:
        path = f"{prefix}{c['id']}"
        yield path, depth, c
        yield from flatten(c.get("criteria", []), path + ".", depth + 1)


def time_shorts(rule: str, criteria: list[dict[str, Any]], pv: PolicyView) -> list[tuple[str, int, int]]:
    """The unmet time-based criteria of a stored decision that will be met within SOON_MONTHS, nested
    ones included: (what the tenure counts from, actual months, months short)."""
    found = []
    for path, _depth, c in flatten(criteria):
        crit = pv.criterion(rule, path)
        short = months_short(c, crit)
        if short is not None and short <= SOON_MONTHS:
            found.append((crit.block.of, int(c["actual"]), short))
    return found


def soon_months(rule: str, criteria: list[dict[str, Any]], pv: PolicyView) -> int | None:
    """Months until every time-based criterion within reach is met (stored with each decision, so the
    team view finds who is eligible soon with a query); None when none is within SOON_MONTHS."""
    return max((short for *_, short in time_shorts(rule, criteria, pv)), default=None)


def months_short(item: dict[str, Any], criterion: m.Criterion | None) -> int | None:
    """For an unmet time-based criterion ("at least N months"): how many months are missing."""
    if item.get("passed") or criterion is None or not isinstance(criterion.block, m.Tenure):
        return None
    op, req = split_required(item.get("required"))
    actual = item.get("actual")
    if op != "≥" or not isinstance(actual, int | float) or not isinstance(req, int | float):
        return None
    return int(req - actual)
