"""What the reward pages read: statements within the viewer's scope, the cycles on the ledger, and the
payroll of a cycle as one frame (工号, 姓名, 部门, 基本工资, one column per component, 合计)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation

import polars as pl
from django.db.models import Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rungs.accounts.authority import may
from rungs.accounts.scope import visible_employees
from rungs.core.interchange.spreadsheet import csv_safe, workbook_bytes
from rungs.people.models import Employee
from rungs.policies.models import Policy
from rungs.rewards.models import AWARDS, RewardLine

State = RewardLine.State
PAYABLE = (State.APPROVED, State.PAID)


def my_lines(user, cycle: str = ""):
    """The signed-in employee's own lines (newest cycle first), with their disputes."""
    if not user.employee_id:
        return RewardLine.objects.none()
    qs = RewardLine.objects.filter(employee_id=user.employee_id).exclude(state=State.DISCARDED)
    if cycle:
        qs = qs.filter(cycle=cycle)
    return (
        qs.select_related("employee", "policy")
        .prefetch_related("disputes")
        .order_by("-cycle", "plan", "component", "pk")
    )


def team_lines(user, cycle: str):
    """The lines of the people the user sees (a team lead their team, a supervisor their department)."""
    if not may(user, "reward.read"):
        return RewardLine.objects.none()
    return (
        RewardLine.objects.filter(cycle=cycle, employee__in=visible_employees(user))
        .exclude(state=State.DISCARDED)
        .select_related("employee", "policy")
        .order_by("employee__employee_id", "plan", "component", "pk")
    )


def points_balances(employees) -> dict[int, Decimal]:
    """Each employee's points balance (积分余额): the sum of their approved and paid points lines over every
    cycle, reversals included (a reversal is the negative line). Keyed by employee pk; someone without a
    counted points line is not in it. `employees` is a queryset or a list of pks."""
    rows = (
        RewardLine.objects.filter(employee__in=employees, unit=RewardLine.Unit.POINTS, state__in=PAYABLE)
        .order_by()
        .values_list("employee_id")
        .annotate(t=Sum("amount"))
    )
    return {pk: total for pk, total in rows}


def joined_name(plan: str, component: str) -> str:
    """What a line is, as people call it: the plan's name and the component's, once when one holds the
    other (提成 / 提成 → 提成; 月度KPI档位奖金 / KPI档位奖金 → 月度KPI档位奖金), else both (季度奖 · 出勤奖)."""
    if not component or component in plan:
        return plan
    if component.startswith(plan):
        return component
    return f"{plan} · {component}"


def with_plan_names(lines, lang: str = "zh") -> list[RewardLine]:
    """The lines with `plan_name`: the plan's and component's names from the line's own policy version
    (English on English pages, where the policy gives one), 专项奖励 for an award; the codes only for a
    plan its version does not name. Each version is parsed once, however many lines it has."""
    lines = list(lines)
    policies = Policy.objects.in_bulk({ln.policy_id for ln in lines if ln.policy_id})
    names: dict[tuple[int, str, str], str] = {}
    for pk, policy in policies.items():
        for plan in policy.parsed.rewards.plans:
            for c in plan.components:
                names[(pk, plan.id, c.id)] = joined_name(plan.label.get(lang), c.label.get(lang))
    for ln in lines:
        known = names.get((ln.policy_id, ln.plan, ln.component)) if ln.policy_id else None
        ln.plan_name = known or (_("专项奖励") if ln.plan == AWARDS else f"{ln.plan}/{ln.component}")
    return lines


def plan_names(policy: Policy | None, lang: str = "zh") -> dict[str, str]:
    """plan id → the plan's name in `lang` (the run page's totals per plan); awards → 专项奖励."""
    out = {AWARDS: _("专项奖励")}
    if policy is not None:
        out.update({p.id: p.label.get(lang) for p in policy.parsed.rewards.plans})
    return out


def cycles(qs=None) -> list[str]:
    qs = RewardLine.objects.all() if qs is None else qs
    return sorted(set(qs.values_list("cycle", flat=True)), reverse=True)


def _base_pay(attributes: dict) -> Decimal | None:
    raw = (attributes or {}).get("base_pay")
    try:
        return Decimal(str(raw)).quantize(Decimal("0.01")) if raw not in (None, "") else None
    except InvalidOperation:
        return None


def component_columns(policies, lang: str = "zh") -> dict[tuple[str, str], str]:
    """(plan, component) → the column title: the component's label in `lang` (with the plan's when two
    components share one), in the policies' order."""
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for policy in policies:
        for plan in policy.parsed.rewards.plans:
            if plan.unit == "points":  # points are no money: not in the payroll
                continue
            for c in plan.components:
                keys.setdefault((plan.id, c.id), (plan.label.get(lang), c.label.get(lang) or c.id))
    count: dict[str, int] = defaultdict(int)
    for _plan, label in keys.values():
        count[label] += 1
    return {k: (label if count[label] == 1 else f"{plan}·{label}") for k, (plan, label) in keys.items()}


def payroll_frame(cycle: str) -> pl.DataFrame:
    """The cycle's approved and paid lines (reversals and corrections included, so each column is the net
    amount) per employee, beside the base pay on file; the awards (专项奖励) in one column after the plans'
    components, when the cycle has any. Lines in points (积分) are no money and stay out. Everyone with a
    line, and everyone employed with a base pay, has a row; amounts are Decimal with two places, 0 where a
    component paid nothing."""
    lines = RewardLine.objects.filter(cycle=cycle, state__in=PAYABLE, unit=RewardLine.Unit.YUAN)
    sums: dict[int, dict[tuple[str, str], Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for emp, plan, comp, amount in lines.values_list("employee_id", "plan", "component", "amount"):
        sums[emp][(plan, comp)] += amount
    used = Policy.objects.filter(pk__in=lines.values("policy_id").distinct()).order_by("effective_from", "pk")
    columns = component_columns(used, "en" if (get_language() or "").startswith("en") else "zh")
    # A line of a plan no stored version names any more keeps its own column; the awards (no policy) have
    # theirs, 专项奖励, after every plan's.
    left = sorted(
        {key for per in sums.values() for key in per} - set(columns), key=lambda k: (k[0] == AWARDS, k)
    )
    for key in left:
        columns[key] = _("专项奖励") if key[0] == AWARDS else f"{key[0]}/{key[1]}"
    people = Employee.objects.filter(pk__in=list(sums)) | Employee.objects.exclude(status="left").exclude(
        attributes={}
    )
    base = _("基本工资")
    total = _("合计")
    rows = []
    for e in people.select_related("department").order_by("employee_id").distinct():
        pay = _base_pay(e.attributes)
        if pay is None and e.pk not in sums:
            continue
        per = sums.get(e.pk, {})
        parts = {title: per.get(key, Decimal("0.00")) for key, title in columns.items()}
        rows.append(
            {
                _("工号"): e.employee_id,
                _("姓名"): e.name,
                _("部门"): e.department.name if e.department else "",
                base: pay,
                **parts,
                total: (pay or Decimal(0)) + sum(parts.values(), Decimal(0)),
            }
        )
    money = pl.Decimal(14, 2)
    schema = {_("工号"): pl.String, _("姓名"): pl.String, _("部门"): pl.String, base: money}
    schema.update({title: money for title in columns.values()})
    schema[total] = money
    return pl.DataFrame(rows, schema=schema, orient="row")


def payroll_xlsx(cycle: str) -> bytes:
    """The payroll as a workbook: amounts are number cells (Excel sums them), text is text."""
    df = payroll_frame(cycle)
    numbers = df.with_columns(pl.col(pl.Decimal).cast(pl.Float64))
    return workbook_bytes({_("工资表") + " " + cycle: numbers})


def payroll_csv(cycle: str) -> bytes:
    """The payroll as UTF-8 CSV with a BOM (Excel on Chinese Windows opens it right); amounts as 3150.00,
    text that Excel could take for a formula marked as the other exports do."""
    df = payroll_frame(cycle)
    return "\ufeff".encode() + csv_safe(df).write_csv().encode()
