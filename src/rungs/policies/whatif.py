"""A what-if of a stored version against the version in force: both evaluated on the stored records on the
same day, and who gains or loses eligibility, by department and level."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from rungs.core.engine.evaluate import Evaluation, evaluate, metrics_used
from rungs.core.whatif import eligibility_changes
from rungs.datasets.frames import dataset_from_db
from rungs.people.models import Employee
from rungs.policies.models import Policy


def what_if(draft: Policy, as_of: dt.date, people=None) -> dict:
    """{"current": the version compared with, "rows": [(employee, step, change)], "summary": [(department,
    to_level, gains, losses)]}; `people` (a queryset) keeps the lists to those the viewer may see."""
    current = Policy.in_force(as_of, draft.scheme, draft.department)
    if current is not None and current.pk == draft.pk:
        current = None
    used = metrics_used(draft.parsed) | (metrics_used(current.parsed) if current else set())
    data = dataset_from_db(keep_metrics=used)
    after = evaluate(draft.parsed, data, as_of)
    before = evaluate(current.parsed, data, as_of) if current else Evaluation(draft.parsed, as_of, (), ())
    changes = eligibility_changes(before, after)
    found = Employee.objects.filter(employee_id__in=changes.get_column("employee_id").to_list())
    if people is not None:
        found = found.filter(pk__in=people.values("pk"))
    by_id = {e.employee_id: e for e in found.select_related("department")}
    rows, counts = [], Counter()
    for r in changes.iter_rows(named=True):
        e = by_id.get(r["employee_id"])
        if e is None:
            continue
        department = e.department.name if e.department else "—"
        counts[(department, r["to_level"], r["change"])] += 1
        rows.append((e, f"{r['track']}.{r['from_level']} → {r['to_level']}", r["change"]))
    summary = sorted(
        {(d, lv) for d, lv, _c in counts},
    )
    return {
        "current": current,
        "rows": rows[:500],
        "total": len(rows),
        "summary": [(d, lv, counts[(d, lv, "gains")], counts[(d, lv, "loses")]) for d, lv in summary],
    }
