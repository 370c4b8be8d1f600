"""How large the company is, for the pages that choose between working within the request and leaving the
work to the worker (`rungs worker`): an evaluation run, an effect study."""

from __future__ import annotations

from rungs.people.models import Employee

RUN_NOW_LIMIT = 2000  # employees: below this, a run or a study fits within a request


def small_enough() -> bool:
    return Employee.objects.count() < RUN_NOW_LIMIT
