"""The team view: who becomes eligible soon, who is at risk of demotion, and the team's monthly trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, F, Max, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from rungs.board.charts import Point
from rungs.board.counts import Stamp, kept_count, people_stamp
from rungs.board.gaps import Projection, projected_date, time_shorts
from rungs.board.progress import Risk, level_starts, month_label, months_before, tenure_starts
from rungs.board.selectors import CLOSE
from rungs.core.vocabulary import RISK_KINDS
from rungs.people.models import Employee
from rungs.policies.models import Decision, EvaluationRun
from rungs.policies.policy_view import PolicyView
from rungs.records.models import Evaluation, Metric

METRICS = {
    "csat": _("客户满意度"),
    "resolution_rate": _("问题解决率"),
    "complaint_rate": _("投诉率"),
    "response_rate": _("响应率"),
    "tickets": _("工作量(票)"),
    "amount": _("业务金额"),
}
DEFAULT_METRIC = "csat"
LIST_LIMIT = 100  # the lists show the first hundred; the board has everyone
MISSING = F("total") - F("passed")
TRENDS_SECONDS = 300  # company-wide monthly means are kept this long (see _records_stamp)


@dataclass
class Soon:
    employee: Employee
    from_label: str
    to_label: str
    missing: list[str]
    passed: int
    total: int
    projection: Projection | None  # the latest date a time-based criterion will be met, if within reach


@dataclass
class AtRisk:
    employee: Employee
    risk: Risk


def overview(
    people: QuerySet[Employee], run: EvaluationRun, pv: PolicyView, lang: str, stamp: Stamp | None = None
) -> dict:
    """`stamp` (`people_stamp()`) for everyone's view: the number of people, and the key under which the
    counts over the whole run are kept (see rungs.board.counts)."""
    decisions = Decision.objects.filter(run=run)
    if people.query.where:  # a limited scope; everyone's needs no `IN (every employee)` per row
        decisions = decisions.filter(employee__in=people)
    promotions = decisions.filter(kind="promotion")
    eligible = promotions.filter(eligible=True)
    soon = soon_queryset(promotions.filter(eligible=False))
    if stamp is None:
        counts = people.count(), eligible.count(), soon.count()
    else:
        counts = (
            stamp.people,
            kept_count(run, "team:eligible", eligible.count, stamp),
            kept_count(run, "team:soon", soon.count, stamp),
        )
    return {
        "people_count": counts[0],
        "eligible": first(eligible, ["employee__employee_id", "pk"]),
        "eligible_count": counts[1],
        "soon": eligible_soon(promotions.filter(eligible=False), pv, run.as_of, lang),
        "soon_count": counts[2],
        "at_risk": at_risk(decisions.filter(kind__in=RISK_KINDS, eligible=True), pv, lang),
    }


def first(decisions: QuerySet[Decision], order: list, limit: int = LIST_LIMIT) -> list[Decision]:
    """The first `limit` decisions in `order`, with their people and teams, in one query: the order is
    found over their keys alone (a narrow sort, held in memory) and only the rows shown are read whole.
    Sorting whole rows (criteria and all) of tens of thousands of decisions went to disk."""
    keys = decisions.order_by(*order).values("pk")[:limit]
    shown = Decision.objects.filter(pk__in=Subquery(keys)).alias(missing=MISSING)
    return list(shown.select_related("employee__team").order_by(*order))


def eligible_soon(decisions: QuerySet[Decision], pv: PolicyView, as_of: dt.date, lang: str) -> list[Soon]:
    """Not yet eligible, and either close (at most two criteria missing, no more than met) or with a time-based criterion
    that will be met within three months (stored with the decision as `soon_months`). Sorted: fewest
    missing first, then the soonest date. Exact dates (which need the start of the level) are worked out
    only for the rows shown, in one query."""
    shown = first(
        soon_queryset(decisions), ["missing", Coalesce("soon_months", 99), "employee__employee_id", "pk"]
    )
    shorts = {d.pk: time_shorts(d.rule, d.criteria, pv) for d in shown}
    starts = level_starts({d.employee_id for d in shown if shorts[d.pk]}, as_of)
    out = []
    for d in shown:
        begin = tenure_starts(d.employee, starts.get((d.employee_id, d.track)))
        dates = [
            projected_date(as_of, actual, actual + short, begin.get(of)) for of, actual, short in shorts[d.pk]
        ]
        out.append(
            Soon(
                employee=d.employee,
                from_label=pv.level_label(d.track, d.from_level, lang),
                to_label=pv.level_label(d.track, d.to_level, lang),
                missing=[
                    pv.criterion_label(d.rule, c["id"], c["label"], lang)
                    for c in d.criteria
                    if not c["passed"]
                ],
                passed=d.passed,
                total=d.total,
                projection=max(dates, key=lambda p: p.date) if dates else None,
            )
        )
    return out


def soon_queryset(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    return decisions.alias(missing=MISSING).filter(CLOSE | Q(soon_months__isnull=False))


def at_risk(decisions: QuerySet[Decision], pv: PolicyView, lang: str) -> list[AtRisk]:
    out = []
    for d in first(decisions, ["employee__employee_id", "pk"]):
        triggered = [pv.criterion_label(d.rule, c["id"], c["label"], lang) for c in d.criteria if c["passed"]]
        out.append(AtRisk(d.employee, Risk(pv.rule_label(d.rule, lang), d.kind, triggered, lang)))
    return out


def trends(
    people: QuerySet[Employee], as_of: dt.date, metric: str, stamp: Stamp | None = None
) -> tuple[list[Point], list[Point]]:
    """Monthly mean score and monthly mean of one KPI over the last 24 complete months. A limited scope
    is read from the people outwards (their own rows by index); a company-wide one reads the months.
    `stamp`: the `people_stamp()` already read for the page, if any."""
    seqs = months_before(as_of)
    if people.query.where:
        base, ev, mt = people, "evaluations__", "metrics__"
    else:
        base, ev, mt = None, "", ""

    def mean(model, prefix: str, value: str, **where) -> dict:
        where = {
            f"{prefix}{k}": v
            for k, v in {"period_kind": "M", "seq__gte": seqs[0], "seq__lte": seqs[-1], **where}.items()
        }
        qs = (base if base is not None else model.objects).filter(**where).order_by()
        return dict(
            qs.values(f"{prefix}seq").annotate(v=Avg(f"{prefix}{value}")).values_list(f"{prefix}seq", "v")
        )

    if base is None:  # company-wide: millions of index entries; kept a while, keyed by what was written
        key = f"rungs:team-trends:{metric}:{seqs[0]}:{seqs[-1]}:{_records_stamp(stamp)}"
        found = cache.get(key)
        if found is None:
            found = (mean(Evaluation, ev, "score"), mean(Metric, mt, "value", metric=metric))
            cache.set(key, found, TRENDS_SECONDS)
        scores, kpi = found
        return _points(seqs, scores, kpi)
    scores = mean(Evaluation, ev, "score")
    # For a limited scope, `iexact` (metric codes are lower case) keeps SQLite, which may lack statistics
    # (facts entered by hand do not ANALYZE), from walking the metric_trend index over the whole company
    # instead of reading the people's own rows.
    kpi = mean(Metric, mt, "value", metric__iexact=metric)
    return _points(seqs, scores, kpi)


def _points(seqs, scores: dict, kpi: dict) -> tuple[list[Point], list[Point]]:
    return (
        [Point(month_label(s), _round(scores.get(s))) for s in seqs],
        [Point(month_label(s), _round(kpi.get(s))) for s in seqs],
    )


def _records_stamp(people: Stamp | None = None) -> str:
    """Cheap marks of a change to the facts the trends read (each an index lookup): a row added raises a
    highest id, a person removed (their rows go with them) lowers the count. A value changed in place (a
    correction, an import updating a row) is seen when the cached means expire (TRENDS_SECONDS)."""
    ev = Evaluation.objects.aggregate(m=Max("pk"))["m"]
    mt = Metric.objects.aggregate(m=Max("pk"))["m"]
    people = people or people_stamp()
    return f"{connection.alias}:{ev}:{mt}:{people.people}:{people.highest}"


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 2)
