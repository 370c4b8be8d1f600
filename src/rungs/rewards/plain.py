"""A reward plan in plain words (公开透明): who it covers, what earns what, the caps and the budget, in
the page's language (Chinese first), read from the parsed policy so the page says exactly what runs."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rungs.core.policy import model as m
from rungs.core.rewards.money import decimal_text, percent_text
from rungs.core.rewards.run import OPS, metric_label
from rungs.core.vocabulary import METRIC_WORDS

CYCLE_WORDS = {"M": "每月", "Q": "每季度", "H": "每半年", "Y": "每年"}


def _lang() -> str:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def _yuan(v: Decimal) -> str:
    return _("%(v)s 元") % {"v": f"{v:,.2f}"}


def _level_names(policy: m.Policy, track: str, levels) -> str:
    t = policy.tracks.get(track)
    names = {lv.id: lv.label.get(_lang()) for lv in t.levels} if t else {}
    return "、".join(names.get(x, x) for x in levels)


def _measure(of: m.Measure) -> str:
    name = metric_label(of.metric, _lang())
    if of.within == "department":
        return _("本部门%(m)s合计") % {"m": name}
    if of.within == "team":
        return _("本班组%(m)s合计") % {"m": name}
    return _("本人%(m)s") % {"m": name}


def _threshold(k: m.KpiThreshold) -> str:
    word = METRIC_WORDS.get(k.of.metric)
    value = percent_text(k.value) if word is not None and word.fraction else decimal_text(k.value)
    return f"{metric_label(k.of.metric, _lang())} {OPS.get(k.op, k.op)} {value}"


def _when(policy: m.Policy, plan: m.RewardPlan, w: m.When) -> str:
    parts = []
    if w.levels:
        parts.append(_level_names(policy, plan.track, w.levels))
    if w.month_in_level is not None:
        op = OPS.get(w.month_in_level.op, w.month_in_level.op)
        n = w.month_in_level.value
        parts.append(
            _("任现职第 %(n)s 个月") % {"n": n}
            if op == "="
            else _("任现职月数 %(op)s %(n)s") % {"op": op, "n": n}
        )
    parts += [c.label.get(_lang()) for c in w.criteria]
    return "，".join(parts)


def component_words(policy: m.Policy, plan: m.RewardPlan, c: m.Component) -> list[str]:
    """One sentence per rate or tier of a component."""
    out = []
    cond = _when(policy, plan, c.when)
    head = _("（%(w)s）") % {"w": cond} if cond else ""
    if isinstance(c.calc, m.Share):
        for r in c.calc.rates:
            w = r.label.get(_lang()) or _when(policy, plan, r.when)
            if not w and len(c.calc.rates) > 1:
                w = _("其他情况")
            text = _("%(of)s × %(rate)s") % {"of": _measure(c.calc.of), "rate": percent_text(r.rate)}
            out.append(f"{w}：{text}" if w else text)
    elif isinstance(c.calc, m.Tiers):
        for t in c.calc.tiers:
            out.append(
                _("%(tier)s：%(kpis)s → %(amount)s")
                % {
                    "tier": t.label.get(_lang()),
                    "kpis": _(" 且 ").join(_threshold(k) for k in t.kpis),
                    "amount": _yuan(t.amount),
                }
            )
        out.append(_("按顺序取第一个达到的档位；都未达到则没有这项奖金。"))
    elif isinstance(c.calc, m.Fixed):
        if c.calc.amount < 0:
            out.append(_("扣减 %(a)s") % {"a": _yuan(-c.calc.amount)})
        else:
            out.append(_("固定 %(a)s") % {"a": _yuan(c.calc.amount)})
    if c.cap is not None:
        out.append(_("每人每周期最多 %(a)s。") % {"a": _yuan(c.cap)})
    return [head + out[0], *out[1:]] if out else out


def plan_words(policy: m.Policy, plan: m.RewardPlan) -> dict:
    """The plan for the published page: title, who, when, the components' sentences, caps, budget."""
    who = _("%(cycle)s核算；适用于%(levels)s") % {
        "cycle": CYCLE_WORDS.get(plan.cycle, plan.cycle),
        "levels": _level_names(policy, plan.track, plan.levels),
    }
    rules = []
    if plan.eligibility:
        joiner = _("，并且") if plan.match == "all" else _("，或者")
        rules.append(_("条件：") + joiner.join(c.label.get(_lang()) for c in plan.eligibility))
    if plan.cap is not None:
        rules.append(_("每人每周期合计最多 %(a)s。") % {"a": _yuan(plan.cap)})
    if plan.budget is not None:
        per = _("每个部门") if plan.budget.per == "department" else _("全公司")
        rules.append(_("预算：%(per)s每周期 %(a)s。") % {"per": per, "a": _yuan(plan.budget.amount)})
    if plan.effective_from is not None:
        rules.append(_("自 %(d)s 起执行。") % {"d": plan.effective_from.isoformat()})
    return {
        "id": plan.id,
        "label": plan.label.get(_lang()),
        "who": who,
        "rules": rules,
        "components": [
            {"label": c.label.get(_lang()), "words": component_words(policy, plan, c)}
            for c in plan.components
        ],
        "note": plan.note,
    }
