"""Satisfaction and expectation dashboards: the rounds of a survey series side by side, per department and
team — the mean of each rating question (满意度) and the shares of each choice question (期望) — and their
trend across rounds.

Nothing here decides what may be shown. Each round is one survey, and its cells come from
rungs.voice.results: `survey_groups` (the minimum reporting group and the differencing rule, within that
survey's own tree of groups) and `question_results` (which refuses a hidden group). So every cell of the
dashboard is a cell the survey's own results page shows, and no cell combines answers of two groups or two
rounds: whatever is subtracted from a shown cell of a round leaves nothing or at least that round's
minimum, exactly as on the results page. A group with no answers in a round looks the same as a hidden one
(—), so the dashboard does not tell "nobody answered" from "fewer than the minimum answered".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from rungs.people.models import Department
from rungs.voice.models import Question, Survey
from rungs.voice.results import Group, QuestionResult, question_results, readable_by, survey_groups

SHOWN, HIDDEN, NOT_ASKED = "shown", "hidden", "not_asked"
KINDS = (Question.Kind.RATING, Question.Kind.CHOICE)  # the free texts stay on each survey's results page


@dataclass
class Round:
    survey: Survey
    label: str
    groups: dict[str, Group]  # the groups the reader may see, by key
    results: dict[str, dict[tuple[str, str], QuestionResult]]  # shown groups only
    asked: set[tuple[str, str]]


@dataclass
class Cell:
    state: str  # shown | hidden | not_asked
    n: int | None = None
    mean: Decimal | None = None
    shares: list[tuple[str, int]] = field(default_factory=list)  # (choice, percent)


@dataclass
class Row:
    key: str
    label: str
    kind: str  # all | department | team
    cells: list[Cell]


@dataclass
class Table:
    kind: str
    text: str
    choices: list[str]
    rows: list[Row]


@dataclass
class Dashboard:
    series: str
    rounds: list[Round]
    pending: list[Survey]  # rounds not closed yet: nothing of them is shown
    tables: list[Table]
    rows: list[tuple[str, str, str]]  # (key, label, kind) of every row, in order


def _key(q: Question) -> tuple[str, str]:
    return (q.kind, " ".join(q.text.split()))


def round_label(survey: Survey) -> str:
    return f"{survey.opens_on:%Y-%m}"


def _round(survey: Survey, user, today: dt.date) -> Round:
    groups = {g.key: g for g in survey_groups(survey, today) if readable_by(user, g)}
    questions = [q for q in survey.questions.all() if q.kind in KINDS]
    results = {}
    for key, g in groups.items():
        if g.shown:  # question_results refuses the others
            results[key] = {
                _key(r.question): r for r in question_results(survey, g) if r.question.kind in KINDS
            }
    return Round(survey, round_label(survey), groups, results, {_key(q) for q in questions})


def _cell(rnd: Round, key: str, qkey: tuple[str, str]) -> Cell:
    if qkey not in rnd.asked:
        return Cell(NOT_ASKED)
    group = rnd.groups.get(key)
    result = rnd.results.get(key, {}).get(qkey) if group is not None and group.shown else None
    if result is None:
        return Cell(HIDDEN)  # below the minimum, hidden by differencing, out of sight or nobody answered
    shares = [(label, round(100 * count / result.n)) for label, count in result.counts] if result.n else []
    if qkey[0] == Question.Kind.RATING:
        shares = []
    return Cell(SHOWN, result.n, result.mean, shares)


def series_dashboard(series: str, surveys: list[Survey], user, today: dt.date) -> Dashboard:
    """The rounds of `series` among `surveys` (those the reader sees), oldest first, as tables per
    question: a row per group the reader may see, a cell per round."""
    mine = sorted(
        (s for s in surveys if s.series == series and s.state != Survey.State.DRAFT),
        key=lambda s: (s.opens_on, s.pk),
    )
    rounds = [_round(s, user, today) for s in mine if s.is_closed(today)]
    pending = [s for s in mine if not s.is_closed(today)]
    departments = dict(Department.objects.values_list("pk", "name"))
    order: dict[str, tuple] = {}
    labels: dict[str, tuple[str, str]] = {}
    for rnd in rounds:
        for key, g in rnd.groups.items():
            department = departments.get(g.department_id, "") if g.department_id else ""
            rank = (0,) if g.kind == "all" else (1, department, 0 if g.kind == "department" else 1, g.label)
            order.setdefault(key, rank)
            labels.setdefault(key, (g.label, g.kind))
    keys = sorted(order, key=lambda k: order[k])
    questions: dict[tuple[str, str], list[str]] = {}
    for rnd in rounds:
        for q in rnd.survey.questions.all():
            if q.kind in KINDS:
                choices = questions.setdefault(_key(q), [])
                choices.extend(c for c in q.choices if c not in choices)
    tables = [
        Table(
            kind,
            text,
            choices,
            [Row(k, *labels[k], [_cell(rnd, k, (kind, text)) for rnd in rounds]) for k in keys],
        )
        for (kind, text), choices in questions.items()
    ]
    return Dashboard(series, rounds, pending, tables, [(k, *labels[k]) for k in keys])
