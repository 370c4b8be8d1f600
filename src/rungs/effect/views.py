"""The effect page: pick a reward plan of a stored policy version and the month it took force; see, per
KPI, the four means, the difference in differences with its interval and p-value, the cost per point, a
chart of both groups month by month, one sentence saying what it means, and the caveats in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rungs.accounts.authority import requires
from rungs.core.effect import DEFAULT_WINDOW, Caveat, EffectReport, KpiEffect, parse_month
from rungs.core.effect_report import p_text, points_text, value_text
from rungs.core.periods import month_label
from rungs.effect import export
from rungs.effect.charts import before_after_chart
from rungs.effect.selectors import PlanChoice, effect_of, latest_study, plan_choices
from rungs.effect.services import effect_request
from rungs.people import size


@dataclass(frozen=True)
class KpiView:
    effect: KpiEffect
    label: str
    cells: list[str]  # before/after covered, before/after others
    did: str
    ci: str
    p: str
    cost_per_point: str
    reading: str
    chart: SafeString


def _lang() -> str:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def _points(v: float, k: KpiEffect) -> str:
    """An improvement in points as a reader says it: 2.82 分 / 0.20 个百分点."""
    if k.fraction:
        return _("%(v)s 个百分点") % {"v": f"{abs(v) * 100:.2f}"}
    return _("%(v)s 分") % {"v": f"{abs(v):.2f}"}


def reading(k: KpiEffect, label: str) -> str:
    """One sentence that says what the numbers mean."""
    if k.did is None:
        return _("%(kpi)s：数据不足，无法比较。") % {"kpi": label}
    sign = -1 if k.lower_is_better else 1
    imp, lo, hi = sign * k.did.estimate, sign * k.did.ci_low, sign * k.did.ci_high
    lo, hi = min(lo, hi), max(lo, hi)
    interval = {"lo": points_text(lo, k.fraction, _lang()), "hi": points_text(hi, k.fraction, _lang())}
    if not k.did.significant:
        return _(
            "看不出方案对%(kpi)s有明确的影响：两组变化之差为 %(x)s，95%% 置信区间 %(lo)s 到 %(hi)s 包含 0。"
        ) % {"kpi": label, "x": points_text(imp, k.fraction, _lang()), **interval}
    if imp > 0:
        text = _(
            "方案实施后，覆盖的人的%(kpi)s比未覆盖的人多改善了 %(x)s（有 95%% 的把握在 %(lo)s 到 %(hi)s 之间）。"
        ) % {"kpi": label, "x": _points(imp, k), **interval}
        if k.cost_per_point is not None:
            unit = _("个百分点") if k.fraction else _("分")
            text += _("每多改善 1 %(unit)s约花费 %(cost)s 元。") % {
                "unit": unit,
                "cost": f"{k.cost_per_point:,.2f}",
            }
        return text
    return _(
        "方案实施后，覆盖的人的%(kpi)s反而比未覆盖的人差了 %(x)s（有 95%% 的把握在 %(lo)s 到 %(hi)s 之间）。"
    ) % {"kpi": label, "x": _points(imp, k), **interval}


def caveat_text(c: Caveat, labels: dict[str, str]) -> str:
    """A caveat in the reader's language (the core's codes and numbers, worded here for gettext)."""
    p, kpi = c.params, labels.get(c.metric or "", c.metric or "")
    if c.code == "small_group":
        group = _("方案覆盖的人") if p["group"] == "covered" else _("未覆盖的人")
        return _(
            "%(group)s只有 %(n)s 人（少于 %(min)s 人）：个别人的好坏就能明显改变平均值，结论要谨慎。"
        ) % {
            "group": group,
            "n": p["n"],
            "min": p["min"],
        }
    if c.code == "short_before":
        return _("实施前只有 %(n)s 个月的数据（少于 %(min)s 个月）：一个月的起伏就可能被当成效果。") % p
    if c.code == "short_after":
        return _("实施后只有 %(n)s 个月的数据（少于 %(min)s 个月）：一个月的起伏就可能被当成效果。") % p
    if c.code == "other_change":
        return _("同一时期还有其他变化：%(label)s（%(month)s 起）。看到的差异可能部分来自它。") % p
    if c.code == "since_differs":
        return _("方案的生效日期是 %(effective_from)s，这里按 %(since)s 起计算。") % p
    if c.code == "left_out":
        return _("%(n)s 人在方案实施后才进入方案覆盖的职级，不计入任何一组。") % p
    if c.code == "no_cost":
        return _("没有成本数据，无法计算每提高 1 分的花费。")
    if c.code == "no_data":
        return _("%(kpi)s：两组在实施前后都要有数据才能比较，这里缺少，无法估计。") % {"kpi": kpi}
    if c.code == "pre_trend":
        return _(
            "%(kpi)s：方案实施之前两组的走势就已经不同（实施前的安慰剂检验 p = %(p)s），差异不一定是方案带来的。"
        ) % {"kpi": kpi, "p": f"{p['p']:.3f}"}
    if c.code == "not_significant":
        return _("%(kpi)s：95%% 置信区间包含 0，差异可能只是偶然波动，因此不计算每提高 1 分的花费。") % {
            "kpi": kpi
        }
    if c.code == "no_improvement":
        return _("%(kpi)s：没有改善，反而变差，不计算每提高 1 分的花费。") % {"kpi": kpi}
    return c.text(_lang())


def _kpi_view(k: KpiEffect, report: EffectReport) -> KpiView:
    lang, f = _lang(), k.fraction
    label = k.label.get(lang)
    did = ci = p = "—"
    if k.did is not None:
        did = points_text(k.did.estimate, f, lang)
        ci = f"{points_text(k.did.ci_low, f, lang)} ~ {points_text(k.did.ci_high, f, lang)}"
        p = p_text(k.did.p_value)
    chart = before_after_chart(
        k.months,
        report.since,
        title=_("%(kpi)s：每月平均值，覆盖的人与未覆盖的人") % {"kpi": label},
        fraction=f,
        covered_label=_("覆盖的人"),
        uncovered_label=_("未覆盖的人"),
        start_label=_("方案生效 %(month)s") % {"month": report.since},
    )
    return KpiView(
        k,
        label,
        [
            value_text(v, f)
            for v in (k.before_covered, k.after_covered, k.before_uncovered, k.after_uncovered)
        ],
        did,
        ci,
        p,
        f"{k.cost_per_point:,.2f}" if k.cost_per_point is not None else "—",
        reading(k, label),
        chart,
    )


def _money(v: Decimal | None) -> str:
    return f"{v:,.2f}" if v is not None else "—"


def _chosen(request, params) -> tuple[list[PlanChoice], PlanChoice | None, str]:
    choices = plan_choices(request.user)
    by_value = {c.value: c for c in choices}
    chosen: PlanChoice | None = by_value.get(params.get("plan", "")) or (choices[0] if choices else None)
    return choices, chosen, params.get("since") or (chosen.default_since if chosen else "")


def _download(report: EffectReport, caveats: list[str], kind: str) -> HttpResponse:
    name = f"effect-{report.plan}-{report.since}.{kind}"
    if kind == "csv":
        response = HttpResponse(export.effect_csv(report), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export.effect_xlsx(report, caveats),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@requires("reward.effect")
def index(request):
    choices, chosen, since_text = _chosen(request, request.GET)
    error, report, kpis, caveats, study = None, None, [], [], None
    # A large company's study runs in the worker and is kept; a small one's is computed here and now.
    background = not size.small_enough()
    if chosen is not None and since_text:
        try:
            since = parse_month(since_text)
        except ValueError:
            error = _("起始月份应写作 YYYY-MM，例如 2026-07。")
        else:
            since_text = month_label(since)
            if not background:
                report = effect_of(request.user, chosen, since, DEFAULT_WINDOW)
            else:
                study = latest_study(request.user, chosen, since_text)
                report = study.result if study is not None and study.done else None
    if report is not None:
        labels = {k.metric: k.label.get(_lang()) for k in report.kpis}
        caveats = [caveat_text(c, labels) for c in report.caveats]
        wanted = request.GET.get("format")
        if wanted in ("xlsx", "csv"):
            return _download(report, caveats, wanted)
        kpis = [_kpi_view(k, report) for k in report.kpis]
    return render(
        request,
        "effect/index.html",
        {
            "choices": choices,
            "chosen": chosen,
            "since": since_text,
            "error": error,
            "report": report,
            "kpis": kpis,
            "caveats": caveats,
            "cost": _money(report.cost) if report else "—",
            "window": DEFAULT_WINDOW,
            "background": background and chosen is not None and not error,
            "study": study,
            "limit": size.RUN_NOW_LIMIT,
        },
    )


@login_required
@require_POST
@requires("reward.effect")
def study(request):
    """Queues a study for the worker and goes back to the page, which shows it when it is done."""
    _, chosen, since_text = _chosen(request, request.POST)
    try:
        since = month_label(parse_month(since_text))
    except ValueError:
        return redirect("effect:index")
    if chosen is not None:
        effect_request(actor=request.user, choice=chosen, since=since, window=DEFAULT_WINDOW)
    query = urlencode({"plan": chosen.value if chosen else "", "since": since})
    return redirect(f"{reverse('effect:index')}?{query}")
