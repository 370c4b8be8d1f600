"""The assessment stage of a round as the policy's `procedure.assessment` says: the candidates it covers,
their recorded scores and priority conditions, handed to rungs.core.assessment. Read by the services (to
refuse an interview score outside the shortlist) and by the round's board and committee form. A round's
whole assessment costs three queries, however many candidates: its posts, its candidacies, and the results
of the priority rule in its evaluation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from rungs.core import assessment as core
from rungs.core.policy.model import Assessment
from rungs.policies.models import Decision
from rungs.promotions.models import Candidacy

S = Candidacy.State


def rules(rnd) -> Assessment | None:
    """The policy's assessment stage for the round, or None (then scores are recorded as given)."""
    return rnd.policy.parsed.procedure.assessment


def in_field(state: str, assessment: dict) -> bool:
    """Whether a candidacy is in its post's assessment: past the qualification review (a candidate
    rejected there has no score; one rejected or removed later keeps the place their scores gave)."""
    if state == S.CANDIDATE:
        return False
    return bool(assessment) or state not in (S.REJECTED, S.REMOVED)


def decimals(scores: dict) -> dict[str, Decimal]:
    out = {}
    for name, raw in scores.items():
        try:
            out[name] = Decimal(str(raw))
        except InvalidOperation:
            continue  # stored by the service as numbers; anything else does not count
    return out


def posts(rnd) -> dict[core.Post, int]:
    out: dict[core.Post, int] = {}
    for p in rnd.posts.all():
        out[(p.track, p.level)] = out.get((p.track, p.level), 0) + p.number
    return out


def priorities(rnd, a: Assessment) -> dict[tuple[int, str], int | None]:
    """(employee pk, track) → priority conditions met, from the round's evaluation, for its candidates."""
    if a.rank is None or not a.rank.priority or rnd.run_id is None:
        return {}
    rule = next(r for r in rnd.policy.parsed.rules if r.id == a.rank.priority)
    rows = Decision.objects.filter(
        run_id=rnd.run_id,
        rule=rule.id,
        employee_id__in=Candidacy.objects.filter(round=rnd).values("employee_id"),
    ).values_list("employee_id", "track", "criteria")
    return {(e, t): core.priority_count(rule, criteria) for e, t, criteria in rows}


def evaluate(rnd, rows, a: Assessment | None = None, prio=None, post_numbers=None) -> dict:
    """The assessment of every post of the round over `rows` (candidacies, or objects with pk,
    employee_id, track, to_level, state and assessment); rows outside the field are left out."""
    a = a or rules(rnd)
    if a is None:
        return {}
    prio = priorities(rnd, a) if prio is None else prio
    entries = [
        core.Entry(
            key=c.pk,
            post=(c.track, c.to_level),
            scores=decimals(c.assessment),
            priority=prio.get((c.employee_id, c.track)),
        )
        for c in rows
        if in_field(c.state, c.assessment)
    ]
    return core.assess(a, entries, posts(rnd) if post_numbers is None else post_numbers)


def standings(rnd) -> dict:
    """The round's assessment for its pages: post → core.PostResult, in one query over its candidacies."""
    a = rules(rnd)
    if a is None:
        return {}
    rows = rnd.candidacies.exclude(state=S.CANDIDATE).only(
        "pk", "employee_id", "track", "to_level", "state", "assessment"
    )
    return evaluate(rnd, rows.order_by("employee__employee_id", "pk"), a)


def not_shortlisted_why(standing: core.Standing, result: core.PostResult, a: Assessment) -> str:
    """Why a candidate is not on the decided shortlist of their post: a written score under the pass mark,
    or their place in the written order beyond the interview places."""
    sl = a.shortlist
    if standing.below_pass and sl is not None and sl.pass_mark is not None:
        return _("笔试成绩未达到 %(mark)s 分") % {"mark": f"{sl.pass_mark.normalize():f}"}
    return _("笔试成绩排名第 %(pos)s，面试名额 %(places)s 人") % {
        "pos": standing.position,
        "places": result.places,
    }


def interview_notes(results: dict, a: Assessment | None) -> dict[int, str]:
    """Candidacy → why a candidate who was interviewed is not (or no longer surely) on the shortlist of
    their post: off it by the written scores as they are now, or the shortlist undecided again because
    someone who entered the assessment later has no written score yet. Nobody else has a note."""
    if a is None or a.shortlist is None:
        return {}
    notes = {}
    for r in results.values():
        for s in r.standings:
            if not s.interviewed or s.shortlisted is True:
                continue
            if s.shortlisted is False:
                notes[s.key] = _("已参加面试，但按现有笔试成绩已不在面试名单中（%(why)s）。") % {
                    "why": not_shortlisted_why(s, r, a)
                }
            else:
                notes[s.key] = _("已参加面试；有候选人尚无笔试成绩，面试名单待重新确定。")
    return notes


def by_candidacy(results: dict) -> dict[int, core.Standing]:
    return {s.key: s for r in results.values() for s in r.standings}
