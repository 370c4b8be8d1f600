"""Whether someone who is not yet eligible may act (代理) in a vacant post: what they lack, read from the
engine's explanation of their promotion, split into tenure and everything else.

A criterion is a tenure criterion when every measure under it is a tenure (`tenure:`) measure — an `any` of
"12 months in this department" and "24 months across departments" is one. How far short someone is on it:
the required months minus the actual ones; for an `any`, the smallest of its alternatives (meeting any one
would do); for an `all`, the largest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rungs.core.policy import model as m


@dataclass(frozen=True)
class Shortfall:
    others: tuple[str, ...]  # labels of the failed criteria that are not about tenure
    tenure_months: float  # months short on tenure (0 when tenure is met); inf when it cannot be told


def _tenure_only(c: m.Criterion) -> bool:
    b = c.block
    if isinstance(b, m.Tenure):
        return True
    if isinstance(b, m.AllOf | m.AnyOf):
        return all(_tenure_only(x) for x in b.children)
    return False


def _short(c: m.Criterion, shown: Mapping[str, Any]) -> float:
    if shown.get("passed"):
        return 0.0
    b = c.block
    if isinstance(b, m.AllOf | m.AnyOf):
        children = {x.get("id"): x for x in shown.get("criteria", [])}
        parts = [_short(x, children.get(x.id, {})) for x in b.children]
        return (max if isinstance(b, m.AllOf) else min)(parts) if parts else float("inf")
    actual, required = shown.get("actual"), shown.get("required")
    if isinstance(actual, int | float) and isinstance(required, int | float):
        return max(float(required) - float(actual), 0.0)
    return float("inf")  # no value on record, or a requirement that varies by case


def shortfall(rule: m.Rule, criteria: Sequence[Mapping[str, Any]]) -> Shortfall:
    """What the person lacks for `rule` (a promotion), from the criteria of their decision."""
    shown = {c.get("id"): c for c in criteria}
    others: list[str] = []
    months = 0.0
    for c in rule.criteria:
        got = shown.get(c.id, {})
        if got.get("passed"):
            continue
        if _tenure_only(c):
            months = max(months, _short(c, got))
        else:
            others.append(str(got.get("label") or c.label.get("zh")))
    return Shortfall(tuple(others), months)
