"""Writing a data set: an import committed from a page or the command line, records sent in bulk by the
API. Both check the authority table, plan and write under one lock in one transaction (so two identical
imports at once write once: the second finds nothing to change) and write their audit entry inside it."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from rungs.accounts.authority import Denied, check, fact_action, may_write_fact
from rungs.accounts.models import COMPANY_WIDE
from rungs.audit.trail import record
from rungs.core.interchange.dataset import Dataset
from rungs.core.interchange.reader import read_dataset
from rungs.datasets.importer import ImportPlan, apply, check_department, plan
from rungs.records.services import serialise_fact_writes


def _serialise() -> None:
    """Imports plan by reading the database and then write what differs; two at once would both plan
    against the same state and both write, and a score entered between the plan and the write was lost
    or broke the import. Every writer of facts takes the one lock (rungs.records.services)."""
    serialise_fact_writes()


def import_department(actor) -> str | None:
    """The one department `actor` imports for (a department manager), or None for company-wide roles and
    the system; Denied when the actor may not import at all or has no department set."""
    check(actor, "import.commit")
    if actor is None or actor.is_superuser or actor.role in COMPANY_WIDE:
        return None
    if actor.department is None:
        raise Denied("import.commit", _("您的账号未设置部门，不能导入。"))
    return actor.department.name


def import_preview(*, source: str | Path, actor) -> ImportPlan:
    """Reads, validates and compares with the database; writes nothing. Raises DataError."""
    department = import_department(actor)
    data = read_dataset(source)
    if department is not None:
        check_department(data, department, str(source))
    return plan(data, str(source))


def _commit(data: Dataset, source: str, actor, action: str, label: str) -> ImportPlan:
    _serialise()
    p = plan(data, source)  # planned again under the lock: the database may have changed since the preview
    if p.touches_anything:
        apply(p)
    record(
        actor,
        action,
        ("import", "", label),
        after={name: vars(c) for name, c in p.changes.items()},
    )
    return p


@transaction.atomic
def import_commit(*, source: str | Path, actor, label: str = "") -> ImportPlan:
    """Imports the files at `source` all or nothing; importing the same files again changes nothing."""
    department = import_department(actor)
    data = read_dataset(source)
    if department is not None:
        check_department(data, department, str(source))
    return _commit(data, str(source), actor, "import.commit", label or Path(source).name)


class OutOfScope(Exception):
    def __init__(self, employee_ids: list[str]):
        self.employee_ids = employee_ids
        super().__init__(", ".join(employee_ids))


def check_fact_writer(actor, data: Dataset) -> None:
    """Denied unless the actor may write every kind of fact in `data` (the same rule as the pages: a
    team lead records scores and commendations but not exams)."""
    for table in ("evaluations", "metrics"):
        if not data.frame(table).is_empty() and not may_write_fact(actor, table):
            check(actor, fact_action(table))
    types = data.events.get_column("type").cast(str).unique().sort().to_list()
    for t in types:
        if not may_write_fact(actor, "events", t):
            check(actor, fact_action("events", t))


@transaction.atomic
def records_bulk(*, data: Dataset, actor, employees, source: str = "api") -> ImportPlan:
    """Appraisals, KPI values and events for stored people (the API's bulk upsert), written as a file
    import would be. `employees` is the queryset of the people the actor may write for."""
    check(actor, "records.bulk")
    check_fact_writer(actor, data)
    named = set()
    for table in ("evaluations", "metrics", "events"):
        named.update(data.frame(table).get_column("employee_id").to_list())
    allowed = set(employees.filter(employee_id__in=named).values_list("employee_id", flat=True))
    if named - allowed:
        raise OutOfScope(sorted(named - allowed))
    return _commit(data, source, actor, "records.bulk", f"API {', '.join(sorted(named)[:5])}")
