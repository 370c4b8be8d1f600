"""Reading the latest evaluation run for the board: one row per visible person and promotion step.

Everything starts from `visible_employees(user)`. Filtering, sorting and counting happen in the database,
so a page of 50 costs the same at 100 people or 100,000: the page is found by its keys alone (a narrow
sort, held in memory), then only its rows are read whole; the criteria of a decision (JSON) are read only
for the rows shown, and a count over the whole run is kept between requests (`rungs.board.counts`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from rungs.accounts.scope import sees_everyone, visible_employees
from rungs.board.counts import kept_count, people_stamp
from rungs.core.vocabulary import FLAGGED_KINDS, RULE_KINDS
from rungs.people.models import Department, Employee, Team
from rungs.policies.models import Decision, EvaluationRun

CLOSE_MAX_MISSING = 2  # "close": a promotion not yet met with at most this many criteria missing
# ... and no more missing than met (1 of 3 met is not close to a three-criterion step, 9 of 11 is), or
# with its time-based criteria met within SOON_MONTHS (soon_months). One definition for the board's
# filter and badge, the progress page and the team view (接近符合).
CLOSE = Q(missing__lte=CLOSE_MAX_MISSING, passed__gte=F("missing")) | Q(soon_months__isnull=False)
BADGES = {k: RULE_KINDS[k].badge for k in FLAGGED_KINDS}
RED_KINDS = tuple(k for k, b in BADGES.items() if b == "risk")
PAGE_SIZE = 50

STATUSES = {
    "eligible": _("符合晋升"),
    "close": _("接近符合"),
    "not_yet": _("尚未符合"),
    "risk": _("降级风险"),
    "warning": _("预警"),
    "due": _("可晋级或转正"),
}
SORTS = {
    "name": ("name", "employee_id"),
    "team": ("team__code", "employee_id"),
    "level": ("level", "employee_id"),
    "passed": ("passed", "employee_id"),
}


@dataclass(frozen=True)
class BoardFilters:
    department: str = ""  # department pk
    team: str = ""  # team code
    track: str = ""
    level: str = ""
    status: str = ""
    step: str = ""  # a promotion rule id
    q: str = ""
    sort: str = "team"  # a key of SORTS, "-" in front for descending

    @classmethod
    def from_query(cls, params) -> BoardFilters:
        sort = params.get("sort", "team")
        if sort.lstrip("-") not in SORTS:
            sort = "team"
        status = params.get("status", "")
        return cls(
            department=params.get("department", "").strip(),
            team=params.get("team", "").strip(),
            track=params.get("track", "").strip(),
            level=params.get("level", "").strip(),
            status=status if status in STATUSES else "",
            step=params.get("step", "").strip(),
            q=params.get("q", "").strip(),
            sort=sort,
        )

    def query(self, **override) -> dict[str, str]:
        """The filters as query parameters (empty ones left out), for links and the export."""
        values = {**self.__dict__, **override}
        return {k: v for k, v in values.items() if v and not (k == "sort" and v == "team")}


def board_queryset(user, run: EvaluationRun, f: BoardFilters) -> QuerySet[Employee]:
    """Visible people who are in the run, annotated with their promotion decision (one row per step; none
    for a person at the top of their track) and whether a demotion, warning or unqualified-leader rule
    was triggered."""
    in_run = Decision.objects.filter(run=run, employee=OuterRef("pk"))
    promo = Q(decisions__run=run, decisions__kind="promotion")
    if f.step:
        promo &= Q(decisions__rule=f.step)
    if f.track:
        promo &= Q(decisions__track=f.track)
    # Any decision names the level of someone without a promotion step. No ORDER BY: with one, SQLite
    # walks the (run, kind) index for every person instead of looking the person up.
    any_decision = in_run.order_by()
    qs = (
        visible_employees(user)
        .filter(Exists(in_run))
        .annotate(promo=FilteredRelation("decisions", condition=promo))
        .annotate(
            decision_id=F("promo__id"),
            rule=F("promo__rule"),
            eligible=F("promo__eligible"),
            passed=F("promo__passed"),
            total=F("promo__total"),
            to_level=F("promo__to_level"),
            missing=F("promo__total") - F("promo__passed"),
            track=Coalesce(F("promo__track"), Subquery(any_decision.values("track")[:1]), Value("")),
            level=Coalesce(
                F("promo__from_level"), Subquery(any_decision.values("from_level")[:1]), Value("")
            ),
            soon_months=F("promo__soon_months"),
            run_pk=Value(run.pk),
        )
        # For the status filters only: the rows shown read their flags with their criteria (`details_of`),
        # as SQLite would work out every flag of every matching row before sorting.
        .alias(
            risk=Exists(in_run.filter(kind__in=RED_KINDS, eligible=True)),
            **{f"flag_{k}": Exists(in_run.filter(kind=k, eligible=True)) for k in FLAGGED_KINDS},
        )
        .select_related("team", "department")
    )
    if f.department:
        qs = qs.filter(department_id=f.department) if f.department.isdigit() else qs.none()
    if f.team:
        qs = qs.filter(team__code=f.team)
    if f.track:
        qs = qs.filter(track=f.track)
    if f.level:
        qs = qs.filter(level=f.level)
    if f.step:
        qs = qs.filter(rule=f.step)
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(employee_id__icontains=f.q))
    qs = _status_filter(qs, f.status)
    return _sorted(qs, f.sort)


class _CountedPaginator(Paginator):
    """A paginator told its count (kept, see `board_count`) instead of asking the database."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its value


def board_page(
    user, run: EvaluationRun, f: BoardFilters, number, per_page: int = PAGE_SIZE
) -> tuple[Page, list[Employee], dict[int, list[dict]]]:
    """One page of the board: the page, its rows (people annotated as by `board_queryset`, with their
    flags) and the criteria by decision id. The page is chosen by (person, decision) keys alone, so the
    database sorts narrow rows rather than every column of every row; then the decisions of the people
    shown are read once, with the people, for their rows and their details.

    For someone who sees everyone: a count that depends on results alone (status, step, track, level)
    depends only on the run and the set of people, and is kept (see counts); and when everyone has a
    team, sorting by team needs no outer join, so the database walks the teams' index in order and
    stops after the page instead of sorting every row."""
    qs = board_queryset(user, run, f)
    stamp = people_stamp() if sees_everyone(user) else None
    if stamp is not None and not stamp.without_team and f.sort.lstrip("-") == "team":
        qs = qs.filter(team__code__isnull=False)  # true of every row: an inner join
    if stamp is None or f.department or f.team or f.q:
        count = qs.count()
    else:
        what = "board:" + "&".join(f"{k}={v}" for k, v in sorted(f.query(sort="").items()))
        count = kept_count(run, what, qs.count, stamp)
    page = _CountedPaginator(qs.values_list("pk", "decision_id"), per_page, count).get_page(number)
    people, criteria = _rows_of(run, list(page.object_list))
    return page, people, criteria


def _rows_of(run: EvaluationRun, keys: list[tuple[int, int | None]]):
    """The board rows of (person, promotion decision or None) keys, annotated as by `board_queryset`
    (the level and track of someone without a step from any of their decisions), with their flags set
    as by `details_of`, and the criteria by decision id: one query."""
    decisions: dict[int, list[Decision]] = {}
    found = (
        Decision.objects.filter(run=run, employee_id__in={pk for pk, _ in keys})
        .select_related("employee__team", "employee__department")
        .order_by("employee_id", "kind", "pk")
    )
    for d in found:
        decisions.setdefault(d.employee_id, []).append(d)
    people = []
    for pk, decision_id in keys:
        own = decisions[pk]
        person = copy.copy(own[0].employee)  # a person with two steps has two rows
        promo = next((d for d in own if d.pk == decision_id), None)
        person.decision_id, person.run_pk = decision_id, run.pk
        for name in ("rule", "eligible", "passed", "total", "to_level", "soon_months"):
            setattr(person, name, getattr(promo, name) if promo else None)
        person.missing = promo.total - promo.passed if promo else None
        person.track = (promo or own[0]).track
        person.level = (promo or own[0]).from_level
        kinds = {d.kind for d in own if d.eligible}
        person.risk = bool(kinds & set(RED_KINDS))
        for k in FLAGGED_KINDS:
            setattr(person, f"flag_{k}", k in kinds)
        people.append(person)
    return people, {d.pk: d.criteria for own in decisions.values() for d in own}


def _status_filter(qs: QuerySet[Employee], status: str) -> QuerySet[Employee]:
    if status == "eligible":
        return qs.filter(eligible=True)
    if status == "close":
        return qs.filter(CLOSE, eligible=False)
    if status == "not_yet":
        return qs.filter(~CLOSE, eligible=False)
    if status == "risk":
        return qs.filter(risk=True)
    if status in ("warning", "due"):
        kinds = [k for k, badge in BADGES.items() if badge == status]
        return qs.filter(Q.create([(f"flag_{k}", True) for k in kinds], connector=Q.OR))
    return qs


def _sorted(qs: QuerySet[Employee], sort: str) -> QuerySet[Employee]:
    desc = sort.startswith("-")
    first, then = SORTS[sort.lstrip("-")]
    key = F(first).desc(nulls_last=True) if desc else F(first).asc(nulls_last=True)
    return qs.order_by(key, then, "decision_id")


def row_status(
    eligible: bool | None, passed: int | None, total: int | None, soon_months: int | None = None
) -> str:
    """eligible / close / not_yet (see CLOSE), or "" for a person without a promotion step."""
    if eligible is None:
        return ""
    if eligible:
        return "eligible"
    missing = (total or 0) - (passed or 0)
    close = missing <= CLOSE_MAX_MISSING and (passed or 0) >= missing
    return "close" if close or soon_months is not None else "not_yet"


def flags_of(person, lang: str) -> list[tuple[str, str]]:
    """(badge, label) of the rules triggered for an annotated board row, in the vocabulary's words."""
    return [
        (BADGES[k], RULE_KINDS[k].flag(lang)) for k in FLAGGED_KINDS if getattr(person, f"flag_{k}", False)
    ]


def details_of(people: list) -> dict[int, list[dict]]:
    """For board rows (annotated people of one run): sets `risk` and each `flag_<kind>` on them, and
    returns the criteria by decision id — from one query over the run's decisions of these people."""
    if not people:
        return {}
    criteria: dict[int, list[dict]] = {}
    triggered: dict[int, set[str]] = {}
    rows = Decision.objects.filter(run_id=people[0].run_pk, employee_id__in={p.pk for p in people})
    for pk, employee, kind, eligible, items in rows.values_list(
        "pk", "employee_id", "kind", "eligible", "criteria"
    ):
        criteria[pk] = items
        if eligible:
            triggered.setdefault(employee, set()).add(kind)
    for p in people:
        kinds = triggered.get(p.pk, set())
        p.risk = bool(kinds & set(RED_KINDS))
        for k in FLAGGED_KINDS:
            setattr(p, f"flag_{k}", k in kinds)
    return criteria


def filter_choices(user) -> dict:
    """Departments and teams that the user can see (for the filter form)."""
    visible = visible_employees(user)
    return {
        "departments": Department.objects.filter(pk__in=visible.values("department_id")).order_by("name"),
        "teams": Team.objects.filter(pk__in=visible.values("team_id")).order_by("code"),
    }
