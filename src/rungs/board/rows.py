"""Board rows for display and export: the annotated people of `board_queryset` with their criteria."""

from __future__ import annotations

from dataclasses import dataclass, field

from rungs.board.gaps import display_pair
from rungs.board.selectors import STATUSES, BoardFilters, details_of, flags_of, row_status
from rungs.core.policy import model as m
from rungs.people.models import Employee
from rungs.policies.policy_view import PolicyView


@dataclass(frozen=True)
class Cell:
    passed: bool
    actual: str
    required: str


@dataclass
class BoardRow:
    employee: Employee
    status: str
    status_label: str
    risk: bool
    flags: list[tuple[str, str]]  # (badge, label) of the triggered rules: 降级风险, 预警, 可晋级 …
    track_label: str
    level_label: str
    to_label: str
    passed: int | None
    total: int | None
    cells: list[Cell | None] = field(default_factory=list)  # one per criterion of the selected step
    missing: list[str] = field(default_factory=list)  # labels of the criteria not met


def selected_step(pv: PolicyView, f: BoardFilters) -> m.Rule | None:
    """The promotion step whose criteria become columns: named, or the only one from the chosen level."""
    if f.step:
        rule = pv.rules.get(f.step)
        return rule if rule and rule.kind == "promotion" else None
    if f.level:
        found = [r for r in pv.promotions() if f.level in r.levels and (not f.track or r.track == f.track)]
        return found[0] if len(found) == 1 else None
    return None


def board_rows(
    people, pv: PolicyView, step: m.Rule | None, lang: str, criteria: dict | None = None
) -> list[BoardRow]:
    """Rows of annotated people (`board_queryset`); `criteria` by decision id when their flags are already
    set (`selectors.board_page`), else both are read (`details_of`)."""
    people = list(people)
    if criteria is None:
        criteria = details_of(people)  # also each row's risk and flags
    columns = [c.id for c in step.criteria] if step else []
    rows = []
    for p in people:
        status = row_status(p.eligible, p.passed, p.total, p.soon_months)
        items = criteria.get(p.decision_id) or []
        by_id = {c["id"]: c for c in items}
        cells: list[Cell | None] = [None] * len(columns)
        if step and p.rule == step.id:
            cells = []
            for cid in columns:
                c = by_id.get(cid)
                cells.append(Cell(c["passed"], *display_pair(c, pv.criterion(p.rule, cid))) if c else None)
        rows.append(
            BoardRow(
                employee=p,
                status=status,
                status_label=str(STATUSES.get(status, "—")),
                risk=p.risk,
                flags=flags_of(p, lang),
                track_label=pv.track_label(p.track, lang) if p.track else "",
                level_label=pv.level_label(p.track, p.level, lang) if p.level else "—",
                to_label=pv.level_label(p.track, p.to_level, lang) if p.to_level else "",
                passed=p.passed,
                total=p.total,
                cells=cells,
                missing=[
                    pv.criterion_label(p.rule, c["id"], c["label"], lang) for c in items if not c["passed"]
                ],
            )
        )
    return rows
