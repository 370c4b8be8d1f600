"""Evaluation results for people and programs: the JSON contract, a terminal table, CSV and XLSX.

JSON follows INTERCHANGE.md ("the evaluate contract"); it adds `rule`, `label` and `policy_version`
to each result, and `warnings` at the top level. A composite criterion (all/any/not) carries its
children in `criteria`; its actual is the number of children passed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import polars as pl

from rungs.core.engine.compare import displayable
from rungs.core.engine.evaluate import CriterionMeta, Evaluation, RuleResult
from rungs.core.policy import model as m

SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "!=": "≠"}
KIND_LABELS = {
    "promotion": ("晋升", "promotion"),
    "demotion": ("降级", "demotion"),
    "warning": ("预警", "warning"),
    "unqualified_leader": ("不合格领导者", "unqualified leader"),
    "acting_conversion": ("代理转正", "acting conversion"),
    "pay_step": ("晋级", "pay step"),
}


def kind_label(kind: str, lang: str = "zh") -> str:
    """晋升 / promotion, 降级 / demotion, …; an unknown kind is shown as it is."""
    return KIND_LABELS.get(kind, (kind, kind))[1 if lang.startswith("en") else 0]


def _required(meta: CriterionMeta, row: dict[str, Any], grades: dict[str, tuple[str, ...]]) -> Any:
    c = meta.criterion
    if c.compare is None:
        n = len(c.block.children) if isinstance(c.block, m.AllOf | m.AnyOf) else 1
        return {m.AllOf: f"{n} of {n}", m.AnyOf: f"≥ 1 of {n}", m.NotOf: "0 of 1"}[type(c.block)]
    op, value = c.compare.op, c.compare.value
    if op == "in":
        return list(value)
    # A literal is shown as written; a value by cases is the one that applied to this employee.
    shown = displayable(row[f"{meta.path}|r"], c.value_kind, grades) if isinstance(value, m.Cases) else value
    return shown if op == ">=" else f"{SYMBOLS[op]} {shown}"


def criterion_dicts(
    result: RuleResult, row: dict[str, Any], grades: dict[str, tuple[str, ...]], lang: str = "zh"
) -> list[dict[str, Any]]:
    """The criteria of one result row, nested as in the policy."""
    out: list[dict[str, Any]] = []
    stack: list[tuple[int, list[dict[str, Any]]]] = [(-1, out)]
    for meta in result.criteria:
        while stack[-1][0] >= meta.depth:
            stack.pop()
        kind = "number" if meta.composite else meta.criterion.value_kind
        item = {
            "id": meta.criterion.id,
            "label": meta.criterion.label.get(lang),
            "passed": bool(row[f"{meta.path}|p"]),
            "actual": displayable(row[f"{meta.path}|a"], kind, grades),
            "required": _required(meta, row, grades),
        }
        stack[-1][1].append(item)
        if meta.composite:
            item["criteria"] = []
            stack.append((meta.depth, item["criteria"]))
    return out


def result_dicts(ev: Evaluation, lang: str = "zh") -> Iterator[dict[str, Any]]:
    """One dict per employee and rule, employees in id order, rules in policy order."""
    grades = ev.policy.grades
    per_rule = [(r, r.frame.to_dicts()) for r in ev.results]
    rows = [(row["employee_id"], i, r, row) for i, (r, rs) in enumerate(per_rule) for row in rs]
    rows.sort(key=lambda t: (t[0], t[1]))
    for _, _, r, row in rows:
        yield {
            "employee_id": row["employee_id"],
            "kind": r.rule.kind,
            "rule": r.rule.id,
            "label": r.rule.label.get(lang),
            "track": row["track"],
            "from_level": row["from_level"],
            "to_level": row["to_level"],
            "eligible": bool(row["eligible"]),
            "criteria": criterion_dicts(r, row, grades, lang),
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


def _flatten(criteria: list[dict[str, Any]], prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for c in criteria:
        path = f"{prefix}{c['id']}"
        yield path, c
        yield from _flatten(c.get("criteria", []), path + ".")


def _text(v: Any) -> str | None:
    if v is None:
        return None
    return ", ".join(map(str, v)) if isinstance(v, list) else str(v)


# -- the terminal table ----------------------------------------------------------------------------


def width(s: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
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
        promo = rule.kind == "promotion"
        verdict = (
            (("符合", "不符合") if promo else ("触发", "未触发"))
            if zh
            else (("eligible", "not yet") if promo else ("triggered", "no"))
        )
        hits = sum(r["eligible"] for r in rows)
        lines += ["", f"【{kind}】{rule.label.get(lang)}  — {verdict[0]} {hits} / {len(rows)}"]
        # Promotions list what is still missing; other rules list what triggered them.
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
