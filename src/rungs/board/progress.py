"""One person's progress under the latest run: every criterion of their next step with the gap in plain
words, when the time-based ones will be met, triggered demotion or warning rules, and their monthly
scores and ranks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from rungs.board.charts import Point
from rungs.board.gaps import Projection, display_pair, flatten, gap_text, months_short, projected_date
from rungs.board.selectors import row_status
from rungs.core.engine.context import ID
from rungs.core.engine.context import level_starts as core_level_starts
from rungs.core.engine.series import ranks_in_groups
from rungs.core.periods import month_label, seq_of_date
from rungs.core.vocabulary import FLAGGED_KINDS, RULE_KINDS
from rungs.people.models import Assignment, Employee
from rungs.policies.models import Decision, EvaluationRun
from rungs.policies.policy_view import PolicyView
from rungs.records.models import Evaluation

CHART_MONTHS = 24


@dataclass(frozen=True)
class CheckItem:
    label: str
    passed: bool
    actual: str
    required: str
    gap: str
    depth: int
    composite: bool
    projection: Projection | None = None


@dataclass
class Step:
    rule_label: str
    track_label: str
    from_label: str
    to_label: str
    eligible: bool
    passed: int
    total: int
    status: str
    items: list[CheckItem] = field(default_factory=list)


@dataclass
class Risk:
    """A triggered rule other than a promotion: a demotion risk, a warning, a pay step or an acting
    conversion that is due — flagged in the vocabulary's words (RULE_KINDS[kind].flag)."""

    rule_label: str
    kind: str
    triggered: list[str]
    lang: str = "zh"

    @property
    def badge(self) -> str:
        return RULE_KINDS[self.kind].badge if self.kind in RULE_KINDS else "risk"

    @property
    def label(self) -> str:
        return RULE_KINDS[self.kind].flag(self.lang) if self.kind in RULE_KINDS else self.kind


def tenure_starts(employee: Employee, level_began: dt.date | None) -> dict[str, dt.date | None]:
    """Start dates of the time-based measures that can be known exactly: hire, regularization, level."""
    return {"company": employee.hire_date, "regularized": employee.regularized_on, "level": level_began}


def level_starts(employees: set[int], as_of: dt.date) -> dict[tuple[int, str], dt.date | None]:
    """(employee pk, track) → the start of the current level, by the engine's own definition (core
    level_starts) over their non-acting assignments that began by the evaluation date. One query."""
    rows = list(
        Assignment.objects.filter(employee__in=employees, start_date__lte=as_of)
        .exclude(kind=Assignment.Kind.ACTING)
        .values_list("employee", "track", "level", "start_date")
    )
    if not rows:
        return {}
    history = pl.LazyFrame(
        rows,
        schema={ID: pl.Int64, "track": pl.String, "level": pl.String, "start_date": pl.Date},
        orient="row",
    )
    starts = core_level_starts(history).collect()
    return {(pk, track): start for pk, track, start in starts.iter_rows()}


def build_step(d: Decision, pv: PolicyView, lang: str, as_of: dt.date, starts: dict) -> Step:
    step = Step(
        rule_label=pv.rule_label(d.rule, lang),
        track_label=pv.track_label(d.track, lang),
        from_label=pv.level_label(d.track, d.from_level, lang),
        to_label=pv.level_label(d.track, d.to_level, lang),
        eligible=d.eligible,
        passed=d.passed,
        total=d.total,
        status=row_status(d.eligible, d.passed, d.total, d.soon_months),
    )
    for path, depth, c in flatten(d.criteria):
        crit = pv.criterion(d.rule, path)
        projection = None
        short = months_short(c, crit)
        if short is not None:  # only a time-based criterion has months short
            projection = projected_date(
                as_of, int(c["actual"]), int(c["actual"]) + short, starts.get(crit.block.of)
            )
        actual, required = display_pair(c, crit)
        step.items.append(
            CheckItem(
                label=pv.criterion_label(d.rule, path, c["label"], lang),
                passed=bool(c["passed"]),
                actual=actual,
                required=required,
                gap=gap_text(c, crit),
                depth=depth,
                composite="criteria" in c,
                projection=projection,
            )
        )
    return step


def progress(employee: Employee, run: EvaluationRun, pv: PolicyView, lang: str) -> dict:
    decisions = list(run.decisions.filter(employee=employee).order_by("pk"))
    began = level_starts({employee.pk}, run.as_of)
    steps, risks = [], []
    for d in decisions:
        if d.kind == "promotion":
            starts = tenure_starts(employee, began.get((employee.pk, d.track)))
            steps.append(build_step(d, pv, lang, run.as_of, starts))
        elif d.kind in FLAGGED_KINDS and d.eligible:
            triggered = [
                pv.criterion_label(d.rule, path, c["label"], lang)
                for path, depth, c in flatten(d.criteria)
                if depth == 0 and c["passed"]
            ]
            risks.append(Risk(pv.rule_label(d.rule, lang), d.kind, triggered, lang))
    current = next(((d.track, d.from_level) for d in decisions if d.from_level), None)
    if current is None:
        a = employee.current_assignments().order_by("-start_date").first()
        current = (a.track, a.level) if a else ("", "")
    moves = None
    if not steps and current[0] and employee.status != Employee.Status.LEFT:
        moves = track_moves(employee, *current, pv, lang)
    return {
        "steps": steps,
        "risks": risks,
        "in_run": bool(decisions),
        "moves": moves,
        "track_label": pv.track_label(current[0], lang) if current[0] else "",
        "level_label": pv.level_label(*current, lang) if current[1] else "",
    }


@dataclass
class Moves:
    """How someone moves on from a level for which the policy sets no promotion criteria (the posts of
    team leads, supervisors and managers are filled by promotion rounds: a vacancy, an internal posting
    or the regular round), in the policy's own words."""

    track_label: str
    next_levels: list[str] | None  # [] at the top of the path, None off the path
    posts: int | None  # 编制 of the next level where the person works, when any is on file
    lateral: list[str]  # equivalent levels on other tracks (交叉晋升)
    windows: list[int]  # months of the regular rounds
    effective: str  # when a result takes effect
    acting: bool  # a vacant post may be filled by an acting appointment


def track_moves(employee: Employee, track: str, level: str, pv: PolicyView, lang: str) -> Moves | None:
    from rungs.core.policy.parse import EFFECTIVE
    from rungs.people.models import Position

    policy = pv.policy
    t = policy.tracks.get(track)
    if t is None:
        return None
    order = list(t.path or t.level_ids())
    # The next level on the track's path; None for a level off the path (a project post, say).
    nexts = order[order.index(level) + 1 :][:1] if level in order else None
    here = f"{track}.{level}"
    lateral = [
        pv.track_label(other.split(".")[0], lang) + " · " + pv.level_label(*other.split(".", 1), lang)
        for group in policy.procedure.lateral
        if here in group
        for other in group
        if other != here and "." in other
    ]
    posts = None
    if nexts:
        rows = Position.objects.filter(level=nexts[0]).filter(track__in=["", track])
        dept = employee.department.name if employee.department_id else None
        rows = rows.filter(department__in=["", dept]) if dept else rows.filter(department="")
        total = sum(rows.values_list("headcount", flat=True))
        posts = total if rows.exists() else None
    proc = policy.procedure
    words = EFFECTIVE.get(proc.effective)
    return Moves(
        track_label=pv.track_label(track, lang),
        next_levels=None if nexts is None else [pv.level_label(track, lv, lang) for lv in nexts],
        posts=posts,
        lateral=lateral,
        windows=list(proc.windows),
        effective=(words[0] if lang.startswith("zh") else words[1]) if words else "",
        acting=proc.acting is not None,
    )


def months_before(as_of: dt.date, n: int = CHART_MONTHS) -> list[int]:
    """The seqs of the n complete months before the evaluation date, oldest first."""
    last = seq_of_date("M", as_of) - 1
    return list(range(last - n + 1, last + 1))


def monthly_scores(employee: Employee, as_of: dt.date) -> tuple[list[Point], list[Point]]:
    """Scores of the last 24 complete months, and ranks: as recorded, or else within the team by score
    (ties share the best rank)."""
    seqs = months_before(as_of)
    rows = Evaluation.objects.filter(employee=employee, period_kind="M", seq__gte=seqs[0], seq__lte=seqs[-1])
    mine = {seq: (score, rank) for seq, score, rank in rows.values_list("seq", "score", "rank")}
    scores = [Point(month_label(s), mine.get(s, (None, None))[0]) for s in seqs]
    if any(r is not None for _, r in mine.values()):
        ranks = {s: r for s, (_, r) in mine.items()}
    else:
        ranks = _team_ranks(employee, seqs)
    return scores, [Point(month_label(s), ranks.get(s)) for s in seqs]


def _team_ranks(employee: Employee, seqs: list[int]) -> dict[int, float | None]:
    """The person's rank in their team per month, by the engine's definition (core ranks_in_groups):
    among the team's active members with a score that month."""
    if employee.team_id is None:
        return {}
    members = list(Employee.objects.filter(team_id=employee.team_id).values_list("pk", "status", "team_id"))
    scores = list(
        Evaluation.objects.filter(
            employee__team_id=employee.team_id,
            period_kind="M",
            seq__gte=seqs[0],
            seq__lte=seqs[-1],
            score__isnull=False,
        ).values_list("employee_id", "seq", "score")
    )
    if not scores:
        return {}
    values = pl.LazyFrame(scores, schema={ID: pl.Int64, "seq": pl.Int32, "v": pl.Float64}, orient="row")
    people = pl.LazyFrame(members, schema={ID: pl.Int64, "status": pl.String, "team": pl.Int64}, orient="row")
    ranked = ranks_in_groups(values, people, "team").filter(pl.col(ID) == employee.pk)
    return dict(ranked.select("seq", "v").collect().iter_rows())
