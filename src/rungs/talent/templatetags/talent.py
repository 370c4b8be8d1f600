"""The reserve candidates of a round's posts, for the round page (rungs.promotions' round.html loads this
library): the promotions app sits below talent and does not import it; the page asks here instead."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from rungs.accounts.authority import may
from rungs.accounts.scope import visible_employees
from rungs.policies.policy_view import policy_view
from rungs.talent.selectors import pool_for_post

register = template.Library()


@register.inclusion_tag("talent/_reserve.html", takes_context=True)
def reserve_candidates(context, rnd):
    """储备人选 for each post of the round: the pool's members proposed first (ready now first)."""
    user = context["request"].user
    if not may(user, "talent.read"):
        return {"posts": []}
    pv = policy_view(rnd.policy)
    visible = visible_employees(user)
    posts = []
    for post in rnd.posts.all():
        members = pool_for_post(post.track, post.level, rnd.department).filter(employee__in=visible)
        posts.append((pv.level_label(post.track, post.level, get_language() or "zh"), list(members)))
    return {"posts": [p for p in posts if p[1]]}
