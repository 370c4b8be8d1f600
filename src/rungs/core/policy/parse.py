"""Parse and validate a policy file into `model.Policy`, failing at the first error with file:line:col.

The grammar is documented in docs/policy-language.md. Every check a manager could get wrong is made
here, at load time: unknown names (with the closest valid one), wrong types, levels that do not exist,
transitions to nowhere, loops in a path, grades compared with numbers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rungs.core.policy import model as m
from rungs.core.policy.blocks import COMPARATORS, parse_block
from rungs.core.policy.errors import PolicyError, one_of, suggest
from rungs.core.policy.source import Mark, YList, YMap, load_yaml

BLOCKS = (
    "tenure",
    "consecutive",
    "window",
    "latest",
    "change",
    "rank",
    "count",
    "exam",
    "attestation",
    "course",
    "certificate",
    "attribute",
    "vacancy",
    "all",
    "any",
    "not",
)
ROLES = (
    "agent",
    "team_lead",
    "supervisor",
    "qa_training",
    "department_manager",
    "hr",
    "executive",
    "chairman",
    "general_manager",
    "vice_president",
    "director",
    "admin",
    "committee",
)
NUMERIC_ATTRIBUTES = ("age", "acting_gap")


class _Parser:
    def __init__(self, file: str) -> None:
        self.file = file
        self.grades: dict[str, tuple[str, ...]] = {}
        self.exam_pass: float = 60
        self.tracks: dict[str, m.Track] = {}

    # -- helpers -----------------------------------------------------------------------------------

    def fail(self, msg: str, mark: Mark | None) -> PolicyError:
        return PolicyError(
            msg, file=self.file, line=mark.line if mark else 0, column=mark.column if mark else 0
        )

    def mapping(self, value: Any, what: str, mark: Mark | None, allowed: tuple[str, ...]) -> YMap:
        if not isinstance(value, YMap):
            raise self.fail(f"{what}: expected a mapping (key: value lines), got {value!r}", mark)
        for key in value:
            if key not in allowed:
                raise self.fail(
                    f'{what}: unknown key "{key}"; expected one of: {one_of(allowed)}{suggest(key, allowed)}',
                    value.key_marks[key],
                )
        return value

    def need(self, mp: YMap, key: str, what: str) -> Any:
        if key not in mp:
            raise self.fail(f'{what}: "{key}" is required', mp.mark)
        return mp[key]

    def at(self, mp: YMap, key: str) -> Mark:
        return mp.value_marks.get(key, mp.mark)

    def name(self, value: Any, what: str, mark: Mark, choices: tuple[str, ...] | None = None) -> str:
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
            raise self.fail(f"{what}: expected a name, got {value!r}", mark)
        value = str(value)
        if choices is not None and value not in choices:
            raise self.fail(
                f'{what}: unknown "{value}"; expected one of: {one_of(choices)}{suggest(value, choices)}',
                mark,
            )
        return value

    def integer(self, value: Any, what: str, mark: Mark, minimum: int = 0) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(f"{what}: expected a whole number ≥ {minimum}, got {value!r}", mark)
        return value

    def names(
        self, value: Any, what: str, mark: Mark, choices: tuple[str, ...] | None = None
    ) -> tuple[str, ...]:
        items = value if isinstance(value, YList) else YList([value])
        marks = value.item_marks if isinstance(value, YList) else [mark]
        return tuple(self.name(v, what, mk, choices) for v, mk in zip(items, marks, strict=True))

    def label(self, value: Any, mark: Mark, fallback: str) -> m.Label:
        if value is None:
            return m.Label(fallback, fallback)
        if isinstance(value, str):
            return m.Label(value, value)
        mp = self.mapping(value, "label", mark, ("zh", "en"))
        zh = str(self.need(mp, "zh", "label"))
        return m.Label(zh, str(mp.get("en", zh)))

    # -- the document ------------------------------------------------------------------------------

    def policy(self, doc: Any) -> m.Policy:
        keys = (
            "rungs",
            "id",
            "version",
            "label",
            "effective_from",
            "defaults",
            "grades",
            "tracks",
            "equivalences",
            "procedure",
            "promotions",
            "rules",
            "notes",
        )
        doc = self.mapping(doc, "policy", Mark(1, 1), keys)
        if doc.get("rungs", 1) != 1:
            raise self.fail(
                f"rungs: this program reads policy format 1, got {doc['rungs']!r}", self.at(doc, "rungs")
            )
        pid = self.name(self.need(doc, "id", "policy"), "id", self.at(doc, "id"))
        effective = doc.get("effective_from")
        if effective is not None and not isinstance(effective, dt.date):
            raise self.fail(
                f"effective_from: expected a date YYYY-MM-DD, got {effective!r}",
                self.at(doc, "effective_from"),
            )
        defaults = self.mapping(
            doc.get("defaults", YMap()), "defaults", self.at(doc, "defaults"), ("exam_pass", "rank_top")
        )
        self.exam_pass = defaults.get("exam_pass", 60)
        self.grades = self.grade_scales(doc.get("grades", YMap()), self.at(doc, "grades"))
        tracks = self.need(doc, "tracks", "policy")
        tracks = self.mapping(
            tracks, "tracks", self.at(doc, "tracks"), tuple(tracks) if isinstance(tracks, YMap) else ()
        )
        for tid in tracks:
            self.tracks[tid] = self.track(tid, tracks[tid], tracks.value_marks[tid])
        rules = [self.promotion(p, mk) for p, mk in self.items(doc, "promotions")]
        rules += [self.rule(r, mk) for r, mk in self.items(doc, "rules")]
        self.check_unique([(r.id, r) for r in rules], "rule id")
        self.check_no_loops(rules)
        return m.Policy(
            id=pid,
            version=str(doc.get("version", "1")),
            label=self.label(doc.get("label"), doc.mark, pid),
            effective_from=effective,
            tracks=self.tracks,
            grades=self.grades,
            rules=tuple(rules),
            procedure=self.procedure(doc.get("procedure", YMap()), self.at(doc, "procedure")),
            equivalences=self.equivalences(doc.get("equivalences", YList()), self.at(doc, "equivalences")),
            defaults=dict(defaults),
            source=self.file,
        )

    def items(self, doc: YMap, key: str) -> list[tuple[Any, Mark]]:
        value = doc.get(key, YList())
        if not isinstance(value, YList):
            raise self.fail(f"{key}: expected a list (lines starting with -)", self.at(doc, key))
        return list(zip(value, value.item_marks, strict=True))

    def grade_scales(self, value: Any, mark: Mark) -> dict[str, tuple[str, ...]]:
        mp = self.mapping(value, "grades", mark, tuple(value) if isinstance(value, YMap) else ())
        out = {}
        for name, words in mp.items():
            if not isinstance(words, YList) or len(words) < 2:
                raise self.fail(
                    f"grades.{name}: expected a list of grade words, lowest first", mp.value_marks[name]
                )
            out[name] = tuple(str(w) for w in words)
        return out

    def track(self, tid: str, value: Any, mark: Mark) -> m.Track:
        mp = self.mapping(value, f"track {tid}", mark, ("label", "levels", "path"))
        levels_map = self.need(mp, "levels", f"track {tid}")
        if not isinstance(levels_map, YMap) or not levels_map:
            raise self.fail(
                f"track {tid}: levels: expected a mapping of level id → label", self.at(mp, "levels")
            )
        levels = tuple(
            m.Level(lid, self.label(lab, levels_map.value_marks[lid], lid)) for lid, lab in levels_map.items()
        )
        ids = tuple(lv.id for lv in levels)
        path = self.names(mp["path"], f"track {tid} path", self.at(mp, "path"), ids) if "path" in mp else ids
        if len(set(path)) != len(path):
            again = next(p for i, p in enumerate(path) if p in path[:i])
            raise self.fail(
                f'track {tid}: the normal path loops: "{again}" appears twice', self.at(mp, "path")
            )
        return m.Track(tid, self.label(mp.get("label"), mark, tid), levels, path)

    def track_ref(self, mp: YMap, what: str) -> m.Track:
        tid = self.name(
            self.need(mp, "track", what), f"{what} track", self.at(mp, "track"), tuple(self.tracks)
        )
        return self.tracks[tid]

    def promotion(self, value: Any, mark: Mark) -> m.Rule:
        keys = ("id", "label", "track", "from", "to", "criteria", "pay", "note")
        mp = self.mapping(value, "promotion", mark, keys)
        track = self.track_ref(mp, "promotion")
        src = self.name(self.need(mp, "from", "promotion"), "from", self.at(mp, "from"), track.level_ids())
        if "to" in mp:
            dst = self.name(mp["to"], "to", self.at(mp, "to"), track.level_ids())
        elif src in track.path and track.path.index(src) + 1 < len(track.path):
            dst = track.path[track.path.index(src) + 1]
        else:
            raise self.fail(
                f'promotion from "{src}": it is the top of the normal path of track {track.id}, '
                f'so "to" must name the level it leads to',
                mp.mark,
            )
        if dst == src:
            raise self.fail(f'promotion from "{src}" leads to itself', self.at(mp, "to"))
        rid = str(mp.get("id", f"{track.id}.{src}-{dst}"))
        lab = self.label(mp.get("label"), mp.mark, f"{src} → {dst}")
        ctx = {"$from": src, "$to": dst}
        return m.Rule(
            rid,
            "promotion",
            lab,
            track.id,
            (src,),
            dst,
            self.criteria(mp, ctx, track),
            pay=self.pay(mp.get("pay"), self.at(mp, "pay")),
            note=str(mp.get("note", "")),
        )

    def rule(self, value: Any, mark: Mark) -> m.Rule:
        keys = ("id", "kind", "label", "track", "levels", "to", "match", "criteria", "pay", "note")
        mp = self.mapping(value, "rule", mark, keys)
        rid = self.name(self.need(mp, "id", "rule"), "rule id", self.at(mp, "id"))
        kind = self.name(self.need(mp, "kind", f"rule {rid}"), "kind", self.at(mp, "kind"), m.RULE_KINDS)
        track = self.track_ref(mp, f"rule {rid}")
        levels = (
            self.names(mp["levels"], "levels", self.at(mp, "levels"), track.level_ids())
            if "levels" in mp
            else track.level_ids()
        )
        dst = self.name(mp["to"], "to", self.at(mp, "to"), track.level_ids()) if "to" in mp else None
        match = self.name(mp.get("match", "all"), "match", self.at(mp, "match"), ("all", "any"))
        ctx = {"$to": dst} if dst else {}
        return m.Rule(
            rid,
            kind,
            self.label(mp.get("label"), mp.mark, rid),
            track.id,
            levels,
            dst,
            self.criteria(mp, ctx, track),
            match,  # type: ignore[arg-type]
            pay=self.pay(mp.get("pay"), self.at(mp, "pay")),
            note=str(mp.get("note", "")),
        )

    def pay(self, value: Any, mark: Mark) -> m.PayEffect | None:
        if value is None:
            return None
        mp = self.mapping(value, "pay", mark, ("base_pct", "raise", "note"))
        pct = mp.get("base_pct")
        if pct is not None and not isinstance(pct, int | float):
            raise self.fail(
                f"pay.base_pct: expected a number such as 10 or -10, got {pct!r}", self.at(mp, "base_pct")
            )
        lo = hi = None
        if "raise" in mp:
            rng = mp["raise"]
            if (
                not (isinstance(rng, YList) and len(rng) == 2 and all(isinstance(x, int) for x in rng))
                or rng[0] > rng[1]
            ):
                raise self.fail(
                    f"pay.raise: expected [min, max] in yuan per month, got {rng!r}", self.at(mp, "raise")
                )
            lo, hi = rng
        return m.PayEffect(pct, lo, hi, str(mp.get("note", "")))

    def criteria(self, mp: YMap, ctx: dict[str, str], track: m.Track) -> tuple[m.Criterion, ...]:
        items = self.items(mp, "criteria")
        if not items:
            raise self.fail('"criteria" is required: a list of at least one criterion', mp.mark)
        out = tuple(self.criterion(c, mk, ctx, track, named=True) for c, mk in items)
        self.check_unique([(c.id, c) for c in out], "criterion id")
        return out

    def check_unique(self, pairs: list[tuple[str, Any]], what: str) -> None:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise PolicyError(f'{what} "{key}" is used twice', file=self.file)
            seen.add(key)

    def check_no_loops(self, rules: list[m.Rule]) -> None:
        """Promotions must lead upwards: following from→to edges never returns to a level."""
        edges: dict[tuple[str, str], set[str]] = {}
        for r in rules:
            if r.kind == "promotion" and r.to_level:
                edges.setdefault((r.track, r.levels[0]), set()).add(r.to_level)
        for (track, start), _ in edges.items():
            stack, seen = [start], set()
            while stack:
                for nxt in edges.get((track, stack.pop()), ()):
                    if nxt == start:
                        raise PolicyError(
                            f'promotions on track {track} loop back to "{start}"', file=self.file
                        )
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)

    def procedure(self, value: Any, mark: Mark) -> m.Procedure:
        keys = (
            "windows",
            "every_years",
            "effective",
            "notice_working_days",
            "steps",
            "authority",
            "skip_level",
            "one_level_at_a_time",
        )
        mp = self.mapping(value, "procedure", mark, keys)
        windows = tuple(
            self.integer(w, "procedure.windows (a month 1-12)", self.at(mp, "windows"), 1)
            for w in (mp.get("windows") or ())
        )
        if any(w > 12 for w in windows):
            raise self.fail("procedure.windows: months are 1 to 12", self.at(mp, "windows"))
        authority = []
        for a, amk in self.items(mp, "authority"):
            am = self.mapping(a, "authority", amk, ("levels", "proposes", "approves", "reviews"))
            all_levels = tuple(lv for t in self.tracks.values() for lv in t.level_ids())
            authority.append(
                m.Authority(
                    self.names(
                        self.need(am, "levels", "authority"),
                        "authority levels",
                        self.at(am, "levels"),
                        all_levels,
                    ),
                    self.name(
                        self.need(am, "proposes", "authority"), "proposes", self.at(am, "proposes"), ROLES
                    ),
                    self.name(
                        self.need(am, "approves", "authority"), "approves", self.at(am, "approves"), ROLES
                    ),
                    self.names(am.get("reviews", YList()), "reviews", self.at(am, "reviews"), ROLES),
                )
            )
        return m.Procedure(
            windows=windows,
            every_years=self.integer(mp.get("every_years", 1), "every_years", self.at(mp, "every_years"), 1),
            effective=str(mp.get("effective", "")),
            notice_working_days=self.integer(
                mp.get("notice_working_days", 0), "notice_working_days", self.at(mp, "notice_working_days")
            ),
            steps=tuple(str(s) for s in mp.get("steps", ())),
            authority=tuple(authority),
            skip_level=str(mp.get("skip_level", "") or ""),
            one_level_at_a_time=bool(mp.get("one_level_at_a_time", True)),
        )

    def equivalences(self, value: Any, mark: Mark) -> tuple[tuple[str, ...], ...]:
        if not isinstance(value, YList):
            raise self.fail("equivalences: expected a list of [track.level, track.level] groups", mark)
        out = []
        for group, gmk in zip(value, value.item_marks, strict=True):
            for ref in group if isinstance(group, YList) else [group]:
                tid, _, lid = str(ref).partition(".")
                if tid not in self.tracks or lid not in self.tracks[tid].level_ids():
                    raise self.fail(f'equivalences: "{ref}" is not track.level', gmk)
            out.append(tuple(str(r) for r in group))
        return tuple(out)

    # -- criteria ------------------------------------------------------------------------------------

    def criterion(
        self, value: Any, mark: Mark, ctx: dict[str, str], track: m.Track, named: bool
    ) -> m.Criterion:
        keys = ("id", "label", "note", *BLOCKS, *COMPARATORS)
        mp = self.mapping(value, "criterion", mark, keys)
        blocks = [k for k in mp if k in BLOCKS]
        if len(blocks) != 1:
            raise self.fail(
                f"a criterion needs exactly one building block ({one_of(BLOCKS)}), "
                f"found {len(blocks) or 'none'}",
                mp.mark,
            )
        cid = self.name(mp["id"], "criterion id", self.at(mp, "id")) if "id" in mp else blocks[0]
        if named and "id" not in mp:
            raise self.fail(
                f'criterion "{blocks[0]}": an "id" is required (a short name such as tenure)', mp.mark
            )
        return parse_block(self, mp, blocks[0], cid, ctx, track)


def parse_policy(text: str, file: str = "<policy>") -> m.Policy:
    """Parse policy text; raises PolicyError naming file, line and column."""
    return _Parser(file).policy(load_yaml(text, file))


def load_policy(path: str | Path) -> m.Policy:
    """Read and parse a policy file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"cannot read the policy: {exc}", file=str(path)) from None
    return parse_policy(text, str(path))
