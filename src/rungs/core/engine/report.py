"""Evaluation results for people and programs: the JSON contract, a terminal table, CSV and XLSX.

JSON follows INTERCHANGE.md ("the evaluate contract"); it adds `rule`, `label` and `policy_version`
to each result, and `warnings` at the top level. A composite criterion (all/any/not) carries its
children in `criteria`; its actual is the number of children passed.

Everything is built as columns: each rule's result frame becomes, per criterion, columns of shown values
(text.py), and a JSON object or a CSV row is a concatenation of those columns with the fixed parts of the
policy (ids, labels, required values). A large run is written in blocks of employees (BLOCK), so the
output never has to be in memory all at once. The bytes are those of `json.dumps(..., indent=2)` and of
a Polars CSV of one row per criterion.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

import polars as pl

from rungs.core.engine import text
from rungs.core.engine.evaluate import CriterionMeta, Evaluation, RuleResult
from rungs.core.interchange.spreadsheet import csv_safe
from rungs.core.policy import model as m
from rungs.core.vocabulary import RULE_KINDS, kind_label

__all__ = [
    "json_report",
    "kind_label",
    "long_rows",
    "result_rows",
    "table",
    "to_json_obj",
    "write_csv",
    "write_json",
]

ID = "employee_id"
SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "!=": "≠"}
BLOCK = 100_000  # employees per block written at once
LONG_COLUMNS = (
    "employee_id",
    "name",
    "kind",
    "rule",
    "track",
    "from_level",
    "to_level",
    "eligible",
    "criterion",
    "label",
    "passed",
    "actual",
    "required",
)


# -- what each criterion shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    """One criterion of a rule as the reports show it, worked out once per rule."""

    n: int  # position in the rule's criteria (policy order, parents before children)
    path: str  # dotted, as in the CSV's `criterion` column
    id: str
    label: str | None
    depth: int
    composite: bool
    required: Any  # the value shown, when the same for everyone; _PER_ROW otherwise
    meta: CriterionMeta


_PER_ROW = object()  # a required value by cases: the case that applied to the employee


def _specs(result: RuleResult, lang: str) -> list[_Spec]:
    out = []
    for n, meta in enumerate(result.criteria):
        c = meta.criterion
        if c.compare is None:
            k = len(c.block.children) if isinstance(c.block, m.AllOf | m.AnyOf) else 1
            required: Any = {m.AllOf: f"{k} of {k}", m.AnyOf: f"≥ 1 of {k}", m.NotOf: "0 of 1"}[type(c.block)]
        elif c.compare.op == "in":
            required = [_plain(v) for v in c.compare.value]
        elif isinstance(c.compare.value, m.Cases):
            required = _PER_ROW
        else:
            op, value = c.compare.op, _plain(c.compare.value)
            required = value if op == ">=" else f"{SYMBOLS[op]} {value}"
        out.append(_Spec(n, meta.path, c.id, c.label.get(lang), meta.depth, meta.composite, required, meta))
    return out


def _plain(value: Any) -> Any:
    """A required value as JSON shows it: a date as YYYY-MM-DD (attributes typed date)."""
    return value.isoformat() if isinstance(value, dt.date) else value


JSON, CELLS = "json", "cells"  # the forms of a shown value: JSON tokens, CSV/XLSX cell texts
_BOTH = frozenset({JSON, CELLS})


def _shown(
    frame: pl.DataFrame,
    specs: list[_Spec],
    grades: dict[str, tuple[str, ...]],
    forms: frozenset[str] = _BOTH,
) -> pl.DataFrame:
    """The rule's frame with, per criterion n, `n|pj` `n|aj` (JSON tokens) and `n|pt` `n|at` `n|rt` (CSV
    cells), `n|rj` too when the required value varies; and the JSON tokens of the result's own fields.
    Only the `forms` asked for are built (`n|pt` always, the count of criteria met needs it): a CSV of
    result rows never reads a JSON token, and at 100,000 employees each unused column costs."""
    as_json, cells = JSON in forms, CELLS in forms
    # Every value shown, worked out together: text.shown_all formats the numbers in one query.
    asked: list[tuple[pl.Series, str]] = []
    for s in specs:
        c = s.meta.criterion
        asked.append((frame.get_column(f"{s.path}|a"), "number" if s.composite else c.value_kind))
        if s.required is _PER_ROW:
            asked.append((frame.get_column(f"{s.path}|r"), c.value_kind))
    values = iter(text.shown_all(asked, grades))
    cols: list[pl.Series] = []
    for s in specs:
        c = s.meta.criterion
        passed = frame.get_column(f"{s.path}|p")
        cols.append(passed.alias(f"{s.n}|pt"))
        if as_json:
            cols.append(passed.cast(pl.String).alias(f"{s.n}|pj"))
        aj, at = next(values)
        cols += [aj.fill_null("null").alias(f"{s.n}|aj")] if as_json else []
        cols += [at.alias(f"{s.n}|at")] if cells else []
        if s.required is _PER_ROW:
            assert c.compare is not None
            rj, rt = next(values)
            if c.compare.op != ">=":  # "≤ 3": a string with the comparison in front
                rt = SYMBOLS[c.compare.op] + " " + rt.fill_null("None")
                rj = text.json_strings(rt) if as_json else rj
            cols += [rj.fill_null("null").alias(f"{s.n}|rj")] if as_json else []
            cols += [rt.alias(f"{s.n}|rt")] if cells else []
        elif cells:
            cols.append(
                pl.repeat(text.cell_text(s.required), frame.height, dtype=pl.String, eager=True).alias(
                    f"{s.n}|rt"
                )
            )
    own = [
        *(
            [
                text.json_strings(frame.get_column(ID)).alias(f"{ID}|j"),
                *(text.json_strings(frame.get_column(k)).fill_null("null").alias(f"{k}|j") for k in _LEVELS),
            ]
            if as_json
            else []
        ),
        *(frame.get_column(k).cast(pl.String) for k in _LEVELS),
    ]
    return frame.with_columns(own + cols)


_LEVELS = ("track", "from_level", "to_level")


# -- JSON as concatenated columns --------------------------------------------------------------------

Piece = str | pl.Expr


def _emit(v: Any, level: int, indent: int | None) -> list[Piece]:
    """The pieces of json.dumps(v, ensure_ascii=False, indent=indent) at nesting `level`, where an
    expression stands for a JSON token computed per row."""
    if isinstance(v, pl.Expr):
        return [v]
    if not isinstance(v, dict | list) or not v:
        return [text.json_text(v)]
    inner = "" if indent is None else "\n" + " " * (indent * (level + 1))
    outer = "" if indent is None else "\n" + " " * (indent * level)
    sep = ", " if indent is None else "," + inner
    items = v.items() if isinstance(v, dict) else ((None, x) for x in v)
    out: list[Piece] = ["{" if isinstance(v, dict) else "[", inner]
    for i, (k, x) in enumerate(items):
        if i:
            out.append(sep)
        if k is not None:
            out.append(text.json_text(k) + ": ")
        out += _emit(x, level + 1, indent)
    out += [outer, "}" if isinstance(v, dict) else "]"]
    return out


def _concat(pieces: list[Piece]) -> pl.Expr:
    merged: list[Piece] = []
    for p in pieces:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        elif not (isinstance(p, str) and not p):
            merged.append(p)
    return pl.concat_str([pl.lit(p) if isinstance(p, str) else p for p in merged])


def _criteria_tree(specs: list[_Spec]) -> list[dict[str, Any]]:
    """The criteria of a row as nested dicts whose per-row values are column expressions."""
    out: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(-1, out)]
    for s in specs:
        while stack[-1][0] >= s.depth:
            stack.pop()
        item: dict[str, Any] = {
            "id": s.id,
            "label": s.label,
            "passed": pl.col(f"{s.n}|pj"),
            "actual": pl.col(f"{s.n}|aj"),
            "required": pl.col(f"{s.n}|rj") if s.required is _PER_ROW else s.required,
        }
        stack[-1][1].append(item)
        if s.composite:
            item["criteria"] = []
            stack.append((s.depth, item["criteria"]))
    return out


def _result_tree(result: RuleResult, specs: list[_Spec], lang: str) -> dict[str, Any]:
    return {
        "employee_id": pl.col(f"{ID}|j"),
        "kind": result.rule.kind,
        "rule": result.rule.id,
        "label": result.rule.label.get(lang),
        **{k: pl.col(f"{k}|j") for k in _LEVELS},
        "eligible": pl.when(pl.col("eligible")).then(pl.lit("true")).otherwise(pl.lit("false")),
        "criteria": _criteria_tree(specs),
    }


# -- blocks of employees ------------------------------------------------------------------------------


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    """The engine sorts its frames by employee id; a frame built otherwise is sorted here (stably)."""
    return frame if frame.get_column(ID).is_sorted() else frame.sort(ID, maintain_order=True)


def _blocks(ev: Evaluation, size: int = BLOCK) -> Iterator[list[pl.DataFrame]]:
    """Each rule's frame cut into blocks of at most `size` employees, the same employees for every rule
    (the frames are sorted by employee id), so a block can be sorted on its own."""
    # The engine sorts its frames by employee id; a frame built otherwise is sorted here (stable).
    frames = [
        r.frame if r.frame.get_column(ID).is_sorted() else r.frame.sort(ID, maintain_order=True)
        for r in ev.results
    ]
    ids = (
        pl.concat([f.get_column(ID) for f in frames]).unique().sort()
        if frames
        else pl.Series([], dtype=pl.String)
    )
    for start in range(0, max(len(ids), 1), size):
        stop = min(start + size, len(ids))
        if stop == start:
            yield frames
            return
        lo, hi = ids[start], ids[stop - 1]
        out = []
        for f in frames:
            col = f.get_column(ID)
            a, b = col.search_sorted(lo, "left"), col.search_sorted(hi, "right")
            out.append(f.slice(a, b - a))
        yield out


@dataclass(frozen=True)
class _Part:
    """One rule's results for a block of employees: its shown frame, and where each of its rows goes in
    the output (`pos`: employees in id order, rules in policy order)."""

    index: int
    result: RuleResult
    specs: list[_Spec]
    shown: pl.DataFrame
    pos: pl.Series


def _parts(
    ev: Evaluation, lang: str, forms: frozenset[str] = _BOTH, top_only: bool = False
) -> Iterator[list[_Part]]:
    """Per block, each rule's part; `top_only` leaves out nested criteria (result rows show only the
    top-level ones)."""
    grades = ev.policy.scales  # grade scales and ordered choices of attributes
    specs = [[s for s in _specs(r, lang) if s.depth == 0 or not top_only] for r in ev.results]
    for block in _blocks(ev):
        kept = [(i, f) for i, f in enumerate(block) if f.height]
        if not kept:
            continue
        keys = pl.concat([f.select(ID, pl.lit(i, dtype=pl.Int32).alias("_rule")) for i, f in kept])
        # The position of each row once sorted: the inverse of the sorting permutation.
        pos = keys.select(pl.arg_sort_by(ID, "_rule", maintain_order=True)).to_series().arg_sort()
        out, start = [], 0
        for i, f in kept:
            r = ev.results[i]
            shown = _shown(f, specs[i], grades, forms)
            out.append(_Part(i, r, specs[i], shown, pos.slice(start, f.height).alias("_pos")))
            start += f.height
        yield out


def _rendered(
    ev: Evaluation,
    lang: str,
    render: Callable[[_Part], list[pl.Expr]],
    forms: frozenset[str] = _BOTH,
    top_only: bool = False,
) -> Iterator[pl.DataFrame]:
    """Per block of employees: the columns `render` gives for each rule, one row per result, in the
    order of the results (employees in id order, rules in policy order)."""
    for parts in _parts(ev, lang, forms, top_only):
        frames = [p.shown.select(ID, *render(p)).with_columns(p.pos) for p in parts]
        yield pl.concat(frames, how="vertical").sort("_pos").drop("_pos")


def _write_lines(column: pl.Series, out: IO[bytes]) -> None:
    """The texts of a column one after the other, as they are (a CSV of one unquoted column)."""
    column.to_frame().write_csv(out, include_header=False, quote_style="never", line_terminator="")


def write_json(ev: Evaluation, out: IO[bytes], lang: str = "zh") -> None:
    """The evaluate contract, as json.dumps(to_json_obj(ev), ensure_ascii=False, indent=2) + newline."""
    head = {
        "policy": ev.policy.id,
        "policy_version": ev.policy.version,
        "as_of": ev.as_of.isoformat(),
        "warnings": list(ev.warnings),
    }
    start = json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "results": ['
    out.write(start.encode())
    first = True
    for part in _rendered(
        ev,
        lang,
        lambda p: [_concat(_emit(_result_tree(p.result, p.specs, lang), 2, 2)).alias("j")],
        frozenset({JSON}),
    ):
        # Each result preceded by its separator: the first of all by a line break only.
        sep = (
            pl.when(pl.int_range(pl.len()) == 0)
            .then(pl.lit("\n    " if first else ",\n    "))
            .otherwise(pl.lit(",\n    "))
        )
        _write_lines(part.select(pl.concat_str(sep, pl.col("j"))).to_series(), out)
        first = False
    out.write(("]\n}\n" if first else "\n  ]\n}\n").encode())


def json_report(ev: Evaluation, lang: str = "zh") -> str:
    buf = io.BytesIO()
    write_json(ev, buf, lang)
    return buf.getvalue().decode()


def to_json_obj(ev: Evaluation, lang: str = "zh") -> dict[str, Any]:
    """The evaluate contract as Python objects (for tests and callers that want to look inside)."""
    obj: dict[str, Any] = json.loads(json_report(ev, lang))
    return obj


# -- CSV and XLSX: one row per employee, rule and criterion -------------------------------------------


def _names_frame(names: dict[str, str] | pl.DataFrame) -> pl.DataFrame:
    if isinstance(names, pl.DataFrame):
        frame = names.select(pl.col(ID).cast(pl.String), pl.col("name").cast(pl.String))
    else:
        frame = pl.DataFrame(
            {ID: list(names), "name": list(names.values())}, schema={ID: pl.String, "name": pl.String}
        )
    return frame.with_columns(_known=pl.lit(True)).unique(ID, keep="first", maintain_order=True)


_BASE = ("employee_id", "name", "kind", "rule", "track", "from_level", "to_level", "eligible")


def _long_parts(ev: Evaluation, names: dict[str, str] | pl.DataFrame, lang: str) -> Iterator[pl.DataFrame]:
    known = _names_frame(names)
    for parts in _parts(ev, lang, frozenset({CELLS})):
        frames = []
        for p in parts:
            # A name the data set does not have is empty text, as a missing key of a names dict was.
            base = p.shown.join(known, on=ID, how="left", maintain_order="left").select(
                ID,
                pl.when(pl.col("_known")).then(pl.col("name")).otherwise(pl.lit("")).alias("name"),
                pl.lit(p.result.rule.kind, dtype=pl.String).alias("kind"),
                pl.lit(p.result.rule.id, dtype=pl.String).alias("rule"),
                *_LEVELS,
                "eligible",
                *(c for s in p.specs for c in (f"{s.n}|pt", f"{s.n}|at", f"{s.n}|rt")),
                p.pos,
            )
            frames += [
                base.select(
                    *_BASE,
                    pl.lit(s.path, dtype=pl.String).alias("criterion"),
                    pl.lit(s.label, dtype=pl.String).alias("label"),
                    pl.col(f"{s.n}|pt").alias("passed"),
                    pl.col(f"{s.n}|at").alias("actual"),
                    pl.col(f"{s.n}|rt").alias("required"),
                    "_pos",
                )
                for s in p.specs
            ]
        if frames:
            # Stable: a result's criteria stay in policy order (the order the frames were put together).
            yield pl.concat(frames).sort("_pos", maintain_order=True).drop("_pos")


def long_rows(ev: Evaluation, names: dict[str, str] | pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    """One row per employee, rule and criterion (nested criteria as dotted paths): for CSV and XLSX."""
    parts = list(_long_parts(ev, names, lang))
    schema = {c: pl.Boolean if c in ("eligible", "passed") else pl.String for c in LONG_COLUMNS}
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


# -- CSV and XLSX: one row per employee and rule ---------------------------------------------------------

RESULT_COLUMNS = (*_BASE, "criteria_met", "criteria_total", "explanation")


def _explanation(specs: list[_Spec], kind: str, lang: str) -> pl.Expr:
    """What a result comes down to, as the table and the result rows say it: for a rule that gates
    (promotion, reserve entry) its top-level criteria not met, for one that triggers (demotion, warning,
    …) those met; each as `label (actual / required)`, joined by "; ", and null when there are none."""
    want = not RULE_KINDS[kind].gates
    no_data = "no data" if lang.startswith("en") else "无数据"

    def said(s: _Spec) -> pl.Expr:
        actual = pl.col(f"{s.n}|at").fill_null(no_data)
        if s.required is _PER_ROW:
            pieces = [pl.lit(" / "), pl.col(f"{s.n}|rt").fill_null("None"), pl.lit(")")]
        else:  # the same for everyone: one literal, not a column of copies
            required = text.cell_text(s.required)
            pieces = [pl.lit(f" / {'None' if required is None else required})")]
        return pl.when(pl.col(f"{s.n}|pt") == want).then(
            pl.concat_str(pl.lit(f"{s.label} ("), actual, *pieces)
        )

    parts = [said(s) for s in specs if s.depth == 0]
    if not parts:
        return pl.lit(None, dtype=pl.String)
    joined = pl.concat_str(parts, separator="; ", ignore_nulls=True)
    return pl.when(joined == "").then(None).otherwise(joined)


def _result_parts(ev: Evaluation, names: dict[str, str] | pl.DataFrame, lang: str) -> Iterator[pl.DataFrame]:
    known = _names_frame(names)

    def render(p: _Part) -> list[pl.Expr]:
        top = [pl.col(f"{s.n}|pt") for s in p.specs if s.depth == 0]
        return [
            pl.lit(p.result.rule.kind, dtype=pl.String).alias("kind"),
            pl.lit(p.result.rule.id, dtype=pl.String).alias("rule"),
            *(pl.col(k) for k in _LEVELS),
            pl.col("eligible"),
            (pl.sum_horizontal(top) if top else pl.lit(0)).cast(pl.Int64).alias("criteria_met"),
            pl.lit(len(top), dtype=pl.Int64).alias("criteria_total"),
            _explanation(p.specs, p.result.rule.kind, lang).alias("explanation"),
        ]

    for part in _rendered(ev, lang, render, frozenset({CELLS}), top_only=True):
        yield part.join(known, on=ID, how="left", maintain_order="left").select(
            ID,
            pl.when(pl.col("_known")).then(pl.col("name")).otherwise(pl.lit("")).alias("name"),
            *RESULT_COLUMNS[2:],
        )


def result_rows(ev: Evaluation, names: dict[str, str] | pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    """One row per employee and rule: the result, how many of its top-level criteria were met, and the
    explanation (what is missing, or what triggered it). What a manager opens in Excel: a 100,000-person
    run is ~200,000 rows, where one row per criterion would pass Excel's limit of 1,048,576."""
    parts = list(_result_parts(ev, names, lang))
    if parts:
        return pl.concat(parts)
    types = {"eligible": pl.Boolean, "criteria_met": pl.Int64, "criteria_total": pl.Int64}
    return pl.DataFrame(schema={c: types.get(c, pl.String) for c in RESULT_COLUMNS})


ROWS = ("result", "criterion")  # one row per result (the default) or per criterion


def write_csv(
    ev: Evaluation,
    names: dict[str, str] | pl.DataFrame,
    out: IO[bytes],
    lang: str = "zh",
    rows: str = "result",
) -> None:
    """result_rows(...) (or long_rows(...) with rows="criterion") as CSV, written a block of employees at
    a time; text Excel could take as a formula (a required value "= 1") is marked as text
    (rungs.core.interchange.spreadsheet)."""
    parts, whole = (_result_parts, result_rows) if rows == "result" else (_long_parts, long_rows)
    first = True
    for part in parts(ev, names, lang):
        csv_safe(part).write_csv(out, include_header=first)
        first = False
    if first:
        whole(ev, names, lang).write_csv(out)


# -- stored decisions ---------------------------------------------------------------------------------


def decision_parts(
    ev: Evaluation, lang: str = "zh", extra: Callable[[RuleResult], list[pl.Expr]] | None = None
) -> Iterator[pl.DataFrame]:
    """Per block of employees, one row per result: employee_id, rule, kind, track, from_level,
    to_level, eligible, passed and total (top-level criteria met, and their number), criteria (the
    result's criteria as compact JSON, as json.dumps(criteria, ensure_ascii=False)), and the columns
    `extra` computes from the rule's result frame (its expressions see the frame's own columns too)."""
    extras = {id(r): (extra(r) if extra else []) for r in ev.results}

    def render(p: _Part) -> list[pl.Expr]:
        r, specs = p.result, p.specs
        top = [pl.col(f"{s.n}|pt") for s in specs if s.depth == 0]
        return [
            pl.lit(r.rule.id, dtype=pl.String).alias("rule"),
            pl.lit(r.rule.kind, dtype=pl.String).alias("kind"),
            *(pl.col(k) for k in _LEVELS),
            pl.col("eligible"),
            (pl.sum_horizontal(top) if top else pl.lit(0)).cast(pl.Int64).alias("passed"),
            pl.lit(len(top), dtype=pl.Int64).alias("total"),
            _concat(_emit(_criteria_tree(specs), 0, None)).alias("criteria"),
            *extras[id(r)],
        ]

    yield from _rendered(ev, lang, render)


# -- the terminal table ----------------------------------------------------------------------------


def width(s: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, w: int) -> str:
    return s + " " * (w - width(s))


def _widths(s: pl.Series) -> pl.Series:
    """width() of each text: its length when ASCII, otherwise counted once per distinct text."""
    lengths = s.str.len_chars().cast(pl.Int64)
    wide = s.filter(~s.str.contains(r"^[\x00-\x7f]*$")).unique().to_list()
    if not wide:
        return lengths
    w = s.replace_strict({v: width(v) for v in wide}, default=None, return_dtype=pl.Int64)
    return w.fill_null(lengths)


def table(ev: Evaluation, names: dict[str, str] | pl.DataFrame, lang: str = "zh") -> str:
    """Per rule: a title line, then one aligned row per employee, eligible first, with what is missing."""
    zh = not lang.startswith("en")
    head = (
        ("工号", "姓名", "结果", "未满足的条件（实际 / 要求）")
        if zh
        else ("ID", "Name", "Result", "Criteria not met (actual / required)")
    )
    lines = [
        f"{ev.policy.label.get(lang)}  ({ev.policy.id} {ev.policy.version})  "
        f"{'评估日期' if zh else 'as of'} {ev.as_of.isoformat()}"
    ]
    lines += [f"! {w}" for w in ev.warnings]
    known = _names_frame(names)
    grades = ev.policy.scales
    for result in ev.results:
        rule, specs = result.rule, _specs(result, lang)
        promo = RULE_KINDS[rule.kind].gates  # eligible or not: list what is missing
        verdict = (RULE_KINDS[rule.kind].verdict(True, lang), RULE_KINDS[rule.kind].verdict(False, lang))
        shown = _shown(_sorted(result.frame), specs, grades)
        explain = _explanation(specs, rule.kind, lang).fill_null("—")
        body = (
            shown.join(known, on=ID, how="left", maintain_order="left")
            .select(
                ID,
                pl.when(pl.col("_known"))
                .then(pl.col("name").fill_null("None"))
                .otherwise(pl.lit(""))
                .alias("name"),
                pl.when("eligible").then(pl.lit(verdict[0])).otherwise(pl.lit(verdict[1])).alias("v"),
                explain.alias("x"),
                pl.col("eligible"),
            )
            .sort("eligible", descending=True, maintain_order=True)
        )
        hits = int(body.get_column("eligible").sum())
        lines += [
            "",
            f"【{kind_label(rule.kind, lang)}】{rule.label.get(lang)}  — {verdict[0]} {hits} / {body.height}",
        ]
        last = (
            head[3]
            if promo
            else ("触发的条件（实际 / 要求）" if zh else "Conditions met (actual / required)")
        )
        cols = [ID, "name", "v"]
        ws = [_widths(body.get_column(c)) for c in cols]
        # the widths are Int64: their max is an int (None when there are no rows)
        widths = [
            max(width(h), int(cast(int | None, w.max()) or 0)) for h, w in zip(head[:3], ws, strict=True)
        ]
        lines.append("  ".join(pad(h, w) for h, w in zip(head[:3], widths, strict=True)) + "  " + last)
        if body.height:
            padded = [
                pl.concat_str(pl.col(c), pl.lit(" " * w).str.slice(0, w - pl.col(f"_w{i}")))
                for i, (c, w) in enumerate(zip(cols, widths, strict=True))
            ]
            row = pl.concat_str([*padded, pl.col("x")], separator="  ")
            body = body.with_columns(w.alias(f"_w{i}") for i, w in enumerate(ws))
            lines += body.select(row.alias("line")).get_column("line").to_list()
    return "\n".join(lines) + "\n"
