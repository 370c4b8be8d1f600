"""The effect evaluation as JSON and as a table a manager reads (`rungs effect`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import IO, Any

from rungs.core.effect import EffectReport, Estimate, KpiEffect
from rungs.core.engine.report import pad, width

METHOD = {
    "zh": "差异中的差异：普通最小二乘回归（覆盖组、各月份、覆盖组×实施后），按员工聚类的稳健标准误（statsmodels）",
    "en": "difference in differences: OLS of value on covered, month dummies and covered × after, standard "
    "errors clustered by employee (statsmodels)",
}


def _num(v: float | None, digits: int = 6) -> float | None:
    return None if v is None else round(v, digits)


def _money(v: Decimal | None) -> str | None:
    return None if v is None else f"{v:.2f}"


def _estimate(e: Estimate | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "estimate": _num(e.estimate),
        "se": _num(e.se),
        "ci": [_num(e.ci_low), _num(e.ci_high)],
        "p_value": _num(e.p_value, 6),
        "observations": e.observations,
        "clusters": e.clusters,
    }


def to_json_obj(r: EffectReport, lang: str = "zh") -> dict[str, Any]:
    return {
        "policy": r.policy,
        "policy_version": r.policy_version,
        "plan": r.plan,
        "plan_label": r.plan_label.get(lang),
        "since": r.since,
        "before": list(r.before),
        "after": list(r.after),
        "covered": r.covered,
        "uncovered": r.uncovered,
        "left_out": r.left_out,
        "cost": _money(r.cost),
        "method": METHOD["en" if lang.startswith("en") else "zh"],
        "kpis": [
            {
                "metric": k.metric,
                "label": k.label.get(lang),
                "fraction": k.fraction,
                "lower_is_better": k.lower_is_better,
                "covered_n": k.covered_n,
                "uncovered_n": k.uncovered_n,
                "before_covered": _num(k.before_covered),
                "after_covered": _num(k.after_covered),
                "before_uncovered": _num(k.before_uncovered),
                "after_uncovered": _num(k.after_uncovered),
                "did": _estimate(k.did),
                "placebo": _estimate(k.placebo),
                "improvement_points": _num(k.improvement_points),
                "cost_per_point": _money(k.cost_per_point),
                "months": [
                    {"month": mm.month, "covered": _num(mm.covered), "uncovered": _num(mm.uncovered)}
                    for mm in k.months
                ],
            }
            for k in r.kpis
        ],
        "caveats": [{"code": c.code, "metric": c.metric, "text": c.text(lang)} for c in r.caveats],
    }


def write_json(r: EffectReport, out: IO[bytes], lang: str = "zh") -> None:
    out.write(json.dumps(to_json_obj(r, lang), ensure_ascii=False, indent=2).encode())
    out.write(b"\n")


def value_text(v: float | None, fraction: bool) -> str:
    """A KPI mean as people read it: 89.36, or 85.6% for a rate kept as 0–1."""
    if v is None:
        return "—"
    return f"{v * 100:.1f}%" if fraction else f"{v:.2f}"


def points_text(v: float | None, fraction: bool, lang: str = "zh") -> str:
    """A difference in points with its sign: +2.82, or +0.20 个百分点 / pp for a rate."""
    if v is None:
        return "—"
    if fraction:
        return f"{v * 100:+.2f}" + (" pp" if lang.startswith("en") else " 个百分点")
    return f"{v:+.2f}"


def p_text(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _row(k: KpiEffect, lang: str) -> list[str]:
    f = k.fraction
    did, ci, p = "—", "—", "—"
    if k.did is not None:
        did = points_text(k.did.estimate, f, lang)
        ci = f"[{points_text(k.did.ci_low, f, lang)}, {points_text(k.did.ci_high, f, lang)}]"
        p = p_text(k.did.p_value)
    return [
        k.label.get(lang),
        value_text(k.before_covered, f),
        value_text(k.after_covered, f),
        value_text(k.before_uncovered, f),
        value_text(k.after_uncovered, f),
        did,
        ci,
        p,
        _money(k.cost_per_point) or "—",
    ]


def table(r: EffectReport, lang: str = "zh") -> str:
    en = lang.startswith("en")

    def span(months: tuple[str, ...]) -> str:
        if not months:
            return "—"
        n = f"{len(months)} {'months' if en else '个月'}"
        return f"{months[0]}…{months[-1]} ({n})" if en else f"{months[0]}…{months[-1]}（{n}）"

    cost_en = f"{r.cost:.2f} yuan" if r.cost is not None else "not known"
    cost_zh = f"{r.cost:.2f} 元" if r.cost is not None else "未知"
    if en:
        out = [
            f"Effect of plan {r.plan} ({r.plan_label.en}) · {r.policy} {r.policy_version} · from {r.since}",
            f"before {span(r.before)}, after {span(r.after)}; covered {r.covered}, not covered {r.uncovered}; "
            f"cost {cost_en}",
        ]
        head = [
            "KPI",
            "covered before",
            "covered after",
            "others before",
            "others after",
            "DiD",
            "95% CI",
            "p",
            "cost per point",
        ]
    else:
        out = [
            f"方案效果评估 · {r.plan}（{r.plan_label.zh}）· {r.policy} {r.policy_version} · 自 {r.since} 起",
            f"实施前 {span(r.before)}，实施后 {span(r.after)}；覆盖 {r.covered} 人，未覆盖 {r.uncovered} 人；"
            f"成本 {cost_zh}",
        ]
        head = [
            "指标",
            "覆盖·实施前",
            "覆盖·实施后",
            "未覆盖·实施前",
            "未覆盖·实施后",
            "差异中的差异",
            "95% 置信区间",
            "p 值",
            "每提高 1 分花费（元）",
        ]
    out.append("")
    out += _grid(head, [_row(k, lang) for k in r.kpis], right={1, 2, 3, 4, 5, 7, 8})
    out += ["", ("method: " if en else "方法：") + METHOD["en" if en else "zh"]]
    if r.caveats:
        out += ["", "caveats:" if en else "注意："]
        out += [f"- {c.text(lang)}" for c in r.caveats]
    return "\n".join(out) + "\n"


def _grid(head: list[str], body: list[list[str]], right: set[int]) -> list[str]:
    widths = [max([width(h), *(width(row[i]) for row in body)]) for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            (" " * (widths[i] - width(c)) + c) if i in right else pad(c, widths[i])
            for i, c in enumerate(cells)
        ).rstrip()

    return [line(head), *(line(row) for row in body)]
