"""How ready a reserve member is for the key post, read from the same evaluation run (documented reading):

- ready now (现在可任): the run's promotion of the member to the post's level on the track is eligible — the
  seed's "按其计划要接替职位的要求进行考核" is that promotion's criteria;
- 1–2 years (1–2年内可任): that promotion is not eligible, but every unmet criterion is time-based and met
  by waiting at most 24 months (a tenure "at least N months" short by ≤ 24; of an `any:` the nearest part,
  of an `all:` the farthest);
- later (2年以上): anything else — another criterion unmet (an exam, a score, a qualification), or the post
  more than one level above (the run has no promotion of the member to it: one level at a time).
"""

from __future__ import annotations

from typing import Any

from rungs.board.gaps import months_short
from rungs.core.policy import model as m
from rungs.policies.policy_view import PolicyView

WITHIN_MONTHS = 24


def wait_months(item: dict[str, Any], path: str, rule: str, pv: PolicyView) -> int | None:
    """Months of waiting until a stored criterion is met (0 when met), None when waiting does not meet it."""
    if item.get("passed"):
        return 0
    crit = pv.criterion(rule, path)
    if crit is None:
        return None
    if isinstance(crit.block, m.Tenure):
        return months_short(item, crit)
    parts = [wait_months(c, f"{path}.{c['id']}", rule, pv) for c in item.get("criteria", [])]
    if isinstance(crit.block, m.AnyOf):
        known = [p for p in parts if p is not None]
        return min(known) if known else None
    if isinstance(crit.block, m.AllOf) and parts and None not in parts:
        return max(p for p in parts if p is not None)
    return None


def readiness_of(promotion, pv: PolicyView) -> str:
    """ready_now / one_two_years / later from the run's promotion decision to the post (None: none)."""
    if promotion is None:
        return "later"
    if promotion.eligible:
        return "ready_now"
    waits = [wait_months(c, c["id"], promotion.rule, pv) for c in promotion.criteria]
    if waits and None not in waits and max(w for w in waits if w is not None) <= WITHIN_MONTHS:
        return "one_two_years"
    return "later"
