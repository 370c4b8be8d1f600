"""The reports as they were first written: one Python dict per employee and rule, one row at a time.

Deliberately simple and slow; kept as the reference the columnar builder (rungs.core.engine.report) is
pinned against in test_report_columns.py, on hand-made frames. Not used by the product.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from rungs.core.engine.compare import displayable
from rungs.core.engine.evaluate import CriterionMeta, Evaluation, RuleResult
from rungs.core.engine.report import SYMBOLS
from rungs.core.policy import model as m
from rungs.core.vocabulary import RULE_KINDS, kind_label


def json_text(ev: Evaluation, lang: str = "zh") -> str:
    return json.dumps(to_json_obj(ev, lang), ensure_ascii=False, indent=2) + "\n"


_PER_ROW = object()  # marks a required value that depends on the employee (a value by cases, or a list)


@dataclass(frozen=True)
class _Spec:
    """What one criterion's dict needs, worked out once per rule rather than once per employee."""

    id: str
    label: str | None
    depth: int
    composite: bool
    kind: str
    actual: str  # column names in the result frame
    passed: str
    required: Any  # shown as is, or _PER_ROW
    meta: CriterionMeta


def _specs(result: RuleResult, lang: str) -> list[_Spec]:
    out = []
    for meta in result.criteria:
        c = meta.criterion
        if c.compare is None:
            n = len(c.block.children) if isinstance(c.block, m.AllOf | m.AnyOf) else 1
            required: Any = {m.AllOf: f"{n} of {n}", m.AnyOf: f"≥ 1 of {n}", m.NotOf: "0 of 1"}[type(c.block)]
        elif c.compare.op == "in" or isinstance(c.compare.value, m.Cases):
            required = _PER_ROW
        else:
            op, value = c.compare.op, _plain(c.compare.value)
            required = value if op == ">=" else f"{SYMBOLS[op]} {value}"
        kind = "number" if meta.composite else c.value_kind
        path = meta.path
        out.append(
            _Spec(
                c.id,
                c.label.get(lang),
                meta.depth,
                meta.composite,
                kind,
                f"{path}|a",
                f"{path}|p",
                required,
                meta,
            )
        )
    return out


def _required(meta: CriterionMeta, row: dict[str, Any], grades: dict[str, tuple[str, ...]]) -> Any:
    """A required value that varies: a list (a fresh one per employee), or the case that applied."""
    c = meta.criterion
    assert c.compare is not None
    op, value = c.compare.op, c.compare.value
    if op == "in":
        return [_plain(v) for v in value]
    shown = displayable(row[f"{meta.path}|r"], c.value_kind, grades)
    return shown if op == ">=" else f"{SYMBOLS[op]} {shown}"


def _plain(value: Any) -> Any:
    """A required value as JSON shows it: a date as YYYY-MM-DD (attributes typed date)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def criterion_dicts(
    specs: list[_Spec], row: dict[str, Any], grades: dict[str, tuple[str, ...]]
) -> list[dict[str, Any]]:
    """The criteria of one result row, nested as in the policy."""
    out: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(-1, out)]
    for s in specs:
        while stack[-1][0] >= s.depth:
            stack.pop()
        item = {
            "id": s.id,
            "label": s.label,
            "passed": bool(row[s.passed]),
            "actual": displayable(row[s.actual], s.kind, grades),
            "required": _required(s.meta, row, grades) if s.required is _PER_ROW else s.required,
        }
        stack[-1][1].append(item)
        if s.composite:
            item["criteria"] = []
            stack.append((s.depth, item["criteria"]))
    return out


def result_dicts(ev: Evaluation, lang: str = "zh") -> Iterator[dict[str, Any]]:
    """One dict per employee and rule, employees in id order, rules in policy order."""
    grades = ev.policy.scales  # grade scales and ordered choices of attributes
    per_rule = [(r, _specs(r, lang), r.frame.to_dicts()) for r in ev.results]
    rows = [(row["employee_id"], i, r, specs, row) for i, (r, specs, rs) in enumerate(per_rule) for row in rs]
    rows.sort(key=lambda t: (t[0], t[1]))
    for _, _, r, specs, row in rows:
        yield {
            "employee_id": row["employee_id"],
            "kind": r.rule.kind,
            "rule": r.rule.id,
            "label": r.rule.label.get(lang),
            "track": row["track"],
            "from_level": row["from_level"],
            "to_level": row["to_level"],
            "eligible": bool(row["eligible"]),
            "criteria": criterion_dicts(specs, row, grades),
        }


def to_json_obj(ev: Evaluation, lang: str = "zh") -> dict[str, Any]:
    return {
        "policy": ev.policy.id,
        "policy_version": ev.policy.version,
        "as_of": ev.as_of.isoformat(),
        "warnings": list(ev.warnings),
        "results": list(result_dicts(ev, lang)),
    }


def long_rows(ev: Evaluation, names: dict[str, str], lang: str = "zh") -> pl.DataFrame:
    """One row per employee, rule and criterion (nested criteria as dotted paths): for CSV and XLSX."""
    records = []
    for res in result_dicts(ev, lang):
        base = {
            k: res[k] for k in ("employee_id", "kind", "rule", "track", "from_level", "to_level", "eligible")
        }
        base["name"] = names.get(res["employee_id"], "")
        for path, c in _flatten(res["criteria"], ""):
            records.append(
                {
                    **base,
                    "criterion": path,
                    "label": c["label"],
                    "passed": c["passed"],
                    "actual": _text(c["actual"]),
                    "required": _text(c["required"]),
                }
            )
    cols = [
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
    ]
    return pl.DataFrame(
        records, schema={c: pl.Boolean if c in ("eligible", "passed") else pl.String for c in cols}
    )


def result_rows(ev: Evaluation, names: dict[str, str], lang: str = "zh") -> pl.DataFrame:
    """One row per result: the top-level criteria met and the explanation the table gives (what is
    missing for a rule that gates, what triggered one that triggers), empty when there is none."""
    zh = not lang.startswith("en")
    rows = []
    for r in result_dicts(ev, lang):
        promo = RULE_KINDS[r["kind"]].gates
        explained = _explain(r["criteria"], zh, want_passed=not promo)
        rows.append(
            {
                "employee_id": r["employee_id"],
                "name": names.get(r["employee_id"], ""),
                **{k: r[k] for k in ("kind", "rule", "track", "from_level", "to_level", "eligible")},
                "criteria_met": sum(bool(c["passed"]) for c in r["criteria"]),
                "criteria_total": len(r["criteria"]),
                "explanation": None if explained == "—" else explained,
            }
        )
    schema = {
        "employee_id": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "rule": pl.String,
        "track": pl.String,
        "from_level": pl.String,
        "to_level": pl.String,
        "eligible": pl.Boolean,
        "criteria_met": pl.Int64,
        "criteria_total": pl.Int64,
        "explanation": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def _flatten(criteria: list[dict[str, Any]], prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for c in criteria:
        path = f"{prefix}{c['id']}"
        yield path, c
        yield from _flatten(c.get("criteria", []), path + ".")


def _text(v: Any) -> str | None:
    if v is None:
        return None
    return ", ".join(map(str, v)) if isinstance(v, list) else str(v)


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, w: int) -> str:
    return s + " " * (w - width(s))


def table(ev: Evaluation, names: dict[str, str], lang: str = "zh") -> str:
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
    by_rule: dict[str, list[dict[str, Any]]] = {r.rule.id: [] for r in ev.results}
    for res in result_dicts(ev, lang):
        by_rule[res["rule"]].append(res)
    for result in ev.results:
        rule, rows = result.rule, by_rule[result.rule.id]
        kind = kind_label(rule.kind, lang)
        promo = RULE_KINDS[rule.kind].gates  # eligible or not: list what is missing
        verdict = (RULE_KINDS[rule.kind].verdict(True, lang), RULE_KINDS[rule.kind].verdict(False, lang))
        hits = sum(r["eligible"] for r in rows)
        lines += ["", f"【{kind}】{rule.label.get(lang)}  — {verdict[0]} {hits} / {len(rows)}"]
        # Promotions and reserve entries list what is still missing; other rules what triggered them.
        body = [
            (
                r["employee_id"],
                names.get(r["employee_id"], ""),
                verdict[0] if r["eligible"] else verdict[1],
                _explain(r["criteria"], zh, want_passed=not promo),
            )
            for r in sorted(rows, key=lambda r: not r["eligible"])
        ]
        last = (
            head[3]
            if promo
            else ("触发的条件（实际 / 要求）" if zh else "Conditions met (actual / required)")
        )
        widths = [max(width(str(x[i])) for x in [head, *body]) for i in range(3)]
        lines.append("  ".join(pad(h, w) for h, w in zip(head[:3], widths, strict=False)) + "  " + last)
        lines += [
            "  ".join(pad(str(x), w) for x, w in zip(row[:3], widths, strict=False)) + "  " + row[3]
            for row in body
        ]
    return "\n".join(lines) + "\n"


def _explain(criteria: list[dict[str, Any]], zh: bool, want_passed: bool) -> str:
    parts = []
    for c in criteria:
        if c["passed"] == want_passed:
            actual = (
                "无数据" if zh and c["actual"] is None else "no data" if c["actual"] is None else c["actual"]
            )
            parts.append(f"{c['label']} ({actual} / {_text(c['required'])})")
    return "; ".join(parts) if parts else "—"
