"""Survey results by group, with the minimum reporting group applied everywhere they are shown.

The groups form one tree: the survey's target group (everyone, a department or a team) → departments →
teams. A group is shown only if at least `min_group` people answered in it, and never while the survey is
still open (results that change with each vote would tell each vote). Differencing is closed too: within
each parent the children not shown — together with the parent's responses that belong to no child (people
without a team) — must add up to nothing or to at least `min_group`; otherwise the smallest shown child is
hidden as well, and again, until they do. A hidden group hides its children. So subtracting any shown
groups from a shown parent never leaves fewer than `min_group` answers. Every page and export reads
`survey_results`, so none can show what it hides.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from rungs.accounts.models import Role
from rungs.accounts.scope import sees_everyone
from rungs.people.models import Department, Team
from rungs.voice.models import Question, Survey


@dataclass
class Group:
    key: str  # "all", "d<pk>", "t<pk>"
    label: str
    kind: str  # all | department | team
    department_id: int | None
    team_id: int | None
    responses: list[dict] = field(default_factory=list)
    children: list[Group] = field(default_factory=list)
    shown: bool = False

    @property
    def n(self) -> int:
        return len(self.responses)


@dataclass
class QuestionResult:
    question: Question
    n: int
    mean: Decimal | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def hidden_children(parent_n: int, sizes: dict[str, int], k: int) -> set[str]:
    """Which children of a shown parent to hide: those below k, then the smallest others until the hidden
    total (with the `parent_n - sum(sizes)` answers in no child) is 0 or at least k."""
    hidden = {key for key, n in sizes.items() if n < k}
    rest = parent_n - sum(sizes.values())
    while 0 < rest + sum(sizes[key] for key in hidden) < k:
        shown = sorted((n, key) for key, n in sizes.items() if key not in hidden)
        if not shown:
            break
        hidden.add(shown[0][1])
    return hidden


def _tree(survey: Survey) -> Group:
    responses = list(survey.responses.values("department_id", "team_id", "answers"))
    if survey.team_id:
        return Group(
            f"t{survey.team_id}", str(survey.team), "team", survey.department_id, survey.team_id, responses
        )
    root = Group("all", survey.target_label, "all", survey.department_id, None, responses)
    if survey.department_id:
        root.kind, root.key = "department", f"d{survey.department_id}"
        departments = {survey.department_id: root}
    else:
        departments = {}
        names = dict(
            Department.objects.filter(pk__in={r["department_id"] for r in responses}).values_list(
                "pk", "name"
            )
        )
        for pk in sorted(filter(None, names)):
            d = Group(f"d{pk}", names[pk], "department", pk, None)
            d.responses = [r for r in responses if r["department_id"] == pk]
            departments[pk] = d
            root.children.append(d)
    codes = dict(Team.objects.filter(pk__in={r["team_id"] for r in responses}).values_list("pk", "code"))
    for dpk, d in departments.items():
        for tpk in sorted({r["team_id"] for r in d.responses if r["team_id"]}, key=lambda t: codes[t]):
            t = Group(f"t{tpk}", codes[tpk], "team", dpk, tpk)
            t.responses = [r for r in d.responses if r["team_id"] == tpk]
            d.children.append(t)
    return root


def _suppress(group: Group, k: int) -> None:
    group.shown = group.n >= k
    if not group.shown:
        for child in group.children:
            _hide(child)
        return
    hidden = hidden_children(group.n, {c.key: c.n for c in group.children}, k)
    for child in group.children:
        if child.key in hidden:
            _hide(child)
        else:
            _suppress(child, k)


def _hide(group: Group) -> None:
    group.shown = False
    for child in group.children:
        _hide(child)


def flatten(group: Group) -> list[Group]:
    return [group, *(g for c in group.children for g in flatten(c))]


def survey_groups(survey: Survey, today) -> list[Group]:
    """Every group of the survey, root first, with `shown` decided; nothing is shown before it closes."""
    root = _tree(survey)
    if survey.is_closed(today):
        _suppress(root, survey.min_group)
    else:
        _hide(root)
    return flatten(root)


def question_results(survey: Survey, group: Group) -> list[QuestionResult]:
    """The results of one shown group; refuses a hidden one (the one gate before any number is made)."""
    if not group.shown:
        raise ValueError("a hidden group has no results")
    out = []
    for q in survey.questions.all():
        values = [r["answers"][str(q.pk)] for r in group.responses if str(q.pk) in r["answers"]]
        res = QuestionResult(q, len(values))
        if q.kind == Question.Kind.RATING and values:
            res.mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            c = Counter(values)
            res.counts = [(str(r), c.get(r, 0)) for r in (1, 2, 3, 4, 5)]
        elif q.kind == Question.Kind.CHOICE:
            c = Counter(values)
            res.counts = [(choice, c.get(choice, 0)) for choice in q.choices]
        elif q.kind == Question.Kind.TEXT:
            res.comments = sorted(values)  # sorted, not in the order they came
        out.append(res)
    return out


def readable_by(user, group: Group) -> bool:
    """Which groups' results a reader sees: everything for the company-wide roles, their department for
    supervisors and department managers, their team for team leads. (What is shown within them is
    decided by the suppression above; this only narrows it further.)"""
    if sees_everyone(user):
        return True
    if user.role in (Role.SUPERVISOR, Role.DEPARTMENT_MANAGER):
        return user.department_id is not None and group.department_id == user.department_id
    if user.role == Role.TEAM_LEAD:
        return user.team_id is not None and group.team_id == user.team_id
    return False


def hidden_label(survey: Survey) -> str:
    return _("答卷人数不足 %(n)s 人（或可由其他分组推算），不显示。") % {"n": survey.min_group}
