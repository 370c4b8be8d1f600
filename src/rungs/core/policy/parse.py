"""Parse and validate a policy file into `model.Policy`, failing at the first error with file:line:col.

The grammar is documented in docs/policy-language.md. Every check a manager could get wrong is made
here, at load time: unknown names (with the closest valid one), wrong types, levels that do not exist,
transitions to nowhere, loops in a path, grades compared with numbers, approvers nobody can be. Whatever
the language accepts either acts in the evaluation or is carried, typed, for the promotion rounds and the
rewards (procedure, pay); nothing is accepted and then ignored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any, overload

from rungs.core.deadlines import STAGES
from rungs.core.policy import model as m
from rungs.core.policy.blocks import BLOCKS, BUILTIN_ATTRIBUTES, COMPARATORS, parse_block
from rungs.core.policy.errors import PolicyError, closest, one_of, one_of_zh
from rungs.core.policy.rewards import parse_rewards
from rungs.core.policy.source import Mark, YList, YMap, load_yaml
from rungs.core.roles import ROLE_CODES

# When promotion results take effect (procedure.effective).
EFFECTIVE: dict[str, tuple[str, str]] = {
    "immediate": ("立即生效", "immediately"),
    "next_month": ("次月生效", "from the next month"),
    "next_quarter": ("下一季度生效", "from the next quarter"),
    "next_january": ("次年一月生效", "from January of the next year"),
    "after_onboarding_assessment": ("新岗位考核通过后生效", "after the new post's assessment is passed"),
}
ATTRIBUTE_TYPES: tuple[m.AttributeKind, ...] = ("number", "date", "text")  # or {choice: [..]}


def _hint(word: str, choices: Any) -> tuple[str, str]:
    """The zh and en suggestion suffixes for a misspelled name."""
    c = closest(word, choices)
    return (f'，是否应为 "{c}"？', f'; did you mean "{c}"?') if c else ("", "")


class _Parser:
    def __init__(self, file: str) -> None:
        self.file = file
        self.grades: dict[str, tuple[str, ...]] = {}
        self.attributes: dict[str, m.AttributeType] = dict(BUILTIN_ATTRIBUTES)
        self.exam_pass: float = 60
        self.tracks: dict[str, m.Track] = {}

    # -- helpers -----------------------------------------------------------------------------------

    def fail(self, zh: str, en: str, mark: Mark | None) -> PolicyError:
        return PolicyError(
            zh, en, file=self.file, line=mark.line if mark else 0, column=mark.column if mark else 0
        )

    def unknown(
        self, what: str, value: str, choices: Any, mark: Mark | None, noun: tuple[str, str] = ("", "")
    ) -> PolicyError:
        """<what>：未知的<noun> "x"，应为 a、b 之一 · <what>: unknown <noun> "x"; expected one of: a, b —
        with the closest name."""
        zh_hint, en_hint = _hint(value, choices)
        en_noun = f"{noun[1]} " if noun[1] else ""
        return self.fail(
            f'{what}：未知的{noun[0]} "{value}"，应为 {one_of_zh(choices)} 之一{zh_hint}',
            f'{what}: unknown {en_noun}"{value}"; expected one of: {one_of(choices)}{en_hint}',
            mark,
        )

    def mapping(self, value: Any, what: str, mark: Mark | None, allowed: tuple[str, ...]) -> YMap:
        if not isinstance(value, YMap):
            raise self.fail(
                f"{what}：应为映射（键: 值 的若干行），实际为 {value!r}",
                f"{what}: expected a mapping (key: value lines), got {value!r}",
                mark,
            )
        for key in value:
            if key not in allowed:
                zh_hint, en_hint = _hint(key, allowed)
                raise self.fail(
                    f'{what}：未知的键 "{key}"，应为 {one_of_zh(allowed)} 之一{zh_hint}',
                    f'{what}: unknown key "{key}"; expected one of: {one_of(allowed)}{en_hint}',
                    value.key_marks[key],
                )
        return value

    def need(self, mp: YMap, key: str, what: str) -> Any:
        if key not in mp:
            raise self.fail(f'{what}：缺少 "{key}"', f'{what}: "{key}" is required', mp.mark)
        return mp[key]

    def at(self, mp: YMap, key: str) -> Mark:
        return mp.value_marks.get(key, mp.mark)

    def key_at(self, mp: YMap, key: str) -> Mark:
        return mp.key_marks.get(key, mp.mark)

    @overload
    def name(self, value: Any, what: str, mark: Mark, choices: None = None) -> str: ...
    # With choices the name is one of them: a Literal-typed tuple gives that Literal back.
    @overload
    def name[S: str](self, value: Any, what: str, mark: Mark, choices: tuple[S, ...]) -> S: ...
    def name(self, value: Any, what: str, mark: Mark, choices: tuple[str, ...] | None = None) -> str:
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
            raise self.fail(
                f"{what}：应为一个名称，实际为 {value!r}", f"{what}: expected a name, got {value!r}", mark
            )
        text = str(value)
        if choices is not None and text not in choices:
            raise self.unknown(what, text, choices, mark)
        return text

    def integer(self, value: Any, what: str, mark: Mark, minimum: int = 0) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(
                f"{what}：应为不小于 {minimum} 的整数，实际为 {value!r}",
                f"{what}: expected a whole number ≥ {minimum}, got {value!r}",
                mark,
            )
        return value

    def boolean(self, value: Any, what: str, mark: Mark) -> bool:
        if not isinstance(value, bool):
            raise self.fail(
                f"{what}：应为 true 或 false，实际为 {value!r}",
                f"{what}: expected true or false, got {value!r}",
                mark,
            )
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

    def text(self, value: Any, what: str, mark: Mark) -> str:
        if value is None:
            return ""
        if isinstance(value, YMap | YList):
            raise self.fail(f"{what}：应为一段文字", f"{what}: expected a text", mark)
        return str(value)

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
            "attributes",
            "tracks",
            "procedure",
            "promotions",
            "rules",
            "rewards",
            "notes",
        )
        if isinstance(doc, YMap) and "equivalences" in doc:
            raise self.fail(
                "equivalences 已改为 procedure.lateral（交叉晋升的等同职级组，由晋升流程使用）",
                "equivalences is now procedure.lateral (groups of equivalent levels for lateral moves, "
                "used by the promotion rounds)",
                doc.key_marks["equivalences"],
            )
        doc = self.mapping(doc, "policy", Mark(1, 1), keys)
        if doc.get("rungs", 1) != 1:
            raise self.fail(
                f"rungs：本程序读取政策格式 1，实际为 {doc['rungs']!r}",
                f"rungs: this program reads policy format 1, got {doc['rungs']!r}",
                self.at(doc, "rungs"),
            )
        pid = self.name(self.need(doc, "id", "policy"), "id", self.at(doc, "id"))
        effective = doc.get("effective_from")
        if effective is not None and not isinstance(effective, dt.date):
            raise self.fail(
                f"effective_from：应为日期 YYYY-MM-DD，实际为 {effective!r}",
                f"effective_from: expected a date YYYY-MM-DD, got {effective!r}",
                self.at(doc, "effective_from"),
            )
        defaults = self.mapping(
            doc.get("defaults", YMap()), "defaults", self.at(doc, "defaults"), ("exam_pass",)
        )
        if "exam_pass" in defaults:
            self.exam_pass = self.number(
                defaults["exam_pass"], "defaults.exam_pass", self.at(defaults, "exam_pass")
            )
        self.grades = self.grade_scales(doc.get("grades", YMap()), self.at(doc, "grades"))
        self.attribute_types(doc.get("attributes", YMap()), self.at(doc, "attributes"))
        tracks = self.need(doc, "tracks", "policy")
        tracks = self.mapping(
            tracks, "tracks", self.at(doc, "tracks"), tuple(tracks) if isinstance(tracks, YMap) else ()
        )
        for tid in tracks:
            self.tracks[tid] = self.track(tid, tracks[tid], tracks.value_marks[tid])
        rules = [self.promotion(p, mk) for p, mk in self.items(doc, "promotions")]
        rules += [self.rule(r, mk) for r, mk in self.items(doc, "rules")]
        self.check_unique([(r.id, r) for r in rules], "rule id", "规则 id")
        self.check_no_loops(rules)
        return m.Policy(
            id=pid,
            version=str(doc.get("version", "1")),
            label=self.label(doc.get("label"), doc.mark, pid),
            effective_from=effective,
            tracks=self.tracks,
            grades=self.grades,
            rules=tuple(rules),
            procedure=self.procedure(doc.get("procedure", YMap()), self.at(doc, "procedure"), tuple(rules)),
            exam_pass=self.exam_pass,
            attributes={k: v for k, v in self.attributes.items() if k not in BUILTIN_ATTRIBUTES},
            source=self.file,
            rewards=parse_rewards(self, doc.get("rewards"), self.at(doc, "rewards")),
        )

    def number(self, value: Any, what: str, mark: Mark) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(
                f"{what}：应为数字，实际为 {value!r}", f"{what}: expected a number, got {value!r}", mark
            )
        return value

    def items(self, doc: YMap, key: str) -> list[tuple[Any, Mark]]:
        value = doc.get(key, YList())
        if not isinstance(value, YList):
            raise self.fail(
                f"{key}：应为列表（以 - 开头的若干行）",
                f"{key}: expected a list (lines starting with -)",
                self.at(doc, key),
            )
        return list(zip(value, value.item_marks, strict=True))

    def grade_scales(self, value: Any, mark: Mark) -> dict[str, tuple[str, ...]]:
        mp = self.mapping(value, "grades", mark, tuple(value) if isinstance(value, YMap) else ())
        out = {}
        for name, words in mp.items():
            if not isinstance(words, YList) or len(words) < 2:
                raise self.fail(
                    f"grades.{name}：应为等级词列表，由低到高",
                    f"grades.{name}: expected a list of grade words, lowest first",
                    mp.value_marks[name],
                )
            out[name] = tuple(str(w) for w in words)
        return out

    def attribute_types(self, value: Any, mark: Mark) -> None:
        """`attributes:` the types of extra columns of employees.csv: number, date, text or {choice: [..]}."""
        mp = self.mapping(value, "attributes", mark, tuple(value) if isinstance(value, YMap) else ())
        for name, spec in mp.items():
            at = mp.value_marks[name]
            if name in BUILTIN_ATTRIBUTES:
                raise self.fail(
                    f"attributes.{name}：{name} 是内置属性，类型已确定（{BUILTIN_ATTRIBUTES[name].type}），无需声明",
                    f"attributes.{name}: {name} is built in, its type is fixed "
                    f"({BUILTIN_ATTRIBUTES[name].type}); do not declare it",
                    mp.key_marks[name],
                )
            if isinstance(spec, YMap):
                cm = self.mapping(spec, f"attributes.{name}", at, ("choice",))
                words = self.need(cm, "choice", f"attributes.{name}")
                if not isinstance(words, YList) or len(words) < 2 or len(set(map(str, words))) != len(words):
                    raise self.fail(
                        f"attributes.{name}.choice：应为至少两个不同取值的列表，由低到高",
                        f"attributes.{name}.choice: expected a list of at least two different words, lowest first",
                        self.at(cm, "choice"),
                    )
                self.attributes[name] = m.AttributeType(name, "choice", tuple(str(w) for w in words))
                continue
            kind: m.AttributeKind = self.name(spec, f"attributes.{name}", at, (*ATTRIBUTE_TYPES, "choice"))
            if kind == "choice":
                raise self.fail(
                    f"attributes.{name}：有序选项需列出取值，例如 {{choice: [C, B, A]}}",
                    f"attributes.{name}: an ordered choice lists its words, e.g. {{choice: [C, B, A]}}",
                    at,
                )
            self.attributes[name] = m.AttributeType(name, kind)

    def track(self, tid: str, value: Any, mark: Mark) -> m.Track:
        mp = self.mapping(value, f"track {tid}", mark, ("label", "levels", "path"))
        levels_map = self.need(mp, "levels", f"track {tid}")
        if not isinstance(levels_map, YMap) or not levels_map:
            raise self.fail(
                f"track {tid}：levels 应为 职级 id → 名称 的映射",
                f"track {tid}: levels: expected a mapping of level id → label",
                self.at(mp, "levels"),
            )
        levels = tuple(
            m.Level(lid, self.label(lab, levels_map.value_marks[lid], lid)) for lid, lab in levels_map.items()
        )
        ids = tuple(lv.id for lv in levels)
        path = self.names(mp["path"], f"track {tid} path", self.at(mp, "path"), ids) if "path" in mp else ids
        if len(set(path)) != len(path):
            again = next(p for i, p in enumerate(path) if p in path[:i])
            raise self.fail(
                f'track {tid}：常规路径成环："{again}" 出现两次',
                f'track {tid}: the normal path loops: "{again}" appears twice',
                self.at(mp, "path"),
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
                f'从 "{src}" 的晋升：它是通道 {track.id} 常规路径的最高职级，须用 "to" 指明晋升到哪个职级',
                f'promotion from "{src}": it is the top of the normal path of track {track.id}, '
                f'so "to" must name the level it leads to',
                mp.mark,
            )
        if dst == src:
            raise self.fail(
                f'从 "{src}" 的晋升指向自身', f'promotion from "{src}" leads to itself', self.at(mp, "to")
            )
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
            note=self.text(mp.get("note"), "note", self.at(mp, "note")),
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
        if kind == "reserve":
            levels = self.reserve_levels(mp, rid, track, dst, levels if "levels" in mp else None)
        match: m.Match = self.name(mp.get("match", "all"), "match", self.at(mp, "match"), ("all", "any"))
        ctx = {"$to": dst} if dst else {}
        return m.Rule(
            rid,
            kind,
            self.label(mp.get("label"), mp.mark, rid),
            track.id,
            levels,
            dst,
            self.criteria(mp, ctx, track),
            match,
            pay=self.pay(mp.get("pay"), self.at(mp, "pay")),
            note=self.text(mp.get("note"), "note", self.at(mp, "note")),
        )

    def reserve_levels(
        self, mp: YMap, rid: str, track: m.Track, post: str | None, levels: tuple[str, ...] | None
    ) -> tuple[str, ...]:
        """A reserve pool is for a key post (`to`, required) and takes people from levels below it on the
        track's path (`levels`; default: every level below the post)."""
        if post is None:
            raise self.fail(
                f'储备规则 {rid} 缺少 "to"：关键岗位的职级',
                f'reserve rule {rid} needs "to": the level of the key post',
                mp.mark,
            )
        path = track.path
        if post not in path or path.index(post) == 0:
            raise self.fail(
                f'储备规则 {rid} 的关键岗位 "{post}" 须在通道 {track.id} 的常规路径上且不是最低职级',
                f'reserve rule {rid}: the key post "{post}" must be on the path of track {track.id}, above its '
                "lowest level",
                self.at(mp, "to"),
            )
        below = path[: path.index(post)]
        if levels is None:
            return below
        for lv in levels:
            if lv not in below:
                raise self.fail(
                    f'储备规则 {rid}：职级 "{lv}" 不低于关键岗位 "{post}"，应为 {"、".join(below)} 之一',
                    f'reserve rule {rid}: level "{lv}" is not below the key post "{post}"; expected one of '
                    f"{', '.join(below)}",
                    self.at(mp, "levels"),
                )
        return levels

    def pay(self, value: Any, mark: Mark) -> m.PayEffect | None:
        """pay: {base_pct: 10} (a share of base pay, negative for a cut) and/or {raise: [min, max]} (yuan per
        month), or only a note (a pay change the policy describes in words); amounts as Decimal."""
        if value is None:
            return None
        mp = self.mapping(value, "pay", mark, ("base_pct", "raise", "note"))
        pct = None
        if "base_pct" in mp:
            raw = mp["base_pct"]
            if isinstance(raw, bool) or not isinstance(raw, int | float) or raw == 0:
                raise self.fail(
                    f"pay.base_pct：应为非零数字，例如 10 或 -10，实际为 {raw!r}",
                    f"pay.base_pct: expected a non-zero number such as 10 or -10, got {raw!r}",
                    self.at(mp, "base_pct"),
                )
            pct = Decimal(str(raw))
        lo = hi = None
        if "raise" in mp:
            rng = mp["raise"]
            if (
                not (
                    isinstance(rng, YList)
                    and len(rng) == 2
                    and all(isinstance(x, int) and not isinstance(x, bool) and x > 0 for x in rng)
                )
                or rng[0] > rng[1]
            ):
                raise self.fail(
                    f"pay.raise：应为 [最低, 最高]（每月元，正整数），实际为 {rng!r}",
                    f"pay.raise: expected [min, max] in yuan per month (whole numbers > 0), got {rng!r}",
                    self.at(mp, "raise"),
                )
            lo, hi = Decimal(rng[0]), Decimal(rng[1])
        return m.PayEffect(pct, lo, hi, self.text(mp.get("note"), "pay.note", self.at(mp, "note")))

    def criteria(self, mp: YMap, ctx: dict[str, str], track: m.Track) -> tuple[m.Criterion, ...]:
        items = self.items(mp, "criteria")
        if not items:
            raise self.fail(
                '缺少 "criteria"：至少一个条件的列表',
                '"criteria" is required: a list of at least one criterion',
                mp.mark,
            )
        out = tuple(self.criterion(c, mk, ctx, track, named=True) for c, mk in items)
        self.check_unique([(c.id, c) for c in out], "criterion id", "条件 id")
        return out

    def check_unique(self, pairs: list[tuple[str, Any]], what: str, what_zh: str) -> None:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise PolicyError(
                    f'{what_zh} "{key}" 重复使用', f'{what} "{key}" is used twice', file=self.file
                )
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
                            f'通道 {track} 的晋升绕回 "{start}"',
                            f'promotions on track {track} loop back to "{start}"',
                            file=self.file,
                        )
                    if nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)

    # -- the procedure (read by the promotion rounds) --------------------------------------------------

    def procedure(self, value: Any, mark: Mark, rules: tuple[m.Rule, ...] = ()) -> m.Procedure:
        keys = (
            "windows",
            "every_years",
            "effective",
            "notice_working_days",
            "steps",
            "authority",
            "skip_level",
            "one_level_at_a_time",
            "lateral",
            "acting",
            "rules_owner",
            "term_years",
            "assessment",
            "deadlines",
        )
        mp = self.mapping(value, "procedure", mark, keys)
        windows: tuple[int, ...] = ()
        if "windows" in mp:
            raw = mp["windows"]
            items = raw if isinstance(raw, YList) else YList([raw])
            marks = raw.item_marks if isinstance(raw, YList) else [self.at(mp, "windows")]
            windows = tuple(
                self.integer(w, "procedure.windows", mk, 1) for w, mk in zip(items, marks, strict=True)
            )
            if any(w > 12 for w in windows) or len(set(windows)) != len(windows):
                raise self.fail(
                    "procedure.windows：月份为 1 到 12，且各不相同",
                    "procedure.windows: months are 1 to 12, each once",
                    self.at(mp, "windows"),
                )
        steps = self.names(mp["steps"], "procedure.steps", self.at(mp, "steps")) if "steps" in mp else ()
        if len(set(steps)) != len(steps):
            again = next(s for i, s in enumerate(steps) if s in steps[:i])
            raise self.fail(
                f'procedure.steps："{again}" 出现两次',
                f'procedure.steps: "{again}" appears twice',
                self.at(mp, "steps"),
            )
        skip = mp.get("skip_level", "")
        procedure = m.Procedure(
            windows=windows,
            every_years=self.integer(
                mp.get("every_years", 1), "procedure.every_years", self.at(mp, "every_years"), 1
            ),
            effective=self.name(
                mp.get("effective", "immediate"),
                "procedure.effective",
                self.at(mp, "effective"),
                tuple(EFFECTIVE),
            ),
            notice_working_days=self.integer(
                mp.get("notice_working_days", 0),
                "procedure.notice_working_days",
                self.at(mp, "notice_working_days"),
            ),
            steps=steps,
            authority=tuple(self.authority(a, amk) for a, amk in self.items(mp, "authority")),
            skip_level=self.name(skip, "procedure.skip_level", self.at(mp, "skip_level"), ROLE_CODES)
            if skip not in ("", None)
            else "",
            one_level_at_a_time=self.boolean(
                mp.get("one_level_at_a_time", True),
                "procedure.one_level_at_a_time",
                self.at(mp, "one_level_at_a_time"),
            ),
            lateral=self.lateral(mp.get("lateral", YList()), self.at(mp, "lateral")),
            acting=self.acting(mp["acting"], self.at(mp, "acting")) if "acting" in mp else None,
            term_years=self.integer(
                mp.get("term_years", 0), "procedure.term_years", self.at(mp, "term_years")
            ),
            rules_owner=self.name(
                mp["rules_owner"], "procedure.rules_owner", self.at(mp, "rules_owner"), ROLE_CODES
            )
            if mp.get("rules_owner") not in ("", None)
            else "",
            assessment=self.assessment(mp["assessment"], self.at(mp, "assessment"), rules)
            if "assessment" in mp
            else None,
        )
        if "deadlines" in mp:
            deadlines = self.deadlines(mp["deadlines"], self.at(mp, "deadlines"), procedure)
            procedure = dataclasses.replace(procedure, deadlines=deadlines)
        return procedure

    def deadlines(self, value: Any, mark: Mark, procedure: m.Procedure) -> m.Deadlines:
        """`deadlines: {review: 3, approval: 2, remind_before: 1}`: working days per stage of
        rungs.core.deadlines.STAGES, each ≥ 1, for a stage the procedure has; remind_before ≥ 0."""
        what = "procedure.deadlines"
        if not isinstance(value, YMap):
            raise self.fail(
                f"{what}：应为 阶段: 工作日数 的映射，实际为 {value!r}",
                f"{what}: expected a mapping of stage: working days, got {value!r}",
                mark,
            )
        notice = procedure.notice_working_days > 0
        has: dict[str, tuple[bool, str, str]] = {  # stage → (the procedure has it, what it takes zh, en)
            "assessment": (procedure.assessment is not None, "procedure.assessment", "procedure.assessment"),
            "committee": (
                "committee" in procedure.steps,
                "procedure.steps 中有 committee",
                "committee in procedure.steps",
            ),
            "notice": (notice, "procedure.notice_working_days", "procedure.notice_working_days"),
            "objection": (notice, "procedure.notice_working_days", "procedure.notice_working_days"),
        }
        days: list[tuple[str, int]] = []
        for key in value:
            at = value.value_marks.get(key, value.mark)
            if key == "remind_before":
                continue
            if key not in STAGES:
                raise self.unknown(
                    what, str(key), (*STAGES, "remind_before"), value.key_marks[key], ("阶段", "stage")
                )
            present, zh, en = has.get(str(key), (True, "", ""))
            if not present:
                raise self.fail(
                    f"{what}.{key}：本制度的晋升程序中没有“{STAGES[key][0]}”这一环节（需要 {zh}）",
                    f"{what}.{key}: the procedure has no {STAGES[key][1]} stage (it needs {en})",
                    value.key_marks[key],
                )
            if not isinstance(value[key], int) or isinstance(value[key], bool) or value[key] < 1:
                raise self.fail(
                    f"{what}.{key}：期限应为正整数（工作日数），实际为 {value[key]!r}",
                    f"{what}.{key}: a deadline is a whole number of working days ≥ 1, got {value[key]!r}",
                    at,
                )
            days.append((str(key), value[key]))
        remind = self.integer(
            value.get("remind_before", 1),
            f"{what}.remind_before",
            value.value_marks.get("remind_before", mark),
        )
        return m.Deadlines(tuple(days), remind)

    def assessment(self, value: Any, mark: Mark, rules: tuple[m.Rule, ...]) -> m.Assessment:
        """`assessment:` the scores the round's assessment stage records, and the shortlist for the
        interview, the weighted composite and the ranking made from them (docs/policy-language.md)."""
        what = "procedure.assessment"
        am = self.mapping(value, what, mark, ("scores", "shortlist", "composite", "rank"))
        scores = self.score_names(self.need(am, "scores", what), self.at(am, "scores"))
        known = tuple(n for n, _ in scores)

        def declared(names: tuple[str, ...], where: str, at: Mark) -> tuple[str, ...]:
            for n in names:
                if n not in known:
                    zh_hint, en_hint = _hint(n, known)
                    raise self.fail(
                        f'{where}："{n}" 不是 {what}.scores 中的考核项目，应为 {one_of_zh(known)} 之一{zh_hint}',
                        f'{where}: "{n}" is not a score of {what}.scores; expected one of: {one_of(known)}'
                        f"{en_hint}",
                        at,
                    )
            return names

        shortlist = None
        if "shortlist" in am:
            shortlist = self.shortlist(am["shortlist"], self.at(am, "shortlist"), declared)
        composite = None
        if "composite" in am:
            composite = self.composite(am["composite"], self.at(am, "composite"), declared)
        rank = None
        if "rank" in am:
            rank = self.ranking(am["rank"], self.at(am, "rank"), known, composite is not None, rules)
        elif composite is not None:
            rank = m.Ranking("composite")  # the panel's composite orders the candidates
        return m.Assessment(scores, shortlist, composite, rank)

    def score_names(self, value: Any, mark: Mark) -> tuple[tuple[str, m.Label], ...]:
        """`scores`: a list of names, or a mapping name → label (a text or {zh, en})."""
        what = "procedure.assessment.scores"
        if isinstance(value, YMap):
            pairs = [
                (self.name(k, what, value.key_marks[k]), v, value.value_marks[k]) for k, v in value.items()
            ]
        elif isinstance(value, YList):
            pairs = [
                (self.name(v, what, mk), None, mk) for v, mk in zip(value, value.item_marks, strict=True)
            ]
        else:
            pairs = [(self.name(value, what, mark), None, mark)]
        if not pairs:
            raise self.fail(f"{what}：至少一个考核项目", f"{what}: name at least one score", mark)
        out: list[tuple[str, m.Label]] = []
        for name, label, at in pairs:
            if name == "composite":
                raise self.fail(
                    f'{what}："composite" 是综合成绩的名称，不能用作考核项目',
                    f'{what}: "composite" names the weighted composite; it cannot be a score',
                    at,
                )
            if any(n == name for n, _ in out):
                raise self.fail(f'{what}："{name}" 出现两次', f'{what}: "{name}" appears twice', at)
            out.append((name, self.label(label, at, name)))
        return tuple(out)

    def shortlist(self, value: Any, mark: Mark, declared: Any) -> m.Shortlist:
        """`shortlist: {by: [theory, practical], pass: 60, tie_break: practical, per_post: 3, interview:
        interview}` (or `number: 5` instead of per_post)."""
        what = "procedure.assessment.shortlist"
        keys = ("by", "interview", "per_post", "number", "pass", "tie_break")
        sm = self.mapping(value, what, mark, keys)
        by = declared(
            self.names(self.need(sm, "by", what), f"{what}.by", self.at(sm, "by")),
            f"{what}.by",
            self.at(sm, "by"),
        )
        interview = declared(
            self.names(self.need(sm, "interview", what), f"{what}.interview", self.at(sm, "interview")),
            f"{what}.interview",
            self.at(sm, "interview"),
        )
        both = [n for n in interview if n in by]
        if both:
            raise self.fail(
                f'{what}："{both[0]}" 既是笔试成绩（by）又是面试成绩（interview）',
                f'{what}: "{both[0]}" is both a written score (by) and an interview score (interview)',
                self.at(sm, "interview"),
            )
        tie_break = (
            declared(
                self.names(sm["tie_break"], f"{what}.tie_break", self.at(sm, "tie_break")),
                f"{what}.tie_break",
                self.at(sm, "tie_break"),
            )
            if "tie_break" in sm
            else ()
        )
        if ("per_post" in sm) == ("number" in sm):
            raise self.fail(
                f"{what}：须写 per_post（每个岗位的面试人数）或 number（固定的面试人数）二者之一",
                f"{what}: give either per_post (interviewees per post filled) or number (a fixed number of "
                "interviewees), not both",
                sm.mark,
            )
        key = "per_post" if "per_post" in sm else "number"
        count = self.integer(sm[key], f"{what}.{key}", self.at(sm, key), 1)
        pass_mark = None
        if "pass" in sm:
            raw = self.number(sm["pass"], f"{what}.pass", self.at(sm, "pass"))
            if not 0 <= raw <= 100:
                raise self.fail(
                    f"{what}.pass：及格线应在 0 到 100 之间，实际为 {raw!r}",
                    f"{what}.pass: the pass mark is 0 to 100, got {raw!r}",
                    self.at(sm, "pass"),
                )
            pass_mark = Decimal(str(raw))
        return m.Shortlist(
            by=by,
            interview=interview,
            per_post=count if key == "per_post" else 0,
            number=count if key == "number" else 0,
            pass_mark=pass_mark,
            tie_break=tie_break,
        )

    def composite(self, value: Any, mark: Mark, declared: Any) -> m.Composite:
        """`composite: {technical: 40%, business: 30%, appraisal: 30%}`: weights in percent (40% or 40),
        each above 0, summing to 100."""
        what = "procedure.assessment.composite"
        if not isinstance(value, YMap) or not value:
            raise self.fail(
                f"{what}：应为 考核项目: 权重 的映射，例如 {{technical: 40%, business: 60%}}",
                f"{what}: expected a mapping of score: weight, e.g. {{technical: 40%, business: 60%}}",
                mark,
            )
        weights: list[tuple[str, Decimal]] = []
        for name, raw in value.items():
            at = value.value_marks[name]
            declared((str(name),), what, value.key_marks[name])
            weight = self.percent(raw, f"{what}.{name}", at)
            weights.append((str(name), weight))
        total = sum((w for _, w in weights), Decimal(0))
        if total != 100:
            raise self.fail(
                f"{what}：权重合计应为 100%，实际为 {total.normalize():f}%",
                f"{what}: the weights must sum to 100%, got {total.normalize():f}%",
                mark,
            )
        return m.Composite(tuple(weights))

    def percent(self, raw: Any, what: str, mark: Mark) -> Decimal:
        text = raw.strip().removesuffix("%").strip() if isinstance(raw, str) else raw
        try:
            if isinstance(text, bool) or not isinstance(text, int | float | str):
                raise ValueError
            weight = Decimal(str(text))
        except (ValueError, ArithmeticError):
            weight = Decimal("NaN")
        if not weight.is_finite() or not 0 < weight <= 100:
            raise self.fail(
                f"{what}：权重应为大于 0、不超过 100 的百分数，例如 40%，实际为 {raw!r}",
                f"{what}: a weight is a percentage above 0 and at most 100, such as 40%, got {raw!r}",
                mark,
            )
        return weight

    def ranking(
        self, value: Any, mark: Mark, known: tuple[str, ...], has_composite: bool, rules: tuple[m.Rule, ...]
    ) -> m.Ranking:
        """`rank: {priority: <rule id>, by: <score | composite>}`: by the priority conditions met, then by
        the assessment score."""
        what = "procedure.assessment.rank"
        rm = self.mapping(value, what, mark, ("priority", "by"))
        by_choices = (*known, "composite") if has_composite else known
        by = self.name(self.need(rm, "by", what), f"{what}.by", self.at(rm, "by"), by_choices)
        priority = ""
        if "priority" in rm:
            ids = tuple(r.id for r in rules if r.kind == "priority")
            if not ids:
                raise self.fail(
                    f"{what}.priority：本政策没有 kind: priority 的规则（优先条件）",
                    f"{what}.priority: this policy has no rule of kind priority (priority conditions)",
                    self.at(rm, "priority"),
                )
            priority = self.name(rm["priority"], f"{what}.priority", self.at(rm, "priority"), ids)
            rule = next(r for r in rules if r.id == priority)
            if len(rule.criteria) != 1 or not isinstance(rule.criteria[0].block, m.AnyOf):
                raise self.fail(
                    f"{what}.priority：优先条件规则 {priority} 应写成一个 any: 条件，其实际值为满足的项数",
                    f"{what}.priority: the priority rule {priority} must have its conditions in one any: "
                    "criterion, whose actual value is the number met",
                    self.at(rm, "priority"),
                )
        return m.Ranking(by, priority)

    def acting(self, value: Any, mark: Mark) -> m.Acting:
        """`acting: {strict_from: supervisor, tenure_short_below: 12}`: from that level up the path, someone
        may act (代理) in a vacant post only when tenure is all they lack, and by fewer months than given."""
        am = self.mapping(value, "procedure.acting", mark, ("strict_from", "tenure_short_below"))
        all_levels = tuple(dict.fromkeys(lv for t in self.tracks.values() for lv in t.level_ids()))
        return m.Acting(
            strict_from=self.name(
                self.need(am, "strict_from", "procedure.acting"),
                "procedure.acting.strict_from",
                self.at(am, "strict_from"),
                all_levels,
            ),
            tenure_short_below=self.integer(
                am.get("tenure_short_below", 12),
                "procedure.acting.tenure_short_below",
                self.at(am, "tenure_short_below"),
                1,
            ),
        )

    def authority(self, value: Any, mark: Mark) -> m.Authority:
        am = self.mapping(value, "procedure.authority", mark, ("levels", "proposes", "approves", "reviews"))
        all_levels = tuple(dict.fromkeys(lv for t in self.tracks.values() for lv in t.level_ids()))
        what = "procedure.authority"
        return m.Authority(
            self.names(self.need(am, "levels", what), f"{what}.levels", self.at(am, "levels"), all_levels),
            self.name(
                self.need(am, "proposes", what), f"{what}.proposes", self.at(am, "proposes"), ROLE_CODES
            ),
            self.approval_chain(self.need(am, "approves", what), self.at(am, "approves")),
            self.names(am["reviews"], f"{what}.reviews", self.at(am, "reviews"), ROLE_CODES)
            if "reviews" in am
            else (),
        )

    def approval_chain(self, value: Any, mark: Mark) -> tuple[m.Signoff, ...]:
        """`approves`: one role; or a list of steps in order, each a role, {any: [roles]} (或签, one of
        them signs) or {all: [roles]} (会签, each of them signs)."""
        what = "procedure.authority.approves"
        if not isinstance(value, YList):
            return (m.Signoff((self.name(value, what, mark, ROLE_CODES),)),)
        if not value:
            raise self.fail(f"{what}：至少要有一个审批人", f"{what}: name at least one approver", mark)
        chain = []
        for step, smk in zip(value, value.item_marks, strict=True):
            if not isinstance(step, YMap):
                chain.append(m.Signoff((self.name(step, what, smk, ROLE_CODES),)))
                continue
            if len(step) != 1 or next(iter(step)) not in ("any", "all"):
                raise self.fail(
                    f"{what}：每一步是一个角色，或 {{any: [角色…]}}（或签）、{{all: [角色…]}}（会签）",
                    f"{what}: each step is a role, or {{any: [roles]}} (one of them) or {{all: [roles]}} (each of them)",
                    smk,
                )
            key = next(iter(step))
            roles = self.names(step[key], f"{what}.{key}", self.at(step, key), ROLE_CODES)
            if not roles:
                raise self.fail(f"{what}.{key}：至少一个角色", f"{what}.{key}: at least one role", smk)
            chain.append(m.Signoff(roles, every=key == "all"))
        return tuple(chain)

    def lateral(self, value: Any, mark: Mark) -> tuple[tuple[str, ...], ...]:
        """Groups of equivalent levels on different tracks, [track.level, track.level, …]."""
        if not isinstance(value, YList):
            raise self.fail(
                "procedure.lateral：应为 [通道.职级, 通道.职级] 组的列表",
                "procedure.lateral: expected a list of [track.level, track.level] groups",
                mark,
            )
        out = []
        for group, gmk in zip(value, value.item_marks, strict=True):
            if not isinstance(group, YList) or len(group) < 2:
                raise self.fail(
                    "procedure.lateral：每组至少两个 通道.职级",
                    "procedure.lateral: each group names at least two track.level",
                    gmk,
                )
            for ref, rmk in zip(group, group.item_marks, strict=True):
                tid, _, lid = str(ref).partition(".")
                if tid not in self.tracks or lid not in self.tracks[tid].level_ids():
                    known = [f"{t}.{lv}" for t, tr in self.tracks.items() for lv in tr.level_ids()]
                    raise self.unknown("procedure.lateral", str(ref), known, rmk)
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
            found = len(blocks) or "none"
            raise self.fail(
                f"一个条件须恰有一个构件（{one_of_zh(BLOCKS)}），实际为 {len(blocks) or '零'} 个",
                f"a criterion needs exactly one building block ({one_of(BLOCKS)}), found {found}",
                mp.mark,
            )
        cid = self.name(mp["id"], "criterion id", self.at(mp, "id")) if "id" in mp else blocks[0]
        if named and "id" not in mp:
            raise self.fail(
                f'条件 "{blocks[0]}"：须有 "id"（一个简短名称，例如 tenure）',
                f'criterion "{blocks[0]}": an "id" is required (a short name such as tenure)',
                mp.mark,
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
        raise PolicyError(
            f"无法读取政策文件：{exc}", f"cannot read the policy: {exc}", file=str(path)
        ) from None
    return parse_policy(text, str(path))
