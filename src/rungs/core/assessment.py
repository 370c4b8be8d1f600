"""The assessment stage of a promotion round, as the policy's `procedure.assessment` says (no Django).

Given the scores a round has recorded per candidate (Decimal, 0–100) and, where the ranking asks for it, the
number of priority conditions each candidate meets (read from the evaluation's result of the policy's rule
of kind priority, see `priority_count`), this works out per post of the round:

- the interview shortlist (面试人员按笔试成绩确定): candidates ranked by the sum of the written scores, higher
  first, ties broken by the tie-break scores in order; with a pass mark, only those at or above it in every
  written score may be picked; the best `per_post` × the post's number (or a fixed `number`) are picked,
  and whoever is equal to the last of them in the sum and every tie-break score is picked too. While a
  candidate of the post has no written score yet, the shortlist is not decided;
- the weighted composite (综合成绩) = Σ score × weight / 100, rounded half up to 2 decimals, once every
  weighted score is there;
- the ranking: by priority conditions met (when the policy names a priority rule), then by the assessment
  score (a score, or the composite), higher first; candidates equal in both share a rank (1, 2, 2, 4);
  a candidate without that score is not ranked yet.

Positions in the written order are shared the same way (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rungs.core.policy import model as m

Post = tuple[str, str]  # (track, level) of a post the round fills
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Entry:
    """One candidate of a post, as the round holds them: `key` identifies them (the candidacy)."""

    key: Hashable
    post: Post
    scores: Mapping[str, Decimal]
    priority: int | None = None  # priority conditions met; None when the evaluation has no result


@dataclass(frozen=True)
class Standing:
    """Where one candidate stands in the assessment of their post."""

    key: Hashable
    written: Decimal | None = None  # the sum of the written scores (shortlist.by), once all are there
    position: int | None = None  # place in the written order (1 = best), shared by equals
    shortlisted: bool | None = None  # None: the shortlist is not decided yet (or there is none)
    below_pass: bool = False  # a written score under the shortlist's pass mark
    interviewed: bool = False  # an interview score (shortlist.interview) is recorded
    composite: Decimal | None = None
    priority: int | None = None
    score: Decimal | None = None  # the score the ranking orders by (a score or the composite)
    rank: int | None = None  # None: not ranked (no ranking, or the score is missing)


@dataclass(frozen=True)
class PostResult:
    """The assessment of one post: its places, the interview shortlist, and the candidates best first
    (ranked ones in rank order, then those not ranked yet, in the order given)."""

    post: Post
    number: int  # posts to fill
    places: int  # interview places (0 without a shortlist)
    decided: bool  # the shortlist is decided: every candidate has the written scores
    missing_written: tuple[Hashable, ...]  # candidates still without a written score
    standings: tuple[Standing, ...] = field(default_factory=tuple)

    def of(self, key: Hashable) -> Standing | None:
        return next((s for s in self.standings if s.key == key), None)


def score_name(a: m.Assessment, given: str) -> str | None:
    """The policy's name of a score as entered: its name, or its Chinese or English label."""
    text = given.strip()
    for name, label in a.scores:
        if text in (name, label.zh, label.en):
            return name
    return None


def priority_count(rule: m.Rule, criteria: Sequence[Mapping[str, Any]]) -> int | None:
    """The number of priority conditions met, as the evaluation reported it for `rule` (a rule of kind
    priority, written as one `any:` criterion whose actual value is the number of its conditions met —
    docs/policy-language.md): that criterion's actual, or None when the result has no such criterion."""
    cid = rule.criteria[0].id if rule.criteria else None
    for c in criteria:
        if c.get("id") == cid and c.get("actual") is not None:
            return int(c["actual"])
    return None


def composite(rule: m.Composite, scores: Mapping[str, Decimal]) -> Decimal | None:
    """Σ score × weight / 100, rounded half up to 2 decimals; None while a weighted score is missing."""
    if any(name not in scores for name, _ in rule.weights):
        return None
    total = sum((scores[name] * weight for name, weight in rule.weights), Decimal(0)) / 100
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def _shared_ranks(keys: Sequence[tuple[Any, ...]]) -> list[int]:
    """Competition ranks of sort keys already in order: equal keys share the better rank (1, 2, 2, 4)."""
    out: list[int] = []
    for i, k in enumerate(keys):
        out.append(out[-1] if i and k == keys[i - 1] else i + 1)
    return out


def _written(rule: m.Shortlist, scores: Mapping[str, Decimal]) -> Decimal | None:
    if any(n not in scores for n in rule.by):
        return None
    return sum((scores[n] for n in rule.by), Decimal(0))


def _places(rule: m.Shortlist, number: int) -> int:
    return rule.number if rule.number else rule.per_post * number


def assess(a: m.Assessment, entries: Iterable[Entry], posts: Mapping[Post, int]) -> dict[Post, PostResult]:
    """The assessment of every post in `posts` (post → the number to fill) over its candidates."""
    by_post: dict[Post, list[Entry]] = {p: [] for p in posts}
    for e in entries:
        by_post.setdefault(e.post, []).append(e)
    return {p: _post(a, p, posts.get(p, 0), group) for p, group in by_post.items()}


def _post(a: m.Assessment, post: Post, number: int, group: list[Entry]) -> PostResult:
    sl, comp, rk = a.shortlist, a.composite, a.rank
    info: dict[Hashable, dict[str, Any]] = {e.key: {"priority": e.priority} for e in group}
    missing: list[Hashable] = []
    places, decided = 0, True
    if sl is not None:
        places = _places(sl, number)
        written = {e.key: _written(sl, e.scores) for e in group}
        for e in group:
            info[e.key]["interviewed"] = any(n in e.scores for n in sl.interview)
        missing = [e.key for e in group if written[e.key] is None]
        decided = not missing

        def order(e: Entry) -> tuple[Decimal, ...]:
            w = written[e.key]
            assert w is not None
            return (-w, *(-e.scores.get(n, Decimal(0)) for n in sl.tie_break))

        done = sorted((e for e in group if written[e.key] is not None), key=order)
        positions = _shared_ranks([order(e) for e in done])
        passing = [e for e in done if sl.pass_mark is None or all(e.scores[n] >= sl.pass_mark for n in sl.by)]
        chosen = {e.key for e in passing[:places]}
        if passing[:places] and len(passing) > places:  # equal to the last one picked: picked too
            last = order(passing[places - 1])
            chosen |= {e.key for e in passing[places:] if order(e) == last}
        for e, pos in zip(done, positions, strict=True):
            info[e.key].update(
                written=written[e.key],
                position=pos,
                below_pass=e not in passing,
                shortlisted=(e.key in chosen) if decided else None,
            )
    for e in group:
        if comp is not None:
            info[e.key]["composite"] = composite(comp, e.scores)
        if rk is not None:
            info[e.key]["score"] = (
                info[e.key].get("composite") if rk.by == "composite" else e.scores.get(rk.by)
            )
    ranked: list[Entry] = []
    rest = list(group)
    if rk is not None:
        ranked = [e for e in group if info[e.key].get("score") is not None]
        rest = [e for e in group if info[e.key].get("score") is None]

        def rank_key(e: Entry) -> tuple[Any, ...]:
            head = (-(e.priority or 0),) if rk.priority else ()
            return (*head, -info[e.key]["score"])

        ranked.sort(key=rank_key)
        for e, r in zip(ranked, _shared_ranks([rank_key(e) for e in ranked]), strict=True):
            info[e.key]["rank"] = r
    elif sl is not None:  # no ranking: the written order, those without a written score last
        ranked = sorted(
            (e for e in group if info[e.key].get("position") is not None),
            key=lambda e: info[e.key]["position"],
        )
        rest = [e for e in group if info[e.key].get("position") is None]
    standings = tuple(Standing(key=e.key, **info[e.key]) for e in (*ranked, *rest))
    return PostResult(post, number, places, decided, tuple(missing), standings)
