"""What the board pages need from a run's policy: labels of tracks, levels, rules and criteria, in either
language, and each criterion's building block (to word a gap). Parsing a policy takes a noticeable
fraction of a request, so the parsed form is kept per policy text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rungs.core.policy import model as m
from rungs.core.policy.parse import parse_policy


@dataclass(frozen=True)
class PolicyView:
    policy: m.Policy
    rules: dict[str, m.Rule]
    criteria: dict[tuple[str, str], m.Criterion]  # (rule id, dotted criterion path) → criterion

    def track_label(self, track: str, lang: str) -> str:
        t = self.policy.tracks.get(track)
        return t.label.get(lang) if t else track

    def level_label(self, track: str, level: str, lang: str) -> str:
        t = self.policy.tracks.get(track)
        for lv in t.levels if t else ():
            if lv.id == level:
                return lv.label.get(lang)
        return level

    def rule_label(self, rule: str, lang: str) -> str:
        r = self.rules.get(rule)
        return r.label.get(lang) if r else rule

    def criterion(self, rule: str, path: str) -> m.Criterion | None:
        return self.criteria.get((rule, path))

    def criterion_label(self, rule: str, path: str, stored: str, lang: str) -> str:
        """The policy's label in the language asked for; the label stored with the decision otherwise."""
        c = self.criteria.get((rule, path))
        return c.label.get(lang) if c else stored

    def promotions(self) -> tuple[m.Rule, ...]:
        return self.policy.promotions()

    def level_choices(self, track: str = "") -> list[tuple[str, str, str]]:
        """(track, level, zh/en label pair) of every level, of one track or all, in policy order."""
        tracks = [self.policy.tracks[track]] if track in self.policy.tracks else self.policy.tracks.values()
        return [(t.id, lv.id, lv.label) for t in tracks for lv in t.levels]


def _walk(criteria: tuple[m.Criterion, ...], prefix: str = "") -> Iterator[tuple[str, m.Criterion]]:
    for c in criteria:
        path = f"{prefix}{c.id}"
        yield path, c
        if isinstance(c.block, m.AllOf | m.AnyOf):
            yield from _walk(c.block.children, path + ".")
        elif isinstance(c.block, m.NotOf):
            yield from _walk((c.block.child,), path + ".")


@lru_cache(maxsize=8)
def _view(text: str, name: str) -> PolicyView:
    parsed = parse_policy(text, name)
    rules = {r.id: r for r in parsed.rules}
    criteria = {(r.id, path): c for r in parsed.rules for path, c in _walk(r.criteria)}
    return PolicyView(parsed, rules, criteria)


def policy_view(policy) -> PolicyView:
    """The view of a stored policy (rungs.policies.models.Policy)."""
    return _view(policy.text, f"{policy.scheme}@{policy.version}.yaml")
