"""The effect table as a file a manager can work on (.xlsx, CSV): one row per KPI with the page's columns,
every figure a number. A rate kept as 0–1 is written as a percentage (its means in %, its difference in
percentage points), as the page shows it, and the 单位 column says which; a figure that could not be
estimated is an empty cell, not a dash."""

from __future__ import annotations

import polars as pl
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rungs.core.effect import EffectReport, KpiEffect
from rungs.core.interchange.spreadsheet import csv_safe, workbook_bytes


def _lang() -> str:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def _scaled(v: float | None, k: KpiEffect, places: int = 2) -> float | None:
    """A mean or a difference as the page shows it (×100 for a rate), rounded as it is shown there."""
    if v is None or v != v:  # None or NaN: nothing to show
        return None
    return round(v * 100 if k.fraction else v, places)


def effect_frame(report: EffectReport) -> pl.DataFrame:
    cols = {
        "kpi": _("指标"),
        "unit": _("单位"),
        "cn": _("覆盖人数"),
        "un": _("未覆盖人数"),
        "bc": _("覆盖的人·实施前"),
        "ac": _("覆盖的人·实施后"),
        "bu": _("未覆盖的人·实施前"),
        "au": _("未覆盖的人·实施后"),
        "did": _("差异中的差异"),
        "lo": _("95% 置信区间下限"),
        "hi": _("95% 置信区间上限"),
        "p": _("p 值"),
        "cost": _("每提高 1 分花费（元）"),
    }
    rows = []
    for k in report.kpis:
        d = k.did
        rows.append(
            {
                cols["kpi"]: k.label.get(_lang()),
                cols["unit"]: _("%（差异为百分点）") if k.fraction else _("分"),
                cols["cn"]: k.covered_n,
                cols["un"]: k.uncovered_n,
                cols["bc"]: _scaled(k.before_covered, k),
                cols["ac"]: _scaled(k.after_covered, k),
                cols["bu"]: _scaled(k.before_uncovered, k),
                cols["au"]: _scaled(k.after_uncovered, k),
                cols["did"]: _scaled(d.estimate, k) if d else None,
                cols["lo"]: _scaled(d.ci_low, k) if d else None,
                cols["hi"]: _scaled(d.ci_high, k) if d else None,
                # three significant digits: 0.000123 stays a number a reader can compare with 0.05
                cols["p"]: float(f"{d.p_value:.3g}") if d and d.p_value == d.p_value else None,
                cols["cost"]: float(k.cost_per_point) if k.cost_per_point is not None else None,
            }
        )
    schema = {name: pl.Float64 for name in cols.values()}
    schema.update(
        {cols["kpi"]: pl.String, cols["unit"]: pl.String, cols["cn"]: pl.Int64, cols["un"]: pl.Int64}
    )
    return pl.DataFrame(rows, schema={c: schema[c] for c in cols.values()}, orient="row")


def about_frame(report: EffectReport, caveats: list[str]) -> pl.DataFrame:
    """The second sheet: what was compared, the cost, and the caveats the page states."""
    items = [
        (_("奖励方案"), f"{report.plan_label.get(_lang())}（{report.plan}）"),
        (_("策略版本"), f"{report.policy}@{report.policy_version}"),
        (_("生效月份"), report.since),
        (_("覆盖人数"), str(report.covered)),
        (_("未覆盖人数"), str(report.uncovered)),
        (_("方案在实施后的花费（元）"), f"{report.cost:.2f}" if report.cost is not None else ""),
    ]
    items += [(_("读结果时请注意"), text) for text in caveats]
    return pl.DataFrame(items, schema=[_("项目"), _("内容")], orient="row")


def effect_xlsx(report: EffectReport, caveats: list[str]) -> bytes:
    return workbook_bytes(
        {_("效果评估"): effect_frame(report), _("说明"): about_frame(report, caveats)},
        numeric_text=[_("内容")],
    )


def effect_csv(report: EffectReport) -> bytes:
    """UTF-8 with a BOM, as the payroll: Excel on Chinese Windows opens it right."""
    return "\ufeff".encode() + csv_safe(effect_frame(report)).write_csv().encode()
